/**
 * Pub/sub message queues: a {@link Channel} holds the messages of one subscribed channel or
 * pattern until the application reads them; a {@link Receiver} gathers the messages of many
 * channels and patterns into one queue (aioredis's multi-producer, single-consumer `Receiver`).
 *
 * Messages are decoded when they are read, with the encoding of the connection they were
 * subscribed on unless the Channel (or Receiver) was made with its own, or the read asks for
 * another: on a `utf8` client they are strings, on a client without an encoding Buffers.
 *
 * Every queue is bounded (`maxQueued`, `maxQueuedBytes`) and a loss is never silent: a gap marker
 * stands, in order, where messages may be missing (after a reconnect, or where a full queue dropped
 * its oldest messages); see `pubsub-gap.ts`.
 *
 * @module
 */

import type { SubscriptionGap } from './errors';
import { MessageQueue } from './message-queue';
import { publishGap, type QueueOptions, registerGap } from './pubsub-gap';
import {
  checkConstructorOptions,
  decodeOne,
  type DecodeOptions,
  noArguments,
  rawSize,
  type RawMessage,
  readError,
} from './pubsub-read';
import { refusedIterator } from './strict';

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

/**
 * Options of `new Channel()` and `new Receiver()`: the default `encoding`, and (from
 * {@link QueueOptions}) what a gap becomes (`gaps`, default `'marker'`) and the queue's bounds
 * (`maxQueued` 100,000 messages, `maxQueuedBytes` 64 MiB, `overflow: 'drop-oldest'`).
 */
export interface ChannelOptions extends QueueOptions {
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
/** A Receiver's channels are made by it: the constructor learns its Receiver by this key. */
const kReceiver = Symbol('receiver');
type InternalOptions = ChannelOptions & { [kReceiver]?: Receiver<unknown> };

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
 * After a lost connection is resubscribed, one gap marker (a {@link SubscriptionGap}, `kind:
 * 'gap'`) stands in the stream where messages may be missing: reads return it in order with the
 * messages, and `isGap()` tells it from a message. Options choose otherwise: `gaps: 'throw'` makes
 * the read that reaches it reject with `SubscriptionGapError` (the channel stays usable: read on,
 * or enter `for await` again, since the rejection ends that loop), and `gaps: 'ignore'` drops it.
 *
 * The queue is bounded: at most `maxQueued` messages (100,000) and `maxQueuedBytes` bytes of
 * payload (64 MiB). When a slow consumer lets it fill, `overflow: 'drop-oldest'` (the default)
 * drops the oldest messages and leaves one gap marker where they were, its `cause` a
 * `QueueFullError` that counts them; `overflow: 'error'` drops new messages instead, and the read
 * that reaches the point where they were dropped rejects with `QueueFullError`. Every gap is also
 * published on `node:diagnostics_channel` `redmux:gap`.
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
  implements AsyncIterable<ChannelMessage<P, M> | SubscriptionGap>
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
   *   without it, the connection's, learnt on subscribing. `gaps`, `maxQueued`, `maxQueuedBytes`
   *   and `overflow`: see {@link QueueOptions}. Unknown keys and values of the wrong type throw
   *   TypeError, a bound that is not an integer ≥ 1 RangeError. A Receiver's channels take the
   *   Receiver's.
   *
   * @example
   * ```ts
   * const mine = new Channel<false, string>('news', false, { encoding: 'utf8' });
   * await conn.executePubsub('subscribe', mine);
   * ```
   */
  constructor(name: string | Buffer, isPattern: P, ...[options]: ChannelOptionsArg<M>) {
    if (typeof name !== 'string' && !Buffer.isBuffer(name)) {
      throw new TypeError('Channel name must be a string or a Buffer');
    }
    const checked = checkConstructorOptions<InternalOptions>('new Channel()', options);
    super(checked.limits);
    this.name = typeof name === 'string' ? name : name.toString('utf8');
    this.isPattern = isPattern;
    this.#receiver = checked.options[kReceiver];
    this.#encoding = checked.options.encoding;
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
  get(options?: AsDefault): Promise<ChannelMessage<P, M> | SubscriptionGap>;
  get(options: AsBuffers): Promise<ChannelMessage<P, Buffer> | SubscriptionGap>;
  get(options: AsStrings): Promise<ChannelMessage<P, string> | SubscriptionGap>;
  get<T>(options: DecodeDefault<M, T>): Promise<ChannelMessage<P, T, M> | SubscriptionGap>;
  get<T>(options: DecodeStrings<T>): Promise<ChannelMessage<P, T, string> | SubscriptionGap>;
  get<T>(options: DecodeBuffers<T>): Promise<ChannelMessage<P, T, Buffer> | SubscriptionGap>;
  get(options?: GetOptions): Promise<ChannelMessage<P, unknown, string | Buffer> | SubscriptionGap>;
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
  getJson(): Promise<ChannelMessage<P, unknown, string> | SubscriptionGap>;
  getJson(...extra: unknown[]): Promise<ChannelMessage<P, unknown, string> | SubscriptionGap> {
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
  iter(options?: AsDefault): AsyncIterableIterator<ChannelMessage<P, M> | SubscriptionGap>;
  iter(options: AsBuffers): AsyncIterableIterator<ChannelMessage<P, Buffer> | SubscriptionGap>;
  iter(options: AsStrings): AsyncIterableIterator<ChannelMessage<P, string> | SubscriptionGap>;
  iter<T>(
    options: DecodeDefault<M, T>,
  ): AsyncIterableIterator<ChannelMessage<P, T, M> | SubscriptionGap>;
  iter<T>(
    options: DecodeStrings<T>,
  ): AsyncIterableIterator<ChannelMessage<P, T, string> | SubscriptionGap>;
  iter<T>(
    options: DecodeBuffers<T>,
  ): AsyncIterableIterator<ChannelMessage<P, T, Buffer> | SubscriptionGap>;
  iter(
    options?: GetOptions,
  ): AsyncIterableIterator<ChannelMessage<P, unknown, string | Buffer> | SubscriptionGap>;
  iter(options?: DecodeOptions, ...extra: unknown[]): AsyncIterableIterator<unknown> {
    if (this.#receiver) return refusedIterator(new TypeError(NOT_READABLE));
    const refused = readError('Channel.iter()', options, extra.length);
    if (refused !== undefined) return refusedIterator(refused);
    return this.iterate(options);
  }

  /** `iter()` with default options, so that `for await (const message of channel)` works. */
  [Symbol.asyncIterator](): AsyncIterableIterator<ChannelMessage<P, M> | SubscriptionGap> {
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
   * Messages may have been lost: the connection was lost, and this Channel is subscribed again.
   * Queues `gap` as its marker, in order with the messages (or, on a Receiver's channel, hands it
   * to the Receiver, which yields one marker per gap for all its channels), as the `gaps` option
   * says, and publishes it on `redmux:gap` (once per gap object, whichever Channel gets it first).
   * Ignored once closed.
   *
   * @internal Called by the Link once per loss for each Channel it resubscribed, with the same
   * `gap` object for all of them (its `channels` listing every one), before any message that
   * arrived after the resubscription is put.
   */
  _gap(gap: SubscriptionGap): void {
    if (this.isClosed) return;
    registerGap(gap);
    publishGap(gap);
    if (this.#receiver === undefined) this.pushGap(gap);
    else this.#receiver._gap(this, gap);
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

  protected sizeOf(raw: RawMessage): number {
    return rawSize(raw);
  }

  protected nameOf(): string {
    return this.name;
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
 * Gaps and bounds work as on a {@link Channel}, with the Receiver's options: one gap marker per
 * loss, whose `channels` lists the Receiver's own channels and patterns that were resubscribed,
 * and one queue bounded by `maxQueued` and `maxQueuedBytes` for all of them.
 *
 * @example
 * ```ts
 * const receiver = new Receiver<string>({ encoding: 'utf8' });
 * await conn.executePubsub('subscribe', receiver.channel('news'), receiver.channel('sport'));
 * await conn.executePubsub('psubscribe', receiver.pattern('alerts:*'));
 * for await (const item of receiver) {
 *   if (isGap(item)) console.warn('may have lost messages of', item.channels);
 *   else if (Array.isArray(item[1])) console.log(item[0].name, ...item[1]); // a pattern: [channelName, text]
 *   else console.log(item[0].name, item[1]); // text
 * }
 * ```
 *
 * @typeParam M - A message's type when a read gives no `encoding`: `string` or `Buffer` when the
 *   Receiver is made with a matching `encoding`, else `string | Buffer` (the connection decides).
 */
export class Receiver<M = string | Buffer>
  extends MessageQueue<[Channel<boolean, M>, RawMessage], DecodeOptions>
  implements AsyncIterable<ReceiverMessage<M> | SubscriptionGap>
{
  readonly #channels = new Map<string, Channel<false, M>>();
  readonly #patterns = new Map<string, Channel<true, M>>();
  readonly #encoding: BufferEncoding | null | undefined;
  /** The last loss gap seen, and the marker made for it: a loss reaches each channel in turn. */
  #loss: { readonly source: SubscriptionGap; readonly channels: string[] } | undefined;

  /**
   * @param options - `encoding`: how its channels' messages are decoded by default (see
   *   {@link ChannelOptions}); without it, each channel takes its connection's on subscribing.
   *   `gaps`, `maxQueued`, `maxQueuedBytes` and `overflow`: see {@link QueueOptions}, for the
   *   Receiver's one queue. Unknown keys and values of the wrong type throw TypeError, a bound
   *   that is not an integer ≥ 1 RangeError.
   */
  constructor(...[options]: ChannelOptionsArg<M>) {
    const checked = checkConstructorOptions('new Receiver()', options);
    super(checked.limits);
    this.#encoding = checked.options.encoding;
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
  get(options?: AsDefault): Promise<ReceiverMessage<M> | SubscriptionGap>;
  get(options: AsBuffers): Promise<ReceiverMessage<M, Buffer> | SubscriptionGap>;
  get(options: AsStrings): Promise<ReceiverMessage<M, string> | SubscriptionGap>;
  get<T>(options: DecodeDefault<M, T>): Promise<ReceiverMessage<M, T, M> | SubscriptionGap>;
  get<T>(options: DecodeStrings<T>): Promise<ReceiverMessage<M, T, string> | SubscriptionGap>;
  get<T>(options: DecodeBuffers<T>): Promise<ReceiverMessage<M, T, Buffer> | SubscriptionGap>;
  get(
    options?: GetOptions,
  ): Promise<ReceiverMessage<M, unknown, string | Buffer> | SubscriptionGap>;
  get(options?: DecodeOptions, ...extra: unknown[]): Promise<unknown> {
    const refused = readError('Receiver.get()', options, extra.length);
    if (refused !== undefined) return Promise.reject(refused);
    return this.read(options);
  }

  /**
   * `[channel, message]` pairs, decoded as {@link Receiver.get} does, until {@link stop} and the
   * queue is drained. Options it does not understand make its first `next()` reject with TypeError.
   */
  iter(options?: AsDefault): AsyncIterableIterator<ReceiverMessage<M> | SubscriptionGap>;
  iter(options: AsBuffers): AsyncIterableIterator<ReceiverMessage<M, Buffer> | SubscriptionGap>;
  iter(options: AsStrings): AsyncIterableIterator<ReceiverMessage<M, string> | SubscriptionGap>;
  iter<T>(
    options: DecodeDefault<M, T>,
  ): AsyncIterableIterator<ReceiverMessage<M, T, M> | SubscriptionGap>;
  iter<T>(
    options: DecodeStrings<T>,
  ): AsyncIterableIterator<ReceiverMessage<M, T, string> | SubscriptionGap>;
  iter<T>(
    options: DecodeBuffers<T>,
  ): AsyncIterableIterator<ReceiverMessage<M, T, Buffer> | SubscriptionGap>;
  iter(
    options?: GetOptions,
  ): AsyncIterableIterator<ReceiverMessage<M, unknown, string | Buffer> | SubscriptionGap>;
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
  [Symbol.asyncIterator](): AsyncIterableIterator<ReceiverMessage<M> | SubscriptionGap> {
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

  /**
   * @internal One of this receiver's channels was resubscribed after a loss. The first channel to
   * bring a gap queues the Receiver's one marker for it, listing the Receiver's channels and
   * patterns that `gap.channels` names; the others (the same gap object) only add their name if
   * it was missing.
   */
  _gap(channel: Channel<boolean, M>, gap: SubscriptionGap): void {
    if (this.isClosed) return;
    if (this.#loss?.source === gap) {
      if (!this.#loss.channels.includes(channel.name)) this.#loss.channels.push(channel.name);
      return;
    }
    const named = new Set(gap.channels);
    const channels = [channel.name];
    for (const registry of [this.#channels, this.#patterns]) {
      for (const name of registry.keys()) {
        if (name !== channel.name && named.has(name) && !channels.includes(name)) {
          channels.push(name);
        }
      }
    }
    const { lostAt, resumedAt, cause, epoch } = gap;
    // Not frozen: a channel the Link named late still joins the marker it belongs to.
    const marker = registerGap({ kind: 'gap' as const, channels, lostAt, resumedAt, cause, epoch });
    this.#loss = { source: gap, channels };
    this.pushGap(marker);
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

  protected sizeOf(raw: [Channel<boolean, M>, RawMessage]): number {
    return rawSize(raw[1]);
  }

  protected nameOf(raw: [Channel<boolean, M>, RawMessage]): string {
    return raw[0].name;
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
