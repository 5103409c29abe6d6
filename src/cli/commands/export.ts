/**
 * `emostream export <run-dir> --out model.onnx [--domain music|speech]`: a run folder written by `train` (or by
 * `experiment`, one per condition) → an ONNX model with the training fold's standardisation and metadata, ready
 * for `analyse` / `serve`.
 */
import { EmostreamError } from '../../errors.ts';
import { exportRunFolder } from '../../train/fit/export.ts';
import { parseCommandArgs } from '../args.ts';

export const EXPORT_HELP = `Usage: emostream export <run-dir> --out <model.onnx> [--domain music|speech]

Writes the trained network of a run folder (run.json + parameters.bin, from 'emostream train' or
'emostream experiment') as an ONNX model carrying the feature/target standardisation and metadata.

Options:
  --out <path>              output model file (required)
  --domain <music|speech>   domain written into the model (default: the run's training domain)

Example:
  emostream export runs/ravdess --out models/speech.onnx --domain speech`;

export async function runExportCommand(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, { out: { type: 'string' }, domain: { type: 'string' } }, 'export');
  if (positionals.length !== 1) throw new EmostreamError('EMO_ERR_USAGE', 'export: give exactly one run folder (see --help)');
  if (!values.out) throw new EmostreamError('EMO_ERR_USAGE', 'export: --out <model.onnx> is required');
  const domain = values.domain as string | undefined;
  if (domain !== undefined && domain !== 'music' && domain !== 'speech') {
    throw new EmostreamError('EMO_ERR_USAGE', `export: --domain must be music or speech, got '${domain}'`);
  }
  const bytes = await exportRunFolder(positionals[0]!, values.out as string, domain);
  process.stdout.write(`${values.out}: ${bytes} bytes\n`);
}
