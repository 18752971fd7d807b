"""A real unified diff (``clt diff -u``) of two versions of a law.

The lines compared are those of the official plain-text rendering, exactly
as ``clt convert --to txt`` prints each version: the title, the 题注,
every heading on its own line (with a blank line around it), every 款 and
every 项 of an article on one line indented with two full-width spaces.
So the output is an ordinary unified diff of two text files — ``patch``
applies it to ``clt convert --to txt OLD`` and gives ``clt convert --to txt
NEW`` back, ``diffstat`` and ``delta`` read it.

The lines are not paired blindly: articles are first paired by content with
the aligner ``clt diff`` uses (:func:`clt.diff.align.align`, so an inserted
article does not make every later one look rewritten), then the lines of each
pair are compared (a two-character edit in a 款 changes that one line), and
the lines between pairs (headings, deleted and inserted articles) are compared
as plain lines.  Every changed article (or heading) is its own hunk, headed
``@@ -a,b +c,d @@ 第五条 → 第六条``; context lines come from around it, never
overlapping the next hunk.  An article that moved is deleted at its old place
and inserted at its new one, as a line diff must show it.
"""

import datetime
import difflib
import os

from clt.diff.align import align as align_articles
from clt.diff.inline import alignment_key, comparison_key, inline_diff

__all__ = ["rendered_lines", "unified_diff", "file_label"]

#: lines of context around a hunk (GNU diff's default)
CONTEXT = 3

#: ANSI SGR sequences, as GNU diff --color uses them (hd=1, ln=36, de=31, ad=32)
SGR = {"header": "\x1b[1m", "hunk": "\x1b[36m", "del": "\x1b[31m", "add": "\x1b[32m",
       "del_hl": "\x1b[1;7;31m", "add_hl": "\x1b[1;7;32m", "reset": "\x1b[0m"}


class _Unit:
    """Lines of the rendering that belong to one thing: the front of a law,
    a heading, an article."""

    __slots__ = ("kind", "name", "key", "start", "end")

    def __init__(self, kind, name, key, start, end):
        self.kind, self.name, self.key, self.start, self.end = kind, name, key, start, end


def rendered_lines(records):
    """(lines, units) of *records* rendered as ``clt convert --to txt`` does.

    *lines* end with their newline (the last may lack one); *units* say which
    lines hold which article or heading.
    """
    from clt.convert import text as txt
    from clt.convert import structured
    from clt.convert.tree import Walk, heading_text, law_title, no_articles_error, para_lines
    from clt.records import checked

    w = Walk(structured(checked(records)))
    current = {}

    def tap():
        for ev in w:
            current["ev"] = ev
            yield ev

    lines, units = [], []
    for chunk in txt.render(tap()):
        ev = current["ev"]
        kind = ev["ev"]
        start = len(lines)
        lines.extend(chunk.splitlines(keepends=True))
        if kind == "article":
            name = ev["label"] or ""
            # paired by the text without its label, as `clt diff` pairs them
            # (a renumbered article is the same article)
            key = alignment_key("\n".join(para_lines(ev["paras"])))
        elif kind == "heading":
            name = heading_text(ev["rec"], " ")
            key = alignment_key(name)
        elif kind == "law":
            name, key = law_title(ev["doc"]) or "", None
        else:
            name, key = "", None
        units.append(_Unit(kind, name, key, start, len(lines)))
    if not w.articles:
        raise no_articles_error(w)
    return lines, units


def file_label(path, name=None):
    """``NAME<TAB>mtime`` as GNU diff heads a unified diff (the mtime in local
    time with its UTC offset and nanoseconds); stdin gets the current time."""
    name = name if name is not None else path
    try:
        ns = os.stat(path).st_mtime_ns if path not in (None, "-", "<stdin>") else None
    except OSError:
        ns = None
    if ns is None:
        ns = int(datetime.datetime.now().timestamp() * 1e9)
    t = datetime.datetime.fromtimestamp(ns // 1_000_000_000).astimezone()
    return f"{name}\t{t:%Y-%m-%d %H:%M:%S}.{ns % 1_000_000_000:09d} {t:%z}"


def _line_ops(a, b, lo_a, hi_a, lo_b, hi_b, key):
    """difflib opcodes over a[lo_a:hi_a] and b[lo_b:hi_b], compared by *key*, in absolute positions."""
    ka = [key(x) for x in a[lo_a:hi_a]]
    kb = [key(x) for x in b[lo_b:hi_b]]
    if not ka and not kb:
        return []
    sm = difflib.SequenceMatcher(None, ka, kb, autojunk=False)
    return [(t, i1 + lo_a, i2 + lo_a, j1 + lo_b, j2 + lo_b) for t, i1, i2, j1, j2 in sm.get_opcodes()]


def _pairs(old_units, new_units):
    """In-order pairs (old unit indices, new unit indices) of articles, by content."""
    oa = [k for k, u in enumerate(old_units) if u.kind == "article"]
    na = [k for k, u in enumerate(new_units) if u.kind == "article"]
    groups = align_articles([old_units[k].key for k in oa], [new_units[k].key for k in na])
    pairs = [([oa[i] for i in g.old], [na[j] for j in g.new]) for g in groups
             if g.old and g.new and g.how != "moved"]
    pairs.sort(key=lambda p: (p[1][0], p[0][0]))
    # keep a chain increasing on both sides (groups out of order are left to the line diff)
    out, last_o, last_n = [], -1, -1
    for o, n in pairs:
        if o[0] > last_o and n[0] > last_n and o == list(range(o[0], o[-1] + 1)) \
                and n == list(range(n[0], n[-1] + 1)):
            out.append((o, n))
            last_o, last_n = o[-1], n[-1]
    return out


def _opcodes(a, ua, b, ub, key):
    """Opcodes over the whole renderings, pairs of articles aligned first."""
    ops = []
    pa = pb = 0
    for o, n in _pairs(ua, ub):
        oa0, oa1 = ua[o[0]].start, ua[o[-1]].end
        nb0, nb1 = ub[n[0]].start, ub[n[-1]].end
        ops += _line_ops(a, b, pa, oa0, pb, nb0, key)  # the gap before the pair
        ops += _line_ops(a, b, oa0, oa1, nb0, nb1, key)
        pa, pb = oa1, nb1
    ops += _line_ops(a, b, pa, len(a), pb, len(b), key)
    return ops


def _unit_at(units, starts, line):
    """Index of the unit holding *line* (None when past the end)."""
    from bisect import bisect_right

    k = bisect_right(starts, line) - 1
    return k if 0 <= k < len(units) and line < units[k].end else None


def _range(start, count):
    """``start,count`` as GNU prints a hunk range (``,1`` left out; an empty range
    names the line before it)."""
    if count == 0:
        return f"{start},0"
    return f"{start + 1}" if count == 1 else f"{start + 1},{count}"


def unified_diff(old_records, new_records, *, old_label="OLD", new_label="NEW",
                 context=CONTEXT, ignore_width=False, ignore_space=False, color=False):
    """Lines (str, each ending with a newline) of a unified diff between the
    ``clt convert --to txt`` renderings of *old_records* and *new_records*.

    *old_label*/*new_label* go after ``---``/``+++`` (see :func:`file_label`).
    Nothing is yielded when the renderings are equal (as compared: with
    *ignore_width*/*ignore_space*, lines differing only so count as equal and
    show as context, old text).  *color* adds ANSI colours (GNU diff's) and
    highlights the changed characters of a line that was edited.
    """
    a, ua = rendered_lines(old_records)
    b, ub = rendered_lines(new_records)

    def key(line):
        return comparison_key(line.rstrip("\n"), ignore_width=ignore_width, ignore_space=ignore_space)

    ops = _opcodes(a, ua, b, ub, key)
    sa, sb = [u.start for u in ua], [u.start for u in ub]

    # a change belongs to the unit (article, heading) it falls in: its new
    # side's, or its old side's for a deletion; consecutive changes of one
    # unit (and the unchanged lines between them) make one hunk
    changes = []
    for t, i1, i2, j1, j2 in ops:
        if t == "equal":
            continue
        # a change that runs over several units is cut at unit boundaries
        pieces = _cut(t, i1, i2, j1, j2, ua, sa, ub, sb)
        changes.extend(pieces)
    hunks = []
    for ch in changes:
        i1, i2, j1, j2, owner = ch
        if hunks and hunks[-1]["owner"] == owner and owner is not None:
            h = hunks[-1]
            h["i2"], h["j2"] = i2, j2
            h["ops"].append(ch)
        else:
            hunks.append({"owner": owner, "i1": i1, "i2": i2, "j1": j1, "j2": j2, "ops": [ch]})
    if not hunks:
        return
    c = (lambda s, k: f"{SGR[k]}{s}{SGR['reset']}") if color else (lambda s, k: s)
    yield c(f"--- {old_label}", "header") + "\n"
    yield c(f"+++ {new_label}", "header") + "\n"
    for k, h in enumerate(hunks):
        # context: up to *context* lines, the lines between two hunks shared
        # half and half, and as many before as after (patch reads a hunk with
        # less context on one side as one that must sit at the start or end of
        # the file) unless the short side is the start or end of the file
        before = h["i1"] if k == 0 else (h["i1"] - hunks[k - 1]["i2"]) // 2
        after = len(a) - h["i2"] if k + 1 == len(hunks) else (hunks[k + 1]["i1"] - h["i2"]) // 2
        lead, trail = min(context, before), min(context, after)
        at_start = h["i1"] - lead == 0 and h["j1"] - lead == 0
        at_end = h["i2"] + trail == len(a) and h["j2"] + trail == len(b)
        if lead < trail and not at_start:
            trail = lead
        elif trail < lead and not at_end:
            lead = trail
        a0, a1 = h["i1"] - lead, h["i2"] + trail
        b0, b1 = h["j1"] - lead, h["j2"] + trail
        body = []
        pos_a, pos_b = a0, b0
        for i1, i2, j1, j2, _ in h["ops"]:
            for i in range(pos_a, i1):
                body.append((" ", a[i]))
            pos_b += i1 - pos_a
            body.extend(_changed_lines(a[i1:i2], b[j1:j2], color))
            pos_a, pos_b = i2, j2
        for i in range(pos_a, a1):
            body.append((" ", a[i]))
        name = _hunk_name(h, ua, sa, ub, sb)
        yield c(f"@@ -{_range(a0, a1 - a0)} +{_range(b0, b1 - b0)} @@", "hunk") + \
            (f" {name}" if name else "") + "\n"
        for tag, line in body:
            yield from _out_line(tag, line, c)


def _cut(t, i1, i2, j1, j2, ua, sa, ub, sb):
    """A change cut where its old or new lines cross from one unit into the next:
    [(i1, i2, j1, j2, owner)], owner the new unit's index (or the old's, as ("old", k))."""
    out = []
    while i1 < i2 or j1 < j2:
        uo = _unit_at(ua, sa, i1) if i1 < i2 else None
        un = _unit_at(ub, sb, j1) if j1 < j2 else None
        ie = min(i2, ua[uo].end) if uo is not None else i2
        je = min(j2, ub[un].end) if un is not None else j2
        if uo is not None and un is not None and ua[uo].kind != ub[un].kind:
            # a deleted article next to an inserted heading: one after the other
            out.append((i1, ie, j1, j1, ("old", uo)))
            i1 = ie
            continue
        owner = un if un is not None else ("old", uo)
        out.append((i1, ie, j1, je, owner))
        i1, j1 = ie, je
    return out


def _hunk_name(h, ua, sa, ub, sb):
    """What follows ``@@ … @@``: the article (old label → new label) or heading."""
    names = []
    for i1, i2, j1, j2, _ in h["ops"]:
        uo = _unit_at(ua, sa, i1) if i2 > i1 else None
        un = _unit_at(ub, sb, j1) if j2 > j1 else None
        on = ua[uo].name if uo is not None else ""
        nn = ub[un].name if un is not None else ""
        name = on if on == nn or not nn else nn if not on else f"{on} → {nn}"
        if name and name not in names:
            names.append(name)
    return "、".join(names)


def _changed_lines(old, new, color):
    """(tag, line) of one change; with *color*, paired lines get inline highlights."""
    if color and len(old) == len(new):
        out_o, out_n = [], []
        for x, y in zip(old, new):
            hx, hy = _highlight(x, y)
            out_o.append(("-", hx))
            out_n.append(("+", hy))
        return out_o + out_n
    return [("-", x) for x in old] + [("+", y) for y in new]


def _highlight(x, y):
    """Lines *x*, *y* with their changed characters marked (ANSI reverse video)."""
    ex, ey = x.endswith("\n"), y.endswith("\n")
    runs = inline_diff(x.rstrip("\n"), y.rstrip("\n"))
    hx, hy = [], []
    for tag, text in runs:
        if tag == "=":
            hx.append(text)
            hy.append(text)
        elif tag == "-":
            hx.append(f"{SGR['del_hl']}{text}{SGR['reset']}{SGR['del']}")
        else:
            hy.append(f"{SGR['add_hl']}{text}{SGR['reset']}{SGR['add']}")
    return _Hl("".join(hx) + ("\n" if ex else "")), _Hl("".join(hy) + ("\n" if ey else ""))


class _Hl(str):
    """A line already holding colour codes."""


def _out_line(tag, line, c):
    nl = line.endswith("\n")
    text = line[:-1] if nl else line
    if tag == " ":
        yield f" {text}\n"
    elif isinstance(line, _Hl):
        k = "del" if tag == "-" else "add"
        yield f"{SGR[k]}{tag}{text}{SGR['reset']}\n"
    else:
        yield c(f"{tag}{text}", "del" if tag == "-" else "add") + "\n"
    if not nl:
        yield "\\ No newline at end of file\n"
