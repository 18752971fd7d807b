"""clt refs / clt get / --law: references resolved, articles fetched by citation, one law of several.

The expected references of the fixture laws were labelled by reading the
texts (tests/fixtures/refs/*.txt), not by running the code.
"""

import json
import os

import pytest

from clt.records import read_records
from clt.refs import refs
from clt.split import split
from conftest import FIXTURES

REFS = os.path.join(FIXTURES, "refs")


def split_fixture(name):
    return list(split(read_records(os.path.join(REFS, name))))


def articles(records):
    return {r["label"]: r for r in records if r["type"] == "article"}


def brief(ref):
    """(text, law, label, para, item) of a ref, with the range end when there is one."""
    t = ref.get("target") or {}
    out = (ref["text"], t.get("law"), t.get("label"), t.get("para"), t.get("item"))
    if ref.get("to"):
        to = ref["to"]
        out += ((to.get("label"), to.get("para"), to.get("item")),)
    return out


LAW = "中华人民共和国示例管理法"


def test_law_references_resolved(run_cli):
    r = run_cli(["refs"], input=split_fixture("law.txt"))
    assert r.exit_code == 0, r.stderr
    arts = articles(r.records)
    got = {label: [brief(x) for x in a["refs"]] for label, a in arts.items()}
    assert got["第一条"] == []          # 根据宪法: no article cited
    assert got["第二条"] == [("本法第五条", LAW, "第五条", None, None), ("第六条", LAW, "第六条", None, None),
                          ("第八条", LAW, "第八条", None, None)]
    assert got["第三条"] == [("前款第（一）项", LAW, "第三条", 1, 1), ("第（二）项", LAW, "第三条", 1, 2),
                          ("前两款", LAW, "第三条", 1, None, ("第三条", 2, None)),
                          ("第（三）项", LAW, "第三条", 1, 3)]   # 有关法律、行政法规: nothing
    assert got["第四条"] == [("本法第三条第一款第（二）项", LAW, "第三条", 1, 2), ("本条第二款", LAW, "第四条", 2, None)]
    assert [(x["text"], x["target"].get("level"), x["target"]["label"]) for x in arts["第五条"]["refs"]] == [
        ("本节", "section", "第一节"), ("本章", "chapter", "第二章"), ("前条", None, "第四条")]
    assert got["第六条"] == [("本法第四条至第五条", LAW, "第四条", None, None, ("第五条", None, None)),
                          ("《中华人民共和国行政处罚法》第五十七条", "中华人民共和国行政处罚法", "第五十七条", None, None)]
    assert arts["第六条"]["refs"][1]["external"] is True
    assert got["第七条"] == [("前条", LAW, "第六条", None, None),
                          ("刑法第二百八十六条之一", "刑法", "第二百八十六条之一", None, None),
                          ("该法第二百八十七条", "刑法", "第二百八十七条", None, None)]
    assert got["第九条"] == []
    # spans are offsets into the article's text
    for a in arts.values():
        for x in a["refs"]:
            assert a["text"][x["start"]:x["end"]] == x["text"]


def test_missing_target_is_a_warning(run_cli):
    r = run_cli(["refs"], input=split_fixture("law.txt"))
    art8 = articles(r.records)["第八条"]
    assert [(x["text"], x.get("warning")) for x in art8["refs"]] == [
        ("第三十一条第二款", "the law has no 第三十一条"), ("第九十条", "the law has no 第九十条"), ("第一章", None)]
    warnings = [x for x in r.records if x["type"] == "warning" and x.get("stage") == "refs"]
    assert [(w["code"], w["label"], w["text"]) for w in warnings] == [
        ("missing-target", "第八条", "第三十一条第二款"), ("missing-target", "第八条", "第九十条")]
    # the warnings come right after the article
    types = [x["type"] for x in r.records]
    i = next(n for n, x in enumerate(r.records) if x.get("label") == "第八条" and x["type"] == "article")
    assert types[i + 1:i + 3] == ["warning", "warning"]


def test_interpretation_cites_itself_and_other_laws(run_cli):
    r = run_cli(["refs"], input=split_fixture("interpretation.txt"))
    arts = articles(r.records)
    title = "最高人民法院关于审理示例纠纷案件适用法律若干问题的解释"
    assert [brief(x) for x in arts["第一条"]["refs"]] == [
        ("民法典第一千一百六十五条", "民法典", "第一千一百六十五条", None, None),
        ("第一千一百六十七条", "民法典", "第一千一百六十七条", None, None)]   # chained: still 民法典
    assert [brief(x) for x in arts["第二条"]["refs"]] == [
        ("本解释第一条", title, "第一条", None, None), ("前款", title, "第二条", 1, None),
        ("《中华人民共和国民事诉讼法》第一百二十二条", "中华人民共和国民事诉讼法", "第一百二十二条", None, None)]


def test_amendment_cites_the_law_it_amends(run_cli):
    r = run_cli(["refs"], input=split_fixture("amendment.txt"))
    arts = [x for x in r.records if x["type"] == "article"]
    first = arts[0]["refs"]
    # “第十条　… is the label of the new text, not a reference; 本法 inside the quotation is 示例法
    assert [brief(x) for x in first] == [("第十条", "中华人民共和国示例法", "第十条", None, None),
                                        ("本法第八条", "中华人民共和国示例法", "第八条", None, None),
                                        ("前款", None, None, None, None)]
    assert all(x["external"] for x in first)
    assert "unresolved" in first[2]
    assert [x["text"] for x in arts[1]["refs"]] == ["第二十条", "第二十条之一", "第十条"]


def test_graph_edges(run_cli):
    r = run_cli(["refs", "--graph"], input=split_fixture("law.txt"))
    assert r.exit_code == 0
    assert {x["type"] for x in r.records} == {"ref"}
    edges = [(x["from"]["label"], x["to"].get("label"), x["kind"]) for x in r.records]
    assert ("第二条", "第五条", "article") in edges
    # a range gives one edge per article in it; 前两款 one per 款
    assert [e for e in edges if e[0] == "第六条" and e[2] == "range"] == [
        ("第六条", "第四条", "range"), ("第六条", "第五条", "range")]
    assert [(x["to"]["para"]) for x in r.records if x["text"] == "前两款"] == [1, 2]


def test_refs_library_streams_other_records_through():
    recs = [{"type": "source", "path": "x"}] + split_fixture("law.txt")
    out = list(refs(recs))
    assert out[0] == {"type": "source", "path": "x"}
    assert [r["type"] for r in out if r["type"] != "warning"] == [r["type"] for r in recs]


def test_refs_is_idempotent():
    once = list(refs(split_fixture("law.txt")))
    twice = list(refs(r for r in once if not (r["type"] == "warning" and r.get("stage") == "refs")))
    assert once == twice


# --------------------------------------------------------------------------- get

@pytest.fixture
def law_jsonl(tmp_path):
    p = tmp_path / "law.jsonl"
    p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in split_fixture("law.txt")),
                 encoding="utf-8")
    return str(p)


def test_get_article_text(run_cli, law_jsonl):
    r = run_cli(["get", law_jsonl, "第二条"])
    assert r.exit_code == 0, r.stderr
    assert r.output == "第二条　本法所称示例，是指依照本法第五条、第六条和第八条规定登记的事项。\n"


def test_get_paragraph_and_item(run_cli, law_jsonl):
    assert run_cli(["get", law_jsonl, "第三条第二款"]).output == "有前款第（一）项、第（二）项情形的，申请人可以补正。\n"
    assert run_cli(["get", law_jsonl, "3", "--para", "1", "--item", "2"]).output == "（二）申请人隐瞒有关情况的；\n"
    assert run_cli(["get", law_jsonl, "3.1.3"]).output == "（三）法律、行政法规规定的其他情形。\n"
    r = run_cli(["get", law_jsonl, "第三条第二款", "--json"])
    assert [(x["type"], x["article"], x["index"]) for x in r.records] == [("paragraph", "第三条", 2)]


def test_get_range_from_stdin(run_cli):
    r = run_cli(["get", "-", "第四条至第五条", "--json"], input=split_fixture("law.txt"))
    assert [x["label"] for x in r.records] == ["第四条", "第五条"]


def test_get_missing_citation_is_one_line_exit_1(run_cli, law_jsonl):
    r = run_cli(["get", law_jsonl, "第九十条"])
    assert r.exit_code == 1 and r.output == ""
    assert r.stderr == f"clt: {law_jsonl}: no 第九十条 in {LAW}\n"
    r = run_cli(["get", law_jsonl, "第三条第五款"])
    assert r.exit_code == 1 and "第三条 has no 第五款" in r.stderr


def test_get_not_a_citation_is_a_usage_error(run_cli, law_jsonl):
    r = run_cli(["get", law_jsonl, "总则"])
    assert r.exit_code == 2 and r.stderr.startswith("clt: not a citation: '总则'")


# --------------------------------------------------------------------------- --law

@pytest.fixture
def bulletin():
    return split_fixture("law.txt") + split_fixture("interpretation.txt")


def test_get_needs_law_in_a_bulletin(run_cli, bulletin):
    r = run_cli(["get", "-", "第一条"], input=bulletin)
    assert r.exit_code == 1 and "第一条 is in 2 laws of the input" in r.stderr
    r = run_cli(["get", "-", "第一条", "--law", "示例纠纷"], input=bulletin)
    assert r.exit_code == 0 and r.output.startswith("第一条　人民法院审理示例纠纷案件")
    r = run_cli(["get", "-", "第一条", "--law", "1"], input=bulletin)
    assert r.output.startswith("第一条　为了规范示例管理")


def test_law_option_on_refs_and_convert(run_cli, bulletin):
    r = run_cli(["refs", "--law", "2"], input=bulletin)
    assert [x["title"] for x in r.records if x["type"] == "document"] == [
        "最高人民法院关于审理示例纠纷案件适用法律若干问题的解释"]
    r = run_cli(["convert", "--to", "md", "--law", "示例管理法"], input=bulletin)
    assert r.exit_code == 0 and r.output.startswith("# 中华人民共和国示例管理法\n")
    assert "示例纠纷" not in r.output


def test_law_option_errors(run_cli, bulletin):
    r = run_cli(["refs", "--law", "网络安全法"], input=bulletin)
    assert r.exit_code == 2 and r.output == ""
    assert "no law with that title" in r.stderr and "1. 中华人民共和国示例管理法" in r.stderr
    r = run_cli(["refs", "--law", "示例"], input=bulletin)
    assert r.exit_code == 2 and "is part of 2 titles" in r.stderr
    r = run_cli(["refs", "--law", "3"], input=bulletin)
    assert r.exit_code == 2 and "holds 2 law(s)" in r.stderr


def test_law_option_on_diff(run_cli, tmp_path, bulletin):
    p = tmp_path / "b.jsonl"
    p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in bulletin), encoding="utf-8")
    r = run_cli(["diff", str(p), str(p), "--law", "解释"])
    assert r.exit_code == 0, r.stderr
    summary = r.records[-1]
    assert summary["type"] == "summary" and summary["identical"] is True


def test_exact_title_beats_partial_match():
    from clt.laws import select_law

    a = split_fixture("law.txt")
    b = [dict(r, title="中华人民共和国示例管理法实施条例") if r["type"] in ("document", "document_end") else r
         for r in a]
    out = list(select_law(b + a, "中华人民共和国示例管理法"))
    doc = next(r for r in a if r["type"] == "document")
    assert out[0] is doc and out[-1]["type"] == "document_end"


def test_a_law_naming_its_own_title_without_a_unit_is_a_law_reference():
    """本条例自…起施行。…批准的《洛阳市洛浦公园管理条例》同时废止: the earlier version of the
    law, named by its title in 《》 and no article — a reference to the law, not a crash."""
    title = "洛阳市洛浦公园管理条例"
    recs = [{"type": "document", "title": title},
            {"type": "article", "label": "第四十条", "num": 40,
             "text": f"本条例自2018年1月1日起施行。2005年7月22日洛阳市第十二届人民代表大会常务委员会第十三次会议通过的《{title}》同时废止。"},
            {"type": "document_end", "title": title}]
    art = [r for r in refs(recs) if r["type"] == "article"][0]
    assert [(r["text"], r["kind"], r["target"]) for r in art["refs"]] == [(f"《{title}》", "law", {"law": title})]


# --------------------------------------------------------------------------- real law text
# The fixtures below hold articles of real laws as published (the criminal law with its
# 编/章/节, a Supreme People's Court 规定, a city's regulation) and a 修正案 whose quoted new
# text is the criminal law's; each expected reference was labelled by reading the text.
# (text, law, article label, 款, 项[, (range end label, 款, 项)]).

CRIMINAL = "中华人民共和国刑法"


def refs_of(name):
    out = {}
    for r in refs(split_fixture(name)):
        if r["type"] == "article":
            out[r["label"]] = [brief(x) for x in r["refs"]]
    return out


def test_criminal_law_excerpt_parts_chapters_sections():
    got = refs_of("criminal-law-excerpt.txt")
    C = CRIMINAL
    assert got["第十二条"] == [("本法总则第四章第八节", C, "第八节", None, None)]
    assert got["第十七条"] == [("前三款", C, "第十七条", 1, None, ("第十七条", 3, None))]  # printed in 款 4
    assert got["第六十七条"] == [("前两款", C, "第六十七条", 1, None, ("第六十七条", 2, None))]
    assert got["第八十七条"] == [] and got["第一百零三条"] == [] and got["第一百四十条"] == []
    assert got["第一百零四条"] == [("前款", C, "第一百零四条", 1, None)]
    assert got["第一百一十三条"] == [
        ("本章", C, "第一章", None, None), ("第一百零三条第二款", C, "第一百零三条", 2, None),
        ("第一百零五条", C, "第一百零五条", None, None), ("第一百零七条", C, "第一百零七条", None, None),
        ("第一百零九条", C, "第一百零九条", None, None), ("本章", C, "第一章", None, None)]
    assert got["第一百四十二条之一"] == [("前款", C, "第一百四十二条之一", 1, None),   # 款 1 holds four 项
                                     ("本法第一百四十一条", C, "第一百四十一条", None, None),
                                     ("第一百四十二条", C, "第一百四十二条", None, None)]
    assert got["第一百四十四条"] == [("本法第一百四十一条", C, "第一百四十一条", None, None)]
    rng = ("本节第一百四十一条至第一百四十八条", C, "第一百四十一条", None, None, ("第一百四十八条", None, None))
    art140 = ("本节第一百四十条", C, "第一百四十条", None, None)
    assert got["第一百四十九条"] == [rng, art140, rng, art140]
    assert got["第一百五十条"] == [("本节第一百四十条至第一百四十八条", C, "第一百四十条", None, None,
                                 ("第一百四十八条", None, None))]   # 各该条: no number, no reference
    # 第一款罪 in 款 3 and 4; 第一项… are the 项 of 款 1, the only 款 with 项
    assert got["第三百八十三条"] == [
        ("第一款", C, "第三百八十三条", 1, None), ("第一项", C, "第三百八十三条", 1, 1),
        ("第二项", C, "第三百八十三条", 1, 2), ("第三项", C, "第三百八十三条", 1, 3),
        ("第一款", C, "第三百八十三条", 1, None), ("第三项", C, "第三百八十三条", 1, 3)]


def test_criminal_law_excerpt_headings_resolved_and_absent_articles_warned(run_cli):
    r = run_cli(["refs"], input=split_fixture("criminal-law-excerpt.txt"))
    art = articles(r.records)["第一百一十三条"]
    assert [(x["target"].get("level"), x["target"].get("num"), x.get("warning")) for x in art["refs"]] == [
        ("chapter", 1, None), (None, 103, None), (None, 105, None),
        (None, 107, "the law has no 第一百零七条"), (None, 109, "the law has no 第一百零九条"), ("chapter", 1, None)]
    sec = articles(r.records)["第十二条"]["refs"][0]
    assert (sec["kind"], sec["target"]["level"], sec["target"]["num"], sec.get("warning")) == ("section", "section", 8, None)


def test_judicial_provision_cites_itself_and_the_civil_procedure_law():
    got = refs_of("arbitration-enforcement.txt")
    T = "最高人民法院关于人民法院办理仲裁裁决执行案件若干问题的规定"
    M = "民事诉讼法"
    assert got["第一条"] == []   # 依据仲裁法作出: a law named, no unit of it
    assert got["第二条"] == [("民事诉讼法第三十八条", M, "第三十八条", None, None)]
    assert got["第三条"] == [("前款", T, "第三条", 1, None)]
    assert got["第五条"] == [("本规定第三条", T, "第三条", None, None), ("第四条", T, "第四条", None, None)]
    assert got["第六条"] == [("《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第四百九十四条",
                            "最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释", "第四百九十四条", None, None)]
    assert got["第七条"] == [("民事诉讼法第一百条", M, "第一百条", None, None)]
    # 有民事诉讼法…第四、六项: 有 is no part of the law's name; 第四、六项 is 项 4 and 项 6
    four_six = [("民事诉讼法第二百三十七条第二款第四", M, "第二百三十七条", 2, 4), ("六项", M, "第二百三十七条", 2, 6)]
    assert got["第八条"] == four_six + [("本条前款", T, "第八条", 1, None)]
    assert got["第十条"] == four_six
    assert got["第十三条"] == [("民事诉讼法第二百三十七条第二款第二项", M, "第二百三十七条", 2, 2)]
    assert got["第二十三条"] == [("本规定第八条", T, "第八条", None, None), ("第九条", T, "第九条", None, None)]


def test_city_regulation_item_lists_and_laws_named():
    got = refs_of("park-regulation.txt")
    P = "洛阳市洛浦公园管理条例"
    assert got["第一条"] == []   # 根据国家有关法律、法规
    assert got["第三十六条"] == [(f"《{n}》", n, None, None, None) for n in (
        "中华人民共和国水污染防治法", "中华人民共和国大气污染防治法", "中华人民共和国固体废物污染环境防治法")]
    # （六）违反第三十条第一、七项规定的…；违反第二、三、四项规定的 — 项 of 第三十条 too
    assert got["第三十七条"] == [
        ("第十四条", P, "第十四条", None, None), ("第二十三条", P, "第二十三条", None, None),
        ("第二十六条", P, "第二十六条", None, None), ("第二十七条", P, "第二十七条", None, None),
        ("第二十八条", P, "第二十八条", None, None),
        ("《大型群众性活动安全管理条例》", "大型群众性活动安全管理条例", None, None, None),
        ("第三十条第一", P, "第三十条", None, 1), ("七项", P, "第三十条", None, 7),
        ("第二", P, "第三十条", None, 2), ("三", P, "第三十条", None, 3), ("四项", P, "第三十条", None, 4),
        ("第三十四条第一", P, "第三十四条", None, 1), ("五", P, "第三十四条", None, 5),
        ("六", P, "第三十四条", None, 6), ("七项", P, "第三十四条", None, 7),
        ("第二项", P, "第三十四条", None, 2)]
    assert got["第四十条"] == [(f"《{P}》", P, None, None, None)]   # the earlier version it repeals


def test_criminal_law_amendment_resolves_new_text_against_the_amended_article():
    got = refs_of("criminal-amendment.txt")
    S, C = "刑法", CRIMINAL   # 刑法 as printed; what names no law is the law the title amends
    assert got["一、"] == [("刑法第一百四十一条", S, "第一百四十一条", None, None),
                          ("前款", C, "第一百四十一条", 1, None)]   # the quotation's second 款
    # the quoted （一）…（四） are 项 of 款 1: 有前款行为 is in 款 2
    assert got["二、"] == [("刑法第一百四十二条", S, "第一百四十二条", None, None),
                          ("第一百四十二条之一", C, "第一百四十二条之一", None, None),
                          ("前款", C, "第一百四十二条之一", 1, None),
                          ("本法第一百四十一条", C, "第一百四十一条", None, None),
                          ("第一百四十二条", C, "第一百四十二条", None, None)]
    # in the new text of 款 3, 第一款 is the article's; its 项 are those of a 款 the instrument
    # does not print, so the 项 carry no 款
    assert got["三、"] == [("刑法第三百八十三条第三款", S, "第三百八十三条", 3, None),
                          ("第一款", C, "第三百八十三条", 1, None), ("第一项", C, "第三百八十三条", None, 1),
                          ("第二项", C, "第三百八十三条", None, 2), ("第三项", C, "第三百八十三条", None, 3)]
    # 增加一款作为第五款: the 款 added to the article the item names
    assert got["四、"] == [("刑法第三百八十三条", S, "第三百八十三条", None, None),
                          ("第五款", S, "第三百八十三条", 5, None),
                          ("第一款", C, "第三百八十三条", 1, None), ("第三项", C, "第三百八十三条", None, 3)]
    assert got["五、"] == [("刑法第六十三条第二款", S, "第六十三条", 2, None)]   # 删去 is no part of the name
    assert got["六、"] == []


def test_every_fixture_span_is_its_text():
    for name in ("criminal-law-excerpt.txt", "arbitration-enforcement.txt", "park-regulation.txt",
                 "criminal-amendment.txt"):
        for r in refs(split_fixture(name)):
            for x in r.get("refs") or ():
                assert r["text"][x["start"]:x["end"]] == x["text"]
