/** Command-line parsing shared by the commands: `node:util` parseArgs with usage errors as EmostreamError. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EmostreamError } from '../errors.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs(argv: readonly string[], options: OptionSpec, command: string) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new EmostreamError('EMO_ERR_USAGE', `${command}: ${(err as Error).message} (see 'emostream ${command} --help')`);
  }
}

/** `--rate`: 'native' or an integer rate in Hz. */
export function parseRate(value: string | undefined, fallback: 'native' | number): 'native' | number {
  if (value === undefined) return fallback;
  if (value === 'native') return 'native';
  const n = Number(value);
  if (!Number.isInteger(n) || n < 8000 || n > 192000) {
    throw new EmostreamError('EMO_ERR_USAGE', `--rate must be 'native' or an integer 8000–192000, got '${value}'`);
  }
  return n;
}
