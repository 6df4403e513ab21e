import { expect } from 'chai';
import { createRedis, type Redis, ReplyError } from '../../lib';
import { sharedServer } from '../helpers/hooks';
import { commandCalls } from '../helpers/commandstats';
import { rejectionOf, uniqueKey } from '../helpers/util';

describe('sorted set commands', () => {
  let redis: Redis<Buffer>;
  let text: Redis<string>;
  /** A utf8 client switched to RESP3 with HELLO 3: scores come as doubles, pairs nested. */
  let resp3: Redis<string>;
  /** A client for blocking calls, so that they hold up nothing else. */
  let blocking: Redis<string>;

  before(async () => {
    const { url } = await sharedServer();
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

  /** A sorted set holding only `members` (member → score), written without the methods under test. */
  async function zset(
    members: Record<string, number | string>,
    key = uniqueKey('zset'),
  ): Promise<string> {
    await text.call('DEL', key);
    const args = Object.entries(members).flatMap(([member, score]) => [String(score), member]);
    if (args.length > 0) await text.call('ZADD', key, ...args);
    return key;
  }

  /** Everything in a sorted set, lowest first, as `[member, score text]` pairs. */
  async function contents(key: string): Promise<Array<[string, string]>> {
    const flat = await text.call<string[]>('ZRANGE', key, 0, -1, 'WITHSCORES');
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i] as string, flat[i + 1] as string]);
    return pairs;
  }

  const abc = { a: 1, b: 2, c: 3 };

  const callsOf = (command: string): Promise<number> => commandCalls(redis, command);

  describe('#zadd()', () => {
    it('adds one member and resolves with the number added (0 for an update)', async () => {
      const key = uniqueKey('zset');
      const added: number = await text.zadd(key, 1, 'a');
      expect(added).to.equal(1);
      expect(await text.zadd(key, 5, 'a')).to.equal(0);
      expect(await contents(key)).to.deep.equal([['a', '5']]);
    });

    it('adds [score, member] pairs', async () => {
      const key = uniqueKey('zset');
      expect(
        await text.zadd(key, [
          [2, 'b'],
          [1.5, 'a'],
          [-3, Buffer.from('c')],
        ]),
      ).to.equal(3);
      expect(await contents(key)).to.deep.equal([
        ['c', '-3'],
        ['a', '1.5'],
        ['b', '2'],
      ]);
    });

    it('sends Infinity and -Infinity as +inf and -inf', async () => {
      const key = uniqueKey('zset');
      await text.zadd(key, [
        [Infinity, 'top'],
        [-Infinity, 'bottom'],
      ]);
      expect(await contents(key)).to.deep.equal([
        ['bottom', '-inf'],
        ['top', 'inf'],
      ]);
    });

    it("with exist 'NX' only adds new members", async () => {
      const key = await zset({ a: 1 });
      const added = await text.zadd(
        key,
        [
          [9, 'a'],
          [2, 'b'],
        ],
        { exist: 'NX' },
      );
      expect(added).to.equal(1);
      expect(await contents(key)).to.deep.equal([
        ['a', '1'],
        ['b', '2'],
      ]);
    });

    it("with exist 'XX' only updates existing members", async () => {
      const key = await zset({ a: 1 });
      expect(await text.zadd(key, 7, 'a', { exist: 'XX' })).to.equal(0);
      expect(await text.zadd(key, 2, 'b', { exist: 'XX' })).to.equal(0);
      expect(await contents(key)).to.deep.equal([['a', '7']]);
    });

    it('with changed counts updated members as well as added ones', async () => {
      const key = await zset({ a: 1, b: 2 });
      const changed = await text.zadd(
        key,
        [
          [10, 'a'],
          [2, 'b'],
          [3, 'c'],
        ],
        { changed: true },
      );
      expect(changed).to.equal(2); // a changed, c added, b unchanged
    });

    it("with compare 'GT' / 'LT' only moves scores up / down, still adding new members", async () => {
      const key = await zset({ a: 5, b: 5 });
      await text.zadd(
        key,
        [
          [3, 'a'],
          [8, 'b'],
          [1, 'c'],
        ],
        { compare: 'GT' },
      );
      expect(await contents(key)).to.deep.equal([
        ['c', '1'],
        ['a', '5'],
        ['b', '8'],
      ]);
      expect(await text.zadd(key, 4, 'b', { compare: 'LT', exist: 'XX', changed: true })).to.equal(
        1,
      );
      expect(await text.call('ZSCORE', key, 'b')).to.equal('4');
    });

    it('with incr resolves with the new score as a number', async () => {
      const key = await zset({ a: 1 });
      const score: number | null = await text.zadd(key, 2.5, 'a', { incr: true });
      expect(score).to.equal(3.5);
      expect(await text.zadd(key, Infinity, 'a', { incr: true })).to.equal(Infinity);
      expect(await resp3.zadd(key, 1, 'new', { incr: true })).to.equal(1);
    });

    it('with incr resolves with null when exist or compare prevented the update', async () => {
      const key = await zset({ a: 1 });
      expect(await text.zadd(key, 1, 'b', { incr: true, exist: 'XX' })).to.equal(null);
      expect(await text.zadd(key, 1, 'a', { incr: true, exist: 'NX' })).to.equal(null);
      expect(await resp3.zadd(key, 1, 'b', { incr: true, exist: 'XX' })).to.equal(null);
      expect(await contents(key)).to.deep.equal([['a', '1']]);
    });
  });

  describe('#zcard()', () => {
    it('resolves with the number of members, 0 for a missing key', async () => {
      expect(await text.zcard(await zset(abc))).to.equal(3);
      expect(await text.zcard(uniqueKey('missing'))).to.equal(0);
    });
  });

  describe('#zcount()', () => {
    it('counts every member by default and the members within min and max inclusively', async () => {
      const key = await zset({ a: 1, b: 2, c: 3, d: 4 });
      expect(await text.zcount(key)).to.equal(4);
      expect(await text.zcount(key, 2, 3)).to.equal(2);
      expect(await text.zcount(key, -Infinity, 2)).to.equal(2);
      expect(await text.zcount(key, 3, Infinity)).to.equal(2);
    });

    it('leaves out the ends named by exclude', async () => {
      const key = await zset({ a: 1, b: 2, c: 3, d: 4 });
      expect(await text.zcount(key, 1, 4, { exclude: 'ZSET_EXCLUDE_MIN' })).to.equal(3);
      expect(await text.zcount(key, 1, 4, { exclude: 'ZSET_EXCLUDE_MAX' })).to.equal(3);
      expect(await text.zcount(key, 1, 4, { exclude: 'ZSET_EXCLUDE_BOTH' })).to.equal(2);
      expect(await text.zcount(key, 1.5, 4, { exclude: 'ZSET_EXCLUDE_BOTH' })).to.equal(2);
    });
  });

  describe('#zdiff()', () => {
    it('resolves with the members of the first key that are in no other', async () => {
      const first = await zset({ a: 1, b: 2, c: 3 });
      const second = await zset({ b: 9 });
      expect(await text.zdiff([first, second])).to.deep.equal(['a', 'c']);
      expect(await redis.zdiff([first, second])).to.deep.equal([
        Buffer.from('a'),
        Buffer.from('c'),
      ]);
    });

    it('with withScores resolves with [member, score] pairs', async () => {
      const first = await zset({ a: 1, b: 2, c: 3.5 });
      const second = await zset({ b: 9 });
      const pairs: Array<[string, number]> = await text.zdiff([first, second], {
        withScores: true,
      });
      expect(pairs).to.deep.equal([
        ['a', 1],
        ['c', 3.5],
      ]);
    });
  });

  describe('#zdiffstore()', () => {
    it('stores the difference and resolves with its size', async () => {
      const first = await zset({ a: 1, b: 2, c: 3 });
      const second = await zset({ a: 0 });
      const dest = uniqueKey('dest');
      expect(await text.zdiffstore(dest, [first, second])).to.equal(2);
      expect(await contents(dest)).to.deep.equal([
        ['b', '2'],
        ['c', '3'],
      ]);
    });
  });

  describe('#zincrby()', () => {
    it('resolves with the new score as a number', async () => {
      const key = await zset({ a: 1 });
      const score: number = await text.zincrby(key, 0.25, 'a');
      expect(score).to.equal(1.25);
      expect(await redis.zincrby(key, -3, 'b')).to.equal(-3);
      expect(await resp3.zincrby(key, 1, 'a')).to.equal(2.25);
      expect(await text.zincrby(key, -Infinity, 'a')).to.equal(-Infinity);
    });
  });

  describe('#zinter()', () => {
    it('resolves with the members in every key', async () => {
      const first = await zset({ a: 1, b: 2, c: 3 });
      const second = await zset({ b: 10, c: 20, d: 30 });
      expect(await text.zinter([first, second])).to.deep.equal(['b', 'c']);
    });

    it('combines scores with weights and aggregate, and gives them with withScores', async () => {
      const first = await zset({ a: 1, b: 2, c: 3 });
      const second = await zset({ b: 10, c: 20, d: 30 });
      expect(await text.zinter([first, second], { withScores: true })).to.deep.equal([
        ['b', 12],
        ['c', 23],
      ]);
      expect(
        await text.zinter([first, second], { withScores: true, weights: [10, 0.5] }),
      ).to.deep.equal([
        ['b', 25],
        ['c', 40],
      ]);
      expect(
        await text.zinter([first, second], { withScores: true, aggregate: 'MAX', weights: [2, 1] }),
      ).to.deep.equal([
        ['b', 10],
        ['c', 20],
      ]);
      expect(
        await text.zinter([first, second], { withScores: true, aggregate: 'MIN' }),
      ).to.deep.equal([
        ['b', 2],
        ['c', 3],
      ]);
    });
  });

  describe('#zintercard()', () => {
    it('resolves with the size of the intersection, counting up to limit', async () => {
      const first = await zset({ a: 1, b: 2, c: 3 });
      const second = await zset({ a: 1, b: 2, c: 3, d: 4 });
      expect(await text.zintercard([first, second])).to.equal(3);
      expect(await text.zintercard([first, second], { limit: 2 })).to.equal(2);
      expect(await text.zintercard([first, second], { limit: 0 })).to.equal(3);
    });
  });

  describe('#zinterstore()', () => {
    it('stores the intersection with the summed scores and resolves with its size', async () => {
      const first = await zset({ a: 1, b: 2 });
      const second = await zset({ a: 5, c: 1 });
      const dest = uniqueKey('dest');
      expect(await text.zinterstore(dest, [first, second])).to.equal(1);
      expect(await contents(dest)).to.deep.equal([['a', '6']]);
    });

    it('applies weights and aggregate', async () => {
      const first = await zset({ a: 1, b: 2 });
      const second = await zset({ a: 5, b: 1 });
      const dest = uniqueKey('dest');
      await text.zinterstore(dest, [first, second], { weights: [3, 1] });
      expect(await contents(dest)).to.deep.equal([
        ['b', '7'],
        ['a', '8'],
      ]);
      await text.zinterstore(dest, [first, second], { aggregate: 'MIN' });
      expect(await contents(dest)).to.deep.equal([
        ['a', '1'],
        ['b', '1'],
      ]);
      await text.zinterstore(dest, [first, second], { weights: [1, -1], aggregate: 'MAX' });
      expect(await contents(dest)).to.deep.equal([
        ['a', '1'],
        ['b', '2'],
      ]);
    });
  });

  describe('#zlexcount()', () => {
    it("counts every member by default ('-' to '+') and inclusive bounds otherwise", async () => {
      const key = await zset({ a: 0, b: 0, c: 0, d: 0 });
      expect(await text.zlexcount(key)).to.equal(4);
      expect(await text.zlexcount(key, 'b', 'c')).to.equal(2);
      expect(await text.zlexcount(key, Buffer.from('b'), '+')).to.equal(3);
      expect(await text.zlexcount(key, '-', 'b')).to.equal(2);
    });

    it('leaves out a bound when includeMin or includeMax is false', async () => {
      const key = await zset({ a: 0, b: 0, c: 0, d: 0 });
      expect(await text.zlexcount(key, 'a', 'd', { includeMin: false })).to.equal(3);
      expect(await text.zlexcount(key, 'a', 'd', { includeMax: false })).to.equal(3);
      expect(
        await text.zlexcount(key, Buffer.from('a'), 'd', { includeMin: false, includeMax: false }),
      ).to.equal(2);
    });
  });

  describe('#zmpop()', () => {
    it('pops from the first non-empty key and resolves with [key, pairs]', async () => {
      const empty = uniqueKey('empty');
      const key = await zset({ a: 1, b: 2, c: 3 });
      const popped: [string, Array<[string, number]>] | null = await text.zmpop(
        [empty, key],
        'MIN',
      );
      expect(popped).to.deep.equal([key, [['a', 1]]]);
      expect(await text.zmpop([key], 'MAX', { count: 5 })).to.deep.equal([
        key,
        [
          ['c', 3],
          ['b', 2],
        ],
      ]);
    });

    it('resolves with null when every key is empty', async () => {
      expect(await text.zmpop([uniqueKey('empty')], 'MIN')).to.equal(null);
    });
  });

  describe('#zmscore()', () => {
    it('resolves with a number per member and null for members not in the set', async () => {
      const key = await zset({ a: 1.5, b: '-inf' });
      const scores: Array<number | null> = await text.zmscore(key, ['a', 'x', 'b']);
      expect(scores).to.deep.equal([1.5, null, -Infinity]);
      expect(await resp3.zmscore(key, ['a', 'x', 'b'])).to.deep.equal([1.5, null, -Infinity]);
    });
  });

  describe('#zpopmin() and #zpopmax()', () => {
    it('pop one member by default, as a list of one pair', async () => {
      const key = await zset(abc);
      expect(await text.zpopmin(key)).to.deep.equal([['a', 1]]);
      expect(await text.zpopmax(key)).to.deep.equal([['c', 3]]);
      expect(await contents(key)).to.deep.equal([['b', '2']]);
    });

    it('pop up to count members, and [] from an empty set', async () => {
      const key = await zset({ a: 1, b: 2, c: 3, d: 4, e: 5 });
      expect(await text.zpopmin(key, 2)).to.deep.equal([
        ['a', 1],
        ['b', 2],
      ]);
      expect(await text.zpopmax(key, 2)).to.deep.equal([
        ['e', 5],
        ['d', 4],
      ]);
      expect(await text.zpopmax(key, 0)).to.deep.equal([]);
      expect(await text.zpopmin(key, 9)).to.deep.equal([['c', 3]]);
      expect(await text.zpopmin(key)).to.deep.equal([]);
      expect(await text.zpopmax(key, 3)).to.deep.equal([]);
    });
  });

  describe('#zrandmember()', () => {
    it('resolves with one member, or null for a missing key', async () => {
      const key = await zset(abc);
      const member: string | null = await text.zrandmember(key);
      expect(member).to.be.oneOf(['a', 'b', 'c']);
      expect(await text.zrandmember(uniqueKey('missing'))).to.equal(null);
    });

    it('with count resolves with distinct members, or with repeats for a negative count', async () => {
      const key = await zset(abc);
      const members: string[] = await text.zrandmember(key, { count: 5 });
      expect([...members].sort()).to.deep.equal(['a', 'b', 'c']);
      const repeated = await text.zrandmember(key, { count: -7 });
      expect(repeated).to.have.length(7);
      for (const member of repeated) expect(member).to.be.oneOf(['a', 'b', 'c']);
    });

    it('with count and withScores resolves with [member, score] pairs', async () => {
      const key = await zset(abc);
      const pairs: Array<[string, number]> = await text.zrandmember(key, {
        count: 3,
        withScores: true,
      });
      expect([...pairs].sort()).to.deep.equal([
        ['a', 1],
        ['b', 2],
        ['c', 3],
      ]);
      const nested = await resp3.zrandmember(key, { count: 3, withScores: true });
      expect([...nested].sort()).to.deep.equal([
        ['a', 1],
        ['b', 2],
        ['c', 3],
      ]);
    });
  });

  describe('#zrange()', () => {
    it('resolves with every member by default and the ranks start to stop otherwise', async () => {
      const key = await zset({ c: 3, a: 1, b: 2 });
      expect(await text.zrange(key)).to.deep.equal(['a', 'b', 'c']);
      expect(await text.zrange(key, 1)).to.deep.equal(['b', 'c']);
      expect(await text.zrange(key, 0, 1)).to.deep.equal(['a', 'b']);
      expect(await text.zrange(key, -1, -1)).to.deep.equal(['c']);
      expect(await redis.zrange(key, 0, 0)).to.deep.equal([Buffer.from('a')]);
      expect(await text.zrange(uniqueKey('missing'))).to.deep.equal([]);
    });

    it('with withScores resolves with [member, score] pairs (infinities included)', async () => {
      const key = await zset({ a: '-inf', b: 2.5, c: '+inf' });
      const pairs: Array<[string, number]> = await text.zrange(key, 0, -1, { withScores: true });
      expect(pairs).to.deep.equal([
        ['a', -Infinity],
        ['b', 2.5],
        ['c', Infinity],
      ]);
      expect(await redis.zrange(key, 1, 1, { withScores: true })).to.deep.equal([
        [Buffer.from('b'), 2.5],
      ]);
    });

    it('decodes members with the encoding of the call, scores unharmed', async () => {
      const key = await zset({ a: 1, b: 22 });
      const decoded: string[] = await redis.zrange(key, 0, -1, { encoding: 'utf8' });
      expect(decoded).to.deep.equal(['a', 'b']);
      const raw: Buffer[] = await text.zrange(key, 0, -1, { encoding: null });
      expect(raw).to.deep.equal([Buffer.from('a'), Buffer.from('b')]);
      expect(await text.zrange(key, 0, -1, { withScores: true, encoding: 'hex' })).to.deep.equal([
        ['61', 1],
        ['62', 22],
      ]);
      expect(await text.zrange(key, 0, 0, { withScores: true, encoding: null })).to.deep.equal([
        [Buffer.from('a'), 1],
      ]);
    });
  });

  describe('#zrangestore()', () => {
    it('stores the ranks min to max and resolves with the size', async () => {
      const src = await zset({ a: 1, b: 2, c: 3, d: 4 });
      const dest = uniqueKey('dest');
      expect(await text.zrangestore(dest, src, 1, 2)).to.equal(2);
      expect(await contents(dest)).to.deep.equal([
        ['b', '2'],
        ['c', '3'],
      ]);
      expect(await text.zrangestore(dest, src, 0, 0, { rev: true })).to.equal(1);
      expect(await contents(dest)).to.deep.equal([['d', '4']]);
    });

    it('with byScore stores the scores min to max, with exclude, rev and a limit', async () => {
      const src = await zset({ a: 1, b: 2, c: 3, d: 4 });
      const dest = uniqueKey('dest');
      expect(await text.zrangestore(dest, src, 2, Infinity, { byScore: true })).to.equal(3);
      expect(
        await text.zrangestore(dest, src, 1, 4, { byScore: true, exclude: 'ZSET_EXCLUDE_BOTH' }),
      ).to.equal(2);
      expect(await contents(dest)).to.deep.equal([
        ['b', '2'],
        ['c', '3'],
      ]);
      // rev takes from the top: the low and high ends keep their places in the call.
      expect(
        await text.zrangestore(dest, src, 1, 3, { byScore: true, rev: true, count: 2 }),
      ).to.equal(2);
      expect(await contents(dest)).to.deep.equal([
        ['b', '2'],
        ['c', '3'],
      ]);
      await text.zrangestore(dest, src, -Infinity, Infinity, {
        byScore: true,
        offset: 1,
        count: 2,
      });
      expect(await contents(dest)).to.deep.equal([
        ['b', '2'],
        ['c', '3'],
      ]);
    });

    it('with byLex stores the members min to max, with includeMin / includeMax and rev', async () => {
      const src = await zset({ a: 0, b: 0, c: 0, d: 0 });
      const dest = uniqueKey('dest');
      expect(await text.zrangestore(dest, src, 'b', '+', { byLex: true })).to.equal(3);
      expect(
        await text.zrangestore(dest, src, 'a', 'd', { byLex: true, includeMin: false }),
      ).to.equal(3);
      expect(
        await text.zrangestore(dest, src, '-', '+', { byLex: true, rev: true, count: 1 }),
      ).to.equal(1);
      expect(await contents(dest)).to.deep.equal([['d', '0']]);
    });
  });

  describe('#zrangebylex()', () => {
    it("resolves with every member by default ('-' to '+') and inclusive bounds otherwise", async () => {
      const key = await zset({ a: 0, b: 0, c: 0, d: 0 });
      expect(await text.zrangebylex(key)).to.deep.equal(['a', 'b', 'c', 'd']);
      expect(await text.zrangebylex(key, 'b', 'c')).to.deep.equal(['b', 'c']);
      expect(await text.zrangebylex(key, 'a', 'c', { includeMin: false })).to.deep.equal([
        'b',
        'c',
      ]);
      expect(
        await text.zrangebylex(key, 'a', 'c', { includeMin: false, includeMax: false }),
      ).to.deep.equal(['b']);
    });

    it('applies offset and count (an offset of 0 without one)', async () => {
      const key = await zset({ a: 0, b: 0, c: 0, d: 0 });
      expect(await text.zrangebylex(key, '-', '+', { offset: 1, count: 2 })).to.deep.equal([
        'b',
        'c',
      ]);
      expect(await text.zrangebylex(key, '-', '+', { count: 1 })).to.deep.equal(['a']);
      expect(await text.zrangebylex(key, '-', '+', { offset: 2, count: -1 })).to.deep.equal([
        'c',
        'd',
      ]);
    });

    it('decodes members with the encoding of the call', async () => {
      const key = await zset({ a: 0, b: 0 });
      expect(await redis.zrangebylex(key)).to.deep.equal([Buffer.from('a'), Buffer.from('b')]);
      const hex: string[] = await redis.zrangebylex(key, '-', '+', { encoding: 'hex' });
      expect(hex).to.deep.equal(['61', '62']);
    });
  });

  describe('#zrangebyscore()', () => {
    it('resolves with every member by default and those within min and max otherwise', async () => {
      const key = await zset({ a: 1, b: 2, c: 3, d: 4 });
      expect(await text.zrangebyscore(key)).to.deep.equal(['a', 'b', 'c', 'd']);
      expect(await text.zrangebyscore(key, 2, 3)).to.deep.equal(['b', 'c']);
      expect(await text.zrangebyscore(key, 2.5)).to.deep.equal(['c', 'd']);
      expect(await text.zrangebyscore(key, -Infinity, 1)).to.deep.equal(['a']);
    });

    it('leaves out the ends named by exclude', async () => {
      const key = await zset({ a: 1, b: 2, c: 3, d: 4 });
      expect(await text.zrangebyscore(key, 1, 4, { exclude: 'ZSET_EXCLUDE_MIN' })).to.deep.equal([
        'b',
        'c',
        'd',
      ]);
      expect(await text.zrangebyscore(key, 1, 4, { exclude: 'ZSET_EXCLUDE_MAX' })).to.deep.equal([
        'a',
        'b',
        'c',
      ]);
      expect(await text.zrangebyscore(key, 1, 4, { exclude: 'ZSET_EXCLUDE_BOTH' })).to.deep.equal([
        'b',
        'c',
      ]);
    });

    it('with withScores, offset and count resolves with the pairs of that page', async () => {
      const key = await zset({ a: 1, b: 2, c: 3, d: 4 });
      const pairs: Array<[string, number]> = await text.zrangebyscore(key, 1, 4, {
        withScores: true,
        offset: 1,
        count: 2,
        exclude: 'ZSET_EXCLUDE_MAX',
      });
      expect(pairs).to.deep.equal([
        ['b', 2],
        ['c', 3],
      ]);
      expect(await text.zrangebyscore(key, 1, 4, { count: 1 })).to.deep.equal(['a']);
    });

    it('decodes members with the encoding of the call, scores unharmed', async () => {
      const key = await zset({ a: 10, b: 20 });
      expect(
        await text.zrangebyscore(key, 0, 100, { withScores: true, encoding: 'base64' }),
      ).to.deep.equal([
        ['YQ==', 10],
        ['Yg==', 20],
      ]);
      expect(await redis.zrangebyscore(key, 0, 100, { encoding: 'utf8' })).to.deep.equal([
        'a',
        'b',
      ]);
    });
  });

  describe('#zrank() and #zrevrank()', () => {
    it('resolve with the rank from the lowest / highest score, or null', async () => {
      const key = await zset(abc);
      const rank: number | null = await text.zrank(key, 'b');
      expect(rank).to.equal(1);
      expect(await text.zrank(key, 'a')).to.equal(0);
      expect(await text.zrevrank(key, 'a')).to.equal(2);
      expect(await text.zrank(key, 'x')).to.equal(null);
      expect(await text.zrevrank(key, 'x')).to.equal(null);
    });
  });

  describe('#zrem()', () => {
    it('removes members and resolves with the number removed', async () => {
      const key = await zset(abc);
      expect(await text.zrem(key, 'a')).to.equal(1);
      expect(await text.zrem(key, 'b', 'x', 'c')).to.equal(2);
      expect(await text.zcard(key)).to.equal(0);
    });
  });

  describe('#zremrangebylex()', () => {
    it('removes the members between min and max and resolves with the number removed', async () => {
      const key = await zset({ a: 0, b: 0, c: 0, d: 0 });
      expect(await text.zremrangebylex(key, 'a', 'c', { includeMin: false })).to.equal(2);
      expect(await text.zrange(key)).to.deep.equal(['a', 'd']);
      expect(await text.zremrangebylex(key)).to.equal(2);
      expect(await text.zcard(key)).to.equal(0);
    });
  });

  describe('#zremrangebyrank()', () => {
    it('removes the ranks start to stop and resolves with the number removed', async () => {
      const key = await zset({ a: 1, b: 2, c: 3, d: 4 });
      expect(await text.zremrangebyrank(key, 0, 1)).to.equal(2);
      expect(await text.zremrangebyrank(key, -1, -1)).to.equal(1);
      expect(await text.zrange(key)).to.deep.equal(['c']);
    });
  });

  describe('#zremrangebyscore()', () => {
    it('removes the members within min and max and resolves with the number removed', async () => {
      const key = await zset({ a: 1, b: 2, c: 3, d: 4 });
      expect(await text.zremrangebyscore(key, 1, 3, { exclude: 'ZSET_EXCLUDE_MIN' })).to.equal(2);
      expect(await text.zrange(key)).to.deep.equal(['a', 'd']);
      expect(await text.zremrangebyscore(key)).to.equal(2);
      expect(await text.zcard(key)).to.equal(0);
    });
  });

  describe('#zrevrange()', () => {
    it('resolves with the members highest first, with scores on request', async () => {
      const key = await zset(abc);
      expect(await text.zrevrange(key)).to.deep.equal(['c', 'b', 'a']);
      expect(await text.zrevrange(key, 0, 1, { withScores: true })).to.deep.equal([
        ['c', 3],
        ['b', 2],
      ]);
      expect(await redis.zrevrange(key, 2, 2, { encoding: 'utf8' })).to.deep.equal(['a']);
    });
  });

  describe('#zrevrangebylex()', () => {
    it('takes min then max (as 1.x) and resolves with the members highest first', async () => {
      const key = await zset({ a: 0, b: 0, c: 0, d: 0 });
      expect(await text.zrevrangebylex(key)).to.deep.equal(['d', 'c', 'b', 'a']);
      expect(await text.zrevrangebylex(key, 'b', 'd', { includeMax: false })).to.deep.equal([
        'c',
        'b',
      ]);
      expect(await text.zrevrangebylex(key, '-', '+', { offset: 1, count: 2 })).to.deep.equal([
        'c',
        'b',
      ]);
      expect(await redis.zrevrangebylex(key, 'c', '+', { encoding: 'utf8' })).to.deep.equal([
        'd',
        'c',
      ]);
    });
  });

  describe('#zrevrangebyscore()', () => {
    it('takes max then min (as 1.x and Redis) and resolves with the members highest first', async () => {
      const key = await zset({ a: 1, b: 2, c: 3, d: 4 });
      expect(await text.zrevrangebyscore(key)).to.deep.equal(['d', 'c', 'b', 'a']);
      expect(await text.zrevrangebyscore(key, 3, 2)).to.deep.equal(['c', 'b']);
      expect(await text.zrevrangebyscore(key, 4, 1, { exclude: 'ZSET_EXCLUDE_MAX' })).to.deep.equal(
        ['c', 'b', 'a'],
      );
      expect(await text.zrevrangebyscore(key, 4, 1, { exclude: 'ZSET_EXCLUDE_MIN' })).to.deep.equal(
        ['d', 'c', 'b'],
      );
    });

    it('with withScores, offset and count resolves with the pairs of that page', async () => {
      const key = await zset({ a: 1, b: 2, c: 3, d: 4 });
      expect(
        await text.zrevrangebyscore(key, Infinity, -Infinity, {
          withScores: true,
          offset: 1,
          count: 2,
        }),
      ).to.deep.equal([
        ['c', 3],
        ['b', 2],
      ]);
      expect(
        await redis.zrevrangebyscore(key, 1, 1, { withScores: true, encoding: 'hex' }),
      ).to.deep.equal([['61', 1]]);
    });
  });

  describe('#zscore()', () => {
    it('resolves with the score as a number, or null', async () => {
      const key = await zset({ a: 1.25, b: '+inf', c: -7 });
      const score: number | null = await text.zscore(key, 'a');
      expect(score).to.equal(1.25);
      expect(await redis.zscore(key, 'b')).to.equal(Infinity);
      expect(await text.zscore(key, 'c')).to.equal(-7);
      expect(await text.zscore(key, 'x')).to.equal(null);
      expect(await resp3.zscore(key, 'a')).to.equal(1.25);
      expect(await resp3.zscore(key, 'x')).to.equal(null);
    });
  });

  describe('#zunion()', () => {
    it('resolves with the members in any key, scores combined by weights and aggregate', async () => {
      const first = await zset({ a: 1, b: 2 });
      const second = await zset({ b: 10, c: 20 });
      expect(await text.zunion([first, second])).to.deep.equal(['a', 'b', 'c']);
      expect(await text.zunion([first, second], { withScores: true })).to.deep.equal([
        ['a', 1],
        ['b', 12],
        ['c', 20],
      ]);
      expect(
        await text.zunion([first, second], {
          withScores: true,
          weights: [100, 1],
          aggregate: 'MAX',
        }),
      ).to.deep.equal([
        ['c', 20],
        ['a', 100],
        ['b', 200],
      ]);
      expect(await redis.zunion([first], { encoding: 'utf8' })).to.deep.equal(['a', 'b']);
    });
  });

  describe('#zunionstore()', () => {
    it('stores the union with weights and aggregate and resolves with its size', async () => {
      const first = await zset({ a: 1, b: 2 });
      const second = await zset({ b: 10, c: 20 });
      const dest = uniqueKey('dest');
      expect(await text.zunionstore(dest, [first, second])).to.equal(3);
      expect(await contents(dest)).to.deep.equal([
        ['a', '1'],
        ['b', '12'],
        ['c', '20'],
      ]);
      await text.zunionstore(dest, [first, second], { weights: [2, 0], aggregate: 'MIN' });
      expect(await contents(dest)).to.deep.equal([
        ['b', '0'],
        ['c', '0'],
        ['a', '2'],
      ]);
    });
  });

  describe('#zscan()', () => {
    it("resolves with the next cursor as a string ('0' at the end) and [member, score] pairs", async () => {
      const key = await zset({ a: 1, b: 2.5 });
      const [cursor, pairs]: [string, Array<[string, number]>] = await text.zscan(key);
      expect(cursor).to.equal('0');
      expect(pairs).to.deep.equal([
        ['a', 1],
        ['b', 2.5],
      ]);
      expect(await resp3.zscan(key, '0')).to.deep.equal(['0', pairs]);
    });

    it('walks a large set with match and count, cursor by cursor', async () => {
      const members: Record<string, number> = {};
      for (let i = 0; i < 300; i++) members[`m${i}`] = i;
      const key = await zset(members);
      const seen = new Map<string, number>();
      let cursor = '0';
      let steps = 0;
      do {
        const [next, pairs] = await text.zscan(key, cursor, { match: 'm1*', count: 20 });
        for (const [member, score] of pairs) seen.set(member, score);
        cursor = next;
        steps += 1;
      } while (cursor !== '0');
      expect(steps).to.be.greaterThan(1);
      const expected = Object.keys(members).filter((m) => m.startsWith('m1'));
      expect([...seen.keys()].sort()).to.deep.equal(expected.sort());
      for (const [member, score] of seen) expect(score).to.equal(members[member]);
    });

    it('decodes members with the encoding of the call, cursor and scores unharmed', async () => {
      const key = await zset({ a: 3 });
      expect(await text.zscan(key, 0, { encoding: 'hex' })).to.deep.equal(['0', [['61', 3]]]);
      expect(await text.zscan(key, 0, { encoding: null })).to.deep.equal([
        '0',
        [[Buffer.from('a'), 3]],
      ]);
    });
  });

  describe('#izscan()', () => {
    it('yields every [member, score] pair of the set once', async () => {
      const members: Record<string, number> = {};
      for (let i = 0; i < 200; i++) members[`m${i}`] = i / 2;
      const key = await zset(members);
      const seen: Record<string, number> = {};
      for await (const [member, score] of text.izscan(key, { count: 15 })) seen[member] = score;
      expect(seen).to.deep.equal(members);
    });

    it('filters with match and decodes with the encoding of the call', async () => {
      const key = await zset({ apple: 1, avocado: 2, banana: 3 });
      const pairs: Array<[string, number]> = [];
      for await (const pair of redis.izscan(key, { match: 'a*', encoding: 'utf8' }))
        pairs.push(pair);
      expect(pairs.sort()).to.deep.equal([
        ['apple', 1],
        ['avocado', 2],
      ]);
    });

    it('sends one ZSCAN per exhausted batch, only when asked for more', async () => {
      const members: Record<string, number> = {};
      for (let i = 0; i < 300; i++) members[`m${i}`] = i;
      const key = await zset(members);
      const before = await callsOf('zscan');
      const iterator = text.izscan(key, { count: 10 });
      expect(await callsOf('zscan')).to.equal(before);
      await iterator.next();
      expect(await callsOf('zscan')).to.equal(before + 1);
      await iterator.return?.();
    });

    it('yields nothing for a missing key', async () => {
      const pairs: unknown[] = [];
      for await (const pair of text.izscan(uniqueKey('missing'))) pairs.push(pair);
      expect(pairs).to.deep.equal([]);
    });
  });

  describe('#bzpopmin() and #bzpopmax()', () => {
    it('pop at once from the first non-empty key, resolving with [key, member, score]', async () => {
      const empty = uniqueKey('empty');
      const key = await zset({ a: 1.5, b: 2, c: 3 });
      const popped: [string, string, number] | null = await blocking.bzpopmin([empty, key], 1);
      expect(popped).to.deep.equal([key, 'a', 1.5]);
      expect(await blocking.bzpopmax(key, 1)).to.deep.equal([key, 'c', 3]);
      expect(await redis.bzpopmax(key, 1)).to.deep.equal([Buffer.from(key), Buffer.from('b'), 2]);
    });

    it('resolve with null once the timeout (seconds, fractions allowed) passed', async () => {
      const started = Date.now();
      expect(await blocking.bzpopmin(uniqueKey('empty'), 0.05)).to.equal(null);
      expect(await blocking.bzpopmax([uniqueKey('empty')], 0.05)).to.equal(null);
      expect(Date.now() - started).to.be.lessThan(2000);
    });

    it('wake up when another client adds a member', async () => {
      const key = uniqueKey('zset');
      const waiting = blocking.bzpopmax(key, 0);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await text.zadd(key, 4, 'late');
      expect(await waiting).to.deep.equal([key, 'late', 4]);
    });

    it('decode key and member with the encoding of the call', async () => {
      const key = await zset({ a: 7 });
      expect(await blocking.bzpopmin(key, 1, { encoding: 'hex' })).to.deep.equal([
        Buffer.from(key).toString('hex'),
        '61',
        7,
      ]);
    });
  });

  describe('#bzmpop()', () => {
    it('pops from the first non-empty key at once, resolving with [key, pairs]', async () => {
      const empty = uniqueKey('empty');
      const key = await zset(abc);
      expect(await blocking.bzmpop(1, [empty, key], 'MAX', { count: 2 })).to.deep.equal([
        key,
        [
          ['c', 3],
          ['b', 2],
        ],
      ]);
      expect(await blocking.bzmpop(1, [key], 'MIN')).to.deep.equal([key, [['a', 1]]]);
    });

    it('resolves with null once the timeout passed', async () => {
      expect(await blocking.bzmpop(0.05, [uniqueKey('empty')], 'MIN')).to.equal(null);
    });

    it('wakes up when another client adds a member', async () => {
      const key = uniqueKey('zset');
      const waiting = blocking.bzmpop(0, [key], 'MIN', { count: 10 });
      await new Promise((resolve) => setTimeout(resolve, 50));
      await text.zadd(key, [
        [2, 'y'],
        [1, 'x'],
      ]);
      expect(await waiting).to.deep.equal([
        key,
        [
          ['x', 1],
          ['y', 2],
        ],
      ]);
    });
  });

  describe('RESP3', () => {
    // RESP3 sends scores as doubles and WITHSCORES replies as nested pairs; the methods must
    // resolve with the same values as over RESP2.
    const calls: Array<[string, (client: Redis<string>, key: string) => Promise<unknown>]> = [
      ['zrange withScores', (c, k) => c.zrange(k, 0, -1, { withScores: true })],
      ['zrevrange withScores', (c, k) => c.zrevrange(k, 0, -1, { withScores: true })],
      ['zrangebyscore withScores', (c, k) => c.zrangebyscore(k, 1, 3, { withScores: true })],
      ['zrevrangebyscore withScores', (c, k) => c.zrevrangebyscore(k, 3, 1, { withScores: true })],
      ['zinter withScores', (c, k) => c.zinter([k, k], { withScores: true })],
      ['zunion withScores', (c, k) => c.zunion([k], { withScores: true, weights: [2] })],
      ['zdiff withScores', (c, k) => c.zdiff([k], { withScores: true })],
      ['zrange hex withScores', (c, k) => c.zrange(k, 0, 0, { withScores: true, encoding: 'hex' })],
      ['zscan', (c, k) => c.zscan(k, 0)],
      ['zmscore', (c, k) => c.zmscore(k, ['a', 'nope', 'c'])],
      ['zscore', (c, k) => c.zscore(k, 'c')],
      ['zpopmin', (c, k) => c.zpopmin(k)],
      ['zpopmax with count', (c, k) => c.zpopmax(k, 2)],
      ['zmpop', (c, k) => c.zmpop([k], 'MAX', { count: 2 })],
      ['bzpopmin', (c, k) => c.bzpopmin(k, 1)],
      ['bzmpop', (c, k) => c.bzmpop(1, [k], 'MIN', { count: 2 })],
      ['zincrby', (c, k) => c.zincrby(k, 0.5, 'a')],
      ['zadd incr', (c, k) => c.zadd(k, 0.5, 'b', { incr: true })],
    ];
    for (const [name, call] of calls) {
      it(`${name} resolves with the same value as over RESP2`, async () => {
        const members = { a: 1, b: 2.5, c: '+inf' };
        const key = await zset(members);
        const over2 = await call(text, key);
        const over3 = await call(resp3, await zset(members, key));
        expect(over3).to.deep.equal(over2);
        expect(JSON.stringify(over2)).to.match(/[\d.]|null/); // a real value, not an empty shape
      });
    }

    it('gives nested pairs as [member, score] pairs with number scores', async () => {
      const key = await zset({ a: 1, b: 2.5 });
      expect(await resp3.zrange(key, 0, -1, { withScores: true })).to.deep.equal([
        ['a', 1],
        ['b', 2.5],
      ]);
      expect(await resp3.zpopmin(key)).to.deep.equal([['a', 1]]);
      expect(await resp3.bzpopmax(key, 1)).to.deep.equal([key, 'b', 2.5]);
    });
  });

  describe('errors', () => {
    /** Every method, called on a key that holds a string. */
    const wrongType: Array<[string, (key: string) => Promise<unknown>]> = [
      ['bzpopmax', (k) => text.bzpopmax(k, 1)],
      ['bzpopmin', (k) => text.bzpopmin(k, 1)],
      ['bzmpop', (k) => text.bzmpop(1, [k], 'MIN')],
      ['zadd', (k) => text.zadd(k, 1, 'a')],
      ['zcard', (k) => text.zcard(k)],
      ['zcount', (k) => text.zcount(k)],
      ['zdiff', (k) => text.zdiff([k])],
      ['zdiffstore', (k) => text.zdiffstore(uniqueKey('dest'), [k])],
      ['zincrby', (k) => text.zincrby(k, 1, 'a')],
      ['zinter', (k) => text.zinter([k])],
      ['zintercard', (k) => text.zintercard([k])],
      ['zinterstore', (k) => text.zinterstore(uniqueKey('dest'), [k])],
      ['zlexcount', (k) => text.zlexcount(k)],
      ['zmpop', (k) => text.zmpop([k], 'MAX')],
      ['zmscore', (k) => text.zmscore(k, ['a'])],
      ['zpopmax', (k) => text.zpopmax(k)],
      ['zpopmin', (k) => text.zpopmin(k, 2)],
      ['zrandmember', (k) => text.zrandmember(k)],
      ['zrange', (k) => text.zrange(k, 0, -1, { withScores: true })],
      ['zrangestore', (k) => text.zrangestore(uniqueKey('dest'), k, 0, -1)],
      ['zrangebylex', (k) => text.zrangebylex(k)],
      ['zrangebyscore', (k) => text.zrangebyscore(k)],
      ['zrank', (k) => text.zrank(k, 'a')],
      ['zrem', (k) => text.zrem(k, 'a')],
      ['zremrangebylex', (k) => text.zremrangebylex(k)],
      ['zremrangebyrank', (k) => text.zremrangebyrank(k, 0, -1)],
      ['zremrangebyscore', (k) => text.zremrangebyscore(k)],
      ['zrevrange', (k) => text.zrevrange(k)],
      ['zrevrangebylex', (k) => text.zrevrangebylex(k)],
      ['zrevrangebyscore', (k) => text.zrevrangebyscore(k)],
      ['zrevrank', (k) => text.zrevrank(k, 'a')],
      ['zscan', (k) => text.zscan(k)],
      ['izscan', (k) => text.izscan(k).next()],
      ['zscore', (k) => text.zscore(k, 'a')],
      ['zunion', (k) => text.zunion([k])],
      ['zunionstore', (k) => text.zunionstore(uniqueKey('dest'), [k])],
    ];
    for (const [name, call] of wrongType) {
      it(`${name} rejects with a WRONGTYPE ReplyError on a key that is not a sorted set`, async () => {
        const key = uniqueKey('string');
        await text.call('SET', key, 'value');
        const err = await rejectionOf(call(key));
        expect(err).to.be.instanceOf(ReplyError);
        expect((err as ReplyError).code).to.equal('WRONGTYPE');
        expect(await text.call('GET', key)).to.equal('value');
      });
    }

    /** Bad input: [what, the command it would have sent, the call, the error class]. */
    const refused: Array<[string, string, (key: string) => Promise<unknown>, ErrorConstructor]> = [
      ['bzpopmax with a negative timeout', 'BZPOPMAX', (k) => text.bzpopmax(k, -1), RangeError],
      ['bzpopmin with a NaN timeout', 'BZPOPMIN', (k) => text.bzpopmin([k], NaN), RangeError],
      ['bzpopmin with no key', 'BZPOPMIN', () => text.bzpopmin([], 1), TypeError],
      [
        'bzmpop with an Infinity timeout',
        'BZMPOP',
        (k) => text.bzmpop(Infinity, [k], 'MIN'),
        RangeError,
      ],
      ['bzmpop with a bad where', 'BZMPOP', (k) => text.bzmpop(1, [k], 'LOW' as never), TypeError],
      [
        'bzmpop with count 0',
        'BZMPOP',
        (k) => text.bzmpop(1, [k], 'MIN', { count: 0 }),
        RangeError,
      ],
      ['zadd with a NaN score', 'ZADD', (k) => text.zadd(k, NaN, 'a'), TypeError],
      ['zadd with a string score', 'ZADD', (k) => text.zadd(k, '1' as never, 'a'), TypeError],
      ['zadd with a bad pair', 'ZADD', (k) => text.zadd(k, [[1, 'a'], [2] as never]), TypeError],
      ['zadd with no pairs', 'ZADD', (k) => text.zadd(k, []), TypeError],
      [
        'zadd with a bad exist',
        'ZADD',
        (k) => text.zadd(k, 1, 'a', { exist: 'YY' as never }),
        TypeError,
      ],
      [
        'zadd with a bad compare',
        'ZADD',
        (k) => text.zadd(k, 1, 'a', { compare: 'GE' as never }),
        TypeError,
      ],
      [
        'zadd with compare and NX',
        'ZADD',
        (k) => text.zadd(k, 1, 'a', { exist: 'NX', compare: 'GT' }),
        TypeError,
      ],
      [
        'zadd with incr and two pairs',
        'ZADD',
        (k) =>
          text.zadd(
            k,
            [
              [1, 'a'],
              [2, 'b'],
            ],
            { incr: true } as never,
          ),
        TypeError,
      ],
      [
        'zadd with options that are not an object',
        'ZADD',
        (k) => text.zadd(k, [[1, 'a']], 'NX' as never),
        TypeError,
      ],
      ['zcount with a string min', 'ZCOUNT', (k) => text.zcount(k, '(1' as never), TypeError],
      ['zcount with a NaN max', 'ZCOUNT', (k) => text.zcount(k, 0, NaN), TypeError],
      [
        'zcount with a bad exclude',
        'ZCOUNT',
        (k) => text.zcount(k, 0, 1, { exclude: 'MIN' as never }),
        TypeError,
      ],
      ['zdiff with no keys', 'ZDIFF', () => text.zdiff([]), TypeError],
      [
        'zdiffstore with keys not in an array',
        'ZDIFFSTORE',
        (k) => text.zdiffstore(k, k as never),
        TypeError,
      ],
      ['zincrby with a NaN increment', 'ZINCRBY', (k) => text.zincrby(k, NaN, 'a'), TypeError],
      [
        'zinter with a weight per key missing',
        'ZINTER',
        (k) => text.zinter([k, k], { weights: [1] }),
        RangeError,
      ],
      [
        'zinter with a string weight',
        'ZINTER',
        (k) => text.zinter([k], { weights: ['2' as never] }),
        TypeError,
      ],
      [
        'zinter with a bad aggregate',
        'ZINTER',
        (k) => text.zinter([k], { aggregate: 'AVG' as never }),
        TypeError,
      ],
      [
        'zintercard with a negative limit',
        'ZINTERCARD',
        (k) => text.zintercard([k], { limit: -1 }),
        RangeError,
      ],
      [
        'zinterstore with too many weights',
        'ZINTERSTORE',
        (k) => text.zinterstore(k, [k], { weights: [1, 2] }),
        RangeError,
      ],
      [
        'zlexcount with an object min',
        'ZLEXCOUNT',
        (k) => text.zlexcount(k, {} as never),
        TypeError,
      ],
      ['zmpop with no keys', 'ZMPOP', () => text.zmpop([], 'MIN'), TypeError],
      [
        'zmpop with a fractional count',
        'ZMPOP',
        (k) => text.zmpop([k], 'MIN', { count: 1.5 }),
        RangeError,
      ],
      ['zmscore with no members', 'ZMSCORE', (k) => text.zmscore(k, []), TypeError],
      ['zpopmin with a negative count', 'ZPOPMIN', (k) => text.zpopmin(k, -1), RangeError],
      ['zpopmax with a fractional count', 'ZPOPMAX', (k) => text.zpopmax(k, 0.5), RangeError],
      [
        'zrandmember with withScores and no count',
        'ZRANDMEMBER',
        (k) => text.zrandmember(k, { withScores: true }),
        TypeError,
      ],
      [
        'zrandmember with a fractional count',
        'ZRANDMEMBER',
        (k) => text.zrandmember(k, { count: 1.5 }),
        TypeError,
      ],
      ['zrange with a fractional start', 'ZRANGE', (k) => text.zrange(k, 0.5), TypeError],
      [
        'zrangestore with byScore and byLex',
        'ZRANGESTORE',
        (k) => text.zrangestore(k, k, 0, 1, { byScore: true, byLex: true }),
        TypeError,
      ],
      [
        'zrangestore with a limit by rank',
        'ZRANGESTORE',
        (k) => text.zrangestore(k, k, 0, 1, { count: 1 }),
        TypeError,
      ],
      [
        'zrangestore with exclude by rank',
        'ZRANGESTORE',
        (k) => text.zrangestore(k, k, 0, 1, { exclude: 'ZSET_EXCLUDE_MIN' }),
        TypeError,
      ],
      [
        'zrangestore with includeMin by score',
        'ZRANGESTORE',
        (k) => text.zrangestore(k, k, 0, 1, { byScore: true, includeMin: false }),
        TypeError,
      ],
      [
        'zrangestore with string ranks',
        'ZRANGESTORE',
        (k) => text.zrangestore(k, k, 'a', 'b'),
        TypeError,
      ],
      [
        'zrangestore with string scores',
        'ZRANGESTORE',
        (k) => text.zrangestore(k, k, '(1', 2, { byScore: true }),
        TypeError,
      ],
      [
        'zrangebylex with an offset and no count',
        'ZRANGEBYLEX',
        (k) => text.zrangebylex(k, '-', '+', { offset: 1 }),
        TypeError,
      ],
      [
        'zrangebylex with a fractional count',
        'ZRANGEBYLEX',
        (k) => text.zrangebylex(k, '-', '+', { count: 0.5 }),
        TypeError,
      ],
      [
        'zrangebyscore with an offset and no count',
        'ZRANGEBYSCORE',
        (k) => text.zrangebyscore(k, 0, 1, { offset: 1 }),
        TypeError,
      ],
      [
        'zrangebyscore with a bad exclude',
        'ZRANGEBYSCORE',
        (k) => text.zrangebyscore(k, 0, 1, { exclude: 'BOTH' as never }),
        TypeError,
      ],
      [
        'zremrangebylex with a null max',
        'ZREMRANGEBYLEX',
        (k) => text.zremrangebylex(k, '-', null as never),
        TypeError,
      ],
      [
        'zremrangebyrank with a string stop',
        'ZREMRANGEBYRANK',
        (k) => text.zremrangebyrank(k, 0, '-1' as never),
        TypeError,
      ],
      [
        'zremrangebyscore with a NaN min',
        'ZREMRANGEBYSCORE',
        (k) => text.zremrangebyscore(k, NaN),
        TypeError,
      ],
      [
        'zrevrange with a fractional stop',
        'ZREVRANGE',
        (k) => text.zrevrange(k, 0, 1.5),
        TypeError,
      ],
      [
        'zrevrangebylex with an offset and no count',
        'ZREVRANGEBYLEX',
        (k) => text.zrevrangebylex(k, '-', '+', { offset: 2 }),
        TypeError,
      ],
      [
        'zrevrangebyscore with a string max',
        'ZREVRANGEBYSCORE',
        (k) => text.zrevrangebyscore(k, '+inf' as never),
        TypeError,
      ],
      ['zscan with a negative cursor', 'ZSCAN', (k) => text.zscan(k, -1), RangeError],
      ['zscan with count 0', 'ZSCAN', (k) => text.zscan(k, 0, { count: 0 }), RangeError],
      [
        'izscan with a fractional count',
        'ZSCAN',
        (k) => text.izscan(k, { count: 1.5 }).next(),
        TypeError,
      ],
      ['zunion with no keys', 'ZUNION', () => text.zunion([]), TypeError],
      [
        'zunionstore with a weight per key missing',
        'ZUNIONSTORE',
        (k) => text.zunionstore(k, [k, k], { weights: [] }),
        RangeError,
      ],
    ];
    for (const [what, command, call, errorClass] of refused) {
      it(`rejects ${what} with ${errorClass.name} and sends nothing`, async () => {
        const key = await zset({ a: 1 });
        const before = await callsOf(command);
        const err = await rejectionOf(call(key));
        expect(err).to.be.instanceOf(errorClass);
        expect(err.message).to.include(`${command.toLowerCase()}()`);
        expect(await callsOf(command)).to.equal(before);
        expect(await contents(key)).to.deep.equal([['a', '1']]);
      });
    }
  });
});
