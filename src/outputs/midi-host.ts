/**
 * Entry of the MIDI host process (started by midi-output.ts with the port selector as its argument and an IPC
 * channel): loads @julusian/midi (RtMidi), lists the output ports, opens the chosen one and sends the byte triples the
 * parent posts. Whatever ALSA/RtMidi print from native code lands on this process's pipes, which the parent drops.
 * Exits when the parent disconnects (closing the port first).
 */
import { createRequire } from 'node:module';
import type { MidiHostMessage, MidiParentMessage } from './midi-output.ts';

interface RtMidiOutput {
  getPortCount(): number;
  getPortName(index: number): string;
  openPort(index: number): void;
  sendMessage(bytes: number[]): void;
  closePort(): void;
}
interface MidiModule { Output: new () => RtMidiOutput }

const send = (message: MidiHostMessage): Promise<void> => new Promise((resolve) => {
  if (!process.connected) resolve();
  else process.send?.(message, undefined, {}, () => resolve());
});
const firstLine = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 300);

function load(): MidiModule | MidiHostMessage {
  const require = createRequire(import.meta.url);
  try {
    require.resolve('@julusian/midi');
  } catch {
    return { type: 'unavailable', cause: 'not-installed', detail: '' };
  }
  try {
    return require('@julusian/midi') as MidiModule;
  } catch (err) {
    return { type: 'unavailable', cause: 'failed-to-load', detail: firstLine(err) };
  }
}

/** Index of the port `selector` names: an index, an exact name, or a unique case-insensitive substring. */
function choose(ports: readonly string[], selector: string): number | string {
  if (/^\d+$/.test(selector)) return Number(selector) < ports.length ? Number(selector) : `no MIDI output port ${selector}`;
  const exact = ports.indexOf(selector);
  if (exact >= 0) return exact;
  const matches = ports.flatMap((p, k) => (p.toLowerCase().includes(selector.toLowerCase()) ? [k] : []));
  if (matches.length === 1) return matches[0]!;
  return `${matches.length === 0 ? 'no MIDI output port matches' : `${matches.length} MIDI output ports match`} '${selector}'`;
}

async function main(): Promise<void> {
  process.once('disconnect', () => process.exit(0));
  const selector = process.argv[2] ?? '0';
  const midi = load();
  if (!('Output' in midi)) return void send(midi).then(() => process.exit(0));
  let output: RtMidiOutput;
  try {
    output = new midi.Output();
  } catch (err) {
    return void send({ type: 'unavailable', cause: 'no-backend', detail: firstLine(err) }).then(() => process.exit(0));
  }
  const ports = Array.from({ length: output.getPortCount() }, (_, k) => output.getPortName(k));
  const chosen = choose(ports, selector);
  if (typeof chosen === 'string') return void send({ type: 'no-port', reason: chosen, ports }).then(() => process.exit(0));
  try {
    output.openPort(chosen);
  } catch (err) {
    return void send({ type: 'no-port', reason: `cannot open MIDI output port ${chosen} '${ports[chosen]}': ${firstLine(err)}`, ports }).then(() => process.exit(0));
  }
  process.removeAllListeners('disconnect');
  process.once('disconnect', () => { output.closePort(); process.exit(0); });
  process.on('message', (message: MidiParentMessage) => {
    for (const bytes of message.messages) output.sendMessage([...bytes]);
  });
  await send({ type: 'opened', index: chosen, name: ports[chosen]! });
}

void main();
