#!/usr/bin/env bash
# Rebuilds wasm/train/train.wasm (the float32 SIMD kernels of the trainer: gemm.c matrix products, cell.c LSTM cells).
# Needs clang (≥ 14) with the wasm32 target and lld; the built .wasm is committed, so installs need no toolchain.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
CC="${CC:-$(command -v clang-14 || command -v clang)}"
"$CC" --target=wasm32 -O3 -msimd128 -nostdlib -fno-builtin \
  -Wl,--no-entry -Wl,--export=__heap_base -Wl,--initial-memory=1048576 \
  -o "$here/train.wasm" "$here/gemm.c" "$here/cell.c"
echo "built $here/train.wasm ($(wc -c < "$here/train.wasm") bytes)"
