/** Runs the CLI's `main` in this process with stdout and stderr captured (tests of whole commands). */
import { main } from '../../src/cli/main.ts';

/** Exit code and everything the command printed. */
export async function quietly(argv: string[]): Promise<{ code: number; text: string }> {
  const w = process.stdout.write.bind(process.stdout), e = process.stderr.write.bind(process.stderr);
  let text = '';
  process.stdout.write = ((c: string) => ((text += c), true)) as typeof process.stdout.write;
  process.stderr.write = ((c: string) => ((text += c), true)) as typeof process.stderr.write;
  try {
    return { code: await main(argv), text };
  } finally {
    process.stdout.write = w;
    process.stderr.write = e;
  }
}
