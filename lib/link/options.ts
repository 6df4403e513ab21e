/**
 * The options of a reconnecting client ({@link ReconnectingOptions}), checked, with defaults, and
 * split from the connection options they come with. Pure: no I/O.
 *
 * @module
 */
import { CONNECTION_OPTION_KEYS, type ConnectionOptions, keySet } from '../options';
import { isPlainObject, optionsError } from '../strict';
import { type Backoff, RECONNECT_KEYS, type ReconnectOptions, toBackoff } from './backoff';

/** How a client stays connected. Every field is optional. */
export interface ReconnectingOptions {
  /**
   * Reconnect after the connection is lost: `true` for the default backoff (full jitter, base
   * 100 ms, cap 5 s, never give up), or its {@link ReconnectOptions}. The same default for
   * createRedis, createRedisPool and createPool: `false` for now, until resubscribing pub/sub is
   * in, and then it becomes `true`.
   */
  reconnect?: boolean | ReconnectOptions;
  /** At most this many commands wait, unsent, while reconnecting; more reject with QueueFullError. Default 10,000. */
  maxQueued?: number;
  /** At most this many bytes of commands wait while reconnecting. Default 16 MiB. */
  maxQueuedBytes?: number;
  /** Milliseconds a command waits for a reconnect before it rejects with TimeoutError (`maybeExecuted: false`). Default 5000. */
  offlineTimeout?: number;
  /** `false`: a command sent while reconnecting rejects at once (ConnectionLostError, `maybeExecuted: false`). Default `true`. */
  offlineQueue?: boolean;
  /**
   * After a reconnect, subscribe every Channel again (before any other command) and put a gap
   * marker in each one's stream. `false`: a lost connection closes its Channels, as without
   * reconnect. Default `true`.
   */
  resubscribe?: boolean;
}

/**
 * Whether createRedis, createRedisPool and createPool reconnect when `reconnect` is not given: the
 * one default they share.
 */
export const DEFAULT_RECONNECT: boolean | ReconnectOptions = true;

/** {@link ReconnectingOptions} checked and with defaults applied; `backoff` undefined: no reconnect. */
export interface Reconnecting {
  backoff: Backoff | undefined;
  maxQueued: number;
  maxQueuedBytes: number;
  offlineTimeout: number;
  offlineQueue: boolean;
  resubscribe: boolean;
}

/** The keys of {@link ReconnectingOptions}; one entry per key, or this does not compile. */
export const RECONNECTING_OPTION_KEYS: Readonly<Record<keyof ReconnectingOptions, true>> = {
  reconnect: true,
  maxQueued: true,
  maxQueuedBytes: true,
  offlineTimeout: true,
  offlineQueue: true,
  resubscribe: true,
};

const RECONNECTING_KEYS = keySet(RECONNECTING_OPTION_KEYS);
/** Every key createRedis takes. */
const REDIS_KEYS = keySet({ ...CONNECTION_OPTION_KEYS, ...RECONNECTING_OPTION_KEYS });

/**
 * Splits createRedis's options into the connection's and the reconnecting ones, checking both
 * sets of keys and every reconnecting value. Throws TypeError or RangeError naming the option.
 */
export function splitReconnecting(
  where: string,
  options: (ConnectionOptions & ReconnectingOptions) | undefined,
): { connection: ConnectionOptions | undefined; reconnecting: Reconnecting } {
  const refusal = optionsError(where, options, REDIS_KEYS);
  if (refusal !== undefined) throw refusal;
  const connection: Record<string, unknown> = {};
  const given: ReconnectingOptions = {};
  for (const [key, value] of Object.entries(options ?? {})) {
    if (RECONNECTING_KEYS.has(key)) (given as Record<string, unknown>)[key] = value;
    else connection[key] = value;
  }
  return {
    connection: options === undefined ? undefined : (connection as ConnectionOptions),
    reconnecting: checkReconnecting(where, given),
  };
}

/**
 * Checks the reconnecting options (`where` names the call in errors) and applies the defaults.
 * Throws TypeError or RangeError naming the option.
 */
export function checkReconnecting(where: string, given: ReconnectingOptions): Reconnecting {
  const { reconnect = DEFAULT_RECONNECT } = given;
  let backoff: Backoff | undefined;
  if (reconnect === true) backoff = toChecked(toBackoff({}));
  else if (isPlainObject(reconnect)) {
    const refusal = optionsError(`${where} reconnect`, reconnect, RECONNECT_KEYS);
    if (refusal !== undefined) throw refusal;
    backoff = toChecked(toBackoff(reconnect));
  } else if (reconnect !== false) {
    throw new TypeError(`${where} reconnect must be a boolean or an object of backoff options`);
  }
  const queueKeys = (
    ['maxQueued', 'maxQueuedBytes', 'offlineTimeout', 'offlineQueue', 'resubscribe'] as const
  ).filter((key) => given[key] !== undefined);
  if (backoff === undefined && queueKeys.length > 0) {
    // Without reconnecting nothing ever waits: the option would be silently ignored.
    throw new TypeError(`${where} ${queueKeys[0]} needs reconnect: there is no queue without it`);
  }
  const { maxQueued = 10_000, maxQueuedBytes = 16 * 1024 * 1024, offlineTimeout = 5000 } = given;
  const offlineQueue = given.offlineQueue ?? true;
  for (const [name, value] of [
    ['maxQueued', maxQueued],
    ['maxQueuedBytes', maxQueuedBytes],
  ] as const) {
    if (!Number.isSafeInteger(value)) throw new TypeError(`${where} ${name} must be an integer`);
    if (value < 0) throw new RangeError(`${where} ${name} must be ≥ 0`);
  }
  if (typeof offlineTimeout !== 'number' || Number.isNaN(offlineTimeout)) {
    throw new TypeError(`${where} offlineTimeout must be a number of milliseconds`);
  }
  if (!(offlineTimeout > 0 && Number.isFinite(offlineTimeout))) {
    throw new RangeError(`${where} offlineTimeout must be a finite number > 0`);
  }
  if (typeof offlineQueue !== 'boolean') {
    throw new TypeError(`${where} offlineQueue must be a boolean`);
  }
  const resubscribe = given.resubscribe ?? true;
  if (typeof resubscribe !== 'boolean') {
    throw new TypeError(`${where} resubscribe must be a boolean`);
  }
  return { backoff, maxQueued, maxQueuedBytes, offlineTimeout, offlineQueue, resubscribe };
}

function toChecked(backoff: Backoff | TypeError | RangeError): Backoff {
  if (backoff instanceof Error) throw backoff;
  return backoff;
}
