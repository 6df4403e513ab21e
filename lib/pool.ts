/**
 * A bounded set of connections to one server. Ordinary commands are multiplexed onto the least
 * loaded free connection without taking it out of the pool (aioredis 1.x's fast path); blocking
 * commands, transactions and anything else that needs a connection to itself go through
 * {@link ConnectionsPool.acquire}, which lends one out exclusively. With `reconnect` the pool
 * survives its server going away (pool-recovery.ts); its pub/sub slot is in pool-pubsub.ts.
 *
 * @module
 */
import { setMaxListeners } from 'node:events';
import createDebug from 'debug';
import { CONNECTION_STATE, isBlocking } from './command-flags';
import {
  executeOptionsError,
  type ExecuteOptions,
  kProbeAnswered,
  type PubsubReply,
  type RedisConnection,
} from './connection';
import { openPoolConnection, poolUnblockHelper, retire } from './pool-connect';
import { ConnectionClosedError, PoolClosedError, RedisError } from './errors';
import type { LinkConfig } from './link/link';
import { mayResend, retryIfNotRun, type Tries } from './link/resend';
import { PoolPubsub } from './pool-pubsub';
import { PoolRecovery, type PoolState } from './pool-recovery';
import { type Address, type ConnectionConfig, describeAddress } from './options';
import {
  type AcquireOptions,
  acquireOptionsError,
  deadlineOf,
  remainingOf,
  withinDeadline,
} from './pool-options';
import { type Arg, upperName } from './protocol/encoder';
import { kHelperSource } from './unblock';
import { newWaiter, parkWaiter, type Waiter } from './pool-waiting';
import { executeAlone, PoolLending } from './pool-lending';
import type { Reply } from './protocol/reader';
import type { Channel } from './pubsub';
import { PUBSUB_COMMANDS } from './subscriptions';

const debug = createDebug('redmux:pool');

export { BLOCKING_COMMANDS, BLOCKING_WITH_OPTION } from './command-flags';
export type { AcquireOptions, PoolOptions } from './pool-options';
export type { PoolState } from './pool-recovery';

/** In-flight commands on the least loaded free connection at which the pool opens another. */
const GROW_AT = 64;

/**
 * A pool of connections to one server, made by {@link createPool}.
 *
 * ```ts
 * const pool = await createPool('redis://localhost:6379', { maxsize: 4, encoding: 'utf8' });
 * await pool.execute('SET', 'k', 'v');          // multiplexed onto a shared connection
 * {
 *   await using conn = await pool.acquire();    // exclusive until the end of the block
 *   await conn.execute('WATCH', 'k');
 *   // … MULTI … EXEC on conn
 * }
 * pool.close();
 * await pool.waitClosed();
 * ```
 */
export class ConnectionsPool {
  /** What every connection opens with (its db is the pool's current one, #db). */
  readonly #config: ConnectionConfig;
  /** A command's options when it has none of its own, with the client-wide deadline; or undefined. */
  readonly #defaultOptions: ExecuteOptions | undefined;
  /** Aborted by close(): connections still connecting are closed at once, not left to finish. */
  readonly #closing = new AbortController();
  readonly #display: [string, number] | string;
  readonly #label: string;
  readonly #minsize: number;
  readonly #maxsize: number;
  readonly #encoding: BufferEncoding | null;
  #db: number;
  #closed = false;
  /** Why the pool closed when it gave up reconnecting (a refused password); undefined otherwise. */
  #closeCause: Error | undefined;
  /** With `reconnect`: the state, queue and probe loop; undefined keeps round 1's pool. */
  readonly #recovery: PoolRecovery | undefined;
  /** With `reconnect`: how it reconnects, and how a shared command that did not run is retried. */
  readonly #link: LinkConfig | undefined;
  /** False until createPool's first connections are open: a failure before that rejects createPool. */
  #filled = false;

  /** Connections commands are multiplexed onto; also the ones acquire() takes first. */
  readonly #free: RedisConnection[] = [];
  /** The free list's policy, the connections lent out, and who waits for one (pool-lending.ts). */
  readonly #lending: PoolLending;
  readonly #pubsub: PoolPubsub;
  /** Connections being opened, each settling once it is in its place (or failed). */
  readonly #opening = new Set<Promise<RedisConnection>>();

  /** @internal Use {@link createPool}. `link`: how it reconnects, if it does. */
  constructor(
    config: ConnectionConfig,
    minsize: number,
    maxsize: number,
    link?: LinkConfig | undefined,
  ) {
    this.#config = config;
    // Each connection being opened listens to it (maxsize of them at most): no leak to warn about.
    setMaxListeners(0, this.#closing.signal);
    this.#defaultOptions =
      config.commandTimeout === undefined ? undefined : { timeout: config.commandTimeout };
    this.#display = config.path ?? [String(config.host), Number(config.port)];
    this.#label = describeAddress(config);
    this.#minsize = minsize;
    this.#maxsize = maxsize;
    this.#encoding = config.encoding;
    this.#db = config.db;
    this.#link = link;
    this.#recovery =
      link === undefined
        ? undefined
        : new PoolRecovery(link, {
            probe: () => this.#track(this.#connect()),
            recovered: (conn) => this.#recovered(conn),
            giveUp: (cause) => this.#shut(cause),
          });
    this.#lending = new PoolLending(this.#free, {
      isClosed: () => this.#closed,
      db: () => this.#db,
      mayGrow: () => this.size < this.#maxsize && this.state === 'ready',
      opening: () => this.#opening.size,
      open: () => this.#open(),
      replenish: () => this.#replenish(),
    });
    this.#pubsub = new PoolPubsub(
      {
        isClosed: () => this.#closed,
        take: () => this.#pubsubConnection(),
        connect: () => this.#connect(),
      },
      link,
    );
  }

  /** Connections opened up front. */
  get minsize(): number {
    return this.#minsize;
  }

  /** The most connections open at once. */
  get maxsize(): number {
    return this.#maxsize;
  }

  /** Every connection: free, lent out, being opened, and the pub/sub one. */
  get size(): number {
    return this.#free.length + this.#lending.used.size + this.#opening.size + this.#pubsub.size;
  }

  /** Connections in the free list (commands are multiplexed onto these). */
  get freesize(): number {
    return this.#free.length;
  }

  /** The server's address: `[host, port]`, or the unix socket path. */
  get address(): [string, number] | string {
    return this.#display;
  }

  /** The database every connection of the pool is on. */
  get db(): number {
    return this.#db;
  }

  /** The pool's encoding of bulk replies; `null` means Buffers. */
  get encoding(): BufferEncoding | null {
    return this.#encoding;
  }

  /** True once close() was called, or once a reconnecting pool gave up (see {@link state}). */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * `'ready'`; `'reconnecting'` when a pool created with `reconnect` could not open a connection
   * and is probing its server (one connect at a time, with backoff) while commands and acquire()
   * calls wait in its bounded queue; `'closed'` after close(), or once a refused password (or the
   * backoff policy) ended the reconnecting. Without `reconnect` only `'ready'` and `'closed'`.
   */
  get state(): PoolState {
    if (this.#closed) return 'closed';
    return this.#recovery?.state ?? 'ready';
  }

  /** The number of subscriptions of the pub/sub connection. */
  get inPubsub(): number {
    return this.#pubsub.inPubsub;
  }

  /** Channels subscribed through {@link executePubsub}. */
  get pubsubChannels(): ReadonlyMap<string, Channel> {
    return this.#pubsub.channels;
  }

  /** Patterns subscribed through {@link executePubsub}. */
  get pubsubPatterns(): ReadonlyMap<string, Channel> {
    return this.#pubsub.patterns;
  }

  /** Sharded channels subscribed through {@link executePubsub} (SSUBSCRIBE). */
  get pubsubShardChannels(): ReadonlyMap<string, Channel> {
    return this.#pubsub.shardChannels;
  }

  /**
   * Sends a command on the least loaded free connection, without taking it out of the pool.
   * Blocking commands (BLPOP, XREAD BLOCK…) run on a connection acquired for them alone.
   * Commands that change one connection's state (MULTI, WATCH, SELECT…) reject: use
   * {@link acquire} or {@link select}. When every connection is lent out, the command waits for one.
   */
  execute<T = Reply>(command: string, ...args: Arg[]): Promise<T> {
    return this.#execute(undefined, command, args);
  }

  /**
   * {@link execute} with per-command options (`encoding`, `signal`, `timeout`); the timeout and
   * signal cover the wait for a connection too. Bad options reject with TypeError, sending nothing.
   */
  executeWith<T = Reply>(options: ExecuteOptions, command: string, ...args: Arg[]): Promise<T> {
    const refusal = executeOptionsError('executeWith()', options);
    if (refusal !== undefined) return Promise.reject(refusal);
    return this.#execute(options, command, args);
  }

  /**
   * Runs a pub/sub command on the pool's one pub/sub connection (opened on first use, counted in
   * {@link size}). Without `reconnect` there is no silent resubscribe: when that connection is lost
   * its Channels reject, and the next executePubsub opens a new one. With `reconnect` it is a Link
   * that reconnects as a single-connection client does, and while the pool is reconnecting a
   * pub/sub command waits in its queue like any other.
   */
  executePubsub(
    command: string,
    ...channels: Array<string | Buffer | Channel>
  ): Promise<PubsubReply[]> {
    if (this.#closed) return Promise.reject(this.#closedError());
    const again = (): Promise<PubsubReply[]> => this.executePubsub(command, ...channels);
    return this.#pubsub.execute(command, channels, this.#recovery, again);
  }

  /**
   * @internal Takes every connection out of use at once (a Sentinel failover moved the server):
   * commands from now on open new connections (through the config's `locate`). A retired
   * connection closes once its pending commands settled, or after `drainMs`, when what is still
   * pending rejects with ConnectionLostError (`cause`); the pub/sub one is abandoned as a loss, so
   * its Channels are resubscribed on a new connection, each with a gap marker.
   */
  _retire(cause: Error, drainMs: number): void {
    retire([...this.#free.splice(0), ...this.#lending.used.keys()], cause, drainMs);
    this.#pubsub.abandon(cause);
  }

  /**
   * The connection `command` would run on: `[conn, address]`, or `[null, address]` when it needs
   * one of its own (blocking and connection-state commands) or none is free.
   */
  getConnection(command: string, args: readonly Arg[] = []): [RedisConnection | null, Address] {
    const upper = upperName(command);
    if (PUBSUB_COMMANDS.has(upper)) {
      const pubsub = this.#pubsub.connection;
      return [pubsub, pubsub?.address ?? this.#display];
    }
    const conn =
      isBlocking(upper, args) || CONNECTION_STATE.has(upper)
        ? undefined
        : this.#lending.leastLoaded();
    return [conn ?? null, conn?.address ?? this.#display];
  }

  /**
   * Lends a connection out for this caller alone, until {@link release} (or the end of an
   * `await using` block). Waiters are served in FIFO order when the pool is at maxsize.
   * Rejects with TimeoutError after `timeout` ms, with the signal's reason on abort, and with
   * PoolClosedError once the pool is closed. A connection opened for an acquire that gave up stays
   * in the pool. Options that are not a plain object, an unknown key or a bad value reject with
   * TypeError (RangeError for the timeout). On a pool with `reconnect`, a call that finds the pool
   * reconnecting and no idle connection waits in its queue: at most `offlineTimeout` (or its own
   * shorter `timeout`), then TimeoutError; QueueFullError at once when `maxQueued` calls and
   * commands wait already.
   */
  acquire(options?: AcquireOptions): Promise<RedisConnection> {
    const refusal = acquireOptionsError(options);
    if (refusal !== undefined) return Promise.reject(refusal);
    if (this.#closed) return Promise.reject(this.#closedError());
    const { timeout, signal } = options ?? {};
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const waiter = newWaiter(timeout, signal, resolve, reject);
      if (this.#recovery?.state === 'reconnecting' && this.#lending.idleIndex() === -1) {
        this.#park(waiter);
      } else {
        this.#lending.waiters.push(waiter);
        this.#lending.serve();
      }
    });
  }

  /**
   * Gives a connection lent out by {@link acquire} back. It is closed instead of returned when it
   * is in a transaction, subscribed, has replies pending, is on another db than the pool, is closed,
   * or the pool is; keys it still WATCHes are unwatched. Rejects when the connection was not lent
   * out by this pool.
   */
  release(conn: RedisConnection): Promise<void> {
    return this.#lending.release(conn);
  }

  /**
   * Switches the pool to database `db`: every free connection selects it now, new ones open on it,
   * and lent-out ones are closed when released.
   */
  async select(db: number): Promise<'OK'> {
    if (!Number.isSafeInteger(db) || db < 0)
      throw new TypeError('db must be a non-negative integer');
    if (this.#closed) throw new PoolClosedError();
    this.#db = db;
    await Promise.all(this.#free.map((conn) => conn.select(db)));
    return 'OK';
  }

  /** Closes the free connections; the pool opens new ones as needed. */
  async clear(): Promise<void> {
    const free = this.#free.splice(0);
    for (const conn of free) conn.close();
    await Promise.all(free.map((conn) => conn.waitClosed()));
  }

  /**
   * Closes the pool: every connection (free, lent out, pub/sub, and those still being opened) is
   * closed, and waiting acquire() and execute() calls reject with PoolClosedError; those waiting
   * in a reconnecting pool's queue with ConnectionLostError (`maybeExecuted: false`, the
   * PoolClosedError as `cause`), as a reconnecting client's do.
   */
  close(): void {
    this.#shut(new PoolClosedError());
  }

  /** Resolves once every connection of the pool is closed, those still being opened included. */
  async waitClosed(): Promise<void> {
    const opening = [...this.#opening].map((promise) => promise.catch(() => undefined));
    await Promise.all(opening);
    const all = [...this.#free, ...this.#lending.used.keys()];
    await Promise.all([...all.map((conn) => conn.waitClosed()), this.#pubsub.waitClosed()]);
  }

  /** `await using pool = await createPool(…)` closes it at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
    await this.waitClosed();
  }

  /** @internal Opens `minsize` connections; createPool calls it once. */
  async _fill(): Promise<void> {
    await Promise.all(Array.from({ length: this.#minsize }, () => this.#open()));
    this.#filled = true;
  }

  /** Closes for good with `error` (PoolClosedError: close(); else why reconnecting stopped). */
  #shut(error: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    debug('closing the pool for %s (%s)', this.#label, error.message);
    const closed =
      error instanceof PoolClosedError ? error : new PoolClosedError(undefined, { cause: error });
    if (closed !== error) this.#closeCause = error;
    this.#closing.abort(closed);
    this.#recovery?.close(error);
    this.#lending.close(closed);
    for (const conn of [...this.#free, ...this.#lending.used.keys()]) conn.close();
    this.#pubsub.close();
  }

  /**
   * Not async on purpose: without `reconnect` the fast path hands back the connection's own
   * promise. With it, a command avoids a connection with a health PING out (see #hold), and one
   * that provably did not run is sent again (resend.ts); `tries` is where those resends are.
   */
  #execute<T>(
    options: ExecuteOptions | undefined,
    command: string,
    args: readonly Arg[],
    tries?: Tries,
  ): Promise<T> {
    if (this.#closed) return Promise.reject(this.#closedError());
    const upper = upperName(command);
    const refusal = CONNECTION_STATE.get(upper);
    if (refusal !== undefined) {
      return Promise.reject(
        new RedisError(
          `${upper} cannot go through a pool's shared connections: ${refusal}`,
          'REDMUX_ERR_POOL_STATEFUL_COMMAND',
        ),
      );
    }
    if (PUBSUB_COMMANDS.has(upper)) {
      return this.executePubsub(upper, ...(args as string[])) as Promise<T>;
    }
    if (isBlocking(upper, args)) return executeAlone(this, options, command, args);
    let conn = this.#lending.leastLoaded();
    const link = this.#link;
    if (conn !== undefined && conn.probing && link?.offlineQueue === true) {
      conn = this.#lending.unprobed();
      if (conn === undefined) return this.#hold<T>(options, command, args, tries);
    }
    if (conn === undefined) {
      // The command's timeout (else the client-wide one) and signal cover the wait for a
      // connection too.
      const own = this.#withDefaultTimeout(options);
      const deadline = deadlineOf(own);
      const recovery = this.#recovery;
      if (recovery?.state === 'reconnecting') {
        const send = (): Promise<T> =>
          this.#execute<T>(remainingOf(own, deadline), command, args, tries);
        return recovery.wait(command, args, send, own) as Promise<T>;
      }
      return withinDeadline(this.#lending.anyFree(), own, 'waiting for a connection').then(() =>
        this.#execute<T>(remainingOf(own, deadline), command, args, tries),
      );
    }
    if (
      conn.inFlight >= GROW_AT &&
      this.#opening.size === 0 &&
      this.size < this.#maxsize &&
      this.state === 'ready'
    ) {
      // Busy enough that another connection helps: open it in the background, send this one now.
      this.#open().catch((err: Error) => debug('could not grow the pool: %s', err.message));
    }
    const sent =
      options === undefined
        ? conn.execute<T>(command, ...args)
        : conn.executeWith<T>(options, command, ...args);
    if (link === undefined || !mayResend(conn, command)) return sent;
    return sent.then(undefined, (err: unknown) =>
      retryIfNotRun(err, command, tries, options, link, (again, next) =>
        this.#execute<T>(again, command, args, next),
      ),
    );
  }

  /**
   * Every free connection has a health PING out, so a command written now would be "maybe
   * executed" if the PING fails: it waits (within its timeout and signal) for a PONG or for the
   * PING's failure (the connection closes), then goes where a new command would.
   */
  #hold<T>(
    options: ExecuteOptions | undefined,
    command: string,
    args: readonly Arg[],
    tries: Tries | undefined,
  ): Promise<T> {
    const own = this.#withDefaultTimeout(options);
    const deadline = deadlineOf(own);
    return withinDeadline(this.#lending.held.add(), own, 'waiting for a health check').then(() =>
      this.#execute<T>(remainingOf(own, deadline), command, args, tries),
    );
  }

  /** A non-blocking command's options with the client-wide commandTimeout when it has no timeout. */
  #withDefaultTimeout(options: ExecuteOptions | undefined): ExecuteOptions | undefined {
    const fallback = this.#defaultOptions;
    if (fallback === undefined || options?.timeout !== undefined) return options;
    return options === undefined ? fallback : { ...options, timeout: fallback.timeout };
  }

  /**
   * Opens a connection when someone waits for one, there is room, and none is opening yet; with
   * `reconnect`, also when the pool is below minsize (a lost connection is replaced, one at a
   * time). While reconnecting only the probe opens connections.
   */
  #replenish(): void {
    if (this.#closed || this.#opening.size > 0 || this.size >= this.#maxsize) return;
    const recovery = this.#recovery;
    if (recovery !== undefined && (recovery.state !== 'ready' || !this.#filled)) return;
    if (this.#lending.sharedWaiters.length > 0) {
      this.#open().catch(() => {}); // its failure reaches the waiters through #open
      return;
    }
    this.#lending.serve(); // acquire() waiters: the lending opens one for them
    if (recovery !== undefined && this.#opening.size === 0 && this.size < this.#minsize) {
      this.#open().catch(() => {}); // a failure starts the reconnecting, through #open
    }
  }

  /**
   * Opens a connection, checks it with PING, and puts it in the free list (or hands it over for
   * pub/sub). A failure rejects the execute() calls waiting for a free connection too; with
   * `reconnect` it starts the reconnecting instead, and they wait in its queue.
   */
  #open(forPubsub = false): Promise<RedisConnection> {
    const opening = this.#connect().then(
      (conn) => {
        this.#opening.delete(opening);
        if (!forPubsub) {
          this.#lending.addFree(conn);
          if (this.#recovery !== undefined) this.#replenish(); // on up to minsize, one at a time
        }
        return conn;
      },
      (err: Error) => {
        this.#opening.delete(opening);
        this.#openFailed(err);
        throw err;
      },
    );
    this.#opening.add(opening);
    return opening;
  }

  /** Counts a connection being opened outside #open (the recovery's probe) in {@link size}. */
  #track(opening: Promise<RedisConnection>): Promise<RedisConnection> {
    this.#opening.add(opening);
    const done = (): void => void this.#opening.delete(opening);
    opening.then(done, done);
    return opening;
  }

  /** Opening a connection failed: its waiters learn why, or, with `reconnect`, wait for the server. */
  #openFailed(err: Error): void {
    const recovery = this.#recovery;
    if (recovery === undefined || !this.#filled) return this.#lending.sharedWaiters.wake(err);
    recovery.failed(err);
    if (recovery.state !== 'reconnecting') return; // closed for good: #shut rejected them
    // They re-enter #execute, which queues them now; acquire() calls move to the queue too.
    this.#lending.sharedWaiters.wake();
    this.#lending.parkAll((waiter) => this.#park(waiter));
  }

  /** Queues an acquire() in the reconnecting pool's queue (see parkWaiter). */
  #park(waiter: Waiter): void {
    if (this.#recovery === undefined) return;
    parkWaiter(waiter, this.#recovery, (parked) => {
      this.#lending.waiters.push(parked);
      this.#lending.serve();
    });
  }

  /** The probe's connection is ready: what waited goes first, in order, then the pool refills. */
  #recovered(conn: RedisConnection): void {
    this.#free.push(conn);
    this.#recovery?.drain();
    this.#lending.serve();
    this.#lending.sharedWaiters.wake();
    this.#lending.held.wake();
    this.#replenish();
  }

  /** Why a call on a closed pool fails: PoolClosedError, with what ended the reconnecting as cause. */
  #closedError(): PoolClosedError {
    return new PoolClosedError(undefined, { cause: this.#closeCause });
  }

  /** Opens a connection on the pool's db and checks it with PING, all within the connect timeout. */
  async #connect(): Promise<RedisConnection> {
    const signal = this.#closing.signal;
    const conn = await openPoolConnection(this.#config, () => this.#db, signal);
    if (this.#closed) {
      conn.close();
      throw new PoolClosedError();
    }
    void conn.waitClosed().then(() => this.#forget(conn));
    // Held commands learn of each PONG (a pub/sub Link taking the connection sets its own hook).
    if (this.#recovery !== undefined) conn[kProbeAnswered] = () => this.#lending.held.wake();
    conn[kHelperSource] = (timeout, blocked) =>
      poolUnblockHelper(this.#free, blocked, this.#config, timeout, signal);
    return conn;
  }

  /**
   * The pub/sub connection: an idle free one taken over, else a new one, else the least busy.
   * While reconnecting it rejects (nothing was sent), and executePubsub waits in the queue.
   */
  async #pubsubConnection(): Promise<RedisConnection> {
    for (;;) {
      if (this.#recovery?.state === 'reconnecting') {
        throw new ConnectionClosedError(`${this.#label} is reconnecting`);
      }
      if (this.#lending.idleIndex() === -1 && this.size < this.#maxsize) {
        return await this.#open(true);
      }
      const taken = this.#lending.take();
      if (taken !== undefined) return taken;
      await this.#lending.anyFree(); // every connection is lent out: wait for one to come back
    }
  }

  /**
   * Drops a closed connection from the free list or the pub/sub slot, and opens a replacement if
   * someone is waiting. A lent-out one stays lent out until released: release() then closes it.
   */
  #forget(conn: RedisConnection): void {
    const index = this.#free.indexOf(conn);
    if (index !== -1) this.#free.splice(index, 1);
    this.#pubsub.forget(conn);
    this.#recovery?.lost(conn);
    debug('dropped a closed connection; %d left', this.size);
    this.#replenish();
    this.#lending.held.wake(); // its PING failed, maybe: they go elsewhere or to the queue
  }
}

// Last, so that ConnectionsPool is defined before pool-create.ts (which imports it) loads.
export { createPool, isPool, openPool } from './pool-create';
