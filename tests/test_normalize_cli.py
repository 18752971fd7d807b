"""clt normalize through the command line, and property tests over random input."""

import pytest
import os

from hypothesis import given, settings, strategies as st, HealthCheck

from clt.normalize import normalize
from clt.records import text_line_records

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "fixtures", "normalize")


def fixture(name):
    with open(os.path.join(FIX, name), encoding="utf-8") as f:
        return f.read()


def test_cli_plain_text_stdin(run_cli):
    r = run_cli(["normalize"], input=fixture("bulletin-pdftotext.txt"))
    assert r.exit_code == 0, r.stderr
    types = [x["type"] for x in r.records]
    assert types[0] == "source" and "para" in types and "removed" in types
    assert not {"line", "page"} & set(types)
    paras = [x for x in r.records if x["type"] == "para"]
    assert paras[3]["text"].startswith("第一条　为了规范养犬行为")
    assert all(p["lines"] and p["source"] == "<stdin>" for p in paras)


def test_cli_jsonl_stdin(run_cli):
    recs = [{"type": "source", "schema": 1, "path": "a.txt", "format": "text"},
            {"type": "page", "source": "a.txt", "page": 1},
            {"type": "line", "source": "a.txt", "page": 1, "line": 1, "text": "第一条 本条例适用于本市,"},
            {"type": "line", "source": "a.txt", "page": 1, "line": 2, "text": "自公布之日起施行。"}]
    r = run_cli(["normalize"], input=recs)
    assert r.exit_code == 0, r.stderr
    paras = [x for x in r.records if x["type"] == "para"]
    assert [p["text"] for p in paras] == ["第一条　本条例适用于本市，自公布之日起施行。"]
    assert paras[0]["lines"] == [[1, 1], [1, 2]]
    rules = [e["rule"] for e in paras[0]["edits"]]
    assert "punct-width" in rules and "label-space" in rules


def test_cli_text_mode_is_an_editor_filter(run_cli):
    r = run_cli(["normalize", "--text"], input=fixture("clean-oneperline.txt"))
    assert r.exit_code == 0
    lines = r.output.splitlines()
    assert lines[0] == "示例市公共图书馆条例"
    assert "第三条　市文化主管部门负责公共图书馆的监督管理：" in lines
    again = run_cli(["normalize", "--text"], input=r.output)
    assert again.output == r.output


def test_cli_list_rules(run_cli):
    r = run_cli(["normalize", "--list-rules"])
    assert r.exit_code == 0
    names = [l.split()[0] for l in r.output.splitlines()]
    assert "cjk-space" in names and "running-header" in names and "missing-di" in names


def test_cli_disable_rule(run_cli):
    r = run_cli(["normalize", "--text", "--disable", "punct-width,cjk-space"], input="第一条 本条例适用于本市,特此规定。\n")
    assert r.output == "第一条　本条例适用于本市,特此规定。\n"


def test_cli_unknown_rule_is_one_line_error(run_cli):
    r = run_cli(["normalize", "--disable", "nonsense"], input="第一条　x。\n")
    assert r.exit_code == 2
    assert r.stderr.startswith("clt: ") and "nonsense" in r.stderr and "Traceback" not in r.stderr


def test_cli_convert(run_cli):
    r = run_cli(["normalize", "--text", "--convert", "t2s"], input="第一條　為了規範管理，制定本條例。\n")
    assert r.output == "第一条　为了规范管理，制定本条例。\n"
    bad = run_cli(["normalize", "--convert", "x2y"], input="a\n")
    assert bad.exit_code == 2 and "x2y" in bad.stderr


def test_cli_no_removed(run_cli):
    r = run_cli(["normalize", "--no-removed"], input=fixture("bulletin-pdftotext.txt"))
    assert not any(x["type"] == "removed" for x in r.records)


def test_cli_bad_jsonl_is_one_line_error(run_cli):
    r = run_cli(["normalize"], input='{"type": "line", "text": "x"}\n{not json\n')
    assert r.exit_code == 1 and "not a JSON object" in r.stderr


# --------------------------------------------------------------------------- properties

ALPHABET = list("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严") + \
    list("，。；：、（）()“”,;: 　\u2f08\uf900１２３")
LINE = st.text(alphabet=st.sampled_from(ALPHABET), min_size=0, max_size=40)
LABELED = st.builds(lambda n, t: f"第{'一二三四五六七八九十'[n]}条 {t}", st.integers(0, 9), LINE)
PAGE = st.lists(st.one_of(LINE, LABELED, st.sampled_from(["— 3 —", "- 4 -", "公报 2024年第1期", "12", ""])),
                min_size=0, max_size=12)
DOC = st.lists(PAGE, min_size=1, max_size=4).map(lambda ps: "\f".join("\n".join(p) for p in ps))


def ideographs(s):
    from collections import Counter
    return Counter(c for c in s if "\u4e00" <= c <= "\u9fff")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOC)
def test_no_ideograph_lost_unless_accounted(text):
    out = list(normalize(text_line_records(text, "r.txt")))
    have = ideographs("")
    for r in out:
        if r["type"] == "para":
            have += ideographs(r["text"])
            for e in r.get("edits", []):
                have += ideographs(e["before"])
        elif r["type"] == "removed":
            have += ideographs(r["text"])
    want = ideographs(text)
    for r in out:
        if r["type"] == "para":
            for e in r.get("edits", []):
                want += ideographs(e["after"])
    assert have == want


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOC)
def test_idempotent_on_random_input(text):
    first = [r for r in normalize(text_line_records(text, "r.txt"))]
    second = list(normalize(iter(first)))
    assert [r["text"] for r in second if r["type"] == "para"] == [r["text"] for r in first if r["type"] == "para"]


def test_typed_label_colon_gets_no_space_before_it_and_stays_put():
    """Regression (hypothesis, '第\\n第一条:'): label-space put U+3000 between 第一条 and the
    colon a typed text sets after it (第一条　：…) on the second run only, so normalize was not
    idempotent; the colon is the separator as printed and nothing goes before it."""
    text = "第一条：为了规范管理，制定本法。\n第二条:本法适用于全国。\n第三条 本法自公布之日起施行。\n"
    first = [r for r in normalize(text_line_records(text, "r.txt")) if r["type"] == "para"]
    assert [p["text"] for p in first] == ["第一条：为了规范管理，制定本法。", "第二条：本法适用于全国。",
                                          "第三条　本法自公布之日起施行。"]
    second = [r for r in normalize(iter(first)) if r["type"] == "para"]
    assert [p["text"] for p in second] == [p["text"] for p in first]
    found = [r["text"] for r in normalize(text_line_records("第\n第一条:", "r.txt")) if r["type"] == "para"]
    again = [r["text"] for r in normalize(text_line_records(found[0], "r.txt")) if r["type"] == "para"]
    assert found == again == ["第一条："]


def test_cli_bad_bbox_is_one_line_error(run_cli):
    recs = [{"type": "line", "source": "a.pdf", "page": 2, "line": 7, "text": "x", "bbox": [1, 2, "x"]}]
    r = run_cli(["normalize"], input=recs)
    assert r.exit_code == 1
    # the stream's own place (stdin, record 1) and the field: validated on read
    assert r.stderr == "clt: <stdin>:1: line record: field 'bbox' must be a list of 4 numbers\n"


def test_lines_of_two_files_without_source_records_are_kept_apart():
    recs = [{"type": "line", "source": "a.txt", "page": 1, "line": 1, "text": "第一条　甲法适用于本市，"},
            {"type": "line", "source": "b.txt", "page": 1, "line": 1, "text": "第一条　乙法适用于本省。"}]
    out = [r for r in normalize(recs) if r["type"] == "para"]
    assert [(p["source"], p["text"]) for p in out] == [("a.txt", "第一条　甲法适用于本市，"),
                                                       ("b.txt", "第一条　乙法适用于本省。")]


# --------------------------------------------------------------------------- 题注 spaces (issue 15)

CAPTION = ("（2016年11月7日第十二届全国人民代表大会常务委员会第二十四次会议通过　"
           "2016年11月7日中华人民共和国主席令第五十三号公布　自2017年6月1日起施行）")
AMENDED = ("（1989年12月26日第七届全国人民代表大会常务委员会第十一次会议通过　根据2014年4月24日"
           "第十二届全国人民代表大会常务委员会第八次会议《关于修改〈中华人民共和国环境保护法〉等十五部法律的决定》"
           "第一次修正 根据2018年10月26日第十三届全国人民代表大会常务委员会第六次会议修订）")


@pytest.mark.parametrize("caption", [CAPTION, CAPTION.replace("　", " "), AMENDED])
def test_cjk_space_keeps_the_spaces_between_caption_events(run_cli, caption):
    # `通过　2016年` stays as printed (U+3000 or an ordinary space): the 题注's events are
    # separated by them, and README promises the 题注 as printed
    law = "中华人民共和国网络安全法\n" + caption + "\n第一条　为了保障网络安全，制定本法。\n"
    r = run_cli(["normalize", "--text"], input=law)
    assert r.exit_code == 0
    assert r.output.splitlines()[1] == caption
    assert run_cli(["normalize", "--text"], input=r.output).output == r.output  # idempotent
    doc = next(x for x in run_cli(["split"], input=law).records if x["type"] == "document")
    assert doc["caption"] == caption


def test_cjk_space_still_closes_up_spaces_inside_text():
    from clt.normalize.chars import cjk_space

    edits = []
    assert cjk_space("本条例 适用于 2016年 的规定", edits) == "本条例适用于2016年的规定"
    assert cjk_space("会议通过　根据本法", []) == "会议通过根据本法"  # no date after: not a 题注
    assert cjk_space("会议通过　根据2018年1月2日决定", []) == "会议通过　根据2018年1月2日决定"
    assert cjk_space("2018年1月1日会议通过　2018年1月2日公布", []) == "2018年1月1日会议通过　2018年1月2日公布"


def test_caption_spaces_kept_when_the_dates_are_letter_spaced(run_cli):
    # a Word export: `2020 年 10 月 27 日` -- the date closes up, the gap between the events stays
    law = ("条例\n\n(2020 年 10 月 27 日杭州市第十三届人民代表大会常务委员会第三十次会议通过 2020 年 11 月 27 日"
           "浙江省第十三届人民代表大会常务委员会第二十五次会议批准)\n\n第一条 甲。\n")
    out = run_cli(["normalize", "--text"], input=law).output.splitlines()
    assert out[1] == ("（2020年10月27日杭州市第十三届人民代表大会常务委员会第三十次会议通过 2020年11月27日"
                      "浙江省第十三届人民代表大会常务委员会第二十五次会议批准）")
