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


# --------------------------------------------------------------------------- forms real issuers write
#
# forms-decision.txt amends forms-old.txt with fourteen items; the new law below was worked out by
# hand from the two files (straight quotes and 「」 in items 三 and 四, 、 between two pairs, a
# phrase 删去 after its quotation, a 项 deleted and the later ones renumbered, a 项 added after the
# last one and the last one's 。 changed by a sentence going on with the article, a 款 added that
# cites 第一款, a chapter renamed, a chapter added with its articles, an article moved and rewritten
# without 将, 本条例中的…统一修改为…).

FORMS_OLD = os.path.join(AMEND, "forms-old.txt")
FORMS_NEW = [
    ("第一条", "为了加强体育设施管理，制定本条例。"),
    ("第二条", "本条例适用于本市行政区域内体育设施的管理。"),
    ("第三条", "市和区体育主管部门负责体育设施管理工作。"),
    ("第四条", "市人民政府应当把公共体育设施建设纳入城市规划。\n区人民政府应当编制本区的公共体育设施发展规划。"),
    ("第五条", "新建居住区应当配套建设体育设施。"),
    # old 第九条, 改为第六条 and rewritten: its quoted text cites by NEW numbers (old 第八条 is 第九条)
    ("第六条", "违反本条例第五条规定的，依照本条例第九条处理。"),
    ("第七条", "新建学校必须按照规定的标准建设体育设施。"),
    ("第八条", "公共体育设施应当对社会开放，开放时间每年不得少于300天。\n公共体育设施管理者应当优惠向儿童、学生、老年人和残疾人开放。"),
    ("第九条", "体育设施管理者有下列行为之一的，由体育主管部门责令限期改正：\n（一）未按规定开放的；\n（二）挪用体育设施的；\n"
              "（三）未按规定对体育设施进行维修、保养的；\n（四）未按规定办理年检手续的；\n（五）拒不接受监督检查的。"),
    ("第十条", "侵占、破坏公共体育设施的，由体育主管部门责令限期改正，并依法承担民事责任。\n有前款所列行为，构成犯罪的，依法追究刑事责任。\n"
              "违反第一款规定，造成损失的，依法承担赔偿责任。"),
    ("第十一条", "体育主管部门应当对体育设施的开放和使用情况进行监督检查。"),
    ("第十二条", "任何单位和个人有权对违反本条例的行为进行举报。"),
    ("第十三条", "违反本条例第八条规定的，由体育主管部门责令改正。"),    # old 第七条 is 第八条
    ("第十四条", "本条例自2020年1月1日起施行。"),
]
FORMS_HEADINGS = [("第一章", "总则"), ("第二章", "建设"), ("第三章", "开放和使用"), ("第四章", "监督检查"), ("第五章", "附则")]


def _labels_texts(records):
    return [(r["label"], r["text"]) for r in records if r["type"] == "article"]


def test_forms_real_issuers_write(run_cli):
    r = run_cli(["amend", FORMS_OLD, os.path.join(AMEND, "forms-decision.txt")])
    assert r.exit_code == 0, r.stderr
    assert _labels_texts(r.records) == FORMS_NEW
    assert [(h["label"], h["title"]) for h in r.records if h["type"] == "heading"] == FORMS_HEADINGS
    arts = {a["label"]: a for a in r.records if a["type"] == "article"}
    assert arts["第六条"]["path"] == ["第二章 建设"]
    ops = [a["op"] for a in r.records if a["type"] == "amendment" and a.get("item")]
    assert ops == ["delete", "phrase_replace", "phrase_replace", "phrase_delete", "phrase_insert", "delete",
                   "replace", "add_paragraph", "phrase_replace", "replace", "add_paragraph", "rename_heading",
                   "add_heading", "move", "phrase_replace"]
    # a city's decision: adopted, then approved by the province; the 题注 records both
    cap = r.records[0]["caption"].split("\n")
    assert cap[-1] == ("2026年11月27日 某市第十六届人民代表大会常务委员会第二十次会议通过\u3000"
                       "2026年12月20日 某省第十四届人民代表大会常务委员会第十五次会议批准的"
                       "《某市人民代表大会常务委员会关于修改〈某市体育设施条例〉的决定》修正")


def test_instrument_pasted_from_a_pdf_with_hard_line_breaks_and_page_furniture(run_cli):
    # forms-decision-wrapped.txt: forms-decision.txt broken every 30 characters, a running head and
    # page numbers between its lines, as pdftotext prints a bulletin
    r = run_cli(["amend", FORMS_OLD, os.path.join(AMEND, "forms-decision-wrapped.txt")])
    assert r.exit_code == 0, r.stderr
    assert _labels_texts(r.records) == FORMS_NEW


def test_quote_variants_become_the_printed_marks():
    from clt.amend.instrument import normalize_quotes

    assert normalize_quotes(['将第一条中的"甲"修改为"乙"。']) == ["将第一条中的“甲”修改为“乙”。"]
    assert normalize_quotes(["将第一条中的「甲」删去。"]) == ["将第一条中的“甲”删去。"]
    # a quotation of two paragraphs: each opens with a straight quote, only the last closes
    assert normalize_quotes(['一、将第一条修改为："第一款。', '"第二款\'甲\'。"']) == \
        ["一、将第一条修改为：“第一款。", "“第二款‘甲’。”"]


MULTI_NEW = [
    ("第一条", "为了测试，制定本条例。"),
    ("第二条", "违反本条例规定的，由第四条规定的部门处理。"),
    ("第三条", "本条例适用于本市行政区域。"),
    ("第四条", "市人民政府负责实施本条例。"),
    ("第五条", "违反第五条规定的，依照第四条处理。"),
    ("第六条", "本条例自2020年1月1日起施行。"),
]


def test_several_laws_in_one_decision_the_part_for_the_law_given(run_cli):
    r = run_cli(["amend", os.path.join(AMEND, "multi-old.txt"), os.path.join(AMEND, "multi-decision.txt")])
    assert r.exit_code == 0, r.stderr
    # only 二、对《某市测试条例》作出修改 applies; its closing sentence renumbers (the other laws' does not)
    # 第二条 added: it cites by NEW numbers, left as quoted; 第五条 (old 第四条) still cites the old
    # 第五条 the decision deletes: reported
    assert _labels_texts(r.records) == MULTI_NEW
    items = [a["item"] for a in r.records if a["type"] == "amendment" and a.get("item")]
    assert items == ["二（一）", "二（二）", "二（三）"]
    warn = [w for w in r.records if w["type"] == "warning" and w.get("code") == "cites-deleted"]
    assert len(warn) == 1 and warn[0]["citation"] == "第五条" and "第五条" in r.stderr


def test_law_not_in_a_decision_of_several_laws_is_an_error(run_cli, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text(open(os.path.join(AMEND, "multi-old.txt"), encoding="utf-8").read()
                     .replace("某市测试条例", "某市其他条例"), encoding="utf-8")
    r = run_cli(["amend", str(other), os.path.join(AMEND, "multi-decision.txt")])
    assert r.exit_code == 2
    assert "《某市养犬管理条例》、《某市测试条例》、《某市公园条例》" in r.stderr
    assert "《某市其他条例》 is not one of them" in r.stderr
    # --title names the part to apply
    r = run_cli(["amend", "--title", "某市测试条例", str(other), os.path.join(AMEND, "multi-decision.txt")])
    assert r.exit_code == 0
    assert "本条例适用于本市行政区域。" in dict(_labels_texts(r.records)).values()
    assert r.records[0]["caption"].endswith("《某市人民代表大会常务委员会关于修改〈某市养犬管理条例〉等三件地方性法规的决定》修正")


def test_amendment_adds_zhi_two_and_three_deletes_and_joins_the_caption_list(run_cli):
    r = run_cli(["amend", os.path.join(AMEND, "zhi-old.txt"), os.path.join(AMEND, "zhi-amendment.txt")])
    assert r.exit_code == 0, r.stderr
    assert _labels_texts(r.records) == [
        ("第一条", "为了惩罚犯罪，保护人民，制定本法。"),
        ("第二条", "盗窃公私财物，数额较大的，处三年以下有期徒刑、拘役或者管制，并处或者单处罚金。"),
        ("第二条之一", "以非法占有为目的，抢夺公私财物的，处三年以下有期徒刑。"),
        ("第二条之二", "诈骗公私财物，数额较大的，处三年以下有期徒刑。"),
        ("第二条之三", "敲诈勒索公私财物的，处三年以下有期徒刑。"),
        ("第三条", "（删去）"),
        ("第四条", "本法自1997年10月1日起施行。"),
    ]
    # the 题注's 根据…、…和…修正 list takes the new 修正案 last
    assert r.records[0]["caption"] == (
        "（1997年3月14日第八届全国人民代表大会第五次会议通过\u3000根据2001年8月31日第九届全国人民代表大会常务委员会"
        "第二十三次会议通过的《中华人民共和国测试刑法修正案》、2005年2月28日第十届全国人民代表大会常务委员会第十四次会议"
        "通过的《中华人民共和国测试刑法修正案（二）》和2026年11月27日第十四届全国人民代表大会常务委员会第二十次会议"
        "通过的《中华人民共和国测试刑法修正案（三）》修正）")


def test_caption_in_parentheses_gains_the_event_after_u3000_with_its_ordinal():
    from clt.amend import amend

    old = ["中华人民共和国测试法", "",
           "（2010年10月28日第十一届全国人民代表大会常务委员会第十七次会议通过\u3000根据2018年12月29日第十三届全国人民代表大会"
           "常务委员会第七次会议《关于修改〈中华人民共和国测试法〉的决定》修正）", "",
           "第一条\u3000为了测试，制定本法。", "第二条\u3000本法自2011年7月1日起施行。"]
    inst = ["全国人民代表大会常务委员会关于修改《中华人民共和国测试法》的决定",
            "（2026年11月27日第十四届全国人民代表大会常务委员会第二十次会议通过）",
            "第十四届全国人民代表大会常务委员会第二十次会议决定对《中华人民共和国测试法》作如下修改：",
            "一、将第一条中的“测试”修改为“检验”。",
            "本决定自公布之日起施行。"]
    from clt.records import text_line_records

    recs = list(amend(text_line_records("\n".join(old) + "\n", "old.txt"), inst))
    assert recs[0]["caption"].endswith(
        "修正\u3000根据2026年11月27日第十四届全国人民代表大会常务委员会第二十次会议"
        "《全国人民代表大会常务委员会关于修改〈中华人民共和国测试法〉的决定》第二次修正）")
    assert [r["text"] for r in recs if r["type"] == "article"][0] == "为了检验，制定本法。"


def _one(sentence, law="某市体育设施条例"):
    from clt.amend.instrument import Instrument, parse_item

    inst = Instrument()
    inst.title = f"某市人民代表大会常务委员会关于修改《{law}》的决定"
    inst.law_title = law
    return [ins.as_dict() for ins in parse_item(sentence, inst)]


def test_library_reads_more_sentence_forms():
    d, = _one("将第十五条中的“300天”删去。")
    assert (d["op"], d["target"][0]["label"], d["old"]) == ("phrase_delete", "第十五条", ["300天"])
    d, = _one("将第七条第三款中的“区、县”修改为“区”、“发展规划”修改为“专项规划”。")
    assert (d["op"], d["old"], d["new"]) == ("phrase_replace", ["区、县", "发展规划"], ["区", "专项规划"])
    d, = _one("本条例中的“体育行政部门”统一修改为“体育主管部门”。")
    assert (d["op"], d["scope"], d["old"], d["new"]) == ("phrase_replace", "law", ["体育行政部门"], ["体育主管部门"])
    d, = _one("将第十八条至第二十条中的“体育行政部门”修改为“体育主管部门”。")
    assert [t["label"] for t in d["target"]] == ["第十八条", "第十九条", "第二十条"]
    d, = _one("第三十条改为第三十一条，并修改为：“本条例自2027年1月1日起施行。”")
    assert (d["op"], d["new_numbers"], d["new"]) == ("move", [[31, None]], ["本条例自2027年1月1日起施行。"])
    d, = _one("将第十四条移作第十三条。")
    assert (d["op"], d["new_numbers"]) == ("move", [[13, None]])
    d, = _one("将第二十四条第一款第（五）项删去。")
    assert (d["op"], d["target"][0]["label"]) == ("delete", "第二十四条第一款第五项")
    d, = _one("将第一章的章名“总则”修改为“一般规定”。")
    assert (d["op"], d["new"]) == ("rename_heading", ["一般规定"])
    d, = _one("将第二十一条和第二十二条合并为一条，作为第二十一条：“体育设施管理单位。”")
    assert (d["op"], len(d["target"]), d["new_numbers"]) == ("merge", 2, [[21, None]])
    # a phrase instruction naming no unit goes on with the units of the one before it
    a, b = _one("将第二十四条第一款中的“责令限期改正”修改为“责令改正”，并删去“或者主要负责人”。")
    assert (b["op"], b["target"][0]["label"], b["old"]) == ("phrase_delete", "第二十四条第一款", ["或者主要负责人"])
    a, b = _one("将第二十七条中的“区、县”修改为“区”；将“令其”修改为“责令其”。")
    assert (b["op"], b["target"][0]["label"], b["old"], b["new"]) == ("phrase_replace", "第二十七条", ["令其"], ["责令其"])
    d, = _one("在第十七条第一款中的“不得”前增加“均”。")
    assert (d["op"], d["position"] if "position" in d else "before") == ("phrase_insert", "before")
    # half-width punctuation and spaces in the instrument's own words (typed, or from a PDF)
    d, = _one("将第 二 条第二款修改为:“新的款。”")
    assert (d["op"], d["target"][0]["label"]) == ("replace", "第二条第二款")
    d, = _one("将第十条修改为两条，作为第十条、第十一条：\n“第十条　甲。\n“第十一条　乙。”")
    assert (d["op"], d["new_numbers"], d["new"]) == ("split", [[10, None], [11, None]], ["第十条\u3000甲。", "第十一条\u3000乙。"])
    # the whole law, named or not
    for words in ("将本条例全文中的“甲”修改为“乙”。", "将本条例各条中的“甲”修改为“乙”。", "将《某市体育设施条例》中的“甲”修改为“乙”。"):
        d, = _one(words)
        assert (d["op"], d["scope"]) == ("phrase_replace", "law"), words
    d, = _one("删去“甲”。")
    assert d["op"] == "unknown" and "names no article" in d["reason"]


def test_prev_kuan_citations_name_their_kuan_again_when_kuan_numbers_are_adjusted(run_cli):
    # a 款 added before 前两款 / 前款: the 款 they meant are no longer the ones right before them
    r = run_cli(["amend", os.path.join(AMEND, "prev-kuan.txt"), os.path.join(AMEND, "prev-kuan-decision.txt")])
    assert r.exit_code == 0, r.stderr
    arts = _articles(r.records)
    assert arts["第一条"] == ("业主大会应当依法履行职责。\n业主大会决定重大事项，应当经业主同意。\n业主委员会执行业主大会的决定。\n"
                           "违反第一款、第三款规定的，由街道办事处责令改正。")
    assert arts["第二条"] == ("物业服务企业应当按照合同提供服务。\n物业服务企业不得擅自扩大收费范围。\n物业服务企业应当公开收费标准。\n"
                           "违反第二款规定的，由价格主管部门依法处理。")
    rec = _renumber_record(r.records)
    assert {"in": "第一条", "from": "前两款", "to": "第一款、第三款"} in rec["remapped"]


def _decision(tmp_path, law, items, closing=("本决定自公布之日起施行。",)):
    """A city's 修改决定 of *law* with *items* (一、…), written to a file."""
    inst = tmp_path / "decision.txt"
    inst.write_text("\n".join([
        f"某市人民代表大会常务委员会关于修改《{law}》的决定",
        "（2026年1月5日某市第十届人民代表大会常务委员会第三次会议通过）",
        f"某市第十届人民代表大会常务委员会第三次会议决定对《{law}》作如下修改：",
        *items, *closing]) + "\n", encoding="utf-8")
    return str(inst)


def test_article_moved_after_another_added_without_number_and_chapter_deleted(run_cli, tmp_path):
    inst = _decision(tmp_path, "某市体育设施条例", [
        "一、将第九条移至第四条后。",
        "二、在第五条后增加一条：“新建社区应当配套建设健身步道。”",
        "三、删去第四章。",
        "四、在第八条第一款中增加一项，作为第六项：“（六）拒不接受监督检查的。”"],
        ("本决定自公布之日起施行。", "《某市体育设施条例》根据本决定作相应修改并对条文顺序作相应调整，重新公布。"))
    r = run_cli(["amend", FORMS_OLD, inst])
    assert r.exit_code == 0, r.stderr
    arts = _labels_texts(r.records)
    assert [t for _, t in arts][3:7] == [
        "市人民政府应当把公共体育设施建设纳入城市规划。\n区、县人民政府应当编制本区、县的公共体育设施发展规划。",
        "违反第六条规定的，依照第十条处理。",          # old 第九条 after old 第四条: old 五 is 六, old 八 is 十
        "新建居住区应当配套建设体育设施。",
        "新建社区应当配套建设健身步道。"]
    assert len(arts) == 11                            # 第四章 and its two articles are gone
    assert arts[-1][1].endswith("由体育行政部门责令限期改正。\n有前款所列行为，构成犯罪的，依法追究刑事责任。")
    assert arts[9][0] == "第十条" and arts[9][1].endswith("（五）未按规定办理年检手续的。\n（六）拒不接受监督检查的。")
    added = next(a for a in r.records if a["type"] == "amendment" and a.get("item") == "二")
    assert "placed after 第五条" in added["note"]
    heads = [h["label"] for h in r.records if h["type"] == "heading"]
    assert heads == ["第一章", "第二章", "第三章"]


def test_state_council_decision_with_items_naming_each_law_in_its_attachment(run_cli):
    # 国务院关于修改和废止部分行政法规的决定: the decision's own items, then 附件1 whose items name the
    # law (将《某市测试条例》第二条…); a sentence after such an item goes on with its law; 此外，对…条文
    # 顺序作相应调整 renumbers; a 行政法规's 题注 records the State Council's decision as a 修订
    r = run_cli(["amend", os.path.join(AMEND, "multi-old.txt"), os.path.join(AMEND, "state-council-decision.txt")])
    assert r.exit_code == 0, r.stderr
    assert _labels_texts(r.records) == MULTI_NEW
    assert r.records[0]["caption"] == "2026年11月1日 《国务院关于修改和废止部分行政法规的决定》修订"


def test_sentences_named_by_their_old_numbers(run_cli, tmp_path):
    old = tmp_path / "old.txt"
    old.write_text("某市测试条例\n\n第一条　甲应当登记。乙应当备案。丙应当公示。\n第二条　丁应当报告。\n戊应当审查。己应当批准。\n"
                   "第三条　本条例自2020年1月1日起施行。\n", encoding="utf-8")
    inst = _decision(tmp_path, "某市测试条例", [
        "一、删去第一条第二句。",
        "二、将第一条第三句中的“公示”修改为“向社会公示”。",     # the OLD third sentence
        "三、在第二条第二款第一句后增加一句：“庚应当复核。辛应当记录。”",
        "四、将第二条第二款第二句修改为：“己应当在十日内批准。”",   # the OLD second sentence
        "五、删去第二条第一款第二句。"])                             # it has one: reported
    r = run_cli(["amend", str(old), inst])
    assert r.exit_code == 1
    assert _labels_texts(r.records)[:2] == [
        ("第一条", "甲应当登记。丙应当向社会公示。"),
        ("第二条", "丁应当报告。\n戊应当审查。庚应当复核。辛应当记录。己应当在十日内批准。")]
    failed = [a for a in r.records if a["type"] == "amendment" and a["status"] == "failed"]
    assert [a["item"] for a in failed] == ["五"] and "1 sentence" in failed[0]["reason"]


def test_library_consequence_sentences_sentence_at_the_end_and_a_quotation_left_open():
    d, = _one("第十条至第十二条依次改为第十一条至第十三条。")
    assert (d["op"], d["renumbered_to"]) == ("note", ["第十一条", "第十二条", "第十三条"])
    d, = _one("在第十条第一款末尾增加一句：“甲应当公示。”")
    assert (d["op"], d["target"][0]["label"], d["new"]) == ("add_sentence", "第十条第一款", ["甲应当公示。"])
    # item 一's quotation never closes: item 二 still starts where its number says
    inst = parse_instrument(["某市人民代表大会常务委员会关于修改《某条例》的决定", "一、将第一条修改为：“甲。",
                             "二、将第二条修改为：“乙。”", "三、删去第三条。"])
    assert [(x.item, x.op) for x in inst.instructions] == [("一", "replace"), ("二", "replace"), ("三", "delete")]
    # items a ministry numbers （一）（二）
    inst = parse_instrument(["某部关于修改《某办法》的决定", "（一）删去第三条。", "（二）删去第五条。", "本决定自公布之日起施行。"])
    assert [(x.item, x.op) for x in inst.instructions] == [("一", "delete"), ("二", "delete")]


def test_added_articles_must_match_what_is_announced(run_cli, tmp_path):
    inst = _decision(tmp_path, "某市测试条例", [
        "一、增加两条，作为第二条、第三条：“第二条　甲应当登记。”",             # two announced, one quoted
        "二、增加一条，作为第四条：“第五条　乙应当备案。”",                     # numbered as 作为 says, noted
        "三、将第三条修改为：“市人民政府负责实施。”；第一款中的“实施”修改为“组织实施”。"])
    r = run_cli(["amend", os.path.join(AMEND, "multi-old.txt"), inst])
    assert r.exit_code == 1
    recs = {a["item"]: a for a in r.records if a["type"] == "amendment" and a.get("item")}
    assert recs["一"]["status"] == "failed" and "2 article(s) announced as 2 number(s), 1 quoted" in recs["一"]["reason"]
    assert recs["二"]["status"] == "applied" and recs["二"]["note"] == "numbered as the instrument says (作为…), " \
        "not as quoted: quoted 第五条, numbered 第四条"
    arts = dict(_labels_texts(r.records))
    assert arts["第四条"] == "乙应当备案。"
    assert arts["第三条"] == "市人民政府负责组织实施。"     # a sentence naming a 款 without 将 goes on
    # no closing adjusts the order, but a NEW 第四条 beside the old one: renumbered, and said
    assert arts["第五条"] == "违反第六条规定的，依照第三条处理。"
    warn = [w for w in r.records if w["type"] == "warning" and w.get("code") == "renumbered-unasked"]
    assert len(warn) == 1 and "第四条" in warn[0]["message"] and "renumbered in order" in r.stderr


def test_prev_article_citations_stay_as_printed_and_are_reported_when_one_is_added_between(run_cli, tmp_path):
    old = tmp_path / "old.txt"
    old.write_text("某市测试条例\n\n第一条　甲应当登记。\n第二条　违反前条规定的，责令改正。\n第三条　乙应当备案。\n"
                   "第四条　违反前两条规定的，予以警告。\n第五条　本条例自2020年1月1日起施行。\n", encoding="utf-8")
    inst = _decision(tmp_path, "某市测试条例", ["一、增加一条，作为第二条：“丙应当公示。”",
                                               "二、在第三条后增加一条，作为第五条：“丁应当报告。”"],
                     ("本决定自公布之日起施行。", "《某市测试条例》根据本决定作相应修改并对条文顺序作相应调整，重新公布。"))
    r = run_cli(["amend", str(old), inst])
    assert r.exit_code == 0, r.stderr
    assert _labels_texts(r.records) == [
        ("第一条", "甲应当登记。"), ("第二条", "丙应当公示。"), ("第三条", "违反前条规定的，责令改正。"),
        ("第四条", "乙应当备案。"), ("第五条", "丁应当报告。"), ("第六条", "违反前两条规定的，予以警告。"),
        ("第七条", "本条例自2020年1月1日起施行。")]
    warn = [w["message"] for w in r.records if w["type"] == "warning" and w.get("code") == "prev-article-shifted"]
    assert warn == ["第三条: “前条” meant 第一条, no longer the one(s) right before it; left as printed",
                    "第六条: “前两条” meant 第三条、第四条, no longer the one(s) right before it; left as printed"]


def test_amendment_adds_after_an_article_it_deletes_and_a_kuan_to_a_zhi_article(run_cli, tmp_path):
    inst = tmp_path / "amendment.txt"
    inst.write_text("\n".join([
        "中华人民共和国测试刑法修正案（三）",
        "（2026年11月27日第十四届全国人民代表大会常务委员会第二十次会议通过）",
        "一、在测试刑法第二条之一中增加一款作为第二款：“犯前款罪的，并处罚金。”",
        "二、删去测试刑法第三条。",
        "三、在测试刑法第三条后增加一条，作为第三条之一：“敲诈勒索的，处三年以下有期徒刑。”",
        "四、本修正案自2027年3月1日起施行。"]) + "\n", encoding="utf-8")
    r = run_cli(["amend", os.path.join(AMEND, "zhi-old.txt"), str(inst)])
    assert r.exit_code == 0, r.stderr
    assert _labels_texts(r.records)[2:] == [
        ("第二条之一", "以非法占有为目的，抢夺公私财物的，处三年以下有期徒刑。\n犯前款罪的，并处罚金。"),
        ("第三条", "（删去）"),
        ("第三条之一", "敲诈勒索的，处三年以下有期徒刑。"),     # 第三条　（删去） still holds its place
        ("第四条", "本法自1997年10月1日起施行。")]


def test_kuan_citations_inside_an_added_article_are_new_numbers_and_stay(run_cli, tmp_path):
    # kuan-decision.txt plus an added article citing 第三条第二款 — the 款 item 二 adds to old 第二条
    # (NEW 第三条): quoted text is the new law's, so it stays while the old text's citations move
    inst = tmp_path / "d.txt"
    text = open(os.path.join(AMEND, "kuan-decision.txt"), encoding="utf-8").read()
    text = text.replace("本决定自2021年12月1日起施行。",
                        "四、在第五条后增加一条，作为第七条：“违反本条例第三条第二款规定的，由街道办事处责令改正。”\n"
                        "本决定自2021年12月1日起施行。")
    inst.write_text(text, encoding="utf-8")
    r = run_cli(["amend", KUAN, str(inst)])
    assert r.exit_code == 0, r.stderr
    assert _labels_texts(r.records)[4:7] == [("第五条", "违反本条例第三条第四款规定的，由街道办事处责令改正。"),
                                             ("第六条", "违反本条例第四条第二款规定的，由价格主管部门依法处理。"),
                                             ("第七条", "违反本条例第三条第二款规定的，由街道办事处责令改正。")]
