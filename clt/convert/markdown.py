"""Markdown in the layout Chinese law collections use, readable back by ``clt split``.

::

    # 杭州城市大脑赋能城市治理促进条例

    （2020年10月27日杭州市第十三届人民代表大会常务委员会第三十次会议通过　……批准）

    ## 第一章 总则

    ### 第一节 一般规定

    第一条　为了……，制定本条例。

    第二款的文字。

    （一）第一项；

Each 款 and each 项 is one block, separated by blank lines; the article
label opens its first 款 followed by a full-width space.  Headings get one
``#`` more than their nesting depth (a law without 编 puts 章 at ``##``).
The text is written as it is (no Markdown escaping), so what ``split``
reads back is the law's own characters.  Streams: one record in, its
blocks out.

``diff`` output renders as a table of changes (op, old, new, similarity).
"""

from clt.convert.tree import article_lines, caption_lines, heading_text, law_title

EXT = "md"
BINARY = False
STREAMING = True
CHANGES = True
OPTIONS = ()


def _block_text(rec):
    t = rec.get("text")
    return t if isinstance(t, str) else ""


def render(events, **_):
    first = True
    table_open = False
    for ev in events:
        kind = ev["ev"]
        out = []
        if kind == "law":
            for b in ev["front"]:
                out.extend(_block_text(b).split("\n"))
            title = law_title(ev["doc"])
            if title:
                out.append("# " + title)
            out.extend(caption_lines(ev["doc"]))
        elif kind == "heading":
            out.append("#" * min(ev["depth"] + 1, 6) + " " + heading_text(ev["rec"]))
        elif kind == "article":
            out.extend(article_lines(ev))
        elif kind == "block":
            if ev["rec"].get("kind") == "toc":
                continue  # the table of contents is the headings themselves
            out.extend(l for l in _block_text(ev["rec"]).split("\n"))
        elif kind == "change":
            head = ""
            if not table_open:
                head = ("" if first else "\n") + "| 变动 | 原条文 | 新条文 | 相似度 |\n| --- | --- | --- | --- |\n"
                table_open = True
            yield head + _change_row(ev["rec"]) + "\n"
            first = False
            continue
        elif kind == "summary":
            out.append(_summary(ev["rec"]))
            table_open = False
        else:
            continue
        out = [l for l in out if l.strip()]
        if not out:
            continue
        text = "\n\n".join(out) + "\n"
        if not first:
            text = "\n" + text
        first = False
        yield text


# --------------------------------------------------------------------------- diff

OP_NAMES = {"equal": "相同", "renumbered": "重新编号", "modified": "修改", "moved": "移动",
            "split": "拆分", "merged": "合并", "inserted": "新增", "deleted": "删除", "renamed": "更名"}


def side_labels(side):
    """'第三条' / '第三条、第四条' / '' for one side of a change record."""
    if side is None:
        return ""
    if isinstance(side, dict):
        side = [side]
    if not isinstance(side, list):
        return str(side)
    out = []
    for s in side:
        if isinstance(s, dict) and "level" in s:  # a heading_change side
            out.append(heading_text(s))
        elif isinstance(s, dict):
            out.append(str(s.get("label") or s.get("num") or ""))
        else:
            out.append(str(s))
    return "、".join(out)


def side_text(side):
    if side is None:
        return ""
    if isinstance(side, dict):
        side = [side]
    if not isinstance(side, list):
        return ""
    return "\n".join(s.get("text") or s.get("title") or "" for s in side if isinstance(s, dict))


def _cell(s):
    return s.replace("|", "\\|").replace("\n", "<br>")


def _change_row(rec):
    op = rec.get("op") or ""
    sim = rec.get("similarity")
    sim = f"{sim:.3f}" if isinstance(sim, (int, float)) and not isinstance(sim, bool) else ""
    return "| " + " | ".join(_cell(x) for x in (
        f"{OP_NAMES.get(op, op)} ({op})" if op in OP_NAMES else op,
        side_labels(rec.get("old")), side_labels(rec.get("new")), sim)) + " |"


def summary_text(rec):
    """One line for a diff ``summary`` record: its counts (``changes: equal 3, modified 1``)."""
    parts = []
    for k, v in rec.items():
        if k in ("type", "stage", "options", "old", "new"):
            continue
        if isinstance(v, dict):
            inner = ", ".join(f"{a} {b}" for a, b in v.items() if not isinstance(b, (dict, list)))
            if inner:
                parts.append(f"{k}: {inner}")
        elif not isinstance(v, list):
            parts.append(f"{k}: {v}")
    return "; ".join(parts)


def _summary(rec):
    text = summary_text(rec)
    return "**合计** " + text if text else ""
