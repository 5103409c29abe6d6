/** The KissFFT WebAssembly package is a bare Emscripten module factory without type declarations. */
declare module '@echogarden/kissfft-wasm' {
  const createModule: () => Promise<unknown>;
  export default createModule;
}
