/**
 * Reference matrix product on one heap (any precision), the float64 back end's `gemm`:
 *   C[i][j] = (start = 'add' ? C[i][j] : 0) + bias[j] (if bias ≥ 0) + Σ_k op(A)(i, k)·op(B)(k, j), k increasing,
 * op(A)(i, k) = A[i·lda + k] ('nn', 'nt') or A[k·lda + i] ('tn'); op(B)(k, j) = B[k·ldb + j] ('nn', 'tn') or B[j·ldb + k] ('nt').
 * @see Backend.gemm
 */
import type { GemmForm, GemmStart, Heap } from './backend.ts';

/** C = (start = 'add' ? C : 0) + 1·biasᵀ + op(A)·op(B) on heap `h` (element offsets; bias −1 = none). */
export function gemmTs(
  h: Heap, form: GemmForm, start: GemmStart, m: number, n: number, k: number,
  a: number, lda: number, b: number, ldb: number, c: number, ldc: number, bias: number,
): void {
  const sai = form === 'tn' ? 1 : lda;
  const sak = form === 'tn' ? lda : 1;
  const sbk = form === 'nt' ? 1 : ldb;
  const sbj = form === 'nt' ? ldb : 1;
  for (let i = 0; i < m; i++) {
    const ci = c + i * ldc;
    for (let j = 0; j < n; j++) h[ci + j] = (start === 'add' ? h[ci + j] : 0) + (bias >= 0 ? h[bias + j] : 0);
    for (let kk = 0; kk < k; kk++) {
      const av = h[a + i * sai + kk * sak];
      const bk = b + kk * sbk;
      for (let j = 0; j < n; j++) h[ci + j] += av * h[bk + j * sbj];
    }
  }
}
