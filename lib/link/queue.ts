/**
 * The bounded queue of work that waits, unsent, for a connection while a client reconnects: a
 * Link's commands, a pool's commands and its `acquire()` callers. It is bounded in count
 * (`maxQueued`), bytes (`maxQueuedBytes`, the encoded size of each command) and time
 * (`offlineTimeout`, or the call's own shorter `timeout`); a call's `signal` takes its entry out
 * at once. What leaves the queue before it was handed on was never sent, so every refusal says
 * `maybeExecuted: false`. The queue knows nothing of sockets: `drain(target)` hands each entry, in
 * order, to whatever the owner passes (a Link passes its new connection).
 *
 * @module
 */
import Denque from 'denque';
import { ConnectionLostError, QueueFullError, TimeoutError } from '../errors';
import { commandName, encodedLength } from '../protocol/encoder';

/** The bounds of an {@link OfflineQueue} (see ReconnectingOptions for their defaults). */
export interface QueueBounds {
  /** At most this many entries wait; more are refused with QueueFullError. */
  readonly maxQueued: number;
  /** At most this many bytes of encoded commands wait. */
  readonly maxQueuedBytes: number;
  /** An entry waits at most this long (ms), then rejects with TimeoutError (`maybeExecuted: false`). */
  readonly offlineTimeout: number;
  /** false: refuse at once (ConnectionLostError, `maybeExecuted: false`) instead of queueing. */
  readonly offlineQueue: boolean;
  /** A label of the server for error messages (never credentials). */
  readonly label: string;
}

/** The per-call limits an entry also keeps: its own `timeout` (ms) and `signal`. */
export interface WaitLimits {
  readonly timeout?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** One waiting entry, and how to settle its caller's promise. */
interface Entry<T> {
  readonly send: (target: T) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly bytes: number;
  /** `'GET was not sent'`, `'acquire() was not served'`: how its refusals begin. */
  readonly unsent: string;
  timer: NodeJS.Timeout | undefined;
  settled: boolean;
  /** Takes the abort listener off the call's signal once the entry leaves the queue. */
  unlisten: (() => void) | undefined;
}

/**
 * A FIFO of entries waiting for a target (a connection, a ready pool), within {@link QueueBounds}.
 * `T` is what {@link drain} hands each entry.
 */
export class OfflineQueue<T> {
  readonly #bounds: QueueBounds;
  readonly #entries = new Denque<Entry<T>>();
  #bytes = 0;
  #accepted = 0;

  constructor(bounds: QueueBounds) {
    this.#bounds = bounds;
  }

  /** How many entries wait. */
  get length(): number {
    return this.#entries.length;
  }

  /** The encoded bytes of the commands that wait. */
  get bytes(): number {
    return this.#bytes;
  }

  /** How many entries were ever accepted: it grows by one exactly when {@link push} queued. */
  get accepted(): number {
    return this.#accepted;
  }

  /**
   * Queues `send`, to run on the target of the next {@link drain}, and resolves or rejects as the
   * promise it returns then does. `command` and `args` are the command that waits (checked and
   * measured as the connection would encode it, so a bad argument is refused at once); `args`
   * undefined means an entry that is no command (a pool's `acquire()`) and costs no bytes. Refused
   * at once with QueueFullError past `maxQueued`/`maxQueuedBytes`, with ConnectionLostError when
   * `offlineQueue` is false, with the signal's reason when it is aborted. Once queued, it waits at
   * most `offlineTimeout`, or `limits.timeout` if shorter (then TimeoutError), and leaves at once
   * when `limits.signal` aborts: either way it was never sent. `bounded: false` skips the count and
   * byte bounds, for a wait known to be short (a Link holding commands behind a health PING).
   */
  push(
    command: string,
    args: readonly unknown[] | undefined,
    send: (target: T) => Promise<unknown>,
    limits?: WaitLimits,
    bounded = true,
  ): Promise<unknown> {
    const { maxQueued, maxQueuedBytes, offlineTimeout, offlineQueue, label } = this.#bounds;
    const verb = args === undefined ? 'was not served' : 'was not sent';
    const unsent = `${command} ${verb}`;
    if (!offlineQueue) {
      return Promise.reject(new ConnectionLostError(`${unsent}: ${label} is reconnecting`, false));
    }
    const signal = limits?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    let bytes = 0;
    if (args !== undefined) {
      try {
        bytes = encodedLength(commandName(command), args);
      } catch (err) {
        return Promise.reject(err);
      }
    }
    if (bounded && (this.#entries.length >= maxQueued || this.#bytes + bytes > maxQueuedBytes)) {
      return Promise.reject(
        new QueueFullError(
          `${unsent}: ${this.#entries.length} commands (${this.#bytes} bytes) ` +
            `already wait for ${label} to reconnect`,
        ),
      );
    }
    const own = limits?.timeout;
    const limit = own !== undefined && own < offlineTimeout ? own : offlineTimeout;
    return new Promise((resolve, reject) => {
      const entry: Entry<T> = {
        send,
        resolve,
        reject,
        bytes,
        unsent,
        timer: undefined,
        settled: false,
        unlisten: undefined,
      };
      entry.timer = setTimeout(() => {
        if (!this.#drop(entry)) return;
        const error = new TimeoutError(
          `${command} waited ${limit} ms for ${label} to reconnect and ${verb}`,
          { maybeExecuted: false },
        );
        reject(error);
      }, limit);
      if (signal !== undefined) {
        const onAbort = (): void => {
          if (this.#drop(entry)) reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        entry.unlisten = () => signal.removeEventListener('abort', onAbort);
      }
      this.#entries.push(entry);
      this.#bytes += bytes;
      this.#accepted++;
    });
  }

  /**
   * Hands every waiting entry to `target`, in order, each settling its caller's promise as its
   * `send` does. Entries pushed by a `send` itself wait for the next drain.
   */
  drain(target: T): void {
    for (let count = this.#entries.length; count > 0; count--) {
      const entry = this.#entries.shift();
      if (entry === undefined) break;
      this.#leave(entry);
      let sent: Promise<unknown>;
      try {
        sent = entry.send(target);
      } catch (err) {
        sent = Promise.reject(err);
      }
      sent.then(entry.resolve, entry.reject);
    }
  }

  /**
   * Rejects every waiting entry with a ConnectionLostError (`maybeExecuted: false`) that has
   * `cause` as its cause: the owner gave up or was closed, and none of it was sent.
   */
  rejectAll(cause: Error): void {
    for (let entry = this.#entries.shift(); entry !== undefined; entry = this.#entries.shift()) {
      this.#leave(entry);
      entry.reject(new ConnectionLostError(`${entry.unsent}: ${cause.message}`, false, { cause }));
    }
  }

  /** Marks an entry that left the queue: no timer, no abort listener, its bytes given back. */
  #leave(entry: Entry<T>): void {
    entry.settled = true;
    clearTimeout(entry.timer);
    entry.unlisten?.();
    this.#bytes -= entry.bytes;
  }

  /**
   * Takes an entry out before it was handed on (timed out, aborted); false when it had left
   * already. Deadlines expire in queue order, so it is nearly always the first.
   */
  #drop(entry: Entry<T>): boolean {
    if (entry.settled) return false;
    this.#leave(entry);
    if (this.#entries.peekFront() === entry) {
      this.#entries.shift();
      return true;
    }
    for (let i = 0; i < this.#entries.length; i++) {
      if (this.#entries.peekAt(i) === entry) {
        this.#entries.removeOne(i);
        break;
      }
    }
    return true;
  }
}
