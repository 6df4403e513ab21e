/**
 * Aborting a blocking command without losing what it took. A BLPOP whose caller gave up is still
 * blocked on the server, and an element pushed a moment later is popped into its reply; dropping
 * that reply (what a cancelled ordinary command does) would lose the element (valkey-glide #6794).
 * So a written blocking command that is aborted, or whose deadline passes, is unblocked from
 * another connection with `CLIENT UNBLOCK <id> TIMEOUT`, and its caller's promise stays open until
 * the command's own reply says what happened: nil (unblocked) rejects with the abort reason, a
 * value (the pop won the race) resolves with it.
 *
 * @module
 */
import createDebug from 'debug';
import { armDeadline } from './deadline';
import { ConnectionLostError, TimeoutError } from './errors';
import type { Arg } from './protocol/encoder';
import type { Reply } from './protocol/reader';

const debug = createDebug('redmux:unblock');

/** What sending CLIENT ID / CLIENT UNBLOCK and giving up on a connection need (a RedisConnection). */
export interface Unblockable {
  execute<T = Reply>(command: string, ...args: Arg[]): Promise<T>;
  executeWith<T = Reply>(
    options: { timeout?: number },
    command: string,
    ...args: Arg[]
  ): Promise<T>;
  close(): void;
}

/** A connection to send CLIENT UNBLOCK from, and whether it was opened for that alone (closed after). */
export interface Helper {
  conn: Unblockable;
  shortLived: boolean;
}

/**
 * Finds or opens a {@link Helper} within `timeout` milliseconds: a pool's other connection (never
 * `blocked`, where CLIENT UNBLOCK would wait behind the command itself), or a short-lived one
 * opened with the blocked connection's options.
 */
export type HelperSource = (timeout: number, blocked: Unblockable) => Promise<Helper>;

/**
 * @internal The {@link HelperSource} of a connection. openConnection sets one (a short-lived
 * connection like itself); a pool replaces it with one that prefers the pool's free connections.
 */
export const kHelperSource: unique symbol = Symbol('redmux.helperSource');

/** How long opening a helper and one CLIENT UNBLOCK round trip may take without a connect timeout. */
export const DEFAULT_UNBLOCK_BUDGET = 5000;

/** Longest pause between two CLIENT UNBLOCK tries when the command was not blocked yet (ms). */
const MAX_PAUSE = 100;

/** Commands whose reply after an unblock is a count, not something taken: they reject whatever it is. */
const TAKES_NOTHING: ReadonlySet<string> = new Set(['WAIT', 'WAITAOF']);

/**
 * Each connection's CLIENT ID, asked once, pipelined just before its first abortable blocking
 * command: no round trip of its own, nothing added to the handshake of connections that never
 * block, and it is answered before the command blocks the connection.
 */
const ids = new WeakMap<Unblockable, Promise<Reply>>();

function clientId(conn: Unblockable): Promise<Reply> {
  let id = ids.get(conn);
  if (id === undefined) {
    // No deadline: the client-wide commandTimeout must not cost a busy connection its id.
    const asked = conn.executeWith({ timeout: Infinity }, 'CLIENT', 'ID');
    // A refusal (ACL, pub/sub mode) is asked again next time; an abort meanwhile cannot unblock.
    asked.catch(() => {
      if (ids.get(conn) === asked) ids.delete(conn);
    });
    ids.set(conn, (id = asked));
  }
  return id;
}

/** What {@link executeAbortable} must wait for before it settles: a CLIENT UNBLOCK not answered yet. */
interface Flight {
  sent: Promise<unknown> | undefined;
}

function done(): void {}

/** Whether a blocking call with these options can be aborted or time out client-side. */
export function hasDeadline(options: { signal?: AbortSignal; timeout?: number }): boolean {
  const { signal, timeout } = options;
  return signal !== undefined || (timeout !== undefined && timeout !== Infinity);
}

/**
 * Sends a blocking command through `send` (which writes it with no deadline of its own) and
 * settles with its own reply. When `signal` aborts or `timeout` ms pass first, the command is
 * unblocked from a helper connection and the promise waits for that reply: nil (and any reply of
 * WAIT/WAITAOF) rejects with the signal's reason or a TimeoutError, a value resolves, an error
 * reply rejects with it. If the unblock cannot be sent within `budget` ms, `conn` is closed and the
 * promise rejects with a ConnectionLostError whose `maybeExecuted` is true.
 */
export function executeAbortable<T>(
  conn: Unblockable,
  upper: string,
  send: () => Promise<T>,
  options: { signal?: AbortSignal; timeout?: number },
  helpers: HelperSource,
  budget: number,
): Promise<T> {
  const id = clientId(conn);
  const reply = send();
  return new Promise<T>((resolve, reject) => {
    /** Why the caller gave up, once it did. */
    let reason: Error | undefined;
    /** The CLIENT UNBLOCK on its way to the server, if one is. */
    const flight: Flight = { sent: undefined };
    let replied = false;
    let lost = false;
    const { signal } = options;
    const timeout = options.timeout === Infinity ? undefined : options.timeout;
    const disarm = armDeadline(timeout, signal, `${upper} timed out after ${timeout} ms`, (err) => {
      reason = err;
      debug('%s given up (%s): unblocking it', upper, err.name);
      void unblock(conn, id, () => replied, reply, helpers, budget, flight).catch(
        (cause: unknown) => {
          if (replied) return; // the reply came anyway: it tells the truth
          lost = true;
          debug('%s could not be unblocked: closing its connection', upper);
          reject(
            new ConnectionLostError(
              `${upper} could not be unblocked after it was given up; its connection was closed ` +
                'and it may have taken something',
              true,
              { cause },
            ),
          );
          conn.close();
        },
      );
    });
    const settle = (outcome: () => void): void => {
      replied = true;
      disarm();
      if (lost) return;
      // A CLIENT UNBLOCK still on its way could hit the next blocking command sent on this
      // connection (a pool lends it out again once this settles): wait until it was answered.
      const sent = flight.sent;
      if (sent === undefined) outcome();
      else void sent.then(done, done).then(() => lost || outcome());
    };
    reply.then(
      (value) =>
        settle(() => {
          if (reason !== undefined && (value === null || TAKES_NOTHING.has(upper))) reject(reason);
          else resolve(value);
        }),
      (err: unknown) => settle(() => reject(err as Error)),
    );
  });
}

/**
 * Sends CLIENT UNBLOCK for `conn` (its client `id`) from a helper until the server says it
 * unblocked it or the command's reply came. Rejects when that cannot be done: no CLIENT ID, no helper or no answer
 * within `budget` ms, or the server refused.
 */
async function unblock(
  conn: Unblockable,
  id: Promise<Reply>,
  replied: () => boolean,
  reply: Promise<unknown>,
  helpers: HelperSource,
  budget: number,
  flight: Flight,
): Promise<void> {
  // Waiting for the id is waiting on the blocked connection itself (it comes before the command).
  const target = String(await id);
  if (replied()) return;
  const helper = await helperWithin(() => helpers(budget, conn), budget);
  const answered = reply.then(
    () => undefined,
    () => undefined,
  );
  try {
    for (let pause = 1; !replied(); pause = Math.min(2 * pause, MAX_PAUSE)) {
      const sent = helper.conn.executeWith(
        { timeout: budget },
        'CLIENT',
        'UNBLOCK',
        target,
        'TIMEOUT',
      );
      flight.sent = sent;
      const unblocked = await sent;
      flight.sent = undefined;
      if (unblocked === 1) return;
      // 0: the reply is on its way, or the command has not blocked yet (still travelling, or
      // queued behind earlier commands of its connection): try again until one of the two.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([answered, new Promise((wake) => (timer = setTimeout(wake, pause)))]);
      clearTimeout(timer);
    }
  } finally {
    if (helper.shortLived) helper.conn.close();
  }
}

/** A helper from `find`, or a TimeoutError after `ms` (a short-lived one that comes later is closed). */
function helperWithin(find: () => Promise<Helper>, ms: number): Promise<Helper> {
  return new Promise((resolve, reject) => {
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      reject(new TimeoutError(`No connection to send CLIENT UNBLOCK from within ${ms} ms`));
    }, ms);
    find().then(
      (helper) => {
        clearTimeout(timer);
        if (!late) resolve(helper);
        else if (helper.shortLived) helper.conn.close();
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err as Error);
      },
    );
  });
}
