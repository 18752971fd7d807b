"""`pip install` puts the man pages where man(1) looks: <prefix>/share/man/man1 and man5."""

import glob
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from conftest import ROOT


def _build_wheel(out, **env):
    # built from a copy: pip builds in the tree, and a build/ left there would be packed next time
    src = out / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".venv", ".git", "build", "dist", "*.egg-info",
                                                             "tests", "__pycache__", ".pytest_cache",
                                                             ".hypothesis", "*.so"))
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                        "--disable-pip-version-check", "-q", "-w", str(out), str(src)],
                       capture_output=True, timeout=300, env=dict(os.environ, **env))
    if r.returncode != 0:
        pytest.skip("cannot build a wheel here: " + r.stderr.decode(errors="replace")[-300:])
    (path,) = glob.glob(str(out / "clt-*.whl"))
    return path


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    return _build_wheel(tmp_path_factory.mktemp("wheel"))


def _accelerators(path, prefix="clt/extract/_pdfium_glyphs"):
    with zipfile.ZipFile(path) as z:
        return [n for n in z.namelist() if n.startswith(prefix)]


@pytest.mark.parametrize("prefix", ["clt/extract/_pdfium_glyphs", "clt/_jsonout", "clt/extract/_pscontent"])
def test_the_wheel_carries_the_accelerators_where_a_compiler_is(wheel, prefix):
    if not (shutil.which("cc") or shutil.which("gcc")):
        pytest.skip("no C compiler here")
    (so,) = _accelerators(wheel, prefix)
    assert so.endswith(".so") or so.endswith(".pyd")


def test_the_wheel_builds_without_a_compiler(tmp_path):
    # the accelerators are optional: a failing compiler leaves them out, never the install
    path = _build_wheel(tmp_path, CC="false", LDSHARED="false")
    assert _accelerators(path) == [] and _accelerators(path, "clt/_jsonout") == []
    assert _accelerators(path, "clt/extract/_pscontent") == []
    with zipfile.ZipFile(path) as z:
        assert "clt/extract/pdf_pdfium.py" in z.namelist() and "clt/records.py" in z.namelist()


def test_the_wheel_carries_every_man_page(wheel):
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
    pages = sorted(os.path.basename(p) for p in glob.glob(os.path.join(ROOT, "man", "*.[15]")))
    assert "clt.1" in pages and "clt-records.5" in pages
    for page in pages:
        section = page.rsplit(".", 1)[1]
        assert any(n.endswith(f".data/data/share/man/man{section}/{page}") for n in names), page


def test_man_clt_finds_the_installed_page(wheel, tmp_path):
    prefix = tmp_path / "prefix"
    # --ignore-installed: install beside, never uninstall the clt this suite runs from
    r = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--ignore-installed", "-q",
                        "--disable-pip-version-check", "--prefix", str(prefix), wheel],
                       capture_output=True, timeout=300)
    assert r.returncode == 0, r.stderr.decode()
    assert (prefix / "share" / "man" / "man1" / "clt.1").is_file()
    assert (prefix / "share" / "man" / "man1" / "clt-batch.1").is_file()
    assert (prefix / "share" / "man" / "man5" / "clt-records.5").is_file()
    if not shutil.which("man"):
        pytest.skip("man(1) not installed (Debian: man-db)")
    env = dict(os.environ, MANPATH=str(prefix / "share" / "man"))
    r = subprocess.run(["man", "-w", "clt"], capture_output=True, env=env, timeout=60)
    assert r.returncode == 0 and r.stdout.decode().strip() == str(prefix / "share" / "man" / "man1" / "clt.1")
    r = subprocess.run(["man", "-w", "5", "clt-records"], capture_output=True, env=env, timeout=60)
    assert r.returncode == 0 and r.stdout.decode().strip().endswith("man5/clt-records.5")
