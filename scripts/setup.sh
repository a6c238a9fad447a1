#!/usr/bin/env bash
# One set-up for everything: installs the Debian packages streamlab needs (only those missing)
# and builds it. Used by scripts/serve.sh, scripts/test.sh, .ci/run and docker/Dockerfile.
#   scripts/setup.sh [--tests]    --tests also installs what the test suites use
set -euo pipefail
cd "$(dirname "$0")/.."

build_packages=(g++ cmake ninja-build pkg-config libboost-dev libboost-system-dev librocksdb-dev
  nlohmann-json3-dev libspdlog-dev libssl-dev libcli11-dev libnghttp2-dev libmimalloc-dev)
test_packages=(libgtest-dev awscli python3-boto3 python3 curl nodejs npm nghttp2-client)

want=("${build_packages[@]}")
if [[ "${1:-}" == "--tests" ]]; then want+=("${test_packages[@]}"); fi

# Node.js may come from elsewhere than Debian (NodeSource's nodejs bundles npm and conflicts
# with Debian's npm package), so those two count as present when their command is.
declare -A provided_by_command=([nodejs]=node [npm]=npm)
missing=()
for p in "${want[@]}"; do
  cmd="${provided_by_command[$p]:-}"
  if [[ -n "$cmd" ]] && command -v "$cmd" >/dev/null 2>&1; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

build_type="${STREAMLAB_BUILD_TYPE:-Release}"
tests=OFF
[[ "${1:-}" == "--tests" ]] && tests=ON
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="$build_type" -DSTREAMLAB_TESTS="$tests" >/dev/null
jobs=$(nproc)
ninja -C build -j"$jobs"
