import { expect } from 'chai';
import { type Redis, ReplyError } from '../../lib';
import { useSharedClients } from '../helpers/connection';
import { expectRefused as refusedOn, expectWrongType } from '../helpers/commandstats';
import { rejectionOf, uniqueKey } from '../helpers/util';

describe('string commands', () => {
  let redis: Redis<Buffer>;
  let text: Redis<string>;
  useSharedClients((buffers, strings) => {
    redis = buffers;
    text = strings;
  });

  /** A new key holding `value`. */
  async function stringOf(value: string | Buffer): Promise<string> {
    const key = uniqueKey('string');
    await text.call('SET', key, value);
    return key;
  }

  /** A new list key, for WRONGTYPE. */
  async function listKey(): Promise<string> {
    const key = uniqueKey('list');
    await text.call('RPUSH', key, 'not a string');
    return key;
  }

  const expectRefused = (
    command: string,
    type: typeof TypeError | typeof RangeError,
    call: () => Promise<unknown>,
  ): Promise<void> => refusedOn(text, command, type, call);

  describe('#append()', () => {
    it('appends and resolves with the new length, creating a missing key', async () => {
      const key = await stringOf('Hello');
      expect(await redis.append(key, ' World')).to.equal(11);
      expect(await text.get(key)).to.equal('Hello World');
      const fresh = uniqueKey();
      expect(await redis.append(fresh, Buffer.from([0, 1]))).to.equal(2);
      expect(await redis.get(fresh)).to.deep.equal(Buffer.from([0, 1]));
    });

    it('rejects with WRONGTYPE on a list key', async () => {
      await expectWrongType(redis.append(await listKey(), 'x'));
    });

    it('rejects a bad value with TypeError and sends nothing', async () => {
      await expectRefused('append', TypeError, () =>
        redis.append(uniqueKey(), null as unknown as string),
      );
    });
  });

  describe('#bitcount()', () => {
    it('counts the set bits of the whole value, 0 for a missing key', async () => {
      const key = await stringOf('foobar');
      expect(await redis.bitcount(key)).to.equal(26);
      expect(await redis.bitcount(key, null as never)).to.equal(26);
      expect(await redis.bitcount(uniqueKey('missing'))).to.equal(0);
    });

    it('counts in a byte range, negative offsets from the end', async () => {
      const key = await stringOf('foobar');
      expect(await redis.bitcount(key, { start: 0, end: 0 })).to.equal(4);
      expect(await redis.bitcount(key, { start: 1, end: 1 })).to.equal(6);
      expect(await redis.bitcount(key, { start: -2, end: -1, unit: 'BYTE' })).to.equal(7);
    });

    it('counts in a bit range with unit BIT', async () => {
      const key = await stringOf('foobar');
      expect(await redis.bitcount(key, { start: 5, end: 30, unit: 'BIT' })).to.equal(17);
    });

    it('rejects with WRONGTYPE on a list key', async () => {
      await expectWrongType(redis.bitcount(await listKey()));
    });

    it('rejects a bad range with TypeError and sends nothing', async () => {
      const key = uniqueKey();
      await expectRefused('bitcount', TypeError, () => redis.bitcount(key, { start: 0.5, end: 1 }));
      await expectRefused('bitcount', TypeError, () =>
        redis.bitcount(key, { start: 0 } as unknown as { start: number; end: number }),
      );
      await expectRefused('bitcount', TypeError, () =>
        redis.bitcount(key, { start: 0, end: 1, unit: 'bit' as 'BIT' }),
      );
    });
  });

  describe('#bitfield()', () => {
    it('runs set, get and incrby in order, wrapping on overflow by default', async () => {
      const key = uniqueKey();
      expect(
        await redis.bitfield(key, [
          { set: ['i8', 0, 100] },
          { get: ['i8', 0] },
          { incrby: ['i8', 0, 100] },
          { get: ['u4', 0] },
        ]),
      ).to.deep.equal([0, 100, -56, 0b1100]);
      expect(await redis.get(key)).to.deep.equal(Buffer.from([200]));
    });

    it('addresses the n-th field of a type with #n offsets', async () => {
      const key = uniqueKey();
      expect(
        await redis.bitfield(key, [
          { set: ['u8', '#1', 255] },
          { set: ['u8', 16, 7] },
          { get: ['u8', '#2'] },
        ]),
      ).to.deep.equal([0, 0, 7]);
      expect(await redis.get(key)).to.deep.equal(Buffer.from([0, 255, 7]));
    });

    it('saturates with overflow SAT and fails to null with overflow FAIL', async () => {
      const key = uniqueKey();
      expect(
        await redis.bitfield(key, [
          { overflow: 'SAT' },
          { incrby: ['i8', 0, 200] },
          { overflow: 'FAIL' },
          { incrby: ['i8', 0, 1] },
          { incrby: ['i8', 0, -7] },
          { overflow: 'WRAP' },
          { incrby: ['u2', 8, 5] },
        ]),
      ).to.deep.equal([127, null, 120, 1]);
    });

    it('gives integers outside the safe range as bigint', async () => {
      const key = uniqueKey();
      expect(
        await redis.bitfield(key, [{ set: ['i64', 0, -1] }, { get: ['u63', 0] }]),
      ).to.deep.equal([0, 2n ** 63n - 1n]);
    });

    it('rejects with WRONGTYPE on a list key', async () => {
      await expectWrongType(redis.bitfield(await listKey(), [{ get: ['u8', 0] }]));
    });

    it('rejects bad operations with TypeError and sends nothing', async () => {
      const key = uniqueKey();
      const refuse = (operations: unknown) =>
        expectRefused('bitfield', TypeError, () => redis.bitfield(key, operations as []));
      await refuse([]);
      await refuse('GET u8 0');
      await refuse([{}]);
      await refuse([null]);
      await refuse([{ get: ['u8', 0], set: ['u8', 0, 1] }]);
      await refuse([{ get: ['u64', 0] }]);
      await refuse([{ get: ['i65', 0] }]);
      await refuse([{ get: ['i0', 0] }]);
      await refuse([{ get: ['x8', 0] }]);
      await refuse([{ get: ['u8', -1] }]);
      await refuse([{ get: ['u8', 1.5] }]);
      await refuse([{ get: ['u8', '#x'] }]);
      await refuse([{ get: ['u8', 0, 1] }]);
      await refuse([{ set: ['u8', 0] }]);
      await refuse([{ set: ['u8', 0, 1.5] }]);
      await refuse([{ incrby: ['u8', 0, '1'] }]);
      await refuse([{ overflow: 'sat' }]);
      expect(await redis.exists(key)).to.equal(0);
    });
  });

  describe('#bitfieldRo()', () => {
    it('resolves with the values of [type, offset] fields', async () => {
      const key = await stringOf(Buffer.from([1, 2, 0xff]));
      expect(
        await redis.bitfieldRo(key, [
          ['u8', 0],
          ['u8', '#1'],
          ['i8', 16],
          ['u4', 20],
        ]),
      ).to.deep.equal([1, 2, -1, 15]);
    });

    it('reads zeros from a missing key', async () => {
      expect(await redis.bitfieldRo(uniqueKey('missing'), [['u16', 0]])).to.deep.equal([0]);
    });

    it('rejects with WRONGTYPE on a list key', async () => {
      await expectWrongType(redis.bitfieldRo(await listKey(), [['u8', 0]]));
    });

    it('rejects bad fields, and writes, with TypeError and sends nothing', async () => {
      const key = uniqueKey();
      await expectRefused('bitfield_ro', TypeError, () => redis.bitfieldRo(key, []));
      await expectRefused('bitfield_ro', TypeError, () =>
        redis.bitfieldRo(key, [['u8', 0, 1] as unknown as ['u8', number]]),
      );
      await expectRefused('bitfield_ro', TypeError, () =>
        redis.bitfieldRo(key, [['q8', 0] as unknown as ['u8', number]]),
      );
      await expectRefused('bitfield_ro', TypeError, () =>
        redis.bitfieldRo(key, undefined as unknown as []),
      );
    });
  });

  describe('#bitopAnd(), #bitopOr(), #bitopXor(), #bitopNot()', () => {
    it('stores the bitwise combination and resolves with its length', async () => {
      const a = await stringOf(Buffer.from([0b1100, 0xff]));
      const b = await stringOf(Buffer.from([0b1010]));
      const dest = uniqueKey('dest');
      expect(await redis.bitopAnd(dest, a, b)).to.equal(2);
      expect(await redis.get(dest)).to.deep.equal(Buffer.from([0b1000, 0]));
      expect(await redis.bitopOr(dest, a, b)).to.equal(2);
      expect(await redis.get(dest)).to.deep.equal(Buffer.from([0b1110, 0xff]));
      expect(await redis.bitopXor(dest, a, b, b)).to.equal(2);
      expect(await redis.get(dest)).to.deep.equal(Buffer.from([0b1100, 0xff]));
      expect(await redis.bitopNot(dest, b)).to.equal(1);
      expect(await redis.get(dest)).to.deep.equal(Buffer.from([0b11110101]));
    });

    it('treats a missing key as zeros and stores nothing for missing sources only', async () => {
      const a = await stringOf(Buffer.from([0xff]));
      const dest = uniqueKey('dest');
      expect(await redis.bitopAnd(dest, a, uniqueKey('missing'))).to.equal(1);
      expect(await redis.get(dest)).to.deep.equal(Buffer.from([0]));
      expect(await redis.bitopOr(dest, uniqueKey('missing'))).to.equal(0);
      expect(await redis.exists(dest)).to.equal(0);
    });

    it('rejects with WRONGTYPE on a list source', async () => {
      await expectWrongType(redis.bitopOr(uniqueKey(), await listKey()));
      await expectWrongType(redis.bitopNot(uniqueKey(), await listKey()));
    });

    it('rejects a missing source with TypeError and sends nothing', async () => {
      await expectRefused('bitop', TypeError, () =>
        redis.bitopAnd(uniqueKey(), undefined as unknown as string),
      );
    });
  });

  describe('#bitpos()', () => {
    it('finds the first 0 or 1 bit', async () => {
      const key = await stringOf(Buffer.from([0xff, 0xf0, 0x00]));
      expect(await redis.bitpos(key, 0)).to.equal(12);
      expect(await redis.bitpos(key, 1)).to.equal(0);
    });

    it('searches from a start byte, up to an end byte', async () => {
      const key = await stringOf(Buffer.from([0x00, 0xff, 0xf0]));
      expect(await redis.bitpos(key, 1, 0)).to.equal(8);
      expect(await redis.bitpos(key, 1, 2)).to.equal(16);
      expect(await redis.bitpos(key, 1, 2, -1)).to.equal(16);
      expect(await redis.bitpos(key, 1, 0, 0)).to.equal(-1);
    });

    it('resolves -1 looking for a 1 in a missing key', async () => {
      expect(await redis.bitpos(uniqueKey('missing'), 1)).to.equal(-1);
      expect(await redis.bitpos(uniqueKey('missing'), 0)).to.equal(0);
    });

    it('rejects with WRONGTYPE on a list key', async () => {
      await expectWrongType(redis.bitpos(await listKey(), 1));
    });

    it('rejects a bad bit or range with TypeError and sends nothing', async () => {
      const key = uniqueKey();
      await expectRefused('bitpos', TypeError, () => redis.bitpos(key, 2 as 1));
      await expectRefused('bitpos', TypeError, () => redis.bitpos(key, 1, undefined, 3));
      await expectRefused('bitpos', TypeError, () => redis.bitpos(key, 1, 0.5));
      await expectRefused('bitpos', TypeError, () => redis.bitpos(key, 1, 0, NaN));
    });
  });

  describe('#decr() and #decrby()', () => {
    it('decrements, from 0 for a missing key, and resolves with the new value', async () => {
      const key = await stringOf('10');
      expect(await redis.decr(key)).to.equal(9);
      expect(await redis.decrby(key, 4)).to.equal(5);
      expect(await redis.decrby(key, -5)).to.equal(10);
      expect(await redis.decr(uniqueKey())).to.equal(-1);
      expect(await text.get(key)).to.equal('10');
    });

    it('rejects with ERR on a value that is not an integer and WRONGTYPE on a list', async () => {
      const err = await rejectionOf(redis.decr(await stringOf('1.5')));
      expect(err).to.be.instanceOf(ReplyError);
      expect((err as ReplyError).code).to.equal('ERR');
      await expectWrongType(redis.decr(await listKey()));
      await expectWrongType(redis.decrby(await listKey(), 1));
    });

    it('rejects a decrement that is not an integer with TypeError and sends nothing', async () => {
      const key = await stringOf('10');
      await expectRefused('decrby', TypeError, () => redis.decrby(key, 1.5));
      await expectRefused('decrby', TypeError, () => redis.decrby(key, '1' as unknown as number));
      expect(await text.get(key)).to.equal('10');
    });
  });

  describe('#get()', () => {
    it("resolves with the value as the client's encoding, null for a missing key", async () => {
      const key = await stringOf('héllo');
      expect(await redis.get(key)).to.deep.equal(Buffer.from('héllo'));
      expect(await text.get(key)).to.equal('héllo');
      expect(await text.get(uniqueKey('missing'))).to.equal(null);
    });

    it('decodes with a per-call encoding', async () => {
      const key = await stringOf('abc');
      expect(await redis.get(key, { encoding: 'utf8' })).to.equal('abc');
      expect(await redis.get(key, { encoding: 'hex' })).to.equal('616263');
      expect(await text.get(key, { encoding: null })).to.deep.equal(Buffer.from('abc'));
      expect(await text.get(key, {})).to.equal('abc');
    });

    it('rejects with WRONGTYPE on a list key', async () => {
      await expectWrongType(redis.get(await listKey()));
    });

    it('rejects a bad key with TypeError and sends nothing', async () => {
      await expectRefused('get', TypeError, () => redis.get({} as unknown as string));
    });
  });

  describe('#getbit() and #setbit()', () => {
    it('sets a bit, resolving with its old value, and reads it back', async () => {
      const key = uniqueKey();
      expect(await redis.setbit(key, 7, 1)).to.equal(0);
      expect(await redis.setbit(key, 7, 1)).to.equal(1);
      expect(await redis.getbit(key, 7)).to.equal(1);
      expect(await redis.getbit(key, 6)).to.equal(0);
      expect(await redis.getbit(key, 100)).to.equal(0);
      expect(await redis.get(key)).to.deep.equal(Buffer.from([1]));
      expect(await redis.setbit(key, 7, 0)).to.equal(1);
      expect(await redis.get(key)).to.deep.equal(Buffer.from([0]));
    });

    it('rejects with WRONGTYPE on a list key', async () => {
      await expectWrongType(redis.getbit(await listKey(), 0));
      await expectWrongType(redis.setbit(await listKey(), 0, 1));
    });

    it('rejects a bad offset or bit with TypeError and sends nothing', async () => {
      const key = uniqueKey();
      await expectRefused('getbit', TypeError, () => redis.getbit(key, -1));
      await expectRefused('getbit', TypeError, () => redis.getbit(key, 0.5));
      await expectRefused('setbit', TypeError, () => redis.setbit(key, -1, 1));
      await expectRefused('setbit', TypeError, () => redis.setbit(key, 1, 2 as 1));
      expect(await redis.exists(key)).to.equal(0);
    });
  });

  describe('#getdel()', () => {
    it('resolves with the value and deletes the key; null for a missing key', async () => {
      const key = await stringOf('value');
      expect(await text.getdel(key)).to.equal('value');
      expect(await redis.exists(key)).to.equal(0);
      expect(await text.getdel(key)).to.equal(null);
    });

    it('decodes with a per-call encoding', async () => {
      expect(await text.getdel(await stringOf('v'), { encoding: null })).to.deep.equal(
        Buffer.from('v'),
      );
      expect(await redis.getdel(await stringOf('v'), { encoding: 'utf8' })).to.equal('v');
    });

    it('rejects with WRONGTYPE on a list key, which stays', async () => {
      const key = await listKey();
      await expectWrongType(redis.getdel(key));
      expect(await redis.exists(key)).to.equal(1);
    });
  });

  describe('#getex()', () => {
    it('resolves with the value and leaves the TTL alone without options', async () => {
      const key = await stringOf('v');
      await text.call('EXPIRE', key, 100);
      expect(await text.getex(key)).to.equal('v');
      expect(await text.call('TTL', key)).to.equal(100);
      expect(await text.getex(uniqueKey('missing'), { expire: 10 })).to.equal(null);
    });

    it('sets the TTL with expire, pexpire, expireAt and pexpireAt', async () => {
      const key = await stringOf('v');
      expect(await text.getex(key, { expire: 100 })).to.equal('v');
      expect(await text.call('TTL', key)).to.equal(100);
      await text.getex(key, { pexpire: 50_000 });
      expect(await text.call<number>('PTTL', key)).to.be.within(49_000, 50_000);
      const inAnHour = Math.floor(Date.now() / 1000) + 3600;
      await text.getex(key, { expireAt: inAnHour });
      expect(await text.call('EXPIRETIME', key)).to.equal(inAnHour);
      await text.getex(key, { pexpireAt: inAnHour * 1000 + 123 });
      expect(await text.call('PEXPIRETIME', key)).to.equal(inAnHour * 1000 + 123);
    });

    it('removes the TTL with persist', async () => {
      const key = await stringOf('v');
      await text.call('EXPIRE', key, 100);
      expect(await text.getex(key, { persist: true })).to.equal('v');
      expect(await text.call('TTL', key)).to.equal(-1);
    });

    it('decodes with a per-call encoding alongside an expiry', async () => {
      const key = await stringOf('v');
      expect(await text.getex(key, { expire: 5, encoding: null })).to.deep.equal(Buffer.from('v'));
      expect(await redis.getex(key, { encoding: 'utf8' })).to.equal('v');
    });

    it('rejects with WRONGTYPE on a list key', async () => {
      await expectWrongType(redis.getex(await listKey(), { expire: 5 }));
    });

    it('rejects several expiries or bad ones with TypeError and sends nothing', async () => {
      const key = await stringOf('v');
      await expectRefused('getex', TypeError, () => redis.getex(key, { expire: 5, pexpire: 5 }));
      await expectRefused('getex', TypeError, () => redis.getex(key, { expire: 5, persist: true }));
      await expectRefused('getex', RangeError, () => redis.getex(key, { expire: 0 }));
      await expectRefused('getex', TypeError, () => redis.getex(key, { pexpireAt: 1.5 }));
      expect(await text.call('TTL', key)).to.equal(-1);
    });
  });

  describe('#getrange()', () => {
    it('resolves with the substring between inclusive offsets, negative from the end', async () => {
      const key = await stringOf('This is a string');
      expect(await text.getrange(key, 0, 3)).to.equal('This');
      expect(await text.getrange(key, -3, -1)).to.equal('ing');
      expect(await text.getrange(key, 0, -1)).to.equal('This is a string');
      expect(await text.getrange(key, 10, 100)).to.equal('string');
      expect(await redis.getrange(uniqueKey('missing'), 0, 10)).to.deep.equal(Buffer.alloc(0));
    });

    it('decodes with a per-call encoding', async () => {
      const key = await stringOf('abc');
      expect(await redis.getrange(key, 1, 2, { encoding: 'utf8' })).to.equal('bc');
      expect(await text.getrange(key, 1, 2, { encoding: null })).to.deep.equal(Buffer.from('bc'));
    });

    it('rejects with WRONGTYPE on a list key', async () => {
      await expectWrongType(redis.getrange(await listKey(), 0, 1));
    });

    it('rejects offsets that are not integers with TypeError and sends nothing', async () => {
      await expectRefused('getrange', TypeError, () => redis.getrange(uniqueKey(), 0.5, 1));
      await expectRefused('getrange', TypeError, () => redis.getrange(uniqueKey(), 0, Infinity));
    });
  });

  describe('#getset()', () => {
    it('sets the value and resolves with the old one, null when there was none', async () => {
      const key = uniqueKey();
      expect(await text.getset(key, 'one')).to.equal(null);
      expect(await text.getset(key, 'two')).to.equal('one');
      expect(await redis.getset(key, 'three', { encoding: 'utf8' })).to.equal('two');
      expect(await text.getset(key, 'four', { encoding: null })).to.deep.equal(
        Buffer.from('three'),
      );
      expect(await text.get(key)).to.equal('four');
    });

    it('rejects with WRONGTYPE on a list key', async () => {
      await expectWrongType(redis.getset(await listKey(), 'x'));
    });
  });

  describe('#incr(), #incrby() and #incrbyfloat()', () => {
    it('increments by 1 or an integer and resolves with the new value', async () => {
      const key = await stringOf('10');
      expect(await redis.incr(key)).to.equal(11);
      expect(await redis.incrby(key, 5)).to.equal(16);
      expect(await redis.incrby(key, -20)).to.equal(-4);
      expect(await redis.incr(uniqueKey())).to.equal(1);
    });

    it('gives results outside the safe integer range as bigint', async () => {
      const key = await stringOf(String(Number.MAX_SAFE_INTEGER));
      expect(await redis.incr(key)).to.equal(BigInt(Number.MAX_SAFE_INTEGER) + 1n);
    });

    it('increments by a float and resolves with a number on either client', async () => {
      const key = await stringOf('10.50');
      expect(await redis.incrbyfloat(key, 0.1)).to.equal(10.6);
      expect(await text.incrbyfloat(key, -5)).to.equal(5.6);
      const exp = await stringOf('5.0e3');
      expect(await text.incrbyfloat(exp, 200)).to.equal(5200);
      expect(await text.get(exp)).to.equal('5200');
    });

    it('rejects with ERR on a value that is not a number, WRONGTYPE on a list', async () => {
      const err = await rejectionOf(redis.incrbyfloat(await stringOf('abc'), 1));
      expect((err as ReplyError).code).to.equal('ERR');
      await expectWrongType(redis.incr(await listKey()));
      await expectWrongType(redis.incrby(await listKey(), 2));
      await expectWrongType(redis.incrbyfloat(await listKey(), 2));
    });

    it('rejects bad increments with TypeError and sends nothing', async () => {
      const key = await stringOf('1');
      await expectRefused('incrby', TypeError, () => redis.incrby(key, 0.5));
      await expectRefused('incrby', TypeError, () => redis.incrby(key, 2 ** 60));
      await expectRefused('incrbyfloat', TypeError, () => redis.incrbyfloat(key, Infinity));
      await expectRefused('incrbyfloat', TypeError, () => redis.incrbyfloat(key, NaN));
      expect(await text.get(key)).to.equal('1');
    });
  });

  describe('#lcs(), #lcsLen() and #lcsIdx()', () => {
    let key1: string;
    let key2: string;
    beforeEach(async () => {
      key1 = await stringOf('ohmytext');
      key2 = await stringOf('mynewtext');
    });

    it('resolves with the longest common subsequence', async () => {
      expect(await text.lcs(key1, key2)).to.equal('mytext');
      expect(await redis.lcs(key1, key2)).to.deep.equal(Buffer.from('mytext'));
      expect(await redis.lcs(key1, key2, { encoding: 'utf8' })).to.equal('mytext');
      expect(await text.lcs(key1, uniqueKey('missing'))).to.equal('');
    });

    it('resolves with its length', async () => {
      expect(await redis.lcsLen(key1, key2)).to.equal(6);
    });

    it('resolves with the matches and the length, from the end backwards', async () => {
      expect(await redis.lcsIdx(key1, key2)).to.deep.equal({
        matches: [
          { key1: [4, 7], key2: [5, 8] },
          { key1: [2, 3], key2: [0, 1] },
        ],
        len: 6,
      });
    });

    it('filters short matches with minMatchLen and gives lengths with withMatchLen', async () => {
      expect(await text.lcsIdx(key1, key2, { minMatchLen: 4, withMatchLen: true })).to.deep.equal({
        matches: [{ key1: [4, 7], key2: [5, 8], length: 4 }],
        len: 6,
      });
      expect(await text.lcsIdx(key1, key2, { withMatchLen: true })).to.deep.include({
        matches: [
          { key1: [4, 7], key2: [5, 8], length: 4 },
          { key1: [2, 3], key2: [0, 1], length: 2 },
        ],
      });
    });

    it('rejects with an ERR reply when a key is not a string', async () => {
      // LCS answers ERR, not WRONGTYPE ("The specified keys must contain string values").
      const list = await listKey();
      const errors = await Promise.all([
        rejectionOf(redis.lcs(key1, list)),
        rejectionOf(redis.lcsLen(key1, list)),
        rejectionOf(redis.lcsIdx(list, key2)),
      ]);
      for (const err of errors) {
        expect(err).to.be.instanceOf(ReplyError);
        expect((err as ReplyError).code).to.equal('ERR');
        expect(err.message).to.match(/string values/);
      }
    });

    it('rejects a bad minMatchLen with TypeError and sends nothing', async () => {
      await expectRefused('lcs', TypeError, () => redis.lcsIdx(key1, key2, { minMatchLen: -1 }));
      await expectRefused('lcs', TypeError, () => redis.lcsIdx(key1, key2, { minMatchLen: 1.5 }));
    });
  });

  describe('#mget()', () => {
    it('resolves with the values in order, null for missing or non-string keys', async () => {
      const a = await stringOf('A');
      const b = await stringOf('B');
      expect(await text.mget([a, uniqueKey('missing'), b, await listKey()])).to.deep.equal([
        'A',
        null,
        'B',
        null,
      ]);
      expect(await redis.mget([a])).to.deep.equal([Buffer.from('A')]);
    });

    it('decodes with a per-call encoding', async () => {
      const a = await stringOf('A');
      expect(await redis.mget([a, a], { encoding: 'utf8' })).to.deep.equal(['A', 'A']);
      expect(await text.mget([a], { encoding: null })).to.deep.equal([Buffer.from('A')]);
    });

    it('rejects no keys or a bad key with TypeError and sends nothing', async () => {
      await expectRefused('mget', TypeError, () => redis.mget([]));
      await expectRefused('mget', TypeError, () => redis.mget('key' as unknown as string[]));
      await expectRefused('mget', TypeError, () => redis.mget([uniqueKey(), null as never]));
    });
  });

  describe('#mset() and #msetnx()', () => {
    it('sets every key of an object or of [key, value] pairs and resolves true', async () => {
      const [a, b, c] = [uniqueKey(), uniqueKey(), uniqueKey()];
      expect(await redis.mset({ [a]: 'A', [b]: 2 })).to.equal(true);
      expect(await redis.mset([[c, Buffer.from('C')]])).to.equal(true);
      expect(await text.mget([a, b, c])).to.deep.equal(['A', '2', 'C']);
      expect(await redis.mset([[a, 'A2']])).to.equal(true);
      expect(await text.get(a)).to.equal('A2');
    });

    it('msetnx sets them all only when none exists, and resolves whether it did', async () => {
      const [a, b] = [uniqueKey(), uniqueKey()];
      expect(await redis.msetnx({ [a]: '1', [b]: '2' })).to.equal(true);
      const c = uniqueKey();
      expect(
        await redis.msetnx([
          [c, '3'],
          [a, 'x'],
        ]),
      ).to.equal(false);
      expect(await text.mget([a, b, c])).to.deep.equal(['1', '2', null]);
    });

    it('overwrites a key of another type with mset', async () => {
      const key = await listKey();
      expect(await redis.mset({ [key]: 'now a string' })).to.equal(true);
      expect(await text.get(key)).to.equal('now a string');
    });

    it('rejects empty or malformed pairs with TypeError and sends nothing', async () => {
      const key = uniqueKey();
      for (const bad of [{}, [], [[key]], [[key, 'v', 'x']], null, 'k v']) {
        await expectRefused('mset', TypeError, () => redis.mset(bad as never));
        await expectRefused('msetnx', TypeError, () => redis.msetnx(bad as never));
      }
      await expectRefused('mset', TypeError, () => redis.mset({ [key]: undefined as never }));
      expect(await redis.exists(key)).to.equal(0);
    });
  });

  describe('#psetex() and #setex()', () => {
    it('set the value with a TTL in milliseconds or seconds and resolve true', async () => {
      const key = uniqueKey();
      expect(await redis.psetex(key, 50_000, 'p')).to.equal(true);
      expect(await text.get(key)).to.equal('p');
      expect(await text.call<number>('PTTL', key)).to.be.within(49_000, 50_000);
      expect(await redis.setex(key, 100, 's')).to.equal(true);
      expect(await text.get(key)).to.equal('s');
      expect(await text.call('TTL', key)).to.equal(100);
    });

    it('overwrite a key of another type', async () => {
      const key = await listKey();
      expect(await redis.setex(key, 10, 'v')).to.equal(true);
      expect(await text.get(key)).to.equal('v');
    });

    it('reject a TTL that is not an integer > 0 with RangeError and send nothing', async () => {
      const key = uniqueKey();
      await expectRefused('psetex', RangeError, () => redis.psetex(key, 0, 'v'));
      await expectRefused('psetex', RangeError, () => redis.psetex(key, 1.5, 'v'));
      await expectRefused('setex', RangeError, () => redis.setex(key, -1, 'v'));
      await expectRefused('setex', RangeError, () => redis.setex(key, NaN, 'v'));
      expect(await redis.exists(key)).to.equal(0);
    });
  });

  describe('#set()', () => {
    it('sets the value and resolves true', async () => {
      const key = uniqueKey();
      expect(await redis.set(key, 'v')).to.equal(true);
      expect(await text.get(key)).to.equal('v');
      expect(await redis.set(key, 42, null as never)).to.equal(true);
      expect(await text.get(key)).to.equal('42');
      expect(await text.call('TTL', key)).to.equal(-1);
    });

    it('expires after expire seconds or pexpire milliseconds', async () => {
      const key = uniqueKey();
      await redis.set(key, 'v', { expire: 100 });
      expect(await text.call('TTL', key)).to.equal(100);
      await redis.set(key, 'v', { pexpire: 50_000 });
      expect(await text.call<number>('PTTL', key)).to.be.within(49_000, 50_000);
    });

    it('sets with NX only a missing key, resolving false otherwise', async () => {
      const key = uniqueKey();
      expect(await redis.set(key, 'first', { exist: 'NX' })).to.equal(true);
      expect(await redis.set(key, 'second', { exist: 'NX', expire: 10 })).to.equal(false);
      expect(await text.get(key)).to.equal('first');
      expect(await text.call('TTL', key)).to.equal(-1);
    });

    it('sets with XX only an existing key, resolving false otherwise', async () => {
      const key = uniqueKey();
      expect(await redis.set(key, 'v', { exist: 'XX' })).to.equal(false);
      expect(await redis.exists(key)).to.equal(0);
      await redis.set(key, 'v');
      expect(await redis.set(key, 'w', { exist: 'XX', pexpire: 20_000 })).to.equal(true);
      expect(await text.get(key)).to.equal('w');
      expect(await text.call<number>('PTTL', key)).to.be.within(19_000, 20_000);
    });

    it('keeps the TTL with keepTtl and drops it without', async () => {
      const key = uniqueKey();
      await redis.set(key, 'v', { expire: 100 });
      await redis.set(key, 'w', { keepTtl: true, exist: 'XX' });
      expect(await text.call('TTL', key)).to.equal(100);
      await redis.set(key, 'x', { keepTtl: false });
      expect(await text.call('TTL', key)).to.equal(-1);
    });

    it('overwrites a key of another type', async () => {
      const key = await listKey();
      expect(await redis.set(key, 'v')).to.equal(true);
      expect(await text.get(key)).to.equal('v');
    });

    it('rejects exclusive or bad options with TypeError or RangeError and sends nothing', async () => {
      const key = uniqueKey();
      await expectRefused('set', TypeError, () => redis.set(key, 'v', { expire: 1, pexpire: 1 }));
      await expectRefused('set', TypeError, () =>
        redis.set(key, 'v', { expire: 1, keepTtl: true }),
      );
      await expectRefused('set', TypeError, () =>
        redis.set(key, 'v', { pexpire: 1, keepTtl: true }),
      );
      await expectRefused('set', RangeError, () => redis.set(key, 'v', { expire: 0 }));
      await expectRefused('set', RangeError, () => redis.set(key, 'v', { expire: 1.5 }));
      await expectRefused('set', RangeError, () => redis.set(key, 'v', { pexpire: -5 }));
      await expectRefused('set', TypeError, () => redis.set(key, 'v', { exist: 'nx' as 'NX' }));
      await expectRefused('set', TypeError, () => redis.set(key, undefined as never));
      expect(await redis.exists(key)).to.equal(0);
    });
  });

  describe('#setnx()', () => {
    it('sets only a missing key and resolves whether it did', async () => {
      const key = uniqueKey();
      expect(await redis.setnx(key, 'first')).to.equal(true);
      expect(await redis.setnx(key, 'second')).to.equal(false);
      expect(await text.get(key)).to.equal('first');
    });
  });

  describe('#setrange()', () => {
    it('overwrites from an offset, zero-padding, and resolves with the new length', async () => {
      const key = await stringOf('Hello World');
      expect(await redis.setrange(key, 6, 'Redis')).to.equal(11);
      expect(await text.get(key)).to.equal('Hello Redis');
      const fresh = uniqueKey();
      expect(await redis.setrange(fresh, 2, 'x')).to.equal(3);
      expect(await redis.get(fresh)).to.deep.equal(Buffer.from([0, 0, 0x78]));
    });

    it('rejects with WRONGTYPE on a list key', async () => {
      await expectWrongType(redis.setrange(await listKey(), 0, 'x'));
    });

    it('rejects a bad offset with TypeError and sends nothing', async () => {
      const key = uniqueKey();
      await expectRefused('setrange', TypeError, () => redis.setrange(key, -1, 'x'));
      await expectRefused('setrange', TypeError, () => redis.setrange(key, 0.5, 'x'));
      expect(await redis.exists(key)).to.equal(0);
    });
  });

  describe('#strlen()', () => {
    it('resolves with the length in bytes, 0 for a missing key', async () => {
      expect(await redis.strlen(await stringOf('héllo'))).to.equal(6);
      expect(await redis.strlen(uniqueKey('missing'))).to.equal(0);
    });

    it('rejects with WRONGTYPE on a list key', async () => {
      await expectWrongType(redis.strlen(await listKey()));
    });
  });
});
