"""The samples scripts/demo runs on: a complete law, and an old/new pair for clt diff."""

import os

from conftest import SAMPLES


def test_the_demo_law_is_complete(run_cli):
    paras = run_cli(["normalize", os.path.join(SAMPLES, "hangzhou-city-brain.txt")])  # as scripts/demo
    r = run_cli(["split"], input=paras.output)
    assert r.exit_code == 0
    docs = [x for x in r.records if x["type"] == "document"]
    assert [d["title"] for d in docs] == ["杭州城市大脑赋能城市治理促进条例"]
    arts = [x for x in r.records if x["type"] == "article"]
    assert [a["num"] for a in arts] == list(range(1, 27))
    assert arts[-1]["text"] == "本条例自2021年3月1日起施行。"
    # no "the law stops inside ..." at the end of the demo
    assert not [x for x in r.records if x["type"] == "warning" and x.get("code") == "truncated"]


def test_the_pair_diffs_as_edited(run_cli):
    old, new = (os.path.join(SAMPLES, n) for n in ("city-brain-2020.txt", "city-brain-edited.txt"))
    r = run_cli(["diff", old, new])
    assert r.exit_code == 1  # they differ
    summary = r.records[-1]
    assert summary["changes"] == {"equal": 17, "renumbered": 7, "modified": 2, "inserted": 1}
    changes = [x for x in r.records if x["type"] == "change" and x["op"] in ("modified", "inserted")]
    assert [(c["old"] and c["old"]["label"], c["new"]["label"]) for c in changes] == [
        ("第四条", "第四条"), (None, "第十九条"), ("第二十条", "第二十一条")]
    # the old text is the regulation as published, the new one a copy edited by hand
    with open(old, encoding="utf-8") as fp:
        text = fp.read()
    assert text.startswith("杭州城市大脑赋能城市治理促进条例\n（2020年10月27日")
