"""Plain text in the official layout.

::

    杭州城市大脑赋能城市治理促进条例

    （2020年10月27日……通过　……批准）

    第一章　总则

    　　第一条　为了……，制定本条例。
    　　第二款的文字。
    　　（一）第一项；

Title, 题注 and headings stand on their own lines between blank lines; every
款 and 项 is one line indented with two full-width spaces; an article label
is followed by a full-width space.  Laws in one stream are separated by a
form feed (a new page).  Streams record by record.
"""

from clt.convert.tree import article_lines, caption_lines, heading_text, law_title

EXT = "txt"
BINARY = False
STREAMING = True
CHANGES = False
OPTIONS = ()

INDENT = "\u3000\u3000"


def render(events, **_):
    first_law = True
    after_body = False  # the last thing written was body lines (no blank line yet)
    for ev in events:
        kind = ev["ev"]
        if kind == "law":
            out = []
            prefix = "" if first_law else "\f"
            first_law = False
            for b in ev["front"]:
                out.extend(INDENT + l for l in (b.get("text") or "").split("\n") if l.strip())
                out.append("")
            title = law_title(ev["doc"])
            if title:
                out += [title, ""]
            caps = caption_lines(ev["doc"])
            if caps:
                out += caps + [""]
            after_body = False
            yield prefix + "\n".join(out) + ("\n" if out else "")
        elif kind == "heading":
            yield ("\n" if after_body else "") + heading_text(ev["rec"], "\u3000") + "\n\n"
            after_body = False
        elif kind == "article":
            yield "".join(INDENT + l + "\n" for l in article_lines(ev))
            after_body = True
        elif kind == "block":
            if ev["rec"].get("kind") == "toc":
                continue
            lines = [l for l in (ev["rec"].get("text") or "").split("\n") if l.strip()]
            if lines:
                yield "".join(INDENT + l + "\n" for l in lines)
                after_body = True
