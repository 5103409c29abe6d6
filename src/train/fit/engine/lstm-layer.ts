/**
 * Forward pass and back-propagation through time of one peephole LSTM layer over packed sequences
 * (Graves 2013; ONNX `LSTM` with peepholes, gate blocks i, o, f, c):
 *   i = σ(Wi x + Ri h₋₁ + pi⊙c₋₁ + bi)   f = σ(Wf x + Rf h₋₁ + pf⊙c₋₁ + bf)   z = tanh(Wc x + Rc h₋₁ + bc)
 *   c = f⊙c₋₁ + i⊙z                       o = σ(Wo x + Ro h₋₁ + po⊙c + bo)      h = o⊙tanh(c)
 * The input products of all steps form one GEMM; only the recurrent product runs step by step.
 * Buffers are heap offsets owned by the network (`network.ts`); nothing is allocated here.
 */
import type { Backend, Heap } from './backend.ts';
import type { LayerSlots } from './layout.ts';
import type { Packing } from './packing.ts';

/** Heap offsets of one layer's work buffers (rows = packed rows). */
export interface LayerBuffers {
  /** Input rows (N × In): the packed inputs or the layer below's H. */
  readonly X: number;
  /** Gate activations i, o, f, z (N × 4H). */
  readonly G: number;
  /** Cell states (N × H). */
  readonly C: number;
  /** tanh of the cell states (N × H). */
  readonly TC: number;
  /** Outputs h (N × H). */
  readonly H: number;
  /** h of the previous step per row, 0 at t = 0 (N × H; filled by the backward pass). */
  readonly Hprev: number;
  /** Gate pre-activation gradients (N × 4H). */
  readonly dG: number;
  /** Gradient with respect to h (N × H); the caller fills the part from above. */
  readonly dH: number;
  /** Cell-state gradient carried to the previous step (B × H). */
  readonly carry: number;
  /** Wᵀ (In × 4H) and Rᵀ (H × 4H), refreshed by each forward pass. */
  readonly Wt: number;
  readonly Rt: number;
}

function transpose(h: Heap, src: number, rows: number, cols: number, dst: number): void {
  for (let r = 0; r < rows; r++) {
    const s = src + r * cols;
    for (let c = 0; c < cols; c++) h[dst + c * rows + r] = h[s + c];
  }
}

/** Runs the layer forward over all packed rows; θ at heap offset `p`. */
export function lstmForward(be: Backend, p: number, s: LayerSlots, b: LayerBuffers, pk: Packing): void {
  const H = s.hidden, H4 = 4 * H, In = s.inputSize, N = pk.N;
  const h = be.heap;
  transpose(h, p + s.W, H4, In, b.Wt);
  transpose(h, p + s.R, H4, H, b.Rt);
  const bias = p + s.bias;
  for (let r = 0; r < N; r++) h.copyWithin(b.G + r * H4, bias, bias + H4);
  be.gemm(false, N, H4, In, b.X, In, b.Wt, H4, b.G, H4);
  for (let t = 0; t < pk.T; t++) {
    const n = pk.counts[t], r0 = pk.starts[t];
    const rp = t > 0 ? pk.starts[t - 1] : -1;
    if (t > 0) be.gemm(false, n, H4, H, b.H + rp * H, H, b.Rt, H4, b.G + r0 * H4, H4);
    be.cellForward(n, H, b.G + r0 * H4, rp >= 0 ? b.C + rp * H : -1, b.C + r0 * H, b.TC + r0 * H, b.H + r0 * H, p + s.P);
  }
}

/**
 * Back-propagates through time. Needs b.dH filled with the gradient from above; writes b.dG, adds the
 * weight gradients at heap offset `gr` when `wantWeights`, and adds dG·W to heap offset `dX`
 * (N × In, caller-zeroed) when `dX` ≥ 0.
 */
export function lstmBackward(
  be: Backend, p: number, gr: number, s: LayerSlots, b: LayerBuffers, pk: Packing, wantWeights: boolean, dX: number,
): void {
  const H = s.hidden, H4 = 4 * H, In = s.inputSize, N = pk.N;
  const h = be.heap;
  h.fill(0, b.carry, b.carry + pk.B * H);
  for (let t = pk.T - 1; t >= 0; t--) {
    const n = pk.counts[t], r0 = pk.starts[t];
    const rp = t > 0 ? pk.starts[t - 1] : -1;
    be.cellBackward(
      n, H, b.G + r0 * H4, b.dG + r0 * H4, b.C + r0 * H, rp >= 0 ? b.C + rp * H : -1, b.TC + r0 * H,
      b.dH + r0 * H, b.carry, p + s.P, wantWeights ? gr + s.P : -1,
    );
    if (t > 0) be.gemm(false, n, H, H4, b.dG + r0 * H4, H4, p + s.R, H, b.dH + rp * H, H);
  }
  if (wantWeights) {
    h.fill(0, b.Hprev, b.Hprev + pk.counts[0] * H);
    for (let t = 1; t < pk.T; t++) {
      const from = b.H + pk.starts[t - 1] * H;
      h.copyWithin(b.Hprev + pk.starts[t] * H, from, from + pk.counts[t] * H);
    }
    be.gemm(true, H4, In, N, b.dG, H4, b.X, In, gr + s.W, In);
    be.gemm(true, H4, H, N, b.dG, H4, b.Hprev, H, gr + s.R, H);
    be.colSum(N, H4, b.dG, gr + s.bias);
  }
  if (dX >= 0) be.gemm(false, N, In, H4, b.dG, H4, p + s.W, In, dX, In);
}
