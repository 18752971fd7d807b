"""normalize on bulletin layouts the first fixtures lacked (found by rendering laws in new layouts).

Each test builds its own small input: line records with geometry as extract gives them, or
plain text as pdftotext prints it.
"""

from clt.normalize import normalize
from clt.numerals import int2cn
from clt.records import text_line_records
from clt.split import split

SIZE = 12.0
LEFT, RIGHT, W, H = 72.0, 523.0, 595.0, 842.0   # 37 characters a full line


def _line(page, n, text, top, x0=LEFT, x1=None, size=SIZE):
    wid = sum(size if ord(c) > 0x2000 else size / 2 for c in text)
    return {"type": "line", "source": "b.pdf", "page": page, "line": n, "text": text,
            "bbox": [x0, top, x1 if x1 is not None else x0 + wid, top + size], "size": size}


def _paras(recs):
    return [r["text"] for r in recs if r["type"] == "para"]


def _removed(recs):
    return [(r["rule"], r["text"]) for r in recs if r["type"] == "removed"]


def _right_set(page, n, text, top, end):
    wid = sum(SIZE if ord(c) > 0x2000 else SIZE / 2 for c in text)
    return _line(page, n, text, top, x0=end - wid, x1=end)


def _notice_page():
    """A first page: notice, signing organ and date set right, then the law's title and a
    题注 of three lines: the signing lines are the only ones sharing a right edge, and only
    the 题注 shares a left edge."""
    end = RIGHT - 2 * SIZE
    recs = [{"type": "source", "schema": 1, "path": "b.pdf", "format": "pdf"},
            {"type": "page", "source": "b.pdf", "page": 1, "width": W, "height": H}]
    body = [
        _line(1, 1, "示例省人民代表大会常务委员会公告", 90, x0=LEFT + 10 * SIZE, size=18),
        _line(1, 2, "（第十二号）", 120, x0=LEFT + 15.5 * SIZE),
        _line(1, 3, "《示例省河道管理条例》已由示例省第十四届人民代表大会常务委员", 145,
              x0=LEFT + 2 * SIZE, x1=RIGHT),
        _line(1, 4, "会第八次会议通过，现予公布，自2024年3月1日起施行。", 167),
        _right_set(1, 5, "示例省人民代表大会常务委员会", 195, end),
        _right_set(1, 6, "2023年12月29日", 217, end),
        _line(1, 7, "示例省河道管理条例", 260, x0=LEFT + 11 * SIZE, size=18),
        _line(1, 8, "（2023年12月29日示例省第十四届人民代表大会常务委员会第八次会议通过", 295,
              x0=LEFT + 2 * SIZE, size=10.5),
        _line(1, 9, "2024年5月30日示例省第十四届人民代表大会常务委员会第十次会议修正", 318,
              x0=LEFT + 2 * SIZE, size=10.5),
        _line(1, 10, "2025年3月28日示例省第十四届人民代表大会常务委员会第十五次会议修正）", 341,
              x0=LEFT + 2 * SIZE, size=10.5),
    ]
    return recs + body


def test_signing_lines_set_right_stay_separate_lines():
    # regression: with the right edge estimated from the only two lines sharing one (the
    # signing organ and the date), neither looked short and the two were joined — and split
    # then took "示例省人民代表大会常务委员会2023年12月29日" as the start of the law's title
    out = list(normalize(_notice_page()))
    ps = _paras(out)
    assert "示例省人民代表大会常务委员会" in ps
    assert "2023年12月29日" in ps
    docs = [r for r in split(out) if r["type"] == "document"]
    assert [d["title"] for d in docs] == ["示例省河道管理条例"]


def _headed_pages(extra_top_line=None):
    recs = [{"type": "source", "schema": 1, "path": "b.pdf", "format": "pdf"}]
    for p in range(1, 7):
        recs.append({"type": "page", "source": "b.pdf", "page": p, "width": W, "height": H})
        recs.append(_line(p, 1, "示例省人民代表大会常务委员会公报", 40, x0=LEFT + 12 * SIZE, size=9))
        n = 2
        if p == 1 and extra_top_line:
            recs.append(_line(p, n, extra_top_line, 90, x0=LEFT + 10 * SIZE, size=18))
            n += 1
        for k in range(5):
            recs.append(_line(p, n, f"第{'一二三四五六七八九十'[k]}条　本页第{p}页的条文，内容完整。", 130 + 24 * k,
                              x0=LEFT + 2 * SIZE))
            n += 1
        recs.append(_line(p, n, f"- {p} -", 800, x0=LEFT + 17 * SIZE, size=9))
    return recs


def test_notice_heading_like_the_running_header_is_kept():
    # regression: 示例省人民代表大会常务委员会公告 (the notice's heading) is one character from the
    # running header 示例省人民代表大会常务委员会公报 printed above it and was removed as a header
    out = list(normalize(_headed_pages("示例省人民代表大会常务委员会公告")))
    assert "示例省人民代表大会常务委员会公告" in _paras(out)
    headers = [t for rule, t in _removed(out) if rule == "running-header"]
    assert headers == ["示例省人民代表大会常务委员会公报"] * 6


def test_short_issue_number_header_on_alternate_pages_removed():
    # regression: even pages headed only by the issue number (第5号) kept it, and it was
    # joined into the sentence running over the page break (价值在700元第5号以上)
    pages = []
    for p in range(1, 9):
        head = "示例市人民代表大会常务委员会公报" if p % 2 else "第5号"
        pages.append(f"{head}\n第{p}0条　托运人托运的货物，每件价值在700元\n以上的，可以声明价格。\n{p}\n")
    out = list(normalize(text_line_records("\f".join(pages), "t.txt")))
    ps = _paras(out)
    assert not any("第5号" in t for t in ps)
    assert ("running-header", "第5号") in _removed(out)
    assert "第20条　托运人托运的货物，每件价值在700元以上的，可以声明价格。" in ps


def test_layout_text_centred_line_after_caption_starts_a_paragraph():
    # regression: in pdftotext -layout output the centred 目　　录 after the 题注 was joined
    # to it (a short line after a terminal one was taken for a wrapped line)
    text = ("                    示例市物业管理条例\n\n"
            "  （2017年8月25日示例市第十八届人民代表大会常务委员会第三次会议通过\n"
            "  2017年9月30日示例省第十二届人民代表大会常务委员会第三十二次会议批准）\n\n"
            "                      目       录\n"
            "  第一章    总   则\n"
            "  第二章    前期物业管理\n\n"
            "                    第一章    总       则\n\n"
            "  第一条   为了规范物业管理活动，维护业主、物业使用人和物业服务企业的合法\n"
            "权益，改善居住环境，制定本条例。\n"
            "  第二条   本市行政区域内物业的使用、维护、服务及监督管理活动，适用本条\n"
            "例。\n"
            "                    第二章    前期物业管理\n\n"
            "  第三条   建设单位应当依法选聘前期物业服务企业。\n")
    out = list(normalize(text_line_records(text, "t.txt")))
    ps = _paras(out)
    assert "目录" in ps
    assert not any(t.endswith("目录") and t != "目录" for t in ps)
    sp = list(split(out))
    tocs = [r for r in sp if r["type"] == "block" and r["kind"] == "toc"]
    assert len(tocs) == 1
    arts = [r for r in sp if r["type"] == "article"]
    assert [a["label"] for a in arts] == ["第一条", "第二条", "第三条"]
    assert arts[2]["path"] == ["第二章 前期物业管理"]


def _wrap(text, n=30):
    return [text[i:i + n] for i in range(0, len(text), n)]


BODY = ("为了规范示例管理活动，保障当事人的合法权益，促进示例事业健康发展，根据有关法律、"
        "行政法规的规定，结合本省实际情况，制定本条例。本条例适用于本省行政区域内的示例管理"
        "及其监督活动，法律、行政法规另有规定的，从其规定。")


def test_next_laws_title_after_a_full_line_ending_a_sentence_is_its_own_paragraph():
    # regression: in pdftotext output a law ending on a full line (…同时废止。) and the next
    # law's title on the following short line were one paragraph: the title ended the last
    # article of the law before it
    first = "第一条　" + BODY
    head, tail = "第二条　本条例自公布之日起施行。", "同时废止。"
    last = head + BODY[:60 - len(head) - len(tail)] + tail
    assert len(_wrap(last)[-1]) == 30   # the law ends on a full line
    lines = _wrap(first) + _wrap(last) + ["", "示例市献血条例", "第一条　" + BODY[:26]] + _wrap(BODY[26:])
    out = list(normalize(text_line_records("\n".join(lines) + "\n", "t.txt")))
    ps = _paras(out)
    assert last in ps
    assert "示例市献血条例" in ps
    docs = [r["title"] for r in split(out) if r["type"] == "document"]
    assert docs[-1] == "示例市献血条例"


def test_bare_page_number_printed_out_of_order_near_the_page_end_removed():
    # regression: pdftotext printed a left-set page number before the page's last line
    # (第二十六条 / 11 / 销售者…), where only the outermost line was looked at
    pages = []
    for p in range(1, 7):
        n = 10 + p
        pages.append(f"示例省人民政府公报\n第{p}1条　{BODY[:40]}\n{BODY[40:]}\n第{p}2条\n{n}\n{BODY[:30]}。\n")
    out = list(normalize(text_line_records("\f".join(pages), "t.txt")))
    nums = sorted(t for rule, t in _removed(out) if rule == "page-number")
    assert nums == [str(10 + p) for p in range(1, 7)]
    assert not any(t.strip() in {str(10 + p) for p in range(1, 7)} for t in _paras(out))


SCRAMBLED = """示例仲裁条例

第一章
第一条

总

则

为保证公正、及时地仲裁经济纠纷，保护当事人的合法权益，保障社会主义市场经济健康
发展，制定本条例。
第二条　平等主体之间发生的合同纠纷和其他财产权益纠纷，可以仲裁。仲裁应当依照本条例
进行，当事人另有约定的除外。
第二章
第三条

仲裁委员会和仲裁协会

仲裁委员会可以在设区的市设立，不按行政区划层层设立。仲裁委员会由市人民政府组织有关
部门和商会统一组建。
第四条

第三章

仲裁程序

当事人申请仲裁应当符合下列条件：
（一）有仲裁协议；
（二）有具体的仲裁请求和事实、理由。
第五条　仲裁委员会应当从公道正派的人员中聘任仲裁员。仲裁员应当符合下列条件之一：从事
仲裁工作满八年的；从事律师工作满八年的；曾任法官满八年的；从事法律研究、教学工作并具
有高级职称的；具有法律知识、从事经济贸易等专业工作并具有高级职称或者具有同等专业水平
的。仲裁委员会按照不同专业设仲裁员名册。仲裁协会是社会团体法人，是仲裁委员会的自律性
组织，根据章程对仲裁委员会及其组成人员、仲裁员的违纪行为进行监督。
第六条　本条例自公布之日起施行。
"""


def test_pdftotext_reading_order_of_labels_and_headings_repaired():
    # regression: pdftotext, taking the wide gap after a label for a column gap, printed a
    # chapter's title after the next article's label (第二章 / 第三条 / 仲裁委员会和仲裁协会 /
    # text), a letter-spaced title a character at a time (总 / 则), and an article's label
    # before the chapter heading above it (第四条 / 第三章 仲裁程序 / text)
    out = list(normalize(text_line_records(SCRAMBLED, "t.txt")))
    ps = _paras(out)
    assert "第一章总则" in [t.replace("　", "") for t in ps]
    assert "第二章仲裁委员会和仲裁协会" in [t.replace("　", "") for t in ps]
    assert "第三章仲裁程序" in [t.replace("　", "") for t in ps]
    moved = [e for r in out if r["type"] == "para" for e in r.get("edits", []) if e["rule"] == "reading-order"]
    assert [e["after"] for e in moved] == ["总", "则", "仲裁委员会和仲裁协会", "当事人申请仲裁应当符合下列条件："]
    arts = {a["label"]: a for a in split(out) if a["type"] == "article"}
    assert arts["第一条"]["text"] == "为保证公正、及时地仲裁经济纠纷，保护当事人的合法权益，保障社会主义市场经济健康发展，制定本条例。"
    assert arts["第一条"]["path"] == ["第一章 总则"]
    assert arts["第三条"]["text"].startswith("仲裁委员会可以在设区的市设立")
    assert arts["第三条"]["path"] == ["第二章 仲裁委员会和仲裁协会"]
    assert arts["第四条"]["text"] == "当事人申请仲裁应当符合下列条件：\n（一）有仲裁协议；\n（二）有具体的仲裁请求和事实、理由。"
    assert arts["第四条"]["path"] == ["第三章 仲裁程序"]


def test_chapter_label_alone_before_an_article_with_text_is_left_alone():
    # the repair moves nothing when the article's text follows its label as usual
    text = "第一章\n第一条　为了示例，制定本条例。\n第二条　本条例适用于示例。\n"
    out = list(normalize(text_line_records(text, "t.txt")))
    assert _paras(out) == ["第一章", "第一条　为了示例，制定本条例。", "第二条　本条例适用于示例。"]
    assert not [e for r in out if r["type"] == "para" for e in r.get("edits", []) if e["rule"] == "reading-order"]


def test_reading_order_rule_can_be_disabled():
    out = list(normalize(text_line_records(SCRAMBLED, "t.txt"), disable=("reading-order",)))
    assert "第二章" in _paras(out)
    assert not [e for r in out if r["type"] == "para" for e in r.get("edits", []) if e["rule"] == "reading-order"]


def test_caption_after_a_title_ending_in_a_parenthesis_is_its_own_paragraph():
    # regression: in pdftotext output of a bulletin's second law, the title's last line
    # (…若干问题的规定（一）) and the 题注 opening the next line were one paragraph
    first = "第一条　" + BODY
    lines = (_wrap(first) + _wrap("第二条　" + BODY) + ["最高人民法院关于",
             "适用《中华人民共和国公司法》若干问题的规定（一）",
             "（2006年3月27日 最高人民法院审判委员会第1382次会议通过",
             "2006年4月28日 最高人民法院公告公布）", ""] + _wrap(first) + _wrap("第二条　" + BODY))
    out = list(normalize(text_line_records("\n".join(lines) + "\n", "t.txt")))
    ps = _paras(out)
    assert "适用《中华人民共和国公司法》若干问题的规定（一）" in ps
    assert any(t.startswith("（2006年3月27日") for t in ps)
    docs = [r["title"] for r in split(out) if r["type"] == "document"]
    assert docs[-1] == "最高人民法院关于适用《中华人民共和国公司法》若干问题的规定（一）"


def test_layout_text_with_a_five_column_indent_breaks_paragraphs():
    # regression: pdftotext -layout gave a large font's two-character indent five columns,
    # outside the two to four taken for an indent, and a short 款 after a short 项 was joined
    # to it (（三）没收财产。附加刑也可以独立适用。)
    lines = ["                  示例省示例条例",
             "   （2020年5月29日示例省第十三届人民代表大会常务委员会第二十次会议通过",
             "   2022年7月29日示例省第十三届人民代表大会常务委员会第三十五次会议修正）"]
    for n in "一二三四五":
        text = BODY + BODY
        lines += ["     第%s条    " % n + text[:32]] + _wrap(text[32:], 36)
    lines += ["     第六条    附加刑的种类如下：", "     （一）罚金；", "     （二）没收财产。",
              "     附加刑也可以独立适用。", "     第七条    本条例自公布之日起施行。"]
    out = list(normalize(text_line_records("\n".join(lines) + "\n", "t.txt")))
    ps = _paras(out)
    assert ps[-5:] == ["第六条　附加刑的种类如下：", "（一）罚金；", "（二）没收财产。", "附加刑也可以独立适用。",
                       "第七条　本条例自公布之日起施行。"]
    assert [t[:4] for t in ps if t.startswith("第")] == [f"第{n}条　" for n in "一二三四五六七"]


def test_ocr_marks_for_a_small_page_number_removed_as_page_noise():
    # regression: Tesseract read a small 第1页 共40页 as "vv-一 -一 \一", which ran into the
    # article continuing on the next page (中止vv-一 -一 \一执行期间)
    marks = ["vv-一 -一 \\一", "V一 -一/ 一", "一-一一 |"]
    pages = []
    for p in range(1, 4):
        body = "\n".join(_wrap("第%s条　" % "一二三"[p - 1] + BODY + BODY))
        pages.append(body + "\n\n" + marks[p - 1] + "\n")
    out = list(normalize(text_line_records("\f".join(pages), "t.txt")))
    assert [t for rule, t in _removed(out) if rule == "page-noise"] == marks
    assert not any("vv" in t for t in _paras(out))


def _title_header_pages(n_pages=8, start=4):
    """Odd pages headed by the current law's title, even pages by the bulletin's name; the
    second law starts at the top of page *start*, its title under that page's header."""
    recs = [{"type": "source", "schema": 1, "path": "b.pdf", "format": "pdf"}]
    for p in range(1, n_pages + 1):
        law = "示例省河道管理条例" if p < start else "示例省湿地保护条例"
        head = law if p % 2 else "示例省人民代表大会常务委员会公报"
        recs.append({"type": "page", "source": "b.pdf", "page": p, "width": W, "height": H})
        recs.append(_line(p, 1, head, 40, x0=LEFT + 12 * SIZE, size=9))
        n, top = 2, 90
        if p == start:
            recs.append(_line(p, 2, "示例省湿地保护条例", 90, x0=LEFT + 12 * SIZE, size=18))
            n, top = 3, 130
        for k in range(3):
            num = "一二三四五六七八九十"[p - 1] + "十" + "一二三"[k]
            recs.append(_line(p, n, f"第{num}条　示例条文的第一行，排满一行，示例条文的第一行，排满", top + 48 * k,
                              x0=LEFT + 2 * SIZE, x1=RIGHT))
            recs.append(_line(p, n + 1, "一行。", top + 48 * k + 24))
            n += 2
        recs.append(_line(p, n, f"- {p} -", 800, x0=LEFT + 17 * SIZE, size=9))
    return recs


def test_law_title_that_heads_the_pages_after_it_is_kept_where_it_is_the_title():
    # regression: odd pages headed by the current law's title: the title itself, near the top
    # of the page where the law starts, recurred "at the edge" of the following pages and was
    # removed as a running header; and a title heading only two pages was not removed
    recs = _title_header_pages()
    out = list(normalize(recs))
    assert "示例省湿地保护条例" in _paras(out)
    headers = sorted((r["page"], r["text"]) for r in out if r["type"] == "removed" and r["rule"] == "running-header")
    assert headers == [(p, "示例省河道管理条例" if p < 4 and p % 2 else "示例省湿地保护条例" if p % 2
                        else "示例省人民代表大会常务委员会公报") for p in range(1, 9)]


def test_plain_text_title_under_an_alternating_header_is_kept():
    # the same in pdftotext output (no geometry): a page's top holds one running header; a
    # second repeating line under it is text unless the two stand together on other pages
    pages = []
    for p in range(1, 11):
        law = "示例省河道管理条例" if p < 6 else "示例省湿地保护条例"
        head = law if p % 2 else "示例省人民代表大会常务委员会公报"
        title = "示例省湿地保护条例\n" if p == 6 else ""
        body = "\n".join(f"第{(p - 1) * 6 + k + 1}条　本页第{p}页的条文，示例条文的内容，排满一行的示例条文。"
                         for k in range(6))
        pages.append(f"{head}\n{title}{body}\n- {p} -\n")
    out = list(normalize(text_line_records("\f".join(pages), "t.txt")))
    assert "示例省湿地保护条例" in _paras(out)
    removed = [(r["page"], r["text"]) for r in out if r["type"] == "removed" and r["rule"] == "running-header"]
    assert (6, "示例省人民代表大会常务委员会公报") in removed
    assert (6, "示例省湿地保护条例") not in removed
    assert [p for p, _ in removed] == list(range(1, 11))


def test_notice_heading_at_the_top_of_two_pages_without_header_is_kept():
    # the notice (中华人民共和国主席令) opening two short laws two pages apart, in a bulletin
    # without running headers, sits in the top margin band at the same height: set large,
    # it is no header
    recs = [{"type": "source", "schema": 1, "path": "b.pdf", "format": "pdf"}]
    for p in range(1, 7):
        recs.append({"type": "page", "source": "b.pdf", "page": p, "width": W, "height": H})
        n, top = 1, 70
        if p in (1, 3):
            recs.append(_line(p, 1, "中华人民共和国主席令", 45, x0=LEFT + 11 * SIZE, size=18))
            n, top = 2, 100
        for k in range(5):
            recs.append(_line(p, n, f"第{'一二三四五'[k]}条　示例条文的第一行，排满一行，示例条文的第一行，排满", top + 48 * k,
                              x0=LEFT + 2 * SIZE, x1=RIGHT))
            recs.append(_line(p, n + 1, "一行。", top + 48 * k + 24))
            n += 2
    out = list(normalize(recs))
    assert _paras(out).count("中华人民共和国主席令") == 2
    assert not [r for r in out if r["type"] == "removed"]


def test_hard_wrapped_indented_text_next_title_after_a_short_last_line():
    # regression: text wrapped at a fixed width with 　　 paragraph indents: the next law's
    # title after a law's short last line (定》同时废止。) was joined to it, because a short line
    # after a sentence's end was taken for the rest of the paragraph unless half a line long
    def wrap(t):
        return [t[i:i + 38] for i in range(0, len(t), 38)]
    lines = []
    for n in "一二三四五":
        lines += wrap("　　第%s条　" % n + BODY + BODY)
    lines += wrap("　　第六条　" + BODY[:60] + "同时废止。") + ["", "示例市物业管理条例",
                                                      "（2017年8月25日示例市第十八届人民代表大会常务委员会第三次会议通过）",
                                                      "第一章　总　　则"]
    lines += wrap("　　第一条　" + BODY)
    out = list(normalize(text_line_records("\n".join(lines) + "\n", "t.txt")))
    ps = _paras(out)
    assert "示例市物业管理条例" in ps
    assert ps[ps.index("示例市物业管理条例") - 1].endswith("同时废止。")
    docs = [r["title"] for r in split(out) if r["type"] == "document"]
    assert docs[-1] == "示例市物业管理条例"


def test_plain_text_header_of_only_two_pages_removed_where_pages_carry_headers():
    # regression: the law's title heading its odd pages, when the law spans only three or
    # four pages, repeats on one nearby page only; in text without geometry that was too
    # little, though every page around carries a running header in the same place
    pages = []
    for p in range(1, 11):
        law = "示例省河道管理条例" if p < 8 else "示例省湿地保护条例"
        head = law if p % 2 else "示例省人民代表大会常务委员会公报"
        title = "示例省湿地保护条例\n" if p == 8 else ""
        body = "\n".join(f"第{(p - 1) * 6 + k + 1}条　本页第{p}页的条文，示例条文的内容，排满一行的示例条文。"
                         for k in range(6))
        pages.append(f"{head}\n{title}{body}\n- {p} -\n")
    out = list(normalize(text_line_records("\f".join(pages), "t.txt")))
    removed = [(r["page"], r["text"]) for r in out if r["type"] == "removed" and r["rule"] == "running-header"]
    assert (9, "示例省湿地保护条例") in removed
    assert [p for p, _ in removed] == list(range(1, 11))
    assert "示例省湿地保护条例" in _paras(out)


def test_pdftotext_two_article_labels_printed_before_their_texts():
    # regression: 第九十九条 / 第一百条 / text of 99 / text of 100 — the first article came out
    # empty and the second got both texts
    lines = []
    for n in range(1, 7):
        lines += _wrap(f"第{int2cn(n)}条　" + BODY + BODY, 36)
    lines += ["第七条", "第八条", "", "本条例所称以上、以下、以内，包括本数。",
              "依法受过处罚的人，在入伍、就业的时候，应当如实向有关单位报告，不得隐瞒。",
              "第九条　本条例自公布之日起施行。"]
    out = list(normalize(text_line_records("\n".join(lines) + "\n", "t.txt")))
    ps = _paras(out)
    assert "第七条　本条例所称以上、以下、以内，包括本数。" in ps
    assert "第八条　依法受过处罚的人，在入伍、就业的时候，应当如实向有关单位报告，不得隐瞒。" in ps
    moved = [e for r in out if r["type"] == "para" for e in r.get("edits", []) if e["rule"] == "reading-order"]
    assert [e["after"] for e in moved] == ["第八条"]


def test_decorated_page_number_printed_before_a_pages_last_lines_removed():
    # regression: pdftotext printed the footer's －22－ four lines from the page's end (before
    # a heading's title and the footer header); it ran into the heading: 第三章 －22－
    pages = []
    for p in range(1, 6):
        body = "\n".join(_wrap(f"第{int2cn(p)}条　" + BODY + BODY))
        pages.append(f"{body}\n第{int2cn(p + 1)}章\n\n－{20 + p}－\n\n示例项目名录\n\n示例省人民政府公报\n2022年第8期\n")
    out = list(normalize(text_line_records("\f".join(pages), "t.txt")))
    nums = [t for rule, t in _removed(out) if rule == "page-number"]
    assert nums == [f"－{20 + p}－" for p in range(1, 6)]
    assert not any("－" in t for t in _paras(out))
