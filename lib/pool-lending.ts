/**
 * A pool's free list and what it lends out: which free connection a command is multiplexed onto
 * (the least loaded), which connection an acquire() gets and in what order the waiters are served,
 * and whether a connection given back may return to the free list.
 *
 * @module
 */
import createDebug from 'debug';
import Denque from 'denque';
import { type ExecuteOptions, kRelease, kSent, type RedisConnection } from './connection';
import { RedisError } from './errors';
import { type AcquireOptions, deadlineOf, remainingOf } from './pool-options';
import type { Arg } from './protocol/encoder';
import { SharedWaiters, type Waiter } from './pool-waiting';

const debug = createDebug('redmux:pool');

/** What the lending asks of its pool. */
export interface LendingHost {
  /** Whether the pool is closed (nothing is lent out or taken back then). */
  isClosed(): boolean;
  /** The pool's db: a connection given back on another one is closed. */
  db(): number;
  /** Whether another connection may be opened: the pool is below maxsize and ready. */
  mayGrow(): boolean;
  /** How many connections are being opened. */
  opening(): number;
  /** Opens a connection, which joins the free list once it is ready. */
  open(): Promise<RedisConnection>;
  /** Opens a connection if someone waits for one and there is room. */
  replenish(): void;
}

/** The free list of a pool, the connections it lent out, and who waits for one. */
export class PoolLending {
  readonly #host: LendingHost;
  /** Connections commands are multiplexed onto; also the ones acquire() takes first. */
  readonly free: RedisConnection[];
  /** Connections lent out by acquire(), with how many commands each had sent when lent. */
  readonly used = new Map<RedisConnection, number>();
  /** acquire() calls waiting for a connection, served in FIFO order. */
  readonly waiters = new Denque<Waiter>();
  /** execute() calls waiting for any connection to come back to the free list. */
  readonly sharedWaiters = new SharedWaiters();
  /**
   * With `reconnect`: execute() calls held while every free connection has a health PING out,
   * woken by a PONG, a connection closed or joining the free list, and close().
   */
  readonly held = new SharedWaiters();

  /** `free`: the pool's free list, which the lending shares with it. */
  constructor(free: RedisConnection[], host: LendingHost) {
    this.free = free;
    this.#host = host;
  }

  /** The free connection with the fewest commands in flight; closed ones are dropped on the way. */
  leastLoaded(): RedisConnection | undefined {
    let best: RedisConnection | undefined;
    for (const conn of this.free) {
      if (conn.closed) continue;
      if (best === undefined || conn.inFlight < best.inFlight) best = conn;
      if (best.inFlight === 0) break;
    }
    return best;
  }

  /**
   * The least loaded free connection with no health PING out (see RedisConnection.probing): a
   * command sent on one that has would be "maybe executed" if that PING finds the socket dead.
   */
  unprobed(): RedisConnection | undefined {
    let best: RedisConnection | undefined;
    for (const conn of this.free) {
      if (conn.closed || conn.probing) continue;
      if (best === undefined || conn.inFlight < best.inFlight) best = conn;
    }
    return best;
  }

  /** A free connection with nothing in flight, as its index in the free list; -1 if none. */
  idleIndex(): number {
    return this.free.findIndex((conn) => !conn.closed && conn.inFlight === 0);
  }

  /**
   * Takes a connection out of the free list: an idle one, else the least loaded (its in-flight
   * replies arrive first); undefined when the free list has no open connection.
   */
  take(): RedisConnection | undefined {
    const idle = this.idleIndex();
    const busy = idle === -1 ? this.leastLoaded() : undefined;
    const taken = idle !== -1 ? idle : busy === undefined ? -1 : this.free.indexOf(busy);
    return taken === -1 ? undefined : this.free.splice(taken, 1)[0];
  }

  /** Puts a connection in the free list, then serves whoever waits for one. */
  addFree(conn: RedisConnection): void {
    this.free.push(conn);
    this.serve();
    this.sharedWaiters.wake();
    this.held.wake();
  }

  /**
   * Resolves when a connection joins the free list (one is opened when there is room and none is
   * opening already); rejects when opening one fails or the pool closes.
   */
  anyFree(): Promise<void> {
    const waiting = this.sharedWaiters.add();
    this.#host.replenish();
    return waiting;
  }

  /** Hands connections to waiting acquire() calls, in FIFO order, while there are any to hand out. */
  serve(): void {
    while (!this.#host.isClosed()) {
      const waiter = this.waiters.peekFront();
      if (waiter === undefined) return;
      if (waiter.done) {
        this.waiters.shift();
        continue;
      }
      const conn = this.#takeForAcquire();
      if (conn === undefined) return;
      this.waiters.shift();
      // Commands other callers sent before the lend may still be in flight; only the borrower's count at release.
      this.used.set(conn, conn[kSent]);
      conn[kRelease] = () => this.release(conn);
      waiter.done = true;
      waiter.cleanup();
      waiter.resolve(conn);
    }
  }

  /**
   * A connection for an acquire(): an idle free one; else, with room, none yet (one is opened and
   * served when ready); else the least loaded free one (its in-flight replies arrive first).
   */
  #takeForAcquire(): RedisConnection | undefined {
    const idle = this.idleIndex();
    if (idle !== -1) return this.free.splice(idle, 1)[0];
    const host = this.#host;
    if (host.mayGrow()) {
      const live = this.waiters.toArray().filter((waiter) => !waiter.done).length;
      if (host.opening() < live) {
        host.open().catch((err: Error) => {
          // Nobody else will tell the first waiter why it is not getting a connection.
          for (const waiter of this.waiters.toArray()) {
            if (!waiter.done) return waiter.reject(err);
          }
        });
      }
      return undefined;
    }
    const busy = this.leastLoaded();
    if (busy !== undefined) this.free.splice(this.free.indexOf(busy), 1);
    return busy;
  }

  /** See `ConnectionsPool.release`. */
  release(conn: RedisConnection): Promise<void> {
    const sentWhenLent = this.used.get(conn);
    if (sentWhenLent === undefined) {
      return Promise.reject(
        new RedisError(
          'release() got a connection this pool did not lend out',
          'REDMUX_ERR_POOL_FOREIGN_CONNECTION',
        ),
      );
    }
    this.used.delete(conn);
    conn[kRelease] = undefined;
    const db = this.#host.db();
    const unfit = this.#host.isClosed()
      ? 'the pool is closed'
      : conn.closed
        ? 'it is closed'
        : conn.inTransaction
          ? 'it is in a transaction'
          : conn.inPubsub > 0
            ? 'it is subscribed'
            : Math.min(conn.inFlight, conn[kSent] - sentWhenLent) > 0
              ? 'replies to its own commands are pending'
              : conn.db !== db
                ? `it is on db ${conn.db}, the pool on db ${db}`
                : null;
    if (unfit === null) {
      // Keys left WATCHed would make the next borrower's EXEC fail: UNWATCH goes out before any of theirs.
      if (conn.watching) conn.execute('UNWATCH').catch(() => {});
      this.addFree(conn);
    } else {
      debug('closing a released connection: %s', unfit);
      conn.close();
      this.serve();
      this.#host.replenish();
    }
    return Promise.resolve();
  }

  /** Takes every waiting acquire() out of the line, handing each one still waiting to `park`. */
  parkAll(park: (waiter: Waiter) => void): void {
    for (let waiter = this.waiters.shift(); waiter !== undefined; waiter = this.waiters.shift()) {
      if (!waiter.done) park(waiter);
    }
  }

  /** The pool closed with `closed`: every waiting acquire() and execute() rejects with it. */
  close(closed: Error): void {
    for (let waiter = this.waiters.shift(); waiter !== undefined; waiter = this.waiters.shift()) {
      waiter.reject(closed);
    }
    this.sharedWaiters.wake(closed);
    this.held.wake(); // they find the pool closed
  }
}

/** The calls of a pool that `executeAlone` needs. */
export interface Lender {
  /** See `ConnectionsPool.acquire`. */
  acquire(options?: AcquireOptions): Promise<RedisConnection>;
  /** See `ConnectionsPool.release`. */
  release(conn: RedisConnection): Promise<void>;
}

/** Runs a blocking command on a connection acquired for it alone, given back once it settled. */
export async function executeAlone<T>(
  pool: Lender,
  options: ExecuteOptions | undefined,
  command: string,
  args: readonly Arg[],
): Promise<T> {
  const deadline = deadlineOf(options);
  const conn = await pool.acquire({ timeout: options?.timeout, signal: options?.signal });
  try {
    return await (options === undefined
      ? conn.execute<T>(command, ...args)
      : conn.executeWith<T>(remainingOf(options, deadline) as ExecuteOptions, command, ...args));
  } finally {
    await pool.release(conn);
  }
}
