#!/usr/bin/env bash
# Creates .venv with Python 3.12 and installs the project into it, once per change of pyproject.toml.
# Finds Python 3.12 on PATH first, then among pyenv's versions, and says what to install if neither has it.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
STAMP="$VENV/.installed"

find_python312() {
    local candidate
    for candidate in python3.12 python3; do
        if command -v "$candidate" >/dev/null 2>&1 \
            && "$candidate" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 12) else 1)' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    local root="${PYENV_ROOT:-$HOME/.pyenv}"
    if command -v pyenv >/dev/null 2>&1; then
        root="$(pyenv root)"
    fi
    for candidate in "$root"/versions/3.12*/bin/python3.12; do
        if [ -x "$candidate" ]; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

if [ ! -x "$VENV/bin/python" ]; then
    if ! PY=$(find_python312); then
        echo "error: Python 3.12 not found on PATH or in pyenv's versions." >&2
        echo "       Install it (e.g. 'pyenv install 3.12' or 'apt-get install python3.12-venv') and run again." >&2
        exit 1
    fi
    echo "creating $VENV with $PY"
    "$PY" -m venv "$VENV"
fi

# Each platform is installed (and timed) on its own first: the report's complexity section shows
# these measured install times. Versions come from the pins in pyproject.toml's dependencies (the first
# mention of each name; the import-linter contracts name them again further down).
timed_install() {
    local name="$1" requirement="$2" start
    start=$(date +%s)
    "$VENV/bin/python" -m pip install --quiet "$requirement"
    INSTALL_TIMES+=("\"$name\": $(( $(date +%s) - start ))")
}

if [ ! -f "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ]; then
    echo "installing q50-poc and both platforms into $VENV (about 5 minutes the first time: hummingbot compiles)"
    start=$(date +%s)
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    INSTALL_TIMES=()
    if [ ! -f "$VENV/install_times.json" ]; then
        timed_install nautilus_trader "$(grep -o '"nautilus_trader[^"]*"' pyproject.toml | head -n 1 | tr -d '"')"
        timed_install hummingbot "$(grep -o '"hummingbot[^"]*"' pyproject.toml | head -n 1 | tr -d '"')"
        (IFS=,; echo "{${INSTALL_TIMES[*]}}") > "$VENV/install_times.json"
    fi
    "$VENV/bin/python" -m pip install --quiet -e ".[dev]"
    echo "install took $(( $(date +%s) - start )) s"
    touch "$STAMP"
fi
