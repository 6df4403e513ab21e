/**
 * What a pool is told: the options of {@link createPool} and of `acquire()`, their known keys and
 * their checks, and the deadline arithmetic of a command that first waits for a connection. Pure.
 *
 * @module
 */
import { armDeadline } from './deadline';
import type { ExecuteOptions } from './connection';
import { CONNECTION_OPTION_KEYS, type ConnectionOptions, keySet } from './options';
import { optionsError } from './strict';
import {
  checkReconnecting,
  type Reconnecting,
  RECONNECTING_OPTION_KEYS,
  type ReconnectingOptions,
} from './link/options';

/**
 * Options of {@link createPool}: the pool's size, every {@link ConnectionOptions} field, and how
 * it stays connected ({@link ReconnectingOptions}: with `reconnect`, a pool that cannot open a
 * connection probes the server with backoff, one connect at a time, while commands and
 * `acquire()` calls wait in a queue bounded by `maxQueued`, `maxQueuedBytes` and `offlineTimeout`).
 */
export interface PoolOptions extends ConnectionOptions, ReconnectingOptions {
  /** Connections opened (and checked with PING) before createPool resolves. Integer ≥ 0. Default 1. */
  minsize?: number;
  /** The most connections open at once, the pub/sub one included. Integer ≥ 1. Default 10. */
  maxsize?: number;
}

/** Options of {@link ConnectionsPool.acquire}. */
export interface AcquireOptions {
  /**
   * Give up with TimeoutError after this many milliseconds. A number greater than 0 (`Infinity`:
   * no deadline). Default: wait as long as it takes; but on a pool with `reconnect`, a call made
   * while the pool is reconnecting waits at most `offlineTimeout` for the server to come back.
   */
  timeout?: number;
  /** Give up with the signal's reason when it aborts. Default: none. */
  signal?: AbortSignal;
}

/** The keys of {@link PoolOptions}; one entry per key, or this does not compile. */
const POOL_OPTION_KEYS: Readonly<Record<keyof PoolOptions, true>> = {
  ...CONNECTION_OPTION_KEYS,
  ...RECONNECTING_OPTION_KEYS,
  minsize: true,
  maxsize: true,
};
const POOL_KEYS = keySet(POOL_OPTION_KEYS);

/** The keys of {@link AcquireOptions}; one entry per key, or this does not compile. */
const ACQUIRE_OPTION_KEYS: Readonly<Record<keyof AcquireOptions, true>> = {
  timeout: true,
  signal: true,
};
const ACQUIRE_KEYS = keySet(ACQUIRE_OPTION_KEYS);

/**
 * A pool's options, checked: its sizes, what each of its connections is opened with, and how it
 * reconnects (`reconnecting.backoff` undefined: it does not).
 */
export interface CheckedPoolOptions {
  minsize: number;
  maxsize: number;
  connection: ConnectionOptions;
  reconnecting: Reconnecting;
}

/**
 * Checks the options of a pool (`where` names the call: `'createPool()'`, `'createRedisPool()'`).
 * @throws TypeError for options that are not a plain object, an unknown key (naming the closest
 *   known one) or a size that is not an integer; RangeError for sizes out of range.
 */
export function checkPoolOptions(where: string, options: unknown): CheckedPoolOptions {
  const refusal = optionsError(where, options, POOL_KEYS);
  if (refusal !== undefined) throw refusal;
  const {
    minsize = 1,
    maxsize = 10,
    reconnect,
    maxQueued,
    maxQueuedBytes,
    offlineTimeout,
    offlineQueue,
    ...connection
  } = (options ?? {}) as PoolOptions;
  const reconnecting = checkReconnecting(where, {
    reconnect,
    maxQueued,
    maxQueuedBytes,
    offlineTimeout,
    offlineQueue,
  });
  for (const [name, value] of [
    ['minsize', minsize],
    ['maxsize', maxsize],
  ] as const) {
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw new TypeError(`${where} option '${name}' must be an integer`);
    }
  }
  if (minsize < 0) throw new RangeError(`${where} option 'minsize' must be at least 0`);
  if (maxsize < 1) throw new RangeError(`${where} option 'maxsize' must be at least 1`);
  if (minsize > maxsize) {
    throw new RangeError(`${where} option 'minsize' must not exceed maxsize`);
  }
  return { minsize, maxsize, connection, reconnecting };
}

/** Why `options` cannot be {@link AcquireOptions}, or undefined when they can. */
export function acquireOptionsError(options: unknown): Error | undefined {
  const refusal = optionsError('acquire()', options, ACQUIRE_KEYS);
  if (refusal !== undefined) return refusal;
  const { timeout, signal } = (options ?? {}) as AcquireOptions;
  if (timeout !== undefined && !(typeof timeout === 'number' && timeout > 0)) {
    return new RangeError("acquire() option 'timeout' must be a positive number of milliseconds");
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    return new TypeError("acquire() option 'signal' must be an AbortSignal");
  }
  return undefined;
}

/** When a command's `timeout` runs out, in epoch milliseconds. */
export function deadlineOf(options: ExecuteOptions | undefined): number | undefined {
  const timeout = finite(options?.timeout);
  return timeout === undefined ? undefined : Date.now() + timeout;
}

/** A timeout for a timer: `Infinity` (no deadline) as undefined. */
export function finite(timeout: number | undefined): number | undefined {
  return timeout === Infinity ? undefined : timeout;
}

/** The options with what is left of the timeout once the wait for a connection is over. */
export function remainingOf(
  options: ExecuteOptions | undefined,
  deadline: number | undefined,
): ExecuteOptions | undefined {
  if (options === undefined || deadline === undefined) return options;
  return { ...options, timeout: Math.max(1, deadline - Date.now()) };
}

/** `promise`, unless the options' timeout passes or signal aborts first. */
export function withinDeadline<T>(
  promise: Promise<T>,
  options: ExecuteOptions | undefined,
  what: string,
): Promise<T> {
  const timeout = finite(options?.timeout);
  const signal = options?.signal;
  if (timeout === undefined && signal === undefined) return promise;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const disarm = armDeadline(timeout, signal, `timed out after ${timeout} ms ${what}`, reject);
    promise.then(
      (value) => {
        disarm();
        resolve(value);
      },
      (err: unknown) => {
        disarm();
        reject(err);
      },
    );
  });
}
