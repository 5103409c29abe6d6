/**
 * `emostream extract <input> --lld out.csv [--functionals out.csv] [--rate native|16000] [--opensmile-compat]`:
 * the ComParE 2013 LLDs + deltas per 10 ms frame, and optionally the 260 pooled features per second, as
 * openSMILE-compatible CSV.
 */
import { basename, extname } from 'node:path';
import { EmostreamError } from '../../errors.ts';
import { loadAudioFile } from '../../audio/index.ts';
import { FRAME_COLUMN_NAMES, FRAME_WIDTH } from '../../features/registry.ts';
import { csvHeader, csvRowMaxBytes, csvRowPrefix, writeCsvRow } from '../../features/opensmile-csv.ts';
import { POOLED_FEATURE_NAMES, POOLED_WIDTH } from '../../pool/pooler.ts';
import { createWindowExtractor } from '../../pool/window-extractor.ts';
import { createLineSink, type LineSink } from '../line-sink.ts';
import { parseCommandArgs, parseRate } from '../args.ts';

export const EXTRACT_HELP = `Usage: emostream extract <input> --lld <out.csv> [--functionals <out.csv>] [options]

Computes the 65 ComParE 2013 low-level descriptors and their 65 deltas every 10 ms (openSMILE-compatible CSV),
and optionally the 260 pooled features per second (mean and std over 2 s windows, 1 s hop).

Options:
  --lld <path|->          frame-level CSV (65 LLDs + 65 deltas); '-' = stdout
  --functionals <path|->  1 Hz pooled CSV (260 columns, frameTime = window end)
  --rate <native|Hz>      analysis rate: 16000 (default, emostream's models) or 'native' (the file's own rate,
                          as openSMILE analyses it)
  --opensmile-compat      reproduce openSMILE's never-reset voicing-delta normaliser (golden-file parity only)
  --name <text>           value of the 'name' column (default: the input file name without extension)

Examples:
  emostream extract speech.wav --lld speech.lld.csv --functionals speech.func.csv
  emostream extract clip.wav --rate native --opensmile-compat --lld - | head`;

const CHUNK_SECONDS = 10;

/** Parsed `extract` options. */
interface ExtractOptions {
  readonly input: string;
  readonly rate: number | 'native';
  readonly name: string;
  readonly compat: boolean;
  readonly lldPath?: string;
  readonly functionalsPath?: string;
}

export async function runExtract(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    lld: { type: 'string' },
    functionals: { type: 'string' },
    rate: { type: 'string' },
    'opensmile-compat': { type: 'boolean', default: false },
    name: { type: 'string' },
  }, 'extract');
  if (positionals.length !== 1) throw new EmostreamError('EMO_ERR_USAGE', 'extract: give exactly one input file (see --help)');
  if (!values.lld && !values.functionals) throw new EmostreamError('EMO_ERR_USAGE', 'extract: give --lld and/or --functionals output');
  const input = positionals[0];
  try {
    await extract({
      input,
      rate: parseRate(values.rate as string | undefined, 16000),
      name: (values.name as string | undefined) ?? basename(input, extname(input)),
      compat: values['opensmile-compat'] as boolean,
      lldPath: values.lld as string | undefined,
      functionalsPath: values.functionals as string | undefined,
    });
  } finally {
  }
}

/** Decodes the input, runs the window extractor over it in 10 s chunks and writes the CSVs. */
async function extract(options: ExtractOptions): Promise<void> {
  const { input, name } = options;
  const audio = await loadAudioFile(input, { rate: 'native' });
  if (audio.nonFiniteSamples > 0) {
    process.stderr.write(`emostream: warning: ${input}: ${audio.nonFiniteSamples} NaN/Inf samples replaced by 0\n`);
  }
  const minSamples = Math.round(0.06 * audio.sampleRateHz);
  if (audio.samples.length < minSamples) {
    throw new EmostreamError('EMO_ERR_EMPTY_AUDIO', `${input}: ${(audio.durationS * 1000).toFixed(1)} ms of audio is shorter than one 60 ms analysis frame`);
  }

  const lld = options.lldPath ? createLineSink(options.lldPath) : undefined;
  const functionals = options.functionalsPath ? createLineSink(options.functionalsPath) : undefined;
  const sinks = [lld, functionals].filter((s): s is LineSink => s !== undefined);
  lld?.line(csvHeader(FRAME_COLUMN_NAMES));
  functionals?.line(csvHeader(POOLED_FEATURE_NAMES));
  const prefix = csvRowPrefix(name);
  const lldRowBytes = csvRowMaxBytes(prefix, FRAME_WIDTH);
  const functionalsRowBytes = csvRowMaxBytes(prefix, POOLED_WIDTH);
  const hopS = 0.01;
  const extractor = await createWindowExtractor(
    // openSMILE-compatible mode reproduces the reference exactly: its voicing-delta quirk and no tail padding.
    {
      inputRateHz: audio.sampleRateHz, analysisRate: options.rate, name: input,
      voicingDeltas: options.compat ? 'opensmile-compat' : 'correct', padTail: !options.compat,
    },
    (w) => functionals?.bytes(functionalsRowBytes, (view, bytes, pos) => writeCsvRow(view, bytes, pos, prefix, w.endTimeS, w.features, 0, POOLED_WIDTH)),
    lld ? (row, index) => lld.bytes(lldRowBytes, (view, bytes, pos) => writeCsvRow(view, bytes, pos, prefix, index * hopS, row, 0, FRAME_WIDTH)) : undefined,
  );
  try {
    const chunk = CHUNK_SECONDS * audio.sampleRateHz;
    for (let offset = 0; offset < audio.samples.length; offset += chunk) {
      extractor.push(audio.samples.subarray(offset, offset + chunk));
      for (const sink of sinks) await sink.flush();
      // Every reader gone (`… --lld - | head`): nothing left to compute for; end quietly (exit 0).
      if (sinks.every((sink) => sink.readerGone)) return;
    }
    extractor.finish();
  } finally {
    extractor.release();
  }
  for (const sink of sinks) await sink.close();
  if (functionals && extractor.windows === 0) {
    process.stderr.write(`emostream: warning: ${input}: shorter than one 2 s pooling window; the functionals CSV has no rows\n`);
  }
}
