// Channels decode with the encoding of the connection they are subscribed on (issue 11, part 4):
// strings on a utf8 connection or client, Buffers without an encoding, `encoding: null` per read.
import { expect } from 'chai';
import {
  Channel,
  createConnection,
  createRedis,
  createRedisPool,
  Receiver,
  type Redis,
  type RedisConnection,
  RedisError,
} from '../../lib';
import { notGap } from '../helpers/gap';
import { sharedServer } from '../helpers/hooks';
import { rejectionOf, uniqueKey } from '../helpers/util';

const b = (text: string): Buffer => Buffer.from(text);

/** A method called as plain JavaScript may call it, with arguments its types don't allow. */
type Variadic = (...args: unknown[]) => Promise<unknown>;

/** Sends PUBLISH or SPUBLISH and checks that one subscriber received it. */
async function publish(
  publisher: RedisConnection,
  name: string,
  message: string,
  command = 'PUBLISH',
): Promise<void> {
  expect(await publisher.execute(command, name, message), `${command} ${name}`).to.equal(1);
}

/** The Channel subscribed as `name` in `map`; fails the test when there is none. */
function found(map: ReadonlyMap<string, Channel>, name: string): Channel {
  const channel = map.get(name);
  if (channel === undefined) expect.fail(`${name} is not subscribed`);
  return channel;
}

describe('Channel decoding with the connection encoding', () => {
  let url: string;
  /** Publishes; never subscribes. */
  let publisher: RedisConnection;
  /** Connections and clients that subscribe, made per test and closed after it. */
  let opened: Array<RedisConnection | Redis<Buffer> | Redis<string>> = [];

  before(async () => {
    url = (await sharedServer()).url;
    publisher = await createConnection(url);
  });

  afterEach(async () => {
    for (const client of opened) client.close();
    await Promise.all(opened.map((client) => client.waitClosed()));
    opened = [];
  });

  after(async () => {
    publisher.close();
    await publisher.waitClosed();
  });

  async function connection(encoding?: BufferEncoding): Promise<RedisConnection> {
    const conn = await createConnection(url, encoding ? { encoding } : {});
    opened.push(conn);
    return conn;
  }

  // One row per kind of subscription: how to subscribe, where the Channel lands, how to publish.
  const kinds = [
    { kind: 'a channel', subscribe: 'SUBSCRIBE', registry: 'pubsubChannels' },
    { kind: 'a pattern', subscribe: 'PSUBSCRIBE', registry: 'pubsubPatterns' },
    { kind: 'a sharded channel', subscribe: 'SSUBSCRIBE', registry: 'pubsubShardChannels' },
  ] as const;

  for (const { kind, subscribe, registry } of kinds) {
    const isPattern = subscribe === 'PSUBSCRIBE';
    const publishCommand = subscribe === 'SSUBSCRIBE' ? 'SPUBLISH' : 'PUBLISH';

    it(`gives strings on ${kind} of a utf8 connection (get, for await), Buffers with encoding: null`, async () => {
      const conn = await connection('utf8');
      const name = uniqueKey('enc');
      await conn.executePubsub(subscribe, isPattern ? `${name}:*` : name);
      const channel = found(conn[registry], isPattern ? `${name}:*` : name);
      expect(channel.encoding).to.equal('utf8');
      const target = isPattern ? `${name}:x` : name;
      const wrap = (message: string): unknown => (isPattern ? [target, message] : message);
      await publish(publisher, target, 'héllo', publishCommand);
      await publish(publisher, target, 'raw', publishCommand);
      await publish(publisher, target, 'looped', publishCommand);
      await publish(publisher, target, 'iter raw', publishCommand);
      expect(await channel.get()).to.deep.equal(wrap('héllo'));
      expect(await channel.get({ encoding: null })).to.deep.equal(
        isPattern ? [b(target), b('raw')] : b('raw'),
      );
      for await (const message of channel) {
        expect(message).to.deep.equal(wrap('looped'));
        break;
      }
      for await (const message of channel.iter({ encoding: null })) {
        expect(message).to.deep.equal(isPattern ? [b(target), b('iter raw')] : b('iter raw'));
        break;
      }
    });

    it(`keeps Buffers on ${kind} of a connection without an encoding; an encoding per read gives strings`, async () => {
      const conn = await connection();
      const name = uniqueKey('enc');
      await conn.executePubsub(subscribe, isPattern ? `${name}:*` : name);
      const channel = found(conn[registry], isPattern ? `${name}:*` : name);
      expect(channel.encoding).to.equal(null);
      const target = isPattern ? `${name}:x` : name;
      await publish(publisher, target, 'one', publishCommand);
      await publish(publisher, target, 'two', publishCommand);
      expect(await channel.get()).to.deep.equal(isPattern ? [b(target), b('one')] : b('one'));
      expect(await channel.get({ encoding: 'utf8' })).to.deep.equal(
        isPattern ? [target, 'two'] : 'two',
      );
    });
  }

  it('gives strings on a utf8 connection in RESP3 too, where messages are push frames', async () => {
    const conn = await connection('utf8');
    await conn.execute('HELLO', '3');
    const name = uniqueKey('resp3');
    await conn.executePubsub('subscribe', name);
    const channel = found(conn.pubsubChannels, name);
    await publish(publisher, name, 'pushed');
    expect(await conn.execute('PING')).to.equal('PONG'); // RESP3 allows commands while subscribed
    expect(await channel.get()).to.equal('pushed');
  });

  it('gives a Channel made without an encoding the connection’s when it subscribes; one made with its own keeps it', async () => {
    const utf8 = await connection('utf8');
    const buffers = await connection();
    const learns = new Channel(uniqueKey('learns'), false);
    const keepsBuffers = new Channel(uniqueKey('buffers'), false, { encoding: null });
    const keepsHex = new Channel(uniqueKey('hex'), false, { encoding: 'hex' });
    expect(learns.encoding).to.equal(undefined);
    await utf8.executePubsub('subscribe', learns, keepsBuffers);
    await buffers.executePubsub('subscribe', keepsHex);
    expect([learns.encoding, keepsBuffers.encoding, keepsHex.encoding]).to.deep.equal([
      'utf8',
      null,
      'hex',
    ]);
    await publish(publisher, learns.name, 'text');
    await publish(publisher, keepsBuffers.name, 'bytes');
    await publish(publisher, keepsHex.name, 'hi');
    expect(await learns.get()).to.equal('text');
    expect(await keepsBuffers.get()).to.deep.equal(b('bytes'));
    expect(await keepsHex.get()).to.equal('6869');
  });

  describe('Receiver', () => {
    it('decodes each message with its channel’s encoding: strings from a utf8 connection, Buffers with encoding: null', async () => {
      const conn = await connection('utf8');
      const receiver = new Receiver();
      const name = uniqueKey('recv');
      const channel = receiver.channel(name);
      const pattern = receiver.pattern(`${name}:*`);
      await conn.executePubsub('subscribe', channel);
      await conn.executePubsub('psubscribe', pattern);
      await publish(publisher, name, 'plain');
      await publish(publisher, `${name}:p`, 'matched');
      await publish(publisher, name, 'bytes');
      await publish(publisher, name, 'looped');
      expect(await receiver.get()).to.deep.equal([channel, 'plain']);
      expect(await receiver.get()).to.deep.equal([pattern, [`${name}:p`, 'matched']]);
      expect(await receiver.get({ encoding: null })).to.deep.equal([channel, b('bytes')]);
      for await (const entry of receiver) {
        expect(entry).to.deep.equal([channel, 'looped']);
        break;
      }
    });

    it('keeps Buffers from a connection without an encoding, and its own encoding when made with one', async () => {
      const buffers = await connection();
      const utf8 = await connection('utf8');
      const plain = new Receiver();
      const rawOnUtf8 = new Receiver<Buffer>({ encoding: null });
      const [first, second] = [uniqueKey('recv'), uniqueKey('recv')];
      await buffers.executePubsub('subscribe', plain.channel(first));
      await utf8.executePubsub('psubscribe', rawOnUtf8.pattern(`${second}:*`));
      await publish(publisher, first, 'one');
      await publish(publisher, `${second}:x`, 'two');
      expect(notGap(await plain.get())[1]).to.deep.equal(b('one'));
      expect(notGap(await rawOnUtf8.get())[1]).to.deep.equal([b(`${second}:x`), b('two')]);
    });
  });

  describe('through the client', () => {
    it('subscribe(), psubscribe() and ssubscribe() of a utf8 client give Channels of strings', async () => {
      const redis = await createRedis(url, { encoding: 'utf8' });
      opened.push(redis);
      const name = uniqueKey('client');
      const [a, c] = await redis.subscribe(`${name}:a`, `${name}:c`);
      const [p] = await redis.psubscribe(`${name}:p:*`);
      const [s] = await redis.ssubscribe(`${name}:s`);
      await publish(publisher, `${name}:c`, 'to c');
      await publish(publisher, `${name}:a`, 'to a');
      await publish(publisher, `${name}:p:1`, 'to p');
      await publish(publisher, `${name}:s`, 'to s', 'SPUBLISH');
      expect(await a.get()).to.equal('to a');
      expect(await c.get()).to.equal('to c');
      expect(await p.get()).to.deep.equal([`${name}:p:1`, 'to p']);
      expect(await s.get()).to.equal('to s');
    });

    it('subscribe() of a client without an encoding gives Channels of Buffers; getJson() still parses', async () => {
      const redis = await createRedis(url);
      opened.push(redis);
      const name = uniqueKey('client');
      const [a] = await redis.subscribe(name);
      await publish(publisher, name, 'bytes');
      await publish(publisher, name, '{"n":1}');
      expect(await a.get()).to.deep.equal(b('bytes'));
      expect(await a.getJson()).to.deep.equal({ n: 1 });
    });

    it('a utf8 pool subscribes on its own connection, so the same client can publish to itself', async () => {
      const redis = await createRedisPool(url, { encoding: 'utf8' });
      opened.push(redis);
      const name = uniqueKey('pool');
      const [news] = await redis.subscribe(name);
      expect(await redis.publishJson(name, { title: 'hello' })).to.equal(1);
      expect(await redis.publish(name, 'plain')).to.equal(1);
      expect(await news.getJson()).to.deep.equal({ title: 'hello' });
      expect(await news.get()).to.equal('plain');
    });

    it('refuses a command on a subscribed single connection with a message saying what to do instead', async () => {
      const redis = await createRedis(url, { encoding: 'utf8' });
      opened.push(redis);
      const name = uniqueKey('client');
      await redis.subscribe(name);
      const error = await rejectionOf(redis.publish(name, 'hello'));
      expect(error).to.be.instanceOf(RedisError);
      expect((error as RedisError).code).to.equal('REDMUX_ERR_PUBSUB_MODE');
      expect(error.message).to.match(/^PUBLISH cannot be sent while the connection is subscribed/);
      expect(error.message).to.include('another connection');
      expect(error.message).to.include('pool');
      expect(error.message).to.include('unsubscribe');
    });
  });

  describe('strict read options', () => {
    it('refuses unknown keys, non-object options, bad values and extra arguments without taking the message', async () => {
      const conn = await connection('utf8');
      const name = uniqueKey('strict');
      await conn.executePubsub('subscribe', name);
      const channel = found(conn.pubsubChannels, name);
      await publish(publisher, name, 'kept');
      await channel.waitMessage();
      const refusals: Array<[() => Promise<unknown>, RegExp]> = [
        [
          () => channel.get({ encodng: 'utf8' } as never),
          /^Channel\.get\(\) has no option 'encodng'; did you mean 'encoding'\?$/,
        ],
        [() => channel.get('utf8' as never), /^Channel\.get\(\) options must be a plain object/],
        [() => channel.get({ encoding: 'utf9' } as never), /option 'encoding'/],
        [() => (channel.get as Variadic)({}, {}), /takes at most 1 argument, got 2/],
        [() => channel.iter({ decoder: 'JSON' } as never).next(), /option 'decoder'/],
        [() => channel.iter({ withscores: true } as never).next(), /has no option 'withscores'/],
        [() => (channel.getJson as Variadic)({}), /takes no arguments/],
        [() => (channel.waitMessage as Variadic)(1), /takes no arg/],
      ];
      for (const [refused, message] of refusals) {
        const error = await rejectionOf(refused());
        expect(error, String(message)).to.be.instanceOf(TypeError);
        expect(error.message).to.match(message);
      }
      expect(channel.queueLength).to.equal(1);
      expect(await channel.get()).to.equal('kept');
    });

    it('refuses them on a Receiver too, without taking the message', async () => {
      const conn = await connection('utf8');
      const receiver = new Receiver();
      const channel = receiver.channel(uniqueKey('strict'));
      await conn.executePubsub('subscribe', channel);
      await publish(publisher, channel.name, 'kept');
      await receiver.waitMessage();
      const refusals: Array<[() => Promise<unknown>, RegExp]> = [
        [
          () => receiver.get({ decodr: JSON.parse } as never),
          /^Receiver\.get\(\) has no option 'decodr'; did you mean 'decoder'\?$/,
        ],
        [() => receiver.get(null as never), /^Receiver\.get\(\) options must be a plain object/],
        [() => (receiver.get as Variadic)(undefined, 1), /takes at most 1 argument, got 2/],
        [() => receiver.iter([] as never).next(), /^Receiver\.iter\(\) options must be/],
        [() => (receiver.waitMessage as Variadic)({}), /takes no arguments, got 1/],
      ];
      for (const [refused, message] of refusals) {
        const error = await rejectionOf(refused());
        expect(error, String(message)).to.be.instanceOf(TypeError);
        expect(error.message).to.match(message);
      }
      expect(await receiver.get()).to.deep.equal([channel, 'kept']);
    });
  });
});
