"""clt.citations: citations found in text as printed, and parsed from a query."""

import pytest

from clt.citations import article_spans, find, parse


def one(text, **kw):
    refs = find(text, **kw)
    assert len(refs) == 1, [r.text for r in refs]
    return refs[0]


def test_self_law_article():
    r = one("依照本法第二十条的规定")
    assert (r.start, r.end, r.text) == (2, 8, "本法第二十条")
    assert r.levels == {"article": 20} and r.law == "self" and r.internal and r.kind == "article"


def test_article_paragraph_item():
    r = one("违反第三十条第二款第（三）项规定的")
    assert r.text == "第三十条第二款第（三）项"
    assert r.levels == {"article": 30, "para": 2, "item": 3} and r.kind == "item" and r.law is None


def test_chain_takes_outer_levels_from_the_element_before():
    refs = find("第二十条第一款、第二款和第二十一条")
    assert [r.text for r in refs] == ["第二十条第一款", "第二款", "第二十一条"]
    assert [r.levels for r in refs] == [{"article": 20, "para": 1}, {"article": 20, "para": 2}, {"article": 21}]
    assert [r.sep for r in refs] == [None, "、", "和"]


def test_chain_with_or_and_articles():
    refs = find("第三十一条第二款或者第三十二条")
    assert [(r.text, r.kind) for r in refs] == [("第三十一条第二款", "para"), ("第三十二条", "article")]


def test_range():
    r = one("第十条至第十五条规定的")
    assert r.kind == "range" and r.levels == {"article": 10} and r.to == {"article": 15}
    assert r.text == "第十条至第十五条"
    r = one("有第（一）项至第（三）项情形之一")
    assert r.levels == {"item": 1} and r.to == {"item": 3}


def test_relative_units():
    assert one("前款规定").levels == {"para": ("prev", 1)}
    assert one("前两款").levels == {"para": ("prev", 2)}
    assert one("本条第二款").levels == {"article": "this", "para": 2}
    assert one("前条").levels == {"article": ("prev", 1)}
    assert one("本章").levels == {"chapter": "this"}
    refs = find("前款第（一）项、第（二）项")
    assert [r.levels for r in refs] == [{"para": ("prev", 1), "item": 1}, {"para": ("prev", 1), "item": 2}]


def test_words_that_only_look_like_units():
    for text in ("目前条件", "第一次会议", "本条例施行", "本项目", "款项", "提前款项", "依照有关法律、行政法规的规定",
                 "取得《营业执照》"):
        assert find(text) == [], text


def test_other_laws():
    r = one("依照《中华人民共和国刑法》第二百六十六条的规定")
    assert r.law == "中华人民共和国刑法" and r.law_form == "title" and not r.internal
    assert r.text == "《中华人民共和国刑法》第二百六十六条"
    r = one("依照刑法第一百三十三条之一第一款")
    assert (r.law, r.law_form, r.sub, r.text) == ("刑法", "short", 1, "刑法第一百三十三条之一第一款")
    assert one("违反治安管理处罚法第二十条").law == "治安管理处罚法"
    assert one("该法第十条").law_form == "anaphora"
    r = one("依照《中华人民共和国行政处罚法》的规定")
    assert r.kind == "law" and r.levels == {}


def test_own_title_is_this_law():
    r = one("《中华人民共和国仲裁法》第十条", title="中华人民共和国仲裁法")
    assert r.law == "self" and r.internal


def test_no_short_name_from_words_ending_in_fa():
    assert one("依法第二条").law is None


def test_article_spans_only_this_law():
    text = "依照本法第二十条、第二十一条和《刑法》第五条，刑法第六条至第八条，第九条至第十一条"
    spans = list(article_spans(text))
    assert [(text[s:e], n) for s, e, n, _ in spans] == [
        ("第二十条", 20), ("第二十一条", 21), ("第九条", 9), ("第十一条", 11)]


@pytest.mark.parametrize("query,levels,sub,to", [
    ("第十条", {"article": 10}, None, None),
    ("10", {"article": 10}, None, None),
    ("10.2.3", {"article": 10, "para": 2, "item": 3}, None, None),
    ("287之1", {"article": 287}, 1, None),
    ("第十条之一第二款", {"article": 10, "para": 2}, 1, None),
    ("10-12", {"article": 10}, None, {"article": 12}),
    ("第十条至第十二条", {"article": 10}, None, {"article": 12}),
])
def test_parse(query, levels, sub, to):
    r = parse(query)
    assert (r.levels, r.sub, r.to) == (levels, sub, to)


def test_parse_rejects_other_text():
    assert parse("总则") is None and parse("") is None and parse("第十条的规定") is None


def test_numbers_listed_under_one_unit():
    """第一、七项 is 项 1 and 项 7: the first element ends at its number, the others are bare numbers."""
    refs = find("违反第三十条第一、五、七项规定的")
    assert [(r.text, r.levels) for r in refs] == [("第三十条第一", {"article": 30, "item": 1}),
                                                  ("五", {"article": 30, "item": 5}),
                                                  ("七项", {"article": 30, "item": 7})]
    assert [r.text for r in find("第二款第四、六项")] == ["第二款第四", "六项"]
    assert find("一、二项措施") == []   # a bare number only follows 第N、
    assert find("第三、四条") == []     # articles are never listed so: no span to renumber wrongly


def test_words_before_a_short_name_that_are_no_part_of_it():
    assert one("有民事诉讼法第二百三十七条第二款规定情形").law == "民事诉讼法"
    assert one("证明裁决有民事诉讼法第二百一十三条").text == "民事诉讼法第二百一十三条"
    assert one("删去刑法第六十三条第二款。").law == "刑法"
    assert one("企业国有资产法第十条").law == "企业国有资产法"   # 国有 is in the name


def test_relative_units_after_this_article_and_after_shi_and_yi():
    assert one("本条前款规定期限届满前").levels == {"article": "this", "para": ("prev", 1)}
    assert one("从事前款有关业务").levels == {"para": ("prev", 1)}
    assert one("使用以前项手段获取的").levels == {"item": ("prev", 1)}
    assert find("以前条件") == [] and find("事前告知") == []


def test_an_item_label_opening_a_line_is_no_citation():
    assert find("材料：\n（一）项目介绍") == []
    assert one("第一款（三）项").levels == {"para": 1, "item": 3}


def test_this_law_general_part():
    assert one("依照本法总则第四章第八节的规定").text == "本法总则第四章第八节"


def test_items_listed_in_parentheses_under_one_unit():
    refs = find("违反第十条第一款第（一）、（二）、（三）项规定的")
    assert [(r.text, r.levels) for r in refs] == [
        ("第十条第一款第（一）", {"article": 10, "para": 1, "item": 1}),
        ("（二）", {"article": 10, "para": 1, "item": 2}),
        ("（三）项", {"article": 10, "para": 1, "item": 3})]
