// The clients under test, each behind the same small adapter so that one workload drives them all.
//
// Fairness rules, applied to every adapter:
// - Each command goes through the client's own idiomatic, typed API: ioredis `client.get/set/
//   lrange/rpush/publish`, node-redis `client.get/set/lRange/rPush/publish`, redmux
//   `conn.execute('GET', …)`. An adapter method only forwards the call and returns the client's own
//   promise: no extra `async` wrapper, no per-call allocation of our own.
// - Everyone decodes the same way. Every workload reads text, and both peers return strings for
//   GET, LRANGE and pub/sub messages by default, so redmux opens its connections with
//   `encoding: 'utf8'` (its default would be Buffers, which skip the decoding the peers pay for)
//   and reads pub/sub messages with `channel.iter({ encoding: 'utf8' })`. Nobody gets Buffers.
// - Each client keeps its own defaults otherwise: both peers speak RESP3 (they send HELLO 3 on
//   connect; it is their default), redmux speaks RESP2. GET, SET, LRANGE and PUBLISH replies
//   are the same bytes in both protocols, and so are pub/sub messages except for their first byte.
// - No client has a per-command timeout. redmux and ioredis have none by default; node-redis 6
//   gives every command a 5 s timeout (an AbortSignal.timeout per command), which fails the mem
//   workload (the last of 1M queued commands waits longer than that), so it is turned off with
//   `commandOptions: { timeout: 0 }` in every workload: all three clients then do the same work.
// - The pub/sub subscriber is a second connection, as each client's documentation does it:
//   ioredis `duplicate()` + the 'message' event, node-redis `duplicate()` + a subscribe listener,
//   redmux a second connection and a `for await` loop over its Channel.
//
// A child process loads only the client it measures (dynamic imports below), so that no client's
// peak RSS carries another client's code.
import type * as Redmux from '../lib';

/** The names accepted by `--clients`, in the order every round runs them. */
export const CLIENT_NAMES = [
  'redmux',
  'redmux-redis',
  'ioredis',
  'ioredis-auto',
  'node-redis',
] as const;
/**
 * redmux's own variants, never counted as peers: `redmux-redis` is `createRedis` with its defaults
 * (the reconnecting client, typed methods), to show what staying connected costs over the bare
 * connection `redmux` measures.
 */
export const OWN_VARIANTS: readonly ClientName[] = ['redmux-redis'];
export type ClientName = (typeof CLIENT_NAMES)[number];

/** The commands the workloads need. Replies are the client's own values, strings for text. */
export interface BenchClient {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<unknown>;
  lrange(key: string, start: number, stop: number): Promise<string[]>;
  rpush(key: string, values: string[]): Promise<number>;
  publish(channel: string, message: string): Promise<number>;
  flushdb(): Promise<unknown>;
  dbsize(): Promise<number>;
  /** Subscribes a second connection to `channel`; resolves once the server confirmed it. */
  subscribe(channel: string): Promise<Subscriber>;
  close(): Promise<void>;
}

/** A subscribed connection. */
export interface Subscriber {
  /**
   * Feeds every message to `onMessage` until it returns true, then resolves. Messages that
   * arrive before the call are not lost (redmux queues them; the peers' listeners are attached
   * at subscribe time and buffer into the current handler).
   */
  receive(onMessage: (message: string) => boolean): Promise<void>;
  close(): Promise<void>;
}

/** How to open a client: one connection, and (where the client has one) a pool of `maxsize`. */
export interface ClientFactory {
  open(port: number): Promise<BenchClient>;
  /** Absent when the client has no pool; the pool workload then reports it as not applicable. */
  openPool?: (port: number, maxsize: number) => Promise<BenchClient>;
}

const HOST = '127.0.0.1';

// ---------------------------------------------------------------------------------------------
// redmux

function redmuxClient(
  redmux: typeof Redmux,
  conn: Redmux.RedisConnection,
  port: number,
): BenchClient {
  return {
    get: (key) => conn.execute<string | null>('GET', key),
    set: (key, value) => conn.execute('SET', key, value),
    lrange: (key, start, stop) => conn.execute<string[]>('LRANGE', key, start, stop),
    rpush: (key, values) => conn.execute<number>('RPUSH', key, ...values),
    publish: (channel, message) => conn.execute<number>('PUBLISH', channel, message),
    flushdb: () => conn.execute('FLUSHDB'),
    dbsize: () => conn.execute<number>('DBSIZE'),
    subscribe: async (name) => {
      const sub = await redmux.createConnection([HOST, port], { encoding: 'utf8' });
      await sub.executePubsub('SUBSCRIBE', name);
      // A SUBSCRIBE channel (not a pattern): its messages are plain strings with an encoding.
      const channel = sub.pubsubChannels.get(name) as Redmux.Channel<false> | undefined;
      if (channel === undefined) throw new Error(`redmux: no Channel for ${name} after SUBSCRIBE`);
      return {
        async receive(onMessage) {
          // Leaving the loop with `break` keeps the channel subscribed and its queue intact.
          for await (const message of channel.iter({ encoding: 'utf8' })) {
            if (typeof message === 'string' && onMessage(message)) return; // not a gap marker
          }
          throw new Error('redmux: the channel closed before the last message');
        },
        async close() {
          sub.close();
          await sub.waitClosed();
        },
      };
    },
    async close() {
      conn.close();
      await conn.waitClosed();
    },
  };
}

/** The high-level pool API the pool workload needs; createRedisPool (issue 5) is not written yet. */
interface RedmuxRedisLike {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<unknown>;
  close(): void | Promise<void>;
  waitClosed?: () => Promise<void>;
}
type CreateRedisPool = (
  address: [string, number],
  options: { maxsize: number; encoding: 'utf8' },
) => Promise<RedmuxRedisLike>;

/** redmux's `createRedisPool`, or undefined while it does not exist. */
export async function redmuxCreateRedisPool(): Promise<CreateRedisPool | undefined> {
  const candidate = ((await import('../lib')) as Record<string, unknown>).createRedisPool;
  return typeof candidate === 'function' ? (candidate as CreateRedisPool) : undefined;
}

const redmuxFactory: ClientFactory = {
  async open(port) {
    const redmux = await import('../lib');
    const conn = await redmux.createConnection([HOST, port], { encoding: 'utf8' });
    return redmuxClient(redmux, conn, port);
  },
  async openPool(port, maxsize) {
    const createRedisPool = await redmuxCreateRedisPool();
    if (createRedisPool === undefined) throw new Error('redmux has no createRedisPool yet');
    const pool = await createRedisPool([HOST, port], { maxsize, encoding: 'utf8' });
    return poolClient('redmux pool', {
      get: (key) => pool.get(key),
      set: (key, value) => pool.set(key, value),
      async close() {
        await pool.close();
        await pool.waitClosed?.();
      },
    });
  },
};

/** `createRedis` with its defaults: the reconnecting client most users hold. */
const redmuxRedisFactory: ClientFactory = {
  async open(port) {
    const redmux = await import('../lib');
    const redis = await redmux.createRedis([HOST, port], { encoding: 'utf8' });
    const conn = await redmux.createConnection([HOST, port], { encoding: 'utf8' });
    const base = redmuxClient(redmux, conn, port); // for subscribe() only
    return {
      ...base,
      get: (key) => redis.get(key),
      set: (key, value) => redis.execute('SET', key, value),
      lrange: (key, start, stop) => redis.lrange(key, start, stop),
      rpush: (key, values) => redis.rpush(key, values[0] ?? '', ...values.slice(1)),
      publish: (channel, message) => redis.publish(channel, message),
      flushdb: () => redis.execute('FLUSHDB'),
      dbsize: () => redis.dbsize(),
      async close() {
        redis.close();
        await redis.waitClosed();
        await base.close();
      },
    };
  },
};

// ---------------------------------------------------------------------------------------------
// ioredis

function ioredisFactory(enableAutoPipelining: boolean): ClientFactory {
  return {
    async open(port) {
      const { Redis } = await import('ioredis');
      const client = new Redis({ host: HOST, port, enableAutoPipelining, lazyConnect: true });
      await client.connect();
      return {
        get: (key) => client.get(key),
        set: (key, value) => client.set(key, value),
        lrange: (key, start, stop) => client.lrange(key, start, stop),
        rpush: (key, values) => client.rpush(key, ...values),
        publish: (channel, message) => client.publish(channel, message),
        flushdb: () => client.flushdb(),
        dbsize: () => client.dbsize(),
        subscribe: async (name) => {
          const sub = client.duplicate();
          let handler: ((message: string) => boolean) | undefined;
          let done: (() => void) | undefined;
          const early: string[] = [];
          sub.on('message', (_channel: string, message: string) => {
            if (handler === undefined) early.push(message);
            else if (handler(message)) {
              handler = undefined;
              done?.();
            }
          });
          await sub.subscribe(name);
          return {
            receive: (onMessage) =>
              new Promise<void>((resolve) => {
                while (early.length > 0) if (onMessage(early.shift() as string)) return resolve();
                handler = onMessage;
                done = resolve;
              }),
            async close() {
              await sub.quit();
            },
          };
        },
        async close() {
          await client.quit();
        },
      };
    },
    // ioredis has no connection pool: one connection multiplexes every caller.
  };
}

// ---------------------------------------------------------------------------------------------
// node-redis

/** Turns off node-redis's default 5 s command timeout (see the top of this file). */
const NO_TIMEOUT = { timeout: 0 };

const nodeRedisFactory: ClientFactory = {
  async open(port) {
    const { createClient } = await import('redis');
    const client = createClient({ socket: { host: HOST, port }, commandOptions: NO_TIMEOUT });
    client.on('error', (err: unknown) => console.error('node-redis:', err));
    await client.connect();
    return {
      get: (key) => client.get(key),
      set: (key, value) => client.set(key, value),
      lrange: (key, start, stop) => client.lRange(key, start, stop),
      rpush: (key, values) => client.rPush(key, values),
      publish: (channel, message) => client.publish(channel, message),
      flushdb: () => client.flushDb(),
      dbsize: () => client.dbSize(),
      subscribe: async (name) => {
        const sub = client.duplicate();
        sub.on('error', (err: unknown) => console.error('node-redis subscriber:', err));
        await sub.connect();
        let handler: ((message: string) => boolean) | undefined;
        let done: (() => void) | undefined;
        const early: string[] = [];
        await sub.subscribe(name, (message: string) => {
          if (handler === undefined) early.push(message);
          else if (handler(message)) {
            handler = undefined;
            done?.();
          }
        });
        return {
          receive: (onMessage) =>
            new Promise<void>((resolve) => {
              while (early.length > 0) if (onMessage(early.shift() as string)) return resolve();
              handler = onMessage;
              done = resolve;
            }),
          async close() {
            sub.destroy();
          },
        };
      },
      async close() {
        client.destroy();
      },
    };
  },
  async openPool(port, maxsize) {
    const { createClientPool } = await import('redis');
    const pool = createClientPool(
      { socket: { host: HOST, port }, commandOptions: NO_TIMEOUT },
      { maximum: maxsize },
    );
    pool.on('error', (err: unknown) => console.error('node-redis pool:', err));
    await pool.connect();
    return poolClient('node-redis pool', {
      get: (key) => pool.get(key),
      set: (key, value) => pool.set(key, value),
      async close() {
        pool.destroy();
      },
    });
  },
};

/** A pool only runs the pool workload (GET/SET); anything else is a bug in the workload table. */
function poolClient(what: string, ops: Pick<BenchClient, 'get' | 'set' | 'close'>): BenchClient {
  const unsupported = (): never => {
    throw new Error(`${what}: only GET and SET are wired up for the pool workload`);
  };
  return {
    ...ops,
    lrange: unsupported,
    rpush: unsupported,
    publish: unsupported,
    flushdb: unsupported,
    dbsize: unsupported,
    subscribe: unsupported,
  };
}

export const CLIENTS: Record<ClientName, ClientFactory> = {
  redmux: redmuxFactory,
  'redmux-redis': redmuxRedisFactory,
  ioredis: ioredisFactory(false),
  'ioredis-auto': ioredisFactory(true),
  'node-redis': nodeRedisFactory,
};
