/**
 * {@link RedisCluster}: every typed command of {@link Redis}, routed by slot over one pool per node,
 * following MOVED and ASK, retrying what the cluster proves it did not run (TRYAGAIN, CLUSTERDOWN,
 * MASTERDOWN, LOADING, a node that could not be reached) within the command's deadline and
 * `clusterDownTimeout`, and never sending again a command that was written to a node that then
 * died (it rejects with ConnectionLostError, `maybeExecuted: true`).
 *
 * @module
 */
import createDebug from 'debug';
import type { ExecuteOptions, PubsubReply, RedisConnection } from '../connection';
import { RedisError } from '../errors';
import type { ConnectionsPool } from '../pool';
import type { Arg } from '../protocol/encoder';
import type { Reply } from '../protocol/reader';
import { type Bulk, Commands, invalid } from '../commands/base';
import type { ScanOptions } from '../commands/generic';
import { guarded } from '../commands/guard';
import { type AllCommands, COMMAND_GROUPS, mixCommands } from '../commands';
import { executeOptionsError } from '../pending';
import type { Channel } from '../pubsub';
import { PUBSUB_COMMANDS } from '../subscriptions';
import { ContextRedis, Redis } from '../redis';
import { Pipeline } from '../transaction';
import { type BatchHost, ClusterMultiExec, ClusterPipeline } from './batch';
import { NoNodeForSlotError } from './cluster-errors';
import { type CommandSpec, commandSpec, learnCommands } from './command-keys';
import { fanOut } from './fanout';
import { type TopologyLoader } from './loader';
import { type NodePools, nodeKey } from './nodes';
import type { ClusterConfig, NodeAddress } from './options';
import { KEYLESS, slotOf } from './route';
import { hashSlot } from './slot';
import { ClusterPubsub } from './pubsub';
import { asking, closedError, inLane, type Lanes, onTopology, type TopologyEvent } from './send';
import { type Attempt, type ClusterStats, FIRST, Retry } from './retry';
import { splitCommand } from './split';
import type { ClusterNode, NodeRole, Topology } from './topology';

const debug = createDebug('redmux:cluster');

/** How a pipeline's command is settled (its queue entry). */
export interface Settle {
  resolve(reply: unknown): void;
  reject(error: Error): void;
}

/** A pipeline's queued command. */
export interface QueuedCommand {
  readonly command: string;
  readonly args: Arg[];
  readonly options: ExecuteOptions | undefined;
}

/** What #send returns once it took over settling a pipeline's command (never awaited). */
const SETTLING: Promise<unknown> = new Promise(() => undefined);

/**
 * A Redis Cluster client with one camelCase method per command, as {@link Redis}; made by
 * {@link createCluster}. Commands go to the master of their keys' slot (reads to replicas with
 * `readFrom`); keyless ones to any node, or to every shard when the command says so (DBSIZE sums,
 * KEYS concatenates, FLUSHALL runs everywhere). Keys of one command must share a slot (use a
 * `{hash tag}`), except MGET, MSET, DEL, UNLINK, EXISTS and TOUCH, which are split per slot and
 * merged (not atomically).
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the groups' methods are mixed in below
export class RedisCluster<S = Buffer> extends Commands<S> {
  readonly #config: ClusterConfig;
  readonly #pools: NodePools;
  readonly #loader: TopologyLoader;
  readonly #pubsub: ClusterPubsub;
  /** The last topology handed to _topologyChanged, to tell a change from a reload that found none. */
  #topology: Topology | undefined;
  /** Slots a MOVED pointed elsewhere since the last topology: believed until the next one. */
  readonly #moved = new Map<number, NodeAddress>();
  /** Slots that answered ASK since the last topology: their reads go to the master. */
  readonly #asked = new Set<number>();
  #next = 0;
  #closed = false;
  readonly #stats: ClusterStats = { redirections: 0, retries: 0, refreshes: 0 };
  readonly #retry: Retry;

  /** @internal Use {@link createCluster}. */
  constructor(config: ClusterConfig, pools: NodePools, loader: TopologyLoader) {
    super();
    this.#config = config;
    this.#pools = pools;
    this.#loader = loader;
    this.#retry = new Retry({
      config,
      stats: this.#stats,
      isClosed: () => this.#closed,
      reload: (reason, prefer) => loader.request(reason, prefer),
      moved: (slot, to) => this.#moved.set(slot, to),
      asked: (slot) => this.#asked.add(slot),
      send: (call, attempt) =>
        this.#send(call.options, call.command, call.args, call.slot, call.readonly, attempt),
    });
    this.#pubsub = new ClusterPubsub({
      config,
      topology: () => loader.current,
      requestRefresh: (reason) => loader.request(reason),
      refresh: () => loader.load(),
    });
  }

  /** @internal A new topology was accepted: forget MOVED/ASK overrides, close pools of departed nodes. */
  _topologyChanged(topology: Topology): void {
    const previous = this.#topology;
    this.#topology = topology;
    if (previous !== topology && onTopology.hasSubscribers) {
      onTopology.publish({
        changed: previous === undefined || !previous.sameAs(topology),
        masters: topology.nodes('master').map((node) => node.key),
        covered: topology.covered,
      } satisfies TopologyEvent);
    }
    if (previous === topology) return;
    this.#moved.clear();
    this.#asked.clear();
    this.#stats.refreshes++;
    const keep = new Set(topology.nodes().map((node) => node.key));
    this.#pools.retire(keep);
    this.#pubsub.topologyChanged(topology);
  }

  /** The slot map in use: an immutable snapshot, replaced whole by each reload. */
  get topology(): Topology {
    const current = this.#loader.current;
    if (current === undefined) throw new RedisError('no topology yet', 'REDMUX_ERR_CLUSTER');
    return current;
  }

  /** What the client did so far: redirections followed, retries, reloads. */
  get stats(): Readonly<ClusterStats> {
    return { ...this.#stats };
  }

  /** The encoding of stored values; `null` means Buffers. */
  get encoding(): BufferEncoding | null {
    return this.#config.encoding;
  }

  /** True once closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Reloads the slot map now (joining a reload in progress); resolves with the new snapshot. */
  refresh(): Promise<Topology> {
    if (this.#closed) return Promise.reject(closedError());
    return this.#loader.load();
  }

  /** Sends any command, routed by its keys; the reply is not shaped. */
  execute<T = Reply>(command: string, ...args: Arg[]): Promise<T> {
    return this.#dispatch<T>(undefined, command, args);
  }

  /** {@link execute} with per-command options (`encoding`, `timeout` across every hop, `signal`). */
  executeWith<T = Reply>(options: ExecuteOptions, command: string, ...args: Arg[]): Promise<T> {
    const refusal = executeOptionsError('executeWith()', options);
    if (refusal !== undefined) return Promise.reject(refusal);
    return this.#dispatch<T>(options, command, args);
  }

  /** Sends a command this client has no method for: `cluster.call('OBJECT', 'FREQ', key)`. */
  call<T = Reply>(command: string, ...args: Arg[]): Promise<T> {
    return this.#dispatch<T>(undefined, command, args);
  }

  #dispatch<T>(
    options: ExecuteOptions | undefined,
    command: string,
    args: Arg[],
    lanes?: Lanes,
    done?: Settle,
  ): Promise<T> {
    if (this.#closed) return Promise.reject(closedError());
    if (typeof command !== 'string' || command.length === 0) {
      return invalid('a command name must be a non-empty string');
    }
    if (command.includes(' ')) {
      // 'CLIENT SETNAME' and the like: the words after the first are the command's first arguments.
      const [name, ...words] = command.split(' ').filter((word) => word.length > 0);
      return this.#dispatch<T>(options, name as string, [...words, ...args], lanes, done);
    }
    const spec = commandSpec(command, args);
    if (spec === undefined)
      return this.#learn(command).then(() => this.#routed(options, command, args));
    return this.#route<T>(spec, options, command, args, lanes, done);
  }

  /**
   * @internal A pipeline's queued command, routed and sent as {@link _executeIn} does, settling
   * `queued` itself (no promise of its own in between: a pipeline sends many).
   */
  _sendQueued(lanes: Lanes, queued: Settle & QueuedCommand): void {
    const { options, command, args } = queued;
    const refusal =
      options === undefined ? undefined : executeOptionsError('executeWith()', options);
    const sent =
      refusal === undefined
        ? this.#dispatch(options, command, args, lanes, queued)
        : Promise.reject(refusal);
    if (sent !== SETTLING) sent.then(queued.resolve, queued.reject);
  }

  /**
   * @internal A batch's command: routed as {@link execute} does, and sent on the connection that
   * `lanes` holds for its node (taken on the batch's first command there), so that the batch's
   * commands for one node keep their order on one connection and leave in one write.
   */
  _executeIn<T>(
    lanes: Lanes,
    options: ExecuteOptions | undefined,
    command: string,
    args: Arg[],
  ): Promise<T> {
    if (options !== undefined) {
      const refusal = executeOptionsError('executeWith()', options);
      if (refusal !== undefined) return Promise.reject(refusal);
    }
    return this.#dispatch<T>(options, command, args, lanes);
  }

  /** Routes a command whose spec was just fetched (or, still unknown, as a keyless write). */
  #routed<T>(options: ExecuteOptions | undefined, command: string, args: Arg[]): Promise<T> {
    const spec = commandSpec(command, args);
    if (spec === undefined) return this.#send<T>(options, command, args, KEYLESS, false, FIRST);
    return this.#route<T>(spec, options, command, args);
  }

  #route<T>(
    spec: CommandSpec,
    options: ExecuteOptions | undefined,
    command: string,
    args: Arg[],
    lanes?: Lanes,
    done?: Settle,
  ): Promise<T> {
    if (spec.pubsub) {
      // (S|P)(UN)SUBSCRIBE sent by name go to the subscriber connections, as on a pool.
      const upper = command.toUpperCase();
      if (PUBSUB_COMMANDS.has(upper)) {
        return this.executePubsub(upper, ...(args as Array<string | Buffer>)) as Promise<T>;
      }
    }
    const slot = slotOf(spec, args);
    if (slot instanceof Error) return Promise.reject(slot);
    if (slot === 'split') {
      return splitCommand<T>(spec.name, args, (sub, subArgs) =>
        this.#send(options, sub, subArgs, hashSlot(subArgs[0] as Arg), spec.readonly, FIRST, lanes),
      );
    }
    if (slot === KEYLESS && (spec.request === 'all_shards' || spec.request === 'all_nodes')) {
      const role = spec.request === 'all_shards' ? 'master' : undefined;
      const targets = this.topology.nodes(role).map((node) => this.#pools.get(node));
      return fanOut<T>(spec, targets, options, command, args);
    }
    return this.#send<T>(options, command, args, slot, spec.readonly, FIRST, lanes, done);
  }

  /** Fetches COMMAND INFO for a command the generated table does not know, once. */
  async #learn(command: string): Promise<void> {
    try {
      const reply = await this.#anyPool().execute('COMMAND', 'INFO', command);
      learnCommands(reply);
    } catch (err) {
      debug('COMMAND INFO %s failed: %s', command, (err as Error).message);
    }
  }

  /** Sends to the node that serves `slot` now, and follows what the cluster answers. */
  #send<T>(
    options: ExecuteOptions | undefined,
    command: string,
    args: Arg[],
    slot: number,
    readonly: boolean,
    attempt: Attempt,
    lanes?: Lanes,
    done?: Settle,
  ): Promise<T> {
    const target = attempt.ask ?? this.#nodeFor(slot, readonly && !attempt.master);
    if (target === undefined) {
      // No node serves the slot (a failover under way): wait for the map like a CLUSTERDOWN.
      this.#loader.request('uncovered slot');
      const err = new NoNodeForSlotError(slot);
      return this.#retry.later<T>(
        err,
        { options, command, args, slot, readonly },
        attempt,
        'NO NODE',
      );
    }
    let pool: ConnectionsPool;
    try {
      pool = this.#pools.get(target);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    const sent =
      attempt.ask !== undefined
        ? asking<T>(pool, options, command, args)
        : lanes !== undefined
          ? inLane<T>(lanes, pool, options, command, args)
          : options === undefined
            ? pool.execute<T>(command, ...args)
            : pool.executeWith<T>(options, command, ...args);
    if (done !== undefined) {
      // A pipeline's command: its own settle functions, and the recovery only when it failed.
      sent.then(done.resolve, (err: unknown) => {
        this.#retry
          .recover<T>(err, { options, command, args, slot, readonly }, attempt, target)
          .then(done.resolve, done.reject);
      });
      return SETTLING as Promise<T>;
    }
    return sent.then(undefined, (err: unknown) =>
      this.#retry.recover<T>(err, { options, command, args, slot, readonly }, attempt, target),
    );
  }

  /** The node a command of `slot` goes to now. */
  #nodeFor(slot: number, readonly: boolean): NodeAddress | undefined {
    const topology = this.#loader.current;
    if (topology === undefined) return undefined;
    if (slot === KEYLESS) {
      const nodes = topology.nodes(
        readonly && this.#config.readFrom !== 'master' ? undefined : 'master',
      );
      return nodes.length === 0 ? undefined : nodes[this.#next++ % nodes.length];
    }
    if (this.#moved.size > 0) {
      const moved = this.#moved.get(slot);
      if (moved !== undefined) return moved;
    }
    const shard = topology.shardOf(slot);
    if (shard === undefined) return undefined;
    if (!readonly || this.#config.readFrom === 'master' || this.#asked.has(slot))
      return shard.master;
    const replicas = shard.replicas.filter((node) => node.health === 'online');
    const choices: ClusterNode[] =
      this.#config.readFrom === 'any' ? [shard.master, ...replicas] : replicas;
    if (choices.length === 0) return shard.master;
    return choices[this.#next++ % choices.length];
  }

  #anyPool(): ConnectionsPool {
    const node = this.#nodeFor(KEYLESS, false);
    if (node === undefined) throw closedError();
    return this.#pools.get(node);
  }

  /**
   * A {@link Redis} client per node of the current topology (`'master'` or `'replica'` only), over
   * that node's pool: for commands that are about one node (INFO, CONFIG, DEBUG…). Closing one
   * closes that node's pool, which the cluster reopens when it next needs it.
   */
  nodes(role?: NodeRole): Array<Redis<S>> {
    return this.topology.nodes(role).map((node) => this.#nodeClient(node));
  }

  #nodeClient(node: NodeAddress): Redis<S> {
    const pool = this.#pools.get(node);
    return new Redis(pool, () => pool.acquire()) as unknown as Redis<S>;
  }

  /**
   * An exclusive client on the master of `key`'s slot, for WATCH, MULTI…EXEC and blocking loops
   * on keys of that slot, until release() or the end of an `await using` block.
   */
  async acquire(key: Arg): Promise<ContextRedis<S>> {
    if (this.#closed) throw closedError();
    const node = this.#nodeFor(hashSlot(key), false);
    if (node === undefined)
      throw new RedisError(`no node serves ${String(key)}`, 'REDMUX_ERR_CLUSTER');
    const pool = this.#pools.get(node);
    const conn = await pool.acquire();
    return new ContextRedis<S>(conn, pool, () => pool.acquire());
  }

  /**
   * A pipeline that takes any keys: each command goes to its own slot's node, the commands for one
   * node in one write, results in call order; only commands answered MOVED, ASK or TRYAGAIN are
   * sent again. Not atomic: see {@link multiExec} for that. See {@link Pipeline}.
   */
  pipeline(): Pipeline<S> {
    return new ClusterPipeline<S>(this.#batchHost());
  }

  /**
   * A transaction on one slot's master (every keyed command in one slot: use a `{hash tag}`). A
   * MOVED or ASK aborts EXEC, so nothing ran, and the whole transaction is sent again where the
   * cluster says. For WATCH, {@link acquire} the slot's master instead.
   */
  multiExec(): ClusterMultiExec<S> {
    return new ClusterMultiExec<S>(this.#batchHost());
  }

  #batchHost(): BatchHost {
    const config = this.#config;
    const isClosed = (): boolean => this.#closed;
    return {
      encoding: config.encoding,
      get closed() {
        return isClosed();
      },
      maxRedirections: config.maxRedirections,
      executeIn: (lanes, options, command, args) => this._executeIn(lanes, options, command, args),
      sendQueued: (lanes, queued) => this._sendQueued(lanes, queued),
      masterOf: (slot) => this.#nodeFor(slot, false),
      pool: (node) => this.#pools.get(node),
      moved: (slot, to) => {
        this.#moved.set(slot, to);
        this.#stats.redirections++;
        this.#loader.request('MOVED', nodeKey(to.host, to.port));
      },
      asked: (slot) => {
        this.#asked.add(slot);
        this.#stats.redirections++;
      },
    };
  }

  /** Same as {@link iscan}: every key matching the options, walking each master in turn. */
  scanIterator<O extends ScanOptions | undefined = undefined>(
    options?: O,
  ): AsyncIterableIterator<Bulk<O, S>> {
    return this.iscan(options);
  }

  protected override executePubsub(
    command: string,
    ...channels: Array<string | Buffer | Channel>
  ): Promise<PubsubReply[]> {
    if (this.#closed) return Promise.reject(closedError());
    return this.#pubsub.execute(command, channels);
  }

  protected override subscribedChannel(
    registry: 'channels' | 'patterns' | 'shards',
    name: string,
  ): Channel | undefined {
    return this.#pubsub.registry(registry).get(name);
  }

  /** Subscribed channels by name. */
  get channels(): ReadonlyMap<string, Channel> {
    return this.#pubsub.registry('channels');
  }

  /** Subscribed patterns by pattern. */
  get patterns(): ReadonlyMap<string, Channel> {
    return this.#pubsub.registry('patterns');
  }

  /** Subscribed sharded channels (SSUBSCRIBE) by name. */
  get shardChannels(): ReadonlyMap<string, Channel> {
    return this.#pubsub.registry('shards');
  }

  protected override dedicatedConnection(): Promise<RedisConnection> {
    return invalid('MONITOR on a cluster: call it on one node, cluster.nodes()[i].monitor()');
  }

  /** Closes every node's pool; commands waiting for a retry reject. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#loader.close();
    this.#pubsub.close();
    this.#pools.close();
  }

  /** Resolves once every connection is closed. */
  async waitClosed(): Promise<void> {
    await Promise.all([this.#pools.waitClosed(), this.#pubsub.waitClosed()]);
  }

  /** `await using cluster = await createCluster(…)` closes it at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
    await this.waitClosed();
  }
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the body is the groups' methods
export interface RedisCluster<S> extends AllCommands<S> {}
mixCommands(RedisCluster, COMMAND_GROUPS);

// SCAN walks one node: on a cluster, iscan() walks every master in turn and scan() refuses.
Object.defineProperty(RedisCluster.prototype, 'iscan', {
  configurable: true,
  writable: true,
  value: guarded('iscan', function iscan(this: unknown, options?: unknown) {
    const masters = (this as RedisCluster).nodes('master');
    async function* walk(): AsyncGenerator<unknown> {
      for (const node of masters) yield* node.iscan(options as ScanOptions | undefined);
    }
    return walk();
  }),
});
Object.defineProperty(RedisCluster.prototype, 'scan', {
  configurable: true,
  writable: true,
  value: function scan(): Promise<never> {
    return invalid(
      'scan() on a cluster would walk one node: use iscan() (every master), or scan() on cluster.nodes()',
    );
  },
});
