/**
 * The trainer's numeric engine: peephole-LSTM regressor and denoising autoencoder, BPTT on packed batches,
 * 1 − CCC / MSE losses, SGD with momentum; float32 WebAssembly SIMD or float64 TypeScript.
 */
export type * from './types.ts';
export { createLstmRegressor, createLstmAutoencoder, DEFAULT_REGRESSOR_OPTIONS, DEFAULT_AUTOENCODER_OPTIONS } from './models.ts';
export type { LstmRegressorOptions, LstmAutoencoderOptions } from './models.ts';
export { createLstmNetwork } from './network.ts';
export type { LstmNetworkOptions } from './network.ts';
export { makeBatches, padBatch } from './batches.ts';
export { createRng } from './rng.ts';
export type { Rng } from './rng.ts';
