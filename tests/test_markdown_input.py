"""Markdown in as pandoc and Hugo write it: YAML front matter is metadata, headings keep their space."""

from conftest import parse_jsonl

PANDOC = """---
title: 中华人民共和国网络安全法
author: "全国人民代表大会常务委员会"
keywords:
  - 网络
  - 安全
---

（2016年11月7日第十二届全国人民代表大会常务委员会第二十四次会议通过）

# 第一章 总则

第一条　为了保障网络安全，制定本法。

# 第二章 网络安全支持与促进 {#第二章-网络安全支持与促进}

## 第一节 一般规定

第二条　本法自2017年6月1日起施行。
"""


def _split(run_cli, text):
    r = run_cli(["split"], input=text)
    assert r.exit_code == 0, r.stderr
    return r.records


def test_front_matter_is_metadata_and_gives_the_title(run_cli):
    recs = _split(run_cli, PANDOC)
    (doc,) = [r for r in recs if r["type"] == "document"]
    assert doc["title"] == "中华人民共和国网络安全法"
    assert doc["metadata"]["author"] == "全国人民代表大会常务委员会"
    assert doc["metadata"]["keywords"] == ["网络", "安全"]
    assert doc["caption"].startswith("（2016年11月7日")
    (meta,) = [r for r in recs if r.get("kind") == "metadata"]
    assert meta["text"].startswith("---\ntitle: 中华人民共和国网络安全法\n") and meta["text"].endswith("\n---")
    # nothing of it is taken for the law's text
    assert not any(r["type"] == "block" and r.get("kind") == "text" for r in recs)
    assert [r["num"] for r in recs if r["type"] == "article"] == [1, 2]


def test_h1_chapters_are_headings_and_keep_their_space(run_cli):
    recs = _split(run_cli, PANDOC)
    heads = [r for r in recs if r["type"] == "heading"]
    assert [(h["level"], h["label"], h["title"]) for h in heads] == [
        ("chapter", "第一章", "总则"), ("chapter", "第二章", "网络安全支持与促进"), ("section", "第一节", "一般规定")]
    arts = [r for r in recs if r["type"] == "article"]
    assert arts[0]["path"] == ["第一章 总则"]
    assert arts[1]["path"] == ["第二章 网络安全支持与促进", "第一节 一般规定"]


def test_title_h1_then_h1_chapters_is_one_law(run_cli):
    text = "# 某某条例\n\n# 第一章 总则\n\n第一条　甲。\n\n# 第二章 附则\n\n第二条　本条例自2020年1月1日起施行。\n"
    recs = _split(run_cli, text)
    assert [r["title"] for r in recs if r["type"] == "document"] == ["某某条例"]
    assert [r["path"] for r in recs if r["type"] == "article"] == [["第一章 总则"], ["第二章 附则"]]


def test_hugo_front_matter_without_title_and_a_markdown_title(run_cli):
    text = "---\ndate: 2021-01-01\ndraft: false\n---\n\n# 某某条例\n\n第一条　甲。\n"
    recs = _split(run_cli, text)
    (doc,) = [r for r in recs if r["type"] == "document"]
    assert doc["title"] == "某某条例" and doc["metadata"] == {"date": "2021-01-01", "draft": "false"}


def test_a_rule_that_is_not_front_matter_stays_text(run_cli):
    # a text that opens with --- but goes on with prose: not front matter, nothing lost
    text = "---\n这不是元数据，而是正文。\n---\n某某条例\n第一条　甲。\n"
    recs = _split(run_cli, text)
    texts = "".join(r.get("text", "") for r in recs if r["type"] == "block")
    assert "这不是元数据" in texts
    assert [r["num"] for r in recs if r["type"] == "article"] == [1]


def test_parse_front_matter():
    from clt.split.units import parse_front_matter

    assert parse_front_matter(["title: 'A ''b'''", "tags: [x, y]", "desc: |", "  line one", "  line two",
                               "list:", "- a", "- \"b\""]) == {
        "title": "A 'b'", "tags": "[x, y]", "desc": "line one\nline two", "list": ["a", "b"]}
