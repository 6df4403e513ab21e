import { expect } from 'chai';
import { BusyGroupError, createRedis, createRedisPool, type Redis, ReplyError } from '../../lib';
import { sharedServer } from '../helpers/hooks';
import { commandCalls } from '../helpers/commandstats';
import { rejectionOf, uniqueKey } from '../helpers/util';

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('stream commands', () => {
  let url: string;
  /** Stored values come back as Buffers. */
  let redis: Redis<Buffer>;
  /** Stored values come back as strings. */
  let text: Redis<string>;
  /** A utf8 client switched to RESP3 with HELLO 3: XREAD and XINFO replies are maps. */
  let resp3: Redis<string>;
  /** A client for blocking calls, so that they hold up nothing else. */
  let blocking: Redis<string>;

  before(async () => {
    ({ url } = await sharedServer());
    redis = await createRedis(url);
    text = await createRedis(url, { encoding: 'utf8' });
    resp3 = await createRedis(url, { encoding: 'utf8' });
    await resp3.execute('HELLO', 3);
    blocking = await createRedis(url, { encoding: 'utf8' });
  });

  after(async () => {
    for (const client of [redis, text, resp3, blocking]) {
      client.close();
      await client.waitClosed();
    }
  });

  /** A fresh stream holding `entries` (ID → fields), written without the methods under test. */
  async function stream(entries: Record<string, Record<string, string>>): Promise<string> {
    const key = uniqueKey('stream');
    for (const [id, fields] of Object.entries(entries)) {
      await text.call('XADD', key, id, ...Object.entries(fields).flat());
    }
    return key;
  }

  /** Every entry of a stream, as the server sends them (`[id, [name, value…]]`). */
  function contents(key: string): Promise<Array<[string, string[]]>> {
    return text.call('XRANGE', key, '-', '+');
  }

  /** A stream of three entries (1-1, 2-1, 3-1) and a group `g` created at its start. */
  async function grouped(key = uniqueKey('stream')): Promise<string> {
    await text.call('DEL', key);
    for (const n of [1, 2, 3]) await text.call('XADD', key, `${n}-1`, 'n', n);
    await text.call('XGROUP', 'CREATE', key, 'g', '0');
    return key;
  }

  const three = {
    '1-1': { a: '1' },
    '2-1': { b: '2', c: '3' },
    '3-1': { d: '4' },
  };

  const callsOf = (command: string): Promise<number> => commandCalls(text, command);

  describe('#xadd()', () => {
    it('appends an entry with a server-made ID and resolves with the ID', async () => {
      const key = uniqueKey('stream');
      const id: string = await text.xadd(key, { name: 'ada', age: 36 });
      expect(id).to.match(/^\d+-\d+$/);
      expect(await contents(key)).to.deep.equal([[id, ['name', 'ada', 'age', '36']]]);
    });

    it('takes [name, value] pairs and an explicit id, and gives the ID as text on a Buffer client', async () => {
      const key = uniqueKey('stream');
      const id = await redis.xadd(
        key,
        [
          ['a', Buffer.from('x')],
          [Buffer.from('b'), 2],
        ],
        { id: '5-1' },
      );
      expect(id).to.equal('5-1');
      expect(await contents(key)).to.deep.equal([['5-1', ['a', 'x', 'b', '2']]]);
    });

    it('takes an id as milliseconds', async () => {
      const key = uniqueKey('stream');
      expect(await text.xadd(key, { a: 1 }, { id: 7 })).to.equal('7-0');
    });

    it('trims to maxlen exactly', async () => {
      const key = await stream(three);
      const id = await text.xadd(key, { e: '5' }, { id: '4-1', maxlen: 2 });
      expect((await contents(key)).map(([entry]) => entry)).to.deep.equal(['3-1', id]);
    });

    it('trims approximately with approximate: a small stream keeps its one node', async () => {
      const key = await stream(three);
      await text.xadd(key, { e: '5' }, { id: '4-1', maxlen: 1, approximate: true, limit: 10 });
      expect(await contents(key)).to.have.length(4);
    });

    it('trims the entries below minid', async () => {
      const key = await stream(three);
      await text.xadd(key, { e: '5' }, { id: '4-1', minid: '3-0' });
      expect((await contents(key)).map(([entry]) => entry)).to.deep.equal(['3-1', '4-1']);
    });

    it('with nomkstream resolves with null and creates no stream', async () => {
      const key = uniqueKey('stream');
      const id: string | null = await text.xadd(key, { a: 1 }, { nomkstream: true });
      expect(id).to.equal(null);
      expect(await text.call('EXISTS', key)).to.equal(0);
      const existing = await stream(three);
      expect(await text.xadd(existing, { a: 1 }, { id: '9-1', nomkstream: true })).to.equal('9-1');
    });

    it('rejects an ID not above the last one with a ReplyError', async () => {
      const key = await stream(three);
      const err = await rejectionOf(text.xadd(key, { a: 1 }, { id: '1-1' }));
      expect(err).to.be.instanceOf(ReplyError);
      expect((err as ReplyError).code).to.equal('ERR');
    });
  });

  describe('#xrange()', () => {
    it('resolves with every entry as { id, fields }, lowest first', async () => {
      const key = await stream(three);
      expect(await text.xrange(key)).to.deep.equal([
        { id: '1-1', fields: { a: '1' } },
        { id: '2-1', fields: { b: '2', c: '3' } },
        { id: '3-1', fields: { d: '4' } },
      ]);
    });

    it('gives the entries from start to end, exclusive ends with (, and at most count', async () => {
      const key = await stream(three);
      const ids = async (...args: Parameters<typeof text.xrange>): Promise<string[]> =>
        (await text.xrange(...args)).map((entry) => entry.id);
      expect(await ids(key, '2-1', '+')).to.deep.equal(['2-1', '3-1']);
      expect(await ids(key, '(1-1', '(3-1')).to.deep.equal(['2-1']);
      expect(await ids(key, 0, 1)).to.deep.equal(['1-1']);
      expect(await ids(key, '-', '+', { count: 2 })).to.deep.equal(['1-1', '2-1']);
    });

    it('keeps the last value of a field name given twice', async () => {
      const key = uniqueKey('stream');
      await text.call('XADD', key, '1-1', 'a', '1', 'b', '2', 'a', '3');
      expect(await text.xrange(key)).to.deep.equal([{ id: '1-1', fields: { a: '3', b: '2' } }]);
    });

    it('keeps a field named __proto__ as a field of its own', async () => {
      const key = uniqueKey('stream');
      await text.call('XADD', key, '1-1', '__proto__', 'x', 'a', '1');
      const [entry] = await redis.xrange(key);
      expect(Object.keys(entry?.fields ?? {})).to.deep.equal(['__proto__', 'a']);
      expect(Object.getOwnPropertyDescriptor(entry?.fields, '__proto__')?.value).to.deep.equal(
        Buffer.from('x'),
      );
      expect(Object.getPrototypeOf(entry?.fields)).to.equal(Object.prototype);
    });

    it('gives Buffer values (text IDs and names) on a Buffer client', async () => {
      const key = await stream({ '1-1': { a: 'x' } });
      expect(await redis.xrange(key)).to.deep.equal([
        { id: '1-1', fields: { a: Buffer.from('x') } },
      ]);
    });

    it("decodes values with the call's encoding, never the IDs", async () => {
      const key = await stream({ '1-1': { a: 'hi' } });
      expect(await text.xrange(key, '-', '+', { encoding: 'hex' })).to.deep.equal([
        { id: '1-1', fields: { a: '6869' } },
      ]);
      const raw = await text.xrange(key, '-', '+', { encoding: null });
      expect(raw[0]?.fields.a).to.deep.equal(Buffer.from('hi'));
    });

    it('resolves with [] for a missing key', async () => {
      expect(await text.xrange(uniqueKey('stream'))).to.deep.equal([]);
    });
  });

  describe('#xrevrange()', () => {
    it('resolves with the entries from end down to start, at most count', async () => {
      const key = await stream(three);
      expect((await text.xrevrange(key)).map((entry) => entry.id)).to.deep.equal([
        '3-1',
        '2-1',
        '1-1',
      ]);
      expect(await text.xrevrange(key, '2-1', '-', { count: 1 })).to.deep.equal([
        { id: '2-1', fields: { b: '2', c: '3' } },
      ]);
    });

    it("decodes values with the call's encoding", async () => {
      const key = await stream({ '1-1': { a: 'hi' } });
      expect(await text.xrevrange(key, '+', '-', { encoding: 'base64' })).to.deep.equal([
        { id: '1-1', fields: { a: 'aGk=' } },
      ]);
    });
  });

  describe('#xread()', () => {
    it('resolves with the entries after each ID, per stream (object form)', async () => {
      const first = await stream(three);
      const second = await stream({ '5-1': { z: '26' } });
      expect(await text.xread({ [first]: '2-1', [second]: 0 })).to.deep.equal([
        { stream: first, entries: [{ id: '3-1', fields: { d: '4' } }] },
        { stream: second, entries: [{ id: '5-1', fields: { z: '26' } }] },
      ]);
    });

    it('takes [key, id] pairs and a count per stream', async () => {
      const key = await stream(three);
      expect(await text.xread([[key, '0']], { count: 1 })).to.deep.equal([
        { stream: key, entries: [{ id: '1-1', fields: { a: '1' } }] },
      ]);
    });

    it('resolves with null when there is nothing new', async () => {
      const key = await stream(three);
      expect(await text.xread({ [key]: '3-1' })).to.equal(null);
    });

    it('with block resolves with null once the milliseconds ran out', async () => {
      const key = await stream(three);
      const started = Date.now();
      expect(await blocking.xread({ [key]: '$' }, { block: 50 })).to.equal(null);
      expect(Date.now() - started).to.be.at.least(40);
    });

    it('with block resolves on a single connection when another connection adds', async () => {
      const key = await stream(three);
      const read = blocking.xread({ [key]: '$' }, { block: 2000 });
      await delay(20);
      const id = await text.xadd(key, { e: '5' });
      expect(await read).to.deep.equal([{ stream: key, entries: [{ id, fields: { e: '5' } }] }]);
    });

    it("gives Buffer values on a Buffer client and decodes with the call's encoding", async () => {
      const key = await stream({ '1-1': { a: 'hi' } });
      expect(await redis.xread({ [key]: 0 })).to.deep.equal([
        { stream: key, entries: [{ id: '1-1', fields: { a: Buffer.from('hi') } }] },
      ]);
      expect(await text.xread({ [key]: 0 }, { encoding: 'hex' })).to.deep.equal([
        { stream: key, entries: [{ id: '1-1', fields: { a: '6869' } }] },
      ]);
    });
  });

  describe('#xreadGroup()', () => {
    it('a consumer-group round trip: xadd → xreadGroup → xack → xpending empty', async () => {
      const key = uniqueKey('stream');
      expect(await text.xgroupCreate(key, 'workers', '$', { mkstream: true })).to.equal(true);
      const id = await text.xadd(key, { job: 'resize', size: 64 });
      const read = await text.xreadGroup('workers', 'alice', { [key]: '>' });
      expect(read).to.deep.equal([
        { stream: key, entries: [{ id, fields: { job: 'resize', size: '64' } }] },
      ]);
      expect(await text.xpending(key, 'workers')).to.deep.equal({
        count: 1,
        minId: id,
        maxId: id,
        consumers: [{ name: 'alice', pending: 1 }],
      });
      expect(await text.xack(key, 'workers', id)).to.equal(1);
      expect(await text.xpending(key, 'workers')).to.deep.equal({
        count: 0,
        minId: null,
        maxId: null,
        consumers: [],
      });
      expect(await text.xreadGroup('workers', 'alice', { [key]: '>' })).to.equal(null);
    });

    it('reads at most count entries', async () => {
      const key = await grouped();
      const read = await text.xreadGroup('g', 'c', [[key, '>']], { count: 2 });
      expect(read?.[0]?.entries.map((entry) => entry.id)).to.deep.equal(['1-1', '2-1']);
    });

    it('with noack leaves nothing pending', async () => {
      const key = await grouped();
      const read = await text.xreadGroup('g', 'c', { [key]: '>' }, { noack: true });
      expect(read?.[0]?.entries).to.have.length(3);
      expect((await text.xpending(key, 'g')).count).to.equal(0);
    });

    it("reads the consumer's history with an ID, a deleted entry with fields: null", async () => {
      const key = await grouped();
      await text.xreadGroup('g', 'c', { [key]: '>' }, { count: 2 });
      await text.call('XDEL', key, '1-1');
      expect(await text.xreadGroup('g', 'c', { [key]: '0' })).to.deep.equal([
        {
          stream: key,
          entries: [
            { id: '1-1', fields: null },
            { id: '2-1', fields: { n: '2' } },
          ],
        },
      ]);
    });

    it('with block resolves when another connection adds', async () => {
      const key = await grouped();
      await text.xreadGroup('g', 'c', { [key]: '>' });
      const read = blocking.xreadGroup('g', 'c', { [key]: '>' }, { block: 2000 });
      await delay(20);
      const id = await text.xadd(key, { n: '4' });
      expect(await read).to.deep.equal([{ stream: key, entries: [{ id, fields: { n: '4' } }] }]);
      expect(await blocking.xreadGroup('g', 'c', { [key]: '>' }, { block: 30 })).to.equal(null);
    });

    it("decodes values with the call's encoding", async () => {
      const key = await grouped();
      const read = await redis.xreadGroup('g', 'c', { [key]: '>' }, { count: 1, encoding: 'utf8' });
      expect(read).to.deep.equal([{ stream: key, entries: [{ id: '1-1', fields: { n: '1' } }] }]);
    });

    it('rejects a missing group with a NOGROUP ReplyError', async () => {
      const key = await stream(three);
      const err = await rejectionOf(text.xreadGroup('nope', 'c', { [key]: '>' }));
      expect(err).to.be.instanceOf(ReplyError);
      expect((err as ReplyError).code).to.equal('NOGROUP');
    });
  });

  describe('#xgroupCreate()', () => {
    it('creates a group reading after id; BusyGroupError when it exists', async () => {
      const key = await stream(three);
      expect(await text.xgroupCreate(key, 'g', '2-1')).to.equal(true);
      const read = await text.xreadGroup('g', 'c', { [key]: '>' });
      expect(read?.[0]?.entries.map((entry) => entry.id)).to.deep.equal(['3-1']);
      const err = await rejectionOf(text.xgroupCreate(key, 'g'));
      expect(err).to.be.instanceOf(BusyGroupError);
      expect((err as ReplyError).code).to.equal('BUSYGROUP');
    });

    it("reads only new entries by default ('$')", async () => {
      const key = await stream(three);
      await text.xgroupCreate(key, 'g');
      expect(await text.xreadGroup('g', 'c', { [key]: '>' })).to.equal(null);
    });

    it('needs mkstream for a missing stream', async () => {
      const key = uniqueKey('stream');
      expect(await rejectionOf(text.xgroupCreate(key, 'g'))).to.be.instanceOf(ReplyError);
      expect(await text.call('EXISTS', key)).to.equal(0);
      expect(await text.xgroupCreate(key, 'g', '$', { mkstream: true })).to.equal(true);
      expect(await text.call('XLEN', key)).to.equal(0);
    });

    it('sets entriesRead, which the lag follows', async () => {
      const key = await stream(three);
      await text.xgroupCreate(key, 'g', '1-1', { entriesRead: 1 });
      const [group] = await text.xinfoGroups(key);
      expect(group).to.include({ entriesRead: 1, lag: 2 });
    });
  });

  describe('#xgroupSetid()', () => {
    it("moves the group's last delivered ID, with entriesRead", async () => {
      const key = await grouped();
      await text.xreadGroup('g', 'c', { [key]: '>' });
      expect(await text.xgroupSetid(key, 'g', '1-1', { entriesRead: 1 })).to.equal(true);
      expect((await text.xinfoGroups(key))[0]).to.include({
        lastDeliveredId: '1-1',
        entriesRead: 1,
        lag: 2,
      });
      const read = await text.xreadGroup('g', 'c', { [key]: '>' });
      expect(read?.[0]?.entries.map((entry) => entry.id)).to.deep.equal(['2-1', '3-1']);
    });
  });

  describe('#xgroupDestroy()', () => {
    it('resolves whether the group existed', async () => {
      const key = await grouped();
      expect(await text.xgroupDestroy(key, 'g')).to.equal(true);
      expect(await text.xgroupDestroy(key, 'g')).to.equal(false);
      expect(await text.xinfoGroups(key)).to.deep.equal([]);
    });
  });

  describe('#xgroupCreateconsumer()', () => {
    it('resolves whether the consumer was new', async () => {
      const key = await grouped();
      expect(await text.xgroupCreateconsumer(key, 'g', 'bob')).to.equal(true);
      expect(await text.xgroupCreateconsumer(key, 'g', 'bob')).to.equal(false);
      expect((await text.xinfoConsumers(key, 'g')).map((c) => c.name)).to.deep.equal(['bob']);
    });
  });

  describe('#xgroupDelconsumer()', () => {
    it('resolves with how many entries the consumer had pending', async () => {
      const key = await grouped();
      await text.xreadGroup('g', 'c', { [key]: '>' }, { count: 2 });
      expect(await text.xgroupDelconsumer(key, 'g', 'c')).to.equal(2);
      expect(await text.xgroupDelconsumer(key, 'g', 'c')).to.equal(0);
      expect((await text.xpending(key, 'g')).count).to.equal(0);
    });
  });

  describe('#xack()', () => {
    it('resolves with how many of the ids were pending', async () => {
      const key = await grouped();
      await text.xreadGroup('g', 'c', { [key]: '>' });
      expect(await text.xack(key, 'g', '1-1', '2-1', '9-9')).to.equal(2);
      expect(await text.xack(key, 'g', '1-1')).to.equal(0);
      expect((await text.xpending(key, 'g')).minId).to.equal('3-1');
    });
  });

  describe('#xpending()', () => {
    it('sums up the pending entries per consumer, on a Buffer client too', async () => {
      const key = await grouped();
      await text.xreadGroup('g', 'alice', { [key]: '>' }, { count: 1 });
      await text.xreadGroup('g', 'bob', { [key]: '>' });
      const expected = {
        count: 3,
        minId: '1-1',
        maxId: '3-1',
        consumers: [
          { name: 'alice', pending: 1 },
          { name: 'bob', pending: 2 },
        ],
      };
      expect(await text.xpending(key, 'g')).to.deep.equal(expected);
      expect(await redis.xpending(key, 'g')).to.deep.equal(expected);
    });
  });

  describe('#xpendingRange()', () => {
    it('lists pending entries with consumer, idle time and delivery count', async () => {
      const key = await grouped();
      await text.xreadGroup('g', 'alice', { [key]: '>' }, { count: 1 });
      await text.xreadGroup('g', 'bob', { [key]: '>' });
      const pending = await redis.xpendingRange(key, 'g', '-', '+', 10);
      expect(
        pending.map(({ id, consumer, deliveries }) => [id, consumer, deliveries]),
      ).to.deep.equal([
        ['1-1', 'alice', 1],
        ['2-1', 'bob', 1],
        ['3-1', 'bob', 1],
      ]);
      for (const entry of pending) expect(entry.idle).to.be.a('number').and.at.least(0);
    });

    it('filters by count, range, consumer and idle time', async () => {
      const key = await grouped();
      await text.xreadGroup('g', 'alice', { [key]: '>' }, { count: 1 });
      await text.xreadGroup('g', 'bob', { [key]: '>' });
      const ids = async (...args: Parameters<typeof text.xpendingRange>): Promise<string[]> =>
        (await text.xpendingRange(...args)).map((entry) => entry.id);
      expect(await ids(key, 'g', '-', '+', 1)).to.deep.equal(['1-1']);
      expect(await ids(key, 'g', '(1-1', '+', 10)).to.deep.equal(['2-1', '3-1']);
      expect(await ids(key, 'g', '-', '+', 10, { consumer: 'alice' })).to.deep.equal(['1-1']);
      expect(await ids(key, 'g', '-', '+', 10, { idle: 60_000 })).to.deep.equal([]);
      expect(await ids(key, 'g', '-', '+', 10, { idle: 0, consumer: 'bob' })).to.have.length(2);
    });
  });

  describe('#xclaim()', () => {
    it('gives pending entries to another consumer and resolves with them', async () => {
      const key = await grouped();
      await text.xreadGroup('g', 'alice', { [key]: '>' });
      expect(await text.xclaim(key, 'g', 'bob', 0, ['1-1', '2-1'])).to.deep.equal([
        { id: '1-1', fields: { n: '1' } },
        { id: '2-1', fields: { n: '2' } },
      ]);
      const pending = await text.xpendingRange(key, 'g', '-', '+', 10);
      expect(pending.map((entry) => [entry.consumer, entry.deliveries])).to.deep.equal([
        ['bob', 2],
        ['bob', 2],
        ['alice', 1],
      ]);
    });

    it('claims nothing idle for less than minIdleTime', async () => {
      const key = await grouped();
      await text.xreadGroup('g', 'alice', { [key]: '>' });
      expect(await text.xclaim(key, 'g', 'bob', 60_000, ['1-1'])).to.deep.equal([]);
    });

    it('with justid resolves with IDs and leaves the delivery count', async () => {
      const key = await grouped();
      await text.xreadGroup('g', 'alice', { [key]: '>' });
      const ids: string[] = await redis.xclaim(key, 'g', 'bob', 0, ['1-1'], { justid: true });
      expect(ids).to.deep.equal(['1-1']);
      expect((await text.xpendingRange(key, 'g', '-', '+', 1))[0]).to.include({
        consumer: 'bob',
        deliveries: 1,
      });
    });

    it('sets idle, retryCount, force and lastid', async () => {
      const key = await grouped();
      await text.xreadGroup('g', 'alice', { [key]: '>' }, { count: 1 });
      await text.xclaim(key, 'g', 'bob', 0, ['1-1'], { idle: 120_000, retryCount: 7 });
      const [entry] = await text.xpendingRange(key, 'g', '-', '+', 10);
      expect(entry).to.include({ id: '1-1', consumer: 'bob', deliveries: 7 });
      expect(entry?.idle).to.be.at.least(120_000);
      const forced = await text.xclaim(key, 'g', 'bob', 0, ['3-1'], { force: true, lastid: '3-1' });
      expect(forced.map((e) => e.id)).to.deep.equal(['3-1']);
      expect((await text.xinfoGroups(key))[0]?.lastDeliveredId).to.equal('3-1');
    });

    it('sets the delivery time with time', async () => {
      const key = await grouped();
      await text.xreadGroup('g', 'alice', { [key]: '>' }, { count: 1 });
      await text.xclaim(key, 'g', 'bob', 0, ['1-1'], { time: Date.now() - 90_000 });
      expect((await text.xpendingRange(key, 'g', '-', '+', 1))[0]?.idle).to.be.at.least(89_000);
    });

    it("decodes values with the call's encoding", async () => {
      const key = await grouped();
      await text.xreadGroup('g', 'alice', { [key]: '>' });
      expect(await text.xclaim(key, 'g', 'bob', 0, ['1-1'], { encoding: 'hex' })).to.deep.equal([
        { id: '1-1', fields: { n: '31' } },
      ]);
    });
  });

  describe('#xautoclaim()', () => {
    it('claims idle entries, resolving with the next start, entries and deleted IDs', async () => {
      const key = await grouped();
      await text.xreadGroup('g', 'alice', { [key]: '>' });
      await text.call('XDEL', key, '2-1');
      expect(await text.xautoclaim(key, 'g', 'bob', 0, '0-0')).to.deep.equal({
        next: '0-0',
        entries: [
          { id: '1-1', fields: { n: '1' } },
          { id: '3-1', fields: { n: '3' } },
        ],
        deleted: ['2-1'],
      });
      expect((await text.xpending(key, 'g')).consumers).to.deep.equal([
        { name: 'bob', pending: 2 },
      ]);
    });

    it('stops after count and says where to go on; justid gives IDs', async () => {
      const key = await grouped();
      await text.xreadGroup('g', 'alice', { [key]: '>' });
      const first = await redis.xautoclaim(key, 'g', 'bob', 0, '-', { count: 2, justid: true });
      expect(first).to.deep.equal({ next: '3-1', entries: ['1-1', '2-1'], deleted: [] });
      const rest = await redis.xautoclaim(key, 'g', 'bob', 0, first.next);
      expect(rest.next).to.equal('0-0');
      expect(rest.entries).to.deep.equal([{ id: '3-1', fields: { n: Buffer.from('3') } }]);
    });

    it('claims nothing idle for less than minIdleTime', async () => {
      const key = await grouped();
      await text.xreadGroup('g', 'alice', { [key]: '>' });
      expect(await text.xautoclaim(key, 'g', 'bob', 60_000)).to.deep.equal({
        next: '0-0',
        entries: [],
        deleted: [],
      });
    });
  });

  describe('#xdel()', () => {
    it('deletes entries and resolves with how many existed', async () => {
      const key = await stream(three);
      expect(await text.xdel(key, '1-1', '3-1', '9-9')).to.equal(2);
      expect(await text.xdel(key, '1-1')).to.equal(0);
      expect((await contents(key)).map(([id]) => id)).to.deep.equal(['2-1']);
    });
  });

  describe('#xtrim()', () => {
    it('trims to maxlen and resolves with how many entries went', async () => {
      const key = await stream(three);
      expect(await text.xtrim(key, { maxlen: 1 })).to.equal(2);
      expect((await contents(key)).map(([id]) => id)).to.deep.equal(['3-1']);
    });

    it('trims below minid', async () => {
      const key = await stream(three);
      expect(await text.xtrim(key, { minid: '2-1' })).to.equal(1);
      expect((await contents(key)).map(([id]) => id)).to.deep.equal(['2-1', '3-1']);
    });

    it('trims approximately with approximate: whole nodes only', async () => {
      const key = await stream(three);
      expect(await text.xtrim(key, { maxlen: 1, approximate: true, limit: 0 })).to.equal(0);
      expect(await text.xtrim(key, { maxlen: 1 })).to.equal(2);
    });
  });

  describe('#xlen()', () => {
    it('resolves with the number of entries, 0 for a missing key', async () => {
      expect(await text.xlen(await stream(three))).to.equal(3);
      expect(await text.xlen(uniqueKey('stream'))).to.equal(0);
    });
  });

  describe('#xinfoStream()', () => {
    it('resolves with camelCase fields and the first and last entries parsed', async () => {
      const key = await grouped();
      await text.call('XDEL', key, '1-1');
      expect(await redis.xinfoStream(key)).to.deep.include({
        length: 2,
        lastGeneratedId: '3-1',
        maxDeletedEntryId: '1-1',
        entriesAdded: 3,
        recordedFirstEntryId: '2-1',
        groups: 1,
        firstEntry: { id: '2-1', fields: { n: Buffer.from('2') } },
        lastEntry: { id: '3-1', fields: { n: Buffer.from('3') } },
      });
    });

    it('gives null first and last entries for an empty stream', async () => {
      const key = uniqueKey('stream');
      await text.xgroupCreate(key, 'g', '$', { mkstream: true });
      const info = await text.xinfoStream(key);
      expect(info).to.include({ length: 0, firstEntry: null, lastEntry: null, groups: 1 });
    });

    it('with full gives entries, groups, consumers and pending entries, at most count', async () => {
      const key = await grouped();
      await text.xreadGroup('g', 'alice', { [key]: '>' }, { count: 2 });
      const info = await text.xinfoStream(key, { full: true, count: 1 });
      expect(info).to.include({ length: 3, lastGeneratedId: '3-1' });
      expect(info.entries).to.deep.equal([{ id: '1-1', fields: { n: '1' } }]);
      expect(info.groups).to.have.length(1);
      const [group] = info.groups;
      expect(group).to.include({ name: 'g', lastDeliveredId: '2-1', pelCount: 2 });
      expect(
        group?.pending.map(({ id, consumer, deliveryCount }) => [id, consumer, deliveryCount]),
      ).to.deep.equal([['1-1', 'alice', 1]]);
      expect(group?.pending[0]?.deliveryTime).to.be.a('number');
      const [consumer] = group?.consumers ?? [];
      expect(consumer).to.include({ name: 'alice', pelCount: 2 });
      expect(consumer?.seenTime).to.be.a('number');
      expect(consumer?.pending.map(({ id, deliveryCount }) => [id, deliveryCount])).to.deep.equal([
        ['1-1', 1],
      ]);
    });

    it("decodes entry values with the call's encoding", async () => {
      const key = await stream({ '1-1': { a: 'hi' } });
      const info = await text.xinfoStream(key, { encoding: 'hex' });
      expect(info).to.include({ lastGeneratedId: '1-1' });
      expect(info.firstEntry).to.deep.equal({ id: '1-1', fields: { a: '6869' } });
      const full = await text.xinfoStream(key, { full: true, encoding: 'base64' });
      expect(full.entries).to.deep.equal([{ id: '1-1', fields: { a: 'aGk=' } }]);
    });

    it('rejects a missing key with a ReplyError', async () => {
      expect(await rejectionOf(text.xinfoStream(uniqueKey('stream')))).to.be.instanceOf(ReplyError);
    });
  });

  describe('#xinfoGroups()', () => {
    it('lists the groups with camelCase fields', async () => {
      const key = await grouped();
      await text.xreadGroup('g', 'alice', { [key]: '>' }, { count: 1 });
      await text.xgroupCreate(key, 'h', '$');
      expect(await redis.xinfoGroups(key)).to.deep.equal([
        { name: 'g', consumers: 1, pending: 1, lastDeliveredId: '1-1', entriesRead: 1, lag: 2 },
        { name: 'h', consumers: 0, pending: 0, lastDeliveredId: '3-1', entriesRead: null, lag: 0 },
      ]);
    });
  });

  describe('#xinfoConsumers()', () => {
    it('lists the consumers with their pending count and idle time', async () => {
      const key = await grouped();
      await text.xreadGroup('g', 'alice', { [key]: '>' }, { count: 1 });
      await text.xgroupCreateconsumer(key, 'g', 'bob');
      const consumers = await redis.xinfoConsumers(key, 'g');
      expect(consumers.map(({ name, pending }) => ({ name, pending }))).to.deep.equal([
        { name: 'alice', pending: 1 },
        { name: 'bob', pending: 0 },
      ]);
      for (const consumer of consumers) expect(consumer.idle).to.be.a('number').and.at.least(0);
    });
  });

  describe('#xsetid()', () => {
    it("sets the stream's last ID, entries added and max deleted ID", async () => {
      const key = await stream(three);
      expect(await text.xsetid(key, '7-0', { entriesAdded: 10, maxDeletedId: '1-0' })).to.equal(
        true,
      );
      expect(await text.xinfoStream(key)).to.include({
        lastGeneratedId: '7-0',
        entriesAdded: 10,
        maxDeletedEntryId: '1-0',
      });
      expect(await rejectionOf(text.xadd(key, { a: 1 }, { id: '6-0' }))).to.be.instanceOf(
        ReplyError,
      );
    });
  });

  describe('RESP3', () => {
    // RESP3 sends XREAD / XREADGROUP replies and XINFO replies as maps; the methods must resolve
    // with the same values as over RESP2.
    const calls: Array<[string, (client: Redis<string>, key: string) => Promise<unknown>]> = [
      ['xrange', (c, k) => c.xrange(k)],
      ['xread', (c, k) => c.xread({ [k]: 0 })],
      ['xread hex', (c, k) => c.xread({ [k]: 0 }, { encoding: 'hex' })],
      ['xreadGroup', (c, k) => c.xreadGroup('g', 'alice', { [k]: '0' })],
      ['xpending', (c, k) => c.xpending(k, 'g')],
      ['xpendingRange', (c, k) => c.xpendingRange(k, 'g', '-', '+', 10).then(withoutIdle)],
      ['xclaim', (c, k) => c.xclaim(k, 'g', 'alice', 0, ['1-1'], { justid: true })],
      ['xautoclaim', (c, k) => c.xautoclaim(k, 'g', 'alice', 0, '0-0', { justid: true })],
      ['xinfoStream', (c, k) => c.xinfoStream(k)],
      ['xinfoStream full', (c, k) => c.xinfoStream(k, { full: true }).then(withoutTimes)],
      ['xinfoGroups', (c, k) => c.xinfoGroups(k)],
      ['xinfoConsumers', (c, k) => c.xinfoConsumers(k, 'g').then(withoutIdle)],
    ];
    for (const [name, call] of calls) {
      it(`${name} resolves with the same value as over RESP2`, async () => {
        /** The same stream, group and pending entries each time, one of them deleted. */
        const setUp = async (key?: string): Promise<string> => {
          const made = await grouped(key);
          await text.call('XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', 2, 'STREAMS', made, '>');
          await text.call('XDEL', made, '2-1');
          return made;
        };
        const key = await setUp();
        const over2 = await call(text, key);
        const over3 = await call(resp3, await setUp(key));
        expect(over3).to.deep.equal(over2);
        expect(JSON.stringify(over2)).to.match(/1-1|"count"|"name"/); // a real value, not empty
      });
    }

    it('gives xread entries per stream from the RESP3 map', async () => {
      const key = await stream(three);
      expect(await resp3.xread({ [key]: '2-1' })).to.deep.equal([
        { stream: key, entries: [{ id: '3-1', fields: { d: '4' } }] },
      ]);
      expect(await resp3.xread({ [key]: '3-1' })).to.equal(null);
    });
  });

  /** Drops the time fields that change between two calls. */
  function withoutIdle<T extends object>(items: T[]): T[] {
    return items.map((item) => ({ ...item, idle: 0, inactive: 0 }));
  }
  function withoutTimes<T>(info: T): T {
    return JSON.parse(
      JSON.stringify(info, (name, value: unknown) =>
        ['deliveryTime', 'seenTime', 'activeTime'].includes(name) ? 0 : value,
      ),
    ) as T;
  }

  describe('on a pool', () => {
    it('runs a blocking xread on a connection of its own, so a concurrent GET is answered', async () => {
      const pool = await createRedisPool(url, { encoding: 'utf8', minsize: 1, maxsize: 3 });
      try {
        const key = await stream(three);
        const str = uniqueKey('string');
        await pool.call('SET', str, 'answer');
        let settled = false;
        const read = pool.xread({ [key]: '$' }, { block: 2000 }).finally(() => (settled = true));
        await delay(20);
        const started = Date.now();
        expect(await pool.call('GET', str)).to.equal('answer');
        expect(Date.now() - started).to.be.below(500);
        expect(settled).to.equal(false);
        const id = await pool.xadd(key, { e: '5' });
        expect(await read).to.deep.equal([{ stream: key, entries: [{ id, fields: { e: '5' } }] }]);
      } finally {
        pool.close();
        await pool.waitClosed();
      }
    });

    it('runs a blocking xreadGroup on a connection of its own too', async () => {
      const pool = await createRedisPool(url, { encoding: 'utf8', minsize: 1, maxsize: 3 });
      try {
        const key = await grouped();
        await pool.xreadGroup('g', 'c', { [key]: '>' });
        const read = pool.xreadGroup('g', 'c', { [key]: '>' }, { block: 2000 });
        await delay(20);
        expect(await pool.xlen(key)).to.equal(3);
        const id = await pool.xadd(key, { n: '4' });
        expect(await read).to.deep.equal([{ stream: key, entries: [{ id, fields: { n: '4' } }] }]);
      } finally {
        pool.close();
        await pool.waitClosed();
      }
    });
  });

  describe('errors', () => {
    /** Every method, called on a key that holds a string. */
    const wrongType: Array<[string, (key: string) => Promise<unknown>]> = [
      ['xack', (k) => text.xack(k, 'g', '1-1')],
      ['xadd', (k) => text.xadd(k, { a: 1 })],
      ['xautoclaim', (k) => text.xautoclaim(k, 'g', 'c', 0)],
      ['xclaim', (k) => text.xclaim(k, 'g', 'c', 0, ['1-1'])],
      ['xdel', (k) => text.xdel(k, '1-1')],
      ['xgroupCreate', (k) => text.xgroupCreate(k, 'g')],
      ['xgroupCreateconsumer', (k) => text.xgroupCreateconsumer(k, 'g', 'c')],
      ['xgroupDelconsumer', (k) => text.xgroupDelconsumer(k, 'g', 'c')],
      ['xgroupDestroy', (k) => text.xgroupDestroy(k, 'g')],
      ['xgroupSetid', (k) => text.xgroupSetid(k, 'g', '0')],
      ['xinfoConsumers', (k) => text.xinfoConsumers(k, 'g')],
      ['xinfoGroups', (k) => text.xinfoGroups(k)],
      ['xinfoStream', (k) => text.xinfoStream(k)],
      ['xlen', (k) => text.xlen(k)],
      ['xpending', (k) => text.xpending(k, 'g')],
      ['xpendingRange', (k) => text.xpendingRange(k, 'g', '-', '+', 1)],
      ['xrange', (k) => text.xrange(k)],
      ['xread', (k) => text.xread({ [k]: 0 })],
      ['xreadGroup', (k) => text.xreadGroup('g', 'c', { [k]: '>' })],
      ['xrevrange', (k) => text.xrevrange(k)],
      ['xsetid', (k) => text.xsetid(k, '1-1')],
      ['xtrim', (k) => text.xtrim(k, { maxlen: 1 })],
    ];
    for (const [name, call] of wrongType) {
      it(`${name} on a string rejects with WRONGTYPE`, async () => {
        const key = uniqueKey('string');
        await text.call('SET', key, 'v');
        const err = await rejectionOf(call(key));
        expect(err).to.be.instanceOf(ReplyError);
        expect((err as ReplyError).code).to.equal('WRONGTYPE');
      });
    }

    const key = uniqueKey('untouched');
    /** [what, the command the server would count it under, error, the call]. */
    const refused: Array<[string, string, 'TypeError' | 'RangeError', () => Promise<unknown>]> = [
      ['xack with a boolean id', 'xack', 'TypeError', () => text.xack(key, 'g', true as never)],
      ['xadd with no fields', 'xadd', 'TypeError', () => text.xadd(key, {})],
      ['xadd with a malformed pair', 'xadd', 'TypeError', () => text.xadd(key, [['a']] as never)],
      [
        'xadd with an undefined value',
        'xadd',
        'TypeError',
        () => text.xadd(key, { a: undefined as never }),
      ],
      [
        'xadd with maxlen and minid',
        'xadd',
        'TypeError',
        () => text.xadd(key, { a: 1 }, { maxlen: 1, minid: '1' }),
      ],
      [
        'xadd with a negative maxlen',
        'xadd',
        'RangeError',
        () => text.xadd(key, { a: 1 }, { maxlen: -1 }),
      ],
      [
        'xadd with a fractional maxlen',
        'xadd',
        'TypeError',
        () => text.xadd(key, { a: 1 }, { maxlen: 1.5 }),
      ],
      [
        'xadd with limit but not approximate',
        'xadd',
        'TypeError',
        () => text.xadd(key, { a: 1 }, { maxlen: 1, limit: 5 }),
      ],
      [
        'xadd with approximate but no threshold',
        'xadd',
        'TypeError',
        () => text.xadd(key, { a: 1 }, { approximate: true }),
      ],
      [
        'xadd with a negative limit',
        'xadd',
        'RangeError',
        () => text.xadd(key, { a: 1 }, { minid: 5, approximate: true, limit: -1 }),
      ],
      ['xadd with an empty id', 'xadd', 'TypeError', () => text.xadd(key, { a: 1 }, { id: '' })],
      ['xadd with a negative id', 'xadd', 'TypeError', () => text.xadd(key, { a: 1 }, { id: -1 })],
      [
        'xautoclaim with a negative minIdleTime',
        'xautoclaim',
        'RangeError',
        () => text.xautoclaim(key, 'g', 'c', -1),
      ],
      [
        'xautoclaim with count 0',
        'xautoclaim',
        'RangeError',
        () => text.xautoclaim(key, 'g', 'c', 0, '0', { count: 0 }),
      ],
      ['xclaim with no ids', 'xclaim', 'TypeError', () => text.xclaim(key, 'g', 'c', 0, [])],
      [
        'xclaim with a fractional minIdleTime',
        'xclaim',
        'TypeError',
        () => text.xclaim(key, 'g', 'c', 0.5, ['1-1']),
      ],
      [
        'xclaim with a negative retryCount',
        'xclaim',
        'RangeError',
        () => text.xclaim(key, 'g', 'c', 0, ['1-1'], { retryCount: -1 }),
      ],
      [
        'xclaim with a fractional idle',
        'xclaim',
        'TypeError',
        () => text.xclaim(key, 'g', 'c', 0, ['1-1'], { idle: 1.5 }),
      ],
      [
        'xclaim with a bad lastid',
        'xclaim',
        'TypeError',
        () => text.xclaim(key, 'g', 'c', 0, ['1-1'], { lastid: null as never }),
      ],
      ['xdel with an undefined id', 'xdel', 'TypeError', () => text.xdel(key, undefined as never)],
      [
        'xgroupCreate with a negative entriesRead',
        'xgroup|create',
        'RangeError',
        () => text.xgroupCreate(key, 'g', '$', { mkstream: true, entriesRead: -1 }),
      ],
      [
        'xgroupCreate with a boolean id',
        'xgroup|create',
        'TypeError',
        () => text.xgroupCreate(key, 'g', false as never, { mkstream: true }),
      ],
      [
        'xgroupSetid with a fractional entriesRead',
        'xgroup|setid',
        'TypeError',
        () => text.xgroupSetid(key, 'g', '0', { entriesRead: 0.5 }),
      ],
      [
        'xinfoStream with count but not full',
        'xinfo|stream',
        'TypeError',
        () => text.xinfoStream(key, { count: 1 }),
      ],
      [
        'xinfoStream with a negative count',
        'xinfo|stream',
        'RangeError',
        () => text.xinfoStream(key, { full: true, count: -1 }),
      ],
      [
        'xpendingRange with count 0',
        'xpending',
        'RangeError',
        () => text.xpendingRange(key, 'g', '-', '+', 0),
      ],
      [
        'xpendingRange with a negative idle',
        'xpending',
        'RangeError',
        () => text.xpendingRange(key, 'g', '-', '+', 1, { idle: -1 }),
      ],
      [
        'xpendingRange with an object start',
        'xpending',
        'TypeError',
        () => text.xpendingRange(key, 'g', {} as never, '+', 1),
      ],
      [
        'xrange with count 0',
        'xrange',
        'RangeError',
        () => text.xrange(key, '-', '+', { count: 0 }),
      ],
      [
        'xrange with a fractional count',
        'xrange',
        'TypeError',
        () => text.xrange(key, '-', '+', { count: 1.5 }),
      ],
      [
        'xrevrange with a null end',
        'xrevrange',
        'TypeError',
        () => text.xrevrange(key, null as never),
      ],
      ['xread with no streams', 'xread', 'TypeError', () => text.xread({})],
      ['xread with a malformed pair', 'xread', 'TypeError', () => text.xread([[key]] as never)],
      [
        'xread with a negative block',
        'xread',
        'RangeError',
        () => text.xread({ [key]: 0 }, { block: -1 }),
      ],
      [
        'xread with a fractional block',
        'xread',
        'TypeError',
        () => text.xread({ [key]: 0 }, { block: 0.5 }),
      ],
      [
        'xreadGroup with a string for streams',
        'xreadgroup',
        'TypeError',
        () => text.xreadGroup('g', 'c', key as never),
      ],
      [
        'xreadGroup with count -1',
        'xreadgroup',
        'RangeError',
        () => text.xreadGroup('g', 'c', { [key]: '>' }, { count: -1 }),
      ],
      [
        'xsetid with a negative entriesAdded',
        'xsetid',
        'RangeError',
        () => text.xsetid(key, '1-1', { entriesAdded: -1 }),
      ],
      [
        'xsetid with a bad maxDeletedId',
        'xsetid',
        'TypeError',
        () => text.xsetid(key, '1-1', { maxDeletedId: 1.5 }),
      ],
      ['xtrim with neither maxlen nor minid', 'xtrim', 'TypeError', () => text.xtrim(key, {})],
      ['xtrim with no options', 'xtrim', 'TypeError', () => text.xtrim(key, undefined as never)],
      [
        'xtrim with a negative maxlen',
        'xtrim',
        'RangeError',
        () => text.xtrim(key, { maxlen: -5 }),
      ],
    ];
    for (const [what, command, type, call] of refused) {
      it(`rejects ${what} with ${type} and sends nothing`, async () => {
        const before = await callsOf(command);
        const err = await rejectionOf(call());
        expect(err.name).to.equal(type);
        expect(await callsOf(command)).to.equal(before);
        expect(await text.call('EXISTS', key)).to.equal(0);
      });
    }
  });
});
