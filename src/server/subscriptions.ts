/**
 * Subscriptions of results clients: to every stream, or to one stream id. `publish` sends one message to the
 * clients of every stream and to those of its own stream, in subscription order. Used by the stream registry.
 */

/** A results client as the subscriptions see it. */
export interface StreamSubscriber {
  /** Stream filter; undefined = every stream. */
  readonly stream: string | undefined;
  /** Sends (or queues) one JSON text message. */
  send(text: string): void;
}

/** The subscription table. */
export interface Subscriptions {
  /** Adds a client; the returned function removes it (idempotent). */
  subscribe(client: StreamSubscriber): () => void;
  /** Sends `text` of stream `streamId` to its subscribers and to those of every stream. */
  publish(streamId: string, text: string): void;
  /** Clients subscribed. */
  readonly count: number;
}

/** Creates an empty subscription table. */
export function createSubscriptions(): Subscriptions {
  const everyStream = new Set<StreamSubscriber>();
  const byStream = new Map<string, Set<StreamSubscriber>>();
  let count = 0;
  return {
    subscribe(client) {
      const stream = client.stream;
      if (stream === undefined) everyStream.add(client);
      else {
        let set = byStream.get(stream);
        if (!set) byStream.set(stream, (set = new Set()));
        set.add(client);
      }
      count++;
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        count--;
        if (stream === undefined) everyStream.delete(client);
        else {
          const set = byStream.get(stream);
          set?.delete(client);
          if (set?.size === 0) byStream.delete(stream);
        }
      };
    },
    publish(streamId, text) {
      for (const c of everyStream) c.send(text);
      const subscribed = byStream.get(streamId);
      if (subscribed) for (const c of subscribed) c.send(text);
    },
    get count() { return count; },
  };
}
