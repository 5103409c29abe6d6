/**
 * `emostream analyse <file|url> [--model music|speech|auto|<path>] [--format jsonl|csv] [--out <path|->]`: arousal/valence once per
 * second, offline, through exactly the live pipeline (`createPipeline`), so the numbers equal what `serve` sends.
 */
import { lastValueFrom, of, tap } from 'rxjs';
import { EmostreamError } from '../../errors.ts';
import { fileSource } from '../../audio/sources/file-source.ts';
import { urlSource } from '../../audio/sources/url-source.ts';
import type { StreamSource } from '../../audio/sources/types.ts';
import { createPipeline } from '../../pipeline/create-pipeline.ts';
import { eventMessage } from '../../pipeline/serialize.ts';
import type { AvResult } from '../../pipeline/types.ts';
import { createLineSink } from '../line-sink.ts';
import { parseCommandArgs } from '../args.ts';
import { loadCliModel } from './model-loading.ts';

export const ANALYSE_HELP = `Usage: emostream analyse <file|url> [--model music|speech|auto|<model.onnx>] [--format jsonl|csv] [--out <path|->]

Arousal and valence once per second (t = end of the 1 s hop, first value at t = 2 s), computed offline through
the same pipeline as 'emostream serve' (identical numbers). Files: WAV, FLAC, MP3, Ogg; URLs: HTTP(S) MP3/Ogg streams.

Options:
  --model <m>           music | speech (the shipped models/<m>.onnx, see models/<m>.md) or a path to an
                        emostream ONNX model; auto: each second through the speech or the music model by its
                        content (switching after 3 s of the other content, the new model starting afresh;
                        docs/protocol.md). Default: the shipped model that beats both baselines on held-out
                        arousal CCC, speech first (docs/results.md); if none does, speech with a printed note
  --format jsonl|csv    jsonl (default): one {"type":"av",...} object per line, as the WebSocket protocol;
                        csv: header 't,arousal,valence'
  --out <path|->        output file (default '-' = stdout)
  --stream <id>         stream id written in jsonl (default 'file', or 'url')
  --allow-test-model    accept a test-fixture model (random weights) and print a warning

Examples:
  emostream analyse talk.wav --model speech
  emostream analyse song.mp3 --model music --format csv --out song.av.csv
  emostream analyse talk.wav --model my-run.onnx`;

export async function runAnalyse(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    model: { type: 'string' },
    format: { type: 'string', default: 'jsonl' },
    out: { type: 'string', default: '-' },
    stream: { type: 'string' },
    'allow-test-model': { type: 'boolean', default: false },
  }, 'analyse');
  if (positionals.length !== 1) throw new EmostreamError('EMO_ERR_USAGE', 'analyse: give exactly one input file or URL (see --help)');
  const format = values.format as string;
  if (format !== 'jsonl' && format !== 'csv') throw new EmostreamError('EMO_ERR_USAGE', `analyse: --format must be jsonl or csv, got '${format}'`);
  const input = positionals[0];
  const isUrl = /^https?:\/\//i.test(input);
  const streamId = (values.stream as string | undefined) ?? (isUrl ? 'url' : 'file');
  const source: StreamSource = isUrl ? urlSource(input, { streamId }) : fileSource(input, { streamId, chunkMs: 1000 });

  const model = await loadCliModel(values.model as string | undefined, values['allow-test-model'] as boolean, 'analyse');
  const sink = createLineSink(values.out as string);
  if (format === 'csv') sink.line('t,arousal,valence');
  let failure: unknown;
  let results = 0;
  const write = (r: AvResult): void => {
    results++;
    if (format === 'jsonl') sink.line(JSON.stringify(eventMessage(r)));
    else sink.line(`${eventMessage(r).t},${r.arousal},${r.valence}`);
  };
  try {
    await lastValueFrom(createPipeline(of(source), { model }).pipe(tap((event) => {
      if (event.type === 'av') write(event);
      else if (event.type === 'error') failure = event.error ?? new EmostreamError('EMO_ERR_INTERNAL', event.message);
    })), { defaultValue: undefined });
    if (failure) throw failure;
    await sink.close();
  } finally {
    await model.release();
  }
  if (results === 0) process.stderr.write(`emostream: warning: ${input}: shorter than 2 s, no result (the first value needs a 2 s window)\n`);
}
