import { expect } from 'chai';
import { createRedis, createRedisPool, type Redis, ReplyError } from '../../lib';
import { sharedServer } from '../helpers/hooks';
import { rejectionOf, uniqueKey } from '../helpers/util';

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `values` as Buffers, for comparing with the replies of a client without an encoding. */
function bufs(...values: string[]): Buffer[] {
  return values.map((value) => Buffer.from(value));
}

describe('ListCommands', () => {
  let url: string;
  /** Stored values come back as Buffers. */
  let redis: Redis;
  /** Stored values come back as strings. */
  let text: Redis<string>;
  /** Another connection, to push while `text` is blocked. */
  let other: Redis<string>;

  before(async () => {
    ({ url } = await sharedServer());
    redis = await createRedis(url);
    text = await createRedis(url, { encoding: 'utf8' });
    other = await createRedis(url, { encoding: 'utf8' });
  });

  after(async () => {
    for (const client of [redis, text, other]) client.close();
    await Promise.all([redis, text, other].map((client) => client.waitClosed()));
  });

  /** A fresh key holding the list `elements`. */
  async function list(...elements: string[]): Promise<string> {
    const key = uniqueKey('list');
    if (elements.length > 0) await text.execute('RPUSH', key, ...elements);
    return key;
  }

  /** The whole list at `key`. */
  function contents(key: string): Promise<string[]> {
    return text.execute<string[]>('LRANGE', key, 0, -1);
  }

  describe('#blpop()', () => {
    it('resolves with [key, element] from the head of the first non-empty list', async () => {
      const empty = await list();
      const full = await list('a', 'b');
      expect(await redis.blpop([empty, full], 1)).to.deep.equal(bufs(full, 'a'));
      expect(await contents(full)).to.deep.equal(['b']);
    });

    it('takes a single key', async () => {
      const key = await list('x');
      expect(await text.blpop(key)).to.deep.equal([key, 'x']);
    });

    it('resolves null once a fractional timeout (seconds) runs out', async () => {
      const started = Date.now();
      expect(await text.blpop(await list(), 0.1)).to.equal(null);
      expect(Date.now() - started).to.be.within(80, 1000);
    });

    it('waits for an element pushed by another client', async () => {
      const key = await list();
      const popped = text.blpop(key, 2);
      await delay(30);
      await other.rpush(key, 'late');
      expect(await popped).to.deep.equal([key, 'late']);
    });

    it('decodes with the per-call encoding', async () => {
      const key = await list('v');
      const reply: [Buffer, Buffer] | null = await text.blpop(key, 1, { encoding: null });
      expect(reply).to.deep.equal(bufs(key, 'v'));
    });
  });

  describe('#brpop()', () => {
    it('resolves with [key, element] from the tail of the first non-empty list', async () => {
      const empty = await list();
      const full = await list('a', 'b');
      expect(await text.brpop([empty, full], 1)).to.deep.equal([full, 'b']);
      expect(await contents(full)).to.deep.equal(['a']);
    });

    it('resolves null once the timeout runs out', async () => {
      expect(await text.brpop(await list(), 0.05)).to.equal(null);
    });
  });

  describe('#brpoplpush()', () => {
    it('moves the tail of source to the head of dest and resolves with it', async () => {
      const source = await list('a', 'b');
      const dest = await list('z');
      expect(await text.brpoplpush(source, dest, 1)).to.equal('b');
      expect(await contents(source)).to.deep.equal(['a']);
      expect(await contents(dest)).to.deep.equal(['b', 'z']);
    });

    it('resolves null once the timeout runs out, leaving dest alone', async () => {
      const dest = await list('z');
      expect(await text.brpoplpush(await list(), dest, 0.05)).to.equal(null);
      expect(await contents(dest)).to.deep.equal(['z']);
    });

    it('decodes with the per-call encoding', async () => {
      const source = await list('a');
      expect(await redis.brpoplpush(source, await list(), 1, { encoding: 'utf8' })).to.equal('a');
    });
  });

  describe('#blmove()', () => {
    it('moves from the given end of source to the given end of dest', async () => {
      const source = await list('a', 'b', 'c');
      const dest = await list('z');
      expect(await text.blmove(source, dest, 'LEFT', 'RIGHT', 1)).to.equal('a');
      expect(await text.blmove(source, dest, 'RIGHT', 'LEFT', 1)).to.equal('c');
      expect(await contents(source)).to.deep.equal(['b']);
      expect(await contents(dest)).to.deep.equal(['c', 'z', 'a']);
    });

    it('resolves null once the timeout runs out', async () => {
      expect(await text.blmove(await list(), await list(), 'LEFT', 'LEFT', 0.05)).to.equal(null);
    });

    it('decodes with the per-call encoding', async () => {
      const source = await list('a');
      expect(
        await text.blmove(source, await list(), 'LEFT', 'LEFT', 1, { encoding: null }),
      ).to.deep.equal(Buffer.from('a'));
    });
  });

  describe('#blmpop()', () => {
    it('pops one element from the given end of the first non-empty list', async () => {
      const empty = await list();
      const full = await list('a', 'b', 'c');
      expect(await text.blmpop(1, [empty, full], 'RIGHT')).to.deep.equal([full, ['c']]);
      expect(await text.blmpop(1, [empty, full], 'LEFT')).to.deep.equal([full, ['a']]);
    });

    it('pops up to count elements', async () => {
      const key = await list('a', 'b', 'c');
      expect(await text.blmpop(1, [key], 'LEFT', { count: 2 })).to.deep.equal([key, ['a', 'b']]);
      expect(await text.blmpop(1, [key], 'LEFT', { count: 5 })).to.deep.equal([key, ['c']]);
    });

    it('resolves null once the timeout runs out', async () => {
      expect(await text.blmpop(0.05, [await list()], 'LEFT', { count: 2 })).to.equal(null);
    });

    it('decodes with the per-call encoding', async () => {
      const key = await list('a');
      const reply: [Buffer, Buffer[]] | null = await text.blmpop(1, [key], 'LEFT', {
        encoding: null,
      });
      expect(reply).to.deep.equal([Buffer.from(key), bufs('a')]);
    });
  });

  describe('#lindex()', () => {
    it('resolves with the element at an index, negative from the tail', async () => {
      const key = await list('a', 'b', 'c');
      expect(await redis.lindex(key, 0)).to.deep.equal(Buffer.from('a'));
      expect(await text.lindex(key, -1)).to.equal('c');
    });

    it('resolves null out of range and for a missing key', async () => {
      expect(await text.lindex(await list('a'), 5)).to.equal(null);
      expect(await text.lindex(await list(), 0)).to.equal(null);
    });

    it('decodes with the per-call encoding', async () => {
      const value: string | null = await redis.lindex(await list('a'), 0, { encoding: 'utf8' });
      expect(value).to.equal('a');
    });
  });

  describe('#linsert()', () => {
    it('inserts after the pivot by default and resolves with the new length', async () => {
      const key = await list('a', 'c');
      expect(await text.linsert(key, 'a', 'b')).to.equal(3);
      expect(await contents(key)).to.deep.equal(['a', 'b', 'c']);
    });

    it('inserts before the pivot with before: true', async () => {
      const key = await list('a', 'c');
      expect(await text.linsert(key, 'c', 'b', { before: true })).to.equal(3);
      expect(await text.linsert(key, 'a', '0', { before: false })).to.equal(4);
      expect(await contents(key)).to.deep.equal(['a', '0', 'b', 'c']);
    });

    it('resolves -1 without the pivot and 0 for a missing list', async () => {
      const key = await list('a');
      expect(await text.linsert(key, 'nope', 'b')).to.equal(-1);
      expect(await contents(key)).to.deep.equal(['a']);
      expect(await text.linsert(await list(), 'a', 'b')).to.equal(0);
    });
  });

  describe('#llen()', () => {
    it("resolves with the list's length, 0 for a missing key", async () => {
      expect(await text.llen(await list('a', 'b', 'c'))).to.equal(3);
      expect(await text.llen(await list())).to.equal(0);
    });
  });

  describe('#lmove()', () => {
    it('moves from the given end of source to the given end of dest', async () => {
      const source = await list('a', 'b', 'c');
      const dest = await list('z');
      expect(await text.lmove(source, dest, 'RIGHT', 'RIGHT')).to.equal('c');
      expect(await text.lmove(source, dest, 'LEFT', 'LEFT')).to.equal('a');
      expect(await contents(source)).to.deep.equal(['b']);
      expect(await contents(dest)).to.deep.equal(['a', 'z', 'c']);
    });

    it('rotates a list onto itself', async () => {
      const key = await list('a', 'b', 'c');
      expect(await text.lmove(key, key, 'LEFT', 'RIGHT')).to.equal('a');
      expect(await contents(key)).to.deep.equal(['b', 'c', 'a']);
    });

    it('resolves null when source is empty', async () => {
      expect(await text.lmove(await list(), await list(), 'LEFT', 'RIGHT')).to.equal(null);
    });

    it('decodes with the per-call encoding', async () => {
      const moved = await redis.lmove(await list('a'), await list(), 'LEFT', 'RIGHT', {
        encoding: 'utf8',
      });
      expect(moved).to.equal('a');
    });
  });

  describe('#lmpop()', () => {
    it('pops from the given end of the first non-empty list', async () => {
      const empty = await list();
      const full = await list('a', 'b', 'c');
      expect(await text.lmpop([empty, full], 'LEFT')).to.deep.equal([full, ['a']]);
      expect(await text.lmpop([empty, full], 'RIGHT', { count: 5 })).to.deep.equal([
        full,
        ['c', 'b'],
      ]);
    });

    it('resolves null when every list is empty', async () => {
      expect(await text.lmpop([await list(), await list()], 'LEFT')).to.equal(null);
    });

    it('decodes with the per-call encoding', async () => {
      const key = await list('a');
      expect(await redis.lmpop([key], 'LEFT', { encoding: 'utf8', count: 1 })).to.deep.equal([
        key,
        ['a'],
      ]);
    });
  });

  describe('#lpop()', () => {
    it('removes and resolves with the head, null for a missing list', async () => {
      const key = await list('a', 'b');
      expect(await redis.lpop(key)).to.deep.equal(Buffer.from('a'));
      expect(await contents(key)).to.deep.equal(['b']);
      expect(await text.lpop(await list())).to.equal(null);
    });

    it('resolves with an array of up to count elements', async () => {
      const key = await list('a', 'b', 'c');
      const popped: string[] | null = await text.lpop(key, { count: 2 });
      expect(popped).to.deep.equal(['a', 'b']);
      expect(await text.lpop(key, { count: 5 })).to.deep.equal(['c']);
    });

    it('resolves null with a count for a missing list, [] with count 0', async () => {
      expect(await text.lpop(await list(), { count: 2 })).to.equal(null);
      expect(await text.lpop(await list('a'), { count: 0 })).to.deep.equal([]);
    });

    it('decodes with the per-call encoding, with or without a count', async () => {
      const key = await list('a', 'b');
      const one: Buffer | null = await text.lpop(key, { encoding: null });
      const many: Buffer[] | null = await text.lpop(key, { count: 1, encoding: null });
      expect([one, many]).to.deep.equal([Buffer.from('a'), bufs('b')]);
    });
  });

  describe('#lpos()', () => {
    it('resolves with the index of the first match, null when absent', async () => {
      const key = await list('a', 'b', 'c', 'b');
      const index: number | null = await text.lpos(key, 'b');
      expect(index).to.equal(1);
      expect(await text.lpos(key, 'nope')).to.equal(null);
    });

    it('finds the rank-th match, negative from the tail', async () => {
      const key = await list('b', 'a', 'b', 'a', 'b');
      expect(await text.lpos(key, 'b', { rank: 2 })).to.equal(2);
      expect(await text.lpos(key, 'b', { rank: -1 })).to.equal(4);
      expect(await text.lpos(key, 'b', { rank: 4 })).to.equal(null);
    });

    it('resolves with an array of up to count indexes, all of them for count 0', async () => {
      const key = await list('b', 'a', 'b', 'a', 'b');
      const indexes: number[] = await text.lpos(key, 'b', { count: 2 });
      expect(indexes).to.deep.equal([0, 2]);
      expect(await text.lpos(key, 'b', { count: 0 })).to.deep.equal([0, 2, 4]);
      expect(await text.lpos(key, 'b', { count: 0, rank: -1 })).to.deep.equal([4, 2, 0]);
      expect(await text.lpos(key, 'nope', { count: 0 })).to.deep.equal([]);
    });

    it('compares at most maxlen elements', async () => {
      const key = await list('a', 'a', 'b');
      expect(await text.lpos(key, 'b', { maxlen: 2 })).to.equal(null);
      expect(await text.lpos(key, 'b', { maxlen: 3 })).to.equal(2);
      expect(await text.lpos(key, 'a', { count: 0, maxlen: 1 })).to.deep.equal([0]);
    });
  });

  describe('#lpush()', () => {
    it('prepends the values, the last one first, and resolves with the new length', async () => {
      const key = await list('z');
      expect(await text.lpush(key, 'a')).to.equal(2);
      expect(await text.lpush(key, 'b', 'c', Buffer.from('d'), 5)).to.equal(6);
      expect(await contents(key)).to.deep.equal(['5', 'd', 'c', 'b', 'a', 'z']);
    });
  });

  describe('#lpushx()', () => {
    it('prepends onto an existing list only', async () => {
      const key = await list('z');
      expect(await text.lpushx(key, 'a', 'b')).to.equal(3);
      expect(await contents(key)).to.deep.equal(['b', 'a', 'z']);
      const missing = await list();
      expect(await text.lpushx(missing, 'a')).to.equal(0);
      expect(await text.execute('EXISTS', missing)).to.equal(0);
    });
  });

  describe('#lrange()', () => {
    it('resolves with the elements from start to stop, inclusive', async () => {
      const key = await list('a', 'b', 'c', 'd');
      expect(await redis.lrange(key, 1, 2)).to.deep.equal(bufs('b', 'c'));
      expect(await text.lrange(key, -2, -1)).to.deep.equal(['c', 'd']);
      expect(await text.lrange(key, 5, 10)).to.deep.equal([]);
      expect(await text.lrange(await list(), 0, -1)).to.deep.equal([]);
    });

    it('decodes with the per-call encoding', async () => {
      const values: Buffer[] = await text.lrange(await list('a'), 0, -1, { encoding: null });
      expect(values).to.deep.equal(bufs('a'));
    });
  });

  describe('#lrem()', () => {
    it('removes count occurrences from the head, from the tail when negative, all for 0', async () => {
      const key = await list('x', 'a', 'x', 'b', 'x', 'c', 'x');
      expect(await text.lrem(key, 1, 'x')).to.equal(1);
      expect(await contents(key)).to.deep.equal(['a', 'x', 'b', 'x', 'c', 'x']);
      expect(await text.lrem(key, -2, 'x')).to.equal(2);
      expect(await contents(key)).to.deep.equal(['a', 'x', 'b', 'c']);
      expect(await text.lrem(key, 0, 'x')).to.equal(1);
      expect(await text.lrem(key, 0, 'nope')).to.equal(0);
      expect(await contents(key)).to.deep.equal(['a', 'b', 'c']);
    });
  });

  describe('#lset()', () => {
    it('sets the element at an index and resolves true', async () => {
      const key = await list('a', 'b', 'c');
      expect(await text.lset(key, -1, 'z')).to.equal(true);
      expect(await text.lset(key, 0, 'y')).to.equal(true);
      expect(await contents(key)).to.deep.equal(['y', 'b', 'z']);
    });

    it('rejects with an ERR reply for an index out of range or a missing key', async () => {
      const outside = await rejectionOf(text.lset(await list('a'), 3, 'z'));
      expect(outside).to.be.instanceOf(ReplyError).with.property('code', 'ERR');
      const missing = await rejectionOf(text.lset(await list(), 0, 'z'));
      expect(missing).to.be.instanceOf(ReplyError).with.property('code', 'ERR');
    });
  });

  describe('#ltrim()', () => {
    it('keeps only the elements from start to stop and resolves true', async () => {
      const key = await list('a', 'b', 'c', 'd');
      expect(await text.ltrim(key, 1, -2)).to.equal(true);
      expect(await contents(key)).to.deep.equal(['b', 'c']);
      expect(await text.ltrim(key, 5, 10)).to.equal(true);
      expect(await text.execute('EXISTS', key)).to.equal(0);
    });
  });

  describe('#rpop()', () => {
    it('removes and resolves with the tail, null for a missing list', async () => {
      const key = await list('a', 'b');
      expect(await redis.rpop(key)).to.deep.equal(Buffer.from('b'));
      expect(await contents(key)).to.deep.equal(['a']);
      expect(await text.rpop(await list())).to.equal(null);
    });

    it('resolves with an array of up to count elements from the tail', async () => {
      const key = await list('a', 'b', 'c');
      expect(await text.rpop(key, { count: 2 })).to.deep.equal(['c', 'b']);
      expect(await text.rpop(await list(), { count: 2 })).to.equal(null);
    });

    it('decodes with the per-call encoding', async () => {
      const popped: string[] | null = await redis.rpop(await list('a'), {
        count: 1,
        encoding: 'utf8',
      });
      expect(popped).to.deep.equal(['a']);
    });
  });

  describe('#rpoplpush()', () => {
    it('moves the tail of source to the head of dest and resolves with it', async () => {
      const source = await list('a', 'b');
      const dest = await list('z');
      expect(await redis.rpoplpush(source, dest)).to.deep.equal(Buffer.from('b'));
      expect(await contents(source)).to.deep.equal(['a']);
      expect(await contents(dest)).to.deep.equal(['b', 'z']);
    });

    it('resolves null when source is empty', async () => {
      expect(await text.rpoplpush(await list(), await list())).to.equal(null);
    });

    it('decodes with the per-call encoding', async () => {
      expect(await text.rpoplpush(await list('a'), await list(), { encoding: null })).to.deep.equal(
        Buffer.from('a'),
      );
    });
  });

  describe('#rpush()', () => {
    it('appends the values and resolves with the new length', async () => {
      const key = await list('z');
      expect(await text.rpush(key, 'a')).to.equal(2);
      expect(await text.rpush(key, 'b', Buffer.from('c'), 4)).to.equal(5);
      expect(await contents(key)).to.deep.equal(['z', 'a', 'b', 'c', '4']);
    });
  });

  describe('#rpushx()', () => {
    it('appends onto an existing list only', async () => {
      const key = await list('z');
      expect(await text.rpushx(key, 'a', 'b')).to.equal(3);
      expect(await contents(key)).to.deep.equal(['z', 'a', 'b']);
      const missing = await list();
      expect(await text.rpushx(missing, 'a')).to.equal(0);
      expect(await text.execute('EXISTS', missing)).to.equal(0);
    });
  });

  describe('on a key holding a string', () => {
    let str: string;
    before(async () => {
      str = uniqueKey('string');
      await text.execute('SET', str, 'text');
    });

    const calls: Array<[string, (r: Redis<string>, key: string) => Promise<unknown>]> = [
      ['blpop', (r, key) => r.blpop(key, 0.01)],
      ['brpop', (r, key) => r.brpop(key, 0.01)],
      ['brpoplpush', (r, key) => r.brpoplpush(key, uniqueKey(), 0.01)],
      ['blmove', (r, key) => r.blmove(key, uniqueKey(), 'LEFT', 'LEFT', 0.01)],
      ['blmpop', (r, key) => r.blmpop(0.01, [key], 'LEFT')],
      ['lindex', (r, key) => r.lindex(key, 0)],
      ['linsert', (r, key) => r.linsert(key, 'a', 'b')],
      ['llen', (r, key) => r.llen(key)],
      ['lmove', (r, key) => r.lmove(key, uniqueKey(), 'LEFT', 'LEFT')],
      ['lmpop', (r, key) => r.lmpop([key], 'LEFT')],
      ['lpop', (r, key) => r.lpop(key)],
      ['lpos', (r, key) => r.lpos(key, 'a')],
      ['lpush', (r, key) => r.lpush(key, 'a')],
      ['lpushx', (r, key) => r.lpushx(key, 'a')],
      ['lrange', (r, key) => r.lrange(key, 0, -1)],
      ['lrem', (r, key) => r.lrem(key, 0, 'a')],
      ['lset', (r, key) => r.lset(key, 0, 'a')],
      ['ltrim', (r, key) => r.ltrim(key, 0, 1)],
      ['rpop', (r, key) => r.rpop(key, { count: 1 })],
      ['rpoplpush', (r, key) => r.rpoplpush(key, uniqueKey())],
      ['rpush', (r, key) => r.rpush(key, 'a')],
      ['rpushx', (r, key) => r.rpushx(key, 'a')],
    ];
    for (const [name, call] of calls) {
      it(`#${name}() rejects with a WRONGTYPE ReplyError and leaves the key alone`, async () => {
        const err = await rejectionOf(call(text, str));
        expect(err).to.be.instanceOf(ReplyError).with.property('code', 'WRONGTYPE');
        expect(await text.execute('GET', str)).to.equal('text');
      });
    }
  });

  describe('bad input', () => {
    /** Runs `call` with a client whose connection counts what it is asked to send. */
    async function refused(
      call: (r: Redis<string>) => Promise<unknown>,
    ): Promise<{ err: Error; sent: number }> {
      const conn = text.connection!;
      let sent = 0;
      const counted = conn as unknown as Record<string, (...args: unknown[]) => unknown>;
      for (const name of ['execute', 'executeWith']) {
        const original = counted[name]!.bind(conn);
        counted[name] = (...args: unknown[]) => {
          sent += 1;
          return original(...args);
        };
      }
      try {
        return { err: await rejectionOf(call(text)), sent };
      } finally {
        delete counted.execute;
        delete counted.executeWith;
      }
    }

    const key = uniqueKey('untouched');
    const cases: Array<
      [string, 'TypeError' | 'RangeError', (r: Redis<string>) => Promise<unknown>]
    > = [
      ['blpop with an empty array of keys', 'TypeError', (r) => r.blpop([], 1)],
      ['blpop with a negative timeout', 'RangeError', (r) => r.blpop(key, -1)],
      ['blpop with an infinite timeout', 'RangeError', (r) => r.blpop(key, Infinity)],
      ['blpop with a NaN timeout', 'TypeError', (r) => r.blpop(key, NaN)],
      ['blpop with a string timeout', 'TypeError', (r) => r.blpop(key, '1' as unknown as number)],
      ['brpop with an empty array of keys', 'TypeError', (r) => r.brpop([])],
      ['brpop with a negative timeout', 'RangeError', (r) => r.brpop(key, -0.5)],
      ['brpoplpush with a negative timeout', 'RangeError', (r) => r.brpoplpush(key, key, -1)],
      [
        'blmove with a bad end',
        'TypeError',
        (r) => r.blmove(key, key, 'left' as 'LEFT', 'RIGHT', 1),
      ],
      [
        'blmove with a negative timeout',
        'RangeError',
        (r) => r.blmove(key, key, 'LEFT', 'LEFT', -1),
      ],
      ['blmpop with a negative timeout', 'RangeError', (r) => r.blmpop(-1, [key], 'LEFT')],
      ['blmpop with no keys', 'TypeError', (r) => r.blmpop(1, [], 'LEFT')],
      ['blmpop with count 0', 'RangeError', (r) => r.blmpop(1, [key], 'LEFT', { count: 0 })],
      ['lindex with a fractional index', 'TypeError', (r) => r.lindex(key, 1.5)],
      [
        'linsert with a non-boolean before',
        'TypeError',
        (r) => r.linsert(key, 'a', 'b', { before: 'yes' as unknown as boolean }),
      ],
      ['lmove with a bad end', 'TypeError', (r) => r.lmove(key, key, 'LEFT', 'UP' as 'LEFT')],
      ['lmpop with a key instead of an array', 'TypeError', (r) => r.lmpop(key as never, 'LEFT')],
      ['lmpop with a bad end', 'TypeError', (r) => r.lmpop([key], 'TOP' as 'LEFT')],
      ['lmpop with a fractional count', 'TypeError', (r) => r.lmpop([key], 'LEFT', { count: 1.5 })],
      ['lpop with a negative count', 'RangeError', (r) => r.lpop(key, { count: -1 })],
      ['lpop with a fractional count', 'TypeError', (r) => r.lpop(key, { count: 0.5 })],
      ['lpos with rank 0', 'TypeError', (r) => r.lpos(key, 'a', { rank: 0 })],
      ['lpos with a negative count', 'RangeError', (r) => r.lpos(key, 'a', { count: -1 })],
      ['lpos with a negative maxlen', 'RangeError', (r) => r.lpos(key, 'a', { maxlen: -1 })],
      ['lpos with a fractional maxlen', 'TypeError', (r) => r.lpos(key, 'a', { maxlen: 1.5 })],
      ['lrange with a fractional stop', 'TypeError', (r) => r.lrange(key, 0, 1.5)],
      ['lrem with a fractional count', 'TypeError', (r) => r.lrem(key, 0.5, 'a')],
      ['lset with a fractional index', 'TypeError', (r) => r.lset(key, 0.5, 'a')],
      ['ltrim with a fractional start', 'TypeError', (r) => r.ltrim(key, 0.5, 1)],
      ['rpop with a negative count', 'RangeError', (r) => r.rpop(key, { count: -2 })],
    ];
    for (const [what, type, call] of cases) {
      it(`rejects ${what} with ${type} and sends nothing`, async () => {
        const { err, sent } = await refused(call);
        expect(err.name).to.equal(type);
        expect(sent).to.equal(0);
      });
    }

    it('rejects lpush with undefined without creating the key', async () => {
      await rejectionOf(text.lpush(key, 'a', undefined as unknown as string));
      expect(await text.execute('EXISTS', key)).to.equal(0);
    });
  });

  describe('on a pool', () => {
    it('runs BLPOP on a connection of its own, so a concurrent GET is answered', async () => {
      const pool = await createRedisPool(url, { encoding: 'utf8', minsize: 1, maxsize: 3 });
      try {
        const key = await list();
        const str = uniqueKey('string');
        await pool.set(str, 'answer');
        let settled = false;
        const popped = pool.blpop(key, 2).finally(() => (settled = true));
        await delay(20);
        expect(await pool.get(str)).to.equal('answer');
        expect(settled).to.equal(false);
        await pool.rpush(key, 'done');
        expect(await popped).to.deep.equal([key, 'done']);
      } finally {
        pool.close();
        await pool.waitClosed();
      }
    });
  });
});
