import { expect } from 'chai';
import { type Redis, ReplyError } from '../../lib';
import { useSharedClients } from '../helpers/connection';
import { rejectionOf, uniqueKey } from '../helpers/util';

/** Replies of a set in a stable order, as text. */
function sorted(values: Array<string | Buffer>): string[] {
  return values.map(String).sort();
}

describe('SetCommands', () => {
  /** Stored values come back as Buffers. */
  let redis: Redis;
  /** Stored values come back as strings. */
  let text: Redis<string>;

  useSharedClients((buffers, strings) => {
    redis = buffers;
    text = strings;
  });

  /** A fresh key holding the set of `members`. */
  async function set(...members: string[]): Promise<string> {
    const key = uniqueKey('set');
    if (members.length > 0) await text.execute('SADD', key, ...members);
    return key;
  }

  /** The members at `key`, sorted. */
  async function contents(key: string): Promise<string[]> {
    return sorted(await text.execute<string[]>('SMEMBERS', key));
  }

  /**
   * Records the names of the commands `client`'s connection is asked to send while `body` runs
   * (`body` sees the list grow). Resolves with what `body` resolved with and the names.
   */
  async function counting<T>(
    client: Redis<string> | Redis,
    body: (sent: readonly string[]) => Promise<T>,
  ): Promise<{ result: T; sent: string[] }> {
    const conn = client.connection!;
    const sent: string[] = [];
    const patched = conn as unknown as Record<string, (...args: unknown[]) => unknown>;
    const execute = patched.execute!.bind(conn);
    const executeWith = patched.executeWith!.bind(conn);
    patched.execute = (command: unknown, ...args: unknown[]) => {
      sent.push(String(command));
      return execute(command, ...args);
    };
    patched.executeWith = (options: unknown, command: unknown, ...args: unknown[]) => {
      sent.push(String(command));
      return executeWith(options, command, ...args);
    };
    try {
      return { result: await body(sent), sent };
    } finally {
      delete patched.execute;
      delete patched.executeWith;
    }
  }

  describe('#sadd()', () => {
    it('adds the members and resolves with how many were new', async () => {
      const key = await set('a');
      expect(await text.sadd(key, 'a')).to.equal(0);
      expect(await text.sadd(key, 'b', 'a', Buffer.from('c'), 4, 'b')).to.equal(3);
      expect(await contents(key)).to.deep.equal(['4', 'a', 'b', 'c']);
    });
  });

  describe('#scard()', () => {
    it('resolves with the number of members, 0 for a missing key', async () => {
      expect(await text.scard(await set('a', 'b', 'c'))).to.equal(3);
      expect(await text.scard(await set())).to.equal(0);
    });
  });

  describe('#sdiff()', () => {
    it('resolves with the members of the first set in none of the others', async () => {
      const first = await set('a', 'b', 'c', 'd');
      const second = await set('b');
      const third = await set('d', 'e');
      expect(sorted(await text.sdiff([first, second, third]))).to.deep.equal(['a', 'c']);
      expect(sorted(await text.sdiff([first]))).to.deep.equal(['a', 'b', 'c', 'd']);
      expect(await text.sdiff([await set(), first])).to.deep.equal([]);
    });

    it('decodes with the per-call encoding', async () => {
      const members: Buffer[] = await text.sdiff([await set('a')], { encoding: null });
      expect(members).to.deep.equal([Buffer.from('a')]);
      expect(await redis.sdiff([await set('a')])).to.deep.equal([Buffer.from('a')]);
    });
  });

  describe('#sdiffstore()', () => {
    it('stores the difference in dest, replacing it, and resolves with its size', async () => {
      const dest = await set('old');
      expect(await text.sdiffstore(dest, [await set('a', 'b', 'c'), await set('b')])).to.equal(2);
      expect(await contents(dest)).to.deep.equal(['a', 'c']);
    });
  });

  describe('#sinter()', () => {
    it('resolves with the members in every set', async () => {
      const first = await set('a', 'b', 'c');
      const second = await set('b', 'c', 'd');
      expect(sorted(await text.sinter([first, second]))).to.deep.equal(['b', 'c']);
      expect(await text.sinter([first, await set()])).to.deep.equal([]);
    });

    it('decodes with the per-call encoding', async () => {
      const members: string[] = await redis.sinter([await set('a')], { encoding: 'utf8' });
      expect(members).to.deep.equal(['a']);
    });
  });

  describe('#sintercard()', () => {
    it('resolves with the size of the intersection', async () => {
      const first = await set('a', 'b', 'c', 'd');
      const second = await set('a', 'b', 'c', 'e');
      expect(await text.sintercard([first, second])).to.equal(3);
      expect(await text.sintercard([first, await set()])).to.equal(0);
    });

    it('stops counting at limit, 0 meaning no limit', async () => {
      const first = await set('a', 'b', 'c', 'd');
      const second = await set('a', 'b', 'c', 'e');
      expect(await text.sintercard([first, second], { limit: 2 })).to.equal(2);
      expect(await text.sintercard([first, second], { limit: 0 })).to.equal(3);
    });
  });

  describe('#sinterstore()', () => {
    it('stores the intersection in dest and resolves with its size', async () => {
      const dest = await set('old');
      expect(await text.sinterstore(dest, [await set('a', 'b'), await set('b', 'c')])).to.equal(1);
      expect(await contents(dest)).to.deep.equal(['b']);
    });
  });

  describe('#sismember()', () => {
    it('resolves true for a member and false otherwise', async () => {
      const key = await set('a');
      expect(await text.sismember(key, 'a')).to.equal(true);
      expect(await text.sismember(key, 'b')).to.equal(false);
      expect(await text.sismember(await set(), 'a')).to.equal(false);
    });
  });

  describe('#smembers()', () => {
    it('resolves with every member, [] for a missing key', async () => {
      expect(sorted(await text.smembers(await set('a', 'b', 'c')))).to.deep.equal(['a', 'b', 'c']);
      expect(await text.smembers(await set())).to.deep.equal([]);
    });

    it('decodes with the per-call encoding', async () => {
      const key = await set('a');
      expect(await redis.smembers(key)).to.deep.equal([Buffer.from('a')]);
      const members: string[] = await redis.smembers(key, { encoding: 'utf8' });
      expect(members).to.deep.equal(['a']);
    });
  });

  describe('#smismember()', () => {
    it('resolves whether each member is in the set, in order', async () => {
      const key = await set('a', 'c');
      expect(await text.smismember(key, ['a', 'b', 'c', 'a'])).to.deep.equal([
        true,
        false,
        true,
        true,
      ]);
      expect(await text.smismember(await set(), ['a'])).to.deep.equal([false]);
    });
  });

  describe('#smove()', () => {
    it('moves a member and resolves true, false when source lacks it', async () => {
      const source = await set('a', 'b');
      const dest = await set('z');
      expect(await text.smove(source, dest, 'a')).to.equal(true);
      expect(await contents(source)).to.deep.equal(['b']);
      expect(await contents(dest)).to.deep.equal(['a', 'z']);
      expect(await text.smove(source, dest, 'nope')).to.equal(false);
      expect(await contents(dest)).to.deep.equal(['a', 'z']);
    });
  });

  describe('#spop()', () => {
    it('removes and resolves with a member, null for a missing set', async () => {
      const key = await set('a', 'b');
      const popped = await text.spop(key);
      expect(popped).to.be.oneOf(['a', 'b']);
      expect(await contents(key)).to.deep.equal(['a', 'b'].filter((m) => m !== popped));
      expect(await text.spop(await set())).to.equal(null);
    });

    it('resolves with an array of up to count members, [] for a missing set', async () => {
      const key = await set('a', 'b', 'c');
      const popped: string[] = await text.spop(key, { count: 2 });
      expect(popped).to.have.length(2);
      expect(sorted([...popped, ...(await contents(key))])).to.deep.equal(['a', 'b', 'c']);
      expect(await text.spop(key, { count: 5 })).to.have.length(1);
      expect(await text.spop(await set('a'), { count: 0 })).to.deep.equal([]);
      expect(await text.spop(await set(), { count: 2 })).to.deep.equal([]);
    });

    it('decodes with the per-call encoding, with or without a count', async () => {
      const one: Buffer | null = await text.spop(await set('a'), { encoding: null });
      const many: Buffer[] = await text.spop(await set('b'), { count: 1, encoding: null });
      expect([one, many]).to.deep.equal([Buffer.from('a'), [Buffer.from('b')]]);
    });
  });

  describe('#srandmember()', () => {
    it('resolves with a member without removing it, null for a missing set', async () => {
      const key = await set('a', 'b');
      expect(await text.srandmember(key)).to.be.oneOf(['a', 'b']);
      expect(await contents(key)).to.deep.equal(['a', 'b']);
      expect(await text.srandmember(await set())).to.equal(null);
    });

    it('resolves with up to count distinct members', async () => {
      const key = await set('a', 'b', 'c');
      const some: string[] = await text.srandmember(key, { count: 2 });
      expect(new Set(some).size).to.equal(2);
      expect(sorted(await text.srandmember(key, { count: 10 }))).to.deep.equal(['a', 'b', 'c']);
      expect(await text.srandmember(await set(), { count: 2 })).to.deep.equal([]);
    });

    it('resolves with exactly -count members, repeats allowed, for a negative count', async () => {
      const key = await set('a');
      expect(await text.srandmember(key, { count: -3 })).to.deep.equal(['a', 'a', 'a']);
    });

    it('decodes with the per-call encoding', async () => {
      const one: string | null = await redis.srandmember(await set('a'), { encoding: 'utf8' });
      expect(one).to.equal('a');
    });
  });

  describe('#srem()', () => {
    it('removes the members and resolves with how many were there', async () => {
      const key = await set('a', 'b', 'c');
      expect(await text.srem(key, 'a', 'nope', 'c')).to.equal(2);
      expect(await contents(key)).to.deep.equal(['b']);
      expect(await text.srem(key, 'nope')).to.equal(0);
    });
  });

  describe('#sunion()', () => {
    it('resolves with the members in any set', async () => {
      const members = await text.sunion([await set('a', 'b'), await set('b', 'c'), await set()]);
      expect(sorted(members)).to.deep.equal(['a', 'b', 'c']);
    });

    it('decodes with the per-call encoding', async () => {
      const members: Buffer[] = await text.sunion([await set('a')], { encoding: null });
      expect(members).to.deep.equal([Buffer.from('a')]);
    });
  });

  describe('#sunionstore()', () => {
    it('stores the union in dest and resolves with its size', async () => {
      const dest = await set('old');
      expect(await text.sunionstore(dest, [await set('a', 'b'), await set('b', 'c')])).to.equal(3);
      expect(await contents(dest)).to.deep.equal(['a', 'b', 'c']);
    });
  });

  /** A set of `size` members `m0`, `m1`… (strings, so SSCAN walks it in several steps). */
  async function bigSet(size: number): Promise<[string, string[]]> {
    const members = Array.from({ length: size }, (_, i) => `m${i}`);
    return [await set(...members), members];
  }

  describe('#sscan()', () => {
    it('walks the set from cursor 0 to cursor "0", a batch per call', async () => {
      const [key, members] = await bigSet(100);
      const seen: string[] = [];
      let cursor: string | number = 0;
      let calls = 0;
      do {
        const [next, batch]: [string, string[]] = await text.sscan(key, cursor, { count: 10 });
        expect(next).to.be.a('string');
        seen.push(...batch);
        cursor = next;
        calls += 1;
      } while (cursor !== '0');
      expect(calls).to.be.greaterThan(1);
      expect(sorted([...new Set(seen)])).to.deep.equal(sorted(members));
    });

    it('keeps only the members matching match', async () => {
      const key = await set('apple', 'avocado', 'banana');
      const [cursor, batch] = await text.sscan(key, 0, { match: 'a*' });
      expect(cursor).to.equal('0');
      expect(sorted(batch)).to.deep.equal(['apple', 'avocado']);
      const [, raw] = await text.sscan(key, 0, { match: Buffer.from('b*') });
      expect(raw).to.deep.equal(['banana']);
    });

    it('resolves with a text cursor and Buffer members without an encoding', async () => {
      const [cursor, batch] = await redis.sscan(await set('a'));
      expect(cursor).to.equal('0');
      expect(batch).to.deep.equal([Buffer.from('a')]);
    });

    it('decodes members with the per-call encoding', async () => {
      const [cursor, batch]: [string, string[]] = await redis.sscan(await set('a'), 0, {
        encoding: 'utf8',
      });
      expect([cursor, batch]).to.deep.equal(['0', ['a']]);
    });

    it('resolves ["0", []] for a missing key', async () => {
      expect(await text.sscan(await set(), 0)).to.deep.equal(['0', []]);
    });
  });

  describe('#isscan()', () => {
    it('yields every member of the set', async () => {
      const [key, members] = await bigSet(100);
      const seen: string[] = [];
      for await (const member of text.isscan(key, { count: 10 })) seen.push(member);
      expect(sorted([...new Set(seen)])).to.deep.equal(sorted(members));
    });

    it('sends the next SSCAN only once the previous batch is used up', async () => {
      const [key] = await bigSet(100);
      const { result, sent } = await counting(text, async (sofar) => {
        const iterator = text.isscan(key, { count: 10 });
        const first = await iterator.next();
        const afterFirst = sofar.length;
        let rest = 0;
        while (!(await iterator.next()).done) rest += 1;
        return { first, afterFirst, rest };
      });
      expect(result.first.done).to.equal(false);
      expect(result.afterFirst).to.equal(1);
      expect(result.rest).to.be.at.least(99);
      expect(sent.every((command) => command === 'SSCAN')).to.equal(true);
      // About ten members a step: fewer calls than members, and more than one.
      expect(sent.length).to.be.within(2, 50);
    });

    it('yields only the members matching match, decoded with the per-call encoding', async () => {
      const key = await set('apple', 'avocado', 'banana');
      const seen: Buffer[] = [];
      for await (const member of text.isscan(key, { match: 'a*', encoding: null })) {
        seen.push(member);
      }
      expect(seen.every(Buffer.isBuffer)).to.equal(true);
      expect(sorted(seen)).to.deep.equal(['apple', 'avocado']);
    });

    it('yields nothing for a missing key', async () => {
      const seen: Buffer[] = [];
      for await (const member of redis.isscan(await set())) seen.push(member);
      expect(seen).to.deep.equal([]);
    });

    it('rejects the first next() on bad options, having sent nothing', async () => {
      const { result, sent } = await counting(text, () =>
        rejectionOf(text.isscan(uniqueKey(), { count: 0 }).next()),
      );
      expect(result).to.be.instanceOf(RangeError);
      expect(sent).to.deep.equal([]);
    });

    it('rejects with WRONGTYPE on a key holding a string', async () => {
      const key = uniqueKey('string');
      await text.execute('SET', key, 'text');
      const err = await rejectionOf(text.isscan(key).next());
      expect(err).to.be.instanceOf(ReplyError).with.property('code', 'WRONGTYPE');
    });
  });

  describe('on a key holding a string', () => {
    let str: string;
    before(async () => {
      str = uniqueKey('string');
      await text.execute('SET', str, 'text');
    });

    const calls: Array<[string, (r: Redis<string>, key: string) => Promise<unknown>]> = [
      ['sadd', (r, key) => r.sadd(key, 'a')],
      ['scard', (r, key) => r.scard(key)],
      ['sdiff', (r, key) => r.sdiff([key])],
      ['sdiffstore', (r, key) => r.sdiffstore(uniqueKey(), [key])],
      ['sinter', (r, key) => r.sinter([key])],
      ['sintercard', (r, key) => r.sintercard([key])],
      ['sinterstore', (r, key) => r.sinterstore(uniqueKey(), [key])],
      ['sismember', (r, key) => r.sismember(key, 'a')],
      ['smembers', (r, key) => r.smembers(key)],
      ['smismember', (r, key) => r.smismember(key, ['a'])],
      ['smove', (r, key) => r.smove(key, uniqueKey(), 'a')],
      ['spop', (r, key) => r.spop(key)],
      ['srandmember', (r, key) => r.srandmember(key, { count: 2 })],
      ['srem', (r, key) => r.srem(key, 'a')],
      ['sscan', (r, key) => r.sscan(key, 0)],
      ['sunion', (r, key) => r.sunion([key])],
      ['sunionstore', (r, key) => r.sunionstore(uniqueKey(), [key])],
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
    const key = uniqueKey('untouched');
    const cases: Array<
      [string, 'TypeError' | 'RangeError', (r: Redis<string>) => Promise<unknown>]
    > = [
      ['sdiff with an empty array of keys', 'TypeError', (r) => r.sdiff([])],
      ['sdiff with a key instead of an array', 'TypeError', (r) => r.sdiff(key as never)],
      ['sdiffstore with no keys', 'TypeError', (r) => r.sdiffstore(key, [])],
      ['sinter with an empty array of keys', 'TypeError', (r) => r.sinter([])],
      ['sintercard with no keys', 'TypeError', (r) => r.sintercard([])],
      ['sintercard with a negative limit', 'RangeError', (r) => r.sintercard([key], { limit: -1 })],
      [
        'sintercard with a fractional limit',
        'TypeError',
        (r) => r.sintercard([key], { limit: 1.5 }),
      ],
      ['sinterstore with no keys', 'TypeError', (r) => r.sinterstore(key, [])],
      ['smismember with no members', 'TypeError', (r) => r.smismember(key, [])],
      ['spop with a negative count', 'RangeError', (r) => r.spop(key, { count: -1 })],
      ['spop with a fractional count', 'TypeError', (r) => r.spop(key, { count: 1.5 })],
      [
        'srandmember with a fractional count',
        'TypeError',
        (r) => r.srandmember(key, { count: 0.5 }),
      ],
      ['sscan with a negative cursor', 'RangeError', (r) => r.sscan(key, -1)],
      ['sscan with a fractional cursor', 'TypeError', (r) => r.sscan(key, 1.5)],
      ['sscan with a non-decimal cursor', 'TypeError', (r) => r.sscan(key, 'abc')],
      ['sscan with count 0', 'RangeError', (r) => r.sscan(key, 0, { count: 0 })],
      ['sscan with a fractional count', 'TypeError', (r) => r.sscan(key, 0, { count: 2.5 })],
      ['sscan with a numeric match', 'TypeError', (r) => r.sscan(key, 0, { match: 5 as never })],
      ['sunion with an empty array of keys', 'TypeError', (r) => r.sunion([])],
      ['sunionstore with no keys', 'TypeError', (r) => r.sunionstore(key, [])],
    ];
    for (const [what, type, call] of cases) {
      it(`rejects ${what} with ${type} and sends nothing`, async () => {
        const { result, sent } = await counting(text, () => rejectionOf(call(text)));
        expect(result.name).to.equal(type);
        expect(sent).to.deep.equal([]);
      });
    }

    it('rejects sadd with null without creating the key', async () => {
      const err = await rejectionOf(text.sadd(key, 'a', null as unknown as string));
      expect(err).to.be.instanceOf(TypeError);
      expect(await text.execute('EXISTS', key)).to.equal(0);
    });
  });
});
