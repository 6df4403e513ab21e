/**
 * Reconnect delays: exponential backoff with full jitter, `random(0, min(cap, base·2^attempt))`.
 * The first attempt (0) already waits `random(0, base)`, so a thousand clients that lost the same
 * server never reconnect in the same millisecond. Pure: the random source is a parameter.
 *
 * @module
 */

/** How a reconnecting client waits between attempts. Every field is optional. */
export interface ReconnectOptions {
  /** The first delay's upper bound, in milliseconds; it doubles each attempt. Default 100. */
  base?: number;
  /** The largest upper bound a delay can have, in milliseconds. Default 5000. */
  cap?: number;
  /** Give up after this many failed attempts in a row (an integer ≥ 0). Default: never. */
  maxAttempts?: number;
  /**
   * Replaces the jittered backoff: the delay before attempt `attempt` (0 for the first) after
   * `cause`, in milliseconds, or `false` to stop reconnecting. Default: the backoff above.
   */
  delay?: (attempt: number, cause: Error) => number | false;
}

/** {@link ReconnectOptions} checked, with defaults applied. */
export interface Backoff {
  readonly base: number;
  readonly cap: number;
  readonly maxAttempts: number;
  readonly delay: ((attempt: number, cause: Error) => number | false) | undefined;
}

export const DEFAULT_BACKOFF: Backoff = Object.freeze({
  base: 100,
  cap: 5000,
  maxAttempts: Infinity,
  delay: undefined,
});

const KEYS: Readonly<Record<keyof ReconnectOptions, true>> = {
  base: true,
  cap: true,
  maxAttempts: true,
  delay: true,
};

/** The option keys {@link ReconnectOptions} knows. */
export const RECONNECT_KEYS: ReadonlySet<string> = new Set(Object.keys(KEYS));

/**
 * Checks `options` (already known to be a plain object with known keys) and applies the defaults;
 * returns a TypeError or RangeError naming the field at fault.
 */
export function toBackoff(options: ReconnectOptions): Backoff | TypeError | RangeError {
  const { base = DEFAULT_BACKOFF.base, cap = DEFAULT_BACKOFF.cap, delay } = options;
  const maxAttempts = options.maxAttempts ?? Infinity;
  for (const [name, value] of [
    ['base', base],
    ['cap', cap],
  ] as const) {
    if (typeof value !== 'number' || Number.isNaN(value)) {
      return new TypeError(`reconnect.${name} must be a number of milliseconds`);
    }
    if (!(value >= 0 && Number.isFinite(value))) {
      return new RangeError(`reconnect.${name} must be a finite number ≥ 0`);
    }
  }
  if (maxAttempts !== Infinity && !Number.isSafeInteger(maxAttempts)) {
    return new TypeError('reconnect.maxAttempts must be an integer');
  }
  if (maxAttempts < 0) return new RangeError('reconnect.maxAttempts must be ≥ 0');
  if (delay !== undefined && typeof delay !== 'function') {
    return new TypeError('reconnect.delay must be a function');
  }
  return { base, cap, maxAttempts, delay };
}

/**
 * The delay in milliseconds before attempt `attempt` (0 for the first after a loss), or `false`
 * when the client should stop reconnecting. A user `delay` that returns anything but `false` or
 * a finite number ≥ 0 stops reconnecting too: a broken policy must not spin.
 */
export function nextDelay(
  backoff: Backoff,
  attempt: number,
  cause: Error,
  random: () => number = Math.random,
): number | false {
  if (attempt >= backoff.maxAttempts) return false;
  if (backoff.delay !== undefined) {
    const chosen = backoff.delay(attempt, cause);
    if (chosen === false) return false;
    return typeof chosen === 'number' && chosen >= 0 && Number.isFinite(chosen) ? chosen : false;
  }
  // 2^attempt overflows to Infinity long after it passed any cap; min() keeps the bound finite.
  const bound = Math.min(backoff.cap, backoff.base * 2 ** attempt);
  return Math.floor(random() * bound);
}
