import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile

import pytest
from click.testing import CliRunner


# the compiled-pattern cache (clt.recache) of this test run, in a directory of its own: the
# user's cache is neither read nor written, and the runs after the first build from it
if "CLT_CACHE_DIR" not in os.environ:
    os.environ["CLT_CACHE_DIR"] = tempfile.mkdtemp(prefix="clt-test-cache-")
    atexit.register(shutil.rmtree, os.environ["CLT_CACHE_DIR"], True)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FIXTURES = os.path.join(HERE, "fixtures")
SAMPLES = os.path.join(ROOT, "samples")


def parse_jsonl(text):
    return [json.loads(l) for l in text.split("\n") if l.strip()]  # JSON Lines: "\n" alone (U+2028 is JSON text)


def to_jsonl(records):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


class Result:
    def __init__(self, r):
        self.exit_code = r.exit_code
        self.output = r.stdout
        self.stderr = r.stderr
        self.exception = r.exception

    @property
    def records(self):
        return parse_jsonl(self.output)


@pytest.fixture
def run_cli():
    """Run clt in-process through CliRunner, as the console script would.

    ``run_cli(["split"], input="...")`` returns an object with ``exit_code``,
    ``output`` (stdout), ``stderr`` and ``records`` (stdout parsed as JSON Lines).
    """

    def run(args, input=None):
        from clt.cli import main

        runner = CliRunner()
        if isinstance(input, list):
            input = to_jsonl(input)
        r = runner.invoke(_MainWrapper(main), args, input=input, catch_exceptions=False)
        return Result(r)

    return run


class _MainWrapper:
    """Let CliRunner drive clt.cli.main (our error handling) rather than the bare group."""

    def __init__(self, main):
        self.main_fn = main
        self.name = "clt"

    def main(self, args=None, prog_name=None, **extra):
        self.main_fn(list(args or []), prog_name="clt")


@pytest.fixture
def run_clt_subprocess():
    """Run ``python -m clt ARGS`` as a real process; returns CompletedProcess (bytes)."""

    def run(args, input=None, **kw):
        if isinstance(input, str):
            input = input.encode("utf-8")
        return subprocess.run([sys.executable, "-m", "clt"] + list(args), input=input,
                              capture_output=True, **kw)

    return run


def have(tool):
    return shutil.which(tool) is not None
