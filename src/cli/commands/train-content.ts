/**
 * `emostream train-content [--data ../shared/data] [--out models/content.json] [--report docs/content.md]`: trains
 * and evaluates the content classifier (speech / music / silence / mixed; src/train/content) and writes the model
 * file and a Markdown report with the held-out confusion matrix.
 */
import { trainContent } from '../../train/content/train-content.ts';
import { EmostreamError } from '../../errors.ts';
import { createConsoleReporter } from '../progress.ts';
import { parseCommandArgs } from '../args.ts';

export const TRAIN_CONTENT_HELP = `Usage: emostream train-content [--data <dir>] [--out <model.json>] [--report <report.md>] [--cache <dir>] [--workers N]

Trains the content classifier that flags each second as speech, music, silence or mixed (speech over music) from
the 260 pooled features: speech from ravdess, nemo, ased, baved; music from music4q, emomusic; generated silence,
noise, sparse speech and speech-over-music. 20 % of the speakers / artists of each corpus are held out for the test;
EmoDB and PMEmo are outside tests only. Prints the held-out accuracy. Features are cached in .cache/features: the
first run extracts the corpora (about 10 min of CPU), later runs take about 10 min on 2 cores (rendering the
generated audio and fitting).

Options:
  --data <dir>       the shared data folder (default ../shared/data)
  --out <path>       model file (default models/content.json, the shipped one)
  --report <path>    Markdown report with the confusion matrix (default docs/content.md)
  --cache <dir>      feature cache (default .cache/features)
  --workers <n>      feature extraction workers for the corpora (default 1)

Example:
  emostream train-content --report docs/content.md`;

export async function runTrainContent(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    data: { type: 'string', default: '../shared/data' },
    out: { type: 'string', default: 'models/content.json' },
    report: { type: 'string', default: 'docs/content.md' },
    cache: { type: 'string' },
    workers: { type: 'string', default: '1' },
  }, 'train-content');
  if (positionals.length > 0) throw new EmostreamError('EMO_ERR_USAGE', `train-content: unexpected argument '${positionals[0]}'`);
  const workers = Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1) throw new EmostreamError('EMO_ERR_USAGE', `train-content: --workers must be an integer ≥ 1, got '${values.workers}'`);
  const r = await trainContent({
    dataDir: values.data as string, out: values.out as string, report: values.report as string,
    cacheDir: values.cache as string | undefined, workers, progress: createConsoleReporter(),
  });
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  process.stdout.write(`held-out test: accuracy ${pct(r.test.accuracy)}, balanced ${pct(r.test.balancedAccuracy)} over ${r.test.windows} s; `
    + `outside: ${Object.entries(r.outside).map(([k, v]) => `${k} ${pct(v.accuracy)}`).join(', ')}\n`
    + `wrote ${values.out} and ${values.report}\n`);
}
