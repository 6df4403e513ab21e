/**
 * The FIFO under {@link Channel} and {@link Receiver}: messages in, reads out in order, parked
 * reads and `waitMessage()` calls, an end after a normal close and the loss error after a lost
 * connection. It knows nothing of encodings: each subclass turns a queued message into what a
 * read returns.
 *
 * @module
 */

import Denque from 'denque';
import { ChannelClosedError } from './errors';

/** The state an iterator shares with its parked `next()` calls. */
interface IteratorState {
  finished: boolean;
}

/** A `get()` or iterator `next()` parked until a message arrives or the channel closes. */
interface Reader<O> {
  readonly options: O | undefined;
  /** Set for an iterator's `next()`, which resolves an `IteratorResult` instead of the message. */
  readonly iterator: IteratorState | undefined;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
}

/** A parked `waitMessage()`. */
interface Watcher {
  readonly resolve: (available: boolean) => void;
  readonly reject: (reason: unknown) => void;
}

/** @internal What an ended iterator's `next()` resolves with. */
export const DONE: IteratorReturnResult<undefined> = Object.freeze({
  done: true,
  value: undefined,
});

/**
 * The queue both {@link Channel} and {@link Receiver} are: messages in, reads out in FIFO order,
 * an end after a normal close, and the loss error after a lost connection (once drained).
 */
export abstract class MessageQueue<Raw, O> {
  readonly #queue = new Denque<Raw>();
  /** Parked reads. Non-empty only while the queue is empty: `push` hands a message to them first. */
  readonly #readers = new Denque<Reader<O>>();
  #watchers: Watcher[] = [];
  #closed = false;
  #error: Error | undefined = undefined;

  /** Turns a queued message into what a read returns. */
  protected abstract decodeRaw(raw: Raw, options: O | undefined): unknown;

  /** `true` until the queue is closed and every queued message has been read. */
  get isActive(): boolean {
    return !this.#closed || this.#queue.length > 0;
  }

  /** How many received messages are queued, not yet read. */
  get queueLength(): number {
    return this.#queue.length;
  }

  /** Whether no more messages will be queued. */
  protected get isClosed(): boolean {
    return this.#closed;
  }

  /**
   * Resolves `true` as soon as a message is queued (without taking it), `false` once closed
   * normally and drained; rejects with the connection's error if it was lost and drained.
   */
  waitMessage(): Promise<boolean> {
    if (this.#queue.length > 0) return Promise.resolve(true);
    if (this.#closed) return this.#error ? Promise.reject(this.#error) : Promise.resolve(false);
    return new Promise((resolve, reject) => this.#watchers.push({ resolve, reject }));
  }

  protected read(options: O | undefined): Promise<unknown> {
    const raw = this.#queue.shift();
    if (raw !== undefined) {
      try {
        return Promise.resolve(this.decodeRaw(raw, options));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    if (this.#closed) return Promise.reject(this.#error ?? new ChannelClosedError());
    return new Promise((resolve, reject) => {
      this.#readers.push({ options, iterator: undefined, resolve, reject });
    });
  }

  protected iterate(options: O | undefined): AsyncIterableIterator<unknown> {
    const state: IteratorState = { finished: false };
    const iterator: AsyncIterableIterator<unknown> = {
      next: (): Promise<IteratorResult<unknown>> => {
        if (state.finished) return Promise.resolve(DONE);
        const raw = this.#queue.shift();
        if (raw !== undefined) {
          try {
            return Promise.resolve({ done: false, value: this.decodeRaw(raw, options) });
          } catch (error) {
            return Promise.reject(error);
          }
        }
        if (this.#closed) {
          state.finished = true;
          return this.#error ? Promise.reject(this.#error) : Promise.resolve(DONE);
        }
        return new Promise((resolve, reject) => {
          const resolveAny = resolve as (value: unknown) => void;
          this.#readers.push({ options, iterator: state, resolve: resolveAny, reject });
        });
      },
      return: (): Promise<IteratorResult<unknown>> => {
        state.finished = true;
        this.#release(state);
        return Promise.resolve(DONE);
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** Queues a message, or hands it straight to the oldest waiting reader. Ignored once closed. */
  protected push(raw: Raw): void {
    if (this.#closed) return;
    const reader = this.#readers.shift();
    if (reader !== undefined) {
      this.#deliver(reader, raw);
      return;
    }
    this.#queue.push(raw);
    if (this.#watchers.length > 0) {
      const watchers = this.#watchers;
      this.#watchers = [];
      for (const watcher of watchers) watcher.resolve(true);
    }
  }

  /**
   * Closes the queue: queued messages can still be read, then reads end (no `error`) or reject
   * with `error` (the connection was lost). Only the first call counts.
   */
  protected end(error?: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#error = error;
    // Reads only wait while the queue is empty, so every one of them can be settled now.
    const readers = this.#readers.toArray();
    this.#readers.clear();
    for (const reader of readers) this.#settleClosed(reader);
    const watchers = this.#watchers;
    this.#watchers = [];
    for (const watcher of watchers) {
      if (error) watcher.reject(error);
      else watcher.resolve(false);
    }
  }

  #deliver(reader: Reader<O>, raw: Raw): void {
    let value: unknown;
    try {
      value = this.decodeRaw(raw, reader.options);
    } catch (error) {
      // A throwing decoder fails this one read; it must not escape into the connection's reader.
      reader.reject(error);
      return;
    }
    reader.resolve(reader.iterator ? { done: false, value } : value);
  }

  /** Settles a parked read of a closed queue. */
  #settleClosed(reader: Reader<O>): void {
    if (reader.iterator) reader.iterator.finished = true;
    if (this.#error) reader.reject(this.#error);
    else if (reader.iterator) reader.resolve(DONE);
    else reader.reject(new ChannelClosedError());
  }

  /** Ends an iterator's parked `next()` calls (its `return()`), leaving other readers in place. */
  #release(state: IteratorState): void {
    const released: Reader<O>[] = [];
    for (let i = this.#readers.length - 1; i >= 0; i--) {
      const reader = this.#readers.peekAt(i);
      if (reader?.iterator === state) {
        this.#readers.removeOne(i);
        released.unshift(reader);
      }
    }
    for (const reader of released) reader.resolve(DONE);
  }
}
