/**
 * The high-level client: one typed method per command, over one connection ({@link createRedis})
 * or a pool ({@link createRedisPool}).
 *
 * @module
 */
import type { ExecuteOptions, PubsubReply, RedisConnection } from './connection';
import type { Channel } from './pubsub';
import { openConnection } from './open-connection';
import { type ConnectionsPool, isPool, openPool } from './pool';
import {
  type AcquireOptions,
  acquireOptionsError,
  checkPoolOptions,
  type PoolOptions,
} from './pool-options';
import { type Address, type ConnectionOptions, describeAddress, resolveConfig } from './options';
import { Link, type LinkState, type Resume } from './link/link';
import { type ReconnectingOptions, splitReconnecting } from './link/options';
import type { Arg } from './protocol/encoder';
import type { Reply } from './protocol/reader';
import { Commands, invalid, isInteger, isOk, outOfRange } from './commands/base';
import { type AllCommands, COMMAND_GROUPS, mixCommands } from './commands';
import { guardOwnMethods } from './commands/guard';
import { MultiExec, Pipeline } from './transaction';
import { PipelineError, RedisError, WatchVariableError } from './errors';
import { optionsError } from './strict';

export { COMMAND_GROUPS, mixCommands } from './commands';

/**
 * A Redis client with one camelCase method per command. `S` is the type of stored values it
 * returns: `Buffer`, or `string` when created with an `encoding`. Made by {@link createRedis}
 * (one connection) or {@link createRedisPool} (a pool).
 *
 * ```ts
 * const redis = await createRedisPool('redis://localhost', { encoding: 'utf8' });
 * await redis.set('greeting', 'hello', { expire: 60 });
 * const value = await redis.get('greeting'); // string | null
 * const raw = await redis.get('greeting', { encoding: null }); // Buffer | null
 * redis.close();
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the groups' methods are mixed in below
export class Redis<S = Buffer> extends Commands<S> {
  readonly #target: RedisConnection | ConnectionsPool;
  /** How to open another connection like this client's (MONITOR needs one of its own). */
  readonly #connect: () => Promise<RedisConnection>;

  /** @internal Use {@link createRedis} or {@link createRedisPool}. */
  constructor(target: RedisConnection | ConnectionsPool, connect: () => Promise<RedisConnection>) {
    super();
    this.#target = target;
    this.#connect = connect;
  }

  protected override dedicatedConnection(): Promise<RedisConnection> {
    return this.#connect();
  }

  protected override subscribedChannel(
    registry: 'channels' | 'patterns' | 'shards',
    name: string,
  ): Channel | undefined {
    return this.#registry(registry).get(name);
  }

  #registry(registry: 'channels' | 'patterns' | 'shards'): ReadonlyMap<string, Channel> {
    const target = this.#target;
    if (registry === 'channels') return target.pubsubChannels;
    return registry === 'patterns' ? target.pubsubPatterns : target.pubsubShardChannels;
  }

  /** Subscribed channels by name (the pub/sub connection's). */
  get channels(): ReadonlyMap<string, Channel> {
    return this.#target.pubsubChannels;
  }

  /** Subscribed patterns by pattern. */
  get patterns(): ReadonlyMap<string, Channel> {
    return this.#target.pubsubPatterns;
  }

  /** The number of subscriptions the server reported for the pub/sub connection. */
  get inPubsub(): number {
    return this.#target.inPubsub;
  }

  protected override executePubsub(
    command: string,
    ...channels: Array<string | Buffer | Channel>
  ): Promise<PubsubReply[]> {
    return this.#target.executePubsub(command, ...channels);
  }

  /** Sends any command; the reply is not shaped. */
  execute<T = Reply>(command: string, ...args: Arg[]): Promise<T> {
    return this.#target.execute<T>(command, ...args);
  }

  /**
   * {@link execute} with per-command options (`encoding`, `signal`, `timeout`; on a client created
   * with `reconnect`, also `retryOnLoss`: see {@link RedisExecuteOptions}).
   */
  executeWith<T = Reply>(
    options: RedisExecuteOptions,
    command: string,
    ...args: Arg[]
  ): Promise<T> {
    return this.#target.executeWith<T>(options, command, ...args);
  }

  /** Sends a command this client has no method for: `redis.call('OBJECT', 'FREQ', key)`. */
  call<T = Reply>(command: string, ...args: Arg[]): Promise<T> {
    return this.#target.execute<T>(command, ...args);
  }

  /**
   * The connection this client wraps (with `reconnect`, the current one, which is replaced after a
   * loss); undefined for a pool.
   */
  get connection(): RedisConnection | undefined {
    const target: unknown = this.#target;
    if (target instanceof Link) return target.current;
    return isPool(this.#target) ? undefined : this.#target;
  }

  /** The pool this client wraps; undefined for a single connection. */
  get pool(): ConnectionsPool | undefined {
    return isPool(this.#target) ? this.#target : undefined;
  }

  /** The server's address. */
  get address(): [string, number] | string {
    return this.#target.address;
  }

  /** The selected database. */
  get db(): number {
    return this.#target.db;
  }

  /** The encoding of stored values; `null` means Buffers. */
  get encoding(): BufferEncoding | null {
    return this.#target.encoding;
  }

  /** True once closed. */
  get closed(): boolean {
    return this.#target.closed;
  }

  /**
   * `'ready'`, `'reconnecting'` (a client created with `reconnect` lost its connection, or its
   * pool cannot open one, and is making a new one; commands wait) or `'closed'`.
   */
  get state(): LinkState {
    const target: unknown = this.#target;
    if (target instanceof Link) return target.state;
    if (isPool(this.#target)) return this.#target.state;
    return this.#target.closed ? 'closed' : 'ready';
  }

  /** True between MULTI and EXEC on the wrapped connection (always false on a pool). */
  get inTransaction(): boolean {
    return isPool(this.#target) ? false : this.#target.inTransaction;
  }

  /** Closes the connection or pool. */
  close(): void {
    this.#target.close();
  }

  /** Resolves once everything is closed. */
  waitClosed(): Promise<void> {
    return this.#target.waitClosed();
  }

  /** `await using redis = await createRedis(…)` closes it at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
    await this.waitClosed();
  }

  /**
   * An exclusive client: the same methods bound to one connection acquired from the pool
   * (aioredis's `with await redis as r`), until {@link ContextRedis.release} or the end of an
   * `await using` block. This is how WATCH, transactions and blocking loops run on a pool. On a
   * single-connection client it wraps that connection, and release() leaves it open.
   */
  async acquire(options?: AcquireOptions): Promise<ContextRedis<S>> {
    // Checked on a single connection too, where there is nothing to wait for: a typo fails anywhere.
    const refusal = acquireOptionsError(options);
    if (refusal !== undefined) throw refusal;
    if (!isPool(this.#target)) return new ContextRedis<S>(this.#target, undefined, this.#connect);
    const conn = await this.#target.acquire(options);
    return new ContextRedis<S>(conn, this.#target, this.#connect);
  }

  /**
   * Runs `fn` as an optimistic transaction and runs it again when it failed without effect: on a
   * WATCH abort (another client changed a watched key) or on a failure that proves nothing ran
   * (`maybeExecuted: false`, such as a lost WATCH on a reconnecting client). A failure that may
   * have run (`maybeExecuted: true`: EXEC was written and the connection lost) is never rerun.
   * `fn` gets an exclusive client (see {@link acquire}), given back after each attempt; it should
   * WATCH, read, and write only through `multiExec()`, since a write outside it would run again.
   *
   * ```ts
   * const total = await redis.transaction(async (r) => {
   *   await r.watch('balance');
   *   const balance = Number(await r.get('balance'));
   *   const tx = r.multiExec();
   *   tx.set('balance', balance - 10);
   *   await tx.execute();
   *   return balance - 10;
   * });
   * ```
   */
  async transaction<T>(
    fn: (r: ContextRedis<S>) => Promise<T>,
    options?: TransactionOptions,
  ): Promise<T> {
    const refusal = optionsError('transaction()', options, TRANSACTION_KEYS);
    if (refusal !== undefined) throw refusal;
    if (typeof fn !== 'function') throw new TypeError('transaction() takes a function');
    const attempts = options?.attempts ?? 3;
    if (!Number.isSafeInteger(attempts))
      throw new TypeError('transaction() attempts must be an integer');
    if (attempts < 1) throw new RangeError('transaction() attempts must be ≥ 1');
    for (let attempt = 1; ; attempt++) {
      const context = await this.acquire();
      try {
        return await fn(context);
      } catch (err) {
        if (attempt >= attempts || !nothingRan(err)) throw err;
      } finally {
        await context.release();
      }
    }
  }

  /** QUIT: closes the connection (a pool: closes it) once the server agreed. */
  async quit(): Promise<'OK'> {
    if (isPool(this.#target)) {
      this.#target.close();
      await this.#target.waitClosed();
      return 'OK';
    }
    const reply = await this.#target.execute<'OK'>('QUIT');
    await this.#target.waitClosed();
    return reply;
  }

  /**
   * A pipeline: every command method, queued until `execute()` writes them together (on a pool,
   * over one connection acquired for the batch). See {@link Pipeline}.
   */
  pipeline(): Pipeline<S> {
    return new Pipeline<S>(this.#target);
  }

  /**
   * A transaction: MULTI, the queued commands and EXEC written together on one connection; each
   * command resolves with its own EXEC item. See {@link MultiExec}. To WATCH keys first on a pool,
   * acquire a connection: `await using r = await redis.acquire()`, then `r.watch()`, the reads,
   * and `r.multiExec()`.
   */
  multiExec(): MultiExec<S> {
    return new MultiExec<S>(this.#target);
  }

  /** WATCH: EXEC will do nothing if one of the keys changes before it. Needs an acquired connection on a pool. */
  watch(key: Arg, ...keys: Arg[]): Promise<boolean> {
    return this.execute<string>('WATCH', key, ...keys).then(isOk);
  }

  /** UNWATCH: forgets every WATCHed key. */
  unwatch(): Promise<boolean> {
    return this.execute<string>('UNWATCH').then(isOk);
  }

  /** SELECT: switches the database (every connection of a pool). */
  select(db: number): Promise<'OK'> {
    return this.#target.select(db);
  }

  /** SWAPDB: swaps two databases; resolves true. */
  swapdb(from: number, to: number): Promise<boolean> {
    if (!isInteger(from) || !isInteger(to)) return invalid('swapdb() takes two integer db indexes');
    if (from < 0 || to < 0) return outOfRange('swapdb() db indexes must be ≥ 0');
    return this.execute<string>('SWAPDB', from, to).then(isOk);
  }

  /**
   * AUTH on the wrapped connection. A pool's connections authenticate with the options given to
   * createRedisPool, so on a pool this rejects.
   */
  auth(password: string, username?: string): Promise<'OK'> {
    if (isPool(this.#target)) {
      return Promise.reject(
        new TypeError('auth() on a pool: pass username and password to createRedisPool instead'),
      );
    }
    return this.#target.auth(password, username);
  }
}

/**
 * A {@link Redis} bound to one exclusively acquired connection; see {@link Redis.acquire}.
 *
 * ```ts
 * const redis = await createRedisPool('redis://localhost:6379', { encoding: 'utf8' });
 * {
 *   await using r = await redis.acquire(); // given back to the pool at the end of the block
 *   await r.watch('counter');
 *   const tx = r.multiExec();
 *   tx.set('counter', Number(await r.get('counter')) + 1);
 *   await tx.execute(); // rejects with WatchVariableError if 'counter' changed meanwhile
 * }
 * ```
 */
export class ContextRedis<S = Buffer> extends Redis<S> {
  readonly #conn: RedisConnection;
  readonly #pool: ConnectionsPool | undefined;
  #released = false;

  /** @internal */
  constructor(
    conn: RedisConnection,
    pool: ConnectionsPool | undefined,
    connect: () => Promise<RedisConnection>,
  ) {
    super(conn, connect);
    this.#conn = conn;
    this.#pool = pool;
  }

  override execute<T = Reply>(command: string, ...args: Arg[]): Promise<T> {
    return this.#released ? released() : super.execute(command, ...args);
  }

  override executeWith<T = Reply>(
    options: ExecuteOptions,
    command: string,
    ...args: Arg[]
  ): Promise<T> {
    return this.#released ? released() : super.executeWith(options, command, ...args);
  }

  override call<T = Reply>(command: string, ...args: Arg[]): Promise<T> {
    return this.execute(command, ...args);
  }

  /** A pipeline on this context's connection; it rejects if run after release(). */
  override pipeline(): Pipeline<S> {
    return new Pipeline<S>(this.#conn, () => this.#refusal());
  }

  /** A transaction on this context's connection; it rejects if run after release(). */
  override multiExec(): MultiExec<S> {
    return new MultiExec<S>(this.#conn, () => this.#refusal());
  }

  #refusal(): Error | undefined {
    return this.#released ? new RedisError(RELEASED, 'REDMUX_ERR_RELEASED') : undefined;
  }

  /** Gives the connection back to the pool (see ConnectionsPool.release). Idempotent. */
  release(): Promise<void> {
    if (this.#released || this.#pool === undefined) return Promise.resolve();
    this.#released = true;
    return this.#pool.release(this.#conn);
  }

  /** `await using r = await redis.acquire()` releases at the end of the block. */
  override async [Symbol.asyncDispose](): Promise<void> {
    await this.release();
  }
}

// The command groups' methods, on every client: declaration merging for the types, prototype
// copies for the code (see lib/commands/index.ts).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the body is the groups' methods
export interface Redis<S> extends AllCommands<S> {}
mixCommands(Redis, COMMAND_GROUPS);
guardOwnMethods(Redis);
guardOwnMethods(ContextRedis);

/** Options of {@link Redis.executeWith}. */
export interface RedisExecuteOptions extends ExecuteOptions {
  /**
   * The command is safe to run twice (a SET of a fixed value, a GET…): written on a connection that
   * was lost, it is sent once more on the next one, within its `timeout`, instead of rejecting with
   * ConnectionLostError (`maybeExecuted: true`). Only a client created with `reconnect` takes it;
   * elsewhere it is refused with TypeError. Never resent twice, never inside a transaction.
   */
  retryOnLoss?: boolean;
}

/**
 * Options of {@link createRedis}: a connection's ({@link ConnectionOptions}; an `encoding` makes
 * stored values strings, in the types too) and how to stay connected ({@link ReconnectingOptions}).
 */
export type RedisOptions = ConnectionOptions & ReconnectingOptions;

/**
 * Connects one {@link Redis} client over a single connection. Without `reconnect` it dies with its
 * connection, as in aioredis 1.x; with it, a lost connection is replaced (see
 * {@link ReconnectingOptions} and the README's "Staying connected"). Options that are not a plain
 * object, or a key it does not know, reject with TypeError before any socket is opened.
 */
export function createRedis(
  address: Address,
  options: RedisOptions & { encoding: BufferEncoding },
): Promise<Redis<string>>;
export function createRedis(address: Address, options?: RedisOptions): Promise<Redis<Buffer>>;
export async function createRedis(
  address: Address,
  options?: RedisOptions,
): Promise<Redis<Buffer | string>> {
  const { connection, reconnecting } = splitReconnecting('createRedis()', options);
  const config = resolveConfig(address, connection, 'createRedis()');
  const conn = await openConnection(config);
  const { backoff } = reconnecting;
  if (backoff === undefined) {
    return new Redis(conn, () => openConnection({ ...config, db: conn.db }));
  }
  const reopen = ({ db, auth }: Resume): Promise<RedisConnection> =>
    openConnection(
      auth === undefined
        ? { ...config, db }
        : { ...config, db, password: auth.password, username: auth.username },
    );
  const link = new Link(conn, reopen, {
    ...reconnecting,
    backoff,
    label: describeAddress(config),
    retrier: 'any',
  });
  // A Link has every member of RedisConnection that Redis and its batches use (see link.ts).
  const target = link as unknown as RedisConnection;
  return new Redis(target, () => openConnection({ ...config, db: link.db }));
}

/**
 * Creates a {@link Redis} client over a pool of connections (see createPool for the options).
 * Options that are not a plain object, or a key {@link PoolOptions} does not have, reject with
 * TypeError before any socket is opened.
 */
export function createRedisPool(
  address: Address,
  options: PoolOptions & { encoding: BufferEncoding },
): Promise<Redis<string>>;
export function createRedisPool(address: Address, options?: PoolOptions): Promise<Redis<Buffer>>;
export async function createRedisPool(
  address: Address,
  options?: PoolOptions,
): Promise<Redis<Buffer | string>> {
  const pool = await openPool(address, options, 'createRedisPool()');
  const { connection } = checkPoolOptions('createRedisPool()', options);
  const config = resolveConfig(address, connection, 'createRedisPool()');
  // A dedicated connection (MONITOR) opens on the pool's current db, within the connect timeout.
  return new Redis(pool, () => openConnection({ ...config, db: pool.db }));
}

/** Options of {@link Redis.transaction}. */
export interface TransactionOptions {
  /** How many times `fn` may run in all: an integer ≥ 1. Default 3. */
  attempts?: number;
}

const TRANSACTION_KEYS: ReadonlySet<string> = new Set<keyof TransactionOptions>(['attempts']);

/**
 * Whether a failed transaction attempt had no effect: a WATCH abort, an error that says it did
 * not run, or a failed batch all of whose commands say so.
 */
function nothingRan(err: unknown): boolean {
  if (err instanceof WatchVariableError) return true;
  if (err instanceof PipelineError) return err.errors.length > 0 && err.errors.every(nothingRan);
  return (err as { maybeExecuted?: unknown } | null)?.maybeExecuted === false;
}

const RELEASED = 'this context was released: its connection may be serving someone else';

function released(): Promise<never> {
  return Promise.reject(new RedisError(RELEASED, 'REDMUX_ERR_RELEASED'));
}
