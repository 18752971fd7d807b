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


KUAN = os.path.join(AMEND, "kuan.txt")


def _renumber_record(records):
    return next(x for x in records if x["type"] == "amendment" and x["op"] == "renumber_refs")


def test_kuan_and_item_citations_follow_when_the_closing_adjusts_kuan_numbers(run_cli):
    # closing: 并对条款序号作相应调整 — 第二条第三款 is now 第三条第四款 (an article before it, a 款 inside
    # it), and 前款第三项 follows the 项 inserted before it
    r = run_cli(["amend", KUAN, os.path.join(AMEND, "kuan-decision.txt")])
    assert r.exit_code == 0, r.stderr
    arts = _articles(r.records)
    assert list(arts) == [f"第{n}条" for n in "一二三四五六七八"]
    assert arts["第三条"] == ("业主大会应当依法履行职责。\n业主大会决定重大事项，应当经专有部分面积过半数的业主同意。\n"
                           "业主委员会执行业主大会的决定。\n业主委员会委员应当由业主担任。")
    assert arts["第五条"] == "违反本条例第三条第四款规定的，由街道办事处责令改正。"
    assert arts["第六条"] == "违反本条例第四条第二款规定的，由价格主管部门依法处理。"
    assert arts["第七条"] == ("有下列情形之一的，业主可以申请调解：\n（一）物业服务不符合约定的；\n（二）未公开物业服务收支情况的；\n"
                           "（三）收费不合理的；\n（四）侵害业主权益的。\n有前款第四项情形的，可以依法起诉。")
    rec = _renumber_record(r.records)
    assert rec["status"] == "applied" and rec["units"] == ["条", "款", "项"]
    assert {"in": "第五条", "from": "本条例第二条第三款", "to": "本条例第三条第四款"} in rec["remapped"]
    assert {"in": "第六条", "from": "本条例第三条第二款", "to": "本条例第四条第二款"} in rec["remapped"]
    assert {"in": "第七条", "from": "前款第三项", "to": "前款第四项"} in rec["remapped"]


def test_kuan_citations_stay_when_only_the_article_order_is_adjusted(run_cli):
    # 并对条文顺序作相应调整: the articles follow, the 款 and 项 numbers cited stay as printed
    r = run_cli(["amend", KUAN, os.path.join(AMEND, "kuan-decision-articles.txt")])
    assert r.exit_code == 0, r.stderr
    arts = _articles(r.records)
    assert arts["第五条"] == "违反本条例第三条第三款规定的，由街道办事处责令改正。"
    assert arts["第七条"].endswith("有前款第三项情形的，可以依法起诉。")
    assert _renumber_record(r.records)["units"] == ["条"]


def test_citation_of_a_deleted_kuan_is_reported_not_guessed(run_cli):
    r = run_cli(["amend", KUAN, os.path.join(AMEND, "kuan-decision-gone.txt")])
    assert r.exit_code == 1
    arts = _articles(r.records)
    assert arts["第三条"] == "物业服务企业应当按照合同提供服务。"
    assert arts["第五条"] == "违反本条例第三条第二款规定的，由价格主管部门依法处理。"   # left as printed
    rec = _renumber_record(r.records)
    assert rec["status"] == "failed"
    assert rec["unresolved"] == [{"in": "第五条", "citation": "本条例第三条第二款", "reason": "第二款 of 第三条 is gone"}]
    assert "not applied" in r.stderr


def test_library_reads_which_numbers_the_closing_adjusts():
    inst = parse_instrument(_paras(os.path.join(AMEND, "kuan-decision.txt")))
    assert inst.renumber_units == {"条", "款"} and inst.reorder
    inst = parse_instrument(_paras(os.path.join(AMEND, "kuan-decision-articles.txt")))
    assert inst.renumber_units == {"条"}


UNITS = os.path.join(AMEND, "units.txt")


def test_kuan_merged_moved_item_deleted_and_added_article_split(run_cli):
    # 合并为一款, 删去一项 and 增加一项 (the 项 relabelled in order), 分为两条, 移至第二条作为第三款;
    # 条、款、项序号作相应调整: the 第三条第（三）项 cited in old 第五条 is now its 第（二）项
    r = run_cli(["amend", UNITS, os.path.join(AMEND, "units-decision.txt")])
    assert r.exit_code == 0, r.stderr
    arts = _articles(r.records)
    assert arts == {
        "第一条": "为了加强河道管理，制定本条例。",
        "第二条": ("河道管理实行统一管理与分级管理相结合的原则。\n"
                 "县级以上人民政府水行政主管部门是河道主管机关，乡镇人民政府协助做好河道管理工作。\n"
                 "河道主管机关工作人员玩忽职守的，依法给予处分。"),
        "第三条": "在河道管理范围内，禁止下列行为：\n（一）修建围堤；\n（二）种植阻碍行洪的林木；\n（三）倾倒垃圾、渣土；\n（四）设置拦河渔具。",
        "第四条": "河道清淤由河道主管机关组织实施。",
        "第五条": "河道清淤所需经费纳入本级财政预算。",
        "第六条": "违反本条例第三条第（二）项规定的，由河道主管机关责令改正。",
        "第七条": "本条例自2012年10月1日起施行。",
    }
    ops = [x["op"] for x in r.records if x["type"] == "amendment"]
    assert ops == ["merge", "delete", "add_paragraph", "split", "move_paragraph", "renumber_refs"]
    move = next(x for x in r.records if x["type"] == "amendment" and x["op"] == "move_paragraph")
    assert move["to"]["label"] == "第二条" and move["target"][0]["label"] == "第五条第二款"
    rec = _renumber_record(r.records)
    assert rec["remapped"] == [{"in": "第六条", "from": "本条例第三条第（三）项", "to": "本条例第三条第（二）项"}]


def test_merging_units_of_two_articles_fails_and_kuan_join_as_printed(run_cli, tmp_path):
    inst = tmp_path / "d.txt"
    inst.write_text("某省人民代表大会常务委员会关于修改《某省河道管理条例》的决定\n"
                    "（2022年5月26日某省第十三届人民代表大会常务委员会第三十二次会议通过）\n"
                    "某省第十三届人民代表大会常务委员会第三十二次会议决定对《某省河道管理条例》作如下修改：\n"
                    "一、将第三条第一款和第四条第一款合并为一款。\n"
                    "二、将第二条第二款和第三款合并为一款。\n", encoding="utf-8")
    r = run_cli(["amend", UNITS, str(inst)])
    assert r.exit_code == 1
    failed = [x for x in r.records if x["type"] == "amendment" and x["status"] == "failed"]
    assert [x["reason"] for x in failed] == ["the units merged are in different articles"]
    arts = _articles(r.records)
    assert arts["第三条"].startswith("在河道管理范围内")
    # 款 without 项 merged with no new text: joined as printed, in the first one's place
    assert arts["第二条"] == ("河道管理实行统一管理与分级管理相结合的原则。\n"
                           "县级以上人民政府水行政主管部门是河道主管机关。乡镇人民政府协助做好河道管理工作。")


def _new_law(records):
    return [(r["label"], r["text"]) for r in records if r["type"] == "article"]


def test_instrument_as_docx_gives_the_same_law_as_its_text(run_cli):
    # tests/fixtures/amend/kuan-decision.docx: kuan-decision.txt written by python-docx (scripts/make-fixtures)
    text = run_cli(["amend", KUAN, os.path.join(AMEND, "kuan-decision.txt")])
    word = run_cli(["amend", KUAN, os.path.join(AMEND, "kuan-decision.docx")])
    assert word.exit_code == 0, word.stderr
    assert _new_law(word.records) == _new_law(text.records)
    assert len([x for x in word.records if x["type"] == "amendment"]) == 4


def test_instrument_picked_from_a_pdf_bulletin_by_title_or_by_the_law(run_cli):
    # tests/fixtures/amend/bulletin.pdf: a 公报 page (running header, page number, wrapped lines) holding
    # units-decision.txt then kuan-decision.txt
    bulletin = os.path.join(AMEND, "bulletin.pdf")
    for old, inst, pick in ((UNITS, "units-decision.txt", ["--title", "河道"]), (KUAN, "kuan-decision.txt", [])):
        text = run_cli(["amend", old, os.path.join(AMEND, inst)])
        pdf = run_cli(["amend", *pick, old, bulletin])
        assert pdf.exit_code == 0, pdf.stderr
        assert _new_law(pdf.records) == _new_law(text.records)
        summary = next(x for x in pdf.records if x["type"] == "amend_summary")
        assert summary["instrument"] == next(x for x in text.records if x["type"] == "amend_summary")["instrument"]
    # --title picks the other decision of the bulletin: its items name articles this law does not have
    r = run_cli(["amend", "--title", "物业", UNITS, bulletin])
    assert r.exit_code == 1
    summary = next(x for x in r.records if x["type"] == "amend_summary")
    assert summary["instrument"] == "某市人民代表大会常务委员会关于修改《某市物业管理条例》的决定"


def test_normalize_keeps_the_space_after_a_quoted_article_label(run_cli):
    # instruments quote whole articles as “第五条　…: the space after the label is the label's
    r = run_cli(["normalize"], input="四、将第四条分为两条，修改为：\n“第五条　河道清淤所需经费纳入本级财政预算。”\n")
    assert [p["text"] for p in r.records if p["type"] == "para"][-1] == "“第五条　河道清淤所需经费纳入本级财政预算。”"


def test_kuan_made_an_article_and_its_citation_names_the_article(run_cli, tmp_path):
    inst = tmp_path / "d.txt"
    inst.write_text("某市人民代表大会常务委员会关于修改《某市物业管理条例》的决定\n"
                    "（2021年9月28日某市第十五届人民代表大会常务委员会第三十次会议通过）\n"
                    "某市第十五届人民代表大会常务委员会第三十次会议决定对《某市物业管理条例》作如下修改：\n"
                    "一、将第二条第三款改为第三条。\n"
                    "《某市物业管理条例》根据本决定作相应修改，并对条款序号作相应调整，重新公布。\n", encoding="utf-8")
    r = run_cli(["amend", KUAN, str(inst)])
    assert r.exit_code == 0, r.stderr
    arts = _articles(r.records)
    assert arts["第二条"] == "业主大会应当依法履行职责。\n业主委员会执行业主大会的决定。"
    assert arts["第三条"] == "业主委员会委员应当由业主担任。"
    assert arts["第四条"] == "物业服务企业应当按照合同提供服务。\n物业服务企业不得擅自扩大收费范围。"
    assert arts["第五条"] == "违反本条例第三条规定的，由街道办事处责令改正。"        # was 第二条第三款
    assert arts["第六条"] == "违反本条例第四条第二款规定的，由价格主管部门依法处理。"
    assert list(arts)[-1] == "第八条"
