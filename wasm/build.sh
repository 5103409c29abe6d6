#!/usr/bin/env bash
# Rebuilds every WebAssembly kernel of emostream from its C source (needs Debian's clang + lld with the wasm32
# target). The built .wasm files are committed, so `npm install` never needs this.
set -euo pipefail
cd "$(dirname "$0")"
for script in */build.sh; do
  echo "== $script"
  bash "$script"
done
