/**
 * Who waits for a pool's connections: `acquire()` callers, each with its own deadline and signal
 * (and, while a pool with `reconnect` is reconnecting, a place in its bounded queue), and
 * `execute()` calls waiting for any connection to come back to the free list.
 *
 * @module
 */
import type { RedisConnection } from './connection';
import { armDeadline } from './deadline';
import type { PoolRecovery } from './pool-recovery';
import { finite } from './pool-options';

/** An acquire() waiting for a connection. Settled early (timeout, abort), it is skipped. */
export interface Waiter {
  resolve: (conn: RedisConnection) => void;
  /** Rejects once (later calls do nothing) and disarms the deadline. */
  reject: (error: Error) => void;
  done: boolean;
  cleanup: () => void;
  /** Its own deadline (epoch ms) and signal, which it keeps while it waits for a reconnect. */
  deadline: number | undefined;
  signal: AbortSignal | undefined;
}

/** A waiter for one acquire() settling `resolve`/`reject`, its `timeout` and `signal` armed. */
export function newWaiter(
  timeout: number | undefined,
  signal: AbortSignal | undefined,
  resolve: (conn: RedisConnection) => void,
  reject: (error: Error) => void,
): Waiter {
  const deadline = finite(timeout) === undefined ? undefined : Date.now() + (timeout as number);
  const waiter: Waiter = { resolve, reject, done: false, cleanup: () => {}, deadline, signal };
  waiter.reject = (error) => {
    if (waiter.done) return;
    waiter.done = true;
    waiter.cleanup();
    reject(error);
  };
  const message = `acquire timed out after ${timeout} ms`;
  waiter.cleanup = armDeadline(finite(timeout), signal, message, waiter.reject);
  return waiter;
}

/**
 * Queues an acquire() in a reconnecting pool's queue, keeping its own deadline and signal (bounded
 * by offlineTimeout too); a refusal or timeout of the queue rejects it. Once the pool is ready,
 * `requeue` puts it back among the pool's waiters, in the queue's order.
 */
export function parkWaiter(
  waiter: Waiter,
  recovery: PoolRecovery,
  requeue: (waiter: Waiter) => void,
): void {
  const { deadline, signal } = waiter;
  const timeout = deadline === undefined ? undefined : Math.max(1, deadline - Date.now());
  const send = (): Promise<void> => {
    if (!waiter.done) requeue(waiter);
    return Promise.resolve();
  };
  recovery.wait('acquire()', undefined, send, { timeout, signal }).catch(waiter.reject);
}

/** execute() calls waiting for any connection to come back to the free list. */
export class SharedWaiters {
  #waiting: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];

  get length(): number {
    return this.#waiting.length;
  }

  /** Resolves at the next wake(), or rejects with its error. */
  add(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
    });
  }

  /** Settles everyone waiting: resolved, or rejected with `error`. */
  wake(error?: Error): void {
    const waiting = this.#waiting;
    if (waiting.length === 0) return;
    this.#waiting = [];
    for (const waiter of waiting) {
      if (error === undefined) waiter.resolve();
      else waiter.reject(error);
    }
  }
}
