// The workloads of issue 7. Each one prepares its own keys (untimed, after a FLUSHDB: the benchmark
// owns its redis-server and runs one child at a time), then returns the timed part. Every reply is
// checked — counts, values, order — and a wrong one throws, so a fast but wrong client cannot win.
// Keys, values and messages are built before the timer starts, so the timed loop measures the
// client, not string building.
import type { BenchClient } from './clients';

/** The workloads on one redis-server. */
export const SERVER_WORKLOAD_NAMES = [
  'seq',
  'conc100',
  'burst',
  'big',
  'lrange',
  'pubsub',
  'pool',
  'mem',
] as const;
export type ServerWorkloadName = (typeof SERVER_WORKLOAD_NAMES)[number];
/** The workloads on a Redis Cluster (issue 13), in bench/cluster-workloads.ts. */
export const CLUSTER_WORKLOAD_NAMES = ['cluster', 'clusterpipe'] as const;
export type ClusterWorkloadName = (typeof CLUSTER_WORKLOAD_NAMES)[number];
/** Every workload, in the order a run takes them. */
export const WORKLOAD_NAMES = [...SERVER_WORKLOAD_NAMES, ...CLUSTER_WORKLOAD_NAMES] as const;
export type WorkloadName = ServerWorkloadName | ClusterWorkloadName;

/** True for the workloads that run on the benchmark's cluster. */
export function isClusterWorkload(name: WorkloadName): name is ClusterWorkloadName {
  return (CLUSTER_WORKLOAD_NAMES as readonly string[]).includes(name);
}

/** The timed part of a prepared workload, and what to undo afterwards. */
export interface Prepared {
  run(): Promise<void>;
  dispose?: () => Promise<void>;
}

export interface Workload {
  name: ServerWorkloadName;
  /** One line for the README and `--help`. */
  summary: string;
  /** Operations (commands, or messages for pubsub) at scale 1; ops/s divides this by the time. */
  ops: number;
  /** Run on a pool of this size (`openPool`) instead of one connection. */
  poolSize?: number;
  /**
   * Untimed: flushes the database, writes the keys the workload reads and builds its inputs.
   * `client` is always a plain connection; `target` is what `run` drives (a pool for `pool`).
   */
  prepare(client: BenchClient, target: BenchClient, ops: number): Promise<Prepared>;
}

const VALUE_BYTES = 100;

/** A `VALUE_BYTES`-long ASCII value that ends in `tag`, so that a misrouted reply is detected. */
export function value(tag: string): string {
  return tag.padStart(VALUE_BYTES, '.');
}

/** Throws the error that stops a workload on a wrong reply. */
export function fail(workload: WorkloadName, what: string, got: unknown, expected: unknown): never {
  const show = (v: unknown) => {
    const text = typeof v === 'string' ? JSON.stringify(v) : String(v);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  };
  throw new Error(`${workload}: wrong ${what}: got ${show(got)}, expected ${show(expected)}`);
}

/** Runs `workers` loops at once, each calling `step(worker, i)` `perWorker` times in sequence. */
export async function inParallel(
  workers: number,
  perWorker: number,
  step: (worker: number, i: number) => Promise<void>,
): Promise<void> {
  const loops: Promise<void>[] = [];
  for (let w = 0; w < workers; w++) {
    loops.push(
      (async () => {
        for (let i = 0; i < perWorker; i++) await step(w, i);
      })(),
    );
  }
  await Promise.all(loops);
}

const seq: Workload = {
  name: 'seq',
  summary: '20k GETs of a 100-byte value, awaited one at a time (latency-bound)',
  ops: 20_000,
  async prepare(client, target, ops) {
    await client.flushdb();
    const expected = value('seq');
    await client.set('seq:key', expected);
    return {
      async run() {
        for (let i = 0; i < ops; i++) {
          const reply = await target.get('seq:key');
          if (reply !== expected) fail('seq', `GET reply #${i}`, reply, expected);
        }
      },
    };
  },
};

/**
 * 100 callers on one connection (or pool), each alternating SET of its own key and a GET that must
 * return what it just set: 50% GET, 50% SET. Each caller switches between two values, so a GET
 * that got another command's reply, or a stale value, fails the check.
 */
function concurrent(name: 'conc100' | 'pool', summary: string, poolSize?: number): Workload {
  const callers = 100;
  return {
    name,
    summary,
    ops: 200_000,
    poolSize,
    async prepare(client, target, ops) {
      await client.flushdb();
      const keys = Array.from({ length: callers }, (_, c) => `${name}:${c}`);
      const values = keys.map((key) => [value(`${key}:a`), value(`${key}:b`)] as const);
      const pairsPerCaller = Math.max(1, Math.round(ops / callers / 2));
      return {
        run: () =>
          inParallel(callers, pairsPerCaller, async (c, i) => {
            const key = keys[c] as string;
            const [even, odd] = values[c] as readonly [string, string];
            const expected = i & 1 ? odd : even;
            await target.set(key, expected);
            const reply = await target.get(key);
            if (reply !== expected) fail(name, `GET reply of caller ${c}`, reply, expected);
          }),
      };
    },
  };
}

const burst: Workload = {
  name: 'burst',
  summary: '100k SETs fired in batches of 10k, each batch awaited with Promise.all',
  ops: 100_000,
  async prepare(client, target, ops) {
    await client.flushdb();
    const batch = Math.min(10_000, ops);
    const keys = Array.from({ length: ops }, (_, i) => `burst:${i}`);
    const values = Array.from({ length: batch }, (_, i) => value(`burst:${i}`));
    return {
      async run() {
        for (let start = 0; start < ops; start += batch) {
          const end = Math.min(ops, start + batch);
          const pending: Promise<unknown>[] = [];
          for (let i = start; i < end; i++) {
            pending.push(target.set(keys[i] as string, values[i - start] as string));
          }
          const replies = await Promise.all(pending);
          for (const reply of replies) if (reply !== 'OK') fail('burst', 'SET reply', reply, 'OK');
        }
      },
      async dispose() {
        // Untimed: every key landed, and the last one holds the last value.
        const size = await client.dbsize();
        if (size !== ops) fail('burst', 'DBSIZE after the run', size, ops);
        const last = await client.get(keys[ops - 1] as string);
        const expected = values[(ops - 1) % batch];
        if (last !== expected) fail('burst', 'last value', last, expected);
      },
    };
  },
};

const big: Workload = {
  name: 'big',
  summary: '500 GETs of a 1 MiB value, 4 in flight',
  ops: 500,
  async prepare(client, target, ops) {
    await client.flushdb();
    const size = 1024 * 1024;
    // Varied ASCII, so a reply that is cut, shifted or re-joined out of order fails the full check.
    let block = '';
    for (let i = 0; block.length < size; i++) block += `${i.toString(36)}|`;
    const expected = block.slice(0, size - 4) + 'END!';
    await client.set('big:key', expected);
    let last: string | null = null;
    return {
      run: () =>
        inParallel(4, Math.max(1, Math.round(ops / 4)), async () => {
          // Length and tail inline (cheap); the whole value once, after the timer (in dispose).
          const reply = await target.get('big:key');
          if (reply?.length !== size || !reply.endsWith('END!')) {
            fail('big', 'GET reply length', reply?.length, size);
          }
          last = reply;
        }),
      async dispose() {
        if (last !== expected) fail('big', 'last GET reply', last, expected);
      },
    };
  },
};

const lrange: Workload = {
  name: 'lrange',
  summary: '2,000 LRANGE 0 -1 of a 1,000-element list (10-byte elements), 10 in flight',
  ops: 2_000,
  async prepare(client, target, ops) {
    await client.flushdb();
    const elements = Array.from({ length: 1000 }, (_, i) => String(i).padStart(10, '0'));
    if ((await client.rpush('lrange:list', elements)) !== elements.length) {
      throw new Error('lrange: RPUSH did not create the list');
    }
    let last: string[] = [];
    return {
      run: () =>
        inParallel(10, Math.max(1, Math.round(ops / 10)), async () => {
          const reply = await target.lrange('lrange:list', 0, -1);
          if (reply.length !== 1000 || reply[0] !== elements[0] || reply[999] !== elements[999]) {
            const seen = `${reply.length} elements, ${reply[0]} … ${reply[reply.length - 1]}`;
            fail(
              'lrange',
              'LRANGE reply',
              seen,
              `1000 elements, ${elements[0]} … ${elements[999]}`,
            );
          }
          last = reply;
        }),
      async dispose() {
        for (let i = 0; i < elements.length; i++) {
          if (last[i] !== elements[i]) fail('lrange', `element ${i}`, last[i], elements[i]);
        }
      },
    };
  },
};

/**
 * One connection publishes, a second one (the subscriber) receives; the timer runs until the last
 * message has been received. The publisher keeps 1,000 PUBLISHes in flight (batches awaited with
 * Promise.all) so that neither side queues without bound; each PUBLISH must reach 1 subscriber.
 */
const pubsub: Workload = {
  name: 'pubsub',
  summary: '100k 100-byte messages published on one connection, received on a subscriber',
  ops: 100_000,
  async prepare(client, target, ops) {
    await client.flushdb();
    const channel = 'bench:pubsub';
    const messages = Array.from({ length: ops }, (_, i) => value(`message:${i}`));
    const expectedLast = messages[ops - 1] as string;
    const subscriber = await target.subscribe(channel);
    const batch = 1000;
    return {
      async run() {
        let count = 0;
        let last = '';
        const received = subscriber.receive((message) => {
          if (message.length !== VALUE_BYTES) fail('pubsub', 'message length', message.length, 100);
          last = message;
          return ++count === ops;
        });
        const published = (async () => {
          for (let start = 0; start < ops; start += batch) {
            const pending: Promise<number>[] = [];
            const end = Math.min(ops, start + batch);
            for (let i = start; i < end; i++) {
              pending.push(target.publish(channel, messages[i] as string));
            }
            for (const receivers of await Promise.all(pending)) {
              if (receivers !== 1) fail('pubsub', 'PUBLISH reply (receivers)', receivers, 1);
            }
          }
        })();
        await Promise.all([received, published]);
        if (count !== ops) fail('pubsub', 'message count', count, ops);
        if (last !== expectedLast) fail('pubsub', 'last message', last, expectedLast);
      },
      dispose: () => subscriber.close(),
    };
  },
};

/**
 * 1,000,000 commands in flight: 500k SET/GET pairs on 1,000 keys fired without awaiting, then all
 * awaited at once. Each GET must return the value set just before it (the value of a key changes
 * every pass over the keys). The interesting number is the child's peak RSS.
 */
const mem: Workload = {
  name: 'mem',
  summary: 'peak RSS with 1,000,000 commands in flight (500k SET/GET pairs, then one await)',
  ops: 1_000_000,
  async prepare(client, target, ops) {
    await client.flushdb();
    const keyCount = 1000;
    const keys = Array.from({ length: keyCount }, (_, k) => `mem:${k}`);
    const values = Array.from({ length: keyCount }, (_, v) => value(`mem:${v}`));
    const pairs = Math.max(1, Math.round(ops / 2));
    // Pair p sets key p % 1000 to values[(p % 1000 + pass) % 1000], pass = p / 1000.
    const expectedAt = (p: number) =>
      values[((p % keyCount) + Math.floor(p / keyCount)) % keyCount];
    return {
      async run() {
        const pending: Promise<unknown>[] = new Array(pairs * 2);
        for (let p = 0; p < pairs; p++) {
          const key = keys[p % keyCount] as string;
          pending[2 * p] = target.set(key, expectedAt(p) as string);
          pending[2 * p + 1] = target.get(key);
        }
        const replies = await Promise.all(pending);
        for (let p = 0; p < pairs; p++) {
          if (replies[2 * p] !== 'OK') fail('mem', `SET reply #${p}`, replies[2 * p], 'OK');
          const expected = expectedAt(p);
          if (replies[2 * p + 1] !== expected) {
            fail('mem', `GET reply #${p}`, replies[2 * p + 1], expected);
          }
        }
      },
    };
  },
};

export const WORKLOADS: Record<ServerWorkloadName, Workload> = {
  seq,
  conc100: concurrent(
    'conc100',
    '200k mixed GET/SET (50/50) of 100-byte values from 100 concurrent callers, one connection',
  ),
  burst,
  big,
  lrange,
  pubsub,
  pool: concurrent('pool', 'conc100 through a pool of at most 4 connections', 4),
  mem,
};
