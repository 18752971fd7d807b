"""clt amend: a 修改决定 and a 修正案 applied to small hand-written laws."""

import os

from clt.amend import amend, parse_instrument
from clt.records import read_records

from conftest import FIXTURES

AMEND = os.path.join(FIXTURES, "amend")
OLD = os.path.join(AMEND, "old.txt")
DECISION = os.path.join(AMEND, "decision.txt")
CRIMINAL = os.path.join(AMEND, "criminal.txt")
AMENDMENT = os.path.join(AMEND, "amendment.txt")


def _paras(path):
    return open(path, encoding="utf-8").read().split("\n")


def _articles(records):
    return {r["label"]: r["text"] for r in records if r["type"] == "article"}


def test_decision_renumbers_and_updates_cross_references(run_cli):
    r = run_cli(["amend", OLD, DECISION])
    assert r.exit_code == 1       # item 六 names a phrase the law does not hold
    arts = _articles(r.records)
    assert list(arts) == ["第一条", "第二条", "第三条", "第四条", "第五条", "第六条", "第七条", "第八条"]
    assert arts["第二条"] == "本市行政区域内的养犬及其管理活动，适用本条例。"
    assert arts["第三条"] == ("养犬人应当遵守下列规定：\n（一）为犬只办理登记；\n（二）为犬只接种狂犬病疫苗；\n"
                           "（三）携犬出户时束犬链；\n（四）及时清除犬只粪便。")
    assert arts["第四条"] == "公安机关养犬管理部门负责养犬登记。"      # 第二款 deleted, 本条例中的 phrase
    assert arts["第五条"] == "农业农村部门负责犬只免疫。"              # added as NEW 第五条
    # old 5 is new 6; old 第五条 cited in old 6 follows it, 第三条 stays 第三条
    assert arts["第七条"] == "违反第四条、第六条规定的，依照第三条处理。"
    heads = [h["label"] for h in r.records if h["type"] == "heading"]
    assert heads == ["第一章", "第二章"]
    new5 = next(a for a in r.records if a["type"] == "article" and a["label"] == "第五条")
    assert new5["path"] == ["第二章 管理"]


def test_failed_instruction_is_reported_not_guessed(run_cli):
    r = run_cli(["amend", OLD, DECISION])
    amendments = [x for x in r.records if x["type"] == "amendment"]
    failed = [x for x in amendments if x["status"] == "failed"]
    assert [x["item"] for x in failed] == ["六"]
    assert "不存在的话" in failed[0]["reason"]
    assert "item 六" in r.stderr and "not applied" in r.stderr
    summary = next(x for x in r.records if x["type"] == "amend_summary")
    assert summary["failed"] == 1 and summary["renumbered"] is True
    assert r.records[-1]["type"] == "document_end"


def test_document_gains_the_history_event(run_cli):
    r = run_cli(["amend", OLD, DECISION])
    doc = r.records[0]
    assert doc["type"] == "document"
    assert doc["history"][-1]["date"] == "2020-06-01"
    assert doc["history"][-1]["act"] == "修正"


def test_no_renumber_keeps_old_numbers(run_cli):
    r = run_cli(["amend", "--no-renumber", OLD, DECISION])
    arts = _articles(r.records)
    assert "违反第四条、第五条规定的，依照第三条处理。" in arts.values()


def test_amendment_keeps_numbering_with_zhiyi_and_deleted(run_cli):
    r = run_cli(["amend", CRIMINAL, AMENDMENT])
    assert r.exit_code == 0, r.stderr
    arts = _articles(r.records)
    assert list(arts) == ["第一条", "第二条", "第二条之一", "第三条", "第四条"]
    assert arts["第二条之一"] == "以非法占有为目的，抢夺公私财物的，处三年以下有期徒刑。"
    assert arts["第三条"] == "（删去）"
    assert arts["第四条"] == "本法自2021年3月1日起施行。"


def test_old_as_split_jsonl_on_stdin(run_cli):
    split = run_cli(["split", CRIMINAL])
    r = run_cli(["amend", "-", AMENDMENT], input=split.output)
    assert r.exit_code == 0
    assert "第二条之一" in _articles(r.records)


def test_output_converts_to_markdown(run_cli, tmp_path):
    out = tmp_path / "new.jsonl"
    r = run_cli(["amend", CRIMINAL, AMENDMENT, "-o", str(out)])
    assert r.exit_code == 0
    md = run_cli(["convert", "--to", "md", str(out)])
    assert md.exit_code == 0
    assert "第二条之一　以非法占有为目的" in md.output


def test_missing_file_is_exit_2(run_cli):
    r = run_cli(["amend", OLD, os.path.join(AMEND, "nope.txt")])
    assert r.exit_code == 2
    assert "nope.txt" in r.stderr


def test_library_parses_instruction_forms():
    inst = parse_instrument(_paras(DECISION))
    ops = [i.op for i in inst.instructions]
    assert ops == ["replace", "add_paragraph", "delete", "add_article", "phrase_replace", "phrase_delete"]
    assert inst.reorder and inst.date == "2020-06-01"
    assert inst.instructions[4].law_wide


def test_library_amend_over_records():
    recs = list(amend(read_records(CRIMINAL), _paras(AMENDMENT)))
    kinds = [r["type"] for r in recs]
    assert kinds[0] == "document" and kinds[-1] == "document_end"
    assert kinds.count("amendment") == 4


ANCHORS = os.path.join(AMEND, "anchors.txt")
ANCHORS_DECISION = os.path.join(AMEND, "anchors-decision.txt")


def test_old_number_after_additions_names_the_old_article(run_cli):
    # item 二's 第二条 is the OLD 第二条, not the 第二条 item 一 added
    r = run_cli(["amend", ANCHORS, ANCHORS_DECISION])
    assert r.exit_code == 0, r.stderr
    arts = _articles(r.records)
    assert [arts[f"第{n}条"] for n in "二三四五"] == [
        "安全工作坚持人民至上。", "安全工作实行党政同责。", "安全工作坚持预防为主。", "安全工作应当依靠科技。"]


def test_two_kuan_replaced_by_one_quotation_are_not_doubled(run_cli):
    r = run_cli(["amend", ANCHORS, ANCHORS_DECISION])
    arts = _articles(r.records)
    assert arts["第六条"] == ("各级人民政府负责安全工作。\n县级以上地方人民政府负责本行政区域的安全工作。\n"
                           "乡镇人民政府和街道办事处协助。")


def test_unnumbered_heading_is_kept_as_printed(run_cli):
    r = run_cli(["amend", ANCHORS, ANCHORS_DECISION])
    heads = [(h["label"], h["title"]) for h in r.records if h["type"] == "heading"]
    assert heads == [("附则", "附则")]
    last = [a for a in r.records if a["type"] == "article"][-1]
    assert last["label"] == "第八条" and last["path"] == ["附则"]


CHAPTERS = os.path.join(AMEND, "chapters.txt")
CODE = os.path.join(AMEND, "code.txt")


def test_bare_heading_word_inside_an_article_of_a_chaptered_law_is_text(run_cli):
    # a law divided into 章 prints its closing chapter 第三章　附则: the bare 附则 under 第三条 is its 第二款
    r = run_cli(["split", CHAPTERS])
    arts = _articles(r.records)
    assert arts["第三条"] == "有关部门有下列情形之一的，依法给予处分：\n（一）对违法行为不及时查处的；\n（二）有其他玩忽职守行为的。\n附则"
    heads = [(h["label"], h["title"]) for h in r.records if h["type"] == "heading"]
    assert heads == [("第一章", "总则"), ("第二章", "法律责任"), ("第三章", "附则")]
    warn = [w for w in r.records if w["type"] == "warning" and w["code"] == "heading-word-as-text"]
    assert len(warn) == 1 and warn[0]["label"] == "第三条" and warn[0]["line"] == 15


def test_bare_fuze_after_the_last_bian_is_a_heading_beside_the_bian(run_cli):
    # 刑法, 民法典: 附　　则 after 第二编 is a heading of the 编 level, not a chapter under 分则
    r = run_cli(["split", CODE])
    heads = [(h["level"], h["label"]) for h in r.records if h["type"] == "heading"]
    assert heads[-1] == ("part", "附则")
    last = [a for a in r.records if a["type"] == "article"][-1]
    assert last["label"] == "第四条" and last["path"] == ["附则"]
    assert not [w for w in r.records if w["type"] == "warning"]


def test_paragraph_that_reads_like_a_heading_word_is_amended(run_cli):
    r = run_cli(["amend", CHAPTERS, os.path.join(AMEND, "chapters-decision.txt")])
    assert r.exit_code == 0, r.stderr
    arts = _articles(r.records)
    assert arts["第三条"].endswith("（二）有其他玩忽职守行为的。\n附则，加强信息化建设。")
    assert list(arts) == ["第一条", "第二条", "第三条", "第四条"]
