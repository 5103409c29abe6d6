#!/usr/bin/env bash
# Rebuilds wasm/features/features.wasm (SIMD kernels of the pitch branch, pitch-spectrum.c, of the short-frame
# branch, short-frame.c, the real FFT both use, real-fft.c, and the voice-quality lag correlation, voice-correlation.c).
# Needs clang (≥ 14) with the wasm32 target and lld; the built .wasm is committed, so installs need no toolchain.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
CC="${CC:-$(command -v clang-14 || command -v clang)}"
"$CC" --target=wasm32 -O3 -msimd128 -nostdlib -fno-builtin -ffp-contract=off \
  -Wl,--no-entry -Wl,--export=__heap_base -Wl,--initial-memory=131072 \
  -o "$here/features.wasm" "$here/pitch-spectrum.c" "$here/short-frame.c" "$here/real-fft.c" "$here/voice-correlation.c"
echo "built $here/features.wasm ($(wc -c < "$here/features.wasm") bytes)"
