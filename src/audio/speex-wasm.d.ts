// Types for the Emscripten module of @echogarden/speex-resampler-wasm (the package ships none).
// The C API is SpeexDSP's speex_resampler_* (speexdsp/include/speex/speex_resampler.h);
// pointers are byte offsets into the module's heap, which may grow (re-read HEAP* after calls).
declare module '@echogarden/speex-resampler-wasm/simd' {
  export interface SpeexModule {
    readonly HEAPF32: Float32Array;
    readonly HEAPU32: Uint32Array;
    readonly HEAP32: Int32Array;
    _malloc(bytes: number): number;
    _free(ptr: number): void;
    _speex_resampler_init(channels: number, inRate: number, outRate: number, quality: number, errPtr: number): number;
    _speex_resampler_destroy(state: number): void;
    _speex_resampler_process_float(state: number, channel: number, inPtr: number, inLenPtr: number, outPtr: number, outLenPtr: number): number;
    _speex_resampler_skip_zeros(state: number): number;
    _speex_resampler_get_input_latency(state: number): number;
    _speex_resampler_get_output_latency(state: number): number;
  }
  const createModule: (options?: object) => Promise<SpeexModule>;
  export default createModule;
}
