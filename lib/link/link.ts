/**
 * The reconnecting layer (DESIGN.md, "Round 2"): a Link stands where a client's RedisConnection
 * stood and keeps the client connected. It owns the current connection, an epoch (how many
 * connections it has made) and the queue of commands that wait, unsent, while it reconnects.
 * `RedisConnection` stays one-shot: when its socket dies it settles every pending command (a
 * written one with `ConnectionLostError`, `maybeExecuted: true`) and the Link opens a new one,
 * with backoff, replaying the whole handshake.
 *
 * The rules it keeps: a command that may have run is never sent again; a queued command goes to
 * the next connection in order; the queue is bounded in count, bytes and time; a bad password
 * stops reconnecting; every transition is published on `node:diagnostics_channel`
 * (`redmux:reconnecting`, `redmux:ready`, `redmux:lost`), never with credentials or values.
 *
 * @module
 */
import createDebug from 'debug';
import {
  type ExecuteOptions,
  kKeepSubscriptions,
  kProbeAnswered,
  kSent,
  type PubsubReply,
  type RedisConnection,
} from '../connection';
import {
  AuthError,
  ConnectionClosedError,
  ConnectionForcedCloseError,
  ConnectionLostError,
  NoPermError,
} from '../errors';
import type { Channel } from '../pubsub';
import type { Arg } from '../protocol/encoder';
import type { Reply } from '../protocol/reader';
import type { Orphans } from '../subscriptions';
import type { Backoff } from './backoff';
import type { Retrier } from './fate';
import { backoffPause, type LostEvent, onLost, onReady, publish, type ReadyEvent } from './events';
import {
  FIRST,
  type LinkExecuteOptions,
  mayResend,
  retryIfNotRun,
  type Tries,
  withoutRetryOnLoss,
} from './resend';
import { type Broken, refuseBroken } from './broken';
import { closeOrphans, resubscribe } from './resubscribe';

export type { LostEvent, ReadyEvent, ReconnectingEvent } from './events';
import { OfflineQueue } from './queue';

const debug = createDebug('redmux:link');

/** Where a Link is: opening its first connection, ready, waiting to reconnect, or closed for good. */
export type LinkState = 'connecting' | 'ready' | 'reconnecting' | 'closed';

/** How a Link queues and reconnects; checked and with defaults applied (see createRedis). */
export interface LinkConfig {
  readonly backoff: Backoff;
  /** At most this many commands wait while reconnecting; more reject with QueueFullError. */
  readonly maxQueued: number;
  /** At most this many bytes of arguments wait while reconnecting. */
  readonly maxQueuedBytes: number;
  /** A queued command waits at most this long (ms), then rejects with TimeoutError. */
  readonly offlineTimeout: number;
  /** false: commands sent while not connected reject at once instead of waiting. */
  readonly offlineQueue: boolean;
  /** A label of the server for events and logs (never credentials). */
  readonly label: string;
  /** Subscribe every Channel again after a reconnect, each yielding a gap marker (default true). */
  readonly resubscribe: boolean;
  /** Which reply errors that prove a command did not run this client retries (see fate.ts). */
  readonly retrier: Retrier;
}

/** @internal A reconnecting client's batch sends through `link[kBatch]` (see Link). */
export const kBatch: unique symbol = Symbol('redmux.batch');

/** What a new connection takes over from the last one. */
export interface Resume {
  db: number;
  auth: { password: string; username: string | undefined } | undefined;
}

/** What a queued command does once there is a connection again. */
type Waiting = (conn: RedisConnection) => Promise<unknown>;

/**
 * A client's reconnecting connection: the members of RedisConnection that Redis and its batches
 * use, sent on the current connection when there is one and queued while there is none.
 */
export class Link {
  readonly #open: (state: Resume) => Promise<RedisConnection>;
  readonly #config: LinkConfig;
  #conn: RedisConnection;
  #state: LinkState = 'ready';
  #epoch = 1;
  readonly #queue: OfflineQueue<RedisConnection>;
  /** Why the Link closed for good; commands sent later reject with it as cause. */
  #closeError: Error | undefined;
  /** Wakes a reconnect delay early when close() is called. */
  #wake: (() => void) | undefined;
  /** The database the next connection selects: the last one the server agreed to. */
  #db: number;
  /** Credentials of the last successful auth(), which the next connection authenticates with. */
  #auth: { password: string; username: string | undefined } | undefined;
  #closing = false;
  /**
   * Set when a connection was lost in the middle of a WATCH or MULTI block: what the caller sends
   * next still belongs to that block, whose state died with the connection, so it must not run on
   * the new one as if nothing happened (see #transactionRefusal).
   */
  #broken: Broken;
  /** Commands accepted on earlier connections and into the queue: see [kSent]. */
  #sentBefore = 0;
  /**
   * A health PING of the current connection is out: commands wait in the queue for its PONG, so
   * that a dead idle socket leaves them unsent (safe to send on the next one) instead of "maybe".
   */
  #held = false;
  /** The Channels of the lost connection, subscribed again on the next one. */
  #orphans: Orphans | undefined;
  /** The same Link without the resends of #recover: what a batch sends through (see [kBatch]). */
  readonly #plain: RedisConnection;
  readonly #closed: Promise<void>;
  #resolveClosed!: () => void;

  /**
   * @internal Use createRedis. `first` is the connection already opened; `open(resume)` opens
   * another like it (DNS resolved again, the whole handshake replayed) with what the client changed
   * since: the selected database, and the credentials of a later `auth()`.
   */
  constructor(
    first: RedisConnection,
    open: (resume: Resume) => Promise<RedisConnection>,
    config: LinkConfig,
  ) {
    this.#conn = first;
    this.#open = open;
    this.#config = config;
    this.#queue = new OfflineQueue(config);
    this.#db = first.db;
    this.#closed = new Promise((resolve) => (this.#resolveClosed = resolve));
    const send = (command: string, args: Arg[], options?: ExecuteOptions): Promise<unknown> =>
      this.#send(command, args, options, false, undefined);
    const counted = (): number => this[kSent];
    this.#plain = {
      execute: (command: string, ...args: Arg[]) => send(command, args),
      executeWith: (options: ExecuteOptions, command: string, ...args: Arg[]) =>
        send(command, args, options),
      get [kSent]() {
        return counted();
      },
    } as unknown as RedisConnection;
    this.#watch(first, this.#epoch);
    publish(onReady, { address: config.label, epoch: this.#epoch } satisfies ReadyEvent);
  }

  /** 'ready', 'reconnecting' or 'closed' ('connecting' belongs to a client still being created). */
  get state(): LinkState {
    return this.#state;
  }

  /** How many connections this Link has made: 1 for the first, one more for each reconnect. */
  get epoch(): number {
    return this.#epoch;
  }

  /** How many commands wait for the next connection. */
  get queued(): number {
    return this.#queue.length;
  }

  get address(): [string, number] | string {
    return this.#conn.address;
  }

  get db(): number {
    return this.#state === 'ready' ? this.#conn.db : this.#db;
  }

  get encoding(): BufferEncoding | null {
    return this.#conn.encoding;
  }

  get closed(): boolean {
    return this.#state === 'closed';
  }

  get closeReason(): Error | undefined {
    return this.#closeError;
  }

  get inTransaction(): boolean {
    return this.#state === 'ready' && this.#conn.inTransaction;
  }

  get inPubsub(): number {
    return this.#state === 'ready' ? this.#conn.inPubsub : 0;
  }

  get pubsubChannels(): ReadonlyMap<string, Channel> {
    return this.#conn.pubsubChannels;
  }

  get pubsubPatterns(): ReadonlyMap<string, Channel> {
    return this.#conn.pubsubPatterns;
  }

  get pubsubShardChannels(): ReadonlyMap<string, Channel> {
    return this.#conn.pubsubShardChannels;
  }

  /**
   * @internal How many commands were accepted (sent, or queued for the next connection): batches
   * compare it around a call to learn whether the command will get an EXEC item.
   */
  get [kSent](): number {
    return this.#sentBefore + this.#conn[kSent];
  }

  execute<T = Reply>(command: string, ...args: Arg[]): Promise<T> {
    return this.#send<T>(command, args, undefined, true, undefined);
  }

  /**
   * {@link execute} with per-command options; `retryOnLoss: true` says the command is safe to run
   * twice: written on a connection that was lost, it is sent once more (within its deadline)
   * instead of rejecting with `maybeExecuted`.
   */
  executeWith<T = Reply>(options: LinkExecuteOptions, command: string, ...args: Arg[]): Promise<T> {
    if (options?.retryOnLoss !== undefined && typeof options.retryOnLoss !== 'boolean') {
      return Promise.reject(new TypeError("executeWith() option 'retryOnLoss' must be a boolean"));
    }
    return this.#send<T>(command, args, options, true, undefined);
  }

  /**
   * @internal The same Link without automatic resends: a batch sends through it, so that once
   * one of its commands may have run, the unsent rest rejects (`maybeExecuted: false`) instead of
   * running alone on the next connection.
   */
  get [kBatch](): RedisConnection {
    return this.#plain;
  }

  /**
   * Sends a command on the current connection, or queues it while there is none (or while a
   * health PING is out). With `recover`, a failure that proves it did not run sends it again (see
   * #recover); `tries` is where those resends are.
   */
  #send<T>(
    command: string,
    args: Arg[],
    options: LinkExecuteOptions | undefined,
    recover: boolean,
    tries: Tries | undefined,
  ): Promise<T> {
    // First: a connection that closed a moment ago is noticed here, which tells whether the
    // command belongs to a transaction block that died with it.
    const ready = this.#ready();
    if (this.#broken !== undefined) {
      const refusal = this.#transactionRefusal(command);
      if (refusal !== undefined) return refusal as Promise<T>;
    }
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const own = options?.retryOnLoss === undefined ? options : withoutRetryOnLoss(options);
    if (ready) return this.#sendOn<T>(this.#conn, command, args, own, options, recover, tries);
    const send = (conn: RedisConnection): Promise<unknown> =>
      this.#sendOn(conn, command, args, own, options, recover, tries);
    return this.#wait(command, args, send, own) as Promise<T>;
  }

  /**
   * Writes a command on `conn` (now, or as the queue drains) with the connection's own options
   * `own`; with `recover`, a failure that proves it did not run goes to #recover.
   */
  #sendOn<T>(
    conn: RedisConnection,
    command: string,
    args: Arg[],
    own: ExecuteOptions | undefined,
    options: LinkExecuteOptions | undefined,
    recover: boolean,
    tries: Tries | undefined,
  ): Promise<T> {
    if (command.length === 4 && command.toUpperCase() === 'QUIT') this.#closing = true;
    const sent =
      own === undefined
        ? conn.execute<T>(command, ...args)
        : conn.executeWith<T>(own, command, ...args);
    if (!recover || !mayResend(conn, command)) return sent;
    return sent.then(undefined, (err: unknown) =>
      this.#recover<T>(err, command, args, options, tries),
    );
  }

  /**
   * What a failed command gets: sent again when the failure proves it did not run — written to no
   * socket (`maybeExecuted: false`: it is a queued command like any other), or a reply such as
   * LOADING (fate.ts), with backoff, within its deadline (its `timeout`, else `offlineTimeout`) —
   * or once more after a loss when the call opted in with `retryOnLoss`. Otherwise the failure.
   */
  #recover<T>(
    err: unknown,
    command: string,
    args: Arg[],
    options: LinkExecuteOptions | undefined,
    tries: Tries | undefined,
  ): Promise<T> {
    if (
      err instanceof ConnectionLostError &&
      err.maybeExecuted &&
      options?.retryOnLoss === true &&
      tries?.resent !== true
    ) {
      debug('%s: %s resent once after a loss (retryOnLoss)', this.#config.label, command);
      return this.#send(command, args, options, true, { ...(tries ?? FIRST), resent: true });
    }
    return retryIfNotRun(err, command, tries, options, this.#config, (again, next) =>
      this.#send<T>(command, args, again, true, next),
    );
  }

  executePubsub(
    command: string,
    ...channels: Array<string | Buffer | Channel>
  ): Promise<PubsubReply[]> {
    return this.#stateful(command, (conn) => conn.executePubsub(command, ...channels));
  }

  select(db: number): Promise<'OK'> {
    return this.#stateful('SELECT', (conn) => conn.select(db));
  }

  auth(password: string, username?: string): Promise<'OK'> {
    return this.#stateful('AUTH', (conn) => conn.auth(password, username)).then((ok) => {
      this.#auth = { password, username };
      return ok;
    });
  }

  /**
   * Sends a command that changes the connection's state through its own method (`send`), on the
   * current connection or the next one; sent again when the connection it went to was lost before
   * writing it.
   */
  #stateful<T>(command: string, send: (conn: RedisConnection) => Promise<T>): Promise<T> {
    const again = (sent: Promise<T>): Promise<T> =>
      sent.then(undefined, (err: unknown) =>
        err instanceof ConnectionLostError && !err.maybeExecuted
          ? this.#stateful(command, send)
          : Promise.reject(err),
      );
    if (this.#ready()) return again(send(this.#conn));
    return this.#wait(command, [], (conn) => again(send(conn))) as Promise<T>;
  }

  /** @internal The connection commands go to now (a closed one while reconnecting). */
  get current(): RedisConnection {
    return this.#conn;
  }

  /** Closes for good: no more reconnects; pending and queued commands reject. Synchronous. */
  close(): void {
    if (this.#state === 'closed') return;
    const ready = this.#state === 'ready';
    this.#conn.close();
    // One reason, told once: the one the connection's pending commands got (unless it was lost).
    this.#finish(
      ready
        ? (this.#conn.closeReason ?? new ConnectionForcedCloseError())
        : new ConnectionForcedCloseError(),
    );
  }

  /** Resolves once closed for good and the last connection's socket is gone. */
  async waitClosed(): Promise<void> {
    await this.#closed;
    await this.#conn.waitClosed();
  }

  /** What a command gets while its transaction block died with a lost connection (see broken.ts). */
  #transactionRefusal(command: string): Promise<unknown> | undefined {
    const { broken, refusal } = refuseBroken(this.#broken, command);
    this.#broken = broken;
    return refusal;
  }

  /**
   * Queues a command for the next connection, within the queue's bounds, or refuses it. It waits at
   * most `offlineTimeout`, or the call's own `timeout` if shorter, and leaves the queue at once
   * when the call's `signal` aborts: either way it was never sent.
   */
  #wait(
    command: string,
    args: readonly unknown[],
    send: Waiting,
    options?: ExecuteOptions,
  ): Promise<unknown> {
    if (this.#state === 'closed') {
      return Promise.reject(
        new ConnectionClosedError(`Connection to ${this.#config.label} is closed`, {
          cause: this.#closeError,
        }),
      );
    }
    const accepted = this.#queue.accepted;
    // Held behind a health PING, a command would otherwise be in the socket's buffer: that wait
    // lasts one round trip (healthCheckTimeout at most) and is not refused for the queue's size.
    const bounded = this.#state !== 'ready' || !this.#held;
    const waiting = this.#queue.push(command, args, send, options, bounded);
    // A batch learns synchronously (through [kSent]) whether the command was accepted.
    if (this.#queue.accepted !== accepted) this.#sentBefore++;
    return waiting;
  }

  /**
   * Whether commands go straight to the current connection. A connection knows it is closed
   * (synchronously) before its socket's 'close' event tells the Link, so a command sent in between
   * starts the reconnect itself and waits for it, instead of failing on a dead connection.
   */
  #ready(): boolean {
    if (this.#state !== 'ready') return false;
    const conn = this.#conn;
    if (conn.closed) {
      this.#lose(conn, this.#epoch);
      return false;
    }
    if (this.#held) return false;
    if (conn.probing && this.#config.offlineQueue) {
      this.#held = true;
      return false;
    }
    return true;
  }

  /** Follows `conn` of `epoch` until it closes; sends what its health PING held back once answered. */
  #watch(conn: RedisConnection, epoch: number): void {
    conn[kKeepSubscriptions] = this.#config.resubscribe;
    conn[kProbeAnswered] = () => {
      if (epoch !== this.#epoch || !this.#held || this.#state !== 'ready') return;
      this.#held = false;
      this.#flush(conn);
    };
    void conn.waitClosed().then(() => this.#lose(conn, epoch));
  }

  /** `conn` of `epoch` closed: reconnect, or close for good. Once per connection; a late event of an older one does nothing. */
  #lose(conn: RedisConnection, epoch: number): void {
    if (epoch !== this.#epoch || this.#state !== 'ready') return;
    const cause = conn.closeReason ?? new ConnectionClosedError('Connection closed');
    // close() of the client settles everything before its connection's end is heard: a connection
    // closed by anything else (an unblock that could not be sent…) is a loss like any other.
    if (this.#closing) {
      this.#finish(cause);
      return;
    }
    this.#db = conn.db;
    this.#broken = conn.blockAtClose;
    this.#held = false;
    // Kept from the first loss until a connection resubscribed them (a failed attempt keeps them).
    this.#orphans ??= conn.orphans;
    publish(onLost, {
      address: this.#config.label,
      epoch,
      written: conn.pendingAtClose,
      queued: this.#queue.length,
      cause,
    } satisfies LostEvent);
    debug('%s: lost (%s); reconnecting', this.#config.label, cause.message);
    this.#state = 'reconnecting';
    void this.#reconnect(cause);
  }

  /** Tries again and again, with backoff, until a connection is ready, the policy gives up, or close(). */
  async #reconnect(cause: Error): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const stop = await backoffPause(
        this.#config.backoff,
        this.#config.label,
        attempt,
        cause,
        (wake) => {
          this.#wake = wake;
        },
      );
      if (stop !== undefined) return this.#finish(stop);
      if (this.closed) return;
      let conn: RedisConnection;
      try {
        conn = await this.#open({ db: this.#db, auth: this.#auth });
      } catch (err) {
        // A wrong password or a missing permission will not heal by retrying: stop (no storm).
        if (err instanceof AuthError || err instanceof NoPermError) return this.#finish(err);
        cause = err as Error;
        continue;
      }
      // close() may have been called while the connection was opening.
      if (this.closed) {
        conn.close();
        return;
      }
      const orphans = this.#orphans;
      if (orphans !== undefined) {
        conn[kKeepSubscriptions] = true;
        try {
          await resubscribe(conn, orphans, this.#epoch + 1);
        } catch (err) {
          cause = err as Error;
          conn.close();
          continue;
        }
        if (this.closed) {
          conn.close();
          return;
        }
        this.#orphans = undefined;
      }
      return this.#adopt(conn);
    }
  }

  /** Makes `conn` the current connection and sends it everything that waited, in order. */
  #adopt(conn: RedisConnection): void {
    this.#sentBefore += this.#conn[kSent];
    this.#conn = conn;
    this.#epoch++;
    this.#state = 'ready';
    this.#watch(conn, this.#epoch);
    debug('%s: ready (epoch %d, %d queued)', this.#config.label, this.#epoch, this.#queue.length);
    publish(onReady, { address: this.#config.label, epoch: this.#epoch } satisfies ReadyEvent);
    this.#held = false;
    this.#flush(conn);
  }

  /** Sends `conn` everything that waited, in order. */
  #flush(conn: RedisConnection): void {
    this.#queue.drain(conn);
  }

  /** Closed for good: every queued command rejects with a ConnectionLostError that never ran. */
  #finish(cause: Error): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#closeError = cause;
    this.#wake?.();
    this.#queue.rejectAll(cause);
    if (this.#orphans !== undefined) closeOrphans(this.#orphans, cause);
    this.#orphans = undefined;
    this.#resolveClosed();
  }
}
