/**
 * Calls that move between instances, for the cluster test and bench: each drives one platform's client
 * (test/server/telephony/clients.ts, written from the vendors' protocol descriptions) and, like the platform or a
 * load balancer would, goes on on another instance when its instance asks it to (AudioHook `reconnect`, a socket
 * closed with 1012, an AudioSocket hang-up) or disappears (killed): `connect(target)` again, then the audio continues
 * from `position`. `leftAt` records the audio position (samples per channel) at each loss. A call sends only while
 * its connection is open, as a platform does: after a server's close (drain) everything it sent has arrived.
 */
import type { Socket } from 'node:net';
import { WebSocket } from 'ws';
import { AudiohookClient, audiosocketClient, audiosocketFrame, forkClient, interleaveS16, openSocket, TwilioClient, type RecordingSocket } from '../server/telephony/clients.ts';

/** Where a call can connect. */
export interface Target {
  readonly name: string;
  readonly ws: string;
  readonly audiosocketPort?: number;
}

/** One channel's audio as the platform sends it (`bytes`: μ-law or s16le) and as the server decodes it. */
export interface ChannelAudio {
  readonly bytes: Uint8Array;
  /** Bytes per sample in `bytes` (1 μ-law, 2 s16le). */
  readonly width: 1 | 2;
  readonly decoded: Float32Array;
}

/** A call of one platform with one or two channels (streams). */
export abstract class CallDriver {
  /** Samples per channel sent so far. */
  position = 0;
  state: 'idle' | 'open' | 'left' | 'done' = 'idle';
  /** Instance names in the order the call was served by them. */
  readonly servedBy: string[] = [];
  /** `position` each time the call lost its instance. */
  readonly leftAt: number[] = [];
  constructor(readonly streams: readonly string[], readonly rateHz: number, readonly channels: readonly ChannelAudio[]) {}
  get length(): number { return this.channels[0].decoded.length; }
  /** Connects to `target` (a new session; the audio goes on from `position`). */
  async connect(target: Target): Promise<void> {
    await this.open(target);
    this.servedBy.push(target.name);
    this.state = 'open';
  }
  /**
   * Sends the audio up to sample `to` (per channel), while the connection is open: once the server has started to
   * close it (drain), nothing more is sent, so everything sent has reached the server.
   */
  sendTo(to: number): void {
    const end = Math.min(to, this.length);
    if (this.state !== 'open' || end <= this.position || !this.canSend()) return;
    this.send(this.position, end);
    this.position = end;
  }
  /** Ends the call normally; resolves once the server closed the session. */
  async finish(): Promise<void> {
    this.state = 'done';
    await this.end();
  }
  protected lost(): void {
    if (this.state !== 'open') return;
    this.state = 'left';
    this.leftAt.push(this.position);
  }
  protected slice(c: number, from: number, to: number): Uint8Array {
    const a = this.channels[c];
    return a.bytes.subarray(from * a.width, to * a.width);
  }
  protected abstract canSend(): boolean;
  protected abstract open(target: Target): Promise<void>;
  protected abstract send(from: number, to: number): void;
  protected abstract end(): Promise<void>;
}

/** `/ingest?stream=<id>&rate=<rate>&format=s16le`, 100 ms frames. */
export class IngestCall extends CallDriver {
  private socket?: RecordingSocket;
  protected canSend(): boolean { return this.socket?.ws.readyState === WebSocket.OPEN; }
  protected async open(target: Target): Promise<void> {
    this.socket = await openSocket(`${target.ws}/ingest?stream=${this.streams[0]}&rate=${this.rateHz}&format=s16le`);
    this.socket.ws.once('close', () => this.lost());
  }
  protected send(from: number, to: number): void {
    const step = this.rateHz / 10;
    for (let at = from; at < to; at += step) this.socket!.ws.send(this.slice(0, at, Math.min(to, at + step)));
  }
  protected async end(): Promise<void> {
    this.socket!.ws.send(JSON.stringify({ type: 'end' }));
    await this.socket!.closed;
  }
}

/** Twilio Media Streams, tracks inbound and outbound of one callSid. */
export class TwilioCall extends CallDriver {
  private client?: TwilioClient;
  protected canSend(): boolean { return this.client?.socket.ws.readyState === WebSocket.OPEN; }
  constructor(readonly callSid: string, channels: readonly ChannelAudio[]) { super([`${callSid}.inbound`, `${callSid}.outbound`], 8000, channels); }
  protected async open(target: Target): Promise<void> {
    this.client = await TwilioClient.connect(`${target.ws}/twilio`, this.callSid, { tracks: ['inbound', 'outbound'] });
    this.client.socket.ws.once('close', () => this.lost());
  }
  protected send(from: number, to: number): void {
    this.client!.media('inbound', this.slice(0, from, to));
    this.client!.media('outbound', this.slice(1, from, to));
  }
  protected async end(): Promise<void> {
    this.client!.stop();
    await this.client!.socket.closed;
  }
}

/** jambonz listen / mod_audio_fork, stereo L16 (caller, callee). */
export class ForkCall extends CallDriver {
  private socket?: RecordingSocket;
  protected canSend(): boolean { return this.socket?.ws.readyState === WebSocket.OPEN; }
  constructor(readonly uuid: string, channels: readonly ChannelAudio[]) { super([`${uuid}.caller`, `${uuid}.callee`], 8000, channels); }
  protected async open(target: Target): Promise<void> {
    this.socket = await forkClient(`${target.ws}/fork`, { uuid: this.uuid, sampleRate: this.rateHz, mixType: 'stereo' });
    this.socket.ws.once('close', () => this.lost());
  }
  protected send(from: number, to: number): void {
    const step = this.rateHz / 50;
    for (let at = from; at < to; at += step) {
      const e = Math.min(to, at + step);
      this.socket!.ws.send(interleaveS16([this.slice(0, at, e), this.slice(1, at, e)]));
    }
  }
  protected async end(): Promise<void> {
    this.socket!.ws.close(1000, 'hangup');
    await this.socket!.closed;
  }
}

/** Genesys AudioHook, PCMU external + internal; on `reconnect` it opens the new session first, then closes the old one. */
export class AudiohookCall extends CallDriver {
  private client?: AudiohookClient;
  private asked = false;
  protected canSend(): boolean { return this.client?.socket.ws.readyState === WebSocket.OPEN; }
  constructor(readonly conversationId: string, channels: readonly ChannelAudio[]) { super([`${conversationId}.external`, `${conversationId}.internal`], 8000, channels); }
  protected async open(target: Target): Promise<void> {
    const old = this.asked ? this.client : undefined;
    const client = await AudiohookClient.connect(`${target.ws}/audiohook`, 'unused');
    const opened = await client.open(this.conversationId);
    if (opened.type !== 'opened') throw new Error(`${this.conversationId}: ${JSON.stringify(opened)}`);
    if (old) await old.close('reconnect');
    this.asked = false;
    this.client = client;
    client.socket.ws.on('message', (d, binary) => {
      if (!binary && JSON.parse(d.toString()).type === 'reconnect' && this.client === client) { this.asked = true; this.lost(); }
    });
    client.socket.ws.once('close', () => { if (this.client === client) this.lost(); });
  }
  protected send(from: number, to: number): void {
    this.client!.audio([this.slice(0, from, to), this.slice(1, from, to)]);
  }
  protected async end(): Promise<void> {
    await this.client!.close('end');
    await this.client!.socket.closed;
  }
}

/** Asterisk AudioSocket: the call UUID, then 20 ms slin frames at 8 kHz; hang-up at the end. */
export class AudiosocketCall extends CallDriver {
  private socket?: Socket;
  private ended?: Promise<void>;
  protected canSend(): boolean { return this.socket?.writable === true; }
  constructor(readonly uuid: string, channels: readonly ChannelAudio[]) { super([uuid], 8000, channels); }
  protected async open(target: Target): Promise<void> {
    const call = await audiosocketClient(target.audiosocketPort!);
    this.socket = call.socket;
    this.ended = call.ended;
    call.socket.write(audiosocketFrame(0x01, Buffer.from(this.uuid.replace(/-/g, ''), 'hex')));
    void call.ended.then(() => this.lost());
  }
  protected send(from: number, to: number): void {
    for (let at = from; at < to; at += 160) this.socket!.write(audiosocketFrame(0x10, this.slice(0, at, Math.min(to, at + 160))));
  }
  protected async end(): Promise<void> {
    this.socket!.write(audiosocketFrame(0x00));
    await this.ended;
  }
}
