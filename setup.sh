#!/usr/bin/env bash
# dtrack set-up in one command each (see README.md):
#   ./setup.sh demo   install dtrack, ingest the bundled sample exports, open the dashboard
#   ./setup.sh test   install dtrack with its test tools (and Debian's chromium for the
#                     browser test), then run the whole test suite
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# The matcher's native half (nlp/_fastmatch.pyx) is compiled at install: without a C compiler or
# Python's headers dtrack still installs, but matches in pure Python (slower), so get them first.
compiler() {
  if ! command -v cc >/dev/null 2>&1 || ! "$PY" -c 'import os, sys, sysconfig
sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))'; then
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq
    as_root apt-get install -y -qq gcc python3-dev >/dev/null
  fi
}

case "${1:-}" in
  demo)
    compiler
    "$PY" -m pip install -q -c constraints.txt -e .
    "$PY" -m dtrack ingest data/samples/ || [ $? -eq 3 ]   # 3 = finished, some records quarantined
    "$PY" -m dtrack status
    exec "$PY" -m dtrack dashboard
    ;;
  test)
    if ! command -v chromium >/dev/null 2>&1; then
      export DEBIAN_FRONTEND=noninteractive
      as_root apt-get update -qq
      as_root apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
    fi
    compiler
    "$PY" -m pip install -q -c constraints.txt -e '.[test]'
    exec "$PY" -m pytest -q
    ;;
  *)
    echo "usage: ./setup.sh demo|test" >&2
    exit 2
    ;;
esac
