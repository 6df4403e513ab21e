// The cluster workloads of issue 13, on the benchmark's own cluster (3 masters, 3 replicas). Like
// bench/workloads.ts: each prepares its keys untimed after flushing every master, builds its
// inputs before the timer starts, and checks every reply, so a fast but wrong client cannot win.
//
// The keys are random (a fixed-seed generator, so every client gets the same sequence) out of
// 10,000, which spreads them over all slots and all three masters. For the replies to be
// checkable, every key has one writer at a time: the concurrent callers (or the pipelines in
// flight) each own a disjoint share of the keys. Each SET of a key flips it between its two
// values, so a GET answered from before that SET (or another key's value) fails the check.
import type { BenchCluster, ClusterCommand } from './cluster-clients';
import { type ClusterWorkloadName, fail, inParallel, type Prepared, value } from './workloads';

/** A workload on the cluster; see bench/workloads.ts for the fields. */
export interface ClusterWorkload {
  name: ClusterWorkloadName;
  /** One line for the README and `--help`. */
  summary: string;
  /** Commands at scale 1; ops/s divides this by the time. */
  ops: number;
  /** Untimed: flushes every master, writes the keys the workload reads and builds its inputs. */
  prepare(cluster: BenchCluster, ops: number): Promise<Prepared>;
}

const KEY_COUNT = 10_000;

/**
 * The keys, and their two values each: value `2k + v` is key `k`'s value number `v`, and ends in
 * the key's name so that another key's value is told apart.
 */
function keySpace(prefix: string): { keys: string[]; values: string[] } {
  const keys = Array.from({ length: KEY_COUNT }, (_, k) => `${prefix}:${k}`);
  const values = keys.flatMap((key) => [value(`${key}:a`), value(`${key}:b`)]);
  return { keys, values };
}

/**
 * A small deterministic generator (a 32-bit xorshift): the same seed gives every client the same
 * keys in the same order. Returns integers in [0, n).
 */
function randomBelow(seed: number): (n: number) => number {
  let state = seed >>> 0 || 1;
  return (n) => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state % n;
  };
}

/**
 * 100 concurrent callers, each looping over a SET of a random key then a GET that must return
 * what it just set. Caller c owns the keys k ≡ c (mod 100), so nobody else writes its key between
 * its SET and its GET.
 */
const cluster: ClusterWorkload = {
  name: 'cluster',
  summary: '200k mixed GET/SET (50/50) of random keys (10k) from 100 concurrent callers',
  ops: 200_000,
  async prepare(client, ops) {
    await client.flush();
    const callers = 100;
    const { keys, values } = keySpace('cluster');
    const pairsPerCaller = Math.max(1, Math.round(ops / callers / 2));
    // plan[c * pairsPerCaller + i]: the value caller c sets (and must read back) at step i.
    const plan = new Uint32Array(callers * pairsPerCaller);
    const version = new Uint8Array(KEY_COUNT);
    const random = randomBelow(13);
    for (let c = 0; c < callers; c++) {
      for (let i = 0; i < pairsPerCaller; i++) {
        const k = c + callers * random(KEY_COUNT / callers);
        const v = (version[k] as number) ^ 1;
        version[k] = v;
        plan[c * pairsPerCaller + i] = 2 * k + v;
      }
    }
    const setReply = client.setReply;
    return {
      run: () =>
        inParallel(callers, pairsPerCaller, async (c, i) => {
          const v = plan[c * pairsPerCaller + i] as number;
          const key = keys[v >> 1] as string;
          const expected = values[v] as string;
          const set = await client.set(key, expected);
          if (set !== setReply) fail('cluster', `SET reply of caller ${c}`, set, setReply);
          const reply = await client.get(key);
          if (reply !== expected) fail('cluster', `GET reply of caller ${c}`, reply, expected);
        }),
    };
  },
};

/** Marks the replies of SETs in the expected replies (each client has its own "OK"). */
const SET_OK = Symbol('SET OK');

/**
 * Pipelines of 100 random-key commands (half GET, half SET, mixed), 4 in flight. Pipeline p runs
 * in lane p mod 4; a lane sends its next pipeline when the last one is answered, and owns the
 * keys k ≡ lane (mod 4), so each GET's expected value is known when the pipelines are built: the
 * last value set before it, in its own pipeline or an earlier one of its lane.
 */
const clusterpipe: ClusterWorkload = {
  name: 'clusterpipe',
  summary: 'pipelines of 100 random-key GET/SET (10k keys), 2,000 pipelines, 4 in flight',
  ops: 200_000,
  async prepare(client, ops) {
    await client.flush();
    const size = 100;
    const lanes = 4;
    const { keys, values } = keySpace('clusterpipe');
    // Every key starts at its first value (written 1,000 at a time, untimed), so a GET is never nil.
    for (let start = 0; start < KEY_COUNT; start += 1000) {
      const writes = keys.slice(start, start + 1000).map((key, i) => ({
        key,
        value: values[2 * (start + i)] as string,
      }));
      const replies = await client.batch(writes);
      if (replies.some((reply) => reply !== client.setReply)) {
        throw new Error('clusterpipe: writing the keys before the run failed');
      }
    }
    const perLane = Math.max(1, Math.round(ops / size / lanes));
    const pipelines: ClusterCommand[][] = [];
    // expected[p][j]: the reply command j of pipeline p must get (SET_OK for a SET).
    const expected: Array<Array<string | typeof SET_OK>> = [];
    const version = new Uint8Array(KEY_COUNT);
    const random = randomBelow(29);
    for (let p = 0; p < perLane * lanes; p++) {
      const lane = p % lanes;
      const commands: ClusterCommand[] = [];
      const replies: Array<string | typeof SET_OK> = [];
      for (let j = 0; j < size; j++) {
        const k = lane + lanes * random(KEY_COUNT / lanes);
        if (random(2) === 0) {
          const v = (version[k] as number) ^ 1;
          version[k] = v;
          commands.push({ key: keys[k] as string, value: values[2 * k + v] as string });
          replies.push(SET_OK);
        } else {
          commands.push({ key: keys[k] as string });
          replies.push(values[2 * k + (version[k] as number)] as string);
        }
      }
      pipelines.push(commands);
      expected.push(replies);
    }
    const setReply = client.setReply;
    return {
      run: () =>
        inParallel(lanes, perLane, async (lane, i) => {
          const p = i * lanes + lane;
          const replies = await client.batch(pipelines[p] as ClusterCommand[]);
          const wanted = expected[p] as Array<string | typeof SET_OK>;
          if (replies.length !== size) fail('clusterpipe', 'reply count', replies.length, size);
          for (let j = 0; j < size; j++) {
            const want = wanted[j] === SET_OK ? setReply : wanted[j];
            if (replies[j] !== want) {
              fail('clusterpipe', `reply ${j} of pipeline ${p}`, replies[j], want);
            }
          }
        }),
      async dispose() {
        // Untimed: the run wrote only the keys it was given, and all of them are still there.
        const count = await client.dbsize();
        if (count !== KEY_COUNT) fail('clusterpipe', 'DBSIZE after the run', count, KEY_COUNT);
      },
    };
  },
};

export const CLUSTER_WORKLOADS: Record<ClusterWorkloadName, ClusterWorkload> = {
  cluster,
  clusterpipe,
};
