/**
 * What emostream sends over OSC, as pure data (addresses and typed arguments; osc-output.ts encodes and sends):
 *
 *   tree (default)   /emostream/<stream>/arousal f    /valence f    /confidence f    /content s
 *   flat             /emostream_<stream>_arousal f    _valence f    _confidence f    _content s
 *
 * Flat addresses are one path element, with every character of the stream id outside [A-Za-z0-9_] replaced by '_',
 * so tools that turn an address into a channel name (TouchDesigner's OSC In CHOP, Resolume's shortcuts) take it
 * verbatim. Ranges: `raw` (default) sends the model's values (nominally [−1, 1], not clamped); `unit` sends
 * (x + 1) / 2 clamped to [0, 1], the range most visual tools expect. Confidence is in [0, 1] either way and is not
 * sent when the model gives none; content is 'speech', 'music', 'silence' or 'mixed'.
 */

/** Address layout. */
export type OscAddressMode = 'tree' | 'flat';
/** Value range of arousal and valence. */
export type OscRange = 'raw' | 'unit';

/** How messages are formed. */
export interface OscFormat {
  /** Default 'tree'. */
  readonly addresses?: OscAddressMode;
  /** Default 'raw'. */
  readonly range?: OscRange;
}

/** One OSC argument (osc-output.ts encodes 'float' as type tag f, 'string' as s). */
export type OscArg = { readonly type: 'float'; readonly value: number } | { readonly type: 'string'; readonly value: string };

/** One OSC message. */
export interface OscPacket {
  readonly address: string;
  readonly args: readonly OscArg[];
}

/** The fields sent. */
export type OscField = 'arousal' | 'valence' | 'confidence' | 'content';

/** Address of one field of one stream. */
export function oscAddress(stream: string, field: OscField, addresses: OscAddressMode = 'tree'): string {
  return addresses === 'flat' ? `/emostream_${stream.replace(/[^A-Za-z0-9_]/g, '_')}_${field}` : `/emostream/${stream}/${field}`;
}

/** Arousal or valence in the chosen range. */
export function scaleValue(x: number, range: OscRange = 'raw'): number {
  return range === 'unit' ? Math.min(1, Math.max(0, (x + 1) / 2)) : x;
}

/** The numeric messages of one stream at one moment (confidence left out when null or NaN). */
export function valueMessages(stream: string, values: { readonly arousal: number; readonly valence: number; readonly confidence: number | null }, format: OscFormat = {}): OscPacket[] {
  const f = (field: OscField, value: number): OscPacket => ({ address: oscAddress(stream, field, format.addresses), args: [{ type: 'float', value }] });
  const out = [f('arousal', scaleValue(values.arousal, format.range)), f('valence', scaleValue(values.valence, format.range))];
  if (values.confidence !== null && !Number.isNaN(values.confidence)) out.push(f('confidence', values.confidence));
  return out;
}

/** The content message of one stream. */
export function contentMessage(stream: string, content: string, format: OscFormat = {}): OscPacket {
  return { address: oscAddress(stream, 'content', format.addresses), args: [{ type: 'string', value: content }] };
}
