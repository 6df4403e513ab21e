// Type tests for pub/sub, checked by `npm run typecheck` (never run): each assignment pins a type
// that must compile, each `@ts-expect-error` a use that must not. A type that widens to `any` or
// `unknown` breaks the assignments; one that narrows wrongly leaves an unused `@ts-expect-error`.
import {
  Channel,
  type ChannelMessage,
  isGap,
  type Redis,
  Receiver,
  type RedisConnection,
  type SubscriptionGap,
} from '../../lib';

/** `true` only when A and B are the same type (not merely assignable either way). */
type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** `exactly<T>()(value)` compiles only when `value` is exactly of type `T`. */
function exactly<Expected>() {
  return <Actual>(
    value: Actual,
    ...mismatch: Equal<Actual, Expected> extends true ? [] : [never]
  ) => [value, mismatch];
}

/**
 * The message of a read, a gap marker ruled out: compiles only if `isGap` narrows both ways (to
 * SubscriptionGap when true, to the message type when false).
 */
function message<T>(value: T | SubscriptionGap): T {
  if (isGap(value)) throw value.cause;
  return value;
}

export async function gaps(redis: Redis<string>): Promise<void> {
  // Every read may be a gap marker; isGap tells it from a message, both ways.
  const [a] = await redis.subscribe('a');
  const read = await a.get();
  exactly<string | SubscriptionGap>()(read);
  if (isGap(read)) exactly<SubscriptionGap>()(read);
  else exactly<string>()(read);
  for await (const item of a) {
    if (isGap(item)) {
      const lost: readonly string[] = item.channels;
      const why: Error = item.cause;
      const kind: 'gap' = item.kind;
      void [lost, why, kind, item.lostAt, item.resumedAt, item.epoch];
      continue;
    }
    exactly<string>()(item);
  }
  const [p] = await redis.psubscribe('p*');
  const pair = await p.get();
  if (!isGap(pair)) exactly<[channel: string, message: string]>()(pair);
  // A decoder's result is unknown to isGap, but a gap stays a gap.
  const json = await a.getJson();
  if (isGap(json)) exactly<SubscriptionGap>()(json);
  const receiver = new Receiver<string>({ encoding: 'utf8' });
  for await (const item of receiver) {
    if (isGap(item)) exactly<SubscriptionGap>()(item);
    else {
      const [channel, text] = item;
      void [channel, text];
    }
  }
  // @ts-expect-error -- a read may be a gap marker, not only a message
  const notOnlyText: string = await a.get();
  // @ts-expect-error -- a Receiver's read may be a gap marker, which is not a tuple
  const [notTuple] = await receiver.get();
  // @ts-expect-error -- gaps is 'marker', 'throw' or 'ignore'
  void new Channel('a', false, { gaps: 'skip' });
  // @ts-expect-error -- overflow is 'drop-oldest' or 'error'
  void new Receiver({ overflow: 'drop-newest' });
  void new Channel('a', false, { gaps: 'throw', maxQueued: 10, maxQueuedBytes: 1024 });
  void new Receiver({ gaps: 'ignore', overflow: 'error' });
  void [notOnlyText, notTuple];
}

export async function utf8Client(redis: Redis<string>): Promise<void> {
  // subscribe() resolves with a tuple: one Channel per argument, no `undefined` to check.
  const [a, b] = await redis.subscribe('a', 'b');
  exactly<Channel<false, string>>()(a);
  exactly<Channel<false, string>>()(b);
  const [onlyOne] = await redis.subscribe('c');
  const s: string = message(await onlyOne.get());
  for await (const item of a) {
    const text: string = message(item);
    void text;
  }
  // @ts-expect-error -- a subscribe() of two names has no third Channel
  void (await redis.subscribe('a', 'b'))[2];
  // @ts-expect-error -- subscribe() needs a channel
  await redis.subscribe();

  // Pattern channels yield [channelName, message], both strings.
  const [alerts] = await redis.psubscribe('alerts:*');
  exactly<Channel<true, string>>()(alerts);
  const [name, text] = message(await alerts.get());
  const pinned: [string, string] = [name, text];
  for await (const item of alerts) {
    const [channelName, body] = message(item);
    const both: string = channelName + body;
    void both;
  }
  // @ts-expect-error -- a pattern channel's message is a tuple, not a string
  const notText: string = message(await alerts.get());

  // Sharded channels are plain channels.
  const [shard] = await redis.ssubscribe('{room}:1');
  exactly<Channel<false, string>>()(shard);

  // A read's options change the type: null gives Buffers, an encoding strings, a decoder its result.
  const raw: Buffer = message(await a.get({ encoding: null }));
  const rawPattern: [Buffer, Buffer] = message(await alerts.get({ encoding: null }));
  const hex: string = message(await a.get({ encoding: 'hex' }));
  const length: number = message(await a.get({ decoder: (m: string) => m.length }));
  const size: number = message(
    await a.get({
      encoding: null,
      decoder: (m: Buffer) => m.length,
    }),
  );
  const decodedPattern: [string, number] = message(
    await alerts.get({ decoder: (m: string) => m.length }),
  );
  for await (const buffer of a.iter({ encoding: null })) {
    const bytes: Buffer = message(buffer);
    void bytes;
  }
  const json: unknown = await a.getJson();
  // @ts-expect-error -- with encoding: null the message is a Buffer, not a string
  const notString: string = message(await a.get({ encoding: null }));
  // @ts-expect-error -- on a utf8 client the decoder gets strings by default, not Buffers
  await a.get({ decoder: (message: Buffer) => message.length });
  // @ts-expect-error -- unknown option
  await a.get({ encodng: 'utf8' });
  // @ts-expect-error -- one options argument at most
  await a.get({}, {});
  // @ts-expect-error -- getJson() takes no options
  await a.getJson({ encoding: 'utf8' });
  void [s, pinned, notText, raw, rawPattern, hex, length, size, decodedPattern, json, notString];
}

export async function bufferClient(redis: Redis<Buffer>): Promise<void> {
  const [a] = await redis.subscribe('a');
  exactly<Channel<false, Buffer>>()(a);
  const bytes: Buffer = message(await a.get());
  const [p] = await redis.psubscribe('p*');
  const pair: [Buffer, Buffer] = message(await p.get());
  const text: string = message(await a.get({ encoding: 'utf8' }));
  // @ts-expect-error -- a Buffer client's messages are Buffers
  const notText: string = message(await a.get());
  void [bytes, pair, text, notText];
}

export async function ownChannels(redis: Redis<string>, conn: RedisConnection): Promise<void> {
  // A Channel made before it is subscribed: its message type depends on the connection...
  const loose = new Channel('news', false);
  exactly<Channel<false, string | Buffer>>()(loose);
  const either: string | Buffer = message(await loose.get());
  // ...unless it says: the type argument and the encoding must agree.
  const strings = new Channel<false, string>('news', false, { encoding: 'utf8' });
  const buffers = new Channel<true, Buffer>('news:*', true, { encoding: null });
  // @ts-expect-error -- a string Channel needs an encoding
  void new Channel<false, string>('news', false);
  // @ts-expect-error -- a string Channel with encoding: null would give Buffers
  void new Channel<false, string>('news', false, { encoding: null });
  // @ts-expect-error -- unknown constructor option
  void new Channel('news', false, { encodng: 'utf8' });

  // subscribe() keeps the type of a Channel passed in, and a name gets the client's.
  const [mine, other] = await redis.subscribe(strings, 'other');
  exactly<Channel<false, string>>()(mine);
  exactly<Channel<false, string>>()(other);
  const [pattern] = await redis.psubscribe(buffers);
  exactly<Channel<true, Buffer>>()(pattern);
  // @ts-expect-error -- a pattern Channel can't be passed to subscribe()
  await redis.subscribe(buffers);
  // @ts-expect-error -- a plain Channel can't be passed to psubscribe()
  await redis.psubscribe(strings);

  // A connection is not typed by its encoding: its Channels are string | Buffer.
  await conn.executePubsub('subscribe', 'news');
  const found = conn.pubsubChannels.get('news');
  if (found !== undefined) {
    const m: ChannelMessage<boolean, string | Buffer> = message(await found.get());
    void m;
  }
  void either;
}

export async function receivers(): Promise<void> {
  const receiver = new Receiver<string>({ encoding: 'utf8' });
  const news = receiver.channel('news');
  exactly<Channel<false, string>>()(news);
  const alerts = receiver.pattern('alerts:*');
  exactly<Channel<true, string>>()(alerts);
  // Messages are [channel, message], or [channel, [channelName, message]] for a pattern:
  // Array.isArray narrows the message.
  for await (const item of receiver) {
    const [channel, body] = message(item);
    const sender: Channel<boolean, string> = channel;
    if (Array.isArray(body)) {
      const [channelName, text]: [string, string] = body;
      void [channelName, text];
    } else {
      const text: string = body;
      void text;
    }
    void sender;
  }
  const [, next] = message(await receiver.get({ encoding: null }));
  const bytes: Buffer | [Buffer, Buffer] = next;
  // @ts-expect-error -- a message may be a pattern's [channelName, message]
  const onlyText: string = message(await receiver.get())[1];
  void [bytes, onlyText];
  const [, parsed] = message(await receiver.get({ decoder: (m: string) => m.length }));
  const count: number | [string, number] = parsed;

  const loose = new Receiver();
  const [, either] = message(await loose.get());
  const anything: string | Buffer | [string | Buffer, string | Buffer] = either;
  // @ts-expect-error -- a string Receiver needs an encoding
  void new Receiver<string>();
  // @ts-expect-error -- unknown option
  await receiver.get({ decodr: JSON.parse });
  // @ts-expect-error -- waitMessage() takes no arguments
  await receiver.waitMessage(1);
  void [count, anything];
}
