"""Character-level rules of clt normalize, one by one."""

import pytest

from clt.normalize import chars
from clt.normalize.rules import RULES, check_disabled, list_rules
from clt.errors import UsageError


def run(fn, text, **kw):
    edits = []
    out = fn(text, edits, **kw)
    return out, edits


def test_kangxi_radicals_become_unified_ideographs():
    out, edits = run(chars.radicals, "\u2f08\u6c11\u2f1f\u5730")  # ⼈民⼟地
    assert out == "人民土地"
    assert [(e["before"], e["after"]) for e in edits] == [("\u2f08", "人"), ("\u2f1f", "土")]
    assert all(e["rule"] == "radicals" for e in edits)


def test_radicals_supplement_simplified_forms():
    out, _ = run(chars.radicals, "\u2ed3\u6c5f\u2ed4\u53e3")  # ⻓江⻔口
    assert out == "长江门口"


def test_compatibility_ideographs_to_canonical():
    out, edits = run(chars.compat_ideographs, "\uf900\u5b57\uf9dc")
    assert out == "\u8c48\u5b57\u9686"
    assert edits[0]["rule"] == "compat-ideographs"


def test_nfkc_is_not_applied_to_fullwidth_punctuation():
    text = "依法（一）：“规定”，《条例》、【注】！？"
    new, edits, pua = chars.line_repairs(text)
    assert new == text and edits == [] and pua == []


def test_private_use_is_reported_not_changed():
    new, edits, pua = chars.line_repairs("本\ue001条例")
    assert new == "本\ue001条例"
    assert pua == ["\ue001"]


def test_fullwidth_digits_and_latin_to_halfwidth():
    out, edits = run(chars.fullwidth_alnum, "２０２４年ＡＢｃ")
    assert out == "2024年ABc"
    assert edits[0]["before"] == "２０２４"


@pytest.mark.parametrize("before,after", [
    ("城市治理工作,保护公民", "城市治理工作，保护公民"),
    ("具体措施;", "具体措施；"),
    ("承担以下职责:", "承担以下职责："),
    ("(一)研究制定", "（一）研究制定"),
    ("区、县(市)人民政府", "区、县（市）人民政府"),
    ("(2020 年 10 月 27 日通过", "（2020年10月27日通过"),
])
def test_halfwidth_punctuation_in_chinese_context(before, after):
    new, _, _ = chars.line_repairs(before)
    assert new == after


@pytest.mark.parametrize("text", [
    "1,000", "12:30", "Hello, world (see below)", "ISO 9001:2015", "3.5", "1. 总则",
])
def test_halfwidth_punctuation_kept_outside_chinese_context(text):
    out, edits = run(chars.punct_width, text)
    assert out == text and edits == []


def test_spaces_between_cjk_removed_latin_spaces_kept():
    new, edits, _ = chars.line_repairs("总　　则 and open source 软 件")
    assert new == "总则 and open source 软件"
    assert {e["rule"] for e in edits} == {"cjk-space"}


def test_spaces_around_digits_in_cjk_removed():
    new, _, _ = chars.line_repairs("2022 年第 15 期")
    assert new == "2022年第15期"


def test_letter_spaced_digits_closed_up():
    new, _, _ = chars.line_repairs("1 9 9 0年4月1日")
    assert new == "1990年4月1日"


def test_protected_label_separator_survives():
    new, _, _ = chars.line_repairs("第一条 为了规范", protect={3})
    assert new == "第一条 为了规范"


def test_disabled_rule_does_nothing():
    new, edits, _ = chars.line_repairs("城市,治理", disabled={"punct-width"})
    assert new == "城市,治理" and edits == []


def test_every_rule_is_listed_with_a_description():
    names = [n for n, fam, desc in list_rules()]
    assert names == list(RULES)
    assert all(desc for _, _, desc in list_rules())
    assert {"page-number", "running-header", "dup-line", "dup-fragment", "missing-di", "radicals",
            "compat-ideographs", "punct-width", "cjk-space", "ocr-stray", "fullwidth-alnum",
            "label-space", "private-use", "convert"} <= set(names)


def test_unknown_rule_is_a_usage_error():
    assert check_disabled(["cjk-space,punct-width"]) == {"cjk-space", "punct-width"}
    with pytest.raises(UsageError):
        check_disabled(["no-such-rule"])
