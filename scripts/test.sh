#!/usr/bin/env bash
# Install what is missing, build everything, and run every test suite under ctest:
# unit tests (gtest) and integration tests that start the real binary and drive it with
# the AWS CLI v2 and boto3 from Debian, nghttp2's clients, and the AWS SDK for JavaScript v3.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
# The JS SDK comes from npm, pinned by tests/js/package-lock.json.
if [[ ! -d tests/js/node_modules ]] && command -v npm >/dev/null; then
  (cd tests/js && npm ci --no-audit --no-fund)
fi
cd build
ctest --output-on-failure -j2 "$@"
