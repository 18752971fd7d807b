# Sourced by scripts/demo, scripts/test and scripts/bench: make sure .venv
# exists and holds the project installed in editable mode with its test
# extras, and the ``ocr`` extra (PP-OCR through rapidocr + ONNX Runtime, about
# 60 MB) unless CLT_NO_OCR_EXTRA=1.  Re-installs only when setup.cfg or
# pyproject.toml changed, or the choice of extras did.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    echo "scripts: creating .venv" >&2
    "$PY" -m venv .venv
fi
EXTRAS="test,ocr"
if [ "${CLT_NO_OCR_EXTRA:-0}" = "1" ]; then
    EXTRAS="test"
fi
STAMP=.venv/.clt-installed
if [ ! -f "$STAMP" ] || [ setup.cfg -nt "$STAMP" ] || [ setup.py -nt "$STAMP" ] || [ -n "$(find clt -name '*.c' -newer "$STAMP" 2>/dev/null)" ] || [ pyproject.toml -nt "$STAMP" ] \
   || [ "$(cat "$STAMP" 2>/dev/null)" != "$EXTRAS" ] \
   || ! .venv/bin/python -c "import clt, click" >/dev/null 2>&1; then
    echo "scripts: installing clt and its test dependencies into .venv" >&2
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
    log=$(mktemp)
    if ! .venv/bin/python -m pip install --disable-pip-version-check -e ".[$EXTRAS]" >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        echo "scripts: pip install failed" >&2
        exit 1
    fi
    rm -f "$log"
    echo "$EXTRAS" >"$STAMP"
fi
# clt's own bytecode, written even where PYTHONDONTWRITEBYTECODE is set: an editable
# install is otherwise compiled from source at every start (about 0.1 s of each command)
env -u PYTHONDONTWRITEBYTECODE .venv/bin/python -m compileall -q clt >/dev/null 2>&1 || true
export PATH="$ROOT/.venv/bin:$PATH"
