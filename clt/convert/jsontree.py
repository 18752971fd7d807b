"""JSON: one nested document tree per law, one per line (JSON Lines).

::

    {"type": "document", "schema": 1, "title": "…", …document fields…,
     "front": [notice blocks],
     "children": [{"type": "heading", "level": "chapter", "label": "第一章", "num": 1,
                   "title": "总则", "id": "chp-1", "children": [
                       {"type": "article", "label": "第一条", "num": 1, "sub": null,
                        "id": "art-1", "text": "…", "paragraphs": [{"text", "items"}]},
                       {"type": "block", "kind": "text", "text": "…"}]}]}

The records' own fields are kept (``path`` is dropped: the nesting says
it); ``paragraphs`` are the normalised 款 (see :mod:`clt.convert.tree`).
``indent`` pretty-prints (then each tree spans several lines).  Builds one
law at a time.  ``diff`` output passes through as JSON Lines unchanged.
Every format (this one included) reads these trees back as input, see
:func:`clt.convert.tree.expand_trees`.
"""

import json

from clt import SCHEMA_VERSION
from clt.convert.tree import laws

EXT = "json"
BINARY = False
STREAMING = True
CHANGES = True
OPTIONS = ("indent",)


def _node(ev):
    kind = ev["ev"]
    rec = {k: v for k, v in ev["rec"].items() if k != "path"}
    if kind == "heading":
        rec["id"] = ev["hid"]
        rec["children"] = [_node(c) for c in ev["children"]]
    elif kind == "article":
        rec["label"] = ev["label"]
        rec["num"] = ev["num"]
        rec["sub"] = ev["sub"]
        rec["id"] = ev["hid"]
        rec["paragraphs"] = ev["paras"]
    return rec


def law_tree(tree):
    """The JSON object of one law tree (from :func:`clt.convert.tree.build_law`)."""
    doc = dict(tree["law"]["doc"])
    doc["type"] = "document"
    doc.setdefault("schema", SCHEMA_VERSION)
    doc["front"] = [dict(b) for b in tree["law"]["front"]]
    doc["children"] = [_node(c) for c in tree["children"]]
    return doc


def render(events, indent=None, **_):
    passthrough = []

    def law_events():
        for ev in events:
            if ev["ev"] in ("change", "summary"):
                passthrough.append(ev["rec"])
                continue
            yield ev

    for tree in laws(law_events()):
        while passthrough:
            yield json.dumps(passthrough.pop(0), ensure_ascii=False) + "\n"
        yield json.dumps(law_tree(tree), ensure_ascii=False, indent=indent) + "\n"
    for rec in passthrough:
        yield json.dumps(rec, ensure_ascii=False) + "\n"
