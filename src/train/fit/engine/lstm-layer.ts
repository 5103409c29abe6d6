/**
 * Forward pass and back-propagation through time of one peephole LSTM layer over packed sequences
 * (Graves 2013; ONNX `LSTM` with peepholes, gate blocks i, o, f, c):
 *   i = σ(Wi x + Ri h₋₁ + pi⊙c₋₁ + bi)   f = σ(Wf x + Rf h₋₁ + pf⊙c₋₁ + bf)   z = tanh(Wc x + Rc h₋₁ + bc)
 *   c = f⊙c₋₁ + i⊙z                       o = σ(Wo x + Ro h₋₁ + po⊙c + bo)      h = o⊙tanh(c)
 * The input products of all steps form one GEMM, and so do both weight gradients ([dW | dR] = dGᵀ·[x | h₋₁]); only
 * the recurrent products run step by step, against R packed once per pass (`Backend.packB`), into scratch rows that
 * the cell kernels add themselves (gate pre-activations G + h₋₁·Rᵀ, output gradients dH + dG₊₁·R). Buffers are heap
 * offsets owned by the network (`network.ts`); nothing is allocated here.
 */
import type { Backend } from './backend.ts';
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
  /** Per row, its input and the h of the previous step (0 at t = 0): N × (In + H), filled by the backward pass. */
  readonly XH: number;
  /** Both input-side weight gradients side by side, [dW | dR] (4H × (In + H)), from one product over XH. */
  readonly dWR: number;
  /** Gate pre-activation gradients (N × 4H). */
  readonly dG: number;
  /** Gradient with respect to h (N × H); the caller fills the part from above. */
  readonly dH: number;
  /** Recurrent part h₋₁·Rᵀ of one step's gate pre-activations (B × 4H). */
  readonly Gr: number;
  /** Recurrent part dG₊₁·R of one step's output gradient (B × H). */
  readonly dHr: number;
  /** Cell-state gradient carried to the previous step (B × H). */
  readonly carry: number;
  /** Rᵀ packed for the forward products h₋₁·Rᵀ (`packedLength(H, 4H)`), refreshed by each forward pass. */
  readonly Rfwd: number;
  /** R packed for the backward products dG·R (`packedLength(4H, H)`), refreshed by each backward pass. */
  readonly Rbwd: number;
}

/** Fills XH: row r = [input of row r | h of the same sequence one step earlier (0 at t = 0)]. */
function fillInputsAndPrevious(be: Backend, b: LayerBuffers, pk: Packing, In: number, H: number): void {
  const w = In + H, h = be.heap;
  be.copyRows(pk.N, In, b.X, In, b.XH, w);
  for (let j = 0; j < pk.counts[0]; j++) h.fill(0, b.XH + j * w + In, b.XH + (j + 1) * w);
  for (let t = 1; t < pk.T; t++) be.copyRows(pk.counts[t], H, b.H + pk.starts[t - 1] * H, H, b.XH + pk.starts[t] * w + In, w);
}

/** Runs the layer forward over all packed rows; θ at heap offset `p`. */
export function lstmForward(be: Backend, p: number, s: LayerSlots, b: LayerBuffers, pk: Packing): void {
  const H = s.hidden, H4 = 4 * H, In = s.inputSize, N = pk.N;
  be.gemm('nt', 'set', N, H4, In, b.X, In, p + s.W, In, b.G, H4, p + s.bias);
  const rt = be.packB(true, H, H4, p + s.R, H, b.Rfwd);
  for (let t = 0; t < pk.T; t++) {
    const n = pk.counts[t], r0 = pk.starts[t];
    const rp = t > 0 ? pk.starts[t - 1] : -1;
    if (t > 0) be.gemmPacked('set', n, b.H + rp * H, H, rt, b.Gr, H4);
    be.cellForward(n, H, b.G + r0 * H4, t > 0 ? b.Gr : -1, rp >= 0 ? b.C + rp * H : -1, b.C + r0 * H, b.TC + r0 * H,
      b.H + r0 * H, p + s.P);
  }
}

/**
 * Back-propagates through time. Needs b.dH filled with the gradient from above; writes b.dG, adds the
 * weight gradients at heap offset `gr` (W and R overwritten; bias and peepholes added, caller-zeroed) when
 * `wantWeights`, and writes dG·W to heap offset `dX` (N × In) when `dX` ≥ 0.
 */
export function lstmBackward(
  be: Backend, p: number, gr: number, s: LayerSlots, b: LayerBuffers, pk: Packing, wantWeights: boolean, dX: number,
): void {
  const H = s.hidden, H4 = 4 * H, In = s.inputSize, N = pk.N;
  const h = be.heap;
  h.fill(0, b.carry, b.carry + pk.B * H);
  const r = be.packB(false, H4, H, p + s.R, H, b.Rbwd);
  for (let t = pk.T - 1; t >= 0; t--) {
    const n = pk.counts[t], r0 = pk.starts[t];
    const rp = t > 0 ? pk.starts[t - 1] : -1;
    be.cellBackward(
      n, H, b.G + r0 * H4, b.dG + r0 * H4, b.C + r0 * H, rp >= 0 ? b.C + rp * H : -1, b.TC + r0 * H,
      b.dH + r0 * H, t < pk.T - 1 ? b.dHr : -1, b.carry, p + s.P, wantWeights ? gr + s.P : -1,
    );
    if (t > 0) {
      // dG·R reaches the first n rows of step t − 1; its other sequences end there and get no recurrent part.
      be.gemmPacked('set', n, b.dG + r0 * H4, H4, r, b.dHr, H);
      h.fill(0, b.dHr + n * H, b.dHr + pk.counts[t - 1] * H);
    }
  }
  if (wantWeights) {
    fillInputsAndPrevious(be, b, pk, In, H);
    const w = In + H;
    be.gemm('tn', 'set', H4, w, N, b.dG, H4, b.XH, w, b.dWR, w, -1);
    be.copyRows(H4, In, b.dWR, w, gr + s.W, In);
    be.copyRows(H4, H, b.dWR + In, w, gr + s.R, H);
    be.colSum(N, H4, b.dG, gr + s.bias);
  }
  if (dX >= 0) be.gemm('nn', 'set', N, In, H4, b.dG, H4, p + s.W, In, dX, In, -1);
}
