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
