import { expect } from 'chai';
import { createRedis, type Redis, ReplyError } from '../../lib';
import { sharedServer } from '../helpers/hooks';
import { useSharedClients } from '../helpers/connection';
import { commandCalls, expectRefused as refusedOn, expectWrongType } from '../helpers/commandstats';
import { rejectionOf, uniqueKey } from '../helpers/util';

describe('hash commands', () => {
  let redis: Redis<Buffer>;
  let text: Redis<string>;
  useSharedClients((buffers, strings) => {
    redis = buffers;
    text = strings;
  });

  /** A new hash holding `fields`. */
  async function hashOf(fields: Record<string, string>): Promise<string> {
    const key = uniqueKey('hash');
    await text.call('HSET', key, ...Object.entries(fields).flat());
    return key;
  }

  /** A new string key, for WRONGTYPE. */
  async function stringKey(): Promise<string> {
    const key = uniqueKey('string');
    await text.set(key, 'not a hash');
    return key;
  }

  const received = (command: string): Promise<number> => commandCalls(text, command);
  const expectRefused = (
    command: string,
    type: typeof TypeError | typeof RangeError,
    call: () => Promise<unknown>,
  ): Promise<void> => refusedOn(text, command, type, call);

  describe('#hdel()', () => {
    it('deletes the fields and resolves with how many existed', async () => {
      const key = await hashOf({ a: '1', b: '2', c: '3' });
      expect(await redis.hdel(key, 'a', 'c', 'missing')).to.equal(2);
      expect(await text.hgetall(key)).to.deep.equal({ b: '2' });
      expect(await redis.hdel(key, 'a')).to.equal(0);
      expect(await redis.hdel(uniqueKey('missing'), 'a')).to.equal(0);
    });

    it('rejects with WRONGTYPE on a string key', async () => {
      await expectWrongType(redis.hdel(await stringKey(), 'a'));
    });
  });

  describe('#hexists()', () => {
    it('resolves true for an existing field and false otherwise', async () => {
      const key = await hashOf({ a: '1' });
      expect(await redis.hexists(key, 'a')).to.equal(true);
      expect(await redis.hexists(key, 'b')).to.equal(false);
      expect(await redis.hexists(uniqueKey('missing'), 'a')).to.equal(false);
    });

    it('rejects with WRONGTYPE on a string key', async () => {
      await expectWrongType(redis.hexists(await stringKey(), 'a'));
    });
  });

  describe('#hget()', () => {
    it("resolves with the value in the client's encoding, null when missing", async () => {
      const key = await hashOf({ a: 'één' });
      expect(await redis.hget(key, 'a')).to.deep.equal(Buffer.from('één'));
      expect(await text.hget(key, 'a')).to.equal('één');
      expect(await redis.hget(key, 'b')).to.equal(null);
      expect(await redis.hget(uniqueKey('missing'), 'a')).to.equal(null);
    });

    it("decodes with the call's encoding", async () => {
      const key = await hashOf({ a: 'één' });
      const asText: string | null = await redis.hget(key, 'a', { encoding: 'utf8' });
      const asBuffer: Buffer | null = await text.hget(key, 'a', { encoding: null });
      expect(asText).to.equal('één');
      expect(asBuffer).to.deep.equal(Buffer.from('één'));
      expect(await redis.hget(key, 'a', { encoding: 'hex' })).to.equal(
        Buffer.from('één').toString('hex'),
      );
    });

    it('rejects with WRONGTYPE on a string key', async () => {
      await expectWrongType(redis.hget(await stringKey(), 'a'));
    });
  });

  describe('#hgetall()', () => {
    it('keeps a field named __proto__ as data, never as the prototype', async () => {
      const key = uniqueKey();
      await redis.hset(key, '__proto__', 'value');
      const all = await redis.hgetall(key, { encoding: 'utf8' });
      expect(Object.getPrototypeOf(all)).to.equal(Object.prototype);
      expect(Object.keys(all)).to.deep.equal(['__proto__']);
      expect(Object.getOwnPropertyDescriptor(all, '__proto__')?.value).to.equal('value');
    });

    it('resolves with an object of every field, {} for a missing key', async () => {
      const key = await hashOf({ a: '1', b: 'two' });
      const values: Record<string, Buffer> = await redis.hgetall(key);
      expect(values).to.deep.equal({ a: Buffer.from('1'), b: Buffer.from('two') });
      expect(await text.hgetall(key)).to.deep.equal({ a: '1', b: 'two' });
      expect(await redis.hgetall(uniqueKey('missing'))).to.deep.equal({});
    });

    it("decodes values with the call's encoding; field names are always text", async () => {
      const key = await hashOf({ a: '1' });
      const values: Record<string, string> = await redis.hgetall(key, { encoding: 'utf8' });
      expect(values).to.deep.equal({ a: '1' });
      expect(await text.hgetall(key, { encoding: null })).to.deep.equal({ a: Buffer.from('1') });
    });

    it('makes the same object of a RESP3 map reply', async () => {
      const key = await hashOf({ a: '1', b: '2' });
      const resp3 = await createRedis((await sharedServer()).url);
      try {
        await resp3.execute('HELLO', 3);
        expect(await resp3.execute('HGETALL', key)).to.be.instanceOf(Map);
        expect(await resp3.hgetall(key)).to.deep.equal({
          a: Buffer.from('1'),
          b: Buffer.from('2'),
        });
        expect(await resp3.hgetall(key, { encoding: 'utf8' })).to.deep.equal({ a: '1', b: '2' });
      } finally {
        resp3.close();
      }
    });

    it('rejects with WRONGTYPE on a string key', async () => {
      await expectWrongType(redis.hgetall(await stringKey()));
    });
  });

  describe('#hincrby()', () => {
    it('adds the increment (1 by default) and resolves with the new value', async () => {
      const key = await hashOf({ n: '10' });
      expect(await redis.hincrby(key, 'n', 5)).to.equal(15);
      expect(await redis.hincrby(key, 'n', -20)).to.equal(-5);
      expect(await redis.hincrby(key, 'n')).to.equal(-4);
      expect(await redis.hincrby(key, 'new', 3)).to.equal(3);
    });

    it('rejects with TypeError on a non-integer increment and sends nothing', async () => {
      const key = await hashOf({ n: '10' });
      await expectRefused('hincrby', TypeError, () => redis.hincrby(key, 'n', 1.5));
      await expectRefused('hincrby', TypeError, () => redis.hincrby(key, 'n', NaN));
      expect(await text.hget(key, 'n')).to.equal('10');
    });

    it('rejects with ERR when the field is not an integer, and WRONGTYPE on a string key', async () => {
      const key = await hashOf({ s: 'abc' });
      const err = await rejectionOf(redis.hincrby(key, 's', 1));
      expect(err).to.be.instanceOf(ReplyError);
      expect((err as ReplyError).code).to.equal('ERR');
      await expectWrongType(redis.hincrby(await stringKey(), 'n', 1));
    });
  });

  describe('#hincrbyfloat()', () => {
    it('adds the increment (1 by default) and resolves with the new value as a number', async () => {
      const key = await hashOf({ n: '10' });
      expect(await redis.hincrbyfloat(key, 'n', 0.5)).to.equal(10.5);
      expect(await redis.hincrbyfloat(key, 'n', -20)).to.equal(-9.5);
      expect(await redis.hincrbyfloat(key, 'n')).to.equal(-8.5);
      expect(await text.hincrbyfloat(key, 'new', 2.25)).to.equal(2.25);
      expect(await text.hget(key, 'n')).to.equal('-8.5');
    });

    it('rejects with TypeError on a non-finite increment and sends nothing', async () => {
      const key = await hashOf({ n: '10' });
      await expectRefused('hincrbyfloat', TypeError, () => redis.hincrbyfloat(key, 'n', Infinity));
      await expectRefused('hincrbyfloat', TypeError, () => redis.hincrbyfloat(key, 'n', NaN));
      expect(await text.hget(key, 'n')).to.equal('10');
    });

    it('rejects with WRONGTYPE on a string key', async () => {
      await expectWrongType(redis.hincrbyfloat(await stringKey(), 'n', 1));
    });
  });

  describe('#hkeys()', () => {
    it('resolves with the field names, [] for a missing key', async () => {
      const key = await hashOf({ a: '1', b: '2' });
      expect((await text.hkeys(key)).sort()).to.deep.equal(['a', 'b']);
      const raw: Buffer[] = await redis.hkeys(key);
      expect(raw.map(String).sort()).to.deep.equal(['a', 'b']);
      expect(raw[0]).to.be.instanceOf(Buffer);
      expect(await redis.hkeys(uniqueKey('missing'))).to.deep.equal([]);
    });

    it("decodes with the call's encoding", async () => {
      const key = await hashOf({ a: '1' });
      const names: string[] = await redis.hkeys(key, { encoding: 'utf8' });
      expect(names).to.deep.equal(['a']);
    });

    it('rejects with WRONGTYPE on a string key', async () => {
      await expectWrongType(redis.hkeys(await stringKey()));
    });
  });

  describe('#hlen()', () => {
    it('resolves with the number of fields, 0 for a missing key', async () => {
      expect(await redis.hlen(await hashOf({ a: '1', b: '2', c: '3' }))).to.equal(3);
      expect(await redis.hlen(uniqueKey('missing'))).to.equal(0);
    });

    it('rejects with WRONGTYPE on a string key', async () => {
      await expectWrongType(redis.hlen(await stringKey()));
    });
  });

  describe('#hmget()', () => {
    it('resolves with the values in order, null for a missing field', async () => {
      const key = await hashOf({ a: '1', b: '2' });
      expect(await redis.hmget(key, ['b', 'missing', 'a'])).to.deep.equal([
        Buffer.from('2'),
        null,
        Buffer.from('1'),
      ]);
      expect(await text.hmget(uniqueKey('missing'), ['a', 'b'])).to.deep.equal([null, null]);
    });

    it("decodes with the call's encoding", async () => {
      const key = await hashOf({ a: '1' });
      const values: Array<string | null> = await redis.hmget(key, ['a', 'b'], { encoding: 'utf8' });
      expect(values).to.deep.equal(['1', null]);
    });

    it('rejects with TypeError on an empty or missing field list and sends nothing', async () => {
      const key = await hashOf({ a: '1' });
      await expectRefused('hmget', TypeError, () => redis.hmget(key, []));
      // @ts-expect-error fields must be an array
      await expectRefused('hmget', TypeError, () => redis.hmget(key, 'a'));
    });

    it('rejects with WRONGTYPE on a string key', async () => {
      await expectWrongType(redis.hmget(await stringKey(), ['a']));
    });
  });

  describe('#hmset()', () => {
    it('sets every field, value pair and resolves true', async () => {
      const key = uniqueKey('hash');
      expect(await redis.hmset(key, 'a', '1', 'b', Buffer.from('2'), 'c', 3)).to.equal(true);
      expect(await text.hgetall(key)).to.deep.equal({ a: '1', b: '2', c: '3' });
      expect(await redis.hmset(key, 'a', 'one')).to.equal(true);
      expect(await text.hget(key, 'a')).to.equal('one');
    });

    it('rejects with TypeError on a field without a value and sends nothing', async () => {
      const key = uniqueKey('hash');
      await expectRefused('hmset', TypeError, () => redis.hmset(key, 'a', '1', 'b'));
      expect(await redis.call('EXISTS', key)).to.equal(0);
    });

    it('rejects with WRONGTYPE on a string key', async () => {
      await expectWrongType(redis.hmset(await stringKey(), 'a', '1'));
    });
  });

  describe('#hmsetDict()', () => {
    it('sets the fields of an object and resolves true', async () => {
      const key = uniqueKey('hash');
      expect(await redis.hmsetDict(key, { a: '1', b: Buffer.from('2'), c: 3 })).to.equal(true);
      expect(await text.hgetall(key)).to.deep.equal({ a: '1', b: '2', c: '3' });
    });

    it('sets [field, value] pairs, with Buffer field names', async () => {
      const key = uniqueKey('hash');
      const pairs: Array<[string | Buffer, string]> = [
        [Buffer.from('a'), 'x'],
        ['b', 'y'],
      ];
      expect(await redis.hmsetDict(key, pairs)).to.equal(true);
      expect(await text.hgetall(key)).to.deep.equal({ a: 'x', b: 'y' });
    });

    it('rejects with TypeError on an empty or malformed argument and sends nothing', async () => {
      const key = uniqueKey('hash');
      await expectRefused('hmset', TypeError, () => redis.hmsetDict(key, {}));
      await expectRefused('hmset', TypeError, () => redis.hmsetDict(key, []));
      // @ts-expect-error a pair needs two items
      await expectRefused('hmset', TypeError, () => redis.hmsetDict(key, [['a']]));
      // @ts-expect-error not an object
      await expectRefused('hmset', TypeError, () => redis.hmsetDict(key, null));
      expect(await redis.call('EXISTS', key)).to.equal(0);
    });

    it('rejects with WRONGTYPE on a string key', async () => {
      await expectWrongType(redis.hmsetDict(await stringKey(), { a: '1' }));
    });
  });

  describe('#hset()', () => {
    it('sets one field and resolves with 1 when it is new, 0 when it was overwritten', async () => {
      const key = uniqueKey('hash');
      expect(await redis.hset(key, 'a', '1')).to.equal(1);
      expect(await redis.hset(key, 'a', 'one')).to.equal(0);
      expect(await redis.hset(key, Buffer.from('b'), 2)).to.equal(1);
      expect(await text.hgetall(key)).to.deep.equal({ a: 'one', b: '2' });
    });

    it('sets further field, value pairs in the same command (HSET takes many since Redis 4)', async () => {
      const key = await hashOf({ a: '1' });
      expect(await redis.hset(key, 'a', 'one', 'b', '2', Buffer.from('c'), 3)).to.equal(2);
      expect(await text.hgetall(key)).to.deep.equal({ a: 'one', b: '2', c: '3' });
    });

    it('sets every field of an object in one command; resolves with how many were new', async () => {
      const key = await hashOf({ a: '1' });
      expect(await redis.hset(key, { a: 'one', b: '2', c: Buffer.from('3') })).to.equal(2);
      expect(await text.hgetall(key)).to.deep.equal({ a: 'one', b: '2', c: '3' });
    });

    it('sets [field, value] pairs', async () => {
      const key = await hashOf({ a: '1' });
      expect(
        await redis.hset(key, [
          ['a', 'one'],
          [Buffer.from('b'), '2'],
        ]),
      ).to.equal(1);
      expect(await text.hgetall(key)).to.deep.equal({ a: 'one', b: '2' });
    });

    it('rejects with TypeError on a missing value or empty pairs and sends nothing', async () => {
      const key = uniqueKey('hash');
      // @ts-expect-error a field needs a value
      await expectRefused('hset', TypeError, () => redis.hset(key, 'a'));
      await expectRefused('hset', TypeError, () => redis.hset(key, {}));
      await expectRefused('hset', TypeError, () => redis.hset(key, []));
      // @ts-expect-error pairs take no value
      await expectRefused('hset', TypeError, () => redis.hset(key, { a: '1' }, '2'));
      await expectRefused('hset', TypeError, () => redis.hset(key, 'a', '1', 'b'));
      // @ts-expect-error not an Arg
      await expectRefused('hset', TypeError, () => redis.hset(key, null, '2'));
      expect(await redis.call('EXISTS', key)).to.equal(0);
    });

    it('rejects with WRONGTYPE on a string key', async () => {
      await expectWrongType(redis.hset(await stringKey(), 'a', '1'));
      await expectWrongType(redis.hset(await stringKey(), { a: '1' }));
    });
  });

  describe('#hsetnx()', () => {
    it('sets a new field and resolves true; leaves an existing one and resolves false', async () => {
      const key = uniqueKey('hash');
      expect(await redis.hsetnx(key, 'a', '1')).to.equal(true);
      expect(await redis.hsetnx(key, 'a', '2')).to.equal(false);
      expect(await text.hget(key, 'a')).to.equal('1');
    });

    it('rejects with WRONGTYPE on a string key', async () => {
      await expectWrongType(redis.hsetnx(await stringKey(), 'a', '1'));
    });
  });

  describe('#hstrlen()', () => {
    it("resolves with the value's length in bytes, 0 when missing", async () => {
      const key = await hashOf({ a: 'één', b: '12345' });
      expect(await redis.hstrlen(key, 'a')).to.equal(5);
      expect(await redis.hstrlen(key, 'b')).to.equal(5);
      expect(await redis.hstrlen(key, 'c')).to.equal(0);
    });

    it('rejects with WRONGTYPE on a string key', async () => {
      await expectWrongType(redis.hstrlen(await stringKey(), 'a'));
    });
  });

  describe('#hvals()', () => {
    it('resolves with the values, [] for a missing key', async () => {
      const key = await hashOf({ a: '1', b: '2' });
      expect((await text.hvals(key)).sort()).to.deep.equal(['1', '2']);
      const raw: Buffer[] = await redis.hvals(key);
      expect(raw.map(String).sort()).to.deep.equal(['1', '2']);
      expect(raw[0]).to.be.instanceOf(Buffer);
      expect(await text.hvals(uniqueKey('missing'))).to.deep.equal([]);
    });

    it("decodes with the call's encoding", async () => {
      const key = await hashOf({ a: '1' });
      const values: Buffer[] = await text.hvals(key, { encoding: null });
      expect(values).to.deep.equal([Buffer.from('1')]);
    });

    it('rejects with WRONGTYPE on a string key', async () => {
      await expectWrongType(redis.hvals(await stringKey()));
    });
  });

  /** A hash of `n` fields `f<i>` → `v<i>`; over 512 (hash-max-listpack-entries) makes it a real hash table. */
  async function bigHash(n: number): Promise<{ key: string; fields: Record<string, string> }> {
    const fields: Record<string, string> = {};
    for (let i = 0; i < n; i++) fields[`f${i}`] = `v${i}`;
    return { key: await hashOf(fields), fields };
  }

  describe('#hscan()', () => {
    it('walks every field from cursor 0 back to cursor "0" in [field, value] pairs', async () => {
      const { key, fields } = await bigHash(600);
      const seen: Record<string, string> = {};
      let cursor = '0';
      let steps = 0;
      do {
        const [next, pairs] = await text.hscan(key, cursor);
        expect(next).to.be.a('string');
        for (const [field, value] of pairs) seen[field] = value;
        cursor = next;
        steps++;
      } while (cursor !== '0');
      expect(steps).to.be.greaterThan(1);
      expect(seen).to.deep.equal(fields);
    });

    it('returns a small hash in one step; Buffers by default, strings with an encoding', async () => {
      const key = await hashOf({ a: '1', b: '2' });
      const [cursor, pairs] = await redis.hscan(key, 0);
      expect(cursor).to.equal('0');
      expect(pairs.map(([f, v]) => [String(f), String(v)]).sort()).to.deep.equal([
        ['a', '1'],
        ['b', '2'],
      ]);
      expect(pairs[0]?.[0]).to.be.instanceOf(Buffer);
      const [, decoded]: [string, Array<[string, string]>] = await redis.hscan(key, '0', {
        encoding: 'utf8',
      });
      expect(decoded.sort()).to.deep.equal([
        ['a', '1'],
        ['b', '2'],
      ]);
      expect(await redis.hscan(uniqueKey('missing'))).to.deep.equal(['0', []]);
    });

    it('filters with match and takes a count', async () => {
      const { key } = await bigHash(600);
      const [cursor, pairs] = await text.hscan(key, 0, { match: 'f1*', count: 1000 });
      expect(cursor).to.equal('0');
      expect(pairs).to.have.length(111); // f1, f10–f19, f100–f199
      expect(
        pairs.every(([field, value]) => field.startsWith('f1') && value === `v${field.slice(1)}`),
      ).to.equal(true);
    });

    it('rejects with TypeError on a bad cursor or count, RangeError on a negative cursor or count < 1, sending nothing', async () => {
      const key = await hashOf({ a: '1' });
      await expectRefused('hscan', TypeError, () => redis.hscan(key, 'abc'));
      await expectRefused('hscan', RangeError, () => redis.hscan(key, -1));
      await expectRefused('hscan', TypeError, () => redis.hscan(key, 1.5));
      await expectRefused('hscan', TypeError, () => redis.hscan(key, 0, { count: 2.5 }));
      await expectRefused('hscan', RangeError, () => redis.hscan(key, 0, { count: 0 }));
    });

    it('rejects with WRONGTYPE on a string key', async () => {
      await expectWrongType(redis.hscan(await stringKey(), 0));
    });
  });

  describe('#ihscan()', () => {
    it('yields every [field, value] pair of the hash', async () => {
      const { key, fields } = await bigHash(600);
      const seen: Record<string, string> = {};
      for await (const [field, value] of text.ihscan(key)) seen[field] = value;
      expect(seen).to.deep.equal(fields);
    });

    it('sends one HSCAN per batch, and only when the last batch is used up', async () => {
      const { key } = await bigHash(600);
      const batchSizes: number[] = [];
      let cursor = '0';
      do {
        const [next, pairs] = await text.hscan(key, cursor, { count: 50 });
        batchSizes.push(pairs.length);
        cursor = next;
      } while (cursor !== '0');
      expect(batchSizes.length).to.be.greaterThan(2);
      const firstBatch = batchSizes[0] as number;

      const start = await received('hscan');
      const iterator = text.ihscan(key, { count: 50 });
      expect(await received('hscan')).to.equal(start);
      for (let i = 0; i < firstBatch; i++) expect((await iterator.next()).done).to.equal(false);
      expect(await received('hscan')).to.equal(start + 1);
      expect((await iterator.next()).done).to.equal(false);
      expect(await received('hscan')).to.equal(start + 2);
      let items = firstBatch + 1;
      while (!(await iterator.next()).done) items++;
      expect(items).to.equal(batchSizes.reduce((a, b) => a + b));
      expect(await received('hscan')).to.equal(start + batchSizes.length);
    });

    it('filters with match, decodes with the encoding, and ends at once for a missing key', async () => {
      const { key } = await bigHash(600);
      const seen: Array<[string, string]> = [];
      for await (const pair of redis.ihscan(key, { match: 'f2?', encoding: 'utf8' }))
        seen.push(pair);
      expect(seen.map(([f]) => f).sort()).to.deep.equal(
        Array.from({ length: 10 }, (_, i) => `f2${i}`).sort(),
      );
      expect(seen.every(([f, v]) => v === `v${f.slice(1)}`)).to.equal(true);
      const raw = await redis.ihscan(await hashOf({ a: '1' })).next();
      expect(raw.value).to.deep.equal([Buffer.from('a'), Buffer.from('1')]);
      expect((await redis.ihscan(uniqueKey('missing')).next()).done).to.equal(true);
    });

    it('rejects the first next() on bad options and sends nothing', async () => {
      const key = await hashOf({ a: '1' });
      await expectRefused('hscan', RangeError, () => redis.ihscan(key, { count: 0 }).next());
      await expectRefused('hscan', TypeError, () => redis.ihscan(key, { count: 1.5 }).next());
    });

    it('rejects with WRONGTYPE on a string key', async () => {
      await expectWrongType(redis.ihscan(await stringKey()).next());
    });
  });

  describe('#hrandfield()', () => {
    const fields = { a: '1', b: '2', c: '3' };

    it('resolves with one random field, null for a missing key', async () => {
      const key = await hashOf(fields);
      const field: string | null = await text.hrandfield(key);
      expect(field).to.be.oneOf(Object.keys(fields));
      const raw: Buffer | null = await redis.hrandfield(key);
      expect(raw).to.be.instanceOf(Buffer);
      expect(String(raw)).to.be.oneOf(Object.keys(fields));
      expect(await redis.hrandfield(uniqueKey('missing'))).to.equal(null);
    });

    it('with a positive count resolves with that many distinct fields, at most all', async () => {
      const key = await hashOf(fields);
      const two: string[] = await text.hrandfield(key, { count: 2 });
      expect(two).to.have.length(2);
      expect(new Set(two).size).to.equal(2);
      expect(two).to.satisfy((names: string[]) => names.every((n) => n in fields));
      expect((await text.hrandfield(key, { count: 10 })).sort()).to.deep.equal(['a', 'b', 'c']);
      expect(await text.hrandfield(uniqueKey('missing'), { count: 2 })).to.deep.equal([]);
    });

    it('with a negative count resolves with that many fields, repeats allowed', async () => {
      const key = await hashOf({ only: 'x' });
      expect(await text.hrandfield(key, { count: -4 })).to.deep.equal([
        'only',
        'only',
        'only',
        'only',
      ]);
    });

    it('with withValues resolves with [field, value] pairs', async () => {
      const key = await hashOf(fields);
      const pairs: Array<[string, string]> = await text.hrandfield(key, {
        count: 3,
        withValues: true,
      });
      expect(pairs.sort()).to.deep.equal([
        ['a', '1'],
        ['b', '2'],
        ['c', '3'],
      ]);
      const raw: Array<[Buffer, Buffer]> = await redis.hrandfield(key, {
        count: -1,
        withValues: true,
      });
      expect(raw).to.have.length(1);
      expect(raw[0]?.[1]).to.deep.equal(Buffer.from(fields[String(raw[0]?.[0]) as 'a']));
    });

    it("decodes with the call's encoding", async () => {
      const key = await hashOf(fields);
      const one: string | null = await redis.hrandfield(key, { encoding: 'utf8' });
      expect(one).to.be.oneOf(Object.keys(fields));
      const many: Buffer[] = await text.hrandfield(key, { count: 1, encoding: null });
      expect(many[0]).to.be.instanceOf(Buffer);
      const pairs: Array<[string, string]> = await redis.hrandfield(key, {
        count: 1,
        withValues: true,
        encoding: 'utf8',
      });
      expect(pairs[0]?.[1]).to.equal(fields[pairs[0]?.[0] as 'a']);
    });

    it('makes the same pairs of a RESP3 reply', async () => {
      const key = await hashOf({ only: 'x' });
      const resp3 = await createRedis((await sharedServer()).url, { encoding: 'utf8' });
      try {
        await resp3.execute('HELLO', 3);
        expect(await resp3.hrandfield(key, { count: -2, withValues: true })).to.deep.equal([
          ['only', 'x'],
          ['only', 'x'],
        ]);
        const [cursor, scanned] = await resp3.hscan(key, 0);
        expect([cursor, scanned]).to.deep.equal(['0', [['only', 'x']]]);
      } finally {
        resp3.close();
      }
    });

    it('rejects with TypeError on withValues without count or a non-integer count, sending nothing', async () => {
      const key = await hashOf(fields);
      await expectRefused('hrandfield', TypeError, () =>
        // @ts-expect-error withValues needs a count
        redis.hrandfield(key, { withValues: true }),
      );
      await expectRefused('hrandfield', TypeError, () => redis.hrandfield(key, { count: 1.5 }));
    });

    it('rejects with WRONGTYPE on a string key', async () => {
      await expectWrongType(redis.hrandfield(await stringKey()));
      await expectWrongType(redis.hrandfield(await stringKey(), { count: 2, withValues: true }));
    });
  });
});
