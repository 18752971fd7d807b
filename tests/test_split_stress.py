"""split on structures the first fixtures lacked (found by rendering laws in new layouts)."""

from clt.records import text_line_records
from clt.split import split


def _split_text(text):
    return list(split(text_line_records(text, "t.txt")))


CODE = """示例法典

目　　录
第一编　总则
第一章　任务和原则
第二章　适用范围
第二编　分则
第一章　一般规定
第二章　特别规定
第三编　附则

第一编　总则
第一章　任务和原则
第一条　为了示例，制定本法。
第二章　适用范围
第二条　本法适用于示例。
第二编　分则
第一章　一般规定
第三条　一般规定的内容。
第二章　特别规定
第四条　特别规定的内容。
第三编　附则
第五条　本法自2024年1月1日起施行。
"""


def test_toc_of_a_code_whose_parts_restart_chapter_numbers():
    # regression: in the 目录 of a law divided into 编, 第二编's 第一章 was taken for 第一编's
    # 第一章 seen again, so the 目录 ended there and its remaining entries became headings
    recs = _split_text(CODE)
    tocs = [r for r in recs if r["type"] == "block" and r["kind"] == "toc"]
    assert len(tocs) == 1
    assert tocs[0]["entries"] == ["第一编总则", "第一章任务和原则", "第二章适用范围", "第二编分则",
                                  "第一章一般规定", "第二章特别规定", "第三编附则"]
    arts = [r for r in recs if r["type"] == "article"]
    assert [(a["label"], a["path"]) for a in arts] == [
        ("第一条", ["第一编 总则", "第一章 任务和原则"]),
        ("第二条", ["第一编 总则", "第二章 适用范围"]),
        ("第三条", ["第二编 分则", "第一章 一般规定"]),
        ("第四条", ["第二编 分则", "第二章 特别规定"]),
        ("第五条", ["第三编 附则"]),
    ]
    heads = [r for r in recs if r["type"] == "heading"]
    assert len(heads) == 7
    assert not [r for r in recs if r["type"] == "warning"]


def test_notice_date_misread_by_ocr_is_not_part_of_the_title():
    # regression: OCR read the notice's date 2023年12月29日 as 2023年12月29昌; no longer a date,
    # it and the signing organ above it were taken into the law's title
    text = ("示例省人民代表大会常务委员会公告\n（第一百二十号）\n"
            "《示例省河道管理条例》已由示例省第十四届人民代表大会常务委员会第八次会议通过，现予公布，自2024年1月1日起施行。\n"
            "示例省人民代表大会常务委员会\n2023年12月29昌\n示例省河道管理条例\n"
            "（2023年12月29日示例省第十四届人民代表大会常务委员会第八次会议通过）\n"
            "第一条　为了加强河道管理，制定本条例。\n第二条　本条例自2024年1月1日起施行。\n")
    recs = _split_text(text)
    assert [r["title"] for r in recs if r["type"] == "document"] == ["示例省河道管理条例"]
    assert [r["label"] for r in recs if r["type"] == "article"] == ["第一条", "第二条"]
