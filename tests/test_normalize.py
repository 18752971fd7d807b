"""clt normalize: furniture, paragraphs, label repairs, accounting — library and CLI."""

import os
from collections import Counter

import pytest

from clt.normalize import normalize, normalize_text
from clt.normalize.furniture import page_number
from clt.records import text_line_records

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "fixtures", "normalize")


def read(name):
    with open(os.path.join(FIX, name), encoding="utf-8") as f:
        return f.read()


def paras(records):
    return [r for r in records if r["type"] == "para"]


def run_text(text, **kw):
    return list(normalize(text_line_records(text, "t.txt"), **kw))


# --------------------------------------------------------------------------- geometry fixture

SIZE = 16.0
LEFT, RIGHT, W, H = 90.0, 506.0, 595.0, 842.0


def geo_line(page, n, text, top, x0=LEFT, full=False, size=SIZE):
    wid = sum(size if ord(c) > 0x2000 else size / 2 for c in text)
    x1 = RIGHT if full else x0 + wid
    return {"type": "line", "source": "b.pdf", "page": page, "line": n, "text": text,
            "bbox": [x0, top, x1, top + size], "size": size, "font": "SimSun"}


def geo_pages():
    """Two pages of a bulletin as extract would give them (26 characters a full line)."""
    recs = [{"type": "source", "schema": 1, "path": "b.pdf", "format": "pdf"}]
    for p, body in ((1, [
        ("示例市养犬管理条例", dict(x0=LEFT + 7 * SIZE)),
        ("第一章　总　　则", dict(x0=LEFT + 9 * SIZE)),
        ("第一条　为了规范养犬行为，保障公民健康和人身安", dict(x0=LEFT + 2 * SIZE, full=True)),
        ("全，维护市容环境和社会公共秩序，根据有关法律、法规", dict(full=True)),
        ("，制定本条例。", {}),
        ("第二条　本市行政区域内养犬和相关管理活动，适用", dict(x0=LEFT + 2 * SIZE, full=True)),
        ("本条例。本条例所称犬只，包括依照本条例第十", dict(full=True)),
    ]), (2, [
        ("条规定登记的犬只和未登记的犬只。", {}),
        ("市公安机关是养犬管理的主管部门，负责犬只登记", dict(x0=LEFT + 2 * SIZE, full=True)),
        ("、收容等工作。", {}),
    ])):
        recs.append({"type": "page", "source": "b.pdf", "page": p, "width": W, "height": H})
        recs.append(geo_line(p, 1, "示例省人民代表大会常务委员会公报", 40, x0=LEFT + 5 * SIZE, size=10.5))
        top = 100
        for i, (text, kw) in enumerate(body, 2):
            recs.append(geo_line(p, i, text, top, **kw))
            top += 28
        recs.append(geo_line(p, len(body) + 2, f"— {p + 6} —", 790, x0=LEFT + 12 * SIZE, size=10.5))
    return recs


def test_geometry_paragraphs_headings_and_furniture():
    out = list(normalize(geo_pages()))
    ps = paras(out)
    texts = [p["text"] for p in ps]
    assert texts == [
        "示例市养犬管理条例",
        "第一章　总则",
        "第一条　为了规范养犬行为，保障公民健康和人身安全，维护市容环境和社会公共秩序，根据有关法律、法规，制定本条例。",
        "第二条　本市行政区域内养犬和相关管理活动，适用本条例。本条例所称犬只，包括依照本条例第十条规定登记的犬只和未登记的犬只。",
        "市公安机关是养犬管理的主管部门，负责犬只登记、收容等工作。",
    ]
    assert ps[0]["align"] == "center" and ps[1]["align"] == "center"
    assert ps[2]["indent"] is True
    # the paragraph that crosses the page break lists its lines on both pages
    assert ps[3]["lines"] == [[1, 7], [1, 8], [2, 2]]
    removed = [r for r in out if r["type"] == "removed"]
    assert sorted((r["rule"], r["page"]) for r in removed) == [
        ("page-number", 1), ("page-number", 2), ("running-header", 1), ("running-header", 2)]
    assert out[0]["type"] == "source"
    assert not any(r["type"] in ("line", "page") for r in out)


def test_geometry_pieces_of_one_printed_line_are_merged():
    recs = [{"type": "page", "source": "b.pdf", "page": 1, "width": W, "height": H},
            geo_line(1, 1, "第一条", 100, x0=LEFT + 2 * SIZE),
            geo_line(1, 2, "为了规范养犬行为，保障公民健康和人", 100, x0=LEFT + 6 * SIZE, full=True),
            geo_line(1, 3, "身安全，制定本条例。", 128)]
    ps = paras(normalize(recs))
    assert [p["text"] for p in ps] == ["第一条　为了规范养犬行为，保障公民健康和人身安全，制定本条例。"]
    assert ps[0]["lines"] == [[1, 1], [1, 2], [1, 3]]


# --------------------------------------------------------------------------- pdftotext fixture

def test_pdftotext_bulletin():
    out = run_text(read("bulletin-pdftotext.txt"))
    texts = [p["text"] for p in paras(out)]
    assert texts == [
        "示例市养犬管理条例",
        "（2024年1月5日示例市第九届人民代表大会常务委员会第十次会议通过）",
        "第一章　总则",
        "第一条　为了规范养犬行为，保障公民健康和人身安全，维护市容环境和社会公共秩序，根据有关法律、法规，结合本市实际，制定本条例。",
        "第二条　本市行政区域内养犬和相关管理活动，适用本条例。",
        "第三条　养犬管理实行政府负责、部门协同、基层组织参与、养犬人自律的原则。",
        "市公安机关是养犬管理的主管部门，负责犬只登记、收容等工作。",
        "第四条　有下列情形之一的，养犬人应当依照本条例第十条规定的程序办理变更登记：",
        "（一）犬只转让的；",
        "（二）养犬人住所变更的。",
        "第五条　养犬人应当为犬只办理免疫证明。市、区人民政府应当合理设置犬只免疫点，方便养犬人就近办理免疫，并向社会公布免疫点的地址和服务时间。",
        "城市管理部门负责查处违反本条例规定的影响市容环境卫生行为。",
        "第六条　本条例自2024年5月1日起施行。",
    ]
    removed = [(r["rule"], r["text"]) for r in out if r["type"] == "removed"]
    assert removed.count(("running-header", "示例省人民代表大会常务委员会公报 2024年第3号")) == 3
    assert ("page-number", "— 8 —") in removed


def test_cross_reference_at_line_start_is_not_an_article():
    # regression: 第十条规定的… wrapped to the start of a line must not open article 10
    ps = paras(run_text(read("bulletin-pdftotext.txt")))
    assert not any(p["text"].startswith("第十条") for p in ps)


def test_missing_di_restored_only_when_numbering_proves_it():
    ps = paras(run_text(read("bulletin-pdftotext.txt")))
    last = ps[-1]
    assert last["text"].startswith("第六条　")
    assert {"rule": "missing-di", "before": "六条", "after": "第六条"}.items() <= last["edits"][0].items() or \
        any(e["rule"] == "missing-di" and e["after"] == "第六条" for e in last["edits"])
    # a number out of sequence is left alone
    ps = paras(run_text("第一条　本条例适用于本市。\n九条　不是第九条。\n"))
    assert ps[-1]["text"].startswith("九条")


# --------------------------------------------------------------------------- clean text fixture

def test_clean_text_one_paragraph_per_line():
    out = run_text(read("clean-oneperline.txt"))
    texts = [p["text"] for p in paras(out)]
    assert texts == [
        "示例市公共图书馆条例",
        "（2023年3月1日示例市人民代表大会常务委员会通过）",
        "第一章　总则",
        "第一条　为了促进公共图书馆事业发展，发挥公共图书馆功能，制定本条例。",
        "第二条　本条例适用于本市行政区域内公共图书馆的设立、运行和管理。",
        "第三条　市文化主管部门负责公共图书馆的监督管理：",
        "（一）编制公共图书馆发展规划；",
        "（二）组织实施公共图书馆数字化建设，推动实现数据线上线下融合服务；",
        "第四条　公共图书馆应当免费向社会公众开放，保障读者平等获取服务。",
        "第五条　本条例自2023年6月1日起施行。",
    ]


def test_fragment_duplicated_across_a_broken_line():
    ps = paras(run_text(read("clean-oneperline.txt")))
    item = next(p for p in ps if p["text"].startswith("（二）"))
    assert item["lines"] == [[1, 14], [1, 16]]
    out = run_text(read("clean-oneperline.txt"))
    frag = [r for r in out if r["type"] == "removed" and r["rule"] == "dup-fragment"]
    assert [(r["text"], r["part"], r["page"], r["line"]) for r in frag] == [("线", "start", 1, 16)]


def test_line_printed_twice_is_removed_with_a_record():
    out = run_text(read("clean-oneperline.txt"))
    dup = [r for r in out if r["type"] == "removed" and r["rule"] == "dup-line"]
    assert len(dup) == 1 and dup[0]["text"] == "读者平等获取服务。" and dup[0]["line"] == 20


def test_ocr_stray_mark_and_noisy_label():
    text = "第一条 为了规范。\n第二  -条 ”本市行政区域内适用本条例。\n第三条”养犬人应当依法养犬。\n"
    ps = paras(run_text(text))
    assert [p["text"] for p in ps] == ["第一条　为了规范。", "第二条　本市行政区域内适用本条例。",
                                       "第三条　养犬人应当依法养犬。"]
    rules = {e["rule"] for e in ps[1]["edits"]}
    assert {"label-noise", "ocr-stray"} <= rules


def test_latin_words_keep_their_space_when_lines_join():
    text = ("第二条　本条例所称电子商务平台，是指提供网络经营场所的信息系统，包括 open\n"
            "source 软件以及相关服务平台等，具体范围由主管部门规定并公布。\n")
    ps = paras(run_text(text))
    assert len(ps) == 1 and "open source" in ps[0]["text"]
    assert any(e["rule"] == "line-join" and e["after"] == " " for e in ps[0]["edits"])


# --------------------------------------------------------------------------- page numbers

@pytest.mark.parametrize("text,num,decorated", [
    ("— 3 —", 3, True), ("- 3 -", 3, True), ("－3－", 3, True), ("·3·", 3, True),
    ("第 3 页", 3, True), ("第3页 共9页", 3, True), ("3", 3, False), ("12/40", 12, True),
    ("Page 3 of 9", 3, True), ("－ 12 －", 12, True), ("—31—", 31, True),
])
def test_page_number_forms(text, num, decorated):
    assert page_number(text) == (num, decorated)


@pytest.mark.parametrize("text", ["第三条", "3.5", "2024年", "第3条", "（三）"])
def test_not_page_numbers(text):
    assert page_number(text) is None


def test_law_line_resembling_a_header_is_kept_without_repetition():
    # regression: a one-off line at a page top that looks like a bulletin title stays
    text = "示例省人民代表大会常务委员会公报\n第一条　本条例适用于本省。\n\f第二条　本条例自公布之日起施行。\n"
    ps = paras(run_text(text))
    assert ps[0]["text"] == "示例省人民代表大会常务委员会公报"


def test_bare_page_numbers_need_page_edge_and_sequence():
    pages = []
    for p in range(1, 4):
        pages.append(f"第{'一二三'[p - 1]}条　本条例第{p}项规定的事项，\n依照本条例执行。\n{10 + p}\n")
    out = run_text("\f".join(pages))
    removed = [r["text"] for r in out if r["type"] == "removed"]
    assert removed == ["11", "12", "13"]


# --------------------------------------------------------------------------- accounting and idempotence

def cjk_counter(s):
    return Counter(c for c in s if "\u4e00" <= c <= "\u9fff")


def assert_accounted(text, out):
    """Every ideograph of the input is in a para, a removed record, or an edit's before."""
    got = Counter()
    for r in out:
        if r["type"] == "para":
            got += cjk_counter(r["text"])
            for e in r.get("edits", []):
                got += cjk_counter(e["before"])
                got -= Counter()  # keep Counter semantics explicit
        elif r["type"] == "removed":
            got += cjk_counter(r["text"])
    added = Counter()
    for r in out:
        for e in r.get("edits", []) if r["type"] == "para" else []:
            added += cjk_counter(e["after"])
    expected = cjk_counter(text) + added
    assert got == expected


@pytest.mark.parametrize("name", ["bulletin-pdftotext.txt", "clean-oneperline.txt"])
def test_fixtures_account_for_every_character(name):
    text = read(name)
    assert_accounted(text, run_text(text))


@pytest.mark.parametrize("name", ["bulletin-pdftotext.txt", "clean-oneperline.txt"])
def test_idempotent_on_own_output(name):
    first = list(normalize(text_line_records(read(name), "t.txt")))
    second = list(normalize(iter(first)))
    assert [p["text"] for p in paras(second)] == [p["text"] for p in paras(first)]
    assert [p.get("edits") for p in paras(second)] == [p.get("edits") for p in paras(first)]
    again = normalize_text(normalize_text(read(name)))
    assert again == normalize_text(read(name))


def test_unknown_records_pass_through_in_place():
    recs = [{"type": "source", "schema": 1, "path": "x", "format": "text"},
            {"type": "page", "source": "x", "page": 1},
            {"type": "line", "source": "x", "page": 1, "line": 1, "text": "第一条　本条例适用于本市。"},
            {"type": "x-note", "data": 1},
            {"type": "warning", "stage": "extract", "message": "m"}]
    out = list(normalize(recs))
    # emitted with the page they came in (the paragraph still open may follow them)
    assert sorted(r["type"] for r in out) == ["para", "source", "warning", "x-note"]
    assert [r["type"] for r in out if r["type"] in ("x-note", "warning")] == ["x-note", "warning"]
    assert {"type": "x-note", "data": 1} in out


def test_keep_removed_false_drops_audit_records():
    out = run_text(read("bulletin-pdftotext.txt"), keep_removed=False)
    assert not any(r["type"] == "removed" for r in out)


def test_disable_running_header_keeps_it():
    out = run_text(read("bulletin-pdftotext.txt"), disable=("running-header",))
    assert not any(r["type"] == "removed" and r["rule"] == "running-header" for r in out)


def test_private_use_character_gives_a_warning():
    out = run_text("第一条　本条例适用于\ue123本市。\n")
    w = [r for r in out if r["type"] == "warning"]
    assert w and w[0]["code"] == "private-use" and "U+E123" in w[0]["message"]
    assert "\ue123" in paras(out)[0]["text"]


def test_convert_t2s_records_edits():
    ps = paras(run_text("第一條　為了規範管理，制定本條例。\n", convert="t2s"))
    assert ps[0]["text"] == "第一条　为了规范管理，制定本条例。"
    assert all(e["rule"] == "convert" for e in ps[0]["edits"] if e["rule"] != "label-space")


def test_streams_large_input_lazily():
    # a generator consumer sees the first paragraph long before the input ends
    def pages():
        yield {"type": "source", "schema": 1, "path": "big", "format": "text"}
        for p in range(1, 100000):
            yield {"type": "page", "source": "big", "page": p}
            yield {"type": "line", "source": "big", "page": p, "line": 1, "text": f"第{p}条　本条例第{p}项适用。"}
    gen = normalize(pages())
    got = [next(gen) for _ in range(3)]
    assert got[0]["type"] == "source" and got[1]["type"] == "para"


# --------------------------------------------------------------------------- OCR damage

def test_scan_scraps_at_a_page_foot_are_removed():
    page1 = ("第一条　本条例适用于本市行政区域内的城市公共汽车客运管理，\n"
             "以及相关的规划、建设、运营和监督管理活动，具体由主管部门\n"
             "负责组织实施，其他有关部门按照各自职责做好相关工作。\n"
             "第二条　市人民政府应当加强对城市公共汽车客运工作的领导，\n"
             "将城市公共汽车客运发展纳入国民经济和社会发展规划，并在\n六\n\nII\n珊 或 过\n")
    page2 = "用地供给、设施建设等方面优先保障。\n"
    out = run_text(page1 + "\f" + page2)
    noise = [r["text"] for r in out if r["type"] == "removed" and r["rule"] == "page-noise"]
    assert noise == ["六", "II", "珊 或 过"]
    assert paras(out)[1]["text"].endswith("并在用地供给、设施建设等方面优先保障。")


def test_short_last_line_with_punctuation_is_not_noise():
    text = "第一条　本条例适用于本市。\n第二条　市人民政府负责。\n第三条　区人民政府负责。\n第四条　有关部门配合。\n施行。\n"
    out = run_text(text)
    assert not any(r["type"] == "removed" for r in out)


def test_ocr_paren_lookalikes():
    ps = paras(run_text("第六条　市、县〈市）、上街区城市公共交通主管部门负责监督管理，依照《条例》执行。\n"))
    assert ps[0]["text"] == "第六条　市、县（市）、上街区城市公共交通主管部门负责监督管理，依照《条例》执行。"
    assert any(e["rule"] == "ocr-paren" and e["before"] == "〈" for e in ps[0]["edits"])


def test_unmatched_opening_quote_after_label_is_stray_but_a_quoted_term_stays():
    ps = paras(run_text("第一条“劳动者的劳动报酬，是指“工资”。\n第二条　“城市大脑”，是指数字系统。\n"))
    assert ps[0]["text"] == "第一条　劳动者的劳动报酬，是指“工资”。"
    assert ps[1]["text"] == "第二条　“城市大脑”，是指数字系统。"


def test_first_item_opens_a_paragraph_after_a_lost_colon():
    text = ("第二条　具有下列情形之一的，应当认定为逃避支付劳动者的劳动报酬\n"
            "（一）隐匿财产的；\n（二）逃跑、藏匿的。\n"
            "第三条　依照前款第\n（一）项规定处理。\n")
    ps = [p["text"] for p in paras(run_text(text))]
    assert ps[:3] == ["第二条　具有下列情形之一的，应当认定为逃避支付劳动者的劳动报酬",
                      "（一）隐匿财产的；", "（二）逃跑、藏匿的。"]
    assert ps[3] == "第三条　依照前款第（一）项规定处理。"


def test_law_line_recurring_at_page_edges_is_not_a_header():
    # regression: 刑法's 单位犯前款罪的，…主管人员和 ended several pages and was taken for a footer
    pages = []
    for p in range(1, 7):
        pages.append(f"示例公报 2024年第1期\n第{'一二三四五六'[p - 1]}条　违反本法规定，情节严重的，处三年以下有期徒刑。\n"
                     f"单位犯前款罪的，对单位判处罚金，并对其直接负责的主管人员和\n- {p} -\n")
    text = "\f".join(pages)
    # the sentence runs on at the top of the next page
    text = text.replace("- 1 -\n\f示例公报 2024年第1期\n", "- 1 -\n\f示例公报 2024年第1期\n其他直接责任人员，依照前款的规定处罚。\n")
    out = run_text(text)
    removed = [r for r in out if r["type"] == "removed"]
    assert {r["rule"] for r in removed} == {"running-header", "page-number"}
    assert all(r["text"] != "单位犯前款罪的，对单位判处罚金，并对其直接负责的主管人员和" for r in removed)
    assert sum(1 for r in removed if r["rule"] == "running-header") == 6


def test_indented_plain_text_breaks_at_first_line_indent():
    text = ("　　第一条　为了规范养犬行为，保障公民健康和人身安全，维护市容环\n境和社会公共秩序，制定本条例。\n"
            "　　第二条　本市行政区域内养犬和相关管理活动，适用本条例。本条例\n所称犬只，包括依照本条例登记的犬只。\n"
            "　　市公安机关是养犬管理的主管部门，负责犬只登记、收容等工作。\n"
            "　　城市管理部门负责查处违反本条例规定的影响市容环境卫生行为，具体\n办法由市人民政府制定。\n"
            "　　区人民政府负责本辖区养犬管理工作。\n")
    assert normalize_text(text).splitlines() == [
        "第一条　为了规范养犬行为，保障公民健康和人身安全，维护市容环境和社会公共秩序，制定本条例。",
        "第二条　本市行政区域内养犬和相关管理活动，适用本条例。本条例所称犬只，包括依照本条例登记的犬只。",
        "市公安机关是养犬管理的主管部门，负责犬只登记、收容等工作。",
        "城市管理部门负责查处违反本条例规定的影响市容环境卫生行为，具体办法由市人民政府制定。",
        "区人民政府负责本辖区养犬管理工作。"]


def test_ocr_text_without_page_breaks_loses_inline_furniture():
    # OCR output concatenated without form feeds: headers and page numbers sit mid-text
    body = []
    for n in range(1, 71):
        body.append(f"第{n}条　本条例第{n}项所称事项，由市人民政府有关部门按照\n各自职责负责实施。\n")
        if n % 10 == 0:
            body.append(f"- {n // 10 + 79} -\n示例省人民代表大会常务委员会公报\n")
    text = "".join(body)
    assert "\f" not in text
    out = run_text(text)
    removed = [(r["rule"], r["text"]) for r in out if r["type"] == "removed"]
    assert removed.count(("running-header", "示例省人民代表大会常务委员会公报")) == 7
    assert ("page-number", "- 80 -") in removed
    ps = paras(out)
    assert len(ps) == 70 and all(p["text"].endswith("各自职责负责实施。") for p in ps)


def test_geometry_page_of_short_paragraphs_keeps_its_left_margin():
    # regression: when indented first lines outnumber full lines, the most common x0 is the
    # indent, and indented paragraphs were run together
    recs = [{"type": "page", "source": "b.pdf", "page": 1, "width": W, "height": H}]
    rows = [("第九条　房屋征收部门应当对房屋征收范围内房屋的权属进行调", 2, True),
            ("查登记，被征收人应当予以配合。", 0, False),
            ("房屋征收范围内有公房的，由公房管理部门调查认定。", 2, False),
            ("公房承租人符合房改政策的，享有购买的权利。", 2, False),
            ("承租人购房后，人民政府应当予以补偿。", 2, False),
            ("第十条　房屋征收部门拟定征收补偿方案，报设区的市、县", 2, True),
            ("人民政府。", 0, False)]
    top = 100
    for i, (text, ind, full) in enumerate(rows, 1):
        recs.append(geo_line(1, i, text, top, x0=LEFT + ind * SIZE, full=full))
        top += 28
    texts = [p["text"] for p in paras(normalize(recs))]
    assert texts == ["第九条　房屋征收部门应当对房屋征收范围内房屋的权属进行调查登记，被征收人应当予以配合。",
                     "房屋征收范围内有公房的，由公房管理部门调查认定。",
                     "公房承租人符合房改政策的，享有购买的权利。",
                     "承租人购房后，人民政府应当予以补偿。",
                     "第十条　房屋征收部门拟定征收补偿方案，报设区的市、县人民政府。"]


def test_geometry_paragraphs_set_apart_by_space():
    recs = [{"type": "page", "source": "b.pdf", "page": 1, "width": W, "height": H}]
    rows = [("本规定所称公共数据，是指国家机关在依法履行职责过程中收集", True, 0),
            ("和产生的数据。", False, 0),
            ("公共数据开放应当遵循分类分级、需求导向、安全可控的原则。", True, 1),
            ("市大数据主管部门负责本市公共数据开放的统筹协调和监督管", True, 1),
            ("理工作。", False, 0)]
    top = 100
    for i, (text, full, gap) in enumerate(rows, 1):
        top += 22 + gap * 20
        recs.append(geo_line(1, i, text, top, full=full))
    texts = [p["text"] for p in paras(normalize(recs))]
    assert texts == ["本规定所称公共数据，是指国家机关在依法履行职责过程中收集和产生的数据。",
                     "公共数据开放应当遵循分类分级、需求导向、安全可控的原则。",
                     "市大数据主管部门负责本市公共数据开放的统筹协调和监督管理工作。"]


def test_pdftotext_layout_indent_in_columns():
    # pdftotext -layout: two columns of indent, centred headings, full lines ending a sentence
    text = ("              第一章 总则\n\n"
            "  第一条 为加强建设工程质量管理，明确建设工程质量责任，保护\n"
            "从事建设工程活动各方及使用者合法权益，结合本省实际，制定条例。\n"
            "  建设工程质量监督管理工作由县级以上人民政府建设行政主管部门\n"
            "负责，交通、水利、电力等部门按国家规定负责本专业的监督工作。\n"
            "  本条例自公布之日起施行。\n")
    assert normalize_text(text).splitlines() == [
        "第一章　总则",
        "第一条　为加强建设工程质量管理，明确建设工程质量责任，保护从事建设工程活动各方及使用者合法权益，结合本省实际，制定条例。",
        "建设工程质量监督管理工作由县级以上人民政府建设行政主管部门负责，交通、水利、电力等部门按国家规定负责本专业的监督工作。",
        "本条例自公布之日起施行。"]


def test_recurring_section_heading_is_not_a_header():
    # regression: 第一节　一般规定 opens a section in each chapter; it recurs but is a heading
    chapters = []
    for c in range(1, 5):
        chapters.append(f"第{'一二三四'[c - 1]}章　第{c}章标题\n第一节　一般规定\n")
        chapters.extend(f"第{n}条　本章第{n}项规定适用于本节所列事项。\n" for n in range(c * 40, c * 40 + 40))
    out = run_text("".join(chapters))
    assert not any(r["type"] == "removed" for r in out)
    assert sum(1 for p in paras(out) if p["text"] == "第一节　一般规定") == 4


def test_geometry_title_in_two_lines_is_one_paragraph_notice_lines_are_not():
    recs = [{"type": "page", "source": "b.pdf", "page": 1, "width": W, "height": H},
            geo_line(1, 1, "中华人民共和国主席令", 100, x0=LEFT + 6 * SIZE, size=20),
            geo_line(1, 2, "第九号", 140, x0=LEFT + 10 * SIZE, size=20),
            geo_line(1, 3, "最高人民法院关于审理拒不支付劳动报酬刑事案件适", 200, x0=LEFT, size=20),
            geo_line(1, 4, "用法律若干问题的解释", 226, x0=LEFT + 6 * SIZE, size=20)]
    top = 280
    for i in range(5, 11):
        recs.append(geo_line(1, i, f"第{'一二三四五六'[i - 5]}条　本解释自公布之日起施行，有关规定同时废止。",
                             top, x0=LEFT + 2 * SIZE))
        top += 28
    texts = [p["text"] for p in paras(normalize(recs))]
    assert texts[:3] == ["中华人民共和国主席令", "第九号", "最高人民法院关于审理拒不支付劳动报酬刑事案件适用法律若干问题的解释"]


def test_geometry_caption_runs_on_to_its_closing_parenthesis():
    recs = [{"type": "page", "source": "b.pdf", "page": 1, "width": W, "height": H},
            geo_line(1, 1, "示例市养犬管理条例", 100, x0=LEFT + 7 * SIZE, size=20),
            geo_line(1, 2, "（2013年1月14日示例市人民代表大会常务委", 140, x0=LEFT + 3 * SIZE, size=12),
            geo_line(1, 3, "员会第五次会议通过）", 160, x0=LEFT + 8 * SIZE, size=12)]
    top = 200
    for i in range(4, 10):
        recs.append(geo_line(1, i, f"第{'一二三四五六'[i - 4]}条　本条例自公布之日起施行，有关规定同时废止。",
                             top, x0=LEFT + 2 * SIZE))
        top += 28
    texts = [p["text"] for p in paras(normalize(recs))]
    assert texts[:3] == ["示例市养犬管理条例", "（2013年1月14日示例市人民代表大会常务委员会第五次会议通过）",
                         "第一条　本条例自公布之日起施行，有关规定同时废止。"]


def test_indented_expected_article_run_into_its_text_opens_a_paragraph():
    """Regression: OCR lost the space after 第八条 and the last item of 第七条 lost its ；:
    the indented 第八条 line was joined to 第七条."""
    recs = [{"type": "source", "schema": 1, "path": "b.pdf", "format": "pdf"},
            {"type": "page", "source": "b.pdf", "page": 1, "width": W, "height": H}]
    body = [("第七条　设立国际货物运输代理企业，根据其行业特", dict(x0=LEFT + 2 * SIZE, full=True)),
            ("点，应当具备下列条件：", {}),
            ("（一）有固定的营业场所；", dict(x0=LEFT + 2 * SIZE)),
            ("（二）有稳定的进出口货源市场", dict(x0=LEFT + 2 * SIZE)),
            ("第八条企业的注册资本最低限额应当符合下列要求，并且", dict(x0=LEFT + 2 * SIZE, full=True)),
            ("按照规定办理。", {}),
            ("第二章　附　　则", dict(x0=LEFT + 9 * SIZE)),
            ("第九条　本条例自发布之日起施行。本条例施行前的规", dict(x0=LEFT + 2 * SIZE, full=True)),
            ("定与本条例不一致的，以本条例为准。", {})]
    top = 100
    for i, (text, kw) in enumerate(body, 1):
        recs.append(geo_line(1, i, text, top, **kw))
        top += 28
    texts = [p["text"] for p in paras(list(normalize(recs)))]
    assert texts[3] == "第八条　企业的注册资本最低限额应当符合下列要求，并且按照规定办理。"
    assert texts[2] == "（二）有稳定的进出口货源市场"
    # a cross-reference wrapped to the start of a continuation line is not an article
    recs[6]["bbox"][0] = LEFT
    texts = [p["text"] for p in paras(list(normalize(recs)))]
    assert texts[2].startswith("（二）有稳定的进出口货源市场第八条企业")


# --------------------------------------------------------------------------- OCR repairs

def _ocr_lines(texts, ocr=True):
    recs = [{"type": "source", "schema": 1, "path": "s.pdf", "format": "pdf"},
            {"type": "page", "source": "s.pdf", "page": 1, "width": W, "height": H, "ocr": ocr}]
    top = 100
    for i, t in enumerate(texts, 1):
        recs.append(dict(geo_line(1, i, t, top, x0=LEFT + 2 * SIZE), ocr=ocr))
        top += 40
    return recs


def test_ocr_repairs_zero_and_split_digits_on_ocr_lines_only(run_cli):
    texts = ["第一条　本条例自二O一四年十二月1日起施行。", "第二条　罚款1 000元以上，期限2 024年。",
             "第三条　二○一五年之前。"]
    r = run_cli(["normalize"], input=_ocr_lines(texts))
    ps = paras(r.records)
    assert [p["text"] for p in ps] == ["第一条　本条例自二〇一四年十二月1日起施行。",
                                       "第二条　罚款1000元以上，期限2024年。", "第三条　二〇一五年之前。"]
    rules = [e["rule"] for p in ps for e in p.get("edits", [])]
    assert rules.count("ocr-zero") == 2 and rules.count("ocr-digit-space") == 2
    e = next(e for e in ps[0]["edits"] if e["rule"] == "ocr-zero")
    assert (e["before"], e["after"], e["line"]) == ("二O一四", "二〇一四", 1)
    # a text layer says what its author typed: kept
    ps = paras(run_cli(["normalize"], input=_ocr_lines(texts, ocr=False)).records)
    assert "二O一四年" in ps[0]["text"] and "二○一五年" in ps[2]["text"]
    # idempotent: the paragraphs read back change nothing more
    again = paras(run_cli(["normalize"], input=paras(r.records)).records)
    assert [p["text"] for p in again] == [p["text"] for p in paras(r.records)]


def test_ocr_repairs_can_be_disabled():
    out = paras(list(normalize(_ocr_lines(["第一条　本条例自二O一四年起施行。"]), disable=("ocr-zero",))))
    assert "二O一四年" in out[0]["text"]


def test_page_number_with_dots_read_by_ocr_is_furniture():
    recs = _ocr_lines(["第一条　本条例自二〇一四年起施行。"])
    recs.append(dict(geo_line(1, 9, "。26。", 790, x0=LEFT + 12 * SIZE, size=10.5), ocr=True))
    out = list(normalize(recs))
    assert [p["text"] for p in paras(out)] == ["第一条　本条例自二〇一四年起施行。"]
    assert any(r["type"] == "removed" and r.get("rule") == "page-number" for r in out)


def test_normalize_output_of_a_pdf_is_read_back_by_split(run_cli):
    """Regression: a para's indent (true/false) was refused on read as 'must be a number', and every
    PDF pipeline (extract | normalize | split) stopped at its first paragraph."""
    r = run_cli(["normalize"], input=geo_pages())
    assert any(p.get("indent") is True for p in paras(r.records))
    s = run_cli(["split"], input=r.output)
    assert s.exit_code == 0, s.stderr
    assert [a["label"] for a in s.records if a["type"] == "article"] == ["第一条", "第二条"]


def test_ocr_line_fields_are_read_back(run_cli):
    recs = _ocr_lines(["第一条　本条例自二〇一四年起施行。"])
    recs[-1].update(ocr_engine="rapidocr", conf=98.5, char_boxes=[[1.0, 2.0]] * len(recs[-1]["text"]))
    r = run_cli(["normalize"], input=recs)
    assert r.exit_code == 0, r.stderr


def test_ocr_speck_before_an_article_label_and_a_colon_after_it_are_removed():
    """Regression (Tesseract, degraded scan): a speck in the margin read as ， joined the line of
    第十五条 and hid its label; the space after the label read as ':' stayed in the text."""
    recs = _ocr_lines(["第十四条　批准证书的有效期为3年。", "第十五条:国际货物运输代理企业终止营业。",
                       ".第十六条”本规定自发布之日起施行。"])
    speck = dict(geo_line(1, 9, "，", recs[3]["bbox"][1], x0=30), ocr=True)
    recs.insert(3, speck)
    out = paras(list(normalize(recs)))
    assert [p["text"] for p in out] == ["第十四条　批准证书的有效期为3年。", "第十五条　国际货物运输代理企业终止营业。",
                                        "第十六条　本规定自发布之日起施行。"]
    rules = [e["rule"] for p in out for e in p.get("edits", [])]
    assert rules.count("ocr-lead-noise") == 2 and rules.count("ocr-stray") == 2
    # typed text may write 第一条：, and keeps it
    typed = paras(list(normalize(_ocr_lines(["第十五条：国际货物运输代理企业终止营业。"], ocr=False))))
    assert "：国际货物" in typed[0]["text"]


def test_ocr_end_mark_found_in_the_image_is_written_with_its_evidence(run_cli):
    """Regression (PP-OCR, degraded scan): the detector's box stopped before a lone 。 ending a 款;
    extract read it again as the line's end_mark, normalize writes it and says so."""
    recs = _ocr_lines(["第二十七条　国际货物运输代理企业可以依法设立协会，提", "供服务", "第二十八条　本规定自发布之日起施行。"])
    recs[3]["bbox"][0] = LEFT  # a continuation line, at the left edge
    recs[3]["end_mark"] = {"text": "。", "conf": 99.9, "box": [137.8, 157.0]}
    r = run_cli(["normalize"], input=recs)
    ps = paras(r.records)
    assert [p["text"] for p in ps] == ["第二十七条　国际货物运输代理企业可以依法设立协会，提供服务。",
                                       "第二十八条　本规定自发布之日起施行。"]
    e = next(e for e in ps[0]["edits"] if e["rule"] == "ocr-end-mark")
    assert e == {"rule": "ocr-end-mark", "before": "", "after": "。", "at": 3, "conf": 99.9, "page": 1, "line": 2}
    assert not [x for x in r.records if x["type"] == "warning"]
    # read back: nothing more
    again = paras(run_cli(["normalize"], input=ps).records)
    assert [p["text"] for p in again] == [p["text"] for p in ps]


def test_ocr_paragraph_without_a_closing_mark_is_reported_not_completed(run_cli):
    recs = _ocr_lines(["第一章　总则", "第二十七条　国际货物运输代理企业可以依法设立协会，提", "供服务",
                       "第二十八条　本规定自发布之日起施行。"])
    recs[4]["bbox"][0] = LEFT
    r = run_cli(["normalize"], input=recs)
    assert [p["text"] for p in paras(r.records)][1] == "第二十七条　国际货物运输代理企业可以依法设立协会，提供服务"
    warns = [x for x in r.records if x["type"] == "warning"]
    assert [(w["code"], w["page"], w["line"]) for w in warns] == [("ocr-no-final-mark", 1, 3)]
    assert "提供服务" in warns[0]["message"] and "nothing was added" in warns[0]["message"]
    # a mark the engine read but the rule switched off: no mark, no warning either
    recs[4]["end_mark"] = {"text": "。", "conf": 99.9}
    out = list(normalize(recs, disable=("ocr-end-mark",)))
    assert paras(out)[1]["text"].endswith("提供服务") and not [x for x in out if x["type"] == "warning"]
    # typed text is what its author wrote: no end_mark written, nothing reported
    plain = _ocr_lines(["第二十七条　国际货物运输代理企业可以依法设立协会，提供服务"], ocr=False)
    plain[-1]["end_mark"] = {"text": "。", "conf": 99.9}
    out = list(normalize(plain))
    assert paras(out)[0]["text"].endswith("提供服务") and not [x for x in out if x["type"] == "warning"]


TESSERACT_TEXT = """郑州市城市公共汽车客运条例

第一条 ”为了规范城市公共汽车客运活动，制定本条例。

第二条 ”本条例自二O二O年十月一日起施行。

第三条 ”城市公共汽车客运是社会公益性事业，由有天部|门负责
"""


def test_plain_text_that_reads_like_ocr_output_gets_the_ocr_repairs(run_cli):
    """Tesseract's text (no ocr: true anywhere): a stray ” after most article labels gives it away."""
    r = run_cli(["normalize"], input=TESSERACT_TEXT)
    ps = [p["text"] for p in paras(r.records)]
    assert ps == ["郑州市城市公共汽车客运条例", "第一条　为了规范城市公共汽车客运活动，制定本条例。",
                  "第二条　本条例自二〇二〇年十月一日起施行。", "第三条　城市公共汽车客运是社会公益性事业，由有天部|门负责"]
    warns = [(w["code"], w.get("line")) for w in r.records if w["type"] == "warning"]
    assert warns[0] == ("text-looks-ocred", None) and ("ocr-no-final-mark", 7) in warns
    msg = next(w["message"] for w in r.records if w.get("code") == "text-looks-ocred")
    assert "3 of 3 article labels" in msg
    rules = [e["rule"] for p in paras(r.records) for e in p.get("edits", [])]
    assert rules.count("ocr-zero") == 1 and rules.count("ocr-stray") == 3
    # --ocr never: typed text, kept as written (the stray quotes are still stray: ocr-stray is no OCR-only rule)
    r = run_cli(["normalize", "--ocr", "never"], input=TESSERACT_TEXT)
    assert "二O二O年" in paras(r.records)[2]["text"]
    assert not [w for w in r.records if w["type"] == "warning"]


def test_typed_text_is_not_taken_for_ocr_output(run_cli):
    typed = "第一条　本条例自二O一四年起施行。\n第二条　“城市大脑”是指数字系统。\n第三条　本条例所称单位。\n"
    r = run_cli(["normalize"], input=typed)
    assert "二O一四年" in paras(r.records)[0]["text"]
    assert not [w for w in r.records if w["type"] == "warning"]
    # --ocr always: every line is OCR'd text
    r = run_cli(["normalize", "--ocr", "always"], input=typed)
    assert "二〇一四年" in paras(r.records)[0]["text"]
    from clt.errors import UsageError

    with pytest.raises(UsageError):
        list(normalize([], ocr="sometimes"))


def test_notice_heading_with_its_number_is_not_joined_to_the_title():
    # regression: 某市人民代表大会常务委员会公告第五号 (the notice's name and number on one
    # line), a blank line, then the law's title — a short text read as wrapped lines joined the
    # two into one false title
    text = ("某市人民代表大会常务委员会公告第五号\n\n某市养犬管理条例\n\n"
            "（2021年6月1日某市第十五届人民代表大会常务委员会第三十次会议通过）\n\n"
            "第一条　为了规范养犬行为，制定本条例。\n\n第二条　本条例自2021年9月1日起施行。\n")
    got = [p["text"] for p in paras(run_text(text))]
    assert got[:2] == ["某市人民代表大会常务委员会公告第五号", "某市养犬管理条例"]
    assert got[3] == "第一条　为了规范养犬行为，制定本条例。"



def test_notice_line_pattern_takes_headings_not_sentences():
    from clt.normalize.paragraphs import NOTICE_LINE_RE
    for t in ("某市人民代表大会常务委员会公告第五号", "中华人民共和国主席令（第十五号）", "国务院令第七百号",
              "全国人民代表大会常务委员会公告 第 3 号"):
        assert NOTICE_LINE_RE.match(t), t
    for t in ("依照国务院令第五号公布的办法", "第一条　为了示例，根据国务院令第五号", "某市养犬管理条例",
              "（2021年6月1日通过）第五号"):
        assert not NOTICE_LINE_RE.match(t), t


def test_indented_first_line_recurring_in_a_text_without_page_breaks_is_kept():
    # 刑法 第一百六十三条, 第二百七十一条 and 第二百七十二条 each have a 款 whose first printed line
    # (wrapped at 35 characters, two ideographic spaces of indent) is the same: recurring three
    # times in a text without form feeds does not make it a running header, it is law text
    text = read("recurring-first-line-no-formfeed.txt")
    out = run_text(text)
    assert [r for r in out if r["type"] == "removed"] == []
    first = "国有公司、企业或者其他国有单位中从事公务的人员和国有公司、企业或者其他国有单位委派到非国有公司"
    assert sum(p["text"].startswith(first) for p in paras(out)) == 3
    assert_accounted(text, out)


@pytest.mark.parametrize("name", ["oneperline-one-blank-unpunctuated-item.txt",
                                  "blank-separated-indented-unpunctuated-item.txt"])
def test_unpunctuated_item_line_is_not_run_into_the_next_paragraph(name):
    # one paragraph a line with one blank line under the title (a Word file's empty paragraph, a
    # 目录 set off), or a blank line after every paragraph and each indented 　　 (antiword's text
    # of a Word file): an item without a closing mark (3．…的决定) and 附件二 after it stay paragraphs
    out = paras(run_text(read(name)))
    texts = [p["text"] for p in out]
    assert texts[3] == "附件一"
    assert texts[7:9] == ["3．关于处理逃跑或者重新犯罪的劳改犯和劳教人员的决定", "附件二"]
    assert len(texts) == 12


def test_long_title_as_running_header_wrapped_over_two_full_lines_is_removed():
    # pdftotext -layout of a PDF whose running header is the interpretation's long title, wrapped
    # over two lines: its first line is as wide as a body line, yet it is the header (it was
    # left in 第四条 where that article crosses the page break)
    text = read("long-title-header-two-lines.txt")
    out = run_text(text)
    removed = [r["text"].strip() for r in out if r["type"] == "removed" and r["rule"] == "running-header"]
    assert removed == ["最高人民法院关于适用《中华人民共和国公司法》若干问题", "的规定（一）"] * 2
    (art4,) = [p["text"] for p in paras(out) if p["text"].startswith("第四条")]
    assert "已期满的持股时间；规定的合计持有公司百分之一以上股份" in art4
    assert_accounted(text, out)
