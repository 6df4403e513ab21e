/**
 * What a reconnecting client (a Link, a pool) publishes on `node:diagnostics_channel` as it loses,
 * retries and regains its connection: the payloads, never with credentials or values, and the one
 * way to publish them (nothing is built when nobody listens).
 *
 * @module
 */
import diagnostics from 'node:diagnostics_channel';
import { type Backoff, nextDelay } from './backoff';

/** `redmux:reconnecting`: the Link will try again after `delay` ms. */
export interface ReconnectingEvent {
  /** The server, as `'host:port'` or `'unix:/path'` (never credentials). */
  readonly address: string;
  /** 0 for the first attempt after a loss, then one more for each failed attempt. */
  readonly attempt: number;
  /** Milliseconds until the attempt. */
  readonly delay: number;
  /** Why: the loss, or the last attempt's failure. */
  readonly cause: Error;
}

/** `redmux:ready`: a connection is ready. */
export interface ReadyEvent {
  /** The server, as `'host:port'` or `'unix:/path'`. */
  readonly address: string;
  /** How many connections the client has made: 1 for the first, one more per reconnect. */
  readonly epoch: number;
}

/** `redmux:lost`: the connection of `epoch` was lost. */
export interface LostEvent {
  /** The server, as `'host:port'` or `'unix:/path'`. */
  readonly address: string;
  /** The epoch of the connection that was lost. */
  readonly epoch: number;
  /** Commands that were pending on it: each rejected with ConnectionLostError (see its `maybeExecuted`). */
  readonly written: number;
  /** Commands waiting, unsent, for the next connection. */
  readonly queued: number;
  /** What ended the connection. */
  readonly cause: Error;
}

/** @internal */
export const onReconnecting = diagnostics.channel('redmux:reconnecting');
/** @internal */
export const onReady = diagnostics.channel('redmux:ready');
/** @internal */
export const onLost = diagnostics.channel('redmux:lost');

/** @internal */
export /** Publishes on a diagnostics channel only when someone listens (no object built otherwise). */
function publish(channel: diagnostics.Channel, message: object): void {
  if (channel.hasSubscribers) channel.publish(message);
}

/**
 * @internal The wait before reconnect attempt `attempt` (0 for the first after a loss): the
 * backoff's delay, announced on `redmux:reconnecting`. Resolves with why to stop instead (the
 * policy gave up: `cause`, or what its delay() threw), else undefined once the delay passed or
 * `setWake`'s function was called (close() ends the wait early).
 */
export async function backoffPause(
  backoff: Backoff,
  label: string,
  attempt: number,
  cause: Error,
  setWake: (wake: (() => void) | undefined) => void,
): Promise<Error | undefined> {
  let delay: number | false;
  try {
    delay = nextDelay(backoff, attempt, cause);
  } catch (err) {
    return err as Error; // a throwing delay() stops, as false does
  }
  if (delay === false) return cause;
  publish(onReconnecting, { address: label, attempt, delay, cause } satisfies ReconnectingEvent);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, delay);
    setWake(() => {
      clearTimeout(timer);
      resolve();
    });
  });
  setWake(undefined);
  return undefined;
}
