#!/usr/bin/env bash
# Install what is missing, build a Release binary, and serve on 127.0.0.1:4566 with an
# on-disk data directory (printed at start-up). Extra arguments go to `streamlab serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec build/streamlab serve "$@"
