"""Structural labels (clt.labels): the forms Chinese legislation prints."""

import pytest

from clt.labels import article_label, heading_label, match_label


@pytest.mark.parametrize("text,kind,num,sub,label,rest", [
    ("第十二条　为了", "article", 12, None, "第十二条", "为了"),
    ("第 十二 条 为", "article", 12, None, "第十二条", "为"),
    ("第二百八十七条之一　在", "article", 287, 1, "第二百八十七条之一", "在"),
    ("第1条 本办法", "article", 1, None, "第1条", "本办法"),
    ("第一章　总则", "chapter", 1, None, "第一章", "总则"),
    ("第二分编 合同", "subpart", 2, None, "第二分编", "合同"),
    ("第三节 监督", "section", 3, None, "第三节", "监督"),
    ("（一）研究制定", "item", 1, None, "（一）", "研究制定"),
    ("一、总则", "enum", 1, None, "一、", "总则"),
])
def test_simplified_labels(text, kind, num, sub, label, rest):
    m = match_label(text)
    assert (m.kind, m.num, m.sub, m.label, m.rest) == (kind, num, sub, label, rest)


@pytest.mark.parametrize("text,kind,num,sub,label", [
    ("第一條　為了測試", "article", 1, None, "第一條"),
    ("第二條之一　本條例", "article", 2, 1, "第二條之一"),
    ("第一百零一條　兩萬元", "article", 101, None, "第一百零一條"),
    ("第二編 物權", "part", 2, None, "第二編"),
    ("第一分編 通則", "subpart", 1, None, "第一分編"),
    ("第三節 監督", "section", 3, None, "第三節"),
])
def test_traditional_script_labels_keep_their_printed_form(text, kind, num, sub, label):
    """Regression: Taiwan/Hong Kong laws and Big5 text (條, 節, 編) gave no articles at all."""
    m = match_label(text)
    assert (m.kind, m.num, m.sub, m.label) == (kind, num, sub, label)


def test_not_labels():
    assert match_label("十二条 缺第") is None
    assert match_label("总则") is None


def test_canonical_labels():
    assert article_label(287, 1) == "第二百八十七条之一"
    assert heading_label("chapter", 3) == "第三章"
    assert heading_label("section", 10) == "第十节"


def test_traditional_law_splits_into_articles(run_cli):
    r = run_cli(["split"], input="臺北市測試自治條例\n第一章　總則\n第一條　為了測試，制定本條例。\n第二條　本條例自公布日施行。\n")
    arts = [(a["label"], a["num"], a["path"]) for a in r.records if a["type"] == "article"]
    assert arts == [("第一條", 1, ["第一章 總則"]), ("第二條", 2, ["第一章 總則"])]
