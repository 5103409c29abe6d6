/**
 * Dense symmetric positive-definite solves by Cholesky factorisation A = L·Lᵀ (Golub & Van Loan,
 * Matrix Computations, alg. 4.2.1), then forward substitution L·z = b and back substitution Lᵀ·x = z.
 * Matrices are row-major Float64Array; right-hand sides are n × m row-major.
 */
import { EmostreamError } from '../../errors.ts';

/** Overwrites the lower triangle of the n×n SPD matrix `a` with its Cholesky factor L; throws if not positive definite. */
export function choleskyInPlace(a: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let k = 0; k < j; k++) d -= a[j * n + k]! ** 2;
    if (!(d > 0)) throw new EmostreamError('EMO_ERR_INTERNAL', `cholesky: matrix not positive definite at pivot ${j} (${d})`);
    const ljj = Math.sqrt(d);
    a[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= a[i * n + k]! * a[j * n + k]!;
      a[i * n + j] = s / ljj;
    }
  }
}

/** Solves (L·Lᵀ)·X = B in place of B (n × m), given the factor from `choleskyInPlace`. */
export function choleskySolveInPlace(l: Float64Array, n: number, b: Float64Array, m: number): void {
  for (let c = 0; c < m; c++) {
    for (let i = 0; i < n; i++) {
      let s = b[i * m + c]!;
      for (let k = 0; k < i; k++) s -= l[i * n + k]! * b[k * m + c]!;
      b[i * m + c] = s / l[i * n + i]!;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = b[i * m + c]!;
      for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * b[k * m + c]!;
      b[i * m + c] = s / l[i * n + i]!;
    }
  }
}
