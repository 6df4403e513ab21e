/**
 * Which failed commands a Link sends again on its own, and how far along a command's resends are.
 * The rule itself (what proves a command did not run) is fate.ts's.
 *
 * @module
 */
import createDebug from 'debug';
import type { ExecuteOptions, RedisConnection } from '../connection';
import { ConnectionLostError, ReplyError } from '../errors';
import { type Backoff, nextDelay } from './backoff';
import { type Retrier, retryableReply } from './fate';

const debug = createDebug('redmux:link');

/** Options of {@link Link.executeWith}: a connection's, and whether a lost command may be resent once. */
export type LinkExecuteOptions = ExecuteOptions & { retryOnLoss?: boolean };

/** Where the resends of one command are (see Link's #recover). */
export interface Tries {
  /** Resends after replies that proved it did not run, so far. */
  readonly attempt: number;
  /** performance.now() of the first such reply: the deadline counts from there. */
  readonly since: number;
  /** Sent once more after a loss (retryOnLoss): never twice. */
  readonly resent: boolean;
}

export const FIRST: Tries = { attempt: 0, since: 0, resent: false };

/** Commands never resent automatically: a transaction's, whose state died with the connection. */
const OWN_STATE: ReadonlySet<string> = new Set(['MULTI', 'EXEC', 'DISCARD', 'WATCH', 'UNWATCH']);

/**
 * Whether a command sent on `conn` may be sent again when a failure proves it did not run: not
 * inside a transaction or under WATCH, whose state the next connection would not have.
 */
export function mayResend(conn: RedisConnection, command: string): boolean {
  if (conn.inTransaction || conn.watching) return false;
  return command.length > 7 || command.length < 4 || !OWN_STATE.has(command.toUpperCase());
}

/** `options` without `retryOnLoss`, which the connection does not know. */
export function withoutRetryOnLoss(options: LinkExecuteOptions): ExecuteOptions {
  const rest: LinkExecuteOptions = { ...options };
  delete rest.retryOnLoss;
  return rest;
}

/** What {@link retryLater} needs of a reconnecting client's settings (a LinkConfig has them). */
export interface RetrySettings {
  readonly backoff: Backoff;
  /** The deadline of a call without its own `timeout`, ms. */
  readonly offlineTimeout: number;
  /** The server, for logs. */
  readonly label: string;
}

/**
 * What a command refused with a reply that proves it did not run (LOADING…, see fate.ts) gets:
 * sent again through `again` after the backoff's next delay, within its deadline (its `timeout`,
 * else `offlineTimeout`, counted from the first such reply), with what is left of its timeout;
 * `err` itself once the policy gives up or the deadline would pass. The Link and a reconnecting
 * pool both retry through here.
 */
export function retryLater<T, O extends ExecuteOptions>(
  err: ReplyError,
  command: string,
  tries: Tries | undefined,
  options: O | undefined,
  settings: RetrySettings,
  again: (options: O | undefined, next: Tries) => Promise<T>,
): Promise<T> {
  const since = tries !== undefined && tries.attempt > 0 ? tries.since : performance.now();
  const attempt = tries?.attempt ?? 0;
  const own = options?.timeout;
  const budget = own !== undefined && own !== Infinity ? own : settings.offlineTimeout;
  let delay: number | false;
  try {
    delay = nextDelay(settings.backoff, attempt, err);
  } catch {
    delay = false;
  }
  const left = since + budget - performance.now();
  if (delay === false || delay >= left) return Promise.reject(err);
  debug('%s: %s got %s; again in %d ms', settings.label, command, err.code, delay);
  const next: Tries = { attempt: attempt + 1, since, resent: tries?.resent ?? false };
  return new Promise<void>((resolve) => setTimeout(resolve, delay)).then(() => {
    // A late timer may have eaten the rest: the connection's own deadline then fires at once.
    const remaining = Math.max(1, since + budget - performance.now());
    const timed =
      own !== undefined && own !== Infinity ? { ...(options as O), timeout: remaining } : options;
    return again(timed, next);
  });
}

/**
 * What a failed command gets when the failure proves it did not run: lost with its connection
 * before it was written (`maybeExecuted: false`), it is sent again through `again` as a new
 * command; refused with a reply that proves it (fate.ts, for a client of kind `settings.retrier`),
 * it is sent again with backoff within its deadline (see {@link retryLater}). Any other failure is
 * the caller's. Used by the Link and by a reconnecting pool's shared commands.
 */
export function retryIfNotRun<T, O extends ExecuteOptions>(
  err: unknown,
  command: string,
  tries: Tries | undefined,
  options: O | undefined,
  settings: RetrySettings & { readonly retrier: Retrier },
  again: (options: O | undefined, tries: Tries | undefined) => Promise<T>,
): Promise<T> {
  if (err instanceof ConnectionLostError) {
    return err.maybeExecuted ? Promise.reject(err) : again(options, tries);
  }
  if (!(err instanceof ReplyError) || !retryableReply(err.message, settings.retrier)) {
    return Promise.reject(err);
  }
  return retryLater(err, command, tries, options, settings, again);
}
