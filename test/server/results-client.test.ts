import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { WebSocketServer, WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { createResultsClient } from '../../src/server/results-client.ts';

const test = suite('server/results-client');

test('a burst beyond the queue drops the oldest, counts them and tells the client; order is kept', async () => {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  const serverSide = new Promise<WebSocket>((r) => wss.once('connection', r));
  const peer = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  const received: string[] = [];
  peer.on('message', (d) => received.push(d.toString()));
  const ws = await serverSide;
  await new Promise((r) => (peer.readyState === WebSocket.OPEN ? r(null) : peer.once('open', r)));
  let sent = 0;
  let droppedCalls = 0;
  // maxBufferedBytes 1: once one message is in flight (bufferedAmount > 0) the rest of the burst queues.
  const client = createResultsClient(ws, undefined, { maxQueuedMessages: 4, maxBufferedBytes: 1 }, () => sent++, () => droppedCalls++);
  // The peer stops reading: big writes fill the kernel buffers until ws.bufferedAmount > 0 (the socket is congested).
  const peerSocket = (peer as unknown as { _socket: import('node:net').Socket })._socket;
  peerSocket.pause();
  const big = 'x'.repeat(256 * 1024);
  let bigCount = 0;
  while (ws.bufferedAmount === 0 && bigCount < 1000) { client.send(JSON.stringify({ big })); bigCount++; }
  assert.ok(ws.bufferedAmount > 0, 'socket congested');
  for (let n = 0; n < 100; n++) client.send(JSON.stringify({ n }));
  assert.is(client.queued, 4);
  assert.is(client.dropped, 96);
  assert.is(droppedCalls, 96);
  peerSocket.resume();
  for (let k = 0; k < 200 && !received.some((t) => t.includes('dropped')); k++) await new Promise((r) => setTimeout(r, 10));
  const small = received.filter((t) => !t.includes('big')).map((t) => JSON.parse(t));
  assert.is(received.length - small.length, bigCount);
  assert.equal(small.map((m) => m.n ?? m.type), [96, 97, 98, 99, 'dropped']);
  assert.equal(small[4], { type: 'dropped', count: 96, total: 96 });
  assert.is(sent, bigCount + 5);
  peer.close();
  wss.close();
});

test.run();
