"""Prints of web pages and books, law databases' metadata, letter-spaced headings.

The inputs are built here, page by page, the way those producers print: a
browser's header (print date and time, the page title) and footer (the URL or
file:// path, a page count 1/3), an e-book reader's running header with a page
count (第2页,共6页 <book title>), reader editions' bullets before each 项, the
metadata block of the national database and of 北大法宝, a promulgation
notice, a 目录 with dot leaders, a law printed twice (a cover, then the body).
"""

from clt.normalize import normalize
from clt.normalize.furniture import print_furniture
from clt.split import split

SRC = "print.pdf"


def _pages(pages, geo=False):
    """``source``/``page``/``line`` records of *pages* (lists of lines); with *geo*, an A4
    page: the first and last lines of a page in the margin band when they are furniture."""
    recs = [{"type": "source", "path": SRC, "format": "pdf"}]
    for p, lines in enumerate(pages, 1):
        page = {"type": "page", "source": SRC, "page": p}
        if geo:
            page.update(width=595, height=842)
        recs.append(page)
        for i, text in enumerate(lines, 1):
            r = {"type": "line", "source": SRC, "page": p, "line": i, "text": text}
            if geo:
                y = 20 + 18 * i if i > 1 or not text.startswith("20") else 20
                r.update(bbox=[90, y, 90 + 10.5 * len(text), y + 10.5], size=10.5)
            recs.append(r)
    return recs


def _run(recs):
    out = list(split(normalize(recs)))
    docs = [r for r in out if r["type"] == "document"]
    arts = [r for r in out if r["type"] == "article"]
    return out, docs, arts


def _removed(recs):
    return [r for r in normalize(recs) if r["type"] == "removed"]


HEADER = "2024/5/6 10:21\t示例城市供水条例_国家法律法规数据库"

BROWSER = [
    [HEADER,
     "示例城市供水条例",
     "第一条　为了保障城市供水，制定本条例。",
     "第二条　供水企业应当遵守下列规定：",
     "（一）水质符合国家标准；",
     "file:///C:/Users/user/Downloads/示例城市供水条例.html\t1/3"],
    [HEADER,
     "（二）水压符合规定。",
     "第三条　供水价格实行政府定价。",
     "https://flk.npc.gov.cn/detail2.html?ZmY4MDgxODE4\t2/3"],
    [HEADER,
     "第四条　本条例自2024年1月1日起施行。",
     "https://flk.npc.gov.cn/detail2.html?ZmY4MDgxODE4\t3/3"],
]


def test_browser_print_header_and_footer_are_furniture_with_an_audit():
    out, docs, arts = _run(_pages(BROWSER))
    assert [d["title"] for d in docs] == ["示例城市供水条例"]
    assert [a["label"] for a in arts] == ["第一条", "第二条", "第三条", "第四条"]
    assert arts[1]["text"] == "供水企业应当遵守下列规定：\n（一）水质符合国家标准；\n（二）水压符合规定。"
    assert arts[3]["text"] == "本条例自2024年1月1日起施行。"
    for a in arts:
        assert "2024/5/6" not in a["text"] and "http" not in a["text"] and "file:" not in a["text"]
    removed = _removed(_pages(BROWSER))
    texts = {r["text"] for r in removed}
    assert HEADER in texts and "file:///C:/Users/user/Downloads/示例城市供水条例.html\t1/3" in texts
    assert all(r["rule"] in ("print-furniture", "running-header", "page-number") for r in removed)
    assert {r["rule"] for r in removed} == {"print-furniture"}
    assert all(r["reason"] and r["line"] for r in removed)


def test_law_text_is_not_print_furniture():
    assert print_furniture("住房面积不得少于1/3") is None
    assert print_furniture("第十条　依照本法第三条规定，1/3") is None
    assert print_furniture("2023年6月28日") is None
    assert print_furniture("发布日期：2023-06-28  实施日期：2024-01-01") is None
    assert print_furniture("10.1.1 总体要求") is None


def test_print_furniture_forms():
    for text in ("页码，1/40", "页码：3/40", "1/40", "第2页,共6页 中国示例法律读本", "第 2 页 共 6 页",
                 "第 1 页/共 3 页  2024/5/6 10:21", "2024-05-06 上午10:21", "24/5/6 10:21",
                 "Page 2 of 9", "https://www.gov.cn/zhengce/content/2023-06/28/content_1.htm",
                 "www.npc.gov.cn"):
        assert print_furniture(text), text


BOOK = [
    ["第1页,共3页 中国示例法律读本",
     "中华人民共和国示例法",
     "第一条　为了规范示例管理，制定本法。",
     "第二条　示例管理应当遵守下列原则："],
    ["第2页,共3页 中国示例法律读本",
     "•（一）依法管理；",
     "• （二）公开透明；",
     "●（三）便民高效。"],
    ["第3页,共3页 中国示例法律读本",
     "第三条　本法自2024年1月1日起施行。",
     "第 3 页 共 3 页"],
]


def test_ebook_running_header_with_page_count_and_reader_bullets():
    recs = _pages(BOOK)
    out, docs, arts = _run(recs)
    assert [d["title"] for d in docs] == ["中华人民共和国示例法"]
    assert arts[1]["text"] == "示例管理应当遵守下列原则：\n（一）依法管理；\n（二）公开透明；\n（三）便民高效。"
    assert [i["label"] for i in arts[1]["paragraphs"][0]["items"]] == ["（一）", "（二）", "（三）"]
    removed = _removed(recs)
    headers = [r for r in removed if r["text"].startswith("第") and "共3页" in r["text"]]
    assert len(headers) == 3 and {r["rule"] for r in headers} <= {"print-furniture", "running-header"}
    bullets = [r for r in removed if r["rule"] == "item-bullet"]
    assert [(r["text"], r["page"], r["line"]) for r in bullets] == [("•", 2, 2), ("• ", 2, 3), ("●", 2, 4)]
    assert all(r["part"] == "start" for r in bullets)


def test_reader_bullets_normalize_idempotent_and_switchable():
    paras = [r for r in normalize(_pages(BOOK)) if r["type"] == "para"]
    again = [r for r in normalize(paras) if r["type"] == "para"]
    assert [p["text"] for p in again] == [p["text"] for p in paras]
    kept = [r["text"] for r in normalize(_pages(BOOK), disable=("item-bullet",)) if r["type"] == "para"]
    assert "•（一）依法管理；" in kept


def test_a_bullet_before_text_that_is_no_label_stays():
    recs = _pages([["示例法", "第一条　下列事项：", "• 这不是编号的项。"]])
    paras = [r["text"] for r in normalize(recs) if r["type"] == "para"]
    assert any(p.startswith("•") for p in paras)


def test_browser_print_with_geometry():
    out, docs, arts = _run(_pages(BROWSER, geo=True))
    assert [d["title"] for d in docs] == ["示例城市供水条例"]
    assert len(arts) == 4
    assert all("2024/5/6" not in a["text"] and "flk.npc" not in a["text"] for a in arts)


# --------------------------------------------------------------------------- metadata blocks

def _split_text(lines):
    recs = [{"type": "para", "text": t, "source": "law.txt", "page": 1, "lines": [[1, i]]}
            for i, t in enumerate(lines, 1)]
    out = list(split(recs))
    return out, [r for r in out if r["type"] == "document"], [r for r in out if r["type"] == "article"]


LAW_BODY = ["第一条　为了规范城市管理，制定本条例。", "第二条　本条例自2024年1月1日起施行。"]


def test_database_metadata_before_the_title_is_document_metadata():
    out, docs, arts = _split_text(["发文单位：国务院", "发文字号：国务院令第700号",
                                   "发布日期：2023-06-28  实施日期：2024-01-01", "效力级别：行政法规",
                                   "时效性：现行有效", "法规类别：城市管理", "示例城市管理条例"] + LAW_BODY)
    assert [d["title"] for d in docs] == ["示例城市管理条例"]
    assert docs[0]["metadata"] == {"发文单位": "国务院", "发文字号": "国务院令第700号", "发布日期": "2023-06-28",
                                   "实施日期": "2024-01-01", "效力级别": "行政法规", "时效性": "现行有效",
                                   "法规类别": "城市管理"}
    block = [r for r in out if r["type"] == "block" and r["kind"] == "metadata"]
    assert len(block) == 1 and block[0]["text"].startswith("发文单位：国务院\n") and len(block[0]["lines"]) == 6
    assert [a["text"] for a in arts] == ["为了规范城市管理，制定本条例。", "本条例自2024年1月1日起施行。"]


def test_database_metadata_under_the_title_national_database_and_pkulaw():
    for meta in (["制定机关：国务院", "法律性质：行政法规", "时效性：有效", "公布日期：2023-06-28", "施行日期：2024-01-01"],
                 ["【发布部门】国务院", "【发文字号】国务院令第700号", "【发布日期】2023.06.28", "【时效性】现行有效",
                  "【效力级别】行政法规"]):
        out, docs, arts = _split_text(["示例城市管理条例"] + meta + LAW_BODY)
        assert [d["title"] for d in docs] == ["示例城市管理条例"], meta
        assert len(docs[0]["metadata"]) == 5 and "时效性" in docs[0]["metadata"]
        assert len(arts) == 2 and arts[0]["text"] == "为了规范城市管理，制定本条例。"


def test_metadata_lines_stay_apart_in_normalize_plain_text():
    recs = _pages([["示例城市管理条例", "制定机关：国务院", "时效性：有效", "公布日期：2023-06-28"] + LAW_BODY])
    paras = [r["text"] for r in normalize(recs) if r["type"] == "para"]
    assert paras[:4] == ["示例城市管理条例", "制定机关：国务院", "时效性：有效", "公布日期：2023-06-28"]


def test_a_metadata_like_line_inside_an_article_stays_law_text():
    out, docs, arts = _split_text(["示例城市管理条例", "第一条　申请书应当载明下列事项：",
                                   "发文字号：申请人的名称。", "第二条　本条例自2024年1月1日起施行。"])
    assert arts[0]["text"] == "申请书应当载明下列事项：\n发文字号：申请人的名称。"


def test_promulgation_notice_before_the_title_is_its_own_block():
    out, docs, arts = _split_text(["中华人民共和国国务院令", "第700号",
                                   "《示例城市管理条例》已经2023年6月2日国务院第8次常务会议通过，现予公布，自2024年1月1日起施行。",
                                   "总理　李强", "2023年6月28日", "示例城市管理条例"] + LAW_BODY)
    assert [d["title"] for d in docs] == ["示例城市管理条例"]
    assert docs[0]["notice"]["kind"] == "国务院令" and docs[0]["notice"]["num"] == 700
    notice = [r for r in out if r["type"] == "block" and r["kind"] == "notice"]
    assert notice and notice[0]["text"].endswith("总理　李强\n2023年6月28日")


# --------------------------------------------------------------------------- 目录, a law printed twice

def test_law_printed_twice_cover_then_body_is_one_law():
    title = "中华人民共和国示例法"
    cap = "（2023年6月28日第十四届全国人民代表大会常务委员会第三次会议通过）"
    out, docs, arts = _split_text(
        [title, cap, "本书收录了中华人民共和国示例法的全文，供读者学习使用。", "目　　录",
         "第一章　总　　则……………………1", "第二章　管理措施……………………3", "第三章　附　　则……………………5",
         title, cap, "第一章　总　　则", "第一条　为了规范示例管理，制定本法。", "第二章　管理措施",
         "第二条　管理部门应当依法履行职责。", "第三章　附　　则", "第三条　本法自2024年1月1日起施行。"])
    assert [d["title"] for d in docs] == [title]
    assert [a["label"] for a in arts] == ["第一条", "第二条", "第三条"]
    heads = [r for r in out if r["type"] == "heading"]
    assert [(h["label"], h["title"]) for h in heads] == [("第一章", "总则"), ("第二章", "管理措施"), ("第三章", "附则")]
    toc = [r for r in out if r["type"] == "block" and r["kind"] == "toc"]
    assert toc and toc[0]["entries"] == ["第一章总则", "第二章管理措施", "第三章附则"]
    rep = [r for r in out if r["type"] == "block" and r.get("repeated") == "title"]
    assert rep and rep[0]["text"] == title + "\n" + cap   # kept, marked: nothing of the print is dropped
    assert [r for r in out if r["type"] == "document_end"][0]["articles"] == 3


# --------------------------------------------------------------------------- letter-spaced headings

def test_letter_spaced_heading_labels_are_headings_with_their_spacing_kept():
    out, docs, arts = _split_text(["中华人民共和国示例法", "第 一 编　总　　则", "第 一 章　总　则",
                                   "第一条　为了规范示例管理，制定本法。", "第十一章  法  律  责  任",
                                   "第二条　违反本法规定的，依法处理。", "第 十 二 章　附　　则",
                                   "第三条　本法自2024年1月1日起施行。"])
    heads = [r for r in out if r["type"] == "heading"]
    assert [(h["level"], h["label"], h["num"], h["title"]) for h in heads] == [
        ("part", "第一编", 1, "总则"), ("chapter", "第一章", 1, "总则"), ("chapter", "第十一章", 11, "法律责任"),
        ("chapter", "第十二章", 12, "附则")]
    assert [h.get("printed") for h in heads] == ["第 一 编　总　　则", "第 一 章　总　则", "第十一章  法  律  责  任",
                                                 "第 十 二 章　附　　则"]
    assert [d["title"] for d in docs] == ["中华人民共和国示例法"]
    assert arts[1]["path"] == ["第一编 总则", "第十一章 法律责任"]


def test_letter_spaced_headings_through_normalize_audit_the_spaces():
    # a code divided into 编 (刑法, 刑事诉讼法) closes with a bare 附　　则 beside its 编
    recs = _pages([["中华人民共和国示例法", "第 二 编　分 则", "第 十 一 章　法 律 责 任",
                    "第一条　违反本法规定的，依法处理。", "附　　则", "第二条　本法自2024年1月1日起施行。"]])
    paras = [r for r in normalize(recs) if r["type"] == "para"]
    assert [p["text"] for p in paras][2:5:2] == ["第十一章　法律责任", "附则"]
    assert [e["rule"] for e in paras[2]["edits"]].count("cjk-space") >= 4
    out = list(split(paras))
    assert [(h["label"], h["title"]) for h in out if h["type"] == "heading"] == [
        ("第二编", "分则"), ("第十一章", "法律责任"), ("附则", "附则")]


def test_one_page_print_furniture_by_its_form_alone():
    removed = _removed(_pages([[HEADER, "示例城市供水条例", "第一条　本条例自2024年1月1日起施行。",
                                "https://flk.npc.gov.cn/detail2.html?ZmY4MDgxODE4\t1/1"]]))
    assert [(r["rule"], r["line"]) for r in removed] == [("print-furniture", 1), ("print-furniture", 4)]


# --------------------------------------------------------------------------- printed PDFs

import os  # noqa: E402

import pytest  # noqa: E402

from clt.extract import extract  # noqa: E402

FX = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "extract")


def _pdf(name, engine):
    recs = list(normalize(extract([os.path.join(FX, name)], engine=engine, ocr="never")))
    return recs, list(split(recs))


@pytest.mark.parametrize("engine", ["pdfminer", "pdfium"])
def test_chromium_print_of_a_database_page(engine):
    """browser-print.pdf: Chromium's header (date and time left, the page's title centred) and
    footer (URL left, page/pages right) on two pages over a notice, the law, its 目录."""
    recs, law = _pdf("browser-print.pdf", engine)
    removed = [r for r in recs if r["type"] == "removed"]
    assert len(removed) >= 6 and {r["page"] for r in removed} == {1, 2}
    assert all(r["rule"] in ("print-furniture", "page-number", "running-header") for r in removed)
    assert sum(1 for r in removed if r["text"].endswith("国家法律法规数据库")) == 2
    docs = [r for r in law if r["type"] == "document"]
    assert [d["title"] for d in docs] == ["示例城市供水条例"] and docs[0]["notice"]["kind"] == "公告"
    arts = [r for r in law if r["type"] == "article"]
    assert [a["num"] for a in arts] == list(range(1, 11))
    for a in arts:
        assert not any(s in a["text"] for s in ("2024/5/6", "flk.npc", "数据库", "/2"))
    assert arts[-1]["text"] == "本条例自2020年1月1日起施行。"
    heads = [(h["label"], h["title"]) for h in law if h["type"] == "heading"]
    assert heads == [("第一章", "总则"), ("第二章", "供水管理"), ("第三章", "附则")]   # the 目录 is no heading
    assert [b["entries"] for b in law if b["type"] == "block" and b["kind"] == "toc"] == [
        ["第一章总则", "第二章供水管理", "第三章附则"]]


def test_chromium_print_one_page_title_beside_the_date_goes_too():
    recs = list(normalize(extract([os.path.join(FX, "browser-print.pdf")], pages=[1], ocr="never")))
    removed = [(r["rule"], r["text"]) for r in recs if r["type"] == "removed"]
    assert ("print-furniture", "示例城市供水条例_国家法律法规数据库") in removed or \
        ("print-furniture", "2024/5/6 10:21 示例城市供水条例_国家法律法规数据库") in removed


@pytest.mark.parametrize("engine", ["pdfminer", "pdfium"])
def test_ebook_reader_edition_cover_then_body(engine):
    """ebook-print.pdf: 第N页,共M页 <book> at the top, 第 N 页 共 M 页 at the foot, a cover page
    (title, 题注, a note) and the law under its title again on the next page, ● before each 项.
    The title and 题注 at the top of two pages are not a running header."""
    recs, law = _pdf("ebook-print.pdf", engine)
    removed = [r for r in recs if r["type"] == "removed"]
    assert {r["rule"] for r in removed} <= {"print-furniture", "page-number", "item-bullet"}
    assert not any("示例城市供水条例" == r["text"] or r["text"].startswith("（2019") for r in removed)
    assert sum(1 for r in removed if r["rule"] == "item-bullet") == 18
    docs = [r for r in law if r["type"] == "document"]
    assert [d["title"] for d in docs] == ["示例城市供水条例"]
    assert docs[0]["caption"].startswith("（2019年6月28日")
    rep = [b for b in law if b["type"] == "block" and b.get("repeated") == "title"]
    assert len(rep) == 1 and rep[0]["page"] == 2
    arts = [r for r in law if r["type"] == "article"]
    assert [a["num"] for a in arts] == list(range(1, 11))
    assert arts[0]["text"].endswith("下列事项除外：\n（一）城市供水的第一类事项；\n（二）城市供水的其他事项。")
    assert not any("●" in a["text"] or "共3页" in a["text"] or "读本" in a["text"] for a in arts)


def test_a_law_s_own_toc_before_its_title_does_not_swallow_the_title():
    out, docs, arts = _split_text(["目　　录", "第一章　总则　1", "第二章　管理措施　3", "　第一节　一般规定　3",
                                   "第三章　附则　7", "中华人民共和国示例法",
                                   "（2023年6月28日第十四届全国人民代表大会常务委员会第三次会议通过）",
                                   "第一章　总　　则", "第一条　为了规范示例管理，制定本法。", "第二章　管理措施",
                                   "第一节　一般规定", "第二条　管理部门应当依法履行职责。", "第三章　附　　则",
                                   "第三条　本法自2024年1月1日起施行。"])
    assert [d["title"] for d in docs] == ["中华人民共和国示例法"] and docs[0]["caption"].startswith("（2023")
    toc = [b for b in out if b["type"] == "block" and b["kind"] == "toc"]
    assert toc[0]["entries"] == ["第一章总则", "第二章管理措施", "第一节一般规定", "第三章附则"]
    assert [h["label"] for h in out if h["type"] == "heading"] == ["第一章", "第二章", "第一节", "第三章"]
    assert len(arts) == 3


def test_cover_title_and_toc_then_title_and_caption_is_one_law():
    title = "中华人民共和国示例法"
    cap = "（2023年6月28日第十四届全国人民代表大会常务委员会第三次会议通过）"
    out, docs, arts = _split_text([title, "目　　录", "第一章　总　　则", "第二章　附　　则", title, cap,
                                   "第一章　总　　则", "第一条　为了规范示例管理，制定本法。", "第二章　附　　则",
                                   "第二条　本法自2024年1月1日起施行。"])
    assert [d["title"] for d in docs] == [title] and len(arts) == 2
    toc = [b for b in out if b["type"] == "block" and b["kind"] == "toc"]
    assert toc[0]["entries"] == ["第一章总则", "第二章附则"]          # the title is no wrapped entry
    rep = [b for b in out if b["type"] == "block" and b.get("repeated") == "title"]
    assert rep[0]["text"] == title + "\n" + cap and rep[0]["history"][0]["date"] == "2023-06-28"


def test_web_page_article_line_under_the_title_is_metadata_not_the_title():
    # a local 人大 site prints 发布时间：… 来源：… 浏览次数：… between the title and the 题注:
    # the site's fields, not the title's second line or text (the title was lost behind them)
    recs = list(split(normalize(extract([os.path.join(FX, "web-article-line-under-title.html")]))))
    (doc,) = [r for r in recs if r["type"] == "document"]
    assert doc["title"] == "示例城市供水条例"
    assert doc["caption"] == "（2020年10月27日示例市第十五届人民代表大会常务委员会第三十次会议通过）"
    assert doc["metadata"]["发布时间"] == "2021-06-01 09:30" and doc["metadata"]["来源"] == "市人大常委会法工委"
    assert [a["text"] for a in recs if a["type"] == "article"] == [
        "为了加强城市供水管理，保障供水安全，制定本条例。", "本市行政区域内城市供水的规划、建设、经营和管理，适用本条例。",
        "本条例自2021年1月1日起施行。"]


def test_web_site_navigation_and_footer_printed_with_the_page_are_removed():
    # a 人大 site's page printed to PDF (LibreOffice's web export, a browser): the menu bar and the
    # breadcrumb above the title, share links, copyright and ICP lines under the last article
    site_top = ["首页 | 新闻 | 法律法规 | English", "当前位置：首页 > 法律法规"]
    site_foot = ["分享到：微信 微博", "版权所有：示例市人大常委会办公厅", "京ICP备05070224号 地址：示例市人民路1号"]
    body = ["示例城市管理条例", "（2020年10月27日示例市第十五届人民代表大会常务委员会第三十次会议通过）"] + LAW_BODY
    for geo in (False, True):
        out, docs, arts = _run(_pages([site_top + body + site_foot], geo=geo))
        assert [d["title"] for d in docs] == ["示例城市管理条例"], geo
        assert [a["text"] for a in arts] == ["为了规范城市管理，制定本条例。", "本条例自2024年1月1日起施行。"], geo
        assert [r["text"] for r in out if r["type"] == "removed"] == site_top + site_foot, geo


def test_law_text_naming_a_copyright_is_not_site_furniture():
    from clt.normalize.furniture import site_furniture
    assert site_furniture("版权所有：示例市人大常委会办公厅")
    assert site_furniture("当前位置：首页 > 法律法规 > 地方性法规")
    for t in ("著作权人声明版权所有的，不得转载。", "首页应当载明下列事项：", "当前位置：本条例所称的位置"):
        assert site_furniture(t) is None, t
