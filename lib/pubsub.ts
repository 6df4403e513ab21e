/**
 * Pub/sub message queues: a {@link Channel} holds the messages of one subscribed channel or
 * pattern until the application reads them; a {@link Receiver} gathers the messages of many
 * channels and patterns into one queue (aioredis's multi-producer, single-consumer `Receiver`).
 *
 * @module
 */

import Denque from 'denque';
import { ChannelClosedError } from './errors';

/**
 * A message as a {@link Channel} hands it out. On a pattern channel (`P` = `true`) it is the tuple
 * `[channelName, message]`, the name of the channel the message was published to first; on a plain
 * channel it is the message alone. `T` is the message's type (`Buffer`, `string`, or what a
 * decoder returned) and `N` the channel name's (`Buffer`, or `string` with an `encoding`).
 */
export type ChannelMessage<P extends boolean = boolean, T = Buffer, N = Buffer> = P extends true
  ? [channel: N, message: T]
  : T;

/** Turns a message into a value, e.g. `JSON.parse`. It runs after {@link GetOptions.encoding}. */
export type Decoder<T = unknown> = (message: string | Buffer) => T;

/** How {@link Channel.get} and {@link Channel.iter} decode each message. */
export interface GetOptions {
  /**
   * Decode the message, and on a pattern channel the channel name, to a string with this
   * encoding. Default `null`: both stay Buffers.
   */
  encoding?: BufferEncoding | null;
  /**
   * Applied to the message (never to a pattern channel's channel name) after `encoding`. If it
   * throws, that one read rejects with what it threw; the message is consumed.
   */
  decoder?: Decoder;
}

// The shapes of GetOptions that the overloads of get() and iter() type precisely.
type AsBuffers = { encoding?: null; decoder?: undefined };
type AsStrings = { encoding: BufferEncoding; decoder?: undefined };
type DecodeStrings<T> = { encoding: BufferEncoding; decoder: (message: string) => T };
type DecodeBuffers<T> = { encoding?: null; decoder: (message: Buffer) => T };
/** Any of them: a decoder takes a string after an encoding, a Buffer without one. */
type DecodeOptions = { encoding?: BufferEncoding | null; decoder?: (message: never) => unknown };

/** A raw message as the connection hands it over. */
type RawMessage = Buffer | [channel: Buffer, message: Buffer];

/** The state an iterator shares with its parked `next()` calls. */
interface IteratorState {
  finished: boolean;
}

/** A `get()` or iterator `next()` parked until a message arrives or the channel closes. */
interface Reader {
  readonly options: DecodeOptions | undefined;
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

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

function decodeOne(message: Buffer, options: DecodeOptions): unknown {
  const decoded = options.encoding ? message.toString(options.encoding) : message;
  // The overloads pair a string decoder with an encoding and a Buffer decoder without one.
  return options.decoder ? (options.decoder as Decoder)(decoded) : decoded;
}

function decode(raw: RawMessage, options: DecodeOptions | undefined): unknown {
  if (options === undefined) return raw;
  if (!Array.isArray(raw)) return decodeOne(raw, options);
  const [channel, message] = raw;
  return [
    options.encoding ? channel.toString(options.encoding) : channel,
    decodeOne(message, options),
  ];
}

/**
 * The queue both {@link Channel} and {@link Receiver} are: messages in, reads out in FIFO order,
 * an end after a normal close, and the loss error after a lost connection (once drained).
 */
abstract class MessageQueue<Raw> {
  readonly #queue = new Denque<Raw>();
  /** Parked reads. Non-empty only while the queue is empty: `push` hands a message to them first. */
  readonly #readers = new Denque<Reader>();
  #watchers: Watcher[] = [];
  #closed = false;
  #error: Error | undefined = undefined;

  /** Turns a queued message into what a read returns. */
  protected abstract decodeRaw(raw: Raw, options: DecodeOptions | undefined): unknown;

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

  protected read(options: DecodeOptions | undefined): Promise<unknown> {
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

  protected iterate(options: DecodeOptions | undefined): AsyncIterableIterator<unknown> {
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

  #deliver(reader: Reader, raw: Raw): void {
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
  #settleClosed(reader: Reader): void {
    if (reader.iterator) reader.iterator.finished = true;
    if (this.#error) reader.reject(this.#error);
    else if (reader.iterator) reader.resolve(DONE);
    else reader.reject(new ChannelClosedError());
  }

  /** Ends an iterator's parked `next()` calls (its `return()`), leaving other readers in place. */
  #release(state: IteratorState): void {
    const released: Reader[] = [];
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

const NOT_READABLE = 'messages of a Receiver channel are read from the Receiver';

/**
 * The queue of messages received on one subscribed channel (`isPattern` false) or pattern
 * (`isPattern` true, each message `[channelName, message]`). The connection fills it; read it with
 * `for await`, {@link Channel.get} or {@link Channel.waitMessage}.
 *
 * Unsubscribing closes the channel: reads still return every message already queued, then the
 * iteration ends ({@link Channel.get} rejects with `ChannelClosedError`). Losing the connection
 * also closes it, but once the queue is drained every read rejects with the error that closed
 * the connection, so a loss is never mistaken for an end. A closed Channel stays closed: subscribe
 * again with a new one (or by name).
 *
 * The queue is unbounded: a consumer slower than the publishers makes it grow in memory. Watch
 * {@link Channel.queueLength} if that can happen.
 *
 * Several readers may wait at once: each gets a different message, in the order they asked.
 *
 * @example
 * ```ts
 * await conn.executePubsub('subscribe', 'news');
 * for await (const message of conn.pubsubChannels.get('news')!) {
 *   console.log(message.toString()); // a Buffer; channel.iter({ encoding: 'utf8' }) gives strings
 * }
 * // here: unsubscribed and every message read (a lost connection throws from the loop instead)
 * ```
 *
 * @typeParam P - `true` for a pattern channel, `false` for a plain one, `boolean` when unknown.
 */
export class Channel<P extends boolean = boolean>
  extends MessageQueue<RawMessage>
  implements AsyncIterable<ChannelMessage<P>>
{
  /** The channel name or pattern; a Buffer name is decoded as UTF-8. */
  readonly name: string;
  /** Whether this is a pattern (PSUBSCRIBE) channel, whose messages are `[channelName, message]`. */
  readonly isPattern: P;
  /** Set for a {@link Receiver}'s channel: its messages go to the Receiver's queue instead. */
  readonly #receiver: Receiver | undefined;

  /**
   * @param name - The channel name or pattern.
   * @param isPattern - `true` for a pattern channel (PSUBSCRIBE).
   */
  constructor(name: string | Buffer, isPattern: P, receiver?: Receiver) {
    super();
    if (typeof name !== 'string' && !Buffer.isBuffer(name)) {
      throw new TypeError('Channel name must be a string or a Buffer');
    }
    this.name = typeof name === 'string' ? name : name.toString('utf8');
    this.isPattern = isPattern;
    this.#receiver = receiver;
  }

  /** The Receiver this channel feeds, if any. */
  get receiver(): Receiver | undefined {
    return this.#receiver;
  }

  /** @internal Closed channels are never subscribed again (executePubsub checks). */
  get _closed(): boolean {
    return this.isClosed;
  }

  /**
   * The next message, waiting for one if the queue is empty: a Buffer, a string with `encoding`,
   * or the `decoder`'s result. Rejects with `ChannelClosedError` once the channel is unsubscribed
   * and drained, or with the connection's error if it was lost.
   */
  get(options?: AsBuffers): Promise<ChannelMessage<P>>;
  get(options: AsStrings): Promise<ChannelMessage<P, string, string>>;
  get<T>(options: DecodeStrings<T>): Promise<ChannelMessage<P, T, string>>;
  get<T>(options: DecodeBuffers<T>): Promise<ChannelMessage<P, T, Buffer>>;
  get(options?: GetOptions): Promise<ChannelMessage<P, unknown, string | Buffer>>;
  get(options?: DecodeOptions): Promise<unknown> {
    if (this.#receiver) return Promise.reject(new TypeError(NOT_READABLE));
    return this.read(options);
  }

  /** The next message decoded as UTF-8 JSON (on a pattern channel: `[channelName, value]`). */
  getJson(): Promise<ChannelMessage<P, unknown, string>> {
    return this.get({ encoding: 'utf8', decoder: JSON.parse });
  }

  /**
   * Resolves `true` as soon as a message is queued (without taking it), `false` once the channel
   * is unsubscribed and drained; rejects with the connection's error if it was lost and drained.
   *
   * @example
   * ```ts
   * while (await channel.waitMessage()) console.log(await channel.get({ encoding: 'utf8' }));
   * ```
   */
  override waitMessage(): Promise<boolean> {
    if (this.#receiver) return Promise.reject(new TypeError(NOT_READABLE));
    return super.waitMessage();
  }

  /**
   * An async iterator over the messages, decoded as {@link Channel.get} does. It ends once the
   * channel is unsubscribed and drained, and throws the connection's error if it was lost.
   * Leaving the loop early (`break`, `return()`) neither closes the channel nor loses a message:
   * what is still queued stays for the next reader.
   */
  iter(options?: AsBuffers): AsyncIterableIterator<ChannelMessage<P>>;
  iter(options: AsStrings): AsyncIterableIterator<ChannelMessage<P, string, string>>;
  iter<T>(options: DecodeStrings<T>): AsyncIterableIterator<ChannelMessage<P, T, string>>;
  iter<T>(options: DecodeBuffers<T>): AsyncIterableIterator<ChannelMessage<P, T, Buffer>>;
  iter(options?: GetOptions): AsyncIterableIterator<ChannelMessage<P, unknown, string | Buffer>>;
  iter(options?: DecodeOptions): AsyncIterableIterator<unknown> {
    if (this.#receiver) {
      const refused: AsyncIterableIterator<unknown> = {
        next: () => Promise.reject(new TypeError(NOT_READABLE)),
        [Symbol.asyncIterator]: () => refused,
      };
      return refused;
    }
    return this.iterate(options);
  }

  /** `iter()` with default options, so that `for await (const message of channel)` works. */
  [Symbol.asyncIterator](): AsyncIterableIterator<ChannelMessage<P>> {
    return this.iter();
  }

  /**
   * Queues a message (or hands it to the Receiver). Ignored once closed.
   *
   * @internal Called by the connection: a Buffer, or `[channel, message]` on a pattern channel.
   */
  _put(message: RawMessage): void {
    if (this.#receiver === undefined) this.push(message);
    else if (!this.isClosed) this.#receiver._put(this, message);
  }

  /**
   * Closes the channel: queued messages can still be read, then reads end (no `error`: the
   * channel was unsubscribed) or reject with `error` (the connection was lost). Only the first
   * call counts.
   *
   * @internal Called by the connection.
   */
  _close(error?: Error): void {
    if (this.isClosed) return;
    this.end(error);
    this.#receiver?._closed(this, error);
  }

  protected decodeRaw(raw: RawMessage, options: DecodeOptions | undefined): unknown {
    return decode(raw, options);
  }
}

/**
 * Many channels and patterns, one queue (aioredis's `Receiver`: multi-producer, single-consumer).
 * {@link Receiver.channel} and {@link Receiver.pattern} make the channels to subscribe with; every
 * message then arrives here as `[channel, message]` (on a pattern: `[channel, [channelName,
 * message]]`), in the order the server sent them.
 *
 * Reads end once {@link Receiver.stop} was called and the queue drained; unsubscribing every
 * channel does not end them, since more may be subscribed. A lost connection makes reads reject
 * with its error once the queue is drained.
 *
 * @example
 * ```ts
 * const receiver = new Receiver();
 * await conn.executePubsub('subscribe', receiver.channel('news'), receiver.channel('sport'));
 * await conn.executePubsub('psubscribe', receiver.pattern('alerts:*'));
 * for await (const [channel, message] of receiver.iter({ encoding: 'utf8' })) {
 *   console.log(channel.name, message); // on the pattern: message is [channelName, text]
 * }
 * ```
 */
export class Receiver
  extends MessageQueue<[Channel, RawMessage]>
  implements AsyncIterable<[Channel, unknown]>
{
  readonly #channels = new Map<string, Channel<false>>();
  readonly #patterns = new Map<string, Channel<true>>();

  /** A channel whose messages come to this receiver; the same one for the same name until it closes. */
  channel(name: string | Buffer): Channel<false> {
    return this.#sender(this.#channels, name, false);
  }

  /** A pattern whose messages come to this receiver as `[channelName, message]`. */
  pattern(pattern: string | Buffer): Channel<true> {
    return this.#sender(this.#patterns, pattern, true);
  }

  /** The receiver's channels that are not closed, by name. */
  get channels(): ReadonlyMap<string, Channel<false>> {
    return this.#channels;
  }

  /** The receiver's patterns that are not closed, by pattern. */
  get patterns(): ReadonlyMap<string, Channel<true>> {
    return this.#patterns;
  }

  /** True while messages are queued, or a channel may still bring some and stop() was not called. */
  override get isActive(): boolean {
    if (this.queueLength > 0) return true;
    return !this.isClosed && (this.#channels.size > 0 || this.#patterns.size > 0);
  }

  /**
   * The next `[channel, message]`, the message decoded as {@link Channel.get} does. Rejects with
   * ChannelClosedError once stopped and drained, or with the connection's error after a loss.
   */
  get(options?: GetOptions): Promise<[Channel, unknown]> {
    return this.read(options) as Promise<[Channel, unknown]>;
  }

  /** `[channel, message]` pairs until {@link stop} and the queue is drained. */
  iter(options?: GetOptions): AsyncIterableIterator<[Channel, unknown]> {
    return this.iterate(options) as AsyncIterableIterator<[Channel, unknown]>;
  }

  /** `iter()` with default options, for `for await (const [channel, message] of receiver)`. */
  [Symbol.asyncIterator](): AsyncIterableIterator<[Channel, unknown]> {
    return this.iter();
  }

  /**
   * Stops receiving: messages that arrive from now on are dropped, and reads end once the queue is
   * drained. Unsubscribe the channels first, or they keep their subscriptions.
   */
  stop(): void {
    this.end();
  }

  /** @internal A message from one of this receiver's channels. */
  _put(channel: Channel, message: RawMessage): void {
    this.push([channel, message]);
  }

  /** @internal One of this receiver's channels closed: a loss ends the receiver with its error. */
  _closed(channel: Channel, error: Error | undefined): void {
    const registry: Map<string, Channel> = channel.isPattern ? this.#patterns : this.#channels;
    if (registry.get(channel.name) === channel) registry.delete(channel.name);
    if (error !== undefined) this.end(error);
  }

  protected decodeRaw(raw: [Channel, RawMessage], options: DecodeOptions | undefined): unknown {
    return [raw[0], decode(raw[1], options)];
  }

  #sender<P extends boolean>(
    registry: Map<string, Channel<P>>,
    name: string | Buffer,
    isPattern: P,
  ): Channel<P> {
    const key = typeof name === 'string' ? name : name.toString('utf8');
    let channel = registry.get(key);
    if (channel === undefined) {
      channel = new Channel(name, isPattern, this);
      registry.set(key, channel);
    }
    return channel;
  }
}
