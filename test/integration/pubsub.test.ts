import { expect } from 'chai';
import {
  Channel,
  ChannelClosedError,
  ConnectionClosedError,
  type ConnectionsPool,
  ConnectionForcedCloseError,
  createConnection,
  createPool,
  Receiver,
  type RedisConnection,
  RedisError,
  ReplyError,
  type SubscriptionGap,
} from '../../lib';
import { useConnection } from '../helpers/connection';
import { messagesOf, notGap } from '../helpers/gap';
import { startRedis } from '../helpers/redis-server';
import { eventually, rejectionOf, uniqueKey } from '../helpers/util';

const b = (text: string): Buffer => Buffer.from(text);

/** The Channel subscribed as `name` (SUBSCRIBE or SSUBSCRIBE); fails the test when there is none. */
function plain(map: ReadonlyMap<string, Channel>, name: string): Channel<false> {
  const channel = map.get(name);
  if (channel === undefined) expect.fail(`${name} is not subscribed`);
  expect(channel.isPattern).to.equal(false);
  return channel as Channel<false>;
}

/** The Channel of the subscribed pattern `name`; fails the test when there is none. */
function pattern(conn: RedisConnection | ConnectionsPool, name: string): Channel<true> {
  const channel = conn.pubsubPatterns.get(name);
  if (channel === undefined) expect.fail(`${name} is not subscribed`);
  expect(channel.isPattern).to.equal(true);
  return channel as Channel<true>;
}

/** The CLIENT LIST fields (sub, psub, ssub, flags, resp, cmd…) of the client with this id. */
async function clientInfo(admin: RedisConnection, id: number): Promise<Record<string, string>> {
  const line = String(await admin.execute('CLIENT', 'LIST', 'ID', id)).trim();
  expect(line, `client ${id} is not connected`).to.match(/^id=/);
  const fields: Record<string, string> = {};
  for (const field of line.split(' ')) {
    const at = field.indexOf('=');
    fields[field.slice(0, at)] = field.slice(at + 1);
  }
  return fields;
}

/** The server's subscription count of a client: channels + patterns + sharded channels. */
async function serverCount(admin: RedisConnection, id: number): Promise<number> {
  const info = await clientInfo(admin, id);
  return Number(info.sub) + Number(info.psub) + Number(info.ssub);
}

/** `calls`, `rejected_calls` and `failed_calls` of `command` in INFO commandstats (zeros if never run). */
async function commandStats(admin: RedisConnection, command: string): Promise<number[]> {
  const info = String(await admin.execute('INFO', 'commandstats'));
  const line = info.split('\r\n').find((l) => l.startsWith(`cmdstat_${command.toLowerCase()}:`));
  return ['calls', 'rejected_calls', 'failed_calls'].map((field) =>
    Number(line?.match(new RegExp(`[:,]${field}=(\\d+)`))?.[1] ?? 0),
  );
}

/**
 * Runs `action` (which must reject with TypeError) and checks that nothing reached the server: no
 * call of `commands` at all (INFO commandstats, read after a PING round trip on `conn`, so that
 * whatever `conn` might have written is processed first), and `conn` still in step.
 */
async function expectTypeErrorSendingNothing(
  admin: RedisConnection,
  conn: RedisConnection,
  commands: string[],
  action: () => Promise<unknown>,
): Promise<void> {
  const before = await Promise.all(commands.map((command) => commandStats(admin, command)));
  const inPubsub = conn.inPubsub;
  expect(await rejectionOf(action())).to.be.instanceOf(TypeError);
  const pong = await conn.executeWith({ encoding: 'utf8' }, 'PING');
  expect(pong).to.deep.equal(inPubsub > 0 ? ['pong', ''] : 'PONG');
  const after = await Promise.all(commands.map((command) => commandStats(admin, command)));
  expect(after, `stats of ${commands.join(', ')}`).to.deep.equal(before);
  expect(conn.inPubsub).to.equal(inPubsub);
}

/** Reads `count` messages from an async iterable, then leaves the loop. */
async function take<T>(iterable: AsyncIterable<T | SubscriptionGap>, count: number): Promise<T[]> {
  const taken: T[] = [];
  if (count === 0) return taken;
  for await (const item of messagesOf(iterable)) {
    taken.push(item);
    if (taken.length === count) break;
  }
  return taken;
}

/** Runs a for-await loop over `iterable` to its end, collecting what it yields. */
function drain<T>(iterable: AsyncIterable<T | SubscriptionGap>): {
  received: T[];
  done: Promise<T[]>;
} {
  const received: T[] = [];
  const done = (async () => {
    for await (const item of messagesOf(iterable)) received.push(item);
    return received;
  })();
  done.catch(() => undefined); // the test awaits it; never leave a rejection unhandled meanwhile
  return { received, done };
}

/** Resolves with 'pending' if `promise` has not settled within `ms`, else with how it settled. */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    promise.then(
      () => 'fulfilled',
      () => 'rejected',
    ),
    new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve('pending'), ms);
    }),
  ]);
  clearTimeout(timer);
  return outcome;
}

describe('Pub/Sub against a real server', () => {
  const t = useConnection();
  /** Another connection to the shared server: publishes, and runs CLIENT LIST / KILL and INFO. */
  let other: RedisConnection;
  /** The CLIENT ID of t.conn, taken before each test subscribes. */
  let id: number;

  before(async () => {
    other = await createConnection(t.url);
  });

  after(async () => {
    other.close();
    await other.waitClosed();
  });

  beforeEach(async () => {
    id = await t.conn.execute<number>('CLIENT', 'ID');
  });

  describe('#executePubsub()', () => {
    it('runs SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE and their UN- forms in any case, one [kind, name, count] per channel', async () => {
      const [a, c] = [uniqueKey('chan'), uniqueKey('chan')];
      const p = `${uniqueKey('pattern')}:*`;
      const [s1, s2] = [uniqueKey('shard'), uniqueKey('shard')];
      expect(await t.conn.executePubsub('subscribe', a, c)).to.deep.equal([
        ['subscribe', a, 1],
        ['subscribe', c, 2],
      ]);
      expect(await t.conn.executePubsub('PSubscribe', p)).to.deep.equal([['psubscribe', p, 3]]);
      // Sharded channels are counted apart by the server.
      expect(await t.conn.executePubsub('sSubscribe', s1, s2)).to.deep.equal([
        ['ssubscribe', s1, 1],
        ['ssubscribe', s2, 2],
      ]);
      expect(t.conn.inPubsub).to.equal(5);
      expect(await clientInfo(other, id)).to.include({ sub: '2', psub: '1', ssub: '2' });

      expect(await t.conn.executePubsub('Unsubscribe', c)).to.deep.equal([['unsubscribe', c, 2]]);
      expect(await t.conn.executePubsub('punsubscribe', p)).to.deep.equal([['punsubscribe', p, 1]]);
      expect(await t.conn.executePubsub('SUNSUBSCRIBE', s2)).to.deep.equal([
        ['sunsubscribe', s2, 1],
      ]);
      expect(t.conn.inPubsub).to.equal(2);
      expect(await clientInfo(other, id)).to.include({ sub: '1', psub: '0', ssub: '1' });
      expect([...t.conn.pubsubChannels.keys()]).to.deep.equal([a]);
      expect([...t.conn.pubsubPatterns.keys()]).to.deep.equal([]);
      expect([...t.conn.pubsubShardChannels.keys()]).to.deep.equal([s1]);
    });

    it('takes names as strings, Buffers or Channel objects, and the Channel passed is the one subscribed', async () => {
      const [byString, byBuffer, byObject] = [
        uniqueKey('chan'),
        uniqueKey('chan'),
        uniqueKey('chan'),
      ];
      const mine = new Channel(byObject, false);
      expect(await t.conn.executePubsub('SUBSCRIBE', byString, b(byBuffer), mine)).to.deep.equal([
        ['subscribe', byString, 1],
        ['subscribe', byBuffer, 2],
        ['subscribe', byObject, 3],
      ]);
      expect(t.conn.pubsubChannels.get(byObject)).to.equal(mine);
      expect(plain(t.conn.pubsubChannels, byBuffer).name).to.equal(byBuffer);

      const p = `${uniqueKey('pattern')}:*`;
      const myPattern = new Channel(p, true);
      await t.conn.executePubsub('PSUBSCRIBE', myPattern);
      expect(t.conn.pubsubPatterns.get(p)).to.equal(myPattern);

      await other.execute('PUBLISH', byObject, 'to mine');
      await other.execute('PUBLISH', b(byBuffer), 'to buffer');
      await other.execute('PUBLISH', p.replace('*', 'x'), 'to pattern');
      expect(await mine.get({ encoding: 'utf8' })).to.equal('to mine');
      expect(await plain(t.conn.pubsubChannels, byBuffer).get({ encoding: 'utf8' })).to.equal(
        'to buffer',
      );
      expect(await myPattern.get({ encoding: 'utf8' })).to.deep.equal([
        p.replace('*', 'x'),
        'to pattern',
      ]);
    });

    it('sends a Buffer name byte for byte', async () => {
      const name = Buffer.from(`${uniqueKey('буфер')}:€`);
      await t.conn.executePubsub('SUBSCRIBE', name);
      // The server subscribed this connection to exactly these bytes.
      expect(await other.execute('PUBLISH', name, 'bytes')).to.equal(1);
      const channel = plain(t.conn.pubsubChannels, name.toString('utf8'));
      expect(await channel.get()).to.deep.equal(b('bytes'));
    });

    it('refuses a Buffer name that is not valid UTF-8, sending nothing', async () => {
      // Channels are keyed by their UTF-8 name: two such names could share one key and then one
      // unsubscribe would silently orphan the other's messages.
      const x = Buffer.concat([b(uniqueKey('binary')), Buffer.from([0xff])]);
      const err = await rejectionOf(t.conn.executePubsub('SUBSCRIBE', x));
      expect(err).to.be.instanceOf(TypeError);
      expect(err.message).to.match(/UTF-8/);
      expect(t.conn.inPubsub).to.equal(0);
      expect(await t.conn.execute('ECHO', 'not subscribed')).to.deep.equal(b('not subscribed'));
    });

    it('keeps the Channel of a name that is subscribed again', async () => {
      const name = uniqueKey('chan');
      await t.conn.executePubsub('subscribe', name);
      const first = plain(t.conn.pubsubChannels, name);
      const newcomer = new Channel(name, false);
      expect(await t.conn.executePubsub('subscribe', name, newcomer)).to.deep.equal([
        ['subscribe', name, 1],
        ['subscribe', name, 1],
      ]);
      expect(t.conn.pubsubChannels.get(name)).to.equal(first);
      await other.execute('PUBLISH', name, 'still here');
      expect(await first.get({ encoding: 'utf8' })).to.equal('still here');
      expect(newcomer.queueLength).to.equal(0);
      expect(first.isActive).to.equal(true);
    });

    it('rejects SUBSCRIBE, PSUBSCRIBE and SSUBSCRIBE without a channel with TypeError, sending nothing', async () => {
      for (const command of ['SUBSCRIBE', 'psubscribe', 'SSubscribe']) {
        await expectTypeErrorSendingNothing(other, t.conn, [command], () =>
          t.conn.executePubsub(command),
        );
      }
      // Also while subscribed.
      await t.conn.executePubsub('SUBSCRIBE', uniqueKey('chan'));
      await expectTypeErrorSendingNothing(other, t.conn, ['SUBSCRIBE'], () =>
        t.conn.executePubsub('subscribe'),
      );
    });

    it('rejects a pattern Channel for SUBSCRIBE and a plain one for PSUBSCRIBE with TypeError, sending nothing', async () => {
      const patternChannel = new Channel(`${uniqueKey('pattern')}:*`, true);
      const plainChannel = new Channel(uniqueKey('chan'), false);
      await expectTypeErrorSendingNothing(other, t.conn, ['SUBSCRIBE'], () =>
        t.conn.executePubsub('SUBSCRIBE', uniqueKey('chan'), patternChannel),
      );
      await expectTypeErrorSendingNothing(other, t.conn, ['SSUBSCRIBE'], () =>
        t.conn.executePubsub('SSUBSCRIBE', patternChannel),
      );
      await expectTypeErrorSendingNothing(other, t.conn, ['PSUBSCRIBE'], () =>
        t.conn.executePubsub('psubscribe', plainChannel),
      );
      expect(t.conn.inPubsub).to.equal(0);
      expect(t.conn.pubsubChannels.size + t.conn.pubsubPatterns.size).to.equal(0);
    });

    it('rejects a closed Channel with TypeError, sending nothing', async () => {
      const channel = new Channel(uniqueKey('chan'), false);
      await t.conn.executePubsub('subscribe', channel);
      await t.conn.executePubsub('unsubscribe', channel);
      expect(channel.isActive).to.equal(false);
      await expectTypeErrorSendingNothing(other, t.conn, ['SUBSCRIBE'], () =>
        t.conn.executePubsub('subscribe', channel),
      );
      expect(t.conn.pubsubChannels.size).to.equal(0);
    });

    it('rejects commands other than (P|S)(UN)SUBSCRIBE and bad channel values with TypeError, sending nothing', async () => {
      await expectTypeErrorSendingNothing(other, t.conn, ['PUBLISH'], () =>
        t.conn.executePubsub('PUBLISH', uniqueKey('chan')),
      );
      const bad: unknown[] = [undefined, null, 1, true, {}];
      for (const value of bad) {
        await expectTypeErrorSendingNothing(other, t.conn, ['SUBSCRIBE'], () =>
          t.conn.executePubsub('SUBSCRIBE', uniqueKey('chan'), value as string),
        );
      }
    });

    it('rejects a SUBSCRIBE the server refuses, keeping the subscriptions as they were', async () => {
      const server = await startRedis({
        users: [{ name: 'limited', password: 'pw', rules: '~* &allowed:* +@all' }],
      });
      const conn = await createConnection(`redis://limited:pw@127.0.0.1:${server.port}`);
      try {
        await conn.executePubsub('subscribe', 'allowed:1');
        const err = await rejectionOf(conn.executePubsub('subscribe', 'allowed:2', 'denied'));
        expect(err).to.be.instanceOf(ReplyError);
        expect((err as ReplyError).code).to.equal('NOPERM');
        expect(conn.inPubsub).to.equal(1);
        expect([...conn.pubsubChannels.keys()]).to.deep.equal(['allowed:1']);
        expect(await conn.executePubsub('unsubscribe')).to.deep.equal([
          ['unsubscribe', 'allowed:1', 0],
        ]);
        // Nothing is left waiting for a confirmation: the connection is an ordinary one again.
        expect(await rejectionOf(conn.executePubsub('psubscribe', 'denied:*'))).to.be.instanceOf(
          ReplyError,
        );
        expect(await conn.execute('ECHO', 'ordinary')).to.deep.equal(b('ordinary'));
      } finally {
        conn.close();
        await server.stop();
      }
    });

    it('keeps inPubsub equal to the count the server reports', async () => {
      const names = [uniqueKey('chan'), uniqueKey('chan'), uniqueKey('chan')];
      const p = `${uniqueKey('pattern')}:*`;
      expect(t.conn.inPubsub).to.equal(0);
      const steps: Array<() => Promise<unknown>> = [
        () => t.conn.executePubsub('SUBSCRIBE', ...names),
        () => t.conn.executePubsub('PSUBSCRIBE', p),
        () => t.conn.executePubsub('SSUBSCRIBE', uniqueKey('shard')),
        () => t.conn.executePubsub('UNSUBSCRIBE', names[0] as string),
        () => t.conn.executePubsub('SUNSUBSCRIBE'),
        () => t.conn.executePubsub('UNSUBSCRIBE'),
      ];
      const seen: number[] = [];
      for (const step of steps) {
        await step();
        expect(t.conn.inPubsub).to.equal(await serverCount(other, id));
        seen.push(t.conn.inPubsub);
      }
      expect(seen).to.deep.equal([3, 4, 5, 4, 3, 1]);
      expect(t.conn.pubsubChannels).to.be.instanceOf(Map);
      expect(t.conn.pubsubPatterns).to.be.instanceOf(Map);
      expect([...t.conn.pubsubPatterns.keys()]).to.deep.equal([p]);
      expect(t.conn.pubsubPatterns.get(p)).to.be.instanceOf(Channel);
    });

    it('unsubscribes from every channel with UNSUBSCRIBE and no argument, ending each iteration', async () => {
      const names = [uniqueKey('chan'), uniqueKey('chan'), uniqueKey('chan')];
      const p = `${uniqueKey('pattern')}:*`;
      await t.conn.executePubsub('subscribe', ...names);
      await t.conn.executePubsub('psubscribe', p);
      const loops = names.map((name) => drain(plain(t.conn.pubsubChannels, name)));
      const patternLoop = drain(pattern(t.conn, p));

      const replies = await t.conn.executePubsub('UNSUBSCRIBE');
      // The server picks the order; each channel once, the count going down to the pattern's 1.
      expect(replies.map(([kind]) => kind)).to.deep.equal(Array(3).fill('unsubscribe'));
      expect(replies.map(([, name]) => name).sort()).to.deep.equal([...names].sort());
      expect(replies.map(([, , count]) => count)).to.deep.equal([3, 2, 1]);
      for (const loop of loops) expect(await loop.done).to.deep.equal([]);
      expect(t.conn.pubsubChannels.size).to.equal(0);
      expect(t.conn.inPubsub).to.equal(1);
      expect(await settledWithin(patternLoop.done, 50)).to.equal('pending');

      expect(await t.conn.executePubsub('punsubscribe')).to.deep.equal([['punsubscribe', p, 0]]);
      expect(await patternLoop.done).to.deep.equal([]);
      expect(await t.conn.executePubsub('unsubscribe')).to.deep.equal([['unsubscribe', null, 0]]);
    });

    it('runs ordinary commands again once the count is back to 0', async () => {
      const key = uniqueKey();
      const name = uniqueKey('chan');
      await t.conn.executePubsub('subscribe', name);
      await t.conn.executePubsub('psubscribe', `${name}:*`);
      await t.conn.executePubsub('unsubscribe', name);
      expect(t.conn.inPubsub).to.equal(1);
      expect(await rejectionOf(t.conn.execute('SET', key, 'v'))).to.have.property(
        'code',
        'REDMUX_ERR_PUBSUB_MODE',
      );
      await t.conn.executePubsub('punsubscribe');
      expect(t.conn.inPubsub).to.equal(0);
      expect(await t.conn.execute('SET', key, 'v')).to.equal('OK');
      expect(await t.conn.execute('GET', key)).to.deep.equal(b('v'));
      expect(await t.conn.execute('PING')).to.equal('PONG');
      expect(await t.conn.execute('LRANGE', uniqueKey('empty'), 0, -1)).to.deep.equal([]);
      expect((await clientInfo(other, id)).flags).to.not.include('P');
    });
  });

  describe('delivery', () => {
    it('delivers 100,000 messages published from another connection, in order, to a for-await loop', async function () {
      this.timeout(15_000);
      const name = uniqueKey('chan');
      await t.conn.executePubsub('SUBSCRIBE', name);
      const channel = plain(t.conn.pubsubChannels, name);
      const total = 100_000;
      let received = 0;
      let firstWrong: string | undefined;
      const loop = (async () => {
        for await (const message of channel) {
          if (firstWrong === undefined && message.toString() !== String(received)) {
            firstWrong = `message #${received} was ${message.toString()}`;
          }
          received++;
        }
      })();
      const started = Date.now();
      const batch = 10_000;
      for (let from = 0; from < total; from += batch) {
        const replies = await Promise.all(
          Array.from({ length: batch }, (_, i) => other.execute('PUBLISH', name, from + i)),
        );
        expect(replies.every((reply) => reply === 1)).to.equal(true);
      }
      // The confirmation comes after every message, so the loop ends once it has read them all.
      await t.conn.executePubsub('UNSUBSCRIBE', name);
      await loop;
      expect(firstWrong).to.equal(undefined);
      expect(received).to.equal(total);
      expect(Date.now() - started).to.be.below(5000);
    });

    it('delivers pattern messages as [channelName, message], strings with iter({ encoding })', async () => {
      const prefix = uniqueKey('pattern');
      const p = `${prefix}:*`;
      await t.conn.executePubsub('PSUBSCRIBE', p);
      const channel = pattern(t.conn, p);
      for (const [suffix, text] of [
        ['a', 'one'],
        ['b', 'two'],
        ['c', 'héllo'],
      ] as const) {
        expect(await other.execute('PUBLISH', `${prefix}:${suffix}`, text)).to.equal(1);
      }
      expect(await other.execute('PUBLISH', `${uniqueKey('elsewhere')}`, 'not matched')).to.equal(
        0,
      );
      const [raw] = await take(channel, 1);
      expect(raw).to.deep.equal([b(`${prefix}:a`), b('one')]);
      expect(Buffer.isBuffer(raw?.[0]) && Buffer.isBuffer(raw?.[1])).to.equal(true);
      expect(await take(channel.iter({ encoding: 'utf8' }), 2)).to.deep.equal([
        [`${prefix}:b`, 'two'],
        [`${prefix}:c`, 'héllo'],
      ]);
      expect(t.conn.pubsubChannels.size).to.equal(0);
    });

    it('delivers sharded messages (SSUBSCRIBE + SPUBLISH) to pubsubShardChannels; SUNSUBSCRIBE ends it', async () => {
      const name = uniqueKey('shard');
      expect(await t.conn.executePubsub('SSUBSCRIBE', name)).to.deep.equal([
        ['ssubscribe', name, 1],
      ]);
      const channel = plain(t.conn.pubsubShardChannels, name);
      expect(t.conn.pubsubChannels.has(name)).to.equal(false);
      const loop = drain(channel.iter({ encoding: 'utf8' }));
      expect(await other.execute('SPUBLISH', name, 's1')).to.equal(1);
      expect(await other.execute('SPUBLISH', name, 's2')).to.equal(1);
      // A plain PUBLISH on the same name does not reach a sharded subscription.
      expect(await other.execute('PUBLISH', name, 'plain')).to.equal(0);
      expect(await other.execute('SPUBLISH', name, 's3')).to.equal(1);
      expect(await t.conn.executePubsub('sunsubscribe', name)).to.deep.equal([
        ['sunsubscribe', name, 0],
      ]);
      expect(await loop.done).to.deep.equal(['s1', 's2', 's3']);
      expect(t.conn.pubsubShardChannels.size).to.equal(0);
      expect(t.conn.inPubsub).to.equal(0);
    });
  });

  describe('Receiver', () => {
    it('gathers three channels and a pattern into one queue of [sender, message], in publish order', async () => {
      const receiver = new Receiver();
      const a = receiver.channel(uniqueKey('chan'));
      const b2 = receiver.channel(uniqueKey('chan'));
      const c = receiver.channel(uniqueKey('chan'));
      const prefix = uniqueKey('pattern');
      const p = receiver.pattern(`${prefix}:*`);
      await t.conn.executePubsub('subscribe', a, b2, c);
      await t.conn.executePubsub('psubscribe', p);
      expect(t.conn.pubsubChannels.get(a.name)).to.equal(a);
      expect(t.conn.pubsubPatterns.get(p.name)).to.equal(p);

      const plan: Array<[Channel, string]> = [];
      for (let i = 0; i < 40; i++) {
        const sender = [a, b2, c, p][i % 4] as Channel;
        plan.push([sender, `m${i}`]);
      }
      const published = await Promise.all(
        plan.map(([sender, message], i) =>
          other.execute('PUBLISH', sender === p ? `${prefix}:${i}` : sender.name, message),
        ),
      );
      expect(published.every((count) => count === 1)).to.equal(true);

      const received = await take(receiver.iter({ encoding: 'utf8' }), plan.length);
      received.forEach(([sender, message], i) => {
        const [expected, text] = plan[i] as [Channel, string];
        expect(sender, `sender of message ${i}`).to.equal(expected);
        expect(message).to.deep.equal(expected === p ? [`${prefix}:${i}`, text] : text);
      });
      expect(receiver.queueLength).to.equal(0);
      expect(await rejectionOf(a.get())).to.be.instanceOf(TypeError);
    });

    it('lists channels and patterns; unsubscribing one channel closes that sender only', async () => {
      const receiver = new Receiver();
      const [first, second] = [
        receiver.channel(uniqueKey('chan')),
        receiver.channel(uniqueKey('chan')),
      ];
      const prefix = uniqueKey('pattern');
      const p = receiver.pattern(`${prefix}:*`);
      await t.conn.executePubsub('SUBSCRIBE', first, second);
      await t.conn.executePubsub('PSUBSCRIBE', p);
      expect([...receiver.channels.keys()]).to.deep.equal([first.name, second.name]);
      expect(receiver.channels.get(first.name)).to.equal(first);
      expect([...receiver.patterns.entries()]).to.deep.equal([[p.name, p]]);

      expect(await t.conn.executePubsub('UNSUBSCRIBE', first)).to.deep.equal([
        ['unsubscribe', first.name, 2],
      ]);
      expect(first.isActive).to.equal(false);
      expect([...receiver.channels.keys()]).to.deep.equal([second.name]);
      expect(receiver.isActive).to.equal(true);
      expect(await other.execute('PUBLISH', first.name, 'gone')).to.equal(0);
      await other.execute('PUBLISH', second.name, 'still');
      await other.execute('PUBLISH', `${prefix}:x`, 'too');
      expect(await take(receiver.iter({ encoding: 'utf8' }), 2)).to.deep.equal([
        [second, 'still'],
        [p, [`${prefix}:x`, 'too']],
      ]);
      // A new sender for the unsubscribed name is a new Channel.
      expect(receiver.channel(first.name)).to.not.equal(first);
    });

    it('ends its iteration after stop(), once the queued messages are read', async () => {
      const receiver = new Receiver();
      const sender = receiver.channel(uniqueKey('chan'));
      await t.conn.executePubsub('subscribe', sender);
      await other.execute('PUBLISH', sender.name, 'one');
      await other.execute('PUBLISH', sender.name, 'two');
      await eventually(async () => receiver.queueLength === 2);
      receiver.stop();
      expect(receiver.isActive).to.equal(true);
      expect(await other.execute('PUBLISH', sender.name, 'dropped')).to.equal(1);
      await t.conn.execute('PING'); // the message has arrived (and been dropped) by now
      const loop = drain(receiver.iter({ encoding: 'utf8' }));
      expect((await loop.done).map(([, message]) => message)).to.deep.equal(['one', 'two']);
      expect(receiver.isActive).to.equal(false);
      expect(await rejectionOf(receiver.get())).to.be.instanceOf(ChannelClosedError);
      expect(await receiver.waitMessage()).to.equal(false);
    });
  });

  describe('in subscribed mode (RESP2)', () => {
    it('rejects GET with REDMUX_ERR_PUBSUB_MODE, sends nothing, and keeps delivering', async () => {
      const name = uniqueKey('chan');
      await t.conn.executePubsub('subscribe', name);
      const channel = plain(t.conn.pubsubChannels, name);
      const before = await commandStats(other, 'GET');
      const rejected = [
        t.conn.execute('GET', uniqueKey()),
        t.conn.execute('get', uniqueKey()),
        t.conn.executeWith({ encoding: 'utf8' }, 'Get', uniqueKey()),
      ];
      for (const promise of rejected) {
        const err = await rejectionOf(promise);
        expect(err).to.be.instanceOf(RedisError);
        expect((err as RedisError).code).to.equal('REDMUX_ERR_PUBSUB_MODE');
      }
      expect(await t.conn.execute('PING')).to.deep.equal([b('pong'), b('')]); // in step
      expect(await commandStats(other, 'GET')).to.deep.equal(before);
      expect((await clientInfo(other, id)).cmd).to.equal('ping');

      expect(await other.execute('PUBLISH', name, 'after')).to.equal(1);
      expect(await channel.get({ encoding: 'utf8' })).to.equal('after');
      expect(t.conn.inPubsub).to.equal(1);
    });

    it('answers PING with [pong, ""]: Buffers, or strings through executeWith', async () => {
      const name = uniqueKey('chan');
      await t.conn.executePubsub('subscribe', name);
      const channel = plain(t.conn.pubsubChannels, name);
      const publishes = Array.from({ length: 20 }, (_, i) => other.execute('PUBLISH', name, i));
      const pings = Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? t.conn.execute('PING')
          : t.conn.executeWith({ encoding: 'utf8' }, 'PING', `p${i}`),
      );
      const answers = await Promise.all(pings);
      answers.forEach((answer, i) => {
        expect(answer).to.deep.equal(i % 2 === 0 ? [b('pong'), b('')] : ['pong', `p${i}`]);
      });
      await Promise.all(publishes);
      const messages = await take(channel.iter({ encoding: 'utf8' }), 20);
      expect(messages).to.deep.equal(Array.from({ length: 20 }, (_, i) => String(i)));
    });

    it('gives a command sent just before SUBSCRIBE its own array reply, even one shaped like a message', async () => {
      const name = uniqueKey('chan');
      const key = uniqueKey('list');
      await other.execute('RPUSH', key, 'message', name, 'spoofed');
      // Both written in one go: the LRANGE reply reaches the connection after SUBSCRIBE was sent.
      const lrange = t.conn.executeWith({ timeout: 1000 }, 'LRANGE', key, 0, -1);
      const subscribed = t.conn.executePubsub('subscribe', name);
      subscribed.catch(() => undefined);
      expect(await lrange).to.deep.equal([b('message'), b(name), b('spoofed')]);
      expect(await subscribed).to.deep.equal([['subscribe', name, 1]]);
      expect(plain(t.conn.pubsubChannels, name).queueLength).to.equal(0);
      expect(await t.conn.execute('PING')).to.deep.equal([b('pong'), b('')]);
    });
  });

  describe('in subscribed mode (RESP3)', () => {
    beforeEach(async () => {
      const hello = await t.conn.execute('HELLO', 3);
      expect(hello).to.be.instanceOf(Map);
    });

    it('runs GET and SET while subscribed, each with its own reply, as messages keep arriving', async () => {
      const name = uniqueKey('chan');
      await t.conn.executePubsub('SUBSCRIBE', name);
      expect(await clientInfo(other, id)).to.include({ resp: '3', sub: '1' });
      const channel = plain(t.conn.pubsubChannels, name);
      const loop = drain(channel.iter({ encoding: 'utf8' }));
      const key = uniqueKey();
      const sets: Array<Promise<unknown>> = [];
      const gets: Array<Promise<unknown>> = [];
      const publishes: Array<Promise<unknown>> = [];
      for (let i = 0; i < 500; i++) {
        // Messages published by another connection and by this one land between the replies.
        publishes.push(other.execute('PUBLISH', name, `m${i}`));
        sets.push(t.conn.execute('SET', `${key}:${i}`, `v${i}`));
        if (i % 10 === 0) publishes.push(t.conn.execute('PUBLISH', name, `self${i}`));
        gets.push(t.conn.executeWith({ encoding: 'utf8' }, 'GET', `${key}:${i}`));
      }
      expect(await Promise.all(sets)).to.deep.equal(Array(500).fill('OK'));
      expect(await Promise.all(gets)).to.deep.equal(Array.from({ length: 500 }, (_, i) => `v${i}`));
      expect(await Promise.all(publishes)).to.deep.equal(Array(550).fill(1));
      expect(await t.conn.execute('PING')).to.equal('PONG');
      await t.conn.executePubsub('UNSUBSCRIBE', name);
      const received = await loop.done;
      expect(received.filter((m) => m.startsWith('m'))).to.deep.equal(
        Array.from({ length: 500 }, (_, i) => `m${i}`),
      );
      expect(received.filter((m) => m.startsWith('self'))).to.deep.equal(
        Array.from({ length: 50 }, (_, i) => `self${i * 10}`),
      );
      expect(received).to.have.length(550);
    });

    it('hands LRANGE its reply even when it looks like a message or a confirmation', async () => {
      const name = uniqueKey('chan');
      await t.conn.executePubsub('subscribe', name);
      const channel = plain(t.conn.pubsubChannels, name);
      const asMessage = uniqueKey('list');
      const asConfirmation = uniqueKey('list');
      await t.conn.execute('RPUSH', asMessage, 'message', name, 'spoofed');
      await t.conn.execute('RPUSH', asConfirmation, 'unsubscribe', name, '0');
      expect(await t.conn.execute('LRANGE', asMessage, 0, -1)).to.deep.equal([
        b('message'),
        b(name),
        b('spoofed'),
      ]);
      expect(
        await t.conn.executeWith({ encoding: 'utf8' }, 'LRANGE', asConfirmation, 0, -1),
      ).to.deep.equal(['unsubscribe', name, '0']);
      expect(channel.queueLength).to.equal(0);
      expect(channel.isActive).to.equal(true);
      expect(t.conn.inPubsub).to.equal(1);
      await other.execute('PUBLISH', name, 'real');
      expect(await channel.get({ encoding: 'utf8' })).to.equal('real');
    });

    it('ends the iteration of every channel normally on RESET, and speaks RESP2 again', async () => {
      const name = uniqueKey('chan');
      const p = `${uniqueKey('pattern')}:*`;
      await t.conn.executePubsub('subscribe', name);
      await t.conn.executePubsub('psubscribe', p);
      await other.execute('PUBLISH', name, 'queued');
      const channelLoop = drain(plain(t.conn.pubsubChannels, name).iter({ encoding: 'utf8' }));
      const patternLoop = drain(pattern(t.conn, p));
      await eventually(async () => channelLoop.received.length === 1);

      expect(await t.conn.execute('RESET')).to.equal('RESET');
      expect(await channelLoop.done).to.deep.equal(['queued']);
      expect(await patternLoop.done).to.deep.equal([]);
      expect(t.conn.inPubsub).to.equal(0);
      expect(t.conn.pubsubChannels.size + t.conn.pubsubPatterns.size).to.equal(0);
      expect(await clientInfo(other, id)).to.include({ resp: '2', sub: '0', psub: '0' });
      expect(await t.conn.execute('ECHO', 'plain')).to.deep.equal(b('plain'));

      // RESP2 semantics: subscribed again, other commands are refused and PING answers an array.
      await t.conn.executePubsub('subscribe', name);
      expect(await rejectionOf(t.conn.execute('GET', uniqueKey()))).to.have.property(
        'code',
        'REDMUX_ERR_PUBSUB_MODE',
      );
      expect(await t.conn.execute('PING')).to.deep.equal([b('pong'), b('')]);
    });
  });

  describe('ending a subscription', () => {
    it('ends the for-await loop after the queued messages; get() then rejects ChannelClosedError', async () => {
      const name = uniqueKey('chan');
      await t.conn.executePubsub('subscribe', name);
      const channel = plain(t.conn.pubsubChannels, name);
      for (const text of ['1', '2', '3']) await other.execute('PUBLISH', name, text);
      await eventually(async () => channel.queueLength === 3);
      expect(await t.conn.executePubsub('unsubscribe', name)).to.deep.equal([
        ['unsubscribe', name, 0],
      ]);
      expect(channel.isActive).to.equal(true); // three messages still queued
      expect(await drain(channel.iter({ encoding: 'utf8' })).done).to.deep.equal(['1', '2', '3']);
      expect(channel.isActive).to.equal(false);
      const err = await rejectionOf(channel.get());
      expect(err).to.be.instanceOf(ChannelClosedError);
      expect((err as RedisError).code).to.equal('REDMUX_ERR_CHANNEL_CLOSED');
      expect(await channel.waitMessage()).to.equal(false);
      expect(t.conn.pubsubChannels.has(name)).to.equal(false);
    });

    it('ends a loop that is waiting for a message', async () => {
      const name = uniqueKey('chan');
      await t.conn.executePubsub('subscribe', name);
      const channel = plain(t.conn.pubsubChannels, name);
      const loop = drain(channel.iter({ encoding: 'utf8' }));
      await other.execute('PUBLISH', name, 'only');
      await eventually(async () => loop.received.length === 1);
      expect(await settledWithin(loop.done, 20)).to.equal('pending');
      await t.conn.executePubsub('unsubscribe', name);
      expect(await loop.done).to.deep.equal(['only']);
    });

    it('loses nothing when a for-await loop breaks: get() returns what was left', async () => {
      const name = uniqueKey('chan');
      await t.conn.executePubsub('subscribe', name);
      const channel = plain(t.conn.pubsubChannels, name);
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => other.execute('PUBLISH', name, i + 1)),
      );
      await eventually(async () => channel.queueLength === 10);
      const firstThree: string[] = [];
      for await (const message of messagesOf(channel.iter({ encoding: 'utf8' }))) {
        firstThree.push(message);
        if (firstThree.length === 3) break;
      }
      expect(firstThree).to.deep.equal(['1', '2', '3']);
      expect(channel.isActive).to.equal(true);
      const rest: string[] = [];
      for (let i = 4; i <= 10; i++) rest.push(notGap(await channel.get({ encoding: 'utf8' })));
      expect(rest).to.deep.equal(['4', '5', '6', '7', '8', '9', '10']);
      // Nothing hangs: a new loop still gets new messages.
      await other.execute('PUBLISH', name, 'next');
      expect(await take(channel.iter({ encoding: 'utf8' }), 1)).to.deep.equal(['next']);
    });
  });

  describe('losing the connection', () => {
    it('makes waiting iterators, get() and a Receiver reject with ConnectionClosedError when the server is killed', async () => {
      const server = await startRedis();
      const conn = await createConnection(server.url);
      const publisher = await createConnection(server.url);
      try {
        const name = uniqueKey('chan');
        const unread = uniqueKey('chan');
        const p = `${uniqueKey('pattern')}:*`;
        const receiver = new Receiver();
        await conn.executePubsub('subscribe', name, unread, receiver.channel(uniqueKey('chan')));
        await conn.executePubsub('psubscribe', p);
        const channel = plain(conn.pubsubChannels, name);
        const unreadChannel = plain(conn.pubsubChannels, unread);
        await publisher.execute('PUBLISH', unread, 'u1');
        await publisher.execute('PUBLISH', unread, 'u2');
        await publisher.execute('PUBLISH', name, 'before');
        const loop = drain(channel.iter({ encoding: 'utf8' }));
        await eventually(async () => loop.received.length === 1);
        const patternNext = pattern(conn, p).iter().next();
        patternNext.catch(() => undefined);
        const receiverLoop = drain(receiver);
        const waiting = channel.waitMessage();
        waiting.catch(() => undefined);

        await server.kill();
        const err = await rejectionOf(loop.done);
        expect(err).to.be.instanceOf(ConnectionClosedError);
        expect(err).to.not.be.instanceOf(ConnectionForcedCloseError);
        expect(loop.received).to.deep.equal(['before']);
        expect(await rejectionOf(patternNext)).to.be.instanceOf(ConnectionClosedError);
        expect(await rejectionOf(receiverLoop.done)).to.be.instanceOf(ConnectionClosedError);
        expect(await rejectionOf(waiting)).to.be.instanceOf(ConnectionClosedError);
        expect(await rejectionOf(channel.get())).to.be.instanceOf(ConnectionClosedError);
        expect(await rejectionOf(channel.iter().next())).to.be.instanceOf(ConnectionClosedError);
        expect(await rejectionOf(receiver.get())).to.be.instanceOf(ConnectionClosedError);
        // Messages that arrived before the loss are still read first; then the loop throws.
        const late = drain(unreadChannel.iter({ encoding: 'utf8' }));
        expect(await rejectionOf(late.done)).to.be.instanceOf(ConnectionClosedError);
        expect(late.received).to.deep.equal(['u1', 'u2']);
        expect(conn.closed).to.equal(true);
        expect(conn.inPubsub).to.equal(0);
        expect(conn.pubsubChannels.size + conn.pubsubPatterns.size).to.equal(0);
        const again = conn.executePubsub('subscribe', name);
        expect(await rejectionOf(again)).to.be.instanceOf(ConnectionClosedError);
      } finally {
        conn.close();
        publisher.close();
        await server.stop();
      }
    });

    it('makes a waiting iterator and a Receiver reject on CLIENT KILL TYPE pubsub from another connection', async () => {
      const name = uniqueKey('chan');
      const receiver = new Receiver();
      const sender = receiver.pattern(`${uniqueKey('pattern')}:*`);
      await t.conn.executePubsub('subscribe', name);
      await t.conn.executePubsub('psubscribe', sender);
      const channel = plain(t.conn.pubsubChannels, name);
      const next = channel[Symbol.asyncIterator]().next();
      next.catch(() => undefined);
      const receiverLoop = drain(receiver.iter());

      expect(await other.execute('CLIENT', 'KILL', 'TYPE', 'pubsub', 'ID', id)).to.equal(1);
      const err = await rejectionOf(next);
      expect(err).to.be.instanceOf(ConnectionClosedError);
      expect((err as RedisError).code).to.equal('REDMUX_ERR_CONNECTION_CLOSED');
      expect(await rejectionOf(receiverLoop.done)).to.be.instanceOf(ConnectionClosedError);
      expect(await rejectionOf(channel.get())).to.be.instanceOf(ConnectionClosedError);
      expect(t.conn.closed).to.equal(true);
    });
  });

  describe('through a pool', () => {
    /** The CLIENT LIST lines of pub/sub clients named `name`. */
    async function pubsubClients(name: string): Promise<string[]> {
      const list = String(await other.execute('CLIENT', 'LIST', 'TYPE', 'pubsub'));
      return list.split('\n').filter((line) => line.includes(` name=${name} `));
    }

    it('subscribes on one dedicated connection, counted in size, while execute() keeps working', async () => {
      const clientName = uniqueKey('pool').replace(/:/g, '-');
      const pool = await createPool(t.url, { minsize: 2, maxsize: 4, name: clientName });
      try {
        const [first, second] = [uniqueKey('chan'), uniqueKey('chan')];
        const p = `${uniqueKey('pattern')}:*`;
        expect(await pool.executePubsub('SUBSCRIBE', first)).to.deep.equal([
          ['subscribe', first, 1],
        ]);
        expect(await pool.executePubsub('subscribe', second)).to.deep.equal([
          ['subscribe', second, 2],
        ]);
        await pool.executePubsub('psubscribe', p);
        const shard = uniqueKey('shard');
        expect(await pool.executePubsub('SSUBSCRIBE', shard)).to.deep.equal([
          ['ssubscribe', shard, 1],
        ]);
        expect(pool.inPubsub).to.equal(4);
        expect([...pool.pubsubChannels.keys()]).to.deep.equal([first, second]);
        expect([...pool.pubsubPatterns.keys()]).to.deep.equal([p]);
        expect([...pool.pubsubShardChannels.keys()]).to.deep.equal([shard]);
        expect(await pubsubClients(clientName)).to.have.length(1);
        expect(pool.size).to.equal(pool.freesize + 1);

        const key = uniqueKey();
        const work: Array<Promise<unknown>> = [];
        for (let i = 0; i < 50; i++) {
          work.push(pool.execute('PUBLISH', first, `m${i}`));
          work.push(pool.execute('INCR', key));
        }
        const results = await Promise.all(work);
        // PUBLISH reaches the one subscriber; the INCRs (spread over the shared connections,
        // so in no fixed order) count 1…50.
        expect(results.filter((_, i) => i % 2 === 0)).to.deep.equal(Array(50).fill(1));
        const counts = results.filter((_, i) => i % 2 === 1) as number[];
        expect(counts.sort((x, y) => x - y)).to.deep.equal(
          Array.from({ length: 50 }, (_, i) => i + 1),
        );
        expect(await pool.execute('PUBLISH', p.replace('*', 'x'), 'pattern')).to.equal(1);
        expect(await pool.execute('SPUBLISH', shard, 'sharded')).to.equal(1);
        const received = await take(
          plain(pool.pubsubChannels, first).iter({ encoding: 'utf8' }),
          50,
        );
        expect(received.sort()).to.deep.equal(Array.from({ length: 50 }, (_, i) => `m${i}`).sort());
        expect(await plain(pool.pubsubShardChannels, shard).get({ encoding: 'utf8' })).to.equal(
          'sharded',
        );
        expect(await pattern(pool, p).get({ encoding: 'utf8' })).to.deep.equal([
          p.replace('*', 'x'),
          'pattern',
        ]);
        expect(await pubsubClients(clientName)).to.have.length(1);
      } finally {
        pool.close();
        await pool.waitClosed();
      }
    });

    it('rejects the Channel when its connection is killed, and a new executePubsub starts afresh', async () => {
      const clientName = uniqueKey('pool').replace(/:/g, '-');
      const pool = await createPool(t.url, {
        minsize: 1,
        maxsize: 3,
        name: clientName,
        reconnect: false, // round 1's rule; stay-connected.test.ts has the resubscribe
      });
      try {
        const name = uniqueKey('chan');
        await pool.executePubsub('subscribe', name);
        const channel = plain(pool.pubsubChannels, name);
        const sizeBefore = pool.size;
        const next = channel.iter().next();
        next.catch(() => undefined);
        const [line] = await pubsubClients(clientName);
        const victim = Number(line?.match(/^id=(\d+)/)?.[1]);
        expect(await other.execute('CLIENT', 'KILL', 'TYPE', 'pubsub', 'ID', victim)).to.equal(1);

        expect(await rejectionOf(next)).to.be.instanceOf(ConnectionClosedError);
        expect(pool.inPubsub).to.equal(0);
        expect(pool.pubsubChannels.size).to.equal(0);
        await eventually(async () => pool.size === sizeBefore - 1);

        // No silent resubscribe: the new connection has only what is asked now.
        const fresh = uniqueKey('chan');
        expect(await pool.executePubsub('subscribe', fresh)).to.deep.equal([
          ['subscribe', fresh, 1],
        ]);
        expect(await pool.execute('PUBLISH', name, 'lost')).to.equal(0);
        expect(await pool.execute('PUBLISH', fresh, 'new')).to.equal(1);
        expect(await plain(pool.pubsubChannels, fresh).get({ encoding: 'utf8' })).to.equal('new');
        expect(pool.pubsubChannels.has(name)).to.equal(false);
        expect(await rejectionOf(channel.get())).to.be.instanceOf(ConnectionClosedError);
        expect(await pubsubClients(clientName)).to.have.length(1);
      } finally {
        pool.close();
        await pool.waitClosed();
      }
    });
  });
});
