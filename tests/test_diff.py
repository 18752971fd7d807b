"""clt diff: pairing articles through renumbering, inline runs, renderers, errors."""

import json
import os

import pytest

from clt.diff import diff
from clt.diff.inline import inline_diff, inline_sides, map_references
from clt.errors import InputError
from clt.labels import article_label
from clt.records import read_records

from conftest import FIXTURES, to_jsonl

DIFF_FIXTURES = os.path.join(FIXTURES, "diff")

# A small law, one article per line; texts written for these tests.
LAW = [
    "为了加强河道管理，保障防洪安全，发挥河道的综合效益，根据有关法律、法规，结合本市实际，制定本条例。",
    "本条例适用于本市行政区域内河道（包括湖泊、人工水道）的整治、利用和保护。",
    "市水行政主管部门负责全市河道的监督管理工作。\n区、县水行政主管部门按照管理权限负责本行政区域内河道的监督管理工作。",
    "河道的整治与建设，应当服从流域综合规划，符合国家规定的防洪标准和其他有关技术要求。",
    "修建桥梁、码头和其他设施，必须按照国家规定的防洪标准所确定的河宽进行，不得缩窄行洪通道。",
    "在河道管理范围内，禁止弃置矿渣、石渣、煤灰、泥土、垃圾等，禁止堆放阻碍行洪的物体。",
    "在河道管理范围内采砂、取土、淘金，必须报经河道主管机关批准，按照规定的范围和作业方式进行。",
    "河道主管机关应当定期对河道进行巡查，发现违法行为及时制止并依法处理。",
    "单位和个人有保护河道堤防安全和参加防汛抢险的义务，对破坏河道的行为有权检举和控告。",
    "违反本条例规定，构成违反治安管理行为的，由公安机关依法给予治安管理处罚；构成犯罪的，依法追究刑事责任。",
    "本条例自2001年1月1日起施行。",
]
NEW_ARTICLE = "河道管理应当坚持统一规划、综合治理、生态优先、保障安全的原则，统筹上下游、左右岸的利益。"


def law(texts, title="某市河道管理条例", headings=None):
    """split-style records for a list of article texts (labels numbered in order)."""
    recs = [{"type": "document", "schema": 1, "title": title}]
    for h in headings or []:
        recs.append(dict({"type": "heading"}, **h))
    for i, t in enumerate(texts):
        recs.append({"type": "article", "label": article_label(i + 1), "num": i + 1, "sub": None,
                     "path": [], "text": t})
    return recs


def changes(records):
    return [r for r in records if r["type"] == "change"]


def labels(side):
    if side is None:
        return None
    if isinstance(side, list):
        return [a["label"] for a in side]
    return side["label"]


def pairs(records):
    return [(r["op"], labels(r["old"]), labels(r["new"])) for r in changes(records)]


# --------------------------------------------------------------------------- library

def test_identical_versions_are_all_equal():
    out = list(diff(law(LAW), law(LAW)))
    assert {r["op"] for r in changes(out)} == {"equal"}
    assert len(changes(out)) == len(LAW)
    assert out[-1]["type"] == "summary" and out[-1]["identical"] is True
    assert out[-1]["changes"] == {"equal": len(LAW)}


def test_insertion_renumbers_the_rest_without_calling_them_modified():
    new = LAW[:2] + [NEW_ARTICLE] + LAW[2:]
    out = pairs(diff(law(LAW), law(new)))
    assert out[0] == ("equal", "第一条", "第一条")
    assert ("inserted", None, "第三条") in out
    assert ("renumbered", "第三条", "第四条") in out
    assert ("renumbered", "第十一条", "第十二条") in out
    assert [op for op, _, _ in out].count("modified") == 0


def test_modified_article_has_grouped_inline_runs():
    new = list(LAW)
    new[4] = "修建桥梁、码头和其他设施，必须按照国家规定的防洪标准所确定的河宽进行，不得缩窄行洪通道，不得影响河势稳定。"
    rec = [r for r in changes(diff(law(LAW), law(new))) if r["op"] == "modified"]
    assert len(rec) == 1
    assert rec[0]["old"]["label"] == rec[0]["new"]["label"] == "第五条"
    assert rec[0]["inline"][-2:] == [["+", "，不得影响河势稳定"], ["=", "。"]]
    assert rec[0]["changed_chars"] == len("，不得影响河势稳定")
    assert 0.9 < rec[0]["similarity"] < 1.0


def test_deleted_moved_split_and_merged():
    old = list(LAW)
    new = [
        LAW[0], LAW[1],
        # 3 split into two articles at its paragraph break
        "市水行政主管部门负责全市河道的监督管理工作。",
        "区、县水行政主管部门按照管理权限负责本行政区域内河道的监督管理工作。",
        LAW[3],
        # 5 and 6 merged
        LAW[4] + "\n" + LAW[5],
        # 7 deleted; 8 kept; 10 moved before 9
        LAW[7], LAW[9], LAW[8], LAW[10],
    ]
    out = pairs(diff(law(old), law(new)))
    assert ("split", "第三条", ["第三条", "第四条"]) in out
    assert ("merged", ["第五条", "第六条"], "第六条") in out
    assert ("deleted", "第七条", None) in out
    assert ("renumbered", "第八条", "第七条") in out
    moved = [p for p in out if p[0] == "moved"]
    assert len(moved) == 1 and moved[0][1] in ("第九条", "第十条")
    # every article of both versions appears exactly once
    olds = [x for _, o, _ in out if o for x in (o if isinstance(o, list) else [o])]
    news = [x for _, _, n in out if n for x in (n if isinstance(n, list) else [n])]
    assert sorted(olds) == sorted(article_label(i + 1) for i in range(len(old)))
    assert sorted(news) == sorted(article_label(i + 1) for i in range(len(new)))


def test_moved_article_does_not_cut_its_neighbours_apart():
    # regression: an exact article moved a few places became an anchor that
    # separated a split article from its parts, which were then left unpaired
    new = [LAW[0], LAW[6], LAW[1],
           "市水行政主管部门负责全市河道的监督管理工作。",
           "区、县水行政主管部门按照管理权限负责本行政区域内河道的监督管理工作。",
           LAW[3], LAW[4], LAW[5], LAW[7], LAW[8], LAW[9], LAW[10]]
    out = pairs(diff(law(LAW), law(new)))
    assert ("split", "第三条", ["第四条", "第五条"]) in out
    assert any(op == "moved" and o == "第七条" and n == "第二条" for op, o, n in out)


def test_split_with_an_inserted_article_between_its_parts():
    # regression: the parts of a split were only looked for side by side
    new = [LAW[0], LAW[1], "市水行政主管部门负责全市河道的监督管理工作。", NEW_ARTICLE,
           "区、县水行政主管部门按照管理权限负责本行政区域内河道的监督管理工作。"] + LAW[3:]
    out = pairs(diff(law(LAW), law(new)))
    assert ("split", "第三条", ["第三条", "第五条"]) in out
    assert ("inserted", None, "第四条") in out


def test_reference_that_follows_renumbering_is_not_an_amendment():
    old = LAW[:4] + ["违反本条例第四条规定的，由水行政主管部门责令停止违法行为；违反《中华人民共和国水法》第四条的，依照其规定处理。"]
    new = [NEW_ARTICLE] + LAW[:4] + [
        "违反本条例第五条规定的，由水行政主管部门责令停止违法行为；违反《中华人民共和国水法》第四条的，依照其规定处理。"]
    rec = changes(diff(law(old), law(new)))[-1]
    assert rec["op"] == "renumbered"
    assert rec["references_only"] is True
    assert ["-", "第四条"] in rec["inline"] and ["+", "第五条"] in rec["inline"]


def test_reference_to_the_wrong_article_is_a_real_amendment():
    old = LAW[:4] + ["违反本条例第四条规定的，由水行政主管部门责令停止违法行为。"]
    new = [NEW_ARTICLE] + LAW[:4] + ["违反本条例第三条规定的，由水行政主管部门责令停止违法行为。"]
    rec = changes(diff(law(old), law(new)))[-1]
    assert rec["op"] == "modified" and "references_only" not in rec


def test_map_references_leaves_other_laws_alone():
    m = {(20, None): "第二十一条", (30, 1): "第三十一条"}
    assert map_references("依照本法第二十条、第三十条之一和刑法第二十条的规定", m) == \
        "依照本法第二十一条、第三十一条和刑法第二十条的规定"


def test_ignore_width_and_space():
    new = list(LAW)
    new[1] = "本条例适用于本市行政区域内河道(包括湖泊、人工水道)的整治、利用和保护。"
    new[3] = "河道的整治与建设，应当服从流域综合规划， 符合国家规定的防洪标准和其他有关技术要求。"
    plain = pairs(diff(law(LAW), law(new)))
    assert plain[1][0] == "modified" and plain[3][0] == "modified"
    wide = pairs(diff(law(LAW), law(new), ignore_width=True))
    assert wide[1][0] == "equal" and wide[3][0] == "modified"
    both = list(diff(law(LAW), law(new), ignore_width=True, ignore_space=True))
    assert {r["op"] for r in changes(both)} == {"equal"}
    assert both[-1]["identical"] is True


def test_headings_are_compared_apart_from_articles():
    h_old = [{"level": "chapter", "label": "第一章", "num": 1, "title": "总则", "path": []},
             {"level": "chapter", "label": "第二章", "num": 2, "title": "河道整治与建设", "path": []}]
    h_new = [{"level": "chapter", "label": "第一章", "num": 1, "title": "总则", "path": []},
             {"level": "chapter", "label": "第二章", "num": 2, "title": "河道整治与保护", "path": []},
             {"level": "chapter", "label": "第三章", "num": 3, "title": "法律责任", "path": []}]
    out = list(diff(law(LAW, headings=h_old), law(LAW, headings=h_new)))
    hc = [r for r in out if r["type"] == "heading_change"]
    assert [(r["op"], labels(r["old"]), labels(r["new"])) for r in hc] == [
        ("equal", "第一章", "第一章"), ("renamed", "第二章", "第二章"), ("inserted", None, "第三章")]
    assert hc[1]["inline"] == [["=", "河道整治与"], ["-", "建设"], ["+", "保护"]]
    # article changes never carry heading labels
    assert all("章" not in labels(r["old"]) for r in changes(out))
    assert out[-1]["identical"] is False


def test_unrelated_laws_are_refused_unless_forced():
    other = ["为了规范广告活动，保护消费者的合法权益，促进广告业的健康发展，制定本法。",
             "广告主、广告经营者、广告发布者从事广告活动，应当遵守法律、法规，诚实信用，公平竞争。",
             "国务院市场监督管理部门主管全国的广告监督管理工作。",
             "广告应当真实、合法，以健康的表现形式表达广告内容。"]
    with pytest.raises(InputError, match="same law"):
        list(diff(law(LAW), law(other, title="某广告条例")))
    out = list(diff(law(LAW), law(other, title="某广告条例"), force=True))
    assert out[-1]["changes"]["deleted"] >= 8


def test_side_without_articles_is_an_error():
    with pytest.raises(InputError, match="no articles"):
        list(diff(law(LAW), [{"type": "document", "title": "空"}]))
    with pytest.raises(InputError, match="empty"):
        list(diff(law(LAW), []))


def test_unknown_record_types_are_ignored():
    old = law(LAW) + [{"type": "block", "kind": "notice", "text": "公告"}, {"type": "x-custom"}]
    out = list(diff(old, law(LAW)))
    assert out[-1]["identical"] is True


# --------------------------------------------------------------------------- inline runs

def test_inline_runs_group_scattered_characters():
    runs = inline_diff("县级以上人民政府有关部门应当加强监督", "县级以上人民政府有关主管部门应当依法加强监督")
    assert runs == [["=", "县级以上人民政府有关"], ["+", "主管"], ["=", "部门应当"], ["+", "依法"],
                    ["=", "加强监督"]]
    # a rewritten clause reads as one deletion and one insertion, not a
    # character soup around the shared 的/，
    runs = inline_diff("由有关部门责令改正，处一千元罚款。", "由市场监督管理部门责令限期改正，处五千元以上罚款。")
    old, new = inline_sides(runs)
    assert (old, new) == ("由有关部门责令改正，处一千元罚款。", "由市场监督管理部门责令限期改正，处五千元以上罚款。")
    assert runs[:4] == [["=", "由"], ["-", "有关"], ["+", "市场监督管理"], ["=", "部门责令"]]
    inner_equal = [t for tag, t in runs[1:-1] if tag == "="]
    assert inner_equal and all(len(t) >= 2 for t in inner_equal)


@pytest.mark.parametrize("a,b", [
    ("", "新增条文。"), ("删除条文。", ""), ("甲乙丙丁", "甲乙丙丁"), ("第一款\n第二款", "第一款\n（一）项\n第二款"),
])
def test_inline_runs_rebuild_both_sides(a, b):
    assert inline_sides(inline_diff(a, b)) == (a, b)


def test_inline_runs_with_ignored_space_show_new_text():
    runs = inline_diff("甲 乙，丙", "甲乙,丙丁", ignore_width=True, ignore_space=True)
    assert runs == [["=", "甲乙,丙"], ["+", "丁"]]


# --------------------------------------------------------------------------- command line

@pytest.fixture
def two_versions(tmp_path):
    new = LAW[:2] + [NEW_ARTICLE] + LAW[2:]
    new[5] = "修建桥梁、码头和其他设施，必须按照国家规定的防洪标准所确定的河宽进行，不得缩窄行洪通道，不得影响河势稳定。"
    o, n = tmp_path / "old.jsonl", tmp_path / "new.jsonl"
    o.write_text(to_jsonl(law(LAW)), encoding="utf-8")
    n.write_text(to_jsonl(law(new)), encoding="utf-8")
    return str(o), str(n)


def test_cli_jsonl_and_exit_status(run_cli, two_versions):
    o, n = two_versions
    r = run_cli(["diff", o, n])
    assert r.exit_code == 1
    recs = r.records
    assert recs[-1]["type"] == "summary"
    assert recs[-1]["changes"] == {"equal": 2, "renumbered": 8, "modified": 1, "inserted": 1}
    same = run_cli(["diff", o, o])
    assert same.exit_code == 0 and same.records[-1]["identical"] is True


def test_cli_reads_one_side_from_stdin(run_cli, two_versions):
    o, n = two_versions
    with open(n, encoding="utf-8") as fp:
        r = run_cli(["diff", o, "-"], input=fp.read())
    assert r.exit_code == 1
    assert r.records[-1]["new"]["source"] == "<stdin>"


def test_cli_errors_exit_2(run_cli, tmp_path, two_versions):
    o, _ = two_versions
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    r = run_cli(["diff", o, str(empty)])
    assert r.exit_code == 2
    assert r.stderr.startswith("clt: ") and "empty" in r.stderr and "Traceback" not in r.stderr
    r = run_cli(["diff", o, str(tmp_path / "missing.jsonl")])
    assert r.exit_code == 2
    notlaw = tmp_path / "notlaw.jsonl"
    notlaw.write_text(to_jsonl([{"type": "warning", "stage": "x", "message": "m"}]), encoding="utf-8")
    r = run_cli(["diff", o, str(notlaw)])
    assert r.exit_code == 2 and "no articles" in r.stderr
    r = run_cli(["diff", "-", "-"], input="")
    assert r.exit_code == 2


def test_cli_unified(run_cli, two_versions):
    o, n = two_versions
    r = run_cli(["diff", o, n, "-u"])
    assert r.exit_code == 1
    lines = r.output.splitlines()
    # GNU headers: name, a tab, the mtime with nanoseconds and the UTC offset
    assert lines[0].startswith(f"--- {o}\t") and lines[1].startswith(f"+++ {n}\t")
    import re

    assert re.fullmatch(r"--- .*\t\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} [+-]\d{4}", lines[0])
    # the rendering: 1 title, 2 blank, 3.. one article per line; the insertion after line 4
    assert "@@ -4,0 +5 @@ 第三条" in lines
    k = lines.index("@@ -4,0 +5 @@ 第三条")
    assert lines[k + 1] == "+\u3000\u3000第三条\u3000" + NEW_ARTICLE
    # a renumbered article is one changed line, its own hunk
    k = lines.index("@@ -5 +6 @@ 第三条 → 第四条")
    assert lines[k + 1] == "-\u3000\u3000第三条\u3000市水行政主管部门负责全市河道的监督管理工作。"
    assert lines[k + 2] == "+\u3000\u3000第四条\u3000市水行政主管部门负责全市河道的监督管理工作。"
    # its second 款 did not change: not in the diff at all (no neighbour's room for context)
    assert "区、县水行政主管部门" not in r.output
    # no inline markers inside the lines of a real diff
    assert "{+" not in r.output and "[-" not in r.output
    # the old name of the option still works
    assert run_cli(["diff", o, n, "--format", "unified"]).output.splitlines()[2:] == lines[2:]
    assert run_cli(["diff", o, n, "--to", "unified"]).output.splitlines()[2:] == lines[2:]
    assert run_cli(["diff", o, o, "-u"]).exit_code == 0
    assert run_cli(["diff", o, o, "-u"]).output == ""


def test_unified_context_lines(run_cli, tmp_path):
    # one edit in the middle of the law: three lines of context either side
    new = list(LAW)
    new[5] = LAW[5].replace("禁止堆放", "不得堆放")
    o, n = tmp_path / "o.jsonl", tmp_path / "n.jsonl"
    o.write_text(to_jsonl(law(LAW)), encoding="utf-8")
    n.write_text(to_jsonl(law(new)), encoding="utf-8")
    out = run_cli(["diff", str(o), str(n), "-u"]).output.splitlines()
    # title, blank, 第一条 (line 3), 第二条, 第三条 (two 款: lines 5-6) ... 第六条 is line 9
    assert out[2] == "@@ -6,7 +6,7 @@ 第六条"
    assert out[3:6] == [" \u3000\u3000" + LAW[2].split("\n")[1], " \u3000\u3000第四条\u3000" + LAW[3],
                        " \u3000\u3000第五条\u3000" + LAW[4]]
    assert out[6] == "-\u3000\u3000第六条\u3000" + LAW[5]
    assert out[7] == "+\u3000\u3000第六条\u3000" + new[5]
    assert len(out) == 11
    zero = run_cli(["diff", str(o), str(n), "-U", "0"]).output.splitlines()
    assert zero[2:] == ["@@ -9 +9 @@ 第六条", out[6], out[7]]


def _rendered(run_cli, path, tmp_path, name):
    r = run_cli(["convert", "--to", "txt", path])
    assert r.exit_code == 0, r.stderr
    p = tmp_path / name
    p.write_text(r.output, encoding="utf-8")
    return p


@pytest.mark.parametrize("pair", ["fixtures", "generated"])
def test_unified_diff_is_applied_by_patch(run_cli, tmp_path, two_versions, pair):
    import shutil
    import subprocess

    if not shutil.which("patch"):
        pytest.skip("patch(1) is not installed")
    if pair == "fixtures":
        o, n = os.path.join(DIFF_FIXTURES, "old.txt"), os.path.join(DIFF_FIXTURES, "new.txt")
    else:
        o, n = two_versions
    r = run_cli(["diff", o, n, "-u"])
    assert r.exit_code == 1
    patch_file = tmp_path / "changes.diff"
    patch_file.write_text(r.output, encoding="utf-8")
    old_txt = _rendered(run_cli, o, tmp_path, "old.txt")
    new_txt = _rendered(run_cli, n, tmp_path, "new.txt")
    dry = subprocess.run(["patch", "--dry-run", str(old_txt), str(patch_file)],
                         capture_output=True, text=True)
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "FAILED" not in dry.stdout and "fuzz" not in dry.stdout and "offset" not in dry.stdout
    # and really applied, it gives the new version's rendering, byte for byte
    done = subprocess.run(["patch", "-s", str(old_txt), str(patch_file)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert old_txt.read_bytes() == new_txt.read_bytes()


def test_unified_diff_is_read_by_diffstat(run_cli, two_versions):
    import shutil
    import subprocess

    if not shutil.which("diffstat"):
        pytest.skip("diffstat is not installed (Debian package diffstat)")
    r = run_cli(["diff", *two_versions, "-u"])
    st = subprocess.run(["diffstat"], input=r.output.encode("utf-8"), capture_output=True)
    out = st.stdout.decode("utf-8")
    assert st.returncode == 0
    # 8 renumbered articles (one line each), 1 modified, 1 inserted
    assert "1 file changed, 10 insertions(+), 9 deletions(-)" in out


def test_unified_library_call():
    from clt.diff.unified import unified_diff

    new = list(LAW)
    new[10] = "本条例自2002年1月1日起施行。"
    out = list(unified_diff(law(LAW), law(new), old_label="a.txt", new_label="b.txt", context=1))
    assert out == ["--- a.txt\n", "+++ b.txt\n", "@@ -13,2 +13,2 @@ 第十一条\n",
                   " \u3000\u3000第十条\u3000" + LAW[9] + "\n",
                   "-\u3000\u3000第十一条\u3000本条例自2001年1月1日起施行。\n",
                   "+\u3000\u3000第十一条\u3000本条例自2002年1月1日起施行。\n"]
    assert list(unified_diff(law(LAW), law(LAW))) == []


def test_unified_ignore_space_and_color(run_cli, tmp_path):
    new = list(LAW)
    new[1] = LAW[1].replace("河道", "河 道")
    new[10] = "本条例自2002年1月1日起施行。"
    o, n = tmp_path / "o.jsonl", tmp_path / "n.jsonl"
    o.write_text(to_jsonl(law(LAW)), encoding="utf-8")
    n.write_text(to_jsonl(law(new)), encoding="utf-8")
    plain = run_cli(["diff", str(o), str(n), "-u"]).output
    assert "+\u3000\u3000第二条\u3000本条例适用于本市行政区域内河 道" in plain
    w = run_cli(["diff", str(o), str(n), "-u", "-w"]).output
    assert "第二条" not in w and "@@ -11,4 +11,4 @@ 第十一条" in w
    # not a terminal: no colour unless asked
    assert "\x1b[" not in plain
    col = run_cli(["diff", str(o), str(n), "-u", "-w", "--color", "always"]).output
    assert col.startswith("\x1b[1m--- ")
    assert "\x1b[36m@@ -11,4 +11,4 @@\x1b[0m 第十一条" in col
    # the changed characters are highlighted inside the red and green lines
    assert "\x1b[31m-\u3000\u3000第十一条\u3000本条例自\x1b[1;7;31m2001年1月1日\x1b[0m\x1b[31m起施行" in col
    assert "\x1b[1;7;32m2002年1月1日\x1b[0m" in col
    assert "\x1b[" not in run_cli(["diff", str(o), str(n), "-u", "--color", "never"]).output


def test_color_auto_honours_no_color(monkeypatch):
    from clt.cli import diff as cli_diff

    class Tty:
        def isatty(self):
            return True

    monkeypatch.setattr(cli_diff.sys, "stdout", Tty())
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert cli_diff._use_color("auto", True) is True
    assert cli_diff._use_color("auto", False) is False  # -o FILE
    assert cli_diff._use_color("never", True) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli_diff._use_color("auto", True) is False
    assert cli_diff._use_color("always", True) is True
    monkeypatch.setenv("NO_COLOR", "")
    assert cli_diff._use_color("auto", True) is True


def test_brief(run_cli, two_versions):
    o, n = two_versions
    r = run_cli(["diff", "-q", o, n])
    assert r.exit_code == 1 and r.output == f"Files {o} and {n} differ\n"
    r = run_cli(["diff", "--brief", o, o])
    assert r.exit_code == 0 and r.output == ""


def test_conflicting_formats_are_refused(run_cli, two_versions):
    r = run_cli(["diff", *two_versions, "-u", "-t", "html"])
    assert r.exit_code == 2 and "conflicting output formats" in r.stderr


def test_help_names_to_not_format(run_cli):
    out = run_cli(["diff", "--help"]).output
    assert "-t, --to" in out and "-u, --unified" in out and "-W, --width" in out
    assert "-w, --ignore-space" in out and "-q, --brief" in out
    assert "--format" not in out


def test_terminal_width_follows_columns(monkeypatch):
    from clt.cli.diff import terminal_width

    monkeypatch.setenv("COLUMNS", "72")
    assert terminal_width() == 72
    monkeypatch.delenv("COLUMNS")
    assert terminal_width() > 0


def test_cli_table(run_cli, two_versions):
    r = run_cli(["diff", *two_versions, "--format", "table", "--width", "80"])
    lines = r.output.splitlines()
    assert lines[0].startswith("修改前：某市河道管理条例（11 条）")
    grid = [l for l in lines if l.startswith(("+", "|"))]
    assert grid and "修改前" in grid[1] and "修改后" in grid[1]
    from wcwidth import wcswidth

    assert len({wcswidth(l) for l in grid}) == 1  # columns line up with CJK text
    assert max(wcswidth(l) for l in grid) <= 80
    # the insertion is marked even though the cell wraps it over lines
    cells = "".join(l.split("|")[2].strip() for l in grid if l.startswith("|") and l.count("|") == 3)
    assert "{+，不得影响河势稳定+}" in cells


def test_cli_md(run_cli, two_versions):
    r = run_cli(["diff", *two_versions, "--format", "md", "--title", "河道条例修改对照"])
    out = r.output
    assert out.startswith("# 河道条例修改对照\n")
    assert "| 修改前 | 修改后 |" in out
    assert "不得缩窄行洪通道<ins>，不得影响河势稳定</ins>。" in out
    assert "| （无） | 第三条　<ins>" in out


def test_cli_html(run_cli, two_versions, tmp_path):
    out_path = tmp_path / "diff.html"
    r = run_cli(["diff", *two_versions, "--format", "html", "-o", str(out_path)])
    assert r.exit_code == 1 and r.output == ""
    page = out_path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert page.index('class="summary"') < page.index("<table>")
    assert "<ins>，不得影响河势稳定</ins>" in page
    assert page.count("<del>") == page.count("</del>") and page.count("<ins>") == page.count("</ins>")


def test_html_report_names_the_law_and_prints_on_a4(run_cli, two_versions):
    page = run_cli(["diff", *two_versions, "-t", "html"]).output
    assert "<title>《某市河道管理条例》修改前后对照表</title>" in page
    assert "<h1>《某市河道管理条例》修改前后对照表</h1>" in page
    assert '<td class="op">修改</td>' in page and '<td class="op">新增</td>' in page
    assert "modified" not in page and "inserted" not in page and "相似度" not in page
    assert "@page { size: A4;" in page and "break-inside: avoid" in page
    assert "display: table-header-group" in page  # the header row repeats on every page
    sim = run_cli(["diff", *two_versions, "-t", "html", "--similarity"]).output
    assert '<td class="op">修改（相似度 0.' in sim
    # --title still wins
    assert "<h1>对照</h1>" in run_cli(["diff", *two_versions, "-t", "html", "--title", "对照"]).output


def test_table_fits_columns(run_cli, two_versions, monkeypatch):
    from wcwidth import wcswidth

    monkeypatch.setenv("COLUMNS", "64")
    out = run_cli(["diff", *two_versions, "-t", "table"]).output
    grid = [l for l in out.splitlines() if l.startswith(("+", "|"))]
    assert grid and max(wcswidth(l) for l in grid) <= 64
    monkeypatch.delenv("COLUMNS")
    out = run_cli(["diff", *two_versions, "-t", "table", "-W", "40", "--title", "某市河道管理条例修改前后对照表（草案）"]).output
    assert max(wcswidth(l) for l in out.splitlines()) <= 40  # title and summary too
    col = run_cli(["diff", *two_versions, "-t", "table", "-W", "50", "--color", "always"]).output
    assert "\x1b[32m{+" in col and "+}\x1b[0m" in col
    from clt.diff.render import _colored

    assert _colored("甲[-乙\n丙-]丁") == "甲\x1b[31m[-乙\x1b[0m\n\x1b[31m丙-]\x1b[0m丁"


def test_cli_html_escapes_text(run_cli, tmp_path):
    o, n = tmp_path / "o.jsonl", tmp_path / "n.jsonl"
    o.write_text(to_jsonl(law(LAW)), encoding="utf-8")
    n.write_text(to_jsonl(law(LAW[:-1] + ["本条例自<b>2001</b>年1月1日起施行 & 有效。"])), encoding="utf-8")
    page = run_cli(["diff", str(o), str(n), "-t", "html"]).output
    assert "<b>" not in page and "&lt;b&gt;" in page and "&amp;" in page


def test_cli_plain_text_is_split_on_the_fly(run_cli):
    pytest.importorskip("clt.split")
    old, new = os.path.join(DIFF_FIXTURES, "old.txt"), os.path.join(DIFF_FIXTURES, "new.txt")
    r = run_cli(["diff", old, new])
    assert r.exit_code == 1, r.stderr
    recs = r.records
    got = pairs(recs)
    assert ("inserted", None, "第三条") in got
    assert ("modified", "第五条", "第六条") in got
    ref = [c for c in changes(recs) if labels(c["old"]) == "第六条"][0]
    assert ref["op"] == "renumbered" and ref["references_only"] is True
    hc = [(h["op"], labels(h["old"])) for h in recs if h["type"] == "heading_change"]
    assert ("renamed", "第二章") in hc
    assert recs[-1]["old"]["articles"] == 7 and recs[-1]["new"]["articles"] == 8


def test_jsonl_records_are_one_per_line(run_cli, two_versions):
    r = run_cli(["diff", *two_versions])
    for line in r.output.splitlines():
        assert isinstance(json.loads(line), dict)


def test_heading_changes_sit_before_their_first_article():
    pytest.importorskip("clt.split")
    recs = list(diff(read_records(os.path.join(DIFF_FIXTURES, "old.txt")),
                     read_records(os.path.join(DIFF_FIXTURES, "new.txt"))))
    kinds = [(r["type"], r.get("op"), labels(r.get("new"))) for r in recs if r["type"] != "summary"]
    k = kinds.index(("heading_change", "renamed", "第二章"))
    assert kinds[k + 1] == ("change", "renumbered", "第五条")
    assert kinds[0] == ("heading_change", "equal", "第一章")


def test_title_change_is_reported():
    out = list(diff(law(LAW), law(LAW, title="某市河道管理办法")))
    hc = [r for r in out if r["type"] == "heading_change"]
    assert hc[0]["op"] == "renamed" and hc[0]["new"]["level"] == "title"
    assert hc[0]["inline"] == [["=", "某市河道管理"], ["-", "条例"], ["+", "办法"]]
    assert out[-1]["identical"] is False


def test_table_shows_unchanged_chapters_as_context(run_cli):
    pytest.importorskip("clt.split")
    r = run_cli(["diff", os.path.join(DIFF_FIXTURES, "old.txt"), os.path.join(DIFF_FIXTURES, "new.txt"),
                 "-t", "html"])
    # 第一章 is unchanged but heads the inserted 第三条; 第三章 heads nothing shown
    assert '<tr class="heading context"><td><p>第一章 总则</p>' in r.output
    assert "第三章" not in r.output


def test_inline_numbers_are_read_whole():
    runs = inline_diff("根据本法第二十条的规定，处一千元罚款。", "根据本法第二十一条的规定，处五千元以上罚款。")
    # a reference is read whole too (第二十条, not 第二十 or 二十)
    assert runs == [["=", "根据本法"], ["-", "第二十条"], ["+", "第二十一条"], ["=", "的规定，处"],
                    ["-", "一千元"], ["+", "五千元以上"], ["=", "罚款。"]]


def test_article_cut_down_to_its_first_clause_still_pairs():
    # regression: a long article reduced to a short verbatim passage fell
    # below the similarity threshold and showed as deleted + inserted
    old = LAW[:9] + ["违反本条例规定的行为，《中华人民共和国水法》《中华人民共和国防洪法》等法律、行政法规已有处罚规定的，从其规定。", LAW[10]]
    new = LAW[:9] + ["违反本条例规定的行为，从其规定。", LAW[10]]
    out = pairs(diff(law(old), law(new)))
    assert ("modified", "第十条", "第十条") in out
    assert not [p for p in out if p[0] in ("deleted", "inserted")]


def test_identical_texts_pair_by_place():
    # two new articles with the same closing text: the old one pairs with the
    # one at the same place, the other is the inserted one
    new = LAW[:5] + [LAW[10]] + LAW[5:]
    out = pairs(diff(law(LAW), law(new)))
    assert ("renumbered", "第十一条", "第十二条") in out
    assert ("inserted", None, "第六条") in out


def test_several_laws_in_one_stream_pair_by_title():
    other = ["为了规范广告活动，保护消费者的合法权益，促进广告业的健康发展，制定本法。",
             "广告主、广告经营者、广告发布者从事广告活动，应当遵守法律、法规，诚实信用，公平竞争。",
             "国务院市场监督管理部门主管全国的广告监督管理工作。"]
    old = law(LAW) + law(other, title="某广告条例")
    new = law(other[:2], title="某广告条例") + law(LAW)
    out = list(diff(old, new))
    by_doc = {}
    for r in changes(out):
        by_doc.setdefault(r["document"], []).append(r["op"])
    assert by_doc["某市河道管理条例"] == ["equal"] * len(LAW)
    assert by_doc["某广告条例"] == ["equal", "equal", "deleted"]


def test_inline_runs_rebuild_both_sides_property():
    pytest.importorskip("hypothesis")
    from hypothesis import given, settings, strategies as st

    alphabet = st.sampled_from(list("第一二十条款项的和，。、（）() ,\n本法规定罚款元"))

    @settings(max_examples=150, deadline=None)
    @given(st.text(alphabet, max_size=40), st.text(alphabet, max_size=40))
    def check(a, b):
        runs = inline_diff(a, b)
        assert inline_sides(runs) == (a, b)
        assert all(t for _, t in runs)
        # ignoring width and space, the new side always comes back whole
        runs = inline_diff(a, b, ignore_width=True, ignore_space=True)
        assert inline_sides(runs)[1] == b

    check()


def test_exit_status_of_the_real_process(run_clt_subprocess, two_versions, tmp_path):
    o, n = two_versions
    assert run_clt_subprocess(["diff", o, o]).returncode == 0
    r = run_clt_subprocess(["diff", o, n, "-t", "unified"])
    assert r.returncode == 1 and r.stdout.decode("utf-8").startswith(f"--- {o}\t")
    r = run_clt_subprocess(["diff", o, str(tmp_path / "nope.jsonl")])
    assert r.returncode == 2 and r.stderr.decode("utf-8").count("\n") == 1


def test_moved_article_takes_back_its_place_from_a_weak_neighbour():
    # regression: an article moved back over a stretch of the law lost the
    # in-order chain; a deleted neighbour sharing boilerplate penalties took
    # its new place (weakly) and the moved article was left unpaired
    pen = [
        "滥用职权，指使部属进行违反职责的活动，造成严重后果的，处五年以下有期徒刑或者拘役；情节特别严重的，处五年以上十年以下有期徒刑。",
        "违抗作战命令，对作战造成危害的，处十年以上有期徒刑、无期徒刑或者死刑。",
        "故意向指挥人员或者值班、值勤人员隐瞒、谎报军情的，处三年以上十年以下有期徒刑。",
        "拒传、假传军令，对作战造成危害的，处十年以上有期徒刑、无期徒刑或者死刑。",
        "在战场上贪生怕死，自动放下武器投降敌人的，处三年以上十年以下有期徒刑。",
        "战时临阵脱逃的，处三年以下有期徒刑；情节严重的，处三年以上十年以下有期徒刑。",
        "战时造谣惑众，动摇军心的，处三年以下有期徒刑；情节严重的，处三年以上十年以下有期徒刑；情节特别严重的，处十年以上有期徒刑或者无期徒刑。",
    ]
    old = LAW[:3] + pen + LAW[9:]
    new = LAW[:3] + [pen[6]] + pen[1:6] + LAW[9:]   # pen[0] deleted, pen[6] moved up
    out = pairs(diff(law(old), law(new)))
    assert ("deleted", "第四条", None) in out
    assert ("moved", "第十条", "第四条") in out


def test_split_around_an_article_that_moved_between_its_parts():
    # regression: the chain preferred the moved article's exact pair plus one
    # part read as a cut-down article, and the split was lost
    x1, x2 = LAW[2].split("\n")
    new = [LAW[0], x1, LAW[1], x2] + LAW[3:]
    out = pairs(diff(law(LAW), law(new)))
    assert ("split", "第三条", ["第二条", "第四条"]) in out
    assert any(o == "第二条" and n == "第三条" and op in ("renumbered", "moved") for op, o, n in out)


def test_cli_ignore_options_reach_the_library(run_cli, tmp_path):
    new = list(LAW)
    new[1] = "本条例适用于本市行政区域内河道(包括湖泊、人工水道)的整治、利用和保护。 "
    o, n = tmp_path / "o.jsonl", tmp_path / "n.jsonl"
    o.write_text(to_jsonl(law(LAW)), encoding="utf-8")
    n.write_text(to_jsonl(law(new)), encoding="utf-8")
    assert run_cli(["diff", str(o), str(n)]).records[-1]["changes"]["modified"] == 1
    assert run_cli(["diff", str(o), str(n), "--ignore-width"]).exit_code == 1
    r = run_cli(["diff", str(o), str(n), "--ignore-width", "--ignore-space"])
    assert r.exit_code == 0
    assert r.records[-1]["options"] == {"ignore_width": True, "ignore_space": True}


# --------------------------------------------------------------------------- token-aware runs

@pytest.mark.parametrize("old, new, runs", [
    ("本条例自2020年9月1日起施行。", "本条例自2025年6月1日起施行。",
     [["=", "本条例自"], ["-", "2020年9月1日"], ["+", "2025年6月1日"], ["=", "起施行。"]]),
    ("自二〇一九年十月一日起施行", "自二〇二一年一月一日起施行",
     [["=", "自"], ["-", "二〇一九年十月一日"], ["+", "二〇二一年一月一日"], ["=", "起施行"]]),
    ("违反本条例第二十条规定", "违反本条例第二十一条规定",
     [["=", "违反本条例"], ["-", "第二十条"], ["+", "第二十一条"], ["=", "规定"]]),
    ("有前款第（三）项行为的", "有前款第（四）项行为的",
     [["=", "有前款"], ["-", "第（三）项"], ["+", "第（四）项"], ["=", "行为的"]]),
    ("处5万元以上10万元以下的罚款", "处10万元以上50万元以下的罚款",
     [["=", "处"], ["-", "5万"], ["+", "10万"], ["=", "元以上"], ["-", "10万"], ["+", "50万"],
      ["=", "元以下的罚款"]]),
    ("按日加收3‰的滞纳金", "按日加收5‰的滞纳金",
     [["=", "按日加收"], ["-", "3‰"], ["+", "5‰"], ["=", "的滞纳金"]]),
])
def test_inline_runs_never_cut_a_number_date_or_reference(old, new, runs):
    assert inline_diff(old, new) == runs
    assert inline_sides(runs) == (old, new)


def test_token_aware_runs_in_the_reports(run_cli, tmp_path):
    new = list(LAW)
    new[10] = "本条例自2025年6月1日起施行。"
    old = list(LAW)
    old[10] = "本条例自2020年9月1日起施行。"
    o, n = tmp_path / "o.jsonl", tmp_path / "n.jsonl"
    o.write_text(to_jsonl(law(old)), encoding="utf-8")
    n.write_text(to_jsonl(law(new)), encoding="utf-8")
    out = run_cli(["diff", str(o), str(n), "-t", "table", "-W", "120"]).output
    assert "[-2020年9月1日-]" in out and "{+2025年6月1日+}" in out


# --------------------------------------------------------------------------- docx

def _docx_xml(data, part="word/document.xml"):
    import io
    import zipfile

    return zipfile.ZipFile(io.BytesIO(data)).read(part).decode("utf-8")


def test_docx_report(run_cli, two_versions, tmp_path):
    out = tmp_path / "对照表.docx"
    r = run_cli(["diff", *two_versions, "-t", "docx", "-o", str(out)])
    assert r.exit_code == 1, r.stderr
    data = out.read_bytes()
    assert data[:2] == b"PK"
    from docx import Document

    doc = Document(str(out))
    assert doc.paragraphs[0].text == "《某市河道管理条例》修改前后对照表"
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["修改前", "修改后"]
    # the modified 第五条/第六条: the insertion in bold, nothing struck on the new side
    row = [rw for rw in table.rows if rw.cells[1].text.startswith("第六条")][0]
    bold = "".join(run.text for p in row.cells[1].paragraphs for run in p.runs if run.bold)
    assert bold == "，不得影响河势稳定"
    assert row.cells[0].text.startswith("第五条　修建桥梁")
    # the inserted 第三条: bold whole, the old side empty
    row = [rw for rw in table.rows if rw.cells[1].text.startswith("第三条")][0]
    assert row.cells[0].text == ""
    assert all(run.bold for p in row.cells[1].paragraphs for run in p.runs if run.text != "第三条　")
    xml = _docx_xml(data)
    assert 'w:eastAsia="仿宋"' in _docx_xml(data, "word/styles.xml")
    assert 'w:eastAsia="黑体"' in xml
    assert "<w:tblHeader" in xml  # the header row repeats on every page
    sect = doc.sections[0]
    assert (round(sect.page_width.mm), round(sect.page_height.mm)) == (210, 297)
    footer = _docx_xml(data, "word/footer1.xml") if "word/footer1.xml" in \
        __import__("zipfile").ZipFile(__import__("io").BytesIO(data)).namelist() else ""
    assert "— " in sect.footer.paragraphs[0].text and "PAGE" in (footer or xml)


def test_docx_strikes_deletions_and_has_notes_column(run_cli, tmp_path):
    new = list(LAW)
    new[9] = "违反本条例规定，构成犯罪的，依法追究刑事责任。"
    del new[7]
    o, n, out = tmp_path / "o.jsonl", tmp_path / "n.jsonl", tmp_path / "t.docx"
    o.write_text(to_jsonl(law(LAW)), encoding="utf-8")
    n.write_text(to_jsonl(law(new)), encoding="utf-8")
    r = run_cli(["diff", str(o), str(n), "-t", "docx", "--notes", "-o", str(out)])
    assert r.exit_code == 1, r.stderr
    from docx import Document

    table = Document(str(out)).tables[0]
    assert [c.text for c in table.rows[0].cells] == ["修改前", "修改后", "说明"]
    notes = [rw.cells[2].text for rw in table.rows[1:]]
    assert "删除" in notes and "修改" in notes
    row = [rw for rw in table.rows if rw.cells[2].text == "删除"][0]
    assert row.cells[0].text.startswith("第八条")
    assert all(run.font.strike for p in row.cells[0].paragraphs for run in p.runs
               if run.text.strip() and run.text != "第八条　")
    row = [rw for rw in table.rows if rw.cells[0].text.startswith("第十条")][0]
    struck = "".join(run.text for p in row.cells[0].paragraphs for run in p.runs if run.font.strike)
    assert "治安管理" in struck


def test_docx_is_reproducible(run_cli, two_versions, tmp_path):
    import time

    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    assert run_cli(["diff", *two_versions, "-t", "docx", "-o", str(a)]).exit_code == 1
    time.sleep(2.1)  # a zip entry's time has two-second steps: a clock would show
    assert run_cli(["diff", *two_versions, "-t", "docx", "-o", str(b)]).exit_code == 1
    assert a.read_bytes() == b.read_bytes()


def test_docx_refuses_a_terminal_and_library_call(two_versions):
    from clt.diff.docx import render_docx

    recs = list(diff(read_records(two_versions[0]), read_records(two_versions[1])))
    data = render_docx(recs, title="对照", notes=True)
    assert data == render_docx(recs, title="对照", notes=True)
    assert "对照" in _docx_xml(data)


def test_law_picks_one_law_of_a_bulletin_on_both_sides(run_cli, tmp_path):
    other = ["为了规范广告活动，保护消费者的合法权益，促进广告业的健康发展，制定本法。",
             "广告主、广告经营者、广告发布者从事广告活动，应当遵守法律、法规，诚实信用，公平竞争。",
             "国务院市场监督管理部门主管全国的广告监督管理工作。"]
    new_law = list(LAW)
    new_law[10] = "本条例自2002年1月1日起施行。"
    o, n = tmp_path / "o.jsonl", tmp_path / "n.jsonl"
    o.write_text(to_jsonl(law(other, title="某广告条例") + law(LAW)), encoding="utf-8")
    n.write_text(to_jsonl(law(new_law) + law(other[:2], title="某广告条例")), encoding="utf-8")
    r = run_cli(["diff", str(o), str(n), "--law", "河道"])
    assert r.exit_code == 1, r.stderr
    summary = r.records[-1]
    assert summary["old"]["titles"] == ["某市河道管理条例"] == summary["new"]["titles"]
    assert summary["changes"] == {"equal": 10, "modified": 1}
    r = run_cli(["diff", str(o), str(n), "--law", "某广告条例", "-u"])
    assert r.exit_code == 1
    assert "-\u3000\u3000第三条\u3000国务院市场监督管理部门" in r.output and "河道" not in r.output
    r = run_cli(["diff", str(o), str(n), "--law", "某广告条例", "-t", "html"])
    assert "<h1>《某广告条例》修改前后对照表</h1>" in r.output
    r = run_cli(["diff", str(o), str(n), "--law", "没有这部法"])
    assert r.exit_code == 2 and r.stderr.startswith("clt: ")


def test_law_with_document_end_records(run_cli, tmp_path):
    end = [{"type": "document_end"}]
    other = ["为了规范广告活动，保护消费者的合法权益，促进广告业的健康发展，制定本法。",
             "国务院市场监督管理部门主管全国的广告监督管理工作。"]
    o, n = tmp_path / "o.jsonl", tmp_path / "n.jsonl"
    o.write_text(to_jsonl(law(LAW) + end + law(other, title="某广告条例") + end), encoding="utf-8")
    n.write_text(to_jsonl(law(other, title="某广告条例") + end + law(LAW) + end), encoding="utf-8")
    for pick in ("某市河道管理条例", "广告"):
        r = run_cli(["diff", str(o), str(n), "--law", pick])
        assert r.exit_code == 0, r.stderr
        assert len(r.records[-1]["new"]["titles"]) == 1


def test_unified_title_change_is_a_hunk_at_the_top():
    from clt.diff.unified import unified_diff

    out = list(unified_diff(law(LAW), law(LAW, title="某市河道管理办法"), old_label="a", new_label="b"))
    assert out[2:] == ["@@ -1,4 +1,4 @@ 某市河道管理条例 → 某市河道管理办法\n", "-某市河道管理条例\n",
                       "+某市河道管理办法\n", " \n", " \u3000\u3000第一条\u3000" + LAW[0] + "\n",
                       " \u3000\u3000第二条\u3000" + LAW[1] + "\n"]


def test_brief_on_unrelated_texts_says_they_differ(run_cli, tmp_path):
    other = ["为了规范广告活动，保护消费者的合法权益，促进广告业的健康发展，制定本法。",
             "广告主、广告经营者、广告发布者从事广告活动，应当遵守法律、法规，诚实信用，公平竞争。",
             "国务院市场监督管理部门主管全国的广告监督管理工作。"]
    o, n = tmp_path / "o.jsonl", tmp_path / "n.jsonl"
    o.write_text(to_jsonl(law(LAW)), encoding="utf-8")
    n.write_text(to_jsonl(law(other, title="某广告条例")), encoding="utf-8")
    assert run_cli(["diff", str(o), str(n)]).exit_code == 2
    r = run_cli(["diff", "-q", str(o), str(n)])
    assert r.exit_code == 1 and r.output.endswith("differ\n")


def test_table_wrap_never_leaves_a_change_mark_at_a_line_end():
    from clt.diff.render import _wrap

    text = "处5万元以上{+二十万元+}以下的[-罚款-]{+罚金+}，没收违法所得。" * 2
    for width in range(6, 30):
        out = _wrap(text, width)
        assert out.replace("\n", "") == text
        assert not any(l.endswith(("[-", "{+")) for l in out.split("\n")), width
