import { expect } from 'chai';
import {
  Channel,
  createRedis,
  createRedisPool,
  type PubsubReply,
  type Redis,
  ReplyError,
} from '../../lib';
import { messagesOf } from '../helpers/gap';
import { sharedServer } from '../helpers/hooks';
import { expectRefused as refusedOn } from '../helpers/commandstats';
import { rejectionOf, uniqueKey } from '../helpers/util';

describe('pubsub commands', () => {
  let url: string;
  /** Publishes and asks PUBSUB questions; never subscribes. */
  let redis: Redis<Buffer>;
  let text: Redis<string>;
  /** Clients that subscribe, made per test and closed after it. */
  let subscribers: Array<Redis<Buffer> | Redis<string>> = [];

  before(async () => {
    url = (await sharedServer()).url;
    redis = await createRedis(url);
    text = await createRedis(url, { encoding: 'utf8' });
  });

  afterEach(async () => {
    for (const client of subscribers) client.close();
    await Promise.all(subscribers.map((client) => client.waitClosed()));
    subscribers = [];
  });

  after(async () => {
    redis.close();
    text.close();
    await Promise.all([redis.waitClosed(), text.waitClosed()]);
  });

  /** A new single-connection client, closed after the test. */
  async function subscriber(): Promise<Redis<Buffer>> {
    const client = await createRedis(url);
    subscribers.push(client);
    return client;
  }

  /** A channel name no other test uses. */
  function channelName(label = 'channel'): string {
    return uniqueKey(label);
  }

  /**
   * A client of an ACL user that may only use channels matching `allowed:*` and may not run PUBSUB
   * (CHANNELS, NUMSUB…), and a function that deletes the user. The user's name is unique, so tests
   * sharing the server never see it.
   */
  async function restrictedClient(): Promise<[Redis<Buffer>, () => Promise<void>]> {
    const user = uniqueKey('user').replace(/:/g, '-');
    // prettier-ignore
    await text.call('ACL', 'SETUSER', user, 'on', '>secret', '~*', 'resetchannels', '&allowed:*', '+@all', '-pubsub');
    const client = await createRedis(url, { username: user, password: 'secret' });
    subscribers.push(client);
    return [client, () => text.call('ACL', 'DELUSER', user).then(() => undefined)];
  }

  async function expectNoPerm(promise: Promise<unknown>): Promise<void> {
    const err = await rejectionOf(promise);
    expect(err).to.be.instanceOf(ReplyError);
    expect((err as ReplyError).code).to.equal('NOPERM');
  }

  const expectRefused = (
    command: string,
    type: typeof TypeError | typeof RangeError,
    call: () => Promise<unknown>,
  ): Promise<void> => refusedOn(text, command, type, call);

  describe('#subscribe()', () => {
    it('resolves with one Channel per argument, in order, receiving what is published', async () => {
      const sub = await subscriber();
      const [first, second] = [channelName(), channelName()];
      const channels = await sub.subscribe(first, Buffer.from(second));
      expect(channels.map((channel) => channel.name)).to.deep.equal([first, second]);
      expect(channels.map((channel) => channel.isPattern)).to.deep.equal([false, false]);
      // The very Channels the connection routes messages to.
      expect(sub.connection?.pubsubChannels.get(first)).to.equal(channels[0]);
      expect(sub.connection?.pubsubChannels.get(second)).to.equal(channels[1]);
      expect(await redis.publish(first, 'one')).to.equal(1);
      expect(await redis.publish(second, 'two')).to.equal(1);
      expect(await channels[0]?.get()).to.deep.equal(Buffer.from('one'));
      expect(await channels[1]?.get({ encoding: 'utf8' })).to.equal('two');
    });

    it('resolves with the Channel objects it was given', async () => {
      const sub = await subscriber();
      const own = new Channel(channelName(), false);
      const [channel] = await sub.subscribe(own);
      expect(channel).to.equal(own);
      expect(sub.connection?.pubsubChannels.get(own.name)).to.equal(own);
      await redis.publish(own.name, 'hello');
      expect(await own.get({ encoding: 'utf8' })).to.equal('hello');
    });

    it('gives one Channel to a name given twice, or both as a name and as a Channel', async () => {
      const sub = await subscriber();
      const name = channelName();
      const [a, b] = await sub.subscribe(name, name);
      expect(a).to.equal(b);
      expect(sub.connection?.pubsubChannels.get(name)).to.equal(a);

      const own = new Channel(channelName(), false);
      const [c, d] = await sub.subscribe(own.name, own);
      expect(c).to.equal(own);
      expect(d).to.equal(own);
      expect(sub.connection?.pubsubChannels.get(own.name)).to.equal(own);
    });

    it('resolves with the Channel already subscribed to a name, not a new one', async () => {
      const sub = await subscriber();
      const name = channelName();
      const [first] = await sub.subscribe(name);
      const [again, other] = await sub.subscribe(name, channelName());
      expect(again).to.equal(first);
      expect(other).to.not.equal(first);
      const [mine] = await sub.subscribe(new Channel(name, false));
      expect(mine).to.equal(first);
      await redis.publish(name, 'still routed');
      expect(await first?.get({ encoding: 'utf8' })).to.equal('still routed');
    });

    it('resolves with an ended Channel when unsubscribed before the reply was looked at', async () => {
      const sub = await subscriber();
      const name = channelName();
      await sub.subscribe(name);
      // Sent together, both confirmations are likely read at once, before subscribe resolves.
      const [[channel]] = await Promise.all([sub.subscribe(name), sub.unsubscribe(name)]);
      expect(channel?.isActive).to.equal(false);
    });

    it("subscribes on a pool's pub/sub connection, while the pool still publishes", async () => {
      const pool = await createRedisPool(url, { encoding: 'utf8' });
      subscribers.push(pool);
      const name = channelName();
      const [channel] = await pool.subscribe(name);
      expect(pool.pool?.pubsubChannels.get(name)).to.equal(channel);
      expect(await pool.publish(name, 'from the pool')).to.equal(1);
      expect(await channel?.get({ encoding: 'utf8' })).to.equal('from the pool');
      expect(await pool.subscribe(name)).to.deep.equal([channel]);
      const [pattern] = await pool.psubscribe(`${name}*`);
      expect(pool.pool?.pubsubPatterns.get(`${name}*`)).to.equal(pattern);
      expect(await pool.unsubscribe(name)).to.deep.equal([['unsubscribe', name, 1]]);
      expect(channel?.isActive).to.equal(false);
    });

    it('rejects a pattern Channel, a closed Channel or a bad name with TypeError, sending nothing', async () => {
      const sub = await subscriber();
      const closed = new Channel(channelName(), false);
      closed._close();
      const bad: unknown[] = [
        new Channel(channelName(), true),
        closed,
        42,
        Buffer.from([0xff, 0xfe]), // not UTF-8
      ];
      for (const channel of bad) {
        await expectRefused('subscribe', TypeError, () =>
          sub.subscribe(channelName(), channel as string),
        );
      }
      expect(sub.connection?.inPubsub).to.equal(0);
    });

    it('rejects with NOPERM for a channel the user may not use', async () => {
      const [restricted, deleteUser] = await restrictedClient();
      try {
        await expectNoPerm(restricted.subscribe('allowed:x', 'forbidden'));
        expect(restricted.connection?.inPubsub).to.equal(0);
        const [channel] = await restricted.subscribe('allowed:x');
        expect(channel?.name).to.equal('allowed:x');
      } finally {
        await deleteUser();
      }
    });

    it('rejects in a pipeline or transaction, which can publish', async () => {
      const sub = await subscriber();
      const name = channelName();
      const [channel] = await sub.subscribe(name);
      for (const batch of [redis.pipeline(), redis.multiExec()]) {
        const refused = batch.subscribe(channelName());
        const published = batch.publish(name, 'batched');
        const results = await batch.execute({ returnExceptions: true });
        expect(results[0]).to.be.instanceOf(TypeError);
        expect(results[1]).to.equal(1);
        expect(await rejectionOf(refused)).to.be.instanceOf(TypeError);
        expect(await published).to.equal(1);
        expect(await channel?.get({ encoding: 'utf8' })).to.equal('batched');
      }
    });
  });

  describe('#psubscribe()', () => {
    it('resolves with pattern Channels whose messages are [channel, message]', async () => {
      const sub = await subscriber();
      const prefix = channelName('pattern');
      const [channel] = await sub.psubscribe(`${prefix}:*`);
      expect(channel?.name).to.equal(`${prefix}:*`);
      expect(channel?.isPattern).to.equal(true);
      expect(sub.connection?.pubsubPatterns.get(`${prefix}:*`)).to.equal(channel);
      expect(await redis.publish(`${prefix}:a`, 'hit')).to.equal(1);
      expect(await redis.publish(`${prefix}-no`, 'miss')).to.equal(0);
      expect(await channel?.get({ encoding: 'utf8' })).to.deep.equal([`${prefix}:a`, 'hit']);
    });

    it('rejects a plain Channel with TypeError, sending nothing', async () => {
      const sub = await subscriber();
      await expectRefused('psubscribe', TypeError, () =>
        sub.psubscribe(new Channel(channelName(), false) as unknown as Channel<true>),
      );
    });
  });

  describe('#ssubscribe()', () => {
    it('resolves with Channels receiving what spublish sends', async () => {
      const sub = await subscriber();
      const name = channelName('shard');
      const [channel] = await sub.ssubscribe(name);
      expect(channel?.name).to.equal(name);
      expect(channel?.isPattern).to.equal(false);
      expect(sub.connection?.pubsubShardChannels.get(name)).to.equal(channel);
      expect(await redis.spublish(name, 'sharded')).to.equal(1);
      expect(await channel?.get({ encoding: 'utf8' })).to.equal('sharded');
    });

    it('rejects a pattern Channel with TypeError, sending nothing', async () => {
      const sub = await subscriber();
      await expectRefused('ssubscribe', TypeError, () =>
        sub.ssubscribe(new Channel(channelName(), true) as unknown as Channel<false>),
      );
    });
  });

  describe('#unsubscribe()', () => {
    it('resolves with the confirmations and ends the Channel once drained', async () => {
      const sub = await subscriber();
      const [a, b] = [channelName(), channelName()];
      const [channel] = await sub.subscribe(a, b);
      await redis.publish(a, 'last');
      expect(await sub.unsubscribe(a)).to.deep.equal([['unsubscribe', a, 1]]);
      expect(sub.connection?.pubsubChannels.has(a)).to.equal(false);
      const messages: string[] = [];
      for await (const message of messagesOf(channel!.iter({ encoding: 'utf8' }))) {
        messages.push(message);
      }
      expect(messages).to.deep.equal(['last']);
      expect(channel?.isActive).to.equal(false);
    });

    it('unsubscribes from every channel when given none', async () => {
      const sub = await subscriber();
      const names = [channelName(), channelName()];
      const channels = await sub.subscribe(...(names as [string, string]));
      const replies = await sub.unsubscribe();
      expect(replies.map(([kind, name]) => [kind, name])).to.have.deep.members([
        ['unsubscribe', names[0]],
        ['unsubscribe', names[1]],
      ]);
      expect(replies.map(([, , count]) => count).sort()).to.deep.equal([0, 1]);
      expect(channels.map((channel) => channel.isActive)).to.deep.equal([false, false]);
      expect(sub.connection?.inPubsub).to.equal(0);
      expect(await sub.ping()).to.equal('PONG'); // no longer in pub/sub mode
    });

    it('rejects a bad name with TypeError, sending nothing', async () => {
      const sub = await subscriber();
      await sub.subscribe(channelName());
      await expectRefused('unsubscribe', TypeError, () => sub.unsubscribe({} as string));
      expect(sub.connection?.inPubsub).to.equal(1);
    });
  });

  describe('#punsubscribe()', () => {
    it('resolves with the confirmations and ends the pattern Channel', async () => {
      const sub = await subscriber();
      const pattern = `${channelName('pattern')}:*`;
      const [channel] = await sub.psubscribe(pattern);
      const replies: PubsubReply[] = await sub.punsubscribe(pattern);
      expect(replies).to.deep.equal([['punsubscribe', pattern, 0]]);
      expect(channel?.isActive).to.equal(false);
      expect(sub.connection?.pubsubPatterns.size).to.equal(0);
    });

    it('rejects a plain Channel with TypeError, sending nothing', async () => {
      const sub = await subscriber();
      await expectRefused('punsubscribe', TypeError, () =>
        sub.punsubscribe(new Channel(channelName(), false) as unknown as Channel<true>),
      );
    });
  });

  describe('#sunsubscribe()', () => {
    it('resolves with the confirmations and ends the sharded Channel', async () => {
      const sub = await subscriber();
      const name = channelName('shard');
      const [channel] = await sub.ssubscribe(name);
      expect(await sub.sunsubscribe(name)).to.deep.equal([['sunsubscribe', name, 0]]);
      expect(channel?.isActive).to.equal(false);
      expect(sub.connection?.pubsubShardChannels.size).to.equal(0);
    });

    it('rejects a bad name with TypeError, sending nothing', async () => {
      const sub = await subscriber();
      await expectRefused('sunsubscribe', TypeError, () => sub.sunsubscribe(null as never));
    });
  });

  describe('#publish()', () => {
    it('resolves with the number of subscribers that received the message', async () => {
      const name = channelName();
      expect(await redis.publish(name, 'nobody')).to.equal(0);
      const [one, two] = await Promise.all([subscriber(), subscriber()]);
      const [[first], [second]] = await Promise.all([one.subscribe(name), two.subscribe(name)]);
      expect(await text.publish(name, Buffer.from([1, 2, 3]))).to.equal(2);
      expect(await first?.get()).to.deep.equal(Buffer.from([1, 2, 3]));
      expect(await second?.get()).to.deep.equal(Buffer.from([1, 2, 3]));
    });

    it('rejects a bad message with TypeError, sending nothing', async () => {
      await expectRefused('publish', TypeError, () =>
        redis.publish(channelName(), undefined as never),
      );
    });

    it('rejects with NOPERM for a channel the user may not use', async () => {
      const [restricted, deleteUser] = await restrictedClient();
      try {
        await expectNoPerm(restricted.publish('forbidden', 'x'));
        expect(await restricted.publish('allowed:x', 'x')).to.equal(0);
      } finally {
        await deleteUser();
      }
    });
  });

  describe('#publishJson()', () => {
    it('publishes the value as JSON, which getJson() reads back', async () => {
      const sub = await subscriber();
      const name = channelName();
      const [channel] = await sub.subscribe(name);
      const value = { id: 7, tags: ['a', 'b'], nested: { ok: true, none: null } };
      expect(await redis.publishJson(name, value)).to.equal(1);
      expect(await redis.publishJson(name, 'text')).to.equal(1);
      expect(await channel?.getJson()).to.deep.equal(value);
      expect(await channel?.get({ encoding: 'utf8' })).to.equal('"text"');
    });

    it('rejects a value without a JSON form with TypeError, sending nothing', async () => {
      const cycle: Record<string, unknown> = {};
      cycle.self = cycle;
      for (const value of [undefined, () => 1, Symbol('s'), 10n, cycle]) {
        await expectRefused('publish', TypeError, () => redis.publishJson(channelName(), value));
      }
    });
  });

  describe('#spublish()', () => {
    it('resolves with the number of sharded subscribers that received the message', async () => {
      const name = channelName('shard');
      expect(await redis.spublish(name, 'nobody')).to.equal(0);
      const sub = await subscriber();
      await sub.ssubscribe(name);
      expect(await redis.spublish(name, 'one')).to.equal(1);
      // A sharded channel is apart from the plain channel of the same name.
      expect(await redis.publish(name, 'plain')).to.equal(0);
    });

    it('rejects a bad message with TypeError, sending nothing', async () => {
      await expectRefused('spublish', TypeError, () => redis.spublish(channelName(), [] as never));
    });

    it('rejects with NOPERM for a channel the user may not use', async () => {
      const [restricted, deleteUser] = await restrictedClient();
      try {
        await expectNoPerm(restricted.spublish('forbidden', 'x'));
      } finally {
        await deleteUser();
      }
    });
  });

  describe('#pubsubChannels()', () => {
    it('lists the channels with subscribers matching the pattern', async () => {
      const prefix = channelName('listed');
      const sub = await subscriber();
      await sub.subscribe(`${prefix}:a`, `${prefix}:b`);
      await sub.ssubscribe(`${prefix}:sharded`); // not a plain channel
      const found = await redis.pubsubChannels(`${prefix}:*`);
      expect(found.map(String).sort()).to.deep.equal([`${prefix}:a`, `${prefix}:b`]);
      expect(found.every((name) => Buffer.isBuffer(name))).to.equal(true);
      expect(await text.pubsubChannels(`${prefix}:a`)).to.deep.equal([`${prefix}:a`]);
      expect(await redis.pubsubChannels(`${prefix}:none*`)).to.deep.equal([]);
      expect((await text.pubsubChannels()).filter((n) => n.startsWith(prefix))).to.have.length(2);
    });

    it("decodes with the call's encoding", async () => {
      const name = channelName();
      const sub = await subscriber();
      await sub.subscribe(name);
      expect(await redis.pubsubChannels(name, { encoding: 'utf8' })).to.deep.equal([name]);
      expect(await text.pubsubChannels(name, { encoding: null })).to.deep.equal([
        Buffer.from(name),
      ]);
      expect(await text.pubsubChannels(name, { encoding: 'hex' })).to.deep.equal([
        Buffer.from(name).toString('hex'),
      ]);
    });

    it('rejects a bad pattern with TypeError, sending nothing', async () => {
      await expectRefused('pubsub|channels', TypeError, () => redis.pubsubChannels({} as string));
    });

    it('rejects with NOPERM for a user denied PUBSUB', async () => {
      const [restricted, deleteUser] = await restrictedClient();
      try {
        await expectNoPerm(restricted.pubsubChannels());
      } finally {
        await deleteUser();
      }
    });
  });

  describe('#pubsubNumsub()', () => {
    it('resolves with the number of subscribers of each channel, keyed by name', async () => {
      const [busy, quiet] = [channelName(), channelName()];
      const [one, two] = await Promise.all([subscriber(), subscriber()]);
      await Promise.all([one.subscribe(busy), two.subscribe(busy), two.psubscribe(quiet)]);
      expect(await redis.pubsubNumsub(busy, Buffer.from(quiet))).to.deep.equal({
        [busy]: 2,
        [quiet]: 0, // a pattern is not a subscriber of the channel of the same name
      });
      expect(await text.pubsubNumsub()).to.deep.equal({});
    });

    it('resolves the same over RESP3', async () => {
      const [name, other] = [channelName(), channelName()];
      const sub = await subscriber();
      await sub.subscribe(name);
      const resp3 = await subscriber();
      await resp3.call('HELLO', 3);
      expect(await resp3.pubsubNumsub(name, other)).to.deep.equal({ [name]: 1, [other]: 0 });
    });

    it('rejects a bad channel with TypeError, sending nothing', async () => {
      await expectRefused('pubsub|numsub', TypeError, () => redis.pubsubNumsub(true as never));
    });

    it('rejects with NOPERM for a user denied PUBSUB', async () => {
      const [restricted, deleteUser] = await restrictedClient();
      try {
        await expectNoPerm(restricted.pubsubNumsub('allowed:x'));
      } finally {
        await deleteUser();
      }
    });
  });

  describe('#pubsubNumpat()', () => {
    it('resolves with the number of subscribed patterns', async () => {
      const before = await redis.pubsubNumpat();
      const sub = await subscriber();
      await sub.psubscribe(`${channelName()}:*`, `${channelName()}:*`);
      expect(await redis.pubsubNumpat()).to.equal(before + 2);
      await sub.punsubscribe();
      expect(await redis.pubsubNumpat()).to.equal(before);
    });

    it('rejects with NOPERM for a user denied PUBSUB', async () => {
      const [restricted, deleteUser] = await restrictedClient();
      try {
        await expectNoPerm(restricted.pubsubNumpat());
      } finally {
        await deleteUser();
      }
    });
  });

  describe('#pubsubShardchannels()', () => {
    it('lists the sharded channels with subscribers matching the pattern', async () => {
      const prefix = channelName('shards');
      const sub = await subscriber();
      await sub.ssubscribe(`${prefix}:a`, `${prefix}:b`);
      await sub.subscribe(`${prefix}:plain`); // not a sharded channel
      const found = await redis.pubsubShardchannels(`${prefix}:*`);
      expect(found.map(String).sort()).to.deep.equal([`${prefix}:a`, `${prefix}:b`]);
      expect(found.every((name) => Buffer.isBuffer(name))).to.equal(true);
      expect(await text.pubsubShardchannels(`${prefix}:b`)).to.deep.equal([`${prefix}:b`]);
      expect(await redis.pubsubShardchannels(`${prefix}:a`, { encoding: 'utf8' })).to.deep.equal([
        `${prefix}:a`,
      ]);
      const all = await text.pubsubShardchannels();
      expect(all.filter((name) => name.startsWith(prefix))).to.have.length(2);
    });

    it('rejects a bad pattern with TypeError, sending nothing', async () => {
      await expectRefused('pubsub|shardchannels', TypeError, () =>
        redis.pubsubShardchannels(1n as never),
      );
    });

    it('rejects with NOPERM for a user denied PUBSUB', async () => {
      const [restricted, deleteUser] = await restrictedClient();
      try {
        await expectNoPerm(restricted.pubsubShardchannels());
      } finally {
        await deleteUser();
      }
    });
  });

  describe('#pubsubShardnumsub()', () => {
    it('resolves with the number of subscribers of each sharded channel, keyed by name', async () => {
      const [busy, quiet] = [channelName('shard'), channelName('shard')];
      const [one, two] = await Promise.all([subscriber(), subscriber()]);
      await Promise.all([one.ssubscribe(busy), two.ssubscribe(busy), two.subscribe(quiet)]);
      expect(await text.pubsubShardnumsub(busy, quiet)).to.deep.equal({ [busy]: 2, [quiet]: 0 });
      expect(await redis.pubsubShardnumsub()).to.deep.equal({});
    });

    it('rejects a bad channel with TypeError, sending nothing', async () => {
      await expectRefused('pubsub|shardnumsub', TypeError, () =>
        redis.pubsubShardnumsub(undefined as never),
      );
    });

    it('rejects with NOPERM for a user denied PUBSUB', async () => {
      const [restricted, deleteUser] = await restrictedClient();
      try {
        await expectNoPerm(restricted.pubsubShardnumsub('allowed:x'));
      } finally {
        await deleteUser();
      }
    });
  });
});
