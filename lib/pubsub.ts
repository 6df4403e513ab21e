/**
 * Pub/sub message queues: {@link Channel} holds the messages of one subscribed channel or pattern
 * until the application reads them.
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
 * The queue of messages received on one subscribed channel (`isPattern` false) or pattern
 * (`isPattern` true, each message `[channelName, message]`). The connection fills it; read it with
 * `for await`, {@link Channel.get} or {@link Channel.waitMessage}.
 *
 * Unsubscribing closes the channel: reads still return every message already queued, then the
 * iteration ends ({@link Channel.get} rejects with `ChannelClosedError`). Losing the connection
 * also closes it, but once the queue is drained every read rejects with the error that closed
 * the connection, so a loss is never mistaken for an end.
 *
 * The queue is unbounded: a consumer slower than the publishers makes it grow in memory. Watch
 * {@link Channel.queueLength} if that can happen.
 *
 * Several readers may wait at once: each gets a different message, in the order they asked.
 *
 * @example
 * ```ts
 * const [channel] = await redis.subscribe('news');
 * for await (const message of channel) {
 *   console.log(message.toString()); // a Buffer; channel.iter({ encoding: 'utf8' }) gives strings
 * }
 * // here: unsubscribed and every message read (a lost connection throws from the loop instead)
 * ```
 *
 * @typeParam P - `true` for a pattern channel, `false` for a plain one, `boolean` when unknown.
 */
export class Channel<P extends boolean = boolean> implements AsyncIterable<ChannelMessage<P>> {
  /** The channel name or pattern; a Buffer name is decoded as UTF-8. */
  readonly name: string;
  /** Whether this is a pattern (PSUBSCRIBE) channel, whose messages are `[channelName, message]`. */
  readonly isPattern: P;

  readonly #queue = new Denque<RawMessage>();
  /** Parked reads. Non-empty only while the queue is empty: `_put` hands a message to them first. */
  readonly #readers = new Denque<Reader>();
  #watchers: Watcher[] = [];
  #closed = false;
  #error: Error | undefined = undefined;

  /**
   * @param name - The channel name or pattern.
   * @param isPattern - `true` for a pattern channel (PSUBSCRIBE).
   */
  constructor(name: string | Buffer, isPattern: P) {
    if (typeof name !== 'string' && !Buffer.isBuffer(name)) {
      throw new TypeError('Channel name must be a string or a Buffer');
    }
    this.name = typeof name === 'string' ? name : name.toString('utf8');
    this.isPattern = isPattern;
  }

  /** `true` until the channel is closed and every queued message has been read. */
  get isActive(): boolean {
    return !this.#closed || this.#queue.length > 0;
  }

  /** How many received messages are queued, not yet read. */
  get queueLength(): number {
    return this.#queue.length;
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
    const raw = this.#queue.shift();
    if (raw !== undefined) {
      try {
        return Promise.resolve(decode(raw, options));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    if (this.#closed) return Promise.reject(this.#error ?? new ChannelClosedError());
    return new Promise((resolve, reject) => {
      this.#readers.push({ options, iterator: undefined, resolve, reject });
    });
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
  waitMessage(): Promise<boolean> {
    if (this.#queue.length > 0) return Promise.resolve(true);
    if (this.#closed) return this.#error ? Promise.reject(this.#error) : Promise.resolve(false);
    return new Promise((resolve, reject) => this.#watchers.push({ resolve, reject }));
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
    const state: IteratorState = { finished: false };
    const iterator: AsyncIterableIterator<unknown> = {
      next: (): Promise<IteratorResult<unknown>> => {
        if (state.finished) return Promise.resolve(DONE);
        const raw = this.#queue.shift();
        if (raw !== undefined) {
          try {
            return Promise.resolve({ done: false, value: decode(raw, options) });
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

  /** `iter()` with default options, so that `for await (const message of channel)` works. */
  [Symbol.asyncIterator](): AsyncIterableIterator<ChannelMessage<P>> {
    return this.iter();
  }

  /**
   * Queues a message, or hands it straight to the oldest waiting reader. Ignored once closed.
   *
   * @internal Called by the connection: a Buffer, or `[channel, message]` on a pattern channel.
   */
  _put(message: Buffer | [channel: Buffer, message: Buffer]): void {
    if (this.#closed) return;
    const reader = this.#readers.shift();
    if (reader !== undefined) {
      this.#deliver(reader, message);
      return;
    }
    this.#queue.push(message);
    if (this.#watchers.length > 0) {
      const watchers = this.#watchers;
      this.#watchers = [];
      for (const watcher of watchers) watcher.resolve(true);
    }
  }

  /**
   * Closes the channel: queued messages can still be read, then reads end (no `error`: the
   * channel was unsubscribed) or reject with `error` (the connection was lost). Only the first
   * call counts.
   *
   * @internal Called by the connection.
   */
  _close(error?: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#error = error;
    // Reads only wait while the queue is empty, so every one of them can be settled now.
    const readers = this.#readers.toArray();
    this.#readers.clear();
    for (const reader of readers) this.#end(reader);
    const watchers = this.#watchers;
    this.#watchers = [];
    for (const watcher of watchers) {
      if (error) watcher.reject(error);
      else watcher.resolve(false);
    }
  }

  #deliver(reader: Reader, raw: RawMessage): void {
    let value: unknown;
    try {
      value = decode(raw, reader.options);
    } catch (error) {
      // A throwing decoder fails this one read; it must not escape into the connection's reader.
      reader.reject(error);
      return;
    }
    reader.resolve(reader.iterator ? { done: false, value } : value);
  }

  /** Settles a parked read of a closed channel. */
  #end(reader: Reader): void {
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

/** One entry of an executePubsub result: `[kind, channel or pattern, subscription count]`. */
export type PubsubReply = [kind: string, name: string | null, count: number];

type Registry = 'channels' | 'patterns' | 'shards';

/** Pub/sub commands: which registry each one changes, and whether it adds to it. */
export const PUBSUB_COMMANDS: ReadonlyMap<string, { registry: Registry; add: boolean }> = new Map([
  ['SUBSCRIBE', { registry: 'channels', add: true }],
  ['UNSUBSCRIBE', { registry: 'channels', add: false }],
  ['PSUBSCRIBE', { registry: 'patterns', add: true }],
  ['PUNSUBSCRIBE', { registry: 'patterns', add: false }],
  ['SSUBSCRIBE', { registry: 'shards', add: true }],
  ['SUNSUBSCRIBE', { registry: 'shards', add: false }],
]);

/** Commands the server accepts while a RESP2 connection is subscribed. */
export const PUBSUB_ALLOWED: ReadonlySet<string> = new Set([
  ...PUBSUB_COMMANDS.keys(),
  'PING',
  'QUIT',
  'RESET',
]);

/** @internal A pub/sub command's arguments, checked: the channel names and the Channel objects given. */
export interface PubsubArgs {
  command: string;
  names: string[];
  objects: Map<string, Channel>;
}

/**
 * @internal Checks the arguments of executePubsub: a pub/sub command in any case, and channels as
 * names (string or Buffer) or Channel objects of the right kind.
 *
 * @throws TypeError for another command, no channel to subscribe to, or a channel of the wrong kind.
 */
export function parsePubsubArgs(command: unknown, channels: readonly unknown[]): PubsubArgs {
  const upper = typeof command === 'string' ? command.toUpperCase() : '';
  const spec = PUBSUB_COMMANDS.get(upper);
  if (spec === undefined) {
    throw new TypeError(`executePubsub() runs (P|S)(UN)SUBSCRIBE, not ${upper || typeof command}`);
  }
  if (spec.add && channels.length === 0) {
    throw new TypeError(`${upper} needs at least one channel`);
  }
  const wantsPatterns = spec.registry === 'patterns';
  const names: string[] = [];
  const objects = new Map<string, Channel>();
  channels.forEach((channel, i) => {
    if (channel instanceof Channel) {
      if (channel.isPattern !== wantsPatterns) {
        const given = channel.isPattern ? 'a pattern' : 'a channel';
        throw new TypeError(`channel #${i + 1} of ${upper} is ${given}; it takes ${spec.registry}`);
      }
      objects.set(channel.name, channel);
      names.push(channel.name);
    } else if (typeof channel === 'string') {
      names.push(channel);
    } else if (Buffer.isBuffer(channel)) {
      names.push(channel.toString('utf8'));
    } else {
      throw new TypeError(`channel #${i + 1} of ${upper} must be a string, Buffer or Channel`);
    }
  });
  return { command: upper, names, objects };
}

/**
 * @internal The subscriptions of one connection, as the server confirmed them: the Channel of every
 * subscribed channel, pattern and sharded channel, and the counts the server reported. It routes
 * messages; the connection hands confirmations to the command that asked for them.
 */
export class Subscriptions {
  readonly channels = new Map<string, Channel>();
  readonly patterns = new Map<string, Channel>();
  readonly shards = new Map<string, Channel>();
  /** Channels + patterns, as last reported by the server. */
  #count = 0;
  /** Sharded channels, as last reported by the server (they are counted apart). */
  #shardCount = 0;

  /** The number of subscriptions the server reported. */
  get count(): number {
    return this.#count + this.#shardCount;
  }

  /**
   * What a reply pushed by the server is: a message kind (`message`, `pmessage`, `smessage`), a
   * confirmation kind (`subscribe`, `unsubscribe`…), or null for anything else.
   */
  static kindOf(reply: unknown[]): string | null {
    const first = reply[0];
    if (!(typeof first === 'string' || Buffer.isBuffer(first)) || first.length > 12) return null;
    const kind = first.toString();
    return kind === 'message' ||
      kind === 'pmessage' ||
      kind === 'smessage' ||
      PUBSUB_COMMANDS.has(kind.toUpperCase())
      ? kind
      : null;
  }

  /** Hands a message to its Channel; returns false when `kind` is not a message kind. */
  deliver(kind: string, reply: unknown[]): boolean {
    switch (kind) {
      case 'message':
        this.channels.get(String(reply[1]))?._put(reply[2] as Buffer);
        return true;
      case 'smessage':
        this.shards.get(String(reply[1]))?._put(reply[2] as Buffer);
        return true;
      case 'pmessage':
        this.patterns.get(String(reply[1]))?._put([reply[2] as Buffer, reply[3] as Buffer]);
        return true;
      default:
        return false;
    }
  }

  /** How many channels of the registry `command` changes are subscribed now. */
  size(command: string): number {
    const spec = PUBSUB_COMMANDS.get(command);
    return spec === undefined ? 0 : this[spec.registry].size;
  }

  /**
   * Applies a (un)subscribe confirmation: registers the new Channel (the caller's own object when
   * `requested` has one by that name; an existing subscription keeps its Channel) or closes the
   * unsubscribed one so that its iteration ends.
   */
  confirm(
    kind: string,
    reply: unknown[],
    requested: ReadonlyMap<string, Channel> | null,
  ): PubsubReply {
    const spec = PUBSUB_COMMANDS.get(kind.toUpperCase()) as { registry: Registry; add: boolean };
    const name = reply[1] === null || reply[1] === undefined ? null : String(reply[1]);
    const count = Number(reply[2]);
    const registry = this[spec.registry];
    if (name !== null) {
      if (spec.add) {
        if (!registry.has(name)) {
          registry.set(
            name,
            requested?.get(name) ?? new Channel(name, spec.registry === 'patterns'),
          );
        }
      } else {
        registry.get(name)?._close();
        registry.delete(name);
      }
    }
    if (spec.registry === 'shards') this.#shardCount = count;
    else this.#count = count;
    return [kind, name, count];
  }

  /**
   * Closes every Channel and forgets them: with `error` (a lost or closed connection) readers
   * reject with it; without (RESET) their iteration ends normally.
   */
  closeAll(error?: Error): void {
    for (const registry of [this.channels, this.patterns, this.shards]) {
      for (const channel of registry.values()) channel._close(error);
      registry.clear();
    }
    this.#count = this.#shardCount = 0;
  }
}
