# Sourced by scripts/demo, scripts/test and scripts/bench: make sure .venv
# exists and holds the project installed in editable mode with its test
# extras.  Re-installs only when setup.cfg or pyproject.toml changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    echo "scripts: creating .venv" >&2
    "$PY" -m venv .venv
fi
STAMP=.venv/.clt-installed
if [ ! -f "$STAMP" ] || [ setup.cfg -nt "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ] \
   || ! .venv/bin/python -c "import clt, click" >/dev/null 2>&1; then
    echo "scripts: installing clt and its test dependencies into .venv" >&2
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
    log=$(mktemp)
    if ! .venv/bin/python -m pip install --disable-pip-version-check -e '.[test]' >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        echo "scripts: pip install failed" >&2
        exit 1
    fi
    rm -f "$log"
    touch "$STAMP"
fi
export PATH="$ROOT/.venv/bin:$PATH"
