"""clt.recache: compiled patterns kept from one run to the next (issue 14, start-up).

The patterns clt's stages compile when they load cost about 50 ms of every
``clt normalize`` start; recache keeps what the regex compiler made of each in
a file and builds the pattern from it on the next run.  What is built must be
the very pattern re.compile makes.
"""

import os
import re
import subprocess
import sys

import pytest

from clt import recache
from conftest import ROOT

import clt.cli.normalize  # noqa: F401,E402 - the stages' patterns, compiled through recache
import clt.cli.split  # noqa: F401,E402
import clt.cli.extract  # noqa: F401,E402


def test_every_kept_pattern_builds_what_re_compile_makes():
    if not recache._enabled:
        pytest.skip("CLT_REGEX_CACHE=0: nothing is kept")
    assert len(recache._kept) >= 50  # the stages' patterns went through it
    for (pattern, flags), args in recache._kept.items():
        built = recache._sre.compile(pattern, *args)
        want = re.compile(pattern, flags)
        assert built == want and built.groupindex == want.groupindex and built.groups == want.groups, pattern


def test_a_pattern_from_the_file_matches_as_compiled(tmp_path, monkeypatch):
    monkeypatch.setenv("CLT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(recache, "_kept", None)
    monkeypatch.setattr(recache, "_added", False)
    monkeypatch.setattr(recache, "_enabled", True)
    pat = r"(?P<label>第[一二三四五六七八九十百]+条)[\u3000 ]*(?=[\u4e00-\u9fff])"
    first = recache.compile(pat)
    recache._save()
    assert os.path.isfile(recache.cache_path())
    monkeypatch.setattr(recache, "_kept", None)  # a new run: read from the file
    second = recache.compile(pat)
    assert second is not first and second == re.compile(pat)
    m = second.search("总则　第十二条　本条例自公布之日起施行。")
    assert m.group("label") == "第十二条" and m.span() == (3, 8)


def test_a_damaged_file_is_compiled_around(tmp_path, monkeypatch):
    monkeypatch.setenv("CLT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(recache, "_kept", None)
    monkeypatch.setattr(recache, "_enabled", True)
    os.makedirs(os.path.dirname(recache.cache_path()), exist_ok=True)
    with open(recache.cache_path(), "wb") as f:
        f.write(b"\x00garbage")
    assert recache.compile("[甲乙]+").findall("甲乙丙乙") == ["甲乙", "乙"]
    # an entry whose code the engine refuses: compiled afresh
    recache._kept[("[丙]", 0)] = (32, [1, 2, 3], 0, {}, (None,))
    assert recache.compile("[丙]").findall("甲丙") == ["丙"]


def _run(env_extra, tmp_path):
    env = dict(os.environ, PYTHONPATH=ROOT, CLT_CACHE_DIR=str(tmp_path), **env_extra)
    r = subprocess.run([sys.executable, "-m", "clt", "normalize", "--text"], input="第一条　测试。\n",
                       capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_a_command_writes_the_file_and_the_next_uses_it(tmp_path):
    assert _run({}, tmp_path) == "第一条　测试。\n"
    files = [f for f in os.listdir(tmp_path) if f.startswith("regex-")]
    assert len(files) == 1
    stamp = os.stat(tmp_path / files[0]).st_mtime_ns
    assert _run({}, tmp_path) == "第一条　测试。\n"
    assert os.stat(tmp_path / files[0]).st_mtime_ns == stamp  # nothing new to keep: not rewritten


def test_turned_off_it_writes_nothing(tmp_path):
    assert _run({"CLT_REGEX_CACHE": "0"}, tmp_path) == "第一条　测试。\n"
    assert os.listdir(tmp_path) == []
