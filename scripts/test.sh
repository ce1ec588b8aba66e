#!/usr/bin/env bash
# Install everything the test suite needs, from scratch if necessary, and run it.
#   bash scripts/test.sh            # the whole suite
#   bash scripts/test.sh -k lint    # extra arguments go to pytest
set -euo pipefail
cd "$(dirname "$0")/.."

# System tools the tests drive for real: Chromium (browser tests), promtool (rule checks) and the
# Prometheus server (live checks; Debian's prometheus package has both).
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
{ command -v promtool && command -v prometheus; } >/dev/null 2>&1 || need+=(prometheus)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${need[*]} with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "warning: ${need[*]} missing and apt-get unavailable; the tests that need them will be skipped" >&2
  fi
fi

# axe-core, the accessibility checker the browser tests inject into each page (tests/browser/test_accessibility.py).
AXE_VERSION=4.14.1
if [ ! -f tests/browser/npm/node_modules/axe-core/axe.min.js ] \
   || ! grep -q "\"version\": \"$AXE_VERSION\"" tests/browser/npm/node_modules/axe-core/package.json; then
  if command -v npm >/dev/null 2>&1; then
    npm install --silent --no-audit --no-fund --no-save --prefix tests/browser/npm "axe-core@$AXE_VERSION" >/dev/null
  else
    echo "warning: npm missing; the accessibility tests will be skipped" >&2
  fi
fi

# The package and its test dependencies, in a virtual environment of the project's own.
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'

export NO_MKDOCS_2_WARNING=1
# Both cores: the tests are independent (each has its own folders; browser tests run last in each worker).
# RUNBOOKGEN_TEST_JOBS=0 runs everything in this one process.
exec .venv/bin/python -m pytest -n "${RUNBOOKGEN_TEST_JOBS:-2}" "$@"
