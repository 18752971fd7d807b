"""convert --to html: resolved references inside a law are links to the article
(or 款, 项, heading) they cite; references to other laws are marked, not linked.

The expected targets come from reading tests/fixtures/refs/law.txt.
"""

import os

import pytest

from clt.convert import convert
from clt.records import read_records
from clt.refs import refs
from clt.split import split
from conftest import FIXTURES

lhtml = pytest.importorskip("lxml.html")

LAW_TXT = os.path.join(FIXTURES, "refs", "law.txt")


def page_of(records):
    page = "".join(convert(records, "html"))
    return page, lhtml.document_fromstring(page)


def links(doc, article_id):
    return [(a.text_content(), a.get("href")) for a in doc.get_element_by_id(article_id).xpath(".//a[@class='ref']")]


def test_internal_references_link_to_their_targets():
    page, doc = page_of(split(read_records(LAW_TXT)))
    assert links(doc, "art-2") == [("本法第五条", "#art-5"), ("第六条", "#art-6"), ("第八条", "#art-8")]
    assert links(doc, "art-3") == [("前款第（一）项", "#art-3-p1-i1"), ("第（二）项", "#art-3-p1-i2"),
                                   ("前两款", "#art-3-p1"), ("第（三）项", "#art-3-p1-i3")]
    assert links(doc, "art-4") == [("本法第三条第一款第（二）项", "#art-3-p1-i2"), ("本条第二款", "#art-4-p2")]
    assert links(doc, "art-5") == [("本节", "#chp-2-sec-1"), ("本章", "#chp-2"), ("前条", "#art-4")]
    assert links(doc, "art-6") == [("本法第四条至第五条", "#art-4")]
    assert '<a class="ref" href="#art-5">本法第五条</a>' in page
    # a target the law does not hold (第三十一条, 第九十条) is not a link
    assert links(doc, "art-8") == [("第一章", "#chp-1")]
    # every link lands on an element of the page
    ids = {e.get("id") for e in doc.xpath("//*[@id]")}
    assert all(a.get("href")[1:] in ids for a in doc.xpath("//a[@class='ref']"))


def test_other_laws_are_marked_not_linked():
    _, doc = page_of(split(read_records(LAW_TXT)))
    spans = [(s.text_content(), s.get("title")) for s in doc.xpath("//span[@class='ref external']")]
    assert spans == [("《中华人民共和国行政处罚法》第五十七条", "中华人民共和国行政处罚法 第五十七条"),
                     ("刑法第二百八十六条之一", "刑法 第二百八十六条之一"), ("该法第二百八十七条", "刑法 第二百八十七条")]


def test_links_change_no_character_of_the_text():
    recs = list(split(read_records(LAW_TXT)))
    _, doc = page_of(recs)
    for rec in recs:
        if rec["type"] != "article":
            continue
        sec = doc.get_element_by_id(f"art-{rec['num']}")
        lines = [e.text_content() for e in sec.xpath("./p | .//li")]
        lines[0] = lines[0].split("\u3000", 1)[1]  # the label
        assert lines == rec["text"].split("\n")


def test_refs_already_on_the_records_are_used_and_later_laws_prefix_their_links():
    recs = list(refs(split(read_records(LAW_TXT))))
    # the second copy: ids and links prefixed law2-
    second = [dict(r, title="中华人民共和国示例二法") if r["type"] in ("document", "document_end") else r for r in recs]
    _, doc = page_of(recs + second)
    assert links(doc, "law2-art-2")[0] == ("本法第五条", "#law2-art-5")
    assert links(doc, "art-2")[0] == ("本法第五条", "#art-5")


def test_chapter_named_in_a_law_with_parts_links_to_the_one_above():
    """第一章 exists under each 编: 本章 is the one the article is in."""
    recs = [{"type": "document", "title": "示例法典"},
            {"type": "heading", "level": "part", "label": "第一编", "num": 1, "title": "总则"},
            {"type": "heading", "level": "chapter", "label": "第一章", "num": 1, "title": "一般规定",
             "path": ["第一编 总则"]},
            {"type": "article", "label": "第一条", "num": 1, "text": "为了示例，制定本法。",
             "path": ["第一编 总则", "第一章 一般规定"]},
            {"type": "heading", "level": "part", "label": "第二编", "num": 2, "title": "分则"},
            {"type": "heading", "level": "chapter", "label": "第一章", "num": 1, "title": "通则",
             "path": ["第二编 分则"]},
            {"type": "article", "label": "第二条", "num": 2, "text": "本章未作规定的，适用第一条的规定。",
             "path": ["第二编 分则", "第一章 通则"]},
            {"type": "document_end", "title": "示例法典", "articles": 2}]
    _, doc = page_of(recs)
    assert links(doc, "art-2") == [("本章", "#part-2-chp-1"), ("第一条", "#art-1")]


# --------------------------------------------------------------------------- diff --format html

DIFF_OLD = os.path.join(FIXTURES, "refs", "diff-old.txt")
DIFF_NEW = os.path.join(FIXTURES, "refs", "diff-new.txt")


def diff_links(doc, anchor_id):
    p = doc.get_element_by_id(anchor_id)
    return [(a.text_content(), a.get("href")) for a in p.xpath(".//a[@class='ref']")]


def test_diff_report_links_references_to_the_articles_it_shows(run_cli):
    """Old 第二条 cites 第一条 and 第三条, old 第三条 前条; the new version inserts 第三条, so
    the new 第二条 cites 第一条 and 第四条, and the new 第四条 第二条 (read from the fixtures)."""
    page = run_cli(["diff", DIFF_OLD, DIFF_NEW, "--format", "html", "--all"]).output
    doc = lhtml.document_fromstring(page)
    assert diff_links(doc, "old-art-2") == [("本条例第一条", "#old-art-1"), ("第三条", "#old-art-3")]
    assert diff_links(doc, "art-2") == [("本条例第一条", "#art-1"), ("第四条", "#art-4")]
    assert diff_links(doc, "old-art-3") == [("前条", "#old-art-2")]
    # 《中华人民共和国行政处罚法》第五十七条 is another law's: marked, no link
    assert diff_links(doc, "art-4") == [("第二条", "#art-2")]
    assert [(x.text_content(), x.get("title")) for x in doc.xpath("//span[@class='ref external']")] == [
        ("《中华人民共和国行政处罚法》第五十七条", "中华人民共和国行政处罚法 第五十七条")]
    # every link has its anchor in the page, and the links change no character of the text
    ids = set(doc.xpath("//@id"))
    assert all(a.get("href")[1:] in ids for a in doc.xpath("//a[@class='ref']"))
    assert doc.get_element_by_id("art-4").text_content() == (
        "第四条　有第二条行为的，责令改正；依照《中华人民共和国行政处罚法》第五十七条处罚。")
    assert '<ins><a class="ref" href="#art-4">第四条</a></ins>' in page


def test_diff_report_without_all_links_only_to_articles_shown(run_cli):
    doc = lhtml.document_fromstring(run_cli(["diff", DIFF_OLD, DIFF_NEW, "--format", "html"]).output)
    # 第一条 is unchanged, so not in the report: 本条例第一条 stays text
    assert diff_links(doc, "art-2") == [("第四条", "#art-4")]
    assert doc.xpath("//*[@id='art-1']") == []
