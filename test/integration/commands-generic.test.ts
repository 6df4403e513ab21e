import { expect } from 'chai';
import { createRedis, type Redis, ReplyError } from '../../lib';
import { sharedServer } from '../helpers/hooks';
import { type RedisServer, startRedis } from '../helpers/redis-server';
import { rejectionOf, uniqueKey } from '../helpers/util';

/** The database the tests MOVE and COPY keys into. */
const OTHER_DB = 9;
/** A database these tests expect to be empty (for RANDOMKEY's nil). */
const EMPTY_DB = 15;

describe('GenericCommands', () => {
  let url: string;
  let redis: Redis;
  let text: Redis<string>;
  let other: Redis<string>;

  before(async () => {
    url = (await sharedServer()).url;
    redis = await createRedis(url);
    text = await createRedis(url, { encoding: 'utf8' });
    other = await createRedis(url, { encoding: 'utf8', db: OTHER_DB });
  });

  after(async () => {
    for (const client of [redis, text, other]) {
      client.close();
      await client.waitClosed();
    }
  });

  /**
   * Calls `call` with `client.execute` and `client.executeWith` spied on; resolves with what the
   * call rejected with and the commands it sent (none, for input refused before sending).
   */
  async function refusal(
    client: Redis<Buffer> | Redis<string>,
    call: () => Promise<unknown>,
  ): Promise<{ err: Error; sent: string[] }> {
    const sent: string[] = [];
    const spied = client as unknown as Record<string, unknown>;
    const { execute, executeWith } = client;
    spied.execute = (command: string, ...args: never[]) => {
      sent.push(command);
      return execute.call(client, command, ...args);
    };
    spied.executeWith = (options: never, command: string, ...args: never[]) => {
      sent.push(command);
      return executeWith.call(client, options, command, ...args);
    };
    try {
      return { err: await rejectionOf(call()), sent };
    } finally {
      delete spied.execute;
      delete spied.executeWith;
    }
  }

  /** Expects `call` to reject with `type` without sending anything. */
  async function expectRefused(
    call: () => Promise<unknown>,
    type: typeof TypeError | typeof RangeError,
  ): Promise<void> {
    const { err, sent } = await refusal(redis, call);
    expect(err).to.be.instanceOf(type);
    expect(sent).to.deep.equal([]);
  }

  async function expectReplyError(promise: Promise<unknown>, code: string): Promise<ReplyError> {
    const err = await rejectionOf(promise);
    expect(err).to.be.instanceOf(ReplyError);
    expect((err as ReplyError).code).to.equal(code);
    return err as ReplyError;
  }

  describe('#del()', () => {
    it('is DEL under the name ioredis and node-redis use', async () => {
      const [a, b] = [uniqueKey(), uniqueKey()];
      await redis.set(a, '1');
      await redis.set(b, '2');
      expect(await redis.del(a, b, uniqueKey('missing'))).to.equal(2);
      expect(await redis.exists(a, b)).to.equal(0);
    });
  });

  describe('#delete()', () => {
    it('deletes the keys and resolves with how many existed', async () => {
      const [a, b] = [uniqueKey(), uniqueKey()];
      await redis.set(a, '1');
      await redis.set(b, '2');
      expect(await redis.delete(a, b, uniqueKey('missing'))).to.equal(2);
      expect(await redis.exists(a, b)).to.equal(0);
      expect(await redis.delete(a)).to.equal(0);
    });

    it('rejects a key that is not an Arg with TypeError and deletes nothing', async () => {
      const key = uniqueKey();
      await redis.set(key, 'v');
      const err = await rejectionOf(redis.delete(key, null as never));
      expect(err).to.be.instanceOf(TypeError);
      expect(await redis.exists(key)).to.equal(1);
    });
  });

  describe('#unlink()', () => {
    it('deletes the keys and resolves with how many existed', async () => {
      const [a, b] = [uniqueKey(), uniqueKey()];
      await redis.set(a, '1');
      await redis.execute('RPUSH', b, 'x', 'y');
      expect(await redis.unlink(a, b, uniqueKey('missing'))).to.equal(2);
      expect(await redis.exists(a, b)).to.equal(0);
    });
  });

  describe('#exists()', () => {
    it('counts the keys that exist, a key named twice twice', async () => {
      const key = uniqueKey();
      expect(await redis.exists(key)).to.equal(0);
      await redis.set(key, 'v');
      expect(await redis.exists(key)).to.equal(1);
      expect(await redis.exists(key, key, uniqueKey('missing'))).to.equal(2);
    });
  });

  describe('#touch()', () => {
    it('resolves with how many keys exist and resets their idle time', async () => {
      const key = uniqueKey();
      await redis.restore(key, 0, (await dumpOf('v')) as Buffer, { idletime: 1000 });
      expect(await redis.touch(key, uniqueKey('missing'))).to.equal(1);
      expect(await redis.objectIdletime(key)).to.be.lessThan(1000);
    });
  });

  describe('#type()', () => {
    it('names the type of each kind of value, and none for a missing key', async () => {
      const [str, list, hash, set, zset] = [1, 2, 3, 4, 5].map(() => uniqueKey());
      await redis.set(str as string, 'v');
      await redis.execute('RPUSH', list as string, 'x');
      await redis.execute('HSET', hash as string, 'f', 'v');
      await redis.execute('SADD', set as string, 'm');
      await redis.execute('ZADD', zset as string, 1, 'm');
      const types = await Promise.all([str, list, hash, set, zset].map((k) => redis.type(k!)));
      expect(types).to.deep.equal(['string', 'list', 'hash', 'set', 'zset']);
      expect(await redis.type(uniqueKey('missing'))).to.equal('none');
    });
  });

  describe('#expire()', () => {
    it('sets a time to live in seconds and resolves true; false for a missing key', async () => {
      const key = uniqueKey();
      await redis.set(key, 'v');
      expect(await redis.expire(key, 100)).to.equal(true);
      expect(await redis.ttl(key)).to.be.within(99, 100);
      expect(await redis.expire(uniqueKey('missing'), 100)).to.equal(false);
    });

    it('deletes the key for a time ≤ 0', async () => {
      const key = uniqueKey();
      await redis.set(key, 'v');
      expect(await redis.expire(key, -1)).to.equal(true);
      expect(await redis.exists(key)).to.equal(0);
    });

    it('honours the NX and XX conditions', async () => {
      const key = uniqueKey();
      await redis.set(key, 'v');
      expect(await redis.expire(key, 100, { condition: 'XX' })).to.equal(false);
      expect(await redis.ttl(key)).to.equal(-1);
      expect(await redis.expire(key, 100, { condition: 'NX' })).to.equal(true);
      expect(await redis.expire(key, 200, { condition: 'NX' })).to.equal(false);
      expect(await redis.ttl(key)).to.be.within(99, 100);
      expect(await redis.expire(key, 300, { condition: 'XX' })).to.equal(true);
      expect(await redis.ttl(key)).to.be.within(299, 300);
    });

    it('honours the GT and LT conditions', async () => {
      const key = uniqueKey();
      await redis.set(key, 'v', { expire: 100 });
      expect(await redis.expire(key, 50, { condition: 'GT' })).to.equal(false);
      expect(await redis.expire(key, 200, { condition: 'GT' })).to.equal(true);
      expect(await redis.ttl(key)).to.be.within(199, 200);
      expect(await redis.expire(key, 300, { condition: 'LT' })).to.equal(false);
      expect(await redis.expire(key, 50, { condition: 'LT' })).to.equal(true);
      expect(await redis.ttl(key)).to.be.within(49, 50);
    });

    it('rejects a non-integer time or an unknown condition with TypeError, sending nothing', async () => {
      const key = uniqueKey();
      await redis.set(key, 'v');
      await expectRefused(() => redis.expire(key, 1.5), TypeError);
      await expectRefused(() => redis.expire(key, NaN), TypeError);
      await expectRefused(() => redis.expire(key, 10, { condition: 'YY' as never }), TypeError);
      expect(await redis.ttl(key)).to.equal(-1);
    });
  });

  describe('#pexpire()', () => {
    it('sets a time to live in milliseconds, with a condition', async () => {
      const key = uniqueKey();
      await redis.set(key, 'v');
      expect(await redis.pexpire(key, 100_000)).to.equal(true);
      expect(await redis.pttl(key)).to.be.within(99_000, 100_000);
      expect(await redis.pexpire(key, 50_000, { condition: 'GT' })).to.equal(false);
      expect(await redis.pexpire(key, 50_000, { condition: 'LT' })).to.equal(true);
      expect(await redis.pttl(key)).to.be.within(49_000, 50_000);
      expect(await redis.pexpire(uniqueKey('missing'), 1000)).to.equal(false);
    });

    it('rejects a non-integer time with TypeError, sending nothing', async () => {
      await expectRefused(() => redis.pexpire(uniqueKey(), 0.5), TypeError);
    });
  });

  describe('#expireat()', () => {
    it('expires at a Unix time in seconds, with a condition', async () => {
      const key = uniqueKey();
      const at = Math.floor(Date.now() / 1000) + 1000;
      await redis.set(key, 'v');
      expect(await redis.expireat(key, at)).to.equal(true);
      expect(await redis.expiretime(key)).to.equal(at);
      expect(await redis.expireat(key, at + 10, { condition: 'NX' })).to.equal(false);
      expect(await redis.expireat(key, at + 10, { condition: 'GT' })).to.equal(true);
      expect(await redis.expiretime(key)).to.equal(at + 10);
    });

    it('deletes the key for a time in the past', async () => {
      const key = uniqueKey();
      await redis.set(key, 'v');
      expect(await redis.expireat(key, 1)).to.equal(true);
      expect(await redis.exists(key)).to.equal(0);
    });

    it('rejects a non-integer time with TypeError, sending nothing', async () => {
      await expectRefused(() => redis.expireat(uniqueKey(), Date.now() / 1000), TypeError);
    });
  });

  describe('#pexpireat()', () => {
    it('expires at a Unix time in milliseconds, with a condition', async () => {
      const key = uniqueKey();
      const at = Date.now() + 1_000_000;
      await redis.set(key, 'v');
      expect(await redis.pexpireat(key, at, { condition: 'XX' })).to.equal(false);
      expect(await redis.pexpireat(key, at)).to.equal(true);
      expect(await redis.pexpiretime(key)).to.equal(at);
      expect(await redis.pexpireat(key, at + 1, { condition: 'LT' })).to.equal(false);
      expect(await redis.pexpiretime(key)).to.equal(at);
    });

    it('rejects a non-integer time with TypeError, sending nothing', async () => {
      await expectRefused(() => redis.pexpireat(uniqueKey(), 1.25), TypeError);
    });
  });

  describe('#persist()', () => {
    it('removes the expiry and resolves whether there was one', async () => {
      const key = uniqueKey();
      await redis.set(key, 'v', { expire: 100 });
      expect(await redis.persist(key)).to.equal(true);
      expect(await redis.ttl(key)).to.equal(-1);
      expect(await redis.persist(key)).to.equal(false);
      expect(await redis.persist(uniqueKey('missing'))).to.equal(false);
    });
  });

  describe('#ttl() and #pttl()', () => {
    it('resolve with -2 for a missing key, -1 without expiry, else the time left', async () => {
      const key = uniqueKey();
      expect(await redis.ttl(key)).to.equal(-2);
      expect(await redis.pttl(key)).to.equal(-2);
      await redis.set(key, 'v');
      expect(await redis.ttl(key)).to.equal(-1);
      expect(await redis.pttl(key)).to.equal(-1);
      await redis.pexpire(key, 5500);
      expect(await redis.ttl(key)).to.be.within(5, 6);
      expect(await redis.pttl(key)).to.be.within(5000, 5500);
    });
  });

  describe('#expiretime() and #pexpiretime()', () => {
    it('resolve with -2 for a missing key, -1 without expiry, else the Unix time', async () => {
      const key = uniqueKey();
      expect(await redis.expiretime(key)).to.equal(-2);
      expect(await redis.pexpiretime(key)).to.equal(-2);
      await redis.set(key, 'v');
      expect(await redis.expiretime(key)).to.equal(-1);
      expect(await redis.pexpiretime(key)).to.equal(-1);
      const at = Date.now() + 60_123;
      await redis.pexpireat(key, at);
      expect(await redis.pexpiretime(key)).to.equal(at);
      expect(await redis.expiretime(key)).to.equal(Math.round(at / 1000));
    });
  });

  describe('#keys()', () => {
    it('resolves with the keys matching a pattern, as Buffers', async () => {
      const prefix = uniqueKey('keys');
      await redis.mset({ [`${prefix}:a`]: '1', [`${prefix}:b`]: '2', [`${prefix}-c`]: '3' });
      const keys = await redis.keys(`${prefix}:*`);
      expect(keys.every((key) => Buffer.isBuffer(key))).to.equal(true);
      expect(keys.map(String).sort()).to.deep.equal([`${prefix}:a`, `${prefix}:b`]);
      expect(await redis.keys(`${prefix}:nothing*`)).to.deep.equal([]);
    });

    it('decodes with the call encoding, or the client one', async () => {
      const prefix = uniqueKey('keys');
      await redis.set(`${prefix}:a`, '1');
      const utf8: string[] = await redis.keys(`${prefix}:*`, { encoding: 'utf8' });
      expect(utf8).to.deep.equal([`${prefix}:a`]);
      expect(await text.keys(`${prefix}:*`)).to.deep.equal([`${prefix}:a`]);
      const raw: Buffer[] = await text.keys(`${prefix}:*`, { encoding: null });
      expect(raw).to.deep.equal([Buffer.from(`${prefix}:a`)]);
    });
  });

  describe('#randomkey()', () => {
    it('resolves with an existing key, decoded with the call encoding', async () => {
      await redis.set(uniqueKey(), 'v');
      const key = await redis.randomkey();
      expect(Buffer.isBuffer(key)).to.equal(true);
      expect(await redis.exists(key as Buffer)).to.equal(1);
      const name = await redis.randomkey({ encoding: 'utf8' });
      expect(name).to.be.a('string');
      expect(await text.randomkey()).to.be.a('string');
    });

    it('resolves with null in an empty database', async () => {
      const empty = await createRedis(url, { db: EMPTY_DB });
      try {
        expect(await empty.execute('DBSIZE')).to.equal(0);
        expect(await empty.randomkey()).to.equal(null);
      } finally {
        empty.close();
      }
    });
  });

  describe('#rename()', () => {
    it('renames the key, replacing the new name, and resolves true', async () => {
      const [key, newkey] = [uniqueKey(), uniqueKey()];
      await redis.set(key, 'value');
      await redis.set(newkey, 'old');
      expect(await redis.rename(key, newkey)).to.equal(true);
      expect(await redis.exists(key)).to.equal(0);
      expect(await text.get(newkey)).to.equal('value');
    });

    it('rejects with ReplyError ERR for a missing key', async () => {
      await expectReplyError(redis.rename(uniqueKey('missing'), uniqueKey()), 'ERR');
    });
  });

  describe('#renamenx()', () => {
    it('renames only when the new name is free, resolving whether it did', async () => {
      const [key, taken, free] = [uniqueKey(), uniqueKey(), uniqueKey()];
      await redis.mset({ [key]: 'value', [taken]: 'other' });
      expect(await redis.renamenx(key, taken)).to.equal(false);
      expect(await text.mget([key, taken])).to.deep.equal(['value', 'other']);
      expect(await redis.renamenx(key, free)).to.equal(true);
      expect(await text.mget([key, free])).to.deep.equal([null, 'value']);
    });

    it('rejects with ReplyError ERR for a missing key', async () => {
      await expectReplyError(redis.renamenx(uniqueKey('missing'), uniqueKey()), 'ERR');
    });
  });

  describe('#move()', () => {
    it('moves the key to another database and resolves whether it did', async () => {
      const key = uniqueKey();
      await redis.set(key, 'here');
      expect(await redis.move(key, OTHER_DB)).to.equal(true);
      expect(await redis.exists(key)).to.equal(0);
      expect(await other.get(key)).to.equal('here');
      await redis.set(key, 'again');
      expect(await redis.move(key, OTHER_DB)).to.equal(false);
      expect(await redis.exists(key)).to.equal(1);
      expect(await redis.move(uniqueKey('missing'), OTHER_DB)).to.equal(false);
      await other.delete(key);
    });

    it('rejects with ReplyError ERR when moving into the same database', async () => {
      const key = uniqueKey();
      await redis.set(key, 'v');
      await expectReplyError(redis.move(key, redis.db), 'ERR');
    });

    it('rejects a bad db with TypeError or RangeError, sending nothing', async () => {
      const key = uniqueKey();
      await redis.set(key, 'v');
      await expectRefused(() => redis.move(key, 1.5), TypeError);
      await expectRefused(() => redis.move(key, '1' as never), TypeError);
      await expectRefused(() => redis.move(key, -1), RangeError);
      expect(await redis.exists(key)).to.equal(1);
    });
  });

  describe('#copy()', () => {
    it('copies the value and resolves true; false when the destination exists', async () => {
      const [source, dest] = [uniqueKey(), uniqueKey()];
      await redis.execute('RPUSH', source, 'a', 'b');
      expect(await redis.copy(source, dest)).to.equal(true);
      expect(await text.execute('LRANGE', dest, 0, -1)).to.deep.equal(['a', 'b']);
      expect(await redis.exists(source)).to.equal(1);
      await redis.execute('RPUSH', source, 'c');
      expect(await redis.copy(source, dest)).to.equal(false);
      expect(await text.execute('LRANGE', dest, 0, -1)).to.deep.equal(['a', 'b']);
      expect(await redis.copy(uniqueKey('missing'), dest)).to.equal(false);
    });

    it('replaces the destination with replace', async () => {
      const [source, dest] = [uniqueKey(), uniqueKey()];
      await redis.mset({ [source]: 'new', [dest]: 'old' });
      expect(await redis.copy(source, dest, { replace: true })).to.equal(true);
      expect(await text.get(dest)).to.equal('new');
    });

    it('copies into another database with db', async () => {
      const key = uniqueKey();
      await redis.set(key, 'v');
      expect(await redis.copy(key, key, { db: OTHER_DB })).to.equal(true);
      expect(await other.get(key)).to.equal('v');
      await other.set(key, 'there');
      expect(await redis.copy(key, key, { db: OTHER_DB })).to.equal(false);
      expect(await redis.copy(key, key, { db: OTHER_DB, replace: true })).to.equal(true);
      expect(await other.get(key)).to.equal('v');
      await other.delete(key);
    });

    it('rejects with ReplyError ERR for the same source and destination', async () => {
      const key = uniqueKey();
      await redis.set(key, 'v');
      await expectReplyError(redis.copy(key, key), 'ERR');
    });

    it('rejects a bad db with TypeError or RangeError, sending nothing', async () => {
      const [source, dest] = [uniqueKey(), uniqueKey()];
      await redis.set(source, 'v');
      await expectRefused(() => redis.copy(source, dest, { db: 0.5 }), TypeError);
      await expectRefused(() => redis.copy(source, dest, { db: -1 }), RangeError);
      expect(await redis.exists(dest)).to.equal(0);
    });
  });

  /** A DUMP of a string holding `value`. */
  async function dumpOf(value: string): Promise<Buffer | null> {
    const key = uniqueKey('dumped');
    await redis.set(key, value);
    return redis.dump(key);
  }

  describe('#dump()', () => {
    it('resolves with the serialized value as a Buffer, on any client', async () => {
      const key = uniqueKey();
      await redis.set(key, 'hello');
      const dumped = await text.dump(key);
      expect(Buffer.isBuffer(dumped)).to.equal(true);
      expect(dumped).to.deep.equal(await redis.dump(key));
      expect((dumped as Buffer).includes('hello')).to.equal(true);
    });

    it('resolves with null for a missing key', async () => {
      expect(await redis.dump(uniqueKey('missing'))).to.equal(null);
    });
  });

  describe('#restore()', () => {
    it('recreates a dumped value and resolves true', async () => {
      const [source, key] = [uniqueKey(), uniqueKey()];
      await redis.execute('SADD', source, 'a', 'b');
      expect(await redis.restore(key, 0, (await redis.dump(source)) as Buffer)).to.equal(true);
      expect(((await text.execute('SMEMBERS', key)) as string[]).sort()).to.deep.equal(['a', 'b']);
      expect(await redis.ttl(key)).to.equal(-1);
    });

    it('sets a time to live in milliseconds, or a Unix time with absttl', async () => {
      const [key, absolute] = [uniqueKey(), uniqueKey()];
      const dumped = (await dumpOf('v')) as Buffer;
      expect(await redis.restore(key, 100_000, dumped)).to.equal(true);
      expect(await redis.pttl(key)).to.be.within(99_000, 100_000);
      const at = Date.now() + 200_000;
      expect(await redis.restore(absolute, at, dumped, { absttl: true })).to.equal(true);
      expect(await redis.pexpiretime(absolute)).to.equal(at);
    });

    it('rejects with ReplyError BUSYKEY for an existing key, unless replace', async () => {
      const key = uniqueKey();
      await redis.set(key, 'old');
      const dumped = (await dumpOf('new')) as Buffer;
      await expectReplyError(redis.restore(key, 0, dumped), 'BUSYKEY');
      expect(await text.get(key)).to.equal('old');
      expect(await redis.restore(key, 0, dumped, { replace: true })).to.equal(true);
      expect(await text.get(key)).to.equal('new');
    });

    it('sets the idle time with idletime', async () => {
      const key = uniqueKey();
      expect(
        await redis.restore(key, 0, (await dumpOf('v')) as Buffer, { idletime: 500 }),
      ).to.equal(true);
      expect(await redis.objectIdletime(key)).to.be.within(500, 501);
    });

    it('rejects with ReplyError ERR for a payload that is not a DUMP', async () => {
      const key = uniqueKey();
      await expectReplyError(redis.restore(key, 0, Buffer.from('not a dump')), 'ERR');
      expect(await redis.exists(key)).to.equal(0);
    });

    it('rejects bad ttl, idletime and freq with TypeError or RangeError, sending nothing', async () => {
      const key = uniqueKey();
      const dumped = (await dumpOf('v')) as Buffer;
      await expectRefused(() => redis.restore(key, 1.5, dumped), TypeError);
      await expectRefused(() => redis.restore(key, -1, dumped), RangeError);
      await expectRefused(() => redis.restore(key, 0, dumped, { idletime: -1 }), RangeError);
      await expectRefused(() => redis.restore(key, 0, dumped, { idletime: 0.5 }), TypeError);
      await expectRefused(() => redis.restore(key, 0, dumped, { freq: 256 }), RangeError);
      await expectRefused(() => redis.restore(key, 0, dumped, { idletime: 1, freq: 1 }), TypeError);
      expect(await redis.exists(key)).to.equal(0);
    });
  });

  describe('#objectEncoding()', () => {
    it('resolves with the internal representation as a string, null for a missing key', async () => {
      const [int, str, hash] = [uniqueKey(), uniqueKey(), uniqueKey()];
      await redis.mset({ [int]: '12345', [str]: 'text' });
      await redis.execute('HSET', hash, 'f', 'v');
      expect(await redis.objectEncoding(int)).to.equal('int');
      expect(await redis.objectEncoding(str)).to.equal('embstr');
      expect(await redis.objectEncoding(hash)).to.equal('listpack');
      expect(await redis.objectEncoding(uniqueKey('missing'))).to.equal(null);
    });
  });

  describe('#objectRefcount()', () => {
    it('resolves with the reference count, null for a missing key', async () => {
      const key = uniqueKey();
      await redis.execute('RPUSH', key, 'x');
      expect(await redis.objectRefcount(key)).to.equal(1);
      expect(await redis.objectRefcount(uniqueKey('missing'))).to.equal(null);
    });
  });

  describe('#objectIdletime()', () => {
    it('resolves with the seconds since the last access, null for a missing key', async () => {
      const key = uniqueKey();
      await redis.set(key, 'v');
      expect(await redis.objectIdletime(key)).to.equal(0);
      expect(await redis.objectIdletime(uniqueKey('missing'))).to.equal(null);
    });
  });

  describe('#objectFreq()', () => {
    it('rejects with ReplyError ERR unless an LFU policy is set', async () => {
      const key = uniqueKey();
      await redis.set(key, 'v');
      const err = await expectReplyError(redis.objectFreq(key), 'ERR');
      expect(err.message).to.contain('LFU');
    });

    it('resolves with the access frequency counter under an LFU policy', async () => {
      const [, policy] = await text.execute<[string, string]>('CONFIG', 'GET', 'maxmemory-policy');
      await text.execute('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu');
      try {
        const key = uniqueKey();
        expect(await redis.restore(key, 0, (await dumpOf('v')) as Buffer, { freq: 77 })).to.equal(
          true,
        );
        expect(await redis.objectFreq(key)).to.equal(77);
        expect(await redis.objectFreq(uniqueKey('missing'))).to.equal(null);
      } finally {
        await text.execute('CONFIG', 'SET', 'maxmemory-policy', policy);
      }
    });
  });

  describe('#scan()', () => {
    /** Walks SCAN with `options` to the end; resolves with the keys as text and the calls made. */
    async function walk(options: Parameters<Redis['scan']>[1]): Promise<[string[], number]> {
      const keys: string[] = [];
      let cursor = '0';
      let calls = 0;
      do {
        const [next, batch] = await redis.scan(cursor, options);
        expect(next).to.be.a('string');
        calls += 1;
        cursor = next;
        keys.push(...batch.map(String));
      } while (cursor !== '0');
      return [keys.sort(), calls];
    }

    it('walks every matching key, cursor by cursor', async () => {
      const prefix = uniqueKey('scan');
      const expected = Array.from({ length: 12 }, (_, i) => `${prefix}:${String(i).padStart(2)}`);
      await redis.mset(Object.fromEntries(expected.map((key) => [key, 'v'])));
      const [keys, calls] = await walk({ match: `${prefix}:*`, count: 5 });
      expect([...new Set(keys)]).to.deep.equal(expected.sort());
      expect(calls).to.be.greaterThan(1);
    });

    it('resolves with a string cursor and Buffer keys, or strings with an encoding', async () => {
      const key = uniqueKey('scan');
      await redis.set(key, 'v');
      const [cursor, keys] = await redis.scan(0, { match: key, count: 1_000_000 });
      expect(cursor).to.equal('0');
      expect(keys).to.deep.equal([Buffer.from(key)]);
      const [, decoded] = await redis.scan('0', { match: key, count: 1_000_000, encoding: 'utf8' });
      expect(decoded).to.deep.equal([key]);
      const [, textKeys] = await text.scan(0, { match: key, count: 1_000_000 });
      expect(textKeys).to.deep.equal([key]);
    });

    it('keeps only keys of a type with type', async () => {
      const prefix = uniqueKey('scan');
      await redis.set(`${prefix}:string`, 'v');
      await redis.execute('RPUSH', `${prefix}:list`, 'x');
      const [keys] = await walk({ match: `${prefix}:*`, count: 1000, type: 'list' });
      expect(keys).to.deep.equal([`${prefix}:list`]);
    });

    it('rejects a cursor that is not a decimal string with TypeError, sending nothing', async () => {
      await expectRefused(() => redis.scan('not-a-cursor'), TypeError);
    });

    it('rejects a bad cursor, count or type with TypeError or RangeError, sending nothing', async () => {
      await expectRefused(() => redis.scan(-1), RangeError);
      await expectRefused(() => redis.scan(1.5), TypeError);
      await expectRefused(() => redis.scan(0, { count: 0 }), RangeError);
      await expectRefused(() => redis.scan(0, { count: 2.5 }), TypeError);
      await expectRefused(() => redis.scan(0, { type: 1 as never }), TypeError);
    });
  });

  describe('#iscan()', () => {
    it('yields every matching key across cursors', async () => {
      const prefix = uniqueKey('iscan');
      const expected = Array.from({ length: 12 }, (_, i) => `${prefix}:${i}`);
      await redis.mset(Object.fromEntries(expected.map((key) => [key, 'v'])));
      const seen = new Set<string>();
      for await (const key of redis.iscan({ match: `${prefix}:*`, count: 5 })) {
        expect(Buffer.isBuffer(key)).to.equal(true);
        seen.add(String(key));
      }
      expect([...seen].sort()).to.deep.equal(expected.sort());
    });

    it('filters by type and decodes with the call encoding', async () => {
      const prefix = uniqueKey('iscan');
      await redis.set(`${prefix}:string`, 'v');
      await redis.execute('SADD', `${prefix}:set`, 'm');
      const keys: string[] = [];
      const options = { match: `${prefix}:*`, count: 1000, type: 'set', encoding: 'utf8' } as const;
      for await (const key of redis.iscan(options)) keys.push(key);
      expect(keys).to.deep.equal([`${prefix}:set`]);
    });

    it('sends one SCAN per used-up batch and stops at cursor 0', async () => {
      const batches: Array<[string, string[]]> = [
        ['7', ['a', 'b']],
        ['9', []],
        ['0', ['c']],
      ];
      const cursors: Array<string | number> = [];
      const lazy = Object.create(text) as Redis<string>;
      (lazy as unknown as { scan: unknown }).scan = (cursor: string | number) => {
        cursors.push(cursor);
        return Promise.resolve(batches[cursors.length - 1]);
      };
      const iterator = lazy.iscan();
      expect(cursors).to.deep.equal([]);
      expect(await iterator.next()).to.deep.equal({ value: 'a', done: false });
      expect(await iterator.next()).to.deep.equal({ value: 'b', done: false });
      expect(cursors).to.deep.equal(['0']);
      expect(await iterator.next()).to.deep.equal({ value: 'c', done: false });
      expect(cursors).to.deep.equal(['0', '7', '9']);
      expect((await iterator.next()).done).to.equal(true);
      expect(cursors).to.have.length(3);
    });

    it('rejects on the first step for bad options, sending nothing', async () => {
      await expectRefused(() => redis.iscan({ count: -5 }).next(), RangeError);
    });
  });

  describe('#sort()', () => {
    it('sorts numbers ascending, or descending with asc: false', async () => {
      const key = uniqueKey();
      await redis.execute('RPUSH', key, '3', '10', '1', '2');
      const sorted: Buffer[] = await redis.sort(key);
      expect(sorted).to.deep.equal(['1', '2', '3', '10'].map((v) => Buffer.from(v)));
      expect(await text.sort(key, { asc: true })).to.deep.equal(['1', '2', '3', '10']);
      expect(await text.sort(key, { asc: false })).to.deep.equal(['10', '3', '2', '1']);
    });

    it('sorts as strings with alpha, and pages with offset and count', async () => {
      const key = uniqueKey();
      await redis.execute('SADD', key, '3', '10', '1', '2');
      expect(await text.sort(key, { alpha: true })).to.deep.equal(['1', '10', '2', '3']);
      expect(await text.sort(key, { alpha: true, offset: 1, count: 2 })).to.deep.equal(['10', '2']);
      expect(await text.sort(key, { asc: false, offset: 0, count: 1 })).to.deep.equal(['10']);
    });

    it('sorts by other keys with by, and returns other keys with get (null when missing)', async () => {
      const key = uniqueKey();
      await redis.execute('RPUSH', key, 'x', 'y', 'z');
      await redis.mset({ [`${key}:w:x`]: '3', [`${key}:w:y`]: '1', [`${key}:w:z`]: '2' });
      await redis.mset({ [`${key}:name:x`]: 'ex', [`${key}:name:y`]: 'why' });
      expect(await text.sort(key, { by: `${key}:w:*` })).to.deep.equal(['y', 'z', 'x']);
      const got: Array<string | null> = await text.sort(key, {
        by: `${key}:w:*`,
        get: ['#', `${key}:name:*`],
      });
      expect(got).to.deep.equal(['y', 'why', 'z', null, 'x', 'ex']);
      expect(await text.sort(key, { by: 'nosort' })).to.deep.equal(['x', 'y', 'z']);
    });

    it('stores the result with store and resolves with its length', async () => {
      const [key, dest] = [uniqueKey(), uniqueKey()];
      await redis.execute('ZADD', key, 1, 'b', 2, 'a');
      const length: number = await redis.sort(key, { alpha: true, store: dest });
      expect(length).to.equal(2);
      expect(await text.execute('LRANGE', dest, 0, -1)).to.deep.equal(['a', 'b']);
    });

    it('decodes with the call encoding', async () => {
      const key = uniqueKey();
      await text.execute('RPUSH', key, '2', '1');
      const raw: Buffer[] = await text.sort(key, { encoding: null });
      expect(raw).to.deep.equal([Buffer.from('1'), Buffer.from('2')]);
      const hex: string[] = await redis.sort(key, { encoding: 'hex' });
      expect(hex).to.deep.equal(['31', '32']);
    });

    it('rejects with ReplyError WRONGTYPE for a string, ERR for non-numbers without alpha', async () => {
      const [str, words] = [uniqueKey(), uniqueKey()];
      await redis.set(str, 'v');
      await redis.execute('RPUSH', words, 'b', 'a');
      await expectReplyError(redis.sort(str), 'WRONGTYPE');
      await expectReplyError(redis.sort(words), 'ERR');
    });

    it('rejects bad options with TypeError, sending nothing', async () => {
      const [key, dest] = [uniqueKey(), uniqueKey()];
      await redis.execute('RPUSH', key, '1');
      await expectRefused(() => redis.sort(key, { offset: 1, store: dest }), TypeError);
      await expectRefused(() => redis.sort(key, { count: 1 }), TypeError);
      await expectRefused(() => redis.sort(key, { offset: 0.5, count: 1 }), TypeError);
      await expectRefused(() => redis.sort(key, { get: 'x' as never }), TypeError);
      await expectRefused(() => redis.sort(key, { asc: 'DESC' as never, store: dest }), TypeError);
      expect(await redis.exists(dest)).to.equal(0);
    });

    it('is typed by its options', async () => {
      const key = uniqueKey();
      // @ts-expect-error elements can be null with get patterns
      const elements: Buffer[] = await redis.sort(key, { get: ['#'] });
      // @ts-expect-error a sort with store resolves with a number
      const stored: Buffer[] = await redis.sort(key, { store: uniqueKey() });
      expect([elements, stored]).to.deep.equal([[], 0]);
    });
  });

  describe('#sortRo()', () => {
    it('sorts with the same options but store', async () => {
      const key = uniqueKey();
      await redis.execute('RPUSH', key, 'b', 'c', 'a');
      await redis.mset({ [`${key}:v:a`]: 'A', [`${key}:v:c`]: 'C' });
      expect(await text.sortRo(key, { alpha: true, asc: false })).to.deep.equal(['c', 'b', 'a']);
      expect(
        await redis.sortRo(key, {
          alpha: true,
          get: [`${key}:v:*`],
          offset: 0,
          count: 2,
          encoding: 'utf8',
        }),
      ).to.deep.equal(['A', null]);
      // @ts-expect-error SORT_RO cannot store
      void redis.sortRo(key, { store: uniqueKey() }).catch(() => undefined);
    });

    it('rejects with ReplyError WRONGTYPE for a string', async () => {
      const key = uniqueKey();
      await redis.set(key, 'v');
      await expectReplyError(redis.sortRo(key), 'WRONGTYPE');
    });

    it('rejects bad options with TypeError, sending nothing', async () => {
      await expectRefused(() => redis.sortRo(uniqueKey(), { offset: 1 }), TypeError);
    });
  });

  describe('#wait()', () => {
    it('resolves with the number of replicas that acknowledged (none here)', async () => {
      await redis.set(uniqueKey(), 'v');
      expect(await redis.wait(0, 0)).to.equal(0);
      const started = Date.now();
      expect(await redis.wait(1, 50)).to.equal(0);
      expect(Date.now() - started).to.be.at.least(40);
    });

    it('rejects bad arguments with TypeError or RangeError, sending nothing', async () => {
      await expectRefused(() => redis.wait(1.5, 0), TypeError);
      await expectRefused(() => redis.wait(0, -1), RangeError);
      await expectRefused(() => redis.wait(-1, 0), RangeError);
    });
  });

  describe('#migrate() and #migrateKeys()', () => {
    const password = 'migrate-secret';
    let target: RedisServer;
    let remote: Redis<string>;

    before(async () => {
      target = await startRedis({
        password,
        users: [{ name: 'mover', password: 'mover-secret' }],
      });
      remote = await createRedis(target.url, { password, encoding: 'utf8', db: 2 });
    });

    after(async () => {
      remote.close();
      await target.stop();
    });

    it('moves a key to another server and resolves true', async () => {
      const key = uniqueKey();
      await redis.set(key, 'travelling', { expire: 1000 });
      expect(await redis.migrate(target.host, target.port, key, 2, 5000, { password })).to.equal(
        true,
      );
      expect(await redis.exists(key)).to.equal(0);
      expect(await remote.get(key)).to.equal('travelling');
      expect(await remote.ttl(key)).to.be.within(990, 1000);
    });

    it('resolves false when the key does not exist', async () => {
      const key = uniqueKey('missing');
      expect(await redis.migrate(target.host, target.port, key, 2, 5000, { password })).to.equal(
        false,
      );
    });

    it('keeps the local key with copy, and overwrites the remote one with replace', async () => {
      const key = uniqueKey();
      await redis.set(key, 'local');
      await remote.set(key, 'remote');
      const options = { password, copy: true };
      await expectReplyError(redis.migrate(target.host, target.port, key, 2, 5000, options), 'ERR');
      expect(await remote.get(key)).to.equal('remote');
      expect(
        await redis.migrate(target.host, target.port, key, 2, 5000, { ...options, replace: true }),
      ).to.equal(true);
      expect(await remote.get(key)).to.equal('local');
      expect(await text.get(key)).to.equal('local');
    });

    it('authenticates as an ACL user with username and password', async () => {
      const key = uniqueKey();
      await redis.set(key, 'v');
      const auth = { username: 'mover', password: 'mover-secret' };
      expect(await redis.migrate(target.host, target.port, key, 2, 5000, auth)).to.equal(true);
      expect(await remote.get(key)).to.equal('v');
    });

    it('rejects with ReplyError ERR when the target refuses the credentials', async () => {
      const key = uniqueKey();
      await redis.set(key, 'v');
      const { host, port } = target;
      for (const auth of [{ password: 'wrong' }, { username: 'mover', password }]) {
        const err = await expectReplyError(redis.migrate(host, port, key, 2, 5000, auth), 'ERR');
        expect(err.message).to.contain('WRONGPASS');
      }
      // Only the local side is checked: MIGRATE reuses its cached, already authenticated socket to
      // the target, where the RESTORE sent after the failed AUTH still runs.
      expect(await redis.exists(key)).to.equal(1);
    });

    it('moves several keys at once with migrateKeys', async () => {
      const [a, b, missing] = [uniqueKey(), uniqueKey(), uniqueKey('missing')];
      await redis.mset({ [a]: '1', [b]: '2' });
      expect(
        await redis.migrateKeys(target.host, target.port, [a, b, missing], 2, 5000, { password }),
      ).to.equal(true);
      expect(await redis.exists(a, b)).to.equal(0);
      expect(await remote.mget([a, b])).to.deep.equal(['1', '2']);
      expect(
        await redis.migrateKeys(target.host, target.port, [missing], 2, 5000, { password }),
      ).to.equal(false);
    });

    it('rejects bad arguments with TypeError or RangeError, sending nothing', async () => {
      const key = uniqueKey();
      await redis.set(key, 'v');
      const { host, port } = target;
      await expectRefused(() => redis.migrate('', port, key, 0, 1000), RangeError);
      await expectRefused(() => redis.migrate(1 as never, port, key, 0, 1000), TypeError);
      await expectRefused(() => redis.migrate(host, 70000, key, 0, 1000), RangeError);
      await expectRefused(() => redis.migrate(host, port, key, 0.5, 1000), TypeError);
      await expectRefused(() => redis.migrate(host, port, key, -1, 1000), RangeError);
      await expectRefused(() => redis.migrate(host, port, key, 0, -1), RangeError);
      await expectRefused(
        () => redis.migrate(host, port, key, 0, 1000, { username: 'u' }),
        TypeError,
      );
      await expectRefused(() => redis.migrateKeys(host, port, [], 0, 1000), TypeError);
      expect(await redis.exists(key)).to.equal(1);
    });
  });
});
