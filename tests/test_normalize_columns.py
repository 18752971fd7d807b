"""Two-column pages (the State Council Gazette layout): paragraphs judged within each column."""

from clt.normalize import normalize


def _line(n, text, x0, top, x1, column, box):
    return {"type": "line", "source": "g.pdf", "page": 1, "line": n, "text": text, "size": 10.5,
            "bbox": [x0, top, x1, top + 10.5], "column": column, "column_box": box}


LEFT = [63.0, 287.63]
RIGHT = [308.62, 533.26]


def test_right_column_lines_join_into_one_paragraph():
    """Regression: every right-column line was its own paragraph, because its indent and
    line length were measured against the page's left margin instead of its column's."""
    recs = [
        {"type": "page", "source": "g.pdf", "page": 1, "width": 594.96, "height": 841.92},
        _line(1, "第一条　为推进建筑产业现代化和绿色建筑", 84.0, 239.37, 287.63, 1, LEFT),
        _line(2, "发展，优化钢铁行业供给结构，促进钢结构装配", 63.0, 255.12, 287.62, 1, LEFT),
        _line(3, "式建筑应用，结合本市实际，制定本条例。", 63.0, 270.87, 262.5, 1, LEFT),
        _line(4, "（二）社会投资的文化体育、教育医疗、商", 329.62, 80.37, 533.25, 2, RIGHT),
        _line(5, "业仓储等公共建筑，各类工业厂房（特殊功能需", 308.62, 96.12, 533.25, 2, RIGHT),
        _line(6, "求的除外），多层及部分高层住宅建筑；", 308.62, 111.87, 497.62, 2, RIGHT),
        _line(7, "（三）其他建筑。", 329.62, 127.62, 420.0, 2, RIGHT),
    ]
    paras = [r for r in normalize(recs) if r["type"] == "para"]
    assert [p["text"] for p in paras] == [
        "第一条　为推进建筑产业现代化和绿色建筑发展，优化钢铁行业供给结构，促进钢结构装配式建筑应用，结合本市实际，制定本条例。",
        "（二）社会投资的文化体育、教育医疗、商业仓储等公共建筑，各类工业厂房（特殊功能需求的除外），多层及部分高层住宅建筑；",
        "（三）其他建筑。",
    ]
    assert paras[1]["lines"] == [[1, 4], [1, 5], [1, 6]]


def test_title_in_larger_type_after_an_unfinished_paragraph_starts_its_own():
    """Regression: a column ending mid-article ("…由主管部门对责") took the next law's title,
    set in 15 pt at the top of the next page, as the rest of its sentence."""
    recs = [
        {"type": "page", "source": "g.pdf", "page": 2, "width": 594.96, "height": 841.92},
        _line(1, "第十六条　见义勇为人员的合法权益受法律", 84.0, 674.0, 283.0, 1, LEFT),
        _line(1, "保护，任何单位和个人不得侵害，违者依法处理", 63.0, 689.0, 283.0, 1, LEFT),
        _line(1, "。", 63.0, 705.0, 73.5, 1, LEFT),
        _line(1, "第十七条　负有保护和奖励见义勇为人员职", 84.0, 721.0, 283.0, 1, LEFT),
        _line(2, "责的部门及其工作人员在工作中弄虚作假、徇私", 63.0, 736.0, 283.0, 1, LEFT),
        _line(3, "舞弊、玩忽职守、滥用职权的，由主管部门对责", 63.0, 752.0, 283.0, 1, LEFT),
        {"type": "page", "source": "g.pdf", "page": 3, "width": 594.96, "height": 841.92},
    ]
    title = [("最高人民法院关于适用《中华人", 70.0, 90.0, 280.0), ("民共和国公司法》若干问题的规", 70.0, 113.0, 280.0),
             ("定（一）", 145.0, 135.0, 205.0)]
    for n, (text, x0, top, x1) in enumerate(title, 1):
        rec = _line(n, text, x0, top, x1, 1, LEFT)
        rec.update(page=3, size=15.0, bbox=[x0, top, x1, top + 15.0])
        recs.append(rec)
    recs.append(dict(_line(4, "第一条　公司法实施后，人民法院尚未审结", 84.0, 217.0, 283.0, 1, LEFT), page=3))
    paras = [r["text"] for r in normalize(recs) if r["type"] == "para"]
    assert paras[1].endswith("由主管部门对责")
    assert "最高人民法院关于适用《中华人民共和国公司法》若干问题的规定（一）" in paras
