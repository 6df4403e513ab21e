/**
 * Which failed commands a Link sends again on its own, and how far along a command's resends are.
 * The rule itself (what proves a command did not run) is fate.ts's.
 *
 * @module
 */
import type { ExecuteOptions, RedisConnection } from '../connection';

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
