/**
 * The FIFO under {@link Channel} and {@link Receiver}: messages in, reads out in order, parked
 * reads and `waitMessage()` calls, an end after a normal close and the loss error after a lost
 * connection. It also holds the gap markers (a loss, a run of dropped messages) in order with the
 * messages, and keeps the queue within its bounds. It knows nothing of encodings: each subclass
 * turns a queued message into what a read returns.
 *
 * @module
 */

import Denque from 'denque';
import {
  ChannelClosedError,
  QueueFullError,
  type SubscriptionGap,
  SubscriptionGapError,
} from './errors';
import { makeGap, publishGap, type QueueLimits } from './pubsub-gap';

/** A queue entry that is not a message. Markers count toward no bound. */
abstract class Marker {}

/** Messages may have been lost while the connection was down: the Link's gap. */
class LossMarker extends Marker {
  constructor(readonly gap: SubscriptionGap) {
    super();
  }
}

/**
 * Messages a full queue dropped, consecutively: the oldest ones (`drop-oldest`, read as a gap
 * marker) or new ones (`error`: `refused`, read as a QueueFullError). One run grows until it is
 * read, so a slow consumer sees one marker per stretch of loss, not one per message.
 */
class DropRun extends Marker {
  dropped = 0;
  lastAt: number;
  readonly channels = new Set<string>();

  constructor(
    readonly refused: boolean,
    readonly firstAt: number,
    readonly epoch: number,
  ) {
    super();
    this.lastAt = firstAt;
  }

  add(channel: string, now: number): void {
    this.dropped++;
    this.lastAt = now;
    this.channels.add(channel);
  }
}

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
  readonly #queue = new Denque<Raw | Marker>();
  /** Parked reads. Non-empty only while the queue is empty: `push` hands a message to them first. */
  readonly #readers = new Denque<Reader<O>>();
  #watchers: Watcher[] = [];
  #closed = false;
  #error: Error | undefined = undefined;
  readonly #limits: QueueLimits;
  /** Messages queued (markers excluded) and their bytes: compared on every push. */
  #count = 0;
  #bytes = 0;
  /** The epoch of the last loss gap seen: a run of dropped messages carries it. */
  #epoch = 0;
  /** With `gaps: 'ignore'` no marker is queued: the run of drops, until the queue drains. */
  #ignoredRun: DropRun | undefined = undefined;

  constructor(limits: QueueLimits) {
    this.#limits = limits;
  }

  /** Turns a queued message into what a read returns. */
  protected abstract decodeRaw(raw: Raw, options: O | undefined): unknown;

  /** The bytes a message counts toward `maxQueuedBytes`. */
  protected abstract sizeOf(raw: Raw): number;

  /** The channel (or pattern) a message came from, as a gap lists it. */
  protected abstract nameOf(raw: Raw): string;

  /** The gap and bound options in force. */
  protected get limits(): QueueLimits {
    return this.#limits;
  }

  /** `true` until the queue is closed and every queued message has been read. */
  get isActive(): boolean {
    return !this.#closed || this.#queue.length > 0;
  }

  /**
   * How many entries are queued, not yet read: messages, and gap markers (and, under
   * `overflow: 'error'`, the points where messages were dropped) that a read will reach.
   */
  get queueLength(): number {
    return this.#queue.length;
  }

  /** Whether no more messages will be queued. */
  protected get isClosed(): boolean {
    return this.#closed;
  }

  /**
   * Resolves `true` as soon as a message or marker is queued (without taking it), `false` once
   * closed normally and drained; rejects with the connection's error if it was lost and drained.
   */
  waitMessage(): Promise<boolean> {
    if (this.#queue.length > 0) return Promise.resolve(true);
    if (this.#closed) return this.#error ? Promise.reject(this.#error) : Promise.resolve(false);
    return new Promise((resolve, reject) => this.#watchers.push({ resolve, reject }));
  }

  protected read(options: O | undefined): Promise<unknown> {
    const entry = this.#shift();
    if (entry !== undefined) {
      try {
        return Promise.resolve(this.#value(entry, options));
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
        const entry = this.#shift();
        if (entry !== undefined) {
          try {
            return Promise.resolve({ done: false, value: this.#value(entry, options) });
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

  /**
   * Queues a message, or hands it straight to the oldest waiting reader; a full queue applies its
   * `overflow` policy. Ignored once closed.
   */
  protected push(raw: Raw): void {
    if (this.#closed) return;
    const reader = this.#readers.shift();
    if (reader !== undefined) {
      this.#deliver(reader, raw);
      return;
    }
    const size = this.sizeOf(raw);
    // The hot path: two compares per message.
    if (this.#count >= this.#limits.maxQueued || this.#bytes + size > this.#limits.maxQueuedBytes) {
      this.#overflow(raw, size);
      return;
    }
    this.#append(raw, size);
  }

  /**
   * Queues the marker of a loss (or hands it to a waiting reader), as the `gaps` policy says; its
   * epoch becomes that of later runs of dropped messages. Ignored once closed.
   */
  protected pushGap(gap: SubscriptionGap): void {
    if (this.#closed) return;
    this.#epoch = gap.epoch;
    if (this.#limits.gaps === 'ignore') return;
    const marker = new LossMarker(gap);
    const reader = this.#readers.shift();
    if (reader !== undefined) this.#deliver(reader, marker);
    else this.#enqueueMarker(marker);
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

  #append(raw: Raw, size: number): void {
    this.#queue.push(raw);
    this.#count++;
    this.#bytes += size;
    this.#wake();
  }

  /** Queues a marker at the tail. Markers need no room: they count toward no bound. */
  #enqueueMarker(marker: Marker): void {
    this.#queue.push(marker);
    this.#wake();
  }

  #wake(): void {
    if (this.#watchers.length > 0) {
      const watchers = this.#watchers;
      this.#watchers = [];
      for (const watcher of watchers) watcher.resolve(true);
    }
  }

  /** Takes the next entry off the queue, keeping the message count and bytes. */
  #shift(): Raw | Marker | undefined {
    const entry = this.#queue.shift();
    if (entry === undefined) return undefined;
    if (!(entry instanceof Marker)) {
      this.#count--;
      this.#bytes -= this.sizeOf(entry);
    }
    // Drained: the consumer caught up, so a later drop (with no marker to grow) is a new run.
    if (this.#queue.length === 0) this.#ignoredRun = undefined;
    return entry;
  }

  /** What a read of `entry` returns; throws what it rejects with (a gap under 'throw'). */
  #value(entry: Raw | Marker, options: O | undefined): unknown {
    if (!(entry instanceof Marker)) return this.decodeRaw(entry, options);
    if (entry instanceof LossMarker) return this.#gapValue(entry.gap);
    const run = entry as DropRun;
    const limits = `maxQueued ${this.#limits.maxQueued}, maxQueuedBytes ${this.#limits.maxQueuedBytes}`;
    if (run.refused) {
      throw new QueueFullError(
        `The consumer is too slow: ${run.dropped} new message(s) were dropped because the ` +
          `queue was full (${limits})`,
      );
    }
    const cause = new QueueFullError(
      `The consumer is too slow: ${run.dropped} message(s), the oldest, were dropped because ` +
        `the queue was full (${limits})`,
    );
    const { firstAt: lostAt, lastAt: resumedAt, epoch } = run;
    return this.#gapValue(
      makeGap({ channels: [...run.channels], lostAt, resumedAt, cause, epoch }),
    );
  }

  #gapValue(gap: SubscriptionGap): SubscriptionGap {
    if (this.#limits.gaps === 'throw') throw new SubscriptionGapError(gap);
    return gap;
  }

  /** The queue is full: `raw` does not fit (`size` bytes). */
  #overflow(raw: Raw, size: number): void {
    const now = Date.now();
    if (this.#limits.overflow === 'error') {
      // The new message is dropped; the read that reaches this point will say so.
      const last = this.#queue.peekBack();
      const run = last instanceof DropRun ? last : this.#startRun(true, now, true);
      this.#addDrop(run, raw, now);
      return;
    }
    if (size > this.#limits.maxQueuedBytes) {
      // It would never fit: drop it alone rather than everything before it.
      this.#dropped(raw, now, true);
      return;
    }
    while (
      this.#count >= this.#limits.maxQueued ||
      this.#bytes + size > this.#limits.maxQueuedBytes
    ) {
      if (!this.#dropOldest(now)) break;
    }
    this.#append(raw, size);
  }

  /**
   * Drops the oldest message. The run it joins stands where it was: the marker just before it
   * (after the leading markers) or just after it, else a new one; with `gaps: 'ignore'`, none.
   * False when there is no message (cannot happen while over a bound of at least 1).
   */
  #dropOldest(now: number): boolean {
    const leading: Marker[] = [];
    let entry = this.#queue.shift();
    while (entry instanceof Marker) {
      leading.push(entry);
      entry = this.#queue.shift();
    }
    if (entry !== undefined) {
      this.#count--;
      this.#bytes -= this.sizeOf(entry);
      const before = leading[leading.length - 1];
      const after = this.#queue.peekFront();
      if (before instanceof DropRun) this.#addDrop(before, entry, now);
      else if (after instanceof DropRun) this.#addDrop(after, entry, now);
      else {
        const run = this.#dropped(entry, now, false);
        if (run !== undefined) leading.push(run);
      }
    }
    for (let i = leading.length - 1; i >= 0; i--) this.#queue.unshift(leading[i] as Marker);
    return entry !== undefined;
  }

  /**
   * Records a dropped message (drop-oldest) in a new run, or in the open one with `gaps: 'ignore'`.
   * `atTail`: queue a new run at the tail; else return it for the caller to place.
   */
  #dropped(raw: Raw, now: number, atTail: boolean): DropRun | undefined {
    if (this.#limits.gaps === 'ignore') {
      this.#ignoredRun ??= this.#startRun(false, now, false);
      this.#addDrop(this.#ignoredRun, raw, now);
      return undefined;
    }
    const last = atTail ? this.#queue.peekBack() : undefined;
    const run = last instanceof DropRun ? last : this.#startRun(false, now, atTail);
    this.#addDrop(run, raw, now);
    return atTail ? undefined : run;
  }

  /** A new run of drops, queued at the tail if `enqueue`, announced once on `redmux:gap`. */
  #startRun(refused: boolean, now: number, enqueue: boolean): DropRun {
    const run = new DropRun(refused, now, this.#epoch);
    if (enqueue) this.#enqueueMarker(run);
    return run;
  }

  #addDrop(run: DropRun, raw: Raw, now: number): void {
    run.add(this.nameOf(raw), now);
    if (run.dropped === 1) this.#announce(run);
  }

  /** Publishes the start of a run of drops: consumers learn of it while it happens. */
  #announce(run: DropRun): void {
    const limits = `maxQueued ${this.#limits.maxQueued}, maxQueuedBytes ${this.#limits.maxQueuedBytes}`;
    const cause = new QueueFullError(
      `The consumer is too slow: a full queue (${limits}) is dropping ` +
        (run.refused ? 'new messages' : 'its oldest messages'),
    );
    publishGap({
      channels: [...run.channels],
      lostAt: run.firstAt,
      resumedAt: run.lastAt,
      cause,
      epoch: run.epoch,
    });
  }

  #deliver(reader: Reader<O>, entry: Raw | Marker): void {
    let value: unknown;
    try {
      value = this.#value(entry, reader.options);
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
