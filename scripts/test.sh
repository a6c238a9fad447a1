#!/usr/bin/env bash
# Install what is missing, build everything, and run every test suite under ctest:
# unit tests (gtest) and integration tests that start the real binary and drive it with
# the AWS CLI v2 and boto3 from Debian.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
cd build
ctest --output-on-failure -j2 "$@"
