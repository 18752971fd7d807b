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
