// The cluster clients under test (issue 13), behind one small adapter like bench/clients.ts.
//
// The fairness rules of bench/clients.ts hold here too: each client's idiomatic typed API, strings
// everywhere (redmux opens with `encoding: 'utf8'`), the clients' own defaults otherwise, and
// node-redis's 5 s per-command timeout turned off. Each client is seeded with every node of the
// cluster and finds the slot map itself.
//
// Batches are where the clients differ, so each adapter runs a batch of random keys the way that
// client's users must:
// - redmux: `cluster.pipeline()` takes any keys and splits them per node itself.
// - ioredis: `cluster.pipeline()` refuses keys served by different nodes ("All keys in the
//   pipeline should belong to the same slots allocation group"), so its users group the commands
//   per master themselves: the slot from `cluster-key-slot` (ioredis's own dependency), its master
//   from ioredis's `cluster.slots`, one `cluster.pipeline()` per master, sent together, the
//   replies put back in order. With `enableAutoPipelining` there is no need: the commands are sent
//   one by one (`Promise.all`) and ioredis batches them per node, which is what that option is for.
// - node-redis: `cluster.multi().execAsPipeline()` sends the whole batch to the node of its first
//   key, so its users group per master the same way (`cluster.slots[slot].master`), one
//   `multi().execAsPipeline()` per master.
import type * as Redmux from '../lib';
import type { ClientName } from './clients';

/** One command of a batch: a GET of `key`, or a SET of `key` to `value`. */
export interface ClusterCommand {
  readonly key: string;
  /** The value to SET; undefined for a GET. */
  readonly value?: string;
}

/** The commands the cluster workloads need. Replies are the client's own values. */
export interface BenchCluster {
  /** What this client's `set` resolves with on success (`'OK'`, or redmux's typed `true`). */
  readonly setReply: unknown;
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<unknown>;
  /** Runs the commands as one batch, as this client's users do (see the top of this file). */
  batch(commands: readonly ClusterCommand[]): Promise<unknown[]>;
  /** Untimed: FLUSHDB on every master. */
  flush(): Promise<void>;
  /** Untimed: the keys of every master. */
  dbsize(): Promise<number>;
  close(): Promise<void>;
}

/** How to open a cluster client from the seeds. */
export interface ClusterFactory {
  open(seeds: readonly number[]): Promise<BenchCluster>;
}

const HOST = '127.0.0.1';

/**
 * Groups the indices of `commands` by the node `nodeOf` names for each key, in first-seen order;
 * the peers' adapters send one pipeline per group.
 */
function groupByNode<N>(
  commands: readonly ClusterCommand[],
  nodeOf: (key: string) => N,
): number[][] {
  const groups = new Map<N, number[]>();
  for (let i = 0; i < commands.length; i++) {
    const node = nodeOf((commands[i] as ClusterCommand).key);
    const group = groups.get(node);
    if (group === undefined) groups.set(node, [i]);
    else group.push(i);
  }
  return [...groups.values()];
}

// ---------------------------------------------------------------------------------------------
// redmux

const redmuxFactory: ClusterFactory = {
  async open(seeds) {
    const redmux: typeof Redmux = await import('../lib');
    const addresses = seeds.map((port): [string, number] => [HOST, port]);
    const cluster = await redmux.createCluster(addresses, { encoding: 'utf8' });
    return {
      setReply: true,
      get: (key) => cluster.get(key),
      set: (key, value) => cluster.set(key, value),
      batch(commands) {
        const pipe = cluster.pipeline();
        for (const { key, value } of commands) {
          if (value === undefined) void pipe.get(key);
          else void pipe.set(key, value);
        }
        return pipe.execute();
      },
      async flush() {
        await cluster.flushdb(); // sent to every master
      },
      dbsize: () => cluster.dbsize(), // summed over the masters
      async close() {
        cluster.close();
        await cluster.waitClosed();
      },
    };
  },
};

// ---------------------------------------------------------------------------------------------
// ioredis

function ioredisFactory(enableAutoPipelining: boolean): ClusterFactory {
  return {
    async open(seeds) {
      const { Cluster } = await import('ioredis');
      const { default: calculateSlot } = await import('cluster-key-slot');
      const startupNodes = seeds.map((port) => ({ host: HOST, port }));
      const cluster = new Cluster(startupNodes, { enableAutoPipelining, lazyConnect: true });
      await cluster.connect();
      const masterOf = (key: string): string => {
        const nodes = cluster.slots[calculateSlot(key)];
        if (nodes?.[0] === undefined) throw new Error(`ioredis: no node serves ${key}`);
        return nodes[0];
      };
      /** One `cluster.pipeline()` per master, all sent at once; replies back in call order. */
      const pipelinePerNode = async (commands: readonly ClusterCommand[]): Promise<unknown[]> => {
        const replies: unknown[] = new Array(commands.length);
        await Promise.all(
          groupByNode(commands, masterOf).map(async (indices) => {
            const pipe = cluster.pipeline();
            for (const i of indices) {
              const { key, value } = commands[i] as ClusterCommand;
              if (value === undefined) pipe.get(key);
              else pipe.set(key, value);
            }
            const results = await pipe.exec();
            if (results === null) throw new Error('ioredis: pipeline.exec() resolved with null');
            results.forEach(([err, reply], j) => {
              if (err) throw err;
              replies[indices[j] as number] = reply;
            });
          }),
        );
        return replies;
      };
      /** Each command on its own: autopipelining batches them per node. */
      const oneByOne = (commands: readonly ClusterCommand[]): Promise<unknown[]> =>
        Promise.all(
          commands.map(({ key, value }) =>
            value === undefined ? cluster.get(key) : cluster.set(key, value),
          ),
        );
      return {
        setReply: 'OK',
        get: (key) => cluster.get(key),
        set: (key, value) => cluster.set(key, value),
        batch: enableAutoPipelining ? oneByOne : pipelinePerNode,
        async flush() {
          await Promise.all(cluster.nodes('master').map((node) => node.flushdb()));
        },
        async dbsize() {
          const sizes = await Promise.all(cluster.nodes('master').map((node) => node.dbsize()));
          return sizes.reduce((a, b) => a + b, 0);
        },
        async close() {
          await cluster.quit();
        },
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// node-redis

const nodeRedisFactory: ClusterFactory = {
  async open(seeds) {
    const { createCluster } = await import('redis');
    const { default: calculateSlot } = await import('cluster-key-slot');
    const cluster = createCluster({
      rootNodes: seeds.map((port) => ({ socket: { host: HOST, port } })),
      commandOptions: { timeout: 0 }, // see the top of bench/clients.ts
    });
    cluster.on('error', (err: unknown) => console.error('node-redis cluster:', err));
    await cluster.connect();
    const masterOf = (key: string): unknown => {
      const shard = cluster.slots[calculateSlot(key)];
      if (shard === undefined) throw new Error(`node-redis: no node serves ${key}`);
      return shard.master;
    };
    const masterClients = () => Promise.all(cluster.masters.map((m) => cluster.nodeClient(m)));
    return {
      setReply: 'OK',
      get: (key) => cluster.get(key),
      set: (key, value) => cluster.set(key, value),
      /** One `multi().execAsPipeline()` per master, all sent at once; replies back in order. */
      async batch(commands) {
        const replies: unknown[] = new Array(commands.length);
        await Promise.all(
          groupByNode(commands, masterOf).map(async (indices) => {
            const multi = cluster.multi();
            for (const i of indices) {
              const { key, value } = commands[i] as ClusterCommand;
              if (value === undefined) multi.get(key);
              else multi.set(key, value);
            }
            const results = await multi.execAsPipeline();
            results.forEach((reply, j) => {
              replies[indices[j] as number] = reply;
            });
          }),
        );
        return replies;
      },
      async flush() {
        await Promise.all((await masterClients()).map((client) => client.flushDb()));
      },
      async dbsize() {
        const sizes = await Promise.all((await masterClients()).map((client) => client.dbSize()));
        return sizes.reduce((a, b) => a + b, 0);
      },
      async close() {
        cluster.destroy();
      },
    };
  },
};

/**
 * The cluster client of each `--clients` name; a name without one skips the cluster workloads.
 * `redmux-redis` has none: on a cluster, redmux has one client, `createCluster`.
 */
export const CLUSTER_CLIENTS: Partial<Record<ClientName, ClusterFactory>> = {
  redmux: redmuxFactory,
  ioredis: ioredisFactory(false),
  'ioredis-auto': ioredisFactory(true),
  'node-redis': nodeRedisFactory,
};
