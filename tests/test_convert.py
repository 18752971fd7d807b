"""clt convert: every format from split records, round trips through split, errors."""

import csv
import io
import json
import os
import zipfile

import pytest
from lxml import etree

from clt.convert import convert, convert_to_dir, safe_filename
from clt.convert.tree import article_paragraphs, para_lines, walk
from clt.errors import InputError, UsageError

from conftest import FIXTURES, SAMPLES, parse_jsonl

FIX = os.path.join(FIXTURES, "convert")
AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"


def load(name):
    with open(os.path.join(FIX, name), encoding="utf-8") as f:
        return parse_jsonl(f.read())


def read(name):
    with open(os.path.join(FIX, name), encoding="utf-8") as f:
        return f.read()


@pytest.fixture
def criminal():
    return load("criminal-law.jsonl")


@pytest.fixture
def hangzhou():
    return load("hangzhou.jsonl")


def text_of(records, to, **kw):
    return "".join(convert(iter(records), to, **kw))


# --------------------------------------------------------------------------- markdown / text

def test_md_layout_title_caption_headings_articles(criminal):
    md = text_of(criminal, "md")
    blocks = md.split("\n\n")
    assert blocks[0] == "# 中华人民共和国刑法"
    assert blocks[1] == ("（1979年7月1日第五届全国人民代表大会第二次会议通过　"
                         "1997年3月14日第八届全国人民代表大会第五次会议修订）")
    assert blocks[2] == "## 第一编 总则"
    assert blocks[3] == "### 第一章 刑法的任务、基本原则和适用范围"
    assert blocks[4].startswith("第一条\u3000为了惩罚犯罪")
    assert "#### 第一节 扰乱公共秩序罪" in blocks
    i = blocks.index("#### 第一节 扰乱公共秩序罪")
    assert blocks[i + 2].startswith("第二百八十七条之一\u3000利用信息网络实施下列行为之一")
    # each 项 and each later 款 is its own block
    assert blocks[i + 3].startswith("（一）设立用于")
    assert blocks[i + 5] == "（三）为实施诈骗等违法犯罪活动发布信息的。"
    assert blocks[i + 6].startswith("单位犯前款罪的")
    assert md.endswith("依照处罚较重的规定定罪处罚。\n")
    assert "\n\n\n" not in md


def test_md_law_without_headings_puts_notice_before_title(hangzhou):
    md = text_of(hangzhou, "md")
    head = md.split("\n\n")[:4]
    assert head == ["杭州市人民代表大会常务委员会公告", "第十四号", "# 杭州城市大脑赋能城市治理促进条例",
                    "（2020年10月27日杭州市第十三届人民代表大会常务委员会第三十次会议通过　"
                    "2020年11月27日浙江省第十三届人民代表大会常务委员会第二十五次会议批准）"]
    assert md.count("\n# ") == 2  # one title per law
    assert "\n\n# 杭州市公安机关警务辅助人员管理规定\n\n" in md


def test_txt_official_layout(criminal):
    txt = text_of(criminal, "txt")
    lines = txt.split("\n")
    assert lines[0] == "中华人民共和国刑法"
    assert lines[2].startswith("（1979年7月1日")
    assert "第一编\u3000总则" in lines
    assert "\u3000\u3000第一条\u3000为了惩罚犯罪，保护人民，根据宪法，结合我国同犯罪作斗争的具体经验及实际情况，制定本法。" in lines
    assert "\u3000\u3000（二）发布有关制作或者销售毒品、枪支、淫秽物品等违禁物品、管制物品或者其他违法犯罪信息的；" in lines
    assert "\u3000\u3000有前两款行为，同时构成其他犯罪的，依照处罚较重的规定定罪处罚。" in lines


def test_txt_several_laws_start_new_pages(hangzhou):
    txt = text_of(hangzhou, "txt")
    assert txt.count("\f") == 1
    assert txt.split("\f")[1].startswith("杭州市公安机关警务辅助人员管理规定\n")


# --------------------------------------------------------------------------- round trips through split

split_mod = pytest.importorskip("clt.split")


def _structure(records):
    out = []
    for r in records:
        if r["type"] == "article":
            out.append(("article", r["label"], r["num"], r.get("sub"), r["text"], tuple(r.get("path") or ())))
        elif r["type"] == "heading":
            out.append(("heading", r["level"], r["label"], r.get("num"), r.get("title"),
                        tuple(r.get("path") or ())))
        elif r["type"] == "document":
            out.append(("document", r.get("title")))
    return out


@pytest.mark.parametrize("to", ["md", "txt"])
@pytest.mark.parametrize("source", [os.path.join(FIX, "criminal-law.txt"),
                                    os.path.join(FIX, "civil-code-excerpt.txt"),
                                    os.path.join(SAMPLES, "hangzhou-bulletin-14.txt")])
def test_round_trip_split_convert_split_is_exact(run_cli, source, to):
    first = run_cli(["split", source])
    assert first.exit_code == 0, first.stderr
    a = _structure(first.records)
    # the fixtures are real laws: check that split saw them, so the round trip means something
    assert sum(1 for x in a if x[0] == "article") >= 5
    converted = run_cli(["convert", "--to", to], input=first.output)
    assert converted.exit_code == 0, converted.stderr
    again = run_cli(["split"], input=converted.output)
    assert again.exit_code == 0, again.stderr
    assert _structure(again.records) == a


def test_round_trip_of_hand_checked_records(run_cli, criminal):
    md = run_cli(["convert", "--to", "md"], input=criminal)
    back = run_cli(["split"], input=md.output).records
    arts = [r for r in back if r["type"] == "article"]
    want = [r for r in criminal if r["type"] == "article"]
    assert [(a["label"], a["num"], a["sub"], a["text"], a["path"]) for a in arts] == \
           [(a["label"], a["num"], a["sub"], a["text"], a["path"]) for a in want]
    heads = [(h["level"], h["label"], h["num"], h["title"]) for h in back if h["type"] == "heading"]
    assert heads == [(h["level"], h["label"], h["num"], h["title"]) for h in criminal if h["type"] == "heading"]


# --------------------------------------------------------------------------- html

def _html(records):
    from lxml import html as lhtml

    page = text_of(records, "html")
    return page, lhtml.document_fromstring(page)


def test_html_is_a_standalone_semantic_page(criminal):
    page, doc = _html(criminal)
    assert page.startswith("<!DOCTYPE html>")
    assert doc.get("lang") == "zh-CN"
    assert doc.findtext(".//title") == "中华人民共和国刑法"
    assert doc.xpath("//h1")[0].text_content() == "中华人民共和国刑法"
    assert "@media print" in doc.xpath("//style")[0].text
    arts = doc.xpath("//section[@class='article']")
    assert [a.get("id") for a in arts] == ["art-1", "art-2", "art-287", "art-287-1"]
    a = doc.get_element_by_id("art-287-1")
    assert a.get("data-label") == "第二百八十七条之一"
    assert [li.text_content() for li in a.xpath(".//ol[@class='items']/li")][1].startswith("（二）发布有关")
    assert len(a.xpath("./p")) == 3  # three 款
    # the article is nested in its section, chapter and part
    assert [s.get("class") for s in a.iterancestors("section")] == ["section", "chapter", "part"]


def test_html_toc_links_resolve_and_ids_are_unique(criminal, hangzhou):
    _, doc = _html(criminal + hangzhou)
    ids = [e.get("id") for e in doc.xpath("//*[@id]")]
    assert len(ids) == len(set(ids))
    hrefs = [a.get("href")[1:] for a in doc.xpath("//nav//a")]
    assert hrefs and all(h in ids for h in hrefs)
    # later laws prefix their ids; the first keeps the citation anchors
    assert "art-287-1" in ids and "law2-art-1" in ids and "law3-art-2" in ids
    assert len(doc.xpath("//article[@class='law']")) == 3


def test_html_escapes_markup_in_text():
    recs = [{"type": "document", "title": "<b>条例</b>"},
            {"type": "article", "label": "第一条", "num": 1, "text": "a < b & c"}]
    page = text_of(recs, "html")
    assert "<b>条例</b>" not in page
    assert "a &lt; b &amp; c" in page


# --------------------------------------------------------------------------- csv / tsv

def _rows(text, delimiter=","):
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter))


def test_csv_one_row_per_article_with_law_and_path(criminal, hangzhou):
    rows = _rows(text_of(criminal + hangzhou, "csv"))
    assert rows[0] == ["law", "path", "label", "num", "sub", "text"]
    assert len(rows) == 1 + 4 + 7
    r = rows[4]
    assert r[:5] == ["中华人民共和国刑法", "第二编 分则 / 第六章 妨害社会管理秩序罪 / 第一节 扰乱公共秩序罪",
                     "第二百八十七条之一", "287", "1"]
    assert r[5].split("\n")[1].startswith("（一）设立用于")
    assert rows[-1][0] == "杭州市公安机关警务辅助人员管理规定"


def test_csv_levels_paragraph_and_item(criminal):
    para = _rows(text_of(criminal, "csv", level="paragraph"))
    assert para[0][-2:] == ["paragraph", "text"]
    assert len(para) == 1 + 1 + 1 + 1 + 3
    items = _rows(text_of(criminal, "csv", level="item"))
    assert items[0][-3:] == ["paragraph", "item", "text"]
    art = [r for r in items if r[2] == "第二百八十七条之一"]
    assert [(r[5], r[6]) for r in art] == [("1", ""), ("1", "（一）"), ("1", "（二）"), ("1", "（三）"),
                                           ("2", ""), ("3", "")]
    assert art[1][7].startswith("设立用于")


def test_csv_bom_crlf_and_quoting_for_excel(run_clt_subprocess):
    p = run_clt_subprocess(["convert", "--to", "csv", "--bom", os.path.join(FIX, "criminal-law.jsonl")])
    assert p.returncode == 0, p.stderr
    out = p.stdout.decode("utf-8")
    assert out.startswith("\ufeff\"law\",")
    assert out.count("\r\n") == 5  # rows end in CRLF; line breaks inside a text stay LF
    assert ',287,1,"' in out  # numbers bare, text quoted


def test_tsv_reads_back_with_newlines_in_text(criminal):
    rows = _rows(text_of(criminal, "tsv"), "\t")
    assert rows[0][0] == "law" and len(rows) == 5
    assert rows[4][5].count("\n") == 5


# --------------------------------------------------------------------------- json

def test_json_one_nested_tree_per_law(criminal, hangzhou):
    out = text_of(criminal + hangzhou, "json")
    trees = [json.loads(l) for l in out.splitlines()]
    assert [t["title"] for t in trees] == ["中华人民共和国刑法", "杭州城市大脑赋能城市治理促进条例",
                                           "杭州市公安机关警务辅助人员管理规定"]
    part2 = trees[0]["children"][1]
    assert (part2["type"], part2["label"]) == ("heading", "第二编")
    sec = part2["children"][0]["children"][0]
    assert sec["title"] == "扰乱公共秩序罪"
    art = sec["children"][1]
    assert (art["label"], art["num"], art["sub"], art["id"]) == ("第二百八十七条之一", 287, 1, "art-287-1")
    assert len(art["paragraphs"][0]["items"]) == 3
    assert trees[1]["front"][0]["kind"] == "notice"


# --------------------------------------------------------------------------- akn

def _akn(records):
    return etree.fromstring(text_of(records, "akn").encode("utf-8"))


def test_akn_parses_with_frbr_and_structure(criminal):
    root = _akn(criminal)
    ns = {"a": AKN_NS}
    assert root.tag == f"{{{AKN_NS}}}akomaNtoso"
    act = root.find("a:act", ns)
    ident = act.find("a:meta/a:identification", ns)
    for frbr in ("FRBRWork", "FRBRExpression", "FRBRManifestation"):
        assert ident.find(f"a:{frbr}/a:FRBRthis", ns) is not None
    assert ident.find("a:FRBRWork/a:FRBRdate", ns).get("date") == "1979-07-01"
    assert ident.find("a:FRBRExpression/a:FRBRdate", ns).get("date") == "1997-03-14"
    assert ident.find("a:FRBRWork/a:FRBRname", ns).get("value") == "中华人民共和国刑法"
    assert ident.find("a:FRBRExpression/a:FRBRlanguage", ns).get("language") == "zho"
    assert act.find("a:preface/a:longTitle/a:p/a:docTitle", ns).text == "中华人民共和国刑法"
    body = act.find("a:body", ns)
    assert [p.find("a:num", ns).text for p in body.findall("a:part", ns)] == ["第一编", "第二编"]
    art = body.find(".//a:article[@eId='part_2__chp_6__sec_1__art_287-1']", ns)
    assert art.find("a:num", ns).text == "第二百八十七条之一"
    paras = art.findall("a:paragraph", ns)
    assert [p.get("eId") for p in paras][1] == "part_2__chp_6__sec_1__art_287-1__para_2"
    lst = paras[0].find("a:list", ns)
    assert lst.find("a:intro/a:p", ns).text.startswith("利用信息网络")
    points = lst.findall("a:point", ns)
    assert [p.find("a:num", ns).text for p in points] == ["（一）", "（二）", "（三）"]
    assert points[2].get("eId").endswith("__list_1__point_3")
    eids = [e.get("eId") for e in root.iter() if e.get("eId")]
    assert len(eids) == len(set(eids))


def test_akn_refuses_several_laws_in_one_file(run_cli, hangzhou):
    r = run_cli(["convert", "--to", "akn"], input=hangzhou)
    assert r.exit_code == 2
    assert "-o DIR" in r.stderr
    assert r.output == ""


# --------------------------------------------------------------------------- docx

def test_docx_official_layout(tmp_path, run_cli, criminal):
    import docx

    out = tmp_path / "law.docx"
    r = run_cli(["convert", "--to", "docx", "-o", str(out)], input=criminal)
    assert r.exit_code == 0, r.stderr
    d = docx.Document(str(out))
    texts = [p.text for p in d.paragraphs if p.text]
    assert texts[0] == "中华人民共和国刑法"
    assert texts[2] == "第一编\u3000总则"
    assert "第二百八十七条之一\u3000利用信息网络实施下列行为之一，情节严重的，处三年以下有期徒刑或者拘役，并处或者单处罚金：" in texts
    assert texts[-1] == "有前两款行为，同时构成其他犯罪的，依照处罚较重的规定定罪处罚。"
    title = d.paragraphs[0]
    assert title.alignment == 1  # centred
    assert d.sections[0].top_margin.mm == pytest.approx(37, abs=0.1)


def test_docx_refuses_a_terminal(run_cli, monkeypatch, criminal):
    import sys

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    from clt.cli import convert as cmd

    with pytest.raises(UsageError, match="terminal"):
        cmd.command.callback(files=(os.path.join(FIX, "criminal-law.jsonl"),), encoding=None, output=None,
                             to="docx", level="article", bom=False, indent=None)


def test_docx_to_a_pipe_is_a_zip(run_clt_subprocess):
    p = run_clt_subprocess(["convert", "--to", "docx", os.path.join(FIX, "criminal-law.jsonl")])
    assert p.returncode == 0, p.stderr
    z = zipfile.ZipFile(io.BytesIO(p.stdout))
    assert "word/document.xml" in z.namelist()


# --------------------------------------------------------------------------- one file per law

def test_output_dir_writes_one_file_per_law(tmp_path, run_cli, hangzhou):
    out = tmp_path / "laws"
    r = run_cli(["convert", "--to", "md", "-o", str(out) + "/"], input=hangzhou)
    assert r.exit_code == 0, r.stderr
    assert sorted(os.listdir(out)) == ["杭州城市大脑赋能城市治理促进条例.md", "杭州市公安机关警务辅助人员管理规定.md"]
    first = (out / "杭州城市大脑赋能城市治理促进条例.md").read_text(encoding="utf-8")
    assert first.startswith("杭州市人民代表大会常务委员会公告\n\n第十四号\n\n# 杭州城市大脑")
    assert "警务辅助" not in first


def test_output_dir_akn_one_xml_per_law(tmp_path, run_cli, hangzhou):
    r = run_cli(["convert", "--to", "akn", "-o", str(tmp_path)], input=hangzhou)
    assert r.exit_code == 0, r.stderr
    files = sorted(os.listdir(tmp_path))
    assert len(files) == 2 and all(f.endswith(".xml") for f in files)
    for f in files:
        etree.parse(str(tmp_path / f))


def test_safe_filename_strips_separators_and_dedups():
    used = set()
    assert safe_filename("a/b:c?", "md", used) == "a_b_c.md"
    assert safe_filename("a/b:c?", "md", used) == "a_b_c-2.md"
    assert safe_filename("", "md", used, fallback="law-3") == "law-3.md"
    assert safe_filename("../..", "md", used, fallback="law-4") == "law-4.md"
    assert len(safe_filename("条" * 300, "md").encode()) <= 204


# --------------------------------------------------------------------------- errors

def test_no_articles_is_an_error_and_writes_nothing(tmp_path, run_cli):
    out = tmp_path / "law.md"
    r = run_cli(["convert", "--to", "md", "-o", str(out)], input="这不是法律。\n只是两行文字。\n")
    assert r.exit_code == 1
    assert "no articles" in r.stderr and "clt split" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert not out.exists() and os.listdir(tmp_path) == []


def test_no_articles_nothing_on_stdout(run_cli):
    r = run_cli(["convert", "--to", "md"], input=[{"type": "document", "title": "空"}])
    assert r.exit_code == 1 and r.output == ""


def test_failed_dir_output_leaves_no_files(tmp_path, run_cli):
    out = tmp_path / "laws"
    r = run_cli(["convert", "--to", "md", "-o", str(out) + "/"], input=[{"type": "document", "title": "空"}])
    assert r.exit_code == 1
    assert not out.exists()


def test_unwritable_output_path_is_a_clear_error(run_cli, criminal):
    r = run_cli(["convert", "--to", "md", "-o", "/no/such/dir/law.md"], input=criminal)
    assert r.exit_code == 2
    assert "/no/such/dir" in r.stderr and "Traceback" not in r.stderr


def test_unknown_format_and_misplaced_options(run_cli, criminal):
    r = run_cli(["convert", "--to", "pdf"], input=criminal)
    assert r.exit_code == 2 and "unknown format 'pdf'" in r.stderr
    r = run_cli(["convert", "--to", "md", "--level", "item"], input=criminal)
    assert r.exit_code == 2 and "--level does not apply to --to md" in r.stderr


def test_diff_output_refused_where_it_cannot_be_shown(run_cli):
    change = {"type": "change", "op": "modified", "old": {"label": "第一条", "text": "甲"},
              "new": {"label": "第一条", "text": "乙"}, "similarity": 0.5}
    r = run_cli(["convert", "--to", "txt"], input=[change])
    assert r.exit_code == 2 and "diff output" in r.stderr


# --------------------------------------------------------------------------- diff output

def test_diff_output_as_md_html_csv(run_cli):
    recs = [{"type": "change", "op": "modified", "old": {"label": "第一条", "text": "为了规范管理"},
             "new": {"label": "第一条", "text": "为了加强管理"}, "similarity": 0.8,
             "inline": [["=", "为了"], ["-", "规范"], ["+", "加强"], ["=", "管理"]]},
            {"type": "change", "op": "inserted", "old": None, "new": {"label": "第二条", "text": "新条文"}},
            {"type": "summary", "changes": {"modified": 1, "inserted": 1}}]
    md = run_cli(["convert", "--to", "md"], input=recs).output
    assert "| 修改 (modified) | 第一条 | 第一条 | 0.800 |" in md
    assert "| 新增 (inserted) |  | 第二条 |  |" in md
    assert "changes: modified 1, inserted 1" in md
    page = run_cli(["convert", "--to", "html"], input=recs).output
    assert "为了<del>规范</del>管理" in page and "为了<ins>加强</ins>管理" in page
    rows = _rows(run_cli(["convert", "--to", "csv"], input=recs).output)
    assert rows[0] == ["op", "old", "new", "similarity", "old_text", "new_text"]
    assert rows[2] == ["inserted", "", "第二条", "", "", "新条文"]


# --------------------------------------------------------------------------- liberal input

def test_paragraphs_absent_uses_text_and_finds_items():
    rec = {"type": "article", "label": "第六条", "num": 6,
           "text": "承担以下职责：\n（一）甲；\n（二）乙。\n第二款。"}
    paras = article_paragraphs(rec)
    assert [p["text"] for p in paras] == ["承担以下职责：", "第二款。"]
    assert [(i["label"], i["text"]) for i in paras[0]["items"]] == [("（一）", "甲；"), ("（二）", "乙。")]
    assert "\n".join(para_lines(paras)) == rec["text"]


def test_paragraphs_that_disagree_with_text_lose_to_text():
    """Regression: paragraphs whose items repeat their labels must not print them twice,
    and paragraphs that do not add up to the text must not replace it."""
    rec = {"type": "article", "label": "第一条", "num": 1, "text": "甲：\n（一）乙",
           "paragraphs": [{"text": "甲：", "items": [{"label": "（一）", "text": "（一）乙"}]}]}
    assert "\n".join(para_lines(article_paragraphs(rec))) == "甲：\n（一）乙"
    rec["paragraphs"] = [{"text": "别的文字", "items": []}]
    assert "\n".join(para_lines(article_paragraphs(rec))) == "甲：\n（一）乙"


def test_articles_without_document_or_headings_use_path():
    recs = [{"type": "source", "path": "x"},
            {"type": "article", "label": "第一条", "num": 1, "path": ["第一章 总则"], "text": "甲。"},
            {"type": "mystery", "x": 1},
            {"type": "article", "label": "第二条", "num": 2, "path": ["第二章 附则"], "text": "乙。"}]
    md = text_of(recs, "md")
    assert md == "## 第一章 总则\n\n第一条\u3000甲。\n\n## 第二章 附则\n\n第二条\u3000乙。\n"


def test_md_streams_before_the_input_ends(criminal):
    def records():
        yield from criminal[:4]
        raise AssertionError("read past the first articles")

    chunks = convert(records(), "md")
    first = next(chunks)
    assert first.startswith("# 中华人民共和国刑法")


def test_walk_counts_and_article_ids_are_unique():
    recs = [{"type": "article", "label": "第一条", "num": 1, "text": "甲"},
            {"type": "article", "label": "第一条", "num": 1, "text": "乙"}]
    evs = [e for e in walk(recs) if e["ev"] == "article"]
    assert [e["hid"] for e in evs] == ["art-1", "art-1-2"]


def test_library_errors_are_clt_errors():
    with pytest.raises(InputError):
        list(convert(iter([]), "md"))
    with pytest.raises(UsageError):
        list(convert(iter([]), "nope"))
    with pytest.raises(UsageError):
        convert_to_dir(iter([]), "md", "/no/such/parent/dir")


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux /proc")
def test_output_that_cannot_be_created_is_one_line_error(run_cli, criminal):
    r = run_cli(["convert", "--to", "txt", "-o", "/proc/clt-convert-test.txt"], input=criminal)
    assert r.exit_code == 1
    assert r.stderr.strip().startswith("clt: /proc/clt-convert-test.txt: cannot write")
    assert len(r.stderr.strip().splitlines()) == 1 and r.output == ""


def test_json_trees_read_back_into_every_format(criminal, hangzhou):
    trees = [json.loads(l) for l in text_of(criminal + hangzhou, "json").splitlines()]
    assert text_of(trees, "md") == text_of(criminal + hangzhou, "md")
    assert text_of(trees, "json") == text_of(criminal + hangzhou, "json")
    arts = [e for e in walk(trees) if e["ev"] == "article"]
    assert arts[3]["rec"]["path"] == ["第二编 分则", "第六章 妨害社会管理秩序罪", "第一节 扰乱公共秩序罪"]


def test_caption_line_breaks_from_the_page_are_not_spaces_in_html():
    """Regression: a caption split across printed lines showed as '第二 十一次' in the browser."""
    recs = [{"type": "document", "title": "条例", "caption": "（1995年8月19日第八届第二\n十一次会议通过）"},
            {"type": "article", "label": "第一条", "num": 1, "text": "甲。"}]
    page = text_of(recs, "html")
    assert '<p class="caption">（1995年8月19日第八届第二十一次会议通过）</p>' in page
    # md keeps the lines as split gave them, for an exact round trip
    assert "第二\n十一次" in text_of(recs, "md")


def test_notice_printed_with_centred_head_and_signature_right():
    from clt.convert.tree import notice_lines

    block = {"type": "block", "kind": "notice",
             "text": "杭州市人民代表大会常务委员会公告\n第十四号\n"
                     "《杭州城市大脑赋能城市治理促进条例》已于2020年11月27日经浙江省第十三届人民代表大会"
                     "常务委员会第二十五次会议批准，现予公布，自2021年3月1日起施行。\n"
                     "杭州市人民代表大会常务委员会\n2020年12月7日"}
    assert [r for _, r in notice_lines(block)] == ["head", "head", "body", "sign", "sign"]
    recs = [block, {"type": "document", "title": "杭州城市大脑赋能城市治理促进条例"},
            {"type": "article", "label": "第一条", "num": 1, "text": "甲。"}]
    page = text_of(recs, "html")
    assert '<p class="head">第十四号</p>' in page and '<p class="sign">2020年12月7日</p>' in page


def test_diff_output_into_a_directory_is_refused(tmp_path, run_cli):
    change = {"type": "change", "op": "equal", "old": {"label": "第一条"}, "new": {"label": "第一条"}}
    out = tmp_path / "out"
    r = run_cli(["convert", "--to", "csv", "-o", str(out) + "/"], input=[change])
    assert r.exit_code == 2 and "-o FILE" in r.stderr
    assert not out.exists()


def test_format_aliases(criminal):
    assert text_of(criminal, "markdown") == text_of(criminal, "md")
    assert text_of(criminal, "TEXT") == text_of(criminal, "txt")


from hypothesis import given, settings, strategies as st

_LINE = st.one_of(
    st.text(alphabet="甲乙丙，。：；（）()一二三1.、 \u3000第条款项", max_size=12),
    st.sampled_from(["（一）甲；", "（二）乙。", "1.丙", "2．丁", "(三) 戊", "第二款。", ""]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=8))
def test_any_article_text_survives_the_paragraph_model(lines):
    """Whatever the article text, the 款/项/目 model rebuilt from it prints it back exactly."""
    text = "\n".join(lines)
    paras = article_paragraphs({"type": "article", "label": "第一条", "num": 1, "text": text})
    assert "\n".join(para_lines(paras)) == text


def test_text_of_a_law_is_split_on_the_fly(run_cli):
    """clt convert law.txt == clt normalize law.txt | clt split | clt convert."""
    src = os.path.join(FIX, "criminal-law.txt")
    direct = run_cli(["convert", "--to", "md", src])
    assert direct.exit_code == 0, direct.stderr
    norm = run_cli(["normalize", src])
    split = run_cli(["split"], input=norm.output)
    piped = run_cli(["convert", "--to", "md"], input=split.output)
    assert direct.output == piped.output
    assert "#### 第一节 扰乱公共秩序罪" in direct.output


def test_subparts_nest_in_html_and_akn(run_cli):
    """编 > 分编 > 章: the 分编 level (civil code) gets its own element and id everywhere."""
    from lxml import html as lhtml

    recs = run_cli(["split", os.path.join(FIX, "civil-code-excerpt.txt")]).records
    doc = lhtml.document_fromstring(text_of(recs, "html"))
    art = doc.get_element_by_id("art-648")
    assert [s.get("id") for s in art.iterancestors("section")] == \
        ["part-3-subpart-2-chp-10", "part-3-subpart-2", "part-3"]
    root = _akn(recs)
    ns = {"a": AKN_NS}
    a = root.find(".//a:article[@eId='part_3__subpart_2__chp_10__art_648']", ns)
    assert a is not None
    assert [e.tag.split("}")[1] for e in a.iterancestors()][:3] == ["chapter", "subpart", "part"]
    assert [p.get("eId") for p in a.findall("a:paragraph", ns)] == \
        ["part_3__subpart_2__chp_10__art_648__para_1", "part_3__subpart_2__chp_10__art_648__para_2"]


def test_akn_approval_is_not_an_amendment(hangzhou):
    """批准 (approval) dates the work's entry, not a new expression; 修订 does."""
    from clt.convert.akn import work_dates

    doc = next(r for r in hangzhou if r["type"] == "document")
    assert work_dates(doc) == ("2020-10-27", "2020-10-27")
    amended = {"caption": "（1995年8月19日第八届第二十一次会议通过　2017年11月30日第十二届第四十五次会议"
                          "《关于修改〈浙江省水资源管理条例〉等十九件地方性法规的决定》第三次修正）"}
    assert work_dates(amended) == ("1995-08-19", "2017-11-30")
