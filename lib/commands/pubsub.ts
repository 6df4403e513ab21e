/**
 * Pub/sub commands (aioredis 1.x `commands/pubsub.py`, camelCase), plus the sharded ones of Redis
 * 7 (SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH, PUBSUB SHARDCHANNELS / SHARDNUMSUB).
 *
 * Subscribing runs on the client's pub/sub connection (a pool keeps one apart) and resolves with
 * the {@link Channel} of every channel or pattern, whose messages it then receives:
 *
 * ```ts
 * const [news] = await redis.subscribe('news');
 * for await (const message of news) console.log(message); // strings on a utf8 client
 * ```
 *
 * A single-connection client that subscribed can only (un)subscribe and PING (RESP2): publish from
 * another client, or use a pool, which subscribes on a connection of its own. Pipelines and
 * transactions may publish but not subscribe.
 *
 * @module
 */
import { isUtf8 } from 'node:buffer';
import type { PubsubReply } from '../connection';
import type { Arg } from '../protocol/encoder';
import type { Reply } from '../protocol/reader';
import { Channel, type ChannelArg, type SubscribedChannels } from '../pubsub';
import { type Bulk, Commands, invalid, type ReadOptions, toObject } from './base';

export abstract class PubsubCommands<S = Buffer> extends Commands<S> {
  /**
   * SUBSCRIBE: subscribes to the channels (names or Channel objects); resolves with their
   * Channels, one per argument, in order (a tuple: `const [a, b] = await redis.subscribe('a',
   * 'b')`), once the server confirmed them all. A name this client is already subscribed to keeps
   * its Channel, and resolves with it. Messages are decoded with the client's encoding: strings
   * on a `utf8` client (`Channel<false, string>`), Buffers on one without.
   */
  subscribe<A extends [ChannelArg<false>, ...Array<ChannelArg<false>>]>(
    ...channels: A
  ): Promise<SubscribedChannels<A, false, S>> {
    const given = channelsOf(false, channels);
    return this.executePubsub('SUBSCRIBE', ...given).then(
      () =>
        registered(given, (name) => this.subscribedChannel('channels', name)) as SubscribedChannels<
          A,
          false,
          S
        >,
    );
  }

  /**
   * PSUBSCRIBE: subscribes to the glob-style patterns; resolves with their Channels (a tuple, one
   * per argument), whose messages are `[channelName, message]`, both decoded with the client's
   * encoding. A pattern already subscribed keeps its Channel.
   */
  psubscribe<A extends [ChannelArg<true>, ...Array<ChannelArg<true>>]>(
    ...patterns: A
  ): Promise<SubscribedChannels<A, true, S>> {
    const given = channelsOf(true, patterns);
    return this.executePubsub('PSUBSCRIBE', ...given).then(
      () =>
        registered(given, (name) => this.subscribedChannel('patterns', name)) as SubscribedChannels<
          A,
          true,
          S
        >,
    );
  }

  /**
   * SSUBSCRIBE (Redis 7): subscribes to sharded channels; resolves with their Channels (a tuple,
   * one per argument), decoded with the client's encoding. A name already subscribed keeps its
   * Channel.
   */
  ssubscribe<A extends [ChannelArg<false>, ...Array<ChannelArg<false>>]>(
    ...channels: A
  ): Promise<SubscribedChannels<A, false, S>> {
    const given = channelsOf(false, channels);
    return this.executePubsub('SSUBSCRIBE', ...given).then(
      () =>
        registered(given, (name) => this.subscribedChannel('shards', name)) as SubscribedChannels<
          A,
          false,
          S
        >,
    );
  }

  /**
   * UNSUBSCRIBE: unsubscribes from the channels, or from every channel when none is given; their
   * Channels end once drained. Resolves with the server's confirmations, `[kind, name, count]`.
   */
  unsubscribe(...channels: Array<ChannelArg<false>>): Promise<PubsubReply[]> {
    return this.executePubsub('UNSUBSCRIBE', ...channels);
  }

  /** PUNSUBSCRIBE: unsubscribes from the patterns, or from all of them; resolves with the confirmations. */
  punsubscribe(...patterns: Array<ChannelArg<true>>): Promise<PubsubReply[]> {
    return this.executePubsub('PUNSUBSCRIBE', ...patterns);
  }

  /** SUNSUBSCRIBE (Redis 7): unsubscribes from sharded channels, or all; resolves with the confirmations. */
  sunsubscribe(...channels: Array<ChannelArg<false>>): Promise<PubsubReply[]> {
    return this.executePubsub('SUNSUBSCRIBE', ...channels);
  }

  /** PUBLISH: sends `message` to `channel`; resolves with how many subscribers received it. */
  publish(channel: Arg, message: Arg): Promise<number> {
    return this.execute('PUBLISH', channel, message);
  }

  /**
   * PUBLISH of `value` as JSON (read it with `channel.getJson()`); resolves with how many
   * subscribers received it. A value without a JSON form (undefined, a function, a BigInt, a
   * cycle) rejects with TypeError.
   */
  publishJson(channel: Arg, value: unknown): Promise<number> {
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch {
      return invalid('publishJson() value cannot be converted to JSON');
    }
    if (json === undefined) return invalid('publishJson() value has no JSON form');
    return this.execute('PUBLISH', channel, json);
  }

  /** SPUBLISH (Redis 7): sends `message` to a sharded channel; resolves with how many received it. */
  spublish(channel: Arg, message: Arg): Promise<number> {
    return this.execute('SPUBLISH', channel, message);
  }

  /** PUBSUB CHANNELS: the channels with subscribers, those matching `pattern` if given. */
  pubsubChannels<O extends ReadOptions | undefined = undefined>(
    pattern?: string | Buffer,
    options?: O,
  ): Promise<Array<Bulk<O, S>>> {
    if (pattern === undefined) return this.read(options, 'PUBSUB', 'CHANNELS');
    return this.read(options, 'PUBSUB', 'CHANNELS', pattern);
  }

  /** PUBSUB NUMSUB: the number of subscribers of each channel, keyed by name (UTF-8). */
  pubsubNumsub(...channels: Arg[]): Promise<Record<string, number>> {
    return this.executeWith<NumsubReply>(
      { encoding: 'utf8' },
      'PUBSUB',
      'NUMSUB',
      ...channels,
    ).then(toObject);
  }

  /** PUBSUB NUMPAT: the number of patterns subscribed to, by all clients. */
  pubsubNumpat(): Promise<number> {
    return this.execute('PUBSUB', 'NUMPAT');
  }

  /** PUBSUB SHARDCHANNELS (Redis 7): the sharded channels with subscribers, those matching `pattern` if given. */
  pubsubShardchannels<O extends ReadOptions | undefined = undefined>(
    pattern?: string | Buffer,
    options?: O,
  ): Promise<Array<Bulk<O, S>>> {
    if (pattern === undefined) return this.read(options, 'PUBSUB', 'SHARDCHANNELS');
    return this.read(options, 'PUBSUB', 'SHARDCHANNELS', pattern);
  }

  /** PUBSUB SHARDNUMSUB (Redis 7): the number of subscribers of each sharded channel, by name. */
  pubsubShardnumsub(...channels: Arg[]): Promise<Record<string, number>> {
    return this.executeWith<NumsubReply>(
      { encoding: 'utf8' },
      'PUBSUB',
      'SHARDNUMSUB',
      ...channels,
    ).then(toObject);
  }
}

/** `[name, count…]` (RESP2) or a map (RESP3). */
type NumsubReply = Array<string | number> | Map<Reply, number>;

/**
 * The Channel the connection holds for each of `given` (all Channels, since the server confirmed
 * them): a name subscribed before keeps its own, a new one is the Channel given.
 */
function registered(
  given: Array<string | Buffer | Channel>,
  lookup: (name: string) => Channel | undefined,
): Channel[] {
  return (given as Channel[]).map((own) => {
    const found = lookup(own.name);
    if (found !== undefined) return found;
    // Unsubscribed again in the same read from the socket, before this ran: it ends as that did.
    own._close();
    return own;
  });
}

/**
 * The Channels a subscribe call hands to the connection, one per argument: the caller's own, or a
 * new one per name. A name given twice, or given both as a name and as a Channel, gets the one
 * Channel the connection will register for it (the last Channel object by that name, as there).
 * Anything else is left as it is, for the connection to refuse with its TypeError.
 */
function channelsOf(
  isPattern: boolean,
  given: readonly unknown[],
): Array<string | Buffer | Channel> {
  const byName = new Map<string, Channel>();
  for (const item of given) if (item instanceof Channel) byName.set(item.name, item);
  return given.map((item) => {
    const name =
      item instanceof Channel
        ? item.name
        : typeof item === 'string'
          ? item
          : // A Buffer that is not UTF-8 has no name to key it by: the connection refuses it.
            Buffer.isBuffer(item) && isUtf8(item)
            ? item.toString('utf8')
            : undefined;
    if (name === undefined) return item as Channel;
    let channel = byName.get(name);
    if (channel === undefined) {
      channel = new Channel(name, isPattern);
      byName.set(name, channel);
    }
    return channel;
  });
}
