"""clt split: documents, 题注, notices, headings, articles, 目录, warnings."""

import os

import pytest

from clt.labels import match_label
from clt.records import text_line_records
from clt.split import parse_caption, parse_notice, split
from clt.split.structure import peel_title, title_like

from conftest import FIXTURES

FIX = os.path.join(FIXTURES, "split")


def _fix(name):
    return os.path.join(FIX, name)


def _split_text(text, **kw):
    return list(split(text_line_records(text, "t.txt"), **kw))


def _of(recs, type_):
    return [r for r in recs if r["type"] == type_]


def _para(text, page=1, line=1, **extra):
    r = {"type": "para", "text": text, "source": "b.pdf", "page": page, "lines": [[page, line]]}
    r.update(extra)
    return r


# --------------------------------------------------------------------------- a whole bulletin

@pytest.fixture(scope="module")
def bulletin():
    with open(_fix("bulletin.txt"), encoding="utf-8") as fp:
        return _split_text(fp.read())


def test_bulletin_two_laws_with_their_notices(bulletin):
    docs = _of(bulletin, "document")
    assert [d["title"] for d in docs] == ["某市河道管理条例", "某市湖泊保护规定"]
    assert docs[0]["schema"] == 1
    notices = [b for b in _of(bulletin, "block") if b["kind"] == "notice"]
    assert len(notices) == 2
    # the text before the first law is kept whole, body and signature included
    assert notices[0]["text"].splitlines() == [
        "某市人民代表大会常务委员会公告", "第十四号",
        "《某市河道管理条例》已由某市第十三届人民代表大会常务委员会第三十次会议于2020年10月27日通过，"
        "现予公布，自2021年3月1日起施行。",
        "某市人民代表大会常务委员会", "2020年12月1日"]
    assert docs[0]["notice"] == {"kind": "公告", "issuer": "某市人民代表大会常务委员会",
                                 "title": "某市人民代表大会常务委员会公告", "number": "第十四号", "num": 14,
                                 "date": "2020-12-01"}
    assert docs[1]["notice"]["num"] == 15
    # the second notice is not glued to the last article of the first law
    first_law_last = [a for a in _of(bulletin, "article") if a["label"] == "第五条"][0]
    assert first_law_last["text"] == "本条例自2021年3月1日起施行。"


def test_bulletin_record_order(bulletin):
    types = [r["type"] for r in bulletin]
    assert types[0] == "source"
    assert types[1:4] == ["document", "block", "block"]  # document, notice, 目录
    assert types.count("document_end") == 2
    assert types[-1] == "document_end"


def test_caption_history(bulletin):
    doc = _of(bulletin, "document")[0]
    assert doc["caption"].startswith("（2020年10月27日")
    assert [(e["date"], e["act"], e["body"]) for e in doc["history"]] == [
        ("2020-10-27", "通过", "某市第十三届人民代表大会常务委员会第三十次会议"),
        ("2020-11-27", "批准", "某省第十三届人民代表大会常务委员会第二十五次会议")]


def test_toc_is_not_the_body(bulletin):
    toc = [b for b in _of(bulletin, "block") if b["kind"] == "toc"]
    assert len(toc) == 1
    assert toc[0]["entries"] == ["第一章总则", "第二章河道整治", "第一节规划", "第二节工程", "第三章附则"]
    heads = [(h["level"], h["label"], h["num"], h["title"]) for h in _of(bulletin, "heading")]
    assert heads == [("chapter", "第一章", 1, "总则"), ("chapter", "第二章", 2, "河道整治"),
                     ("section", "第一节", 1, "规划"), ("section", "第二节", 2, "工程"),
                     ("chapter", "第三章", 3, "附则")]


def test_articles_labels_paths_and_text(bulletin):
    arts = _of(bulletin, "article")
    assert [(a["label"], a["num"], a["sub"]) for a in arts] == [
        ("第一条", 1, None), ("第二条", 2, None), ("第三条", 3, None), ("第三条之一", 3, 1),
        ("第四条", 4, None), ("第五条", 5, None), ("第一条", 1, None), ("第二条", 2, None)]
    a2 = arts[1]
    assert a2["path"] == ["第一章 总则"]
    assert a2["text"] == "本市行政区域内河道的整治、利用和保护，适用本条例。\n河道管理应当遵循统一规划、综合治理的原则。"
    assert [p["text"] for p in a2["paragraphs"]] == a2["text"].split("\n")
    a3 = arts[2]
    assert a3["path"] == ["第二章 河道整治", "第一节 规划"]
    assert a3["text"] == ("河道整治规划应当包括下列内容：\n（一）整治目标；\n（二）工程措施，包括：\n"
                          "1.堤防工程；\n2.护岸工程；\n（三）其他事项。")
    (p,) = a3["paragraphs"]
    assert p["text"] == "河道整治规划应当包括下列内容："
    assert [(i["label"], i["num"], i["text"]) for i in p["items"]] == [
        ("（一）", 1, "整治目标；"), ("（二）", 2, "工程措施，包括："), ("（三）", 3, "其他事项。")]
    assert [(s["num"], s["text"]) for s in p["items"][1]["items"]] == [(1, "堤防工程；"), (2, "护岸工程；")]
    assert arts[6]["path"] == []  # the second law has its own (empty) heading trail


def test_cross_reference_at_paragraph_start_is_not_an_article(bulletin):
    a4 = [a for a in _of(bulletin, "article") if a["label"] == "第四条"][0]
    assert a4["text"] == "违反本条例第三条规定的，由市水行政主管部门责令改正。\n第三条规定的规划未经批准的，不得施工。"
    assert not _of(bulletin, "warning")


def test_effective_date_on_document_end(bulletin):
    ends = _of(bulletin, "document_end")
    assert ends[0]["effective"] == {"text": "2021年3月1日", "article": "第五条", "date": "2021-03-01"}
    assert ends[0]["articles"] == 6
    assert ends[1]["effective"]["text"] == "公布之日"


# --------------------------------------------------------------------------- CLI

def test_cli_plain_text_file(run_cli):
    r = run_cli(["split", _fix("bulletin.txt")])
    assert r.exit_code == 0, r.stderr
    assert [d["title"] for d in r.records if d["type"] == "document"] == ["某市河道管理条例", "某市湖泊保护规定"]


def test_cli_para_records_and_unknown_records_pass_through(run_cli):
    recs = [
        {"type": "source", "schema": 1, "path": "b.pdf", "format": "pdf"},
        _para("某市养犬管理规定", align="center"),
        {"type": "removed", "rule": "page-number", "text": "— 3 —", "source": "b.pdf", "page": 1, "line": 9},
        _para("第一章　总　则", line=2),
        _para("第一条　为了规范养犬行为，制定本规定。", line=3),
        _para("第二条　本规定自2021年1月1日起施行。", line=4),
        {"type": "x-custom", "value": 1},
    ]
    r = run_cli(["split"], input=recs)
    assert r.exit_code == 0, r.stderr
    types = [x["type"] for x in r.records]
    assert "removed" in types and "x-custom" in types and types[0] == "source"
    (doc,) = [x for x in r.records if x["type"] == "document"]
    assert doc["title"] == "某市养犬管理规定" and "caption" not in doc
    arts = [x for x in r.records if x["type"] == "article"]
    assert [(a["label"], a["path"], a["text"]) for a in arts] == [
        ("第一条", ["第一章 总则"], "为了规范养犬行为，制定本规定。"),
        ("第二条", ["第一章 总则"], "本规定自2021年1月1日起施行。")]
    assert arts[0]["page"] == 1 and arts[0]["lines"] == [[1, 3]]


def test_cli_level_item(run_cli):
    r = run_cli(["split", "--level", "item", _fix("bulletin.txt")])
    assert r.exit_code == 0
    paras = [x for x in r.records if x["type"] == "paragraph" and x["article"] == "第二条"]
    assert [(p["index"], p["text"]) for p in paras][:2] == [
        (1, "本市行政区域内河道的整治、利用和保护，适用本条例。"), (2, "河道管理应当遵循统一规划、综合治理的原则。")]
    items = [x for x in r.records if x["type"] == "item" and x["article"] == "第三条"]
    assert [i["label"] for i in items] == ["（一）", "（二）", "（三）"]
    assert items[1]["items"][0]["text"] == "堤防工程；"
    r2 = run_cli(["split", "--level", "paragraph", _fix("bulletin.txt")])
    assert not [x for x in r2.records if x["type"] == "item"]
    assert [x for x in r2.records if x["type"] == "paragraph"]


def test_cli_bad_level_is_a_usage_error(run_cli):
    r = run_cli(["split", "--level", "chapter", _fix("bulletin.txt")])
    assert r.exit_code == 2


# --------------------------------------------------------------------------- other layouts

def test_markdown_law():
    with open(_fix("law.md"), encoding="utf-8") as fp:
        recs = _split_text(fp.read())
    (doc,) = _of(recs, "document")
    assert doc["title"] == "某省物业管理条例"
    assert doc["history"][0]["date"] == "2017-08-25" and doc["history"][0]["act"] == "通过"
    heads = [(h["label"], h["title"], h["path"]) for h in _of(recs, "heading")]
    assert heads == [("第一章", "总则", []), ("第二章", "业主", []), ("第一节", "业主大会", ["第二章 业主"])]
    a2 = _of(recs, "article")[1]
    assert a2["path"] == ["第二章 业主", "第一节 业主大会"]
    assert a2["text"] == "业主大会由全体业主组成。\n业主大会履行下列职责：\n（一）制定管理规约；\n（二）选举业主委员会。"
    assert "<!--" not in "".join(r.get("text", "") for r in recs)


def test_markdown_blank_line_ends_a_paragraph_that_ends_in_a_comma():
    """Regression: a 款 cut mid-sentence upstream ("…合同，") was glued onto the next
    Markdown paragraph, so split → convert --to md → split was not a round trip."""
    recs = _split_text("# 某某条例\n\n## 第一章 总则\n\n第一条　甲乙丙，\n\n丁戊己。\n\n第二条　庚。\n")
    a1, a2 = _of(recs, "article")
    assert a1["text"] == "甲乙丙，\n丁戊己。"
    assert a2["text"] == "庚。"


def test_judicial_interpretation_numbered_with_enum():
    with open(_fix("interpretation.txt"), encoding="utf-8") as fp:
        recs = _split_text(fp.read())
    (doc,) = _of(recs, "document")
    assert doc["title"] == "最高人民法院关于审理某类案件适用法律若干问题的解释"  # over two lines
    arts = _of(recs, "article")
    assert [(a["label"], a["num"]) for a in arts] == [("一、", 1), ("二、", 2), ("三、", 3)]
    assert arts[1]["paragraphs"][0]["items"][1]["label"] == "（二）"
    (pre,) = [b for b in _of(recs, "block") if b["kind"] == "text"]
    assert pre["text"].startswith("为依法惩治有关犯罪")
    assert _of(recs, "document_end")[0]["effective"]["date"] == "2013-01-23"


def test_diff_scorer_plain_layout():
    """The layout `clt diff` is fed: title, bare 题注 lines, headings, `label　text`, 款 lines."""
    text = ("某市献血条例\n\n2018年12月27日 某市第十九届人民代表大会常务委员会第十七次会议通过\n"
            "2019年2月12日 某省第十三届人民代表大会常务委员会第十次会议批准\n\n\n第一章 总 则\n\n"
            "第一条　为了保证医疗临床用血需要和安全，制定本条例。\n第二条　本条例适用于本市。\n"
            "本条例所称献血，是指无偿献血。\n\n第二章 附 则\n\n第三条　本条例自2019年5月1日起施行。\n")
    recs = _split_text(text)
    (doc,) = _of(recs, "document")
    assert doc["title"] == "某市献血条例"
    assert [e["act"] for e in doc["history"]] == ["通过", "批准"]
    arts = _of(recs, "article")
    assert [(a["label"], a["text"]) for a in arts] == [
        ("第一条", "为了保证医疗临床用血需要和安全，制定本条例。"),
        ("第二条", "本条例适用于本市。\n本条例所称献血，是指无偿献血。"),
        ("第三条", "本条例自2019年5月1日起施行。")]
    assert arts[2]["path"] == ["第二章 附则"]


def test_arabic_and_fullwidth_article_numbers():
    recs = _split_text("某局行政处罚办法\n第1条 为了规范行政处罚，制定本办法。\n第２条 本办法自发布之日起施行。\n")
    assert [(a["label"], a["num"]) for a in _of(recs, "article")] == [("第1条", 1), ("第２条", 2)]
    assert _of(recs, "document")[0]["title"] == "某局行政处罚办法"


# --------------------------------------------------------------------------- line records from a PDF

def test_wrapped_pdf_lines_join_inside_articles_only():
    lines = ["中华人民共和国主席令", "第九号", "某省建设工程质量管理条例",
             "（1995年8月19日 某省第八届人民代表大会常务委员会第二",
             "十一次会议通过）",
             "第一条 为加强建设工程质量管理，明确建设工程质量责任，",
             "保护从事建设工程活动各方及使用者合法权益，根据国家有关法",
             "律、法规，结合本省实际，制定本条例。",
             "第二条", "", "本省行政区域内从事建设工程活动的单位和个人，必", "", "须遵守本条例。",
             "第三条 本条例自公布之日起施行。"]
    recs = _split_text("\n".join(lines) + "\n")
    (doc,) = _of(recs, "document")
    assert doc["title"] == "某省建设工程质量管理条例"
    assert doc["history"][0]["body"] == "某省第八届人民代表大会常务委员会第二十一次会议"
    assert doc["notice"]["kind"] == "主席令" and doc["notice"]["num"] == 9
    arts = _of(recs, "article")
    assert [a["text"] for a in arts] == [
        "为加强建设工程质量管理，明确建设工程质量责任，保护从事建设工程活动各方及使用者合法权益，"
        "根据国家有关法律、法规，结合本省实际，制定本条例。",
        "本省行政区域内从事建设工程活动的单位和个人，必须遵守本条例。",
        "本条例自公布之日起施行。"]


def test_title_and_caption_in_one_paragraph_are_separated():
    recs = list(split([_para("某某管理规定（1995年6月6日国务院批准）"), _para("第一条　为了管理，制定本规定。")]))
    (doc,) = _of(recs, "document")
    assert doc["title"] == "某某管理规定"
    assert doc["history"] == [{"date": "1995-06-06", "act": "批准", "body": "国务院", "text": "1995年6月6日国务院批准"}]


def test_title_with_book_title_marks_over_two_lines():
    recs = list(split([_para("最高人民法院关于适用《中华人民共和国公司法"), _para("》若干问题的规定（一）"),
                       _para("（2006年3月27日最高人民法院审判委员会第1382次会议通过）"),
                       _para("第一条　公司法实施后，人民法院适用本规定。")]))
    assert _of(recs, "document")[0]["title"] == "最高人民法院关于适用《中华人民共和国公司法》若干问题的规定（一）"


def test_running_header_is_not_a_title():
    recs = list(split([_para("某省人民代表大会常务委员会公报"), _para("某市城市大脑条例"),
                       _para("（2020年10月27日某市人民代表大会常务委员会通过）"), _para("第一条　为了促进，制定本条例。")]))
    assert _of(recs, "document")[0]["title"] == "某市城市大脑条例"


def test_second_law_without_caption_starts_at_restart_after_title():
    recs = list(split([_para("甲条例"), _para("第一条　甲。"), _para("第二条　本条例自公布之日起施行。"),
                       _para("乙办法", align="center"), _para("第一章　总则"), _para("第一条　乙。"),
                       _para("第二条　本办法自公布之日起施行。")]))
    assert [d["title"] for d in _of(recs, "document")] == ["甲条例", "乙办法"]
    assert _of(recs, "article")[1]["text"] == "本条例自公布之日起施行。"
    assert _of(recs, "article")[2]["path"] == ["第一章 总则"]


# --------------------------------------------------------------------------- warnings

def _warnings(paras):
    recs = list(split([_para("某条例")] + [_para(t, line=i + 2) for i, t in enumerate(paras)]))
    return [(w["code"], w.get("label")) for w in _of(recs, "warning")], recs


def test_warning_gap():
    w, recs = _warnings(["第一条　甲。", "第二条　乙。", "第五条　丙。", "第六条　本条例自公布之日起施行。"])
    assert w == [("gap", "第五条")]
    gap = _of(recs, "warning")[0]
    assert gap["stage"] == "split" and gap["page"] == 1 and gap["line"] == 4 and gap["after"] == "第二条"
    assert [a["label"] for a in _of(recs, "article")] == ["第一条", "第二条", "第五条", "第六条"]


def test_warning_duplicate_and_out_of_order():
    w, _ = _warnings(["第一条　甲。", "第二条　乙。", "第二条　乙。", "第三条　丙。", "第二条　丁。",
                      "第四条　本条例自公布之日起施行。"])
    assert ("duplicate", "第二条") in w and ("out-of-order", "第二条") in w


def test_warning_label_missing_di():
    w, recs = _warnings(["第一条　甲。", "第二条　乙。", "三条　丙。", "第四条　本条例自公布之日起施行。"])
    assert w == [("label-missing-di", "第三条")]
    assert [a["label"] for a in _of(recs, "article")] == ["第一条", "第二条", "第三条", "第四条"]
    assert _of(recs, "article")[2]["text"] == "丙。"


def test_warning_truncated_law():
    w, recs = _warnings(["第一条　甲。", "第二条　乙。", "第三条　市和区、县（市）公安机关在同级人"])
    assert w == [("truncated", "第三条")]
    assert "effective" not in _of(recs, "document_end")[0]


def test_no_warning_for_inserted_articles():
    w, _ = _warnings(["第一条　甲。", "第一条之一　甲一。", "第一条之二　甲二。", "第二条　本条例自公布之日起施行。"])
    assert w == []


def test_cross_reference_is_kept_in_the_article():
    w, recs = _warnings(["第一条　甲。", "第二条　违反本条例规定的，", "第十条规定的情形除外。",
                         "第三条　本条例自公布之日起施行。"])
    assert w == []
    assert _of(recs, "article")[1]["text"] == "违反本条例规定的，\n第十条规定的情形除外。"


# --------------------------------------------------------------------------- helpers

def test_parse_caption_multi_event_history():
    cap = ("（1995年8月19日 浙江省第八届人民代表大会常务委员会第二十一次会议通过　2001年12月28日 浙江省第九届"
           "人民代表大会常务委员会第三十次会议《关于修改〈浙江省建设工程质量管理条例〉的决定》第一次修正　"
           "2009年11月27日浙江省第十一届人民代表大会常务委员会第十四次会议修订）")
    ev = parse_caption(cap)
    assert [(e["date"], e["act"], e.get("ordinal")) for e in ev] == [
        ("1995-08-19", "通过", None), ("2001-12-28", "修正", 1), ("2009-11-27", "修订", None)]
    assert ev[1]["instrument"] == "《关于修改〈浙江省建设工程质量管理条例〉的决定》"
    assert ev[1]["body"] == "浙江省第九届人民代表大会常务委员会第三十次会议"


def test_parse_caption_promulgation_and_effect():
    ev = parse_caption("（2013年10月8日国务院第26次常务会议通过　2013年11月11日中华人民共和国国务院令第643号公布"
                       "　自2014年1月1日起施行）")
    assert [(e["date"], e["act"]) for e in ev] == [("2013-10-08", "通过"), ("2013-11-11", "公布"),
                                                   ("2014-01-01", "施行")]
    assert ev[1]["body"] == "中华人民共和国国务院令第643号"


def test_parse_caption_chinese_numeral_dates():
    (ev,) = parse_caption("（二〇二〇年十月二十七日某市人民代表大会常务委员会通过）")
    assert ev["date"] == "2020-10-27"


def test_parse_notice_forms():
    assert parse_notice(["国家市场监督管理总局令", "第43号"]) == {
        "kind": "令", "issuer": "国家市场监督管理总局", "title": "国家市场监督管理总局令", "number": "第43号", "num": 43}
    n = parse_notice(["中华人民共和国主席令（第九号）"])
    assert n["kind"] == "主席令" and n["num"] == 9


def test_title_like():
    assert title_like("杭州城市大脑赋能城市治理促进条例")
    for s in ("全国人民代表大会常务委员会公报 2023年第六号", "第九号", "中华人民共和国主席令", "2020年12月1日",
              "主席　习近平", "— 31 —", "第一条　为了", "制定本条例。"):
        assert not title_like(s), s


def test_peel_title_keeps_notice_apart():
    units = [{"text": t} for t in ("某报告一段。", "杭州市人民代表大会常务委员会公告", "第十五号", "杭州市某某规定")]
    rest, notice, title = peel_title(units)
    assert [u["text"] for u in rest] == ["某报告一段。"]
    assert [u["text"] for u in notice] == ["杭州市人民代表大会常务委员会公告", "第十五号"]
    assert [u["text"] for u in title] == ["杭州市某某规定"]


@pytest.mark.parametrize("label,num,sub", [
    ("第一千二百六十条", 1260, None), ("第一百零一条", 101, None), ("第十条", 10, None),
    ("第二百八十七条之一", 287, 1), ("第1条", 1, None), ("第１２条", 12, None), ("第一百〇一条", 101, None),
])
def test_article_label_numbers(label, num, sub):
    recs = list(split([_para("某法"), _para(f"{label}　正文。")]))
    (a,) = _of(recs, "article")
    assert (a["label"], a["num"], a["sub"]) == (label, num, sub)
    assert match_label(label).num == num


def test_bulletin_toc_and_law_toc_with_page_numbers():
    text = ("目　录\n甲市养犬条例……………………1\n乙市河道规定……………………9\n甲市养犬条例\n"
            "（2020年1月1日甲市人民代表大会常务委员会通过）\n目录\n第一章　总则　1\n第一节　一般规定　1\n"
            "第二章　附则　3\n第一章\n总　则\n第一节　一般规定\n第一条　为了管理，制定本条例。\n第二章　附则\n"
            "第二条　本条例自公布之日起施行。\n乙市河道规定\n（2020年1月1日乙市人民代表大会常务委员会通过）\n"
            "第一条　为了管理河道，制定本规定。\n第二条　本规定自公布之日起施行。\n")
    recs = _split_text(text)
    assert [d["title"] for d in _of(recs, "document")] == ["甲市养犬条例", "乙市河道规定"]
    tocs = [b for b in _of(recs, "block") if b["kind"] == "toc"]
    assert [t["entries"] for t in tocs] == [["甲市养犬条例", "乙市河道规定"], ["第一章总则", "第一节一般规定", "第二章附则"]]
    # 第一章 on its own line takes its title from the next one
    assert [(h["label"], h["title"]) for h in _of(recs, "heading")] == [
        ("第一章", "总则"), ("第一节", "一般规定"), ("第二章", "附则")]
    assert _of(recs, "article")[0]["path"] == ["第一章 总则", "第一节 一般规定"]
    assert len(_of(recs, "article")) == 4


def test_decision_numbered_with_enum_keeps_article_references_as_text():
    text = ("全国人民代表大会常务委员会关于修改《某某法》的决定\n（2021年4月29日第十三届全国人民代表大会常务委员会第二十八次会议通过）\n"
            "第十三届全国人民代表大会常务委员会第二十八次会议决定对《某某法》作如下修改：\n"
            "一、将第十条修改为：\n“第十条　国家保护某某。”\n二、删去第十二条。\n第十三条改为第十二条。\n三、本决定自公布之日起施行。\n")
    recs = _split_text(text)
    arts = _of(recs, "article")
    assert [a["label"] for a in arts] == ["一、", "二、", "三、"]
    assert arts[0]["text"] == "将第十条修改为：\n“第十条　国家保护某某。”"
    assert arts[1]["text"] == "删去第十二条。\n第十三条改为第十二条。"
    assert not _of(recs, "warning")


def test_title_with_revision_year_stays_whole():
    recs = list(split([_para("中华人民共和国某某法（2023年修订）"), _para("第一条　为了某某，制定本法。"),
                       _para("第二条　本法自2024年7月1日起施行。")]))
    (doc,) = _of(recs, "document")
    assert doc["title"] == "中华人民共和国某某法（2023年修订）" and "caption" not in doc


def test_enum_headings_over_arabic_articles():
    recs = _split_text("某局规范性文件管理办法\n一、总则\n第1条 为了规范管理，制定本办法。\n第2条 本办法适用于本局。\n"
                       "二、附则\n第3条 本办法自发布之日起施行。\n")
    assert _of(recs, "document")[0]["title"] == "某局规范性文件管理办法"
    assert [(h["label"], h["num"], h["title"]) for h in _of(recs, "heading")] == [("一、", 1, "总则"), ("二、", 2, "附则")]
    assert [(a["label"], a["path"]) for a in _of(recs, "article")] == [
        ("第1条", ["一、 总则"]), ("第2条", ["一、 总则"]), ("第3条", ["二、 附则"])]


def test_government_order_with_signature_and_issue_header():
    recs = list(split([_para(t) for t in (
        "某省人民政府公报", "2021年第3期", "某省人民政府令", "第280号",
        "《某省河湖长制规定》已经2021年1月5日省人民政府第70次常务会议审议通过，现予公布，自2021年3月1日起施行。",
        "代省长　王浩", "2021年1月20日", "某省河湖长制规定", "第一条　为了落实河湖长制，制定本规定。",
        "第二条　本规定自2021年3月1日起施行。")]))
    (doc,) = _of(recs, "document")
    assert doc["title"] == "某省河湖长制规定"
    assert doc["notice"] == {"kind": "令", "issuer": "某省人民政府", "title": "某省人民政府令", "number": "第280号",
                             "num": 280, "date": "2021-01-20"}
    blocks = _of(recs, "block")
    assert [b["kind"] for b in blocks] == ["text", "notice"]
    assert blocks[0]["text"] == "某省人民政府公报\n2021年第3期"   # kept, not lost
    assert blocks[1]["text"].endswith("代省长　王浩\n2021年1月20日")


def test_law_after_a_decision_numbered_with_enum():
    recs = _split_text("某市人大常委会关于修改某条例的决定\n一、将第三条修改为：“……”\n二、本决定自公布之日起施行。\n"
                       "某市养犬条例\n第一条　为了规范养犬，制定本条例。\n第二条　本条例自公布之日起施行。\n")
    assert [d["title"] for d in _of(recs, "document")] == ["某市人大常委会关于修改某条例的决定", "某市养犬条例"]
    assert [a["label"] for a in _of(recs, "article")] == ["一、", "二、", "第一条", "第二条"]
    assert _of(recs, "article")[1]["text"] == "本决定自公布之日起施行。"


def test_effective_date_from_the_caption_and_no_truncation_warning():
    recs = list(split([_para("最高人民法院关于某某问题的解释"),
                       _para("（2013年1月14日最高人民法院审判委员会第1567次会议通过　2013年1月16日最高人民法院公告公布"
                             "　自2013年1月23日起施行）"),
                       _para("第一条　甲。"), _para("第二条　乙。")]))
    assert not _of(recs, "warning")
    assert _of(recs, "document_end")[0]["effective"] == {"text": "2013年1月23日起施行", "date": "2013-01-23",
                                                         "from": "caption"}


def test_truncated_inside_an_article_even_with_an_earlier_effective_clause():
    w, _ = _warnings(["第一条　本条例自2021年1月1日起施行。", "第二条　市和区、县（市）公安机关在同级人"])
    assert w == [("truncated", "第二条")]


def test_law_ending_with_a_list_is_not_truncated():
    w, _ = _warnings(["第一条　本条例自2021年1月1日起施行。", "第二条　下列决定予以废止：", "1．关于某某的决定"])
    assert w == []


def test_preamble_and_annex():
    recs = list(split([_para(t) for t in (
        "某某宪章", "序　言", "甲乙丙丁，历史悠久。", "为此，制定本宪章。", "第一章　总纲", "第一条　本宪章适用于全体。",
        "第二条　本宪章自公布之日起施行。", "附件", "某某名录", "一、某某甲")]))
    blocks = {b["kind"]: b for b in _of(recs, "block")}
    assert blocks["preamble"]["text"] == "序　言\n甲乙丙丁，历史悠久。\n为此，制定本宪章。"
    assert blocks["annex"]["text"] == "某某名录\n一、某某甲"
    assert [(h["level"], h["label"]) for h in _of(recs, "heading")] == [("chapter", "第一章"), ("annex", "附件")]
    assert _of(recs, "article")[1]["text"] == "本宪章自公布之日起施行。"   # the annex is not glued to it


def test_split_streams_articles_before_the_input_ends():
    import itertools

    def paras():
        yield _para("某条例")
        for n in itertools.count(1):
            yield _para(f"{article_label(n)}　第{n}条的正文。")

    from clt.labels import article_label
    first = list(itertools.islice((r for r in split(paras()) if r["type"] == "article"), 3))
    assert [a["num"] for a in first] == [1, 2, 3]


@pytest.mark.parametrize("label,num", [("第两百条", 200), ("第一〇一条", 101), ("第一千零一条", 1001)])
def test_article_label_numeral_forms(label, num):
    recs = list(split([_para("某法"), _para(f"{label}　正文。")]))
    assert _of(recs, "article")[0]["num"] == num


def test_wrapped_heading_and_toc_entry_and_colon_after_label():
    recs = _split_text("甲法\n目录\n第一章　总则\n第二章　非物质文化遗产代表性项\n目名录\n第一章　总则\n"
                       "第一条：为了管理，制定本法。\n第二章　非物质文化遗产代表性项\n目名录\n第二条　本法自公布之日起施行。\n")
    (toc,) = [b for b in _of(recs, "block") if b["kind"] == "toc"]
    assert toc["entries"] == ["第一章总则", "第二章非物质文化遗产代表性项目名录"]
    assert [h["title"] for h in _of(recs, "heading")] == ["总则", "非物质文化遗产代表性项目名录"]
    assert [a["text"] for a in _of(recs, "article")] == ["为了管理，制定本法。", "本法自公布之日起施行。"]


@pytest.mark.parametrize("lines,title", [
    (["最高人民法", "院关于审理某类纠纷案件适用法律若干问题的规定"], "最高人民法院关于审理某类纠纷案件适用法律若干问题的规定"),
    (["道路交通安全违法", "行为记分管理办法"], "道路交通安全违法行为记分管理办法"),
    (["某某适用法", "律若干问题的规定"], "某某适用法律若干问题的规定"),
    (["司法解释", "最高人民法院关于某某的规定"], "最高人民法院关于某某的规定"),  # a bulletin's column heading
])
def test_title_over_two_lines_regression(lines, title):
    recs = list(split([_para(t) for t in lines] + [_para("（2020年1月1日某某会议通过）"), _para("第一条　甲。")]))
    assert _of(recs, "document")[0]["title"] == title


def test_long_unnumbered_text_comes_out_in_parts_and_whole():
    items = [f"名录第{i}项" for i in range(450)]
    recs = list(split([_para("某条例"), _para("第一条　本条例自公布之日起施行。"), _para("附件")] + [_para(t) for t in items]))
    parts = [b for b in _of(recs, "block") if b["kind"] == "annex"]
    assert len(parts) > 1 and max(len(b["text"].split("\n")) for b in parts) <= 200
    assert "\n".join(b["text"] for b in parts).split("\n") == items


def test_ocr_misread_label_is_read_by_the_numbering():
    w, recs = _warnings(["第十七条　甲。", "第十入条　乙。", "第十九条　本条例自公布之日起施行。"])
    assert w == [("gap", "第十七条"), ("label-misread", "第十八条")]  # (an excerpt: it starts at 17)
    assert [(a["label"], a["num"], a["text"]) for a in _of(recs, "article")] == [
        ("第十七条", 17, "甲。"), ("第十八条", 18, "乙。"), ("第十九条", 19, "本条例自公布之日起施行。")]
    # the warning comes after the article before it, where it applies
    types = [r["type"] for r in recs]
    assert types[types.index("article") + 1] == "warning"


def test_markdown_with_notices_before_each_law():
    md = ("某市人民代表大会常务委员会公告\n\n第十四号\n\n# 甲条例\n\n（2020年10月27日某市人民代表大会常务委员会通过）\n\n"
          "## 第一章 总则\n\n第一条　甲。\n\n第二条　本条例自公布之日起施行。\n\n某市人民代表大会常务委员会公告\n\n第十五号\n\n"
          "# 乙规定\n\n第一条　乙。\n")
    recs = _split_text(md)
    assert [d["title"] for d in _of(recs, "document")] == ["甲条例", "乙规定"]
    assert [d["notice"]["num"] for d in _of(recs, "document")] == [14, 15]
    assert [b["kind"] for b in _of(recs, "block")] == ["notice", "notice"]
    assert _of(recs, "article")[1]["text"] == "本条例自公布之日起施行。"


def test_restart_without_title_needs_a_purpose_clause():
    # 第一条 that opens with a purpose clause after 第九条: a new law whose title we did not see
    w, recs = _warnings(["第八条　甲。", "第九条　本条例自公布之日起施行。", "第一条　为了规范某某，制定本办法。",
                         "第二条　本办法自公布之日起施行。"])
    assert len(_of(recs, "document")) == 2 and ("restart", None) in w
    # a misread label (第十一条 read as 第一条) inside a law is not a new law
    w, recs = _warnings(["第九条　甲。", "第十条　乙。", "第一条　丙。", "第十二条　本条例自公布之日起施行。"])
    assert len(_of(recs, "document")) == 1 and ("out-of-order", "第一条") in w


def test_sections_restarting_after_a_lost_chapter_heading_stay_in_the_law():
    w, recs = _warnings(["第一章　总则", "第一节　甲", "第一条　甲。", "第二节　乙", "第二条　乙。", "第一节　丙",
                         "第三条　本条例自公布之日起施行。"])
    assert len(_of(recs, "document")) == 1
    assert ("out-of-order", "第一节") in w


@pytest.mark.parametrize("lines", [
    ["最高人民法院关于适用《某某法》若干问题的规", "定（一）"],
    ["最高人民法院关于适用《某某法》若干问题的规定", "（一）"],
])
def test_second_law_whose_title_ends_with_a_series_number(lines):
    recs = list(split([_para("甲条例"), _para("第一条　甲。"), _para("第二条　本条例自公布之日起施行。")]
                      + [_para(t) for t in lines]
                      + [_para("（2006年3月27日最高人民法院审判委员会第1382次会议通过）"), _para("第一条　乙。")]))
    assert [d["title"] for d in _of(recs, "document")] == ["甲条例", "最高人民法院关于适用《某某法》若干问题的规定（一）"]
    assert _of(recs, "article")[1]["text"] == "本条例自公布之日起施行。"


def test_items_and_parenthesised_arabic_subitems():
    recs = list(split([_para("某办法"), _para("第一条　申请应当提交下列材料："), _para("（一）申请书；"),
                       _para("（二）证明文件，包括："), _para("（1）身份证明；"), _para("（2）资格证明。"),
                       _para("材料不全的，应当一次告知。")]))
    (a,) = _of(recs, "article")
    p1, p2 = a["paragraphs"]
    assert [i["label"] for i in p1["items"]] == ["（一）", "（二）"]
    assert [(s["label"], s["num"], s["text"]) for s in p1["items"][1]["items"]] == [
        ("（1）", 1, "身份证明；"), ("（2）", 2, "资格证明。")]
    assert p2 == {"text": "材料不全的，应当一次告知。", "items": []}
    assert a["text"].split("\n")[-3:] == ["（1）身份证明；", "（2）资格证明。", "材料不全的，应当一次告知。"]


# --------------------------------------------------------------------------- nothing lost

_POOL = ["第一条　为了管理，制定本条例。", "第二条", "（一）甲；", "1.乙；", "（1）丙", "第一章　总则", "第一章", "总则", "目录", "序言",
         "附则", "附件", "某某条例", "中华人民共和国主席令", "第九号", "（2020年1月1日某会议通过）", "（2020年1月1日某会议",
         "通过）", "2020年1月1日 某会议通过", "一、总则", "一、甲。", "第十条规定的", "第一千二百六十条之一　丁。", "第1条 戊",
         "本条例自2020年1月1日起施行。", "主席　某某", "《", "》若干问题的规定（一）", "第二编　分则", "第一分编",
         "第一节　一般规定", "第二十条　己。", "（一）", "某市河道管理规定", "全国人民代表大会常务委员会公报"]


def _chars(s):
    from collections import Counter

    return Counter(c for c in s if not c.isspace())


def test_every_character_of_the_input_comes_out_once():
    from collections import Counter

    from hypothesis import given, settings, strategies as st

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.sampled_from(_POOL), min_size=1, max_size=25))
    def check(lines):
        got = Counter()
        for r in split([_para(t) for t in lines]):
            if r["type"] == "document":
                got += _chars(r["title"]) + _chars(r.get("caption", ""))
            elif r["type"] == "block":
                got += _chars(r["text"])
            elif r["type"] == "heading":
                got += _chars(r["label"]) + (_chars(r["title"]) if r["title"] != r["label"] else Counter())
            elif r["type"] == "article":
                got += _chars(r["label"]) + _chars(r["text"])
        assert got == _chars("".join(lines))

    check()


def test_item_numbering_warning():
    w, recs = _warnings(["第一条　下列行为予以禁止：", "（一）甲；", "（二）乙；", "（四）丁。", "第二条　本条例自公布之日起施行。"])
    assert w == [("item-gap", "第一条")]
    assert _of(recs, "warning")[0]["item"] == "（四）"


# --------------------------------------------------------------------------- 题注 without parentheses, unclosed

BARE_BODY = ["第一章　总则", "第一条　为了促进城市绿化事业的发展，改善生态环境，制定本条例。",
             "第二条　本条例自2001年7月1日起施行。"]


@pytest.mark.parametrize("caption", [
    ["2001年2月23日郑州市第十一届人民代表大会常务委员会第十八次会议通过",
     "2001年5月31日河南省第九届人民代表大会常务委员会第二十二次会议批准"],
    # one event wrapped over two lines: neither line alone reads as an event
    ["2001年2月23日郑州市第十一届人民代表大会常务委员会第十八次会", "议通过",
     "2001年5月31日河南省第九届人民代表大会常务委员会第二十二", "次会议批准"],
])
def test_bare_caption_lines_are_the_caption_not_the_title(caption):
    """Regression: a 题注 printed without parentheses ran into the title (title accuracy 0.83)."""
    recs = list(split([_para(t, line=i) for i, t in enumerate(["郑州市城市绿化条例"] + caption + BARE_BODY, 1)]))
    doc = _of(recs, "document")[0]
    assert doc["title"] == "郑州市城市绿化条例"
    assert doc["caption"].replace("\n", "") == "".join(caption)
    assert [e["act"] for e in doc["history"]] == ["通过", "批准"]
    assert [a["label"] for a in _of(recs, "article")] == ["第一条", "第二条"]


def test_bare_caption_after_a_two_line_title():
    recs = list(split([_para(t) for t in ["示例市人民代表大会常务委员会关于", "修改《示例市养犬管理条例》的决定",
                                          "2022年4月28日示例市第十五届人民代表大会常务委员会第三次会议通过"]
                       + BARE_BODY]))
    doc = _of(recs, "document")[0]
    assert doc["title"] == "示例市人民代表大会常务委员会关于修改《示例市养犬管理条例》的决定"
    assert doc["history"][0]["date"] == "2022-04-28"


def test_unclosed_caption_ends_at_the_first_heading_with_a_warning():
    """Regression: OCR dropped the ） of the 题注 (…2015年5月1日施) and the caption swallowed the whole law."""
    recs = list(split([_para(t) for t in [
        "示例省数据条例", "（2014年12月26日示例省第十二届人民代表大会常务委员会第十四次会议通过　2015年5月1日施"]
        + BARE_BODY]))
    doc = _of(recs, "document")[0]
    assert doc["title"] == "示例省数据条例" and doc["caption"].endswith("2015年5月1日施")
    w = [r for r in _of(recs, "warning") if r["code"] == "caption-unclosed"]
    assert len(w) == 1 and "第一章" in w[0]["message"]
    assert [a["label"] for a in _of(recs, "article")] == ["第一条", "第二条"]
    assert _of(recs, "heading")[0]["title"] == "总则"


def test_bare_caption_of_the_second_law_in_a_bulletin():
    """Regression: after the first law's last article, the next title and its bare 题注 ran
    together into one false title."""
    texts = (["郑州市城市绿化条例", "2001年2月23日郑州市第十一届人民代表大会常务委员会第十八次会议通过",
              "第一条　为了促进城市绿化事业的发展，制定本条例。", "第二条　本条例自2001年7月1日起施行。",
              "郑州市市容管理条例", "2002年3月23日郑州市第十一届人民代表大会常务委员会第二十八次会",
              "议通过", "2002年5月31日河南省第九届人民代表大会常务委员会第二十九次会议批准",
              "第一条　为了加强市容管理，制定本条例。", "第二条　本条例自2002年7月1日起施行。"])
    recs = list(split([_para(t, line=i) for i, t in enumerate(texts, 1)]))
    docs = _of(recs, "document")
    assert [d["title"] for d in docs] == ["郑州市城市绿化条例", "郑州市市容管理条例"]
    assert [e["act"] for e in docs[1]["history"]] == ["通过", "批准"]
    arts = _of(recs, "article")
    assert [a["text"] for a in arts][1] == "本条例自2001年7月1日起施行。"
    assert not _of(recs, "warning")


def test_annex_named_on_its_line_is_not_the_last_article():
    # 附件1：收费项目表 after the last article heads the annex (its name on the same line); the
    # annex is not run into 第三条, and 附件所列 inside an article stays the article's text
    with open(_fix("annex-named-on-its-line.txt"), encoding="utf-8") as f:
        recs = _split_text(f.read())
    arts = _of(recs, "article")
    assert [a["text"] for a in arts] == ["为了规范政府非税收入管理，制定本条例。", "执收单位应当按照附件所列项目和标准收取。",
                                         "本条例自2020年3月1日起施行。"]
    annexes = [(h["label"], h["title"]) for h in _of(recs, "heading") if h["level"] == "annex"]
    assert annexes == [("附件1", "收费项目表"), ("附件二", "收费标准说明")]
    blocks = [b["text"] for b in _of(recs, "block") if b["kind"] == "annex"]
    assert blocks == ["序号\t项目\t标准\n1\t登记费\t10元", "登记费按件收取。"]


def test_traditional_script_toc_and_plain_heading():
    # 目錄 and 附則 as a Big5 / traditional-script text prints them: a 目录 block and a heading,
    # never the title's second line (the title came out 某某管理條例目錄)
    with open(_fix("traditional-toc-and-plain-heading.txt"), encoding="utf-8") as f:
        recs = _split_text(f.read())
    assert [d["title"] for d in _of(recs, "document")] == ["某某管理條例"]
    (toc,) = [b for b in _of(recs, "block") if b["kind"] == "toc"]
    assert toc["entries"] == ["總則", "附則"]
    assert [h["label"] for h in _of(recs, "heading")] == ["總則", "附則"]
    assert [a["text"] for a in _of(recs, "article")] == ["為了規範管理，制定本條例。", "主管部門應當依法管理。", "本條例自公布之日起施行。"]
