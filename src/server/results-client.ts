/**
 * One results WebSocket client with a bounded send queue. A message is written at once while the socket holds less
 * than MAX_CLIENT_BUFFERED_BYTES unsent (ws `bufferedAmount`); otherwise it waits in the queue, and when the queue
 * is full the OLDEST message is dropped and counted. The queue drains on each write callback. So a slow client never
 * slows the pipeline or other clients, and its memory is bounded; it is told about drops with a `dropped` message.
 */
import { WebSocket } from 'ws';
import { droppedMessage } from './protocol.ts';

/** Queue bounds of a results client. */
export interface ResultsClientLimits {
  /** Messages queued at most (≥ 1). */
  readonly maxQueuedMessages: number;
  /** Unsent socket bytes above which messages are queued. */
  readonly maxBufferedBytes: number;
}

/** A connected results client. */
export interface ResultsClient {
  /** Stream filter (`?stream=`), undefined = all streams. */
  readonly stream: string | undefined;
  /** Sends or queues one text message (drop-oldest when full). */
  send(text: string): void;
  /** Messages dropped for this client so far. */
  readonly dropped: number;
  /** Messages waiting in the queue. */
  readonly queued: number;
}

/** Wraps `ws` in a bounded-queue sender; `onSent`/`onDropped` feed the server metrics. */
export function createResultsClient(
  ws: WebSocket, stream: string | undefined, limits: ResultsClientLimits, onSent: () => void, onDropped: () => void,
): ResultsClient {
  const queue: string[] = [];
  let dropped = 0;
  let unreported = 0;
  const write = (text: string): void => {
    onSent();
    ws.send(text, pump);
  };
  function pump(): void {
    if (ws.readyState !== WebSocket.OPEN) {
      queue.length = 0;
      return;
    }
    while (queue.length > 0 && ws.bufferedAmount < limits.maxBufferedBytes) write(queue.shift() as string);
    if (queue.length === 0 && unreported > 0 && ws.bufferedAmount < limits.maxBufferedBytes) {
      const count = unreported;
      unreported = 0;
      write(droppedMessage(count, dropped));
    }
  }
  return {
    stream,
    send(text) {
      if (ws.readyState !== WebSocket.OPEN) return;
      if (queue.length === 0 && ws.bufferedAmount < limits.maxBufferedBytes) {
        write(text);
        return;
      }
      queue.push(text);
      if (queue.length > limits.maxQueuedMessages) {
        queue.shift();
        dropped++;
        unreported++;
        onDropped();
      }
    },
    get dropped() { return dropped; },
    get queued() { return queue.length; },
  };
}
