"""Compare two versions of a law article by article (``clt diff``).

:func:`diff` reads two record streams as ``clt split`` writes them
(``document``/``heading``/``article`` records; anything else ``split``
accepts is split on the fly) and yields ``change`` records, one per aligned
group of articles, each ``heading_change`` record (title, 编/章/节) placed
before the first article under its heading, then one ``summary`` record.
See ``man/clt-records.5`` (CHANGE RECORDS).

Both versions are held in memory (a diff must see all of both before it can
say what moved); a law of a thousand articles is a few megabytes.

ops, from the old version's point of view:

``equal``       same text, same label
``renumbered``  same text, new label
``moved``       paired out of the order of the law (``modified: true`` when
                its text changed too)
``modified``    text changed
``split``       one old article → several consecutive new ones (``new`` is a list)
``merged``      several consecutive old articles → one new one (``old`` is a list)
``deleted``     ``new`` is null
``inserted``    ``old`` is null

A pair whose only differences are cross-references that follow the
renumbering (``第二十条`` → ``第二十一条`` where old article 20 is new
article 21) keeps the op ``equal``/``renumbered`` and carries
``references_only: true`` and its ``inline`` runs.
"""

from clt.diff.align import align as align_articles
from clt.diff.inline import (alignment_key, changed_chars, comparison_key, inline_diff,
                             map_references)
from clt.errors import InputError
from clt.labels import match_label
from clt.records import record

__all__ = ["diff", "load_side", "OPS"]

OPS = ("equal", "renumbered", "moved", "modified", "split", "merged", "deleted", "inserted")

#: below this share of paired articles two texts are not versions of one law
SAME_LAW_MIN = 0.2


# --------------------------------------------------------------------------- reading a side

class Side:
    """One version: its documents, each with title, headings and articles."""

    def __init__(self, name):
        self.name = name
        self.docs = []  # [{"title", "record", "headings": [...], "articles": [...]}]

    @property
    def articles(self):
        return [a for d in self.docs for a in d["articles"]]


def _article_text(rec):
    text = rec.get("text")
    if isinstance(text, str):
        return text
    paras = rec.get("paragraphs") or []
    out = []
    for p in paras:
        if isinstance(p, str):
            out.append(p)
        elif isinstance(p, dict):
            out.append(p.get("text", ""))
    return "\n".join(out)


def _article_fields(rec, where):
    label = rec.get("label")
    if not isinstance(label, str) or not label:
        raise InputError("article record without a label", source=where[0], line=where[1])
    num, sub = rec.get("num"), rec.get("sub")
    if not isinstance(num, int):
        lab = match_label(label, kinds=("article",))
        num, sub = (lab.num, lab.sub) if lab else (None, None)
    return {"label": label, "num": num, "sub": sub, "path": list(rec.get("path") or []),
            "text": _article_text(rec)}


def load_side(records, name="<input>"):
    """A :class:`Side` from split records; ``para`` records are split first, and
    ``line`` records (plain text) normalized and split.

    Raises :class:`InputError` when no article can be found.
    """
    from clt.records import checked

    recs = list(checked(records, name))
    if not any(r.get("type") == "article" for r in recs):
        recs = _split_on_the_fly(recs, name)
    side = Side(name)
    doc = None
    n = 0
    for n, r in enumerate(recs, 1):
        t = r.get("type")
        if t == "document":
            doc = {"title": r.get("title") or "", "headings": [], "articles": []}
            side.docs.append(doc)
        elif t in ("heading", "article"):
            if doc is None:
                doc = {"title": "", "headings": [], "articles": []}
                side.docs.append(doc)
            if t == "article":
                doc["articles"].append(_article_fields(r, (name, n)))
            else:
                doc["headings"].append({
                    "level": r.get("level"), "label": r.get("label") or "",
                    "title": r.get("title") or "", "num": r.get("num"),
                    "path": list(r.get("path") or []),
                })
    side.docs = [d for d in side.docs if d["articles"] or d["headings"]]
    if not side.articles:
        raise InputError("no articles found (expected `clt split` output or the text of a law)",
                         source=name)
    return side


def _split_on_the_fly(recs, name):
    """Records that hold no article yet (text, ``line``/``para`` records)
    brought up to split output by :func:`clt.stages.bring`: raw lines are
    normalized first, as `clt extract | clt normalize | clt split` would, so
    page headers, page numbers and broken lines do not show up as amendments."""
    if not recs:
        raise InputError("empty input", source=name)
    kinds = {r.get("type") for r in recs}
    if not kinds & {"line", "para", "source"}:
        raise InputError("no articles found (expected `clt split` output or the text of a law)",
                         source=name)
    from clt.split import split
    from clt.stages import bring

    out = list(bring(iter(recs), "split"))
    if not any(r.get("type") == "article" for r in out) and "para" not in kinds:
        out = list(split(iter(recs)))
    return out


# --------------------------------------------------------------------------- helpers

def _pub(a):
    """The article as it appears in a change record."""
    return {"label": a["label"], "num": a["num"], "sub": a["sub"], "path": a["path"],
            "text": a["text"]}


def _ref_mapping(pairs):
    """{(num, sub): new label} for old articles paired 1:1 (or split: first part)."""
    m = {}
    for o, n in pairs:
        if o["num"] is not None:
            m[(o["num"], o["sub"])] = n["label"]
    return m


def _as_list(side):
    """The articles of one side of a change: a list, one article, or none."""
    return side if isinstance(side, list) else [side] if side else []


def _round(x):
    return round(float(x), 4)


# --------------------------------------------------------------------------- the diff

def diff(old_records, new_records, *, ignore_width=False, ignore_space=False, force=False,
         old_name="OLD", new_name="NEW", headings=True):
    """``change`` records pairing the articles of *old_records* with *new_records*.

    *old_records*/*new_records* are record iterables (or :class:`Side`).
    *ignore_width* / *ignore_space* make half-/full-width punctuation and
    white space differences not count as changes.  Unless *force*, two texts
    that share almost no article raise :class:`InputError` (not two versions
    of one law).  Yields change records in the order of the new version, each
    heading_change record (title, 编/章/节) before the first article under the
    heading, and a final summary record.
    """
    old = old_records if isinstance(old_records, Side) else load_side(old_records, old_name)
    new = new_records if isinstance(new_records, Side) else load_side(new_records, new_name)
    opts = {"ignore_width": ignore_width, "ignore_space": ignore_space}
    doc_pairs = _pair_documents(old.docs, new.docs)
    counts = {op: 0 for op in OPS}
    counts["references_only"] = 0
    hcounts = {}
    out_changes = []
    multi = len(doc_pairs) > 1
    for od, nd in doc_pairs:
        if od and nd and not force:
            _quick_same_law(od, nd, old.name, new.name)
        changes = list(_diff_articles(od["articles"] if od else [], nd["articles"] if nd else [],
                                      opts))
        if od and nd and not force:
            _check_same_law(od, nd, changes, old.name, new.name)
        for c in changes:
            counts[c["op"]] += 1
            if c.get("references_only"):
                counts["references_only"] += 1
            out_changes.append(c)
        hchanges = []
        if od and nd and od["title"] != nd["title"]:
            hchanges.append(_title_change(od["title"], nd["title"]))
        if headings:
            hchanges += _diff_headings(od["headings"] if od else [], nd["headings"] if nd else [])
        for h in hchanges:
            hcounts[h["op"]] = hcounts.get(h["op"], 0) + 1
        for rec in _interleave(changes, hchanges):
            if multi:
                rec["document"] = (nd or od)["title"]
            yield rec
    identical = all(c["op"] == "equal" and not c.get("references_only") for c in out_changes) \
        and not any(op != "equal" for op in hcounts) \
        and [d["title"] for d in old.docs] == [d["title"] for d in new.docs]
    yield record(
        "summary", stage="diff", identical=identical,
        old={"source": old.name, "titles": [d["title"] for d in old.docs],
             "articles": len(old.articles)},
        new={"source": new.name, "titles": [d["title"] for d in new.docs],
             "articles": len(new.articles)},
        changes={k: v for k, v in counts.items() if v},
        headings={k: v for k, v in hcounts.items() if v},
        options={k: v for k, v in opts.items() if v})


def _title_change(old_title, new_title):
    c = record("heading_change", op="renamed",
               old={"level": "title", "label": "", "title": old_title, "path": []},
               new={"level": "title", "label": "", "title": new_title, "path": []},
               similarity=_round(_similarity(old_title, new_title)))
    c["inline"] = inline_diff(old_title, new_title)
    return c


def _similarity(a, b):
    from rapidfuzz import fuzz

    return fuzz.ratio(alignment_key(a), alignment_key(b)) / 100.0


def _interleave(changes, hchanges):
    """Article changes with each heading change placed before the first
    article under that heading (the title first; unplaced ones last)."""
    under = {}  # side -> per change, the keys of the headings above its articles (made once)

    def first_under(h, side):
        if h[side]["level"] == "title":
            return 0
        if side not in under:
            under[side] = [{alignment_key(p) for a in _as_list(c[side]) for p in a["path"]} for c in changes]
        name = alignment_key(_heading_name(h[side]))
        return next((k for k, keys in enumerate(under[side]) if name in keys), None)

    slots = {}
    for h in hchanges:
        k = first_under(h, "new") if h["new"] else None
        if k is None and h["old"]:
            k = first_under(h, "old")
        slots.setdefault(len(changes) if k is None else k, []).append(h)
    for k, c in enumerate(changes):
        yield from slots.get(k, ())
        yield c
    yield from slots.get(len(changes), ())


def _pair_documents(old_docs, new_docs):
    """[(old doc | None, new doc | None)]: same title first, then in order."""
    if len(old_docs) == 1 and len(new_docs) == 1:
        return [(old_docs[0], new_docs[0])]
    pairs = []
    used = set()
    by_title = {}
    for j, d in enumerate(new_docs):
        by_title.setdefault(alignment_key(d["title"]), []).append(j)
    matched = {}
    for i, d in enumerate(old_docs):
        for j in by_title.get(alignment_key(d["title"]), []):
            if j not in used:
                used.add(j)
                matched[i] = j
                break
    # the rest in order
    rest_n = [j for j in range(len(new_docs)) if j not in used]
    for i in range(len(old_docs)):
        if i not in matched and rest_n:
            matched[i] = rest_n.pop(0)
            used.add(matched[i])
    for i, d in enumerate(old_docs):
        pairs.append((d, new_docs[matched[i]] if i in matched else None))
    for j in range(len(new_docs)):
        if j not in used:
            pairs.append((None, new_docs[j]))
    return pairs


def _not_same_law(od, nd, paired, old_name, new_name):
    n_old, n_new = len(od["articles"]), len(nd["articles"])
    return InputError(
        f"{old_name} ({od['title'] or 'untitled'}, {n_old} articles) and {new_name} "
        f"({nd['title'] or 'untitled'}, {n_new} articles) do not look like two versions "
        f"of the same law: {paired}",
        hint="use --force to compare them anyway")


def _quick_same_law(od, nd, old_name, new_name, sample=40):
    """Refuse early, on a sample, two texts with different titles that share no articles.

    Saves aligning two unrelated laws (every pair compared) only to report
    everything deleted and inserted.
    """
    from rapidfuzz import fuzz, process

    n_old, n_new = len(od["articles"]), len(nd["articles"])
    if min(n_old, n_new) < 3 or alignment_key(od["title"]) == alignment_key(nd["title"]):
        return
    ok = [alignment_key(a["text"]) for a in od["articles"]]
    nk = [alignment_key(a["text"]) for a in nd["articles"]]
    if len(set(ok) & set(nk)) >= SAME_LAW_MIN * min(n_old, n_new):
        return
    step = max(1, n_old // sample)
    picks = [k for k in ok[::step] if k][:sample]
    hits = sum(1 for k in picks
               if process.extractOne(k, nk, scorer=fuzz.ratio, score_cutoff=50) is not None)
    if picks and hits < SAME_LAW_MIN * len(picks):
        raise _not_same_law(od, nd, f"only {hits} of {len(picks)} sampled articles have a "
                                    f"counterpart", old_name, new_name)


def _check_same_law(od, nd, changes, old_name, new_name):
    n_old, n_new = len(od["articles"]), len(nd["articles"])
    if min(n_old, n_new) < 3:
        return
    paired = sum(len(c["old"]) if isinstance(c["old"], list) else 1
                 for c in changes if c["old"] is not None and c["new"] is not None)
    if paired < SAME_LAW_MIN * min(n_old, n_new) and \
            alignment_key(od["title"]) != alignment_key(nd["title"]):
        raise _not_same_law(od, nd, f"only {paired} articles pair up", old_name, new_name)


def _diff_articles(olds, news, opts):
    """change records for two lists of article dicts, in the order of the new version."""
    groups = align_articles([alignment_key(a["text"]) for a in olds],
                            [alignment_key(a["text"]) for a in news])
    # cross-reference mapping from 1:1 pairs
    pairs = [(olds[g.old[0]], news[g.new[0]]) for g in groups if len(g.old) == 1 and len(g.new) >= 1]
    mapping = _ref_mapping(pairs)
    identity = all(o["label"] == n["label"] for o, n in pairs)
    # a deleted article goes right after the new position of the closest
    # preceding old article that is paired in order
    last_new = [-1] * (len(olds) + 1)  # last_new[i]: over old articles before i
    for g in groups:
        if g.old and g.new and g.how != "moved":
            k = max(g.old) + 1
            last_new[k] = max(last_new[k], max(g.new))
    for i in range(1, len(last_new)):
        last_new[i] = max(last_new[i], last_new[i - 1])
    keyed = []
    for g in groups:
        c = _change(g, olds, news, opts, None if identity else mapping)
        if g.new:
            key = (g.new[0], 0, g.old[0] if g.old else -1)
        else:
            key = (last_new[g.old[0]], 1, g.old[0])
        keyed.append((key, c))
    keyed.sort(key=lambda t: t[0])
    return [c for _, c in keyed]


def _change(g, olds, news, opts, mapping):
    o = [olds[i] for i in g.old]
    n = [news[j] for j in g.new]
    sim = _round(g.sim)
    if not n:
        return record("change", op="deleted", old=_pub(o[0]), new=None, similarity=0.0)
    if not o:
        return record("change", op="inserted", old=None, new=_pub(n[0]), similarity=0.0)
    old_text = "\n".join(a["text"] for a in o)
    new_text = "\n".join(a["text"] for a in n)
    if len(o) > 1 or len(n) > 1:
        op = "split" if len(n) > 1 else "merged"
        c = record("change", op=op, old=[_pub(a) for a in o] if len(o) > 1 else _pub(o[0]),
                   new=[_pub(a) for a in n] if len(n) > 1 else _pub(n[0]), similarity=sim)
        c["inline"] = inline_diff(old_text, new_text, **opts)
        return c
    o, n = o[0], n[0]
    same_text = comparison_key(o["text"], **opts) == comparison_key(n["text"], **opts)
    refs_only = False
    if not same_text and mapping:
        mapped = map_references(o["text"], mapping)
        if mapped != o["text"] and \
                comparison_key(mapped, **opts) == comparison_key(n["text"], **opts):
            refs_only = True
    if g.how == "moved":
        op = "moved"
    elif same_text or refs_only:
        op = "equal" if o["label"] == n["label"] else "renumbered"
    else:
        op = "modified"
    c = record("change", op=op, old=_pub(o), new=_pub(n), similarity=sim)
    if g.sim < 1.0 and same_text:
        # paired by content with differences the options ignore
        c["similarity"] = 1.0
    if refs_only:
        c["references_only"] = True
    if op == "moved" and not same_text:
        c["modified"] = not refs_only
    if not same_text:
        runs = inline_diff(o["text"], n["text"], **opts)
        c["inline"] = runs
        c["changed_chars"] = changed_chars(runs)
    return c


# --------------------------------------------------------------------------- headings

def _heading_name(h):
    return f"{h['label']} {h['title']}".strip()


def _diff_headings(olds, news):
    """heading_change records: headings paired by title, then by level and position."""
    if not olds and not news:
        return []
    ok = [alignment_key(h["title"]) or alignment_key(h["label"]) for h in olds]
    nk = [alignment_key(h["title"]) or alignment_key(h["label"]) for h in news]
    groups = align_articles([f"{h['level']}|{k}" for h, k in zip(olds, ok)],
                            [f"{h['level']}|{k}" for h, k in zip(news, nk)])
    paired_o = {g.old[0]: g for g in groups if g.old and g.new and len(g.old) == len(g.new) == 1}
    left_o = [g.old[0] for g in groups if g.old and not g.new]
    left_n = [g.new[0] for g in groups if g.new and not g.old]
    # a renamed heading: same level and label, title rewritten
    renamed = []
    for i in list(left_o):
        for j in left_n:
            if olds[i]["level"] == news[j]["level"] and olds[i]["label"] == news[j]["label"]:
                renamed.append((i, j))
                left_o.remove(i)
                left_n.remove(j)
                break
    out = []
    for i, g in paired_o.items():
        j = g.new[0]
        oh, nh = olds[i], news[j]
        if oh["title"] == nh["title"]:
            op = "equal" if oh["label"] == nh["label"] else "renumbered"
        else:
            op = "renamed"
        out.append((j, 0, _heading_change(op, oh, nh, g.sim)))
    for i, j in renamed:
        out.append((j, 0, _heading_change("renamed", olds[i], news[j], 0.0)))
    for j in left_n:
        out.append((j, 0, _heading_change("inserted", None, news[j], 0.0)))
    for i in left_o:
        before = [jj for ii, gg in paired_o.items() if ii < i for jj in gg.new]
        out.append((max(before) if before else -1, 1, _heading_change("deleted", olds[i], None, 0.0)))
    out.sort(key=lambda t: (t[0], t[1]))
    return [c for _, _, c in out]


def _heading_pub(h):
    return {"level": h["level"], "label": h["label"], "title": h["title"], "path": h["path"]}


def _heading_change(op, oh, nh, sim):
    c = record("heading_change", op=op, old=_heading_pub(oh) if oh else None,
               new=_heading_pub(nh) if nh else None, similarity=_round(sim))
    if oh and nh and oh["title"] != nh["title"]:
        c["inline"] = inline_diff(oh["title"], nh["title"])
    return c
