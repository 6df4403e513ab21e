/**
 * Pub/sub message queues: a {@link Channel} holds the messages of one subscribed channel or
 * pattern until the application reads them; a {@link Receiver} gathers the messages of many
 * channels and patterns into one queue (aioredis's multi-producer, single-consumer `Receiver`).
 *
 * Messages are decoded when they are read, with the encoding of the connection they were
 * subscribed on unless the Channel (or Receiver) was made with its own, or the read asks for
 * another: on a `utf8` client they are strings, on a client without an encoding Buffers.
 *
 * @module
 */

import { MessageQueue } from './message-queue';
import { optionsError, refusedIterator } from './strict';

/**
 * A message as a {@link Channel} hands it out. On a pattern channel (`P` = `true`) it is the tuple
 * `[channelName, message]`, the name of the channel the message was published to first; on a plain
 * channel it is the message alone. `T` is the message's type (`Buffer`, `string`, or what a
 * decoder returned) and `N` the channel name's (`Buffer` or `string`, as `T` unless a decoder
 * changed the message's).
 */
export type ChannelMessage<P extends boolean = boolean, T = Buffer, N = T> = P extends true
  ? [channel: N, message: T]
  : T;

/**
 * A message as a {@link Receiver} hands it out: `[channel, message]` for a plain channel, and
 * `[channel, [channelName, message]]` for a pattern. `channel.isPattern` tells them apart at run
 * time; for the compiler, `Array.isArray(message)` narrows the message (unless a decoder returns
 * arrays). `M` is the Receiver's message type, `T` the message's after the read's options and `N`
 * the channel name's.
 */
export type ReceiverMessage<M = string | Buffer, T = M, N = T> =
  | [channel: Channel<false, M>, message: T]
  | [channel: Channel<true, M>, message: [channel: N, message: T]];

/** A channel to subscribe to: a name (string or UTF-8 Buffer), or a Channel of that kind. */
export type ChannelArg<P extends boolean = boolean> = string | Buffer | Channel<P>;

/**
 * What `subscribe()`, `psubscribe()` and `ssubscribe()` resolve with: one Channel per argument, in
 * order, as a tuple, so `const [a, b] = await redis.subscribe('a', 'b')` needs no `undefined`
 * check. A Channel passed in keeps its message type; a name gets the client's `S`.
 */
export type SubscribedChannels<A extends readonly unknown[], P extends boolean, S> = {
  [K in keyof A]: A[K] extends Channel<P, infer M> ? Channel<P, M> : Channel<P, S>;
};

/** Turns a message into a value, e.g. `JSON.parse`. It runs after {@link GetOptions.encoding}. */
export type Decoder<T = unknown> = (message: string | Buffer) => T;

/** How {@link Channel.get}, {@link Channel.iter}, {@link Receiver.get} and {@link Receiver.iter} decode each message. */
export interface GetOptions {
  /**
   * Decode the message, and on a pattern channel the channel name, to a string with this
   * encoding; `null` keeps both Buffers. Default: the Channel's {@link Channel.encoding} (the
   * connection's, e.g. strings on a `utf8` client).
   */
  encoding?: BufferEncoding | null;
  /**
   * Applied to the message (never to a pattern channel's channel name) after `encoding`. If it
   * throws, that one read rejects with what it threw; the message is consumed.
   */
  decoder?: Decoder;
}

/** Options of `new Channel()` and `new Receiver()`. */
export interface ChannelOptions {
  /**
   * How reads decode messages when they don't say: an encoding gives strings, `null` Buffers.
   * Default: the encoding of the connection the Channel is subscribed on, learnt when it subscribes
   * (a Receiver's channels each learn their own).
   */
  encoding?: BufferEncoding | null;
}

/**
 * The options `new Channel<P, M>()` and `new Receiver<M>()` need so that the message type `M` holds:
 * `{ encoding }` for `string`, `{ encoding: null }` for `Buffer`, anything when `M` is left as
 * `string | Buffer` (the connection's encoding decides).
 */
export type ChannelOptionsArg<M> = [string | Buffer] extends [M]
  ? [options?: ChannelOptions]
  : [M] extends [string]
    ? [options: { encoding: BufferEncoding }]
    : [M] extends [Buffer]
      ? [options: { encoding: null }]
      : [options?: ChannelOptions];

// The shapes of GetOptions that the overloads of get() and iter() type precisely.
type AsDefault = { encoding?: undefined; decoder?: undefined };
type AsBuffers = { encoding: null; decoder?: undefined };
type AsStrings = { encoding: BufferEncoding; decoder?: undefined };
type DecodeDefault<M, T> = { encoding?: undefined; decoder: (message: M) => T };
type DecodeStrings<T> = { encoding: BufferEncoding; decoder: (message: string) => T };
type DecodeBuffers<T> = { encoding: null; decoder: (message: Buffer) => T };
/** Any of them: a decoder takes a string after an encoding, a Buffer without one. */
type DecodeOptions = { encoding?: BufferEncoding | null; decoder?: (message: never) => unknown };

/** A raw message as the connection hands it over. */
type RawMessage = Buffer | [channel: Buffer, message: Buffer];

const GET_OPTIONS: ReadonlySet<string> = new Set(['encoding', 'decoder']);
const CONSTRUCTOR_OPTIONS: ReadonlySet<string> = new Set(['encoding']);

/** A Receiver's channels are made by it: the constructor learns its Receiver by this key. */
const kReceiver = Symbol('receiver');
type InternalOptions = ChannelOptions & { [kReceiver]?: Receiver<unknown> };

/**
 * Why a read's arguments are refused, or undefined: more than one argument, options that are not
 * a plain object or have a key other than `encoding` and `decoder`, or values of the wrong kind.
 * Checked before a message is taken, so a refused read consumes nothing.
 */
function readError(where: string, options: unknown, extra: number): TypeError | undefined {
  if (extra > 0) return new TypeError(`${where} takes at most 1 argument, got ${extra + 1}`);
  if (options === undefined) return undefined;
  const refused = optionsError(where, options, GET_OPTIONS);
  if (refused !== undefined) return refused;
  const { encoding, decoder } = options as GetOptions;
  if (encoding != null && !isEncoding(encoding)) {
    return new TypeError(`${where} option 'encoding' must be a Buffer encoding or null`);
  }
  if (decoder !== undefined && typeof decoder !== 'function') {
    return new TypeError(`${where} option 'decoder' must be a function`);
  }
  return undefined;
}

/** `where` takes no arguments: the TypeError for `count` of them, or undefined when there are none. */
function noArguments(where: string, count: number): TypeError | undefined {
  return count === 0 ? undefined : new TypeError(`${where} takes no arguments, got ${count}`);
}

/** Checks constructor options: a sync throw, as a constructor has no promise to reject. */
function checkConstructorOptions(where: string, options: unknown): ChannelOptions {
  const refused = optionsError(where, options, CONSTRUCTOR_OPTIONS);
  if (refused !== undefined) throw refused;
  const encoding = (options as ChannelOptions | undefined)?.encoding;
  if (encoding != null && !isEncoding(encoding)) {
    throw new TypeError(`${where} option 'encoding' must be a Buffer encoding or null`);
  }
  return (options ?? {}) as ChannelOptions;
}

function isEncoding(value: unknown): value is BufferEncoding {
  return typeof value === 'string' && Buffer.isEncoding(value);
}

function decodeOne(
  message: Buffer,
  encoding: BufferEncoding | null,
  decoder: DecodeOptions['decoder'],
): unknown {
  const decoded = encoding ? message.toString(encoding) : message;
  // The overloads pair a string decoder with an encoding and a Buffer decoder without one.
  return decoder ? (decoder as Decoder)(decoded) : decoded;
}

const NOT_READABLE = 'messages of a Receiver channel are read from the Receiver';

/**
 * The queue of messages received on one subscribed channel (`isPattern` false) or pattern
 * (`isPattern` true, each message `[channelName, message]`). The connection fills it; read it with
 * `for await`, {@link Channel.get} or {@link Channel.waitMessage}.
 *
 * Messages are decoded with {@link Channel.encoding} unless a read says otherwise: strings on a
 * connection or client created with `encoding: 'utf8'`, Buffers on one without an encoding.
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
 * const redis = await createRedis('redis://localhost', { encoding: 'utf8' });
 * const [news] = await redis.subscribe('news'); // Channel<false, string>
 * for await (const message of news) console.log(message); // strings; news.iter({ encoding: null }) gives Buffers
 * // here: unsubscribed and every message read (a lost connection throws from the loop instead)
 * ```
 *
 * @typeParam P - `true` for a pattern channel, `false` for a plain one, `boolean` when unknown.
 * @typeParam M - A message's type when a read gives no `encoding`: `string`, `Buffer`, or
 *   `string | Buffer` while it depends on the connection the Channel is subscribed on.
 */
export class Channel<P extends boolean = boolean, M = string | Buffer>
  extends MessageQueue<RawMessage, DecodeOptions>
  implements AsyncIterable<ChannelMessage<P, M>>
{
  /** The channel name or pattern; a Buffer name is decoded as UTF-8. */
  readonly name: string;
  /** Whether this is a pattern (PSUBSCRIBE) channel, whose messages are `[channelName, message]`. */
  readonly isPattern: P;
  /** Set for a {@link Receiver}'s channel: its messages go to the Receiver's queue instead. */
  readonly #receiver: Receiver<unknown> | undefined;
  /** Undefined until given or learnt from the connection on subscribing. */
  #encoding: BufferEncoding | null | undefined;

  /**
   * @param name - The channel name or pattern.
   * @param isPattern - `true` for a pattern channel (PSUBSCRIBE).
   * @param options - `encoding`: how reads decode messages by default (see {@link ChannelOptions});
   *   without it, the connection's, learnt on subscribing. Unknown keys throw TypeError.
   *
   * @example
   * ```ts
   * const mine = new Channel<false, string>('news', false, { encoding: 'utf8' });
   * await conn.executePubsub('subscribe', mine);
   * ```
   */
  constructor(name: string | Buffer, isPattern: P, ...[options]: ChannelOptionsArg<M>) {
    super();
    if (typeof name !== 'string' && !Buffer.isBuffer(name)) {
      throw new TypeError('Channel name must be a string or a Buffer');
    }
    const checked = checkConstructorOptions('new Channel()', options) as InternalOptions;
    this.name = typeof name === 'string' ? name : name.toString('utf8');
    this.isPattern = isPattern;
    this.#receiver = checked[kReceiver];
    this.#encoding = checked.encoding;
  }

  /**
   * How reads decode messages when they don't say: an encoding gives strings, `null` Buffers.
   * `undefined` until the Channel is subscribed, when it wasn't made with one: it then takes the
   * connection's.
   */
  get encoding(): BufferEncoding | null | undefined {
    return this.#encoding;
  }

  /** The Receiver this channel feeds, if any. */
  get receiver(): Receiver<M> | undefined {
    return this.#receiver as Receiver<M> | undefined;
  }

  /** @internal Closed channels are never subscribed again (executePubsub checks). */
  get _closed(): boolean {
    return this.isClosed;
  }

  /**
   * @internal The connection it is subscribed on has this encoding: it becomes the Channel's
   * unless the Channel already has one (given, or learnt on another connection first).
   */
  _bind(encoding: BufferEncoding | null): void {
    if (this.#encoding === undefined) this.#encoding = encoding;
  }

  /**
   * The next message, waiting for one if the queue is empty: decoded with the Channel's
   * {@link Channel.encoding} (a string on a `utf8` client), or as `options` say (`encoding: null`
   * gives a Buffer; `decoder` runs after the encoding). Rejects with `ChannelClosedError` once the
   * channel is unsubscribed and drained, or with the connection's error if it was lost; with
   * TypeError, taking no message, for options it does not understand.
   */
  get(options?: AsDefault): Promise<ChannelMessage<P, M>>;
  get(options: AsBuffers): Promise<ChannelMessage<P, Buffer>>;
  get(options: AsStrings): Promise<ChannelMessage<P, string>>;
  get<T>(options: DecodeDefault<M, T>): Promise<ChannelMessage<P, T, M>>;
  get<T>(options: DecodeStrings<T>): Promise<ChannelMessage<P, T, string>>;
  get<T>(options: DecodeBuffers<T>): Promise<ChannelMessage<P, T, Buffer>>;
  get(options?: GetOptions): Promise<ChannelMessage<P, unknown, string | Buffer>>;
  get(options?: DecodeOptions, ...extra: unknown[]): Promise<unknown> {
    if (this.#receiver) return Promise.reject(new TypeError(NOT_READABLE));
    const refused = readError('Channel.get()', options, extra.length);
    if (refused !== undefined) return Promise.reject(refused);
    return this.read(options);
  }

  /**
   * The next message decoded as UTF-8 JSON (on a pattern channel: `[channelName, value]`, the
   * name a string). Rejects as {@link Channel.get} does, and with what `JSON.parse` threw for a
   * message that is not JSON (the message is consumed).
   */
  getJson(): Promise<ChannelMessage<P, unknown, string>>;
  getJson(...extra: unknown[]): Promise<ChannelMessage<P, unknown, string>> {
    const refused = noArguments('Channel.getJson()', extra.length);
    if (refused !== undefined) return Promise.reject(refused);
    return this.get({ encoding: 'utf8', decoder: JSON.parse });
  }

  /**
   * Resolves `true` as soon as a message is queued (without taking it), `false` once the channel
   * is unsubscribed and drained; rejects with the connection's error if it was lost and drained.
   *
   * @example
   * ```ts
   * while (await channel.waitMessage()) console.log(await channel.get());
   * ```
   */
  override waitMessage(): Promise<boolean>;
  override waitMessage(...extra: unknown[]): Promise<boolean> {
    if (this.#receiver) return Promise.reject(new TypeError(NOT_READABLE));
    const refused = noArguments('Channel.waitMessage()', extra.length);
    if (refused !== undefined) return Promise.reject(refused);
    return super.waitMessage();
  }

  /**
   * An async iterator over the messages, decoded as {@link Channel.get} does. It ends once the
   * channel is unsubscribed and drained, and throws the connection's error if it was lost.
   * Leaving the loop early (`break`, `return()`) neither closes the channel nor loses a message:
   * what is still queued stays for the next reader. Options it does not understand make its
   * first `next()` reject with TypeError (never a synchronous throw).
   */
  iter(options?: AsDefault): AsyncIterableIterator<ChannelMessage<P, M>>;
  iter(options: AsBuffers): AsyncIterableIterator<ChannelMessage<P, Buffer>>;
  iter(options: AsStrings): AsyncIterableIterator<ChannelMessage<P, string>>;
  iter<T>(options: DecodeDefault<M, T>): AsyncIterableIterator<ChannelMessage<P, T, M>>;
  iter<T>(options: DecodeStrings<T>): AsyncIterableIterator<ChannelMessage<P, T, string>>;
  iter<T>(options: DecodeBuffers<T>): AsyncIterableIterator<ChannelMessage<P, T, Buffer>>;
  iter(options?: GetOptions): AsyncIterableIterator<ChannelMessage<P, unknown, string | Buffer>>;
  iter(options?: DecodeOptions, ...extra: unknown[]): AsyncIterableIterator<unknown> {
    if (this.#receiver) return refusedIterator(new TypeError(NOT_READABLE));
    const refused = readError('Channel.iter()', options, extra.length);
    if (refused !== undefined) return refusedIterator(refused);
    return this.iterate(options);
  }

  /** `iter()` with default options, so that `for await (const message of channel)` works. */
  [Symbol.asyncIterator](): AsyncIterableIterator<ChannelMessage<P, M>> {
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

  /** @internal A raw message of this channel as a read with `options` returns it (the Receiver's too). */
  _decode(raw: RawMessage, options: DecodeOptions | undefined): unknown {
    const encoding = options?.encoding === undefined ? (this.#encoding ?? null) : options.encoding;
    const decoder = options?.decoder;
    if (!Array.isArray(raw)) return decodeOne(raw, encoding, decoder);
    const [channel, message] = raw;
    return [encoding ? channel.toString(encoding) : channel, decodeOne(message, encoding, decoder)];
  }

  protected decodeRaw(raw: RawMessage, options: DecodeOptions | undefined): unknown {
    return this._decode(raw, options);
  }
}

/**
 * Many channels and patterns, one queue (aioredis's `Receiver`: multi-producer, single-consumer).
 * {@link Receiver.channel} and {@link Receiver.pattern} make the channels to subscribe with; every
 * message then arrives here as `[channel, message]` (on a pattern: `[channel, [channelName,
 * message]]`), in the order the server sent them.
 *
 * Each message is decoded with its channel's {@link Channel.encoding} unless a read says
 * otherwise: the Receiver's own when it was made with one, else that of the connection the channel
 * was subscribed on (strings on a `utf8` connection).
 *
 * Reads end once {@link Receiver.stop} was called and the queue drained; unsubscribing every
 * channel does not end them, since more may be subscribed. A lost connection makes reads reject
 * with its error once the queue is drained.
 *
 * @example
 * ```ts
 * const receiver = new Receiver<string>({ encoding: 'utf8' });
 * await conn.executePubsub('subscribe', receiver.channel('news'), receiver.channel('sport'));
 * await conn.executePubsub('psubscribe', receiver.pattern('alerts:*'));
 * for await (const [channel, message] of receiver) {
 *   if (Array.isArray(message)) console.log(channel.name, ...message); // a pattern: [channelName, text]
 *   else console.log(channel.name, message); // text
 * }
 * ```
 *
 * @typeParam M - A message's type when a read gives no `encoding`: `string` or `Buffer` when the
 *   Receiver is made with a matching `encoding`, else `string | Buffer` (the connection decides).
 */
export class Receiver<M = string | Buffer>
  extends MessageQueue<[Channel<boolean, M>, RawMessage], DecodeOptions>
  implements AsyncIterable<ReceiverMessage<M>>
{
  readonly #channels = new Map<string, Channel<false, M>>();
  readonly #patterns = new Map<string, Channel<true, M>>();
  readonly #encoding: BufferEncoding | null | undefined;

  /**
   * @param options - `encoding`: how its channels' messages are decoded by default (see
   *   {@link ChannelOptions}); without it, each channel takes its connection's on subscribing.
   *   Unknown keys throw TypeError.
   */
  constructor(...[options]: ChannelOptionsArg<M>) {
    super();
    this.#encoding = checkConstructorOptions('new Receiver()', options).encoding;
  }

  /** The encoding given to the constructor, which its channels decode with; undefined when none. */
  get encoding(): BufferEncoding | null | undefined {
    return this.#encoding;
  }

  /** A channel whose messages come to this receiver; the same one for the same name until it closes. */
  channel(name: string | Buffer): Channel<false, M> {
    return this.#sender(this.#channels, name, false);
  }

  /** A pattern whose messages come to this receiver as `[channelName, message]`. */
  pattern(pattern: string | Buffer): Channel<true, M> {
    return this.#sender(this.#patterns, pattern, true);
  }

  /** The receiver's channels that are not closed, by name. */
  get channels(): ReadonlyMap<string, Channel<false, M>> {
    return this.#channels;
  }

  /** The receiver's patterns that are not closed, by pattern. */
  get patterns(): ReadonlyMap<string, Channel<true, M>> {
    return this.#patterns;
  }

  /** True while messages are queued, or a channel may still bring some and stop() was not called. */
  override get isActive(): boolean {
    if (this.queueLength > 0) return true;
    return !this.isClosed && (this.#channels.size > 0 || this.#patterns.size > 0);
  }

  /**
   * The next `[channel, message]`, the message decoded as {@link Channel.get} does (its channel's
   * encoding by default). Rejects with ChannelClosedError once stopped and drained, with the
   * connection's error after a loss, and with TypeError, taking nothing, for options it does not
   * understand.
   */
  get(options?: AsDefault): Promise<ReceiverMessage<M>>;
  get(options: AsBuffers): Promise<ReceiverMessage<M, Buffer>>;
  get(options: AsStrings): Promise<ReceiverMessage<M, string>>;
  get<T>(options: DecodeDefault<M, T>): Promise<ReceiverMessage<M, T, M>>;
  get<T>(options: DecodeStrings<T>): Promise<ReceiverMessage<M, T, string>>;
  get<T>(options: DecodeBuffers<T>): Promise<ReceiverMessage<M, T, Buffer>>;
  get(options?: GetOptions): Promise<ReceiverMessage<M, unknown, string | Buffer>>;
  get(options?: DecodeOptions, ...extra: unknown[]): Promise<unknown> {
    const refused = readError('Receiver.get()', options, extra.length);
    if (refused !== undefined) return Promise.reject(refused);
    return this.read(options);
  }

  /**
   * `[channel, message]` pairs, decoded as {@link Receiver.get} does, until {@link stop} and the
   * queue is drained. Options it does not understand make its first `next()` reject with TypeError.
   */
  iter(options?: AsDefault): AsyncIterableIterator<ReceiverMessage<M>>;
  iter(options: AsBuffers): AsyncIterableIterator<ReceiverMessage<M, Buffer>>;
  iter(options: AsStrings): AsyncIterableIterator<ReceiverMessage<M, string>>;
  iter<T>(options: DecodeDefault<M, T>): AsyncIterableIterator<ReceiverMessage<M, T, M>>;
  iter<T>(options: DecodeStrings<T>): AsyncIterableIterator<ReceiverMessage<M, T, string>>;
  iter<T>(options: DecodeBuffers<T>): AsyncIterableIterator<ReceiverMessage<M, T, Buffer>>;
  iter(options?: GetOptions): AsyncIterableIterator<ReceiverMessage<M, unknown, string | Buffer>>;
  iter(options?: DecodeOptions, ...extra: unknown[]): AsyncIterableIterator<unknown> {
    const refused = readError('Receiver.iter()', options, extra.length);
    if (refused !== undefined) return refusedIterator(refused);
    return this.iterate(options);
  }

  /** Resolves `true` once a message is queued, `false` once stopped and drained. */
  override waitMessage(): Promise<boolean>;
  override waitMessage(...extra: unknown[]): Promise<boolean> {
    const refused = noArguments('Receiver.waitMessage()', extra.length);
    if (refused !== undefined) return Promise.reject(refused);
    return super.waitMessage();
  }

  /** `iter()` with default options, so that `for await (const [channel, message] of receiver)` works. */
  [Symbol.asyncIterator](): AsyncIterableIterator<ReceiverMessage<M>> {
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
  _put(channel: Channel<boolean, M>, message: RawMessage): void {
    this.push([channel, message]);
  }

  /** @internal One of this receiver's channels closed: a loss ends the receiver with its error. */
  _closed(channel: Channel<boolean, M>, error: Error | undefined): void {
    const registry: Map<string, Channel<boolean, M>> = channel.isPattern
      ? this.#patterns
      : this.#channels;
    if (registry.get(channel.name) === channel) registry.delete(channel.name);
    if (error !== undefined) this.end(error);
  }

  protected decodeRaw(
    raw: [Channel<boolean, M>, RawMessage],
    options: DecodeOptions | undefined,
  ): unknown {
    return [raw[0], raw[0]._decode(raw[1], options)];
  }

  #sender<P extends boolean>(
    registry: Map<string, Channel<P, M>>,
    name: string | Buffer,
    isPattern: P,
  ): Channel<P, M> {
    const key = typeof name === 'string' ? name : name.toString('utf8');
    let channel = registry.get(key);
    if (channel === undefined) {
      const options: InternalOptions = { [kReceiver]: this as Receiver<unknown> };
      if (this.#encoding !== undefined) options.encoding = this.#encoding;
      channel = new Channel<P, M>(name, isPattern, ...([options] as ChannelOptionsArg<M>));
      registry.set(key, channel);
    }
    return channel;
  }
}
