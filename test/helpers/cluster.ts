// A real Redis Cluster (3 masters, 3 replicas) of redis-server children, for the integration tests,
// the examples and the benchmarks. Deliberately free of mocha/chai, like redis-server.ts.
//
//   const cluster = await startCluster();
//   const owner = await cluster.ownerOf('user:{42}');
//   await cluster.command(owner, 'SET', 'user:{42}', 'x');
//   await cluster.stop();
//
// The cluster is built by hand (CLUSTER MEET / ADDSLOTSRANGE / REPLICATE) rather than with
// `redis-cli --cluster create`: it is deterministic (node i + 3 replicates node i) and ready in
// about a second, where redis-cli sleeps a whole second while the nodes join.
import * as net from 'node:net';

import { createConnection, type RedisConnection } from '../../lib/index';
import { SlotMigration } from './cluster-migration';
import { startRedis, type RedisServer } from './redis-server';
import {
  type ClusterView,
  describeView,
  isRunning,
  parseClusterInfo,
  parseShards,
  type Shard,
  checkSlot,
  unstableReason,
} from './cluster-topology';

/** One redis-server of a {@link TestCluster}. */
export interface TestClusterNode {
  /** The process; `server.kill()`/`server.restart()` keep its directory, so its `nodes.conf` too. */
  readonly server: RedisServer;
  /** Always `'127.0.0.1'`. */
  readonly host: string;
  /** The client port. */
  readonly port: number;
  /** The node's cluster id (CLUSTER MYID); kept across restarts. */
  readonly id: string;
}

/** A started cluster of six nodes; see {@link startCluster}. */
export interface TestCluster {
  /** All six nodes in start order: the first three started as masters, node i + 3 as replica of node i. */
  readonly nodes: readonly TestClusterNode[];
  /** `[host, port]` of every node, in start order. */
  readonly seeds: Array<[string, number]>;
  /** The nodes that own slots now, in start order, as a live node sees them (CLUSTER SHARDS). */
  masters(): Promise<TestClusterNode[]>;
  /** The replicas of `master` that a live node does not consider failed, in start order. */
  replicasOf(master: TestClusterNode): Promise<TestClusterNode[]>;
  /** The master that owns a slot (0-16383) or a key's slot (CLUSTER KEYSLOT), as a live node sees it. */
  ownerOf(slotOrKey: number | string): Promise<TestClusterNode>;
  /**
   * Runs one command on `node` through its admin connection (one per node, cached, `encoding:
   * 'utf8'`, reopened after the node restarted). Error replies reject with redmux's ReplyError,
   * so `err.code` is `'MOVED'`, `'ASK'`, `'TRYAGAIN'`…
   */
  command(node: TestClusterNode, ...args: Array<string | number | Buffer>): Promise<unknown>;
  /** Marks `slot` IMPORTING on `to`, then MIGRATING on its current owner; moves no key yet. */
  startMigration(slot: number, to: TestClusterNode): Promise<Migration>;
  /** Moves `slot` and all its keys to the master `to`: startMigration, moveKeys(), finish(). */
  migrateSlot(slot: number, to: TestClusterNode): Promise<void>;
  /**
   * CLUSTER FAILOVER (default `'graceful'`, or FORCE / TAKEOVER) on the replica `replica`; resolves
   * once it reports role master and every live node agrees ({@link TestCluster.waitStable}).
   */
  failover(replica: TestClusterNode, mode?: 'graceful' | 'force' | 'takeover'): Promise<void>;
  /** SIGKILLs the node (its directory stays, so `node.server.restart()` rejoins it); waits for nothing else. */
  crash(node: TestClusterNode): Promise<void>;
  /**
   * Polls every 50 ms until every live node reports `cluster_state:ok` and the same CLUSTER SHARDS
   * picture: the same slot ranges of the same masters, every slot owned by a running node, and
   * every other running node an online replica. Rejects with each node's view after `timeoutMs`
   * (default 10 000).
   */
  waitStable(timeoutMs?: number): Promise<void>;
  /** Closes the admin connections, stops every node and removes their directories. Idempotent. */
  stop(): Promise<void>;
}

/** A slot migration begun by {@link TestCluster.startMigration}. */
export interface Migration {
  readonly slot: number;
  /** The owner of the slot when the migration started (MIGRATING). */
  readonly source: TestClusterNode;
  /** The node the slot moves to (IMPORTING). */
  readonly target: TestClusterNode;
  /**
   * MIGRATEs `keys` (each must hash to the slot) from source to target, or by default every key
   * the source still holds in the slot (CLUSTER GETKEYSINSLOT, in batches of 100). Resolves with
   * how many keys moved; a key the source does not hold is skipped.
   */
  moveKeys(keys?: string[]): Promise<number>;
  /**
   * Moves the keys left, then assigns the slot to the target (SETSLOT NODE on the target, the
   * source, then the other masters) and waits until every live node agrees.
   */
  finish(): Promise<void>;
}

/** What {@link startCluster} configures. */
export interface StartClusterOptions {
  /** `cluster-node-timeout` in milliseconds: how long a silent node takes to be failed. Default 2000. */
  nodeTimeout?: number;
}

const HOST = '127.0.0.1';
const DEFAULT_NODE_TIMEOUT_MS = 2000;
const STABLE_TIMEOUT_MS = 10_000;
const POLL_MS = 50;
const BUS_PORT_ATTEMPTS = 3;
const NODE_COUNT = 6;
const FAILOVER_MODES = ['graceful', 'force', 'takeover'] as const;
/** The classic split of the 16384 slots over three masters, as redis-cli makes it. */
const MASTER_RANGES: ReadonlyArray<[number, number]> = [
  [0, 5460],
  [5461, 10922],
  [10923, 16383],
];

/**
 * Starts six cluster-enabled redis-servers, joins them into a cluster of 3 masters (slots split as
 * redis-cli would) with one replica each, and resolves once it is stable. If anything fails, every
 * node is stopped and the promise rejects with what was seen.
 */
export async function startCluster(options: StartClusterOptions = {}): Promise<TestCluster> {
  const nodeTimeout = options.nodeTimeout ?? DEFAULT_NODE_TIMEOUT_MS;
  if (!Number.isInteger(nodeTimeout) || nodeTimeout < 100) {
    throw new RangeError(`nodeTimeout must be an integer of at least 100 ms, got ${nodeTimeout}`);
  }
  const started = await Promise.allSettled(
    Array.from({ length: NODE_COUNT }, () => startNode(nodeTimeout)),
  );
  const servers = started.flatMap((result) =>
    result.status === 'fulfilled' ? [result.value] : [],
  );
  const failure = started.find((result) => result.status === 'rejected');
  if (failure) {
    await Promise.all(servers.map(({ server }) => server.stop()));
    throw new Error('a cluster node did not start', { cause: failure.reason });
  }
  const cluster = new Cluster(servers);
  try {
    await cluster.create();
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}

let shared: Promise<TestCluster> | undefined;

/**
 * The cluster shared by a whole test run, started on first call and stopped by
 * {@link stopSharedCluster} (a root hook). Tests must leave it stable: migrating a slot is fine,
 * crashing a node or failing over is not (start a cluster of your own for that).
 */
export function sharedCluster(): Promise<TestCluster> {
  shared ??= startCluster().catch((err: unknown) => {
    shared = undefined; // let the next test try again and report its own failure
    throw err;
  });
  return shared;
}

/** Stops the cluster of {@link sharedCluster}, if one was started. */
export async function stopSharedCluster(): Promise<void> {
  const started = shared && (await shared.catch(() => undefined));
  shared = undefined;
  await started?.stop();
}

/** A started node that has not joined a cluster yet. */
interface StartedNode {
  readonly server: RedisServer;
  /** The cluster bus port (`--cluster-port`), for CLUSTER MEET. */
  readonly busPort: number;
}

/**
 * Starts one cluster-enabled node. Its bus port is a free port of its own: the default, port +
 * 10000, may be taken or beyond 65535 for the high ports startRedis picks.
 */
async function startNode(nodeTimeout: number): Promise<StartedNode> {
  for (let attempt = 1; ; attempt++) {
    const busPort = await freePort();
    try {
      // prettier-ignore
      const server = await startRedis({ args: [
        '--cluster-enabled', 'yes',
        '--cluster-config-file', 'nodes.conf', // relative to --dir, the node's own directory
        '--cluster-node-timeout', String(nodeTimeout),
        '--cluster-port', String(busPort),
        // A replica syncs at once instead of after the default 5 s wait for more replicas, and a
        // master pings its replicas every second: other nodes list a replica (CLUSTER SHARDS
        // "online", CLUSTER SLOTS) only once its replication offset is not 0.
        '--repl-diskless-sync-delay', '0',
        '--repl-ping-replica-period', '1',
      ] });
      return { server, busPort };
    } catch (err) {
      // Someone took the bus port between our probe and redis' bind: take another.
      const inUse = err instanceof Error && /Address already in use/.test(err.message);
      if (!inUse || attempt >= BUS_PORT_ATTEMPTS) throw err;
    }
  }
}

class Cluster implements TestCluster {
  readonly seeds: Array<[string, number]>;
  #nodes: TestClusterNode[] = [];
  readonly #started: StartedNode[];
  readonly #byId = new Map<string, TestClusterNode>();
  readonly #connections = new Map<TestClusterNode, Promise<RedisConnection>>();
  #stopping: Promise<void> | undefined;

  constructor(started: StartedNode[]) {
    this.#started = started;
    this.seeds = started.map(({ server }) => [server.host, server.port]);
  }

  get nodes(): readonly TestClusterNode[] {
    return this.#nodes;
  }

  /** Joins the started servers into a cluster and waits until it is stable. */
  async create(): Promise<void> {
    // CLUSTER MYID needs a node handle, and a handle needs the id: ask through a bare one first.
    const ids = await Promise.all(
      this.#started.map(({ server }) =>
        this.#run({ server, host: HOST, port: server.port, id: '' }, 'CLUSTER', 'MYID'),
      ),
    );
    this.#nodes = this.#started.map(({ server }, i) => {
      const node = { server, host: HOST, port: server.port, id: String(ids[i]) };
      this.#byId.set(node.id, node);
      return node;
    });
    const nodes = this.#nodes;
    await Promise.all(
      nodes.map(async (node, i) => {
        // Distinct epochs spare the nodes the collision resolution redis-cli also avoids this way.
        await this.command(node, 'CLUSTER', 'SET-CONFIG-EPOCH', i + 1);
        const range = MASTER_RANGES[i];
        if (range) await this.command(node, 'CLUSTER', 'ADDSLOTSRANGE', range[0], range[1]);
      }),
    );
    // Every pair meets directly: waiting for gossip to introduce the nodes takes seconds.
    await Promise.all(
      nodes.flatMap((node, i) =>
        nodes.slice(i + 1).map((other, j) => {
          const { busPort } = this.#started[i + 1 + j] as StartedNode;
          return this.command(node, 'CLUSTER', 'MEET', other.host, other.port, busPort);
        }),
      ),
    );
    await poll(STABLE_TIMEOUT_MS, 'the nodes did not all meet', async () => {
      const listings = await Promise.all(
        nodes.map((node) => this.command(node, 'CLUSTER', 'NODES')),
      );
      const problems = listings.flatMap((listing, i) => {
        const lines = String(listing).trim().split('\n');
        const settled = lines.filter((line) => !/handshake|noaddr/.test(line.split(' ')[2] ?? ''));
        return settled.length === nodes.length
          ? []
          : [`:${nodes[i]?.port} knows ${settled.length}`];
      });
      return problems.join(', ') || undefined;
    });
    await Promise.all(
      nodes.slice(MASTER_RANGES.length).map(async (replica, i) => {
        const master = nodes[i] as TestClusterNode;
        await this.command(replica, 'CLUSTER', 'REPLICATE', master.id);
      }),
    );
    await this.waitStable();
  }

  async masters(): Promise<TestClusterNode[]> {
    const shards = await this.#shards();
    const ids = new Set(shards.filter((shard) => shard.ranges.length > 0).map((s) => s.masterId));
    return this.#nodes.filter((node) => ids.has(node.id));
  }

  async replicasOf(master: TestClusterNode): Promise<TestClusterNode[]> {
    this.#check(master, 'master');
    const shard = (await this.#shards()).find((s) => s.masterId === master.id);
    if (!shard) throw new Error(`:${master.port} is not a master now`);
    const ids = new Set(
      shard.nodes.filter((n) => n.role === 'replica' && n.health !== 'fail').map((n) => n.id),
    );
    return this.#nodes.filter((node) => ids.has(node.id));
  }

  async ownerOf(slotOrKey: number | string): Promise<TestClusterNode> {
    let slot: number;
    if (typeof slotOrKey === 'string') {
      slot = Number(await this.command(this.#anyLiveNode(), 'CLUSTER', 'KEYSLOT', slotOrKey));
    } else {
      slot = checkSlot(slotOrKey);
    }
    const shard = (await this.#shards()).find((s) =>
      s.ranges.some(([start, end]) => start <= slot && slot <= end),
    );
    if (!shard) throw new Error(`no master owns slot ${slot}`);
    return this.#node(shard.masterId);
  }

  async command(node: TestClusterNode, ...args: Array<string | number | Buffer>): Promise<unknown> {
    this.#check(node, 'node');
    return this.#run(node, ...args);
  }

  /** {@link command} without the check that `node` is one of ours (create() needs that). */
  async #run(node: TestClusterNode, ...args: Array<string | number | Buffer>): Promise<unknown> {
    const [name, ...rest] = args;
    if (typeof name !== 'string') {
      throw new TypeError(`command() needs a command name (a string), got ${typeof name}`);
    }
    if (this.#stopping) throw new Error('the cluster is stopped');
    const conn = await this.#connection(node);
    try {
      return await conn.execute(name, ...rest);
    } catch (err) {
      // The node went away: the next command opens a fresh connection, to the restarted node.
      if (conn.closed) this.#forget(node);
      throw err;
    }
  }

  async startMigration(slot: number, to: TestClusterNode): Promise<Migration> {
    checkSlot(slot);
    this.#check(to, 'to');
    const source = await this.ownerOf(slot);
    if (source === to) throw new RangeError(`slot ${slot} is already owned by :${to.port}`);
    if (!(await this.masters()).includes(to)) {
      throw new RangeError(`a slot can only move to a master; :${to.port} is not one`);
    }
    // The target first: once the source answers ASK, the target must accept the ASKING client.
    await this.command(to, 'CLUSTER', 'SETSLOT', slot, 'IMPORTING', source.id);
    await this.command(source, 'CLUSTER', 'SETSLOT', slot, 'MIGRATING', to.id);
    return new SlotMigration(this, slot, source, to);
  }

  async migrateSlot(slot: number, to: TestClusterNode): Promise<void> {
    const migration = await this.startMigration(slot, to);
    await migration.moveKeys();
    await migration.finish();
  }

  async failover(
    replica: TestClusterNode,
    mode: 'graceful' | 'force' | 'takeover' = 'graceful',
  ): Promise<void> {
    this.#check(replica, 'replica');
    if (!FAILOVER_MODES.includes(mode)) {
      throw new RangeError(`mode must be one of ${FAILOVER_MODES.join(', ')}, got ${String(mode)}`);
    }
    const shards = await this.#shards();
    if (!shards.some((s) => s.nodes.some((n) => n.id === replica.id && n.role === 'replica'))) {
      throw new RangeError(`:${replica.port} is not a replica`);
    }
    const args = mode === 'graceful' ? [] : [mode.toUpperCase()];
    await this.command(replica, 'CLUSTER', 'FAILOVER', ...args);
    await poll(STABLE_TIMEOUT_MS, `:${replica.port} did not become master`, async () => {
      const role = (await this.command(replica, 'ROLE')) as unknown[];
      return role[0] === 'master' ? undefined : `role ${String(role[0])}`;
    });
    await this.waitStable();
    if (!(await this.masters()).includes(replica)) {
      throw new Error(`:${replica.port} reports role master but owns no slots`);
    }
  }

  async crash(node: TestClusterNode): Promise<void> {
    this.#check(node, 'node');
    await node.server.kill();
    this.#forget(node);
  }

  async waitStable(timeoutMs = STABLE_TIMEOUT_MS): Promise<void> {
    if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
      throw new RangeError(`timeoutMs must be a number of milliseconds, got ${timeoutMs}`);
    }
    let views: ClusterView[] = [];
    await poll(
      timeoutMs,
      () => `the cluster is not stable:\n${views.map(describeView).join('\n')}`,
      async () => {
        views = await Promise.all(this.#liveNodes().map((node) => this.#view(node)));
        const live = new Set(this.#liveNodes().map((node) => node.id));
        return unstableReason(views, live);
      },
    );
  }

  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      const connections = [...this.#connections.values()];
      this.#connections.clear();
      for (const pending of connections) pending.then((conn) => conn.close()).catch(() => {});
      await Promise.all(this.#started.map(({ server }) => server.stop()));
    })();
    return this.#stopping;
  }

  #node(id: string): TestClusterNode {
    const node = this.#byId.get(id);
    if (!node) throw new Error(`node ${id} is not one of this cluster's nodes`);
    return node;
  }

  #check(node: TestClusterNode, what: string): void {
    if (!this.#nodes.includes(node)) throw new TypeError(`${what} is not a node of this cluster`);
  }

  #liveNodes(): TestClusterNode[] {
    return this.#nodes.filter((node) => isRunning(node.server.pid));
  }

  #anyLiveNode(): TestClusterNode {
    const [node] = this.#liveNodes();
    if (!node) throw new Error('no node of the cluster is running');
    return node;
  }

  /** CLUSTER SHARDS as the first live node that answers sees it. */
  async #shards(): Promise<Shard[]> {
    let lastError: unknown;
    for (const node of this.#liveNodes()) {
      try {
        return parseShards(await this.command(node, 'CLUSTER', 'SHARDS'));
      } catch (err) {
        lastError = err;
      }
    }
    throw new Error('no node of the cluster answered CLUSTER SHARDS', { cause: lastError });
  }

  async #view(node: TestClusterNode): Promise<ClusterView> {
    try {
      const [info, shards] = await Promise.all([
        this.command(node, 'CLUSTER', 'INFO'),
        this.command(node, 'CLUSTER', 'SHARDS'),
      ]);
      return {
        port: node.port,
        state: parseClusterInfo(String(info)).get('cluster_state') ?? '?',
        shards: parseShards(shards),
      };
    } catch (err) {
      return { port: node.port, error: err instanceof Error ? err.message : String(err) };
    }
  }

  #connection(node: TestClusterNode): Promise<RedisConnection> {
    let pending = this.#connections.get(node);
    if (pending === undefined) {
      pending = createConnection([node.host, node.port], { encoding: 'utf8', timeout: 2000 });
      this.#connections.set(node, pending);
      // A failed connect is not cached: the node may be restarting.
      pending.catch(() => this.#forget(node, pending));
    }
    return pending.then((conn) => {
      if (!conn.closed) return conn;
      this.#forget(node, pending);
      return this.#connection(node);
    });
  }

  /** Drops (and closes) the cached connection to `node`, if it is still `expected` when given. */
  #forget(node: TestClusterNode, expected?: Promise<RedisConnection>): void {
    const pending = this.#connections.get(node);
    if (pending === undefined || (expected !== undefined && pending !== expected)) return;
    this.#connections.delete(node);
    pending.then((conn) => conn.close()).catch(() => {});
  }
}

/**
 * Calls `probe` every 50 ms until it resolves with undefined (done); a string or a thrown error is
 * the reason to go on. After `timeoutMs`, rejects with `failure` and the last reason.
 */
async function poll(
  timeoutMs: number,
  failure: string | (() => string),
  probe: () => Promise<string | undefined>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let reason: string | undefined;
    try {
      reason = await probe();
    } catch (err) {
      reason = err instanceof Error ? err.message : String(err);
    }
    if (reason === undefined) return;
    if (Date.now() >= deadline) {
      const message = typeof failure === 'string' ? failure : failure();
      throw new Error(`${message}\n(after ${timeoutMs} ms; last: ${reason})`);
    }
    await delay(POLL_MS);
  }
}

/** A port that was free a moment ago (bound to port 0, then released). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
