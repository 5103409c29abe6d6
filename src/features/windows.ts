/**
 * Analysis windows of the ComParE front end (recipe 5.0), built once per frame length.
 * @see createFrameGeometry
 */

/** Hamming window w[i] = 0.54 − 0.46·cos(2πi/(N−1)) (openSMILE `winFunc=hamming`). */
export function hammingWindow(length: number): Float32Array {
  const w = new Float32Array(length);
  for (let i = 0; i < length; i++) w[i] = 0.54 - 0.46 * Math.cos((2 * Math.PI * i) / (length - 1));
  return w;
}

/** Gaussian window w[i] = exp(−½·((i − (N−1)/2) / (σ(N−1)/2))²) (openSMILE `winFunc=gauss`, σ = 0.4 in ComParE). */
export function gaussianWindow(length: number, sigma = 0.4): Float32Array {
  const w = new Float32Array(length);
  const half = (length - 1) / 2;
  for (let i = 0; i < length; i++) {
    const z = (i - half) / (sigma * half);
    w[i] = Math.exp(-0.5 * z * z);
  }
  return w;
}
