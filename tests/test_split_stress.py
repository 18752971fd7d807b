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
