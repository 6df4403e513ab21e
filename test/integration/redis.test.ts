import { expect } from 'chai';
import {
  AuthError,
  ConnectionClosedError,
  ConnectionForcedCloseError,
  ContextRedis,
  createConnection,
  createRedis,
  createRedisPool,
  PoolClosedError,
  type ConnectionOptions,
  type PoolOptions,
  Redis,
  ReplyError,
  TimeoutError,
  WatchVariableError,
} from '../../lib';
import { GenericCommands } from '../../lib/commands/generic';
import { GeoCommands } from '../../lib/commands/geo';
import { unguarded } from '../../lib/commands/guard';
import { StringCommands } from '../../lib/commands/string';
import { COMMAND_GROUPS, mixCommands } from '../../lib/redis';
import { sharedServer } from '../helpers/hooks';
import { type RedisServer, startRedis } from '../helpers/redis-server';
import { rejectionOf, uniqueKey } from '../helpers/util';

describe('Redis', () => {
  let url: string;
  let address: [string, number] | string;
  const opened: Array<Redis<Buffer> | Redis<string>> = [];

  type Options<O> = Omit<O, 'encoding'>;

  /** createRedis on the shared server (or `at`), closed after the test. */
  async function single(options: Options<ConnectionOptions> = {}, at?: string): Promise<Redis> {
    const redis = await createRedis(at ?? url, options);
    opened.push(redis);
    return redis;
  }

  /** {@link single} with `encoding: 'utf8'`. */
  async function singleText(
    options: Options<ConnectionOptions> = {},
    at?: string,
  ): Promise<Redis<string>> {
    const redis = await createRedis(at ?? url, { ...options, encoding: 'utf8' });
    opened.push(redis);
    return redis;
  }

  /** createRedisPool on the shared server (or `at`), closed after the test. */
  async function pooled(options: Options<PoolOptions> = {}, at?: string): Promise<Redis> {
    const redis = await createRedisPool(at ?? url, options);
    opened.push(redis);
    return redis;
  }

  /** {@link pooled} with `encoding: 'utf8'`. */
  async function pooledText(
    options: Options<PoolOptions> = {},
    at?: string,
  ): Promise<Redis<string>> {
    const redis = await createRedisPool(at ?? url, { ...options, encoding: 'utf8' });
    opened.push(redis);
    return redis;
  }

  before(async () => {
    ({ url, address } = await sharedServer());
  });

  afterEach(async () => {
    const clients = opened.splice(0);
    for (const redis of clients) redis.close();
    await Promise.all(clients.map((redis) => redis.waitClosed()));
  });

  describe('createRedis()', () => {
    it('wraps one connection: connection set, pool undefined, address, db and encoding', async () => {
      const redis = await single();
      expect(redis).to.be.instanceOf(Redis);
      expect(redis.connection?.address).to.deep.equal(address);
      expect(redis.pool).to.equal(undefined);
      expect(redis.address).to.deep.equal(address);
      expect(redis.db).to.equal(0);
      expect(redis.encoding).to.equal(null);
      expect(redis.closed).to.equal(false);
      const text = await singleText({ db: 3 });
      expect(text.encoding).to.equal('utf8');
      expect(text.db).to.equal(3);
      expect(await text.connection?.execute('CLIENT', 'INFO')).to.match(/ db=3 /);
    });

    it('rejects when the server cannot be reached', async () => {
      const err = await rejectionOf(createRedis(['127.0.0.1', 1], { timeout: 1000 }));
      expect(err).to.be.instanceOf(Error);
    });
  });

  describe('createRedisPool()', () => {
    it('wraps a pool: pool set, connection undefined, address, db and encoding', async () => {
      const redis = await pooledText({ minsize: 2, maxsize: 3, db: 2 });
      expect(redis).to.be.instanceOf(Redis);
      expect(redis.connection).to.equal(undefined);
      expect(redis.pool?.minsize).to.equal(2);
      expect(redis.pool?.maxsize).to.equal(3);
      expect(redis.pool?.size).to.equal(2);
      expect(redis.address).to.deep.equal(address);
      expect(redis.db).to.equal(2);
      expect(redis.encoding).to.equal('utf8');
      expect(redis.closed).to.equal(false);
      const key = uniqueKey();
      await redis.set(key, 'in db 2');
      const probe = await singleText({ db: 2 });
      expect(await probe.get(key)).to.equal('in db 2');
    });
  });

  describe('#execute(), #executeWith() and #call()', () => {
    it('send any command and resolve with the unshaped reply', async () => {
      for (const redis of [await single(), await pooled()]) {
        const key = uniqueKey();
        expect(await redis.execute('SET', key, 'v')).to.equal('OK');
        expect(await redis.execute('GET', key)).to.deep.equal(Buffer.from('v'));
        expect(await redis.call('STRLEN', key)).to.equal(1);
        expect(await redis.call('GET', key)).to.deep.equal(Buffer.from('v'));
      }
    });

    it('executeWith decodes with the encoding given', async () => {
      for (const redis of [await single(), await pooled()]) {
        const key = uniqueKey();
        await redis.set(key, 'abc');
        expect(await redis.executeWith({ encoding: 'utf8' }, 'GET', key)).to.equal('abc');
        expect(await redis.executeWith({ encoding: 'hex' }, 'GET', key)).to.equal('616263');
      }
    });

    it('executeWith rejects with TimeoutError after timeout, and the next reply stays in step', async () => {
      const redis = await singleText();
      const err = await rejectionOf(
        redis.executeWith({ timeout: 20 }, 'BLPOP', uniqueKey('empty'), 0.2),
      );
      expect(err).to.be.instanceOf(TimeoutError);
      expect(await redis.echo('mine')).to.equal('mine');
    });

    it('reject a bad argument with TypeError', async () => {
      const redis = await single();
      expect(await rejectionOf(redis.execute('SET', 'k', undefined as never))).to.be.instanceOf(
        TypeError,
      );
      expect(await rejectionOf(redis.call('SET', 'k', true as never))).to.be.instanceOf(TypeError);
    });

    it('reject an error reply with ReplyError', async () => {
      const err = await rejectionOf((await pooled()).call('NO-SUCH-COMMAND'));
      expect(err).to.be.instanceOf(ReplyError);
      expect((err as ReplyError).code).to.equal('ERR');
    });
  });

  describe('#inTransaction', () => {
    it('follows MULTI … EXEC on a single connection', async () => {
      const redis = await single();
      expect(redis.inTransaction).to.equal(false);
      const multi = redis.execute('MULTI');
      expect(redis.inTransaction).to.equal(true);
      const queued = redis.execute('PING');
      const exec = redis.execute('EXEC');
      expect(redis.inTransaction).to.equal(false);
      expect([await multi, await queued, await exec]).to.deep.equal(['OK', 'QUEUED', ['PONG']]);
    });

    it('is always false on a pool, which refuses MULTI', async () => {
      const redis = await pooled();
      expect(await rejectionOf(redis.execute('MULTI'))).to.be.instanceOf(Error);
      expect(redis.inTransaction).to.equal(false);
    });
  });

  describe('#close(), #waitClosed() and #closed', () => {
    it('close a single connection at once, rejecting pending commands', async () => {
      const redis = await single();
      const pending = redis.execute('BLPOP', uniqueKey('empty'), 5);
      redis.close();
      expect(redis.closed).to.equal(true);
      expect(redis.connection?.closed).to.equal(true);
      expect(await rejectionOf(pending)).to.be.instanceOf(ConnectionForcedCloseError);
      await redis.waitClosed();
      expect(await rejectionOf(redis.get('k'))).to.be.instanceOf(ConnectionClosedError);
    });

    it('close a pool, after which commands reject with PoolClosedError', async () => {
      const redis = await pooled({ minsize: 2 });
      redis.close();
      expect(redis.closed).to.equal(true);
      expect(redis.pool?.closed).to.equal(true);
      await redis.waitClosed();
      expect(redis.pool?.size).to.equal(0);
      expect(await rejectionOf(redis.get('k'))).to.be.instanceOf(PoolClosedError);
    });
  });

  describe('[Symbol.asyncDispose]', () => {
    it('closes a single-connection client at the end of an await using block', async () => {
      let escaped: Redis<Buffer> | undefined;
      {
        await using redis = await createRedis(url);
        escaped = redis;
        expect(await redis.ping()).to.equal('PONG');
      }
      expect(escaped.closed).to.equal(true);
      expect(escaped.connection?.closed).to.equal(true);
    });

    it('closes a pool client at the end of an await using block', async () => {
      let escaped: Redis<Buffer> | undefined;
      {
        await using redis = await createRedisPool(url, { minsize: 2 });
        escaped = redis;
        expect(await redis.ping()).to.equal('PONG');
      }
      expect(escaped.closed).to.equal(true);
      expect(escaped.pool?.size).to.equal(0);
    });
  });

  describe('#echo()', () => {
    it("resolves with the message in the client's encoding or the call's", async () => {
      const redis = await single();
      const text = await singleText();
      expect(await redis.echo('héllo')).to.deep.equal(Buffer.from('héllo'));
      expect(await text.echo('héllo')).to.equal('héllo');
      expect(await redis.echo('héllo', { encoding: 'utf8' })).to.equal('héllo');
      expect(await text.echo('abc', { encoding: null })).to.deep.equal(Buffer.from('abc'));
      expect(await text.echo('abc', { encoding: 'base64' })).to.equal('YWJj');
      const binary = Buffer.from([0, 0xff, 0x0d, 0x0a]);
      expect(await redis.echo(binary)).to.deep.equal(binary);
      expect(await (await pooled()).echo(42)).to.deep.equal(Buffer.from('42'));
    });

    it('rejects a bad message with TypeError', async () => {
      expect(await rejectionOf((await single()).echo(null as never))).to.be.instanceOf(TypeError);
    });
  });

  describe('#ping()', () => {
    it("resolves with 'PONG' without a message and the message back with one", async () => {
      for (const redis of [await single(), await pooled()]) {
        expect(await redis.ping()).to.equal('PONG');
        expect(await redis.ping('hello')).to.deep.equal(Buffer.from('hello'));
      }
      const text = await singleText();
      expect(await text.ping('hello')).to.equal('hello');
    });
  });

  describe('#quit()', () => {
    it("closes a single connection once the server agreed, resolving with 'OK'", async () => {
      const redis = await single();
      expect(await redis.quit()).to.equal('OK');
      expect(redis.closed).to.equal(true);
      expect(await rejectionOf(redis.ping())).to.be.instanceOf(ConnectionClosedError);
    });

    it("closes a pool, resolving with 'OK'", async () => {
      const redis = await pooled({ minsize: 2 });
      expect(await redis.quit()).to.equal('OK');
      expect(redis.closed).to.equal(true);
      expect(redis.pool?.size).to.equal(0);
      expect(await rejectionOf(redis.ping())).to.be.instanceOf(PoolClosedError);
    });
  });

  describe('#select()', () => {
    it('switches the database of a single connection', async () => {
      const redis = await singleText();
      const key = uniqueKey();
      expect(await redis.select(5)).to.equal('OK');
      expect(redis.db).to.equal(5);
      await redis.set(key, 'in db 5');
      await redis.select(0);
      expect(redis.db).to.equal(0);
      expect(await redis.get(key)).to.equal(null);
      await redis.select(5);
      expect(await redis.get(key)).to.equal('in db 5');
    });

    it('switches every connection of a pool', async () => {
      const redis = await pooled({ minsize: 3 });
      const key = uniqueKey();
      expect(await redis.select(6)).to.equal('OK');
      expect(redis.db).to.equal(6);
      await Promise.all(Array.from({ length: 30 }, (_, i) => redis.set(`${key}:${i}`, i)));
      const probe = await single({ db: 6 });
      expect(
        await probe.call('EXISTS', ...Array.from({ length: 30 }, (_, i) => `${key}:${i}`)),
      ).to.equal(30);
      expect(await (await single()).call('EXISTS', `${key}:0`)).to.equal(0);
    });

    it('rejects a bad db with TypeError and leaves db alone', async () => {
      for (const redis of [await single(), await pooled()]) {
        expect(await rejectionOf(redis.select(-1))).to.be.instanceOf(TypeError);
        expect(await rejectionOf(redis.select(1.5))).to.be.instanceOf(TypeError);
        expect(redis.db).to.equal(0);
      }
    });

    it('rejects a db the server does not have with ReplyError', async () => {
      const redis = await single();
      expect(await rejectionOf(redis.select(10_000))).to.be.instanceOf(ReplyError);
      expect(redis.db).to.equal(0);
    });
  });

  describe('with a password-protected server', () => {
    let server: RedisServer;
    /** A connection of its own, so that asking for stats sends no AUTH. */
    let admin: Redis<string>;

    before(async () => {
      server = await startRedis({
        password: 'secret',
        users: [{ name: 'app', password: 'app-pw' }],
      });
      admin = await createRedis(server.url, { password: 'secret', encoding: 'utf8' });
    });

    after(async () => {
      admin.close();
      await server.stop();
    });

    /** How many AUTH commands the server has received. */
    async function authsReceived(): Promise<number> {
      const info = await admin.call<string>('INFO', 'commandstats');
      const line = info.split('\r\n').find((l) => l.startsWith('cmdstat_auth:')) ?? '';
      const counts = [...line.matchAll(/(?:calls|rejected_calls|failed_calls)=(\d+)/g)];
      return counts.reduce((sum, match) => sum + Number(match[1]), 0);
    }

    describe('#auth()', () => {
      it('authenticates a single connection with a password', async () => {
        const redis = await single({}, server.url);
        expect(await rejectionOf(redis.ping())).to.be.instanceOf(AuthError);
        expect(await redis.auth('secret')).to.equal('OK');
        expect(await redis.ping()).to.equal('PONG');
        expect(await redis.call('ACL', 'WHOAMI')).to.deep.equal(Buffer.from('default'));
      });

      it('authenticates as a user with a username', async () => {
        const redis = await singleText({}, server.url);
        expect(await redis.auth('app-pw', 'app')).to.equal('OK');
        expect(await redis.call('ACL', 'WHOAMI')).to.equal('app');
      });

      it('rejects a wrong password with AuthError, keeping the connection usable', async () => {
        const redis = await single({}, server.url);
        const err = await rejectionOf(redis.auth('wrong'));
        expect(err).to.be.instanceOf(AuthError);
        expect(err.message).not.to.include('wrong');
        expect(await redis.auth('secret')).to.equal('OK');
      });

      it('rejects on a pool with TypeError and sends nothing', async () => {
        const redis = await pooled({ password: 'secret' }, server.url);
        const before = await authsReceived();
        const err = await rejectionOf(redis.auth('secret'));
        expect(err).to.be.instanceOf(TypeError);
        expect(err.message).to.match(/createRedisPool/);
        expect(await authsReceived()).to.equal(before);
        expect(await redis.ping()).to.equal('PONG');
      });
    });

    describe('#swapdb()', () => {
      it('swaps two databases and resolves true', async () => {
        const redis = await singleText({ password: 'secret' }, server.url);
        await redis.set('swapped', 'from db 0');
        await redis.select(1);
        await redis.set('swapped', 'from db 1');
        expect(await redis.swapdb(0, 1)).to.equal(true);
        expect(await redis.get('swapped')).to.equal('from db 0');
        await redis.select(0);
        expect(await redis.get('swapped')).to.equal('from db 1');
      });

      it('works through a pool', async () => {
        const redis = await pooledText({ password: 'secret', db: 3 }, server.url);
        await redis.set('pool-swapped', 'from db 3');
        expect(await redis.swapdb(3, 4)).to.equal(true);
        expect(await redis.get('pool-swapped')).to.equal(null);
        expect(await redis.swapdb(4, 3)).to.equal(true);
        expect(await redis.get('pool-swapped')).to.equal('from db 3');
      });

      it('rejects a db the server does not have with ReplyError', async () => {
        const redis = await single({ password: 'secret' }, server.url);
        const err = await rejectionOf(redis.swapdb(0, 10_000));
        expect(err).to.be.instanceOf(ReplyError);
        expect((err as ReplyError).code).to.equal('ERR');
      });

      it('rejects non-integer or negative indexes before sending anything', async () => {
        const redis = await single({ password: 'secret' }, server.url);
        await redis.set('swap:guard', 'db0');
        expect(await rejectionOf(redis.swapdb(0, 1.5))).to.be.instanceOf(TypeError);
        expect(await rejectionOf(redis.swapdb(-1, 0))).to.be.instanceOf(RangeError);
        expect(await redis.get('swap:guard', { encoding: 'utf8' })).to.equal('db0');
        await redis.delete('swap:guard');
      });
    });
  });

  describe('#acquire()', () => {
    it('lends a pool connection out as a ContextRedis until release()', async () => {
      const redis = await pooled({ minsize: 2, maxsize: 2 });
      expect(redis.pool?.freesize).to.equal(2);
      const r = await redis.acquire();
      expect(r).to.be.instanceOf(ContextRedis);
      expect(r).to.be.instanceOf(Redis);
      expect(r.connection).not.to.equal(undefined);
      expect(r.pool).to.equal(undefined);
      expect(redis.pool?.freesize).to.equal(1);
      expect(await r.ping()).to.equal('PONG');
      const id = await r.call('CLIENT', 'ID');
      expect(await r.connection?.execute('CLIENT', 'ID')).to.equal(id);
      await r.release();
      expect(redis.pool?.freesize).to.equal(2);
      await r.release(); // idempotent
      expect(redis.pool?.freesize).to.equal(2);
      expect(r.connection?.closed).to.equal(false);
    });

    it('releases at the end of an await using block', async () => {
      const redis = await pooled({ minsize: 2, maxsize: 2 });
      {
        await using r = await redis.acquire();
        expect(redis.pool?.freesize).to.equal(1);
        expect(await r.echo('x', { encoding: 'utf8' })).to.equal('x');
      }
      expect(redis.pool?.freesize).to.equal(2);
    });

    it('runs WATCH … MULTI … EXEC on one connection; a concurrent write aborts EXEC and a retry succeeds', async () => {
      // The documented pattern: an exclusive connection per attempt, a retry on WatchVariableError.
      const redis = await pooledText({ minsize: 2, maxsize: 2 });
      const key = uniqueKey('counter');
      await redis.set(key, '10');
      const aborted: unknown[] = [];
      let attempts = 0;
      for (;;) {
        attempts += 1;
        await using r = await redis.acquire();
        await r.execute('WATCH', key);
        const value = Number(await r.get(key));
        // Another client writes the watched key through the pool's other connection meanwhile.
        if (attempts === 1) expect(await redis.incrby(key, 5)).to.equal(15);
        await r.execute('MULTI');
        expect(await r.execute('SET', key, value * 2)).to.equal('QUEUED');
        try {
          expect(await r.execute('EXEC')).to.deep.equal(['OK']);
          break;
        } catch (err) {
          if (!(err instanceof WatchVariableError)) throw err;
          aborted.push(err);
        }
      }
      expect(attempts).to.equal(2);
      expect(aborted).to.have.length(1);
      expect(await redis.get(key)).to.equal('30'); // (10 + 5) × 2: nothing lost
      expect(redis.pool?.freesize).to.equal(2);
    });

    it('keeps WATCH away from the shared pool connections', async () => {
      const redis = await pooled();
      expect(await rejectionOf(redis.execute('WATCH', uniqueKey()))).to.be.instanceOf(Error);
    });

    it('wraps the same connection on a single-connection client, and release() leaves it open', async () => {
      const redis = await single();
      const r = await redis.acquire();
      expect(r).to.be.instanceOf(ContextRedis);
      expect(r.connection).to.equal(redis.connection);
      await r.release();
      expect(redis.closed).to.equal(false);
      expect(await redis.ping()).to.equal('PONG');
      {
        await using scoped = await redis.acquire();
        expect(await scoped.ping()).to.equal('PONG');
      }
      expect(redis.closed).to.equal(false);
      expect(await redis.ping()).to.equal('PONG');
    });

    it('rejects with PoolClosedError on a closed pool', async () => {
      const redis = await pooled();
      redis.close();
      expect(await rejectionOf(redis.acquire())).to.be.instanceOf(PoolClosedError);
    });
  });

  describe('command groups', () => {
    it('puts every group method on Redis.prototype: the group’s own function behind its argument check', () => {
      let count = 0;
      for (const group of COMMAND_GROUPS) {
        for (const name of Object.getOwnPropertyNames(group.prototype)) {
          if (name === 'constructor') continue;
          const method = (group.prototype as unknown as Record<string, unknown>)[name];
          const mixed = (Redis.prototype as unknown as Record<string, object>)[name] as object;
          expect(unguarded(mixed), `${group.name}.${name}`).to.equal(method);
          expect(typeof method, `${group.name}.${name}`).to.equal('function');
          count += 1;
        }
      }
      expect(count).to.be.greaterThan(30);
      expect(unguarded(Redis.prototype.get)).to.equal(StringCommands.prototype.get);
      expect(unguarded(Redis.prototype.geoadd)).to.equal(GeoCommands.prototype.geoadd);
      expect(unguarded(Redis.prototype.exists)).to.equal(GenericCommands.prototype.exists);
      expect(unguarded(ContextRedis.prototype.get)).to.equal(StringCommands.prototype.get);
    });

    it('calls group methods with the client as this', async () => {
      const redis = await single();
      const connection = await createConnection(url);
      try {
        const key = uniqueKey();
        await StringCommands.prototype.set.call(redis, key, 'via the prototype');
        expect(await connection.execute('GET', key)).to.deep.equal(
          Buffer.from('via the prototype'),
        );
      } finally {
        connection.close();
      }
    });
  });

  describe('mixCommands()', () => {
    class Target {
      own(): string {
        return 'target';
      }
    }

    it('copies the groups’ methods onto the target prototype', () => {
      class Mixed {}
      class Strings {
        greet(): string {
          return 'hi';
        }
      }
      class Numbers {
        count(): number {
          return 1;
        }
      }
      mixCommands(Mixed, [Strings, Numbers]);
      expect(Object.getOwnPropertyNames(Mixed.prototype)).to.have.members([
        'constructor',
        'greet',
        'count',
      ]);
      expect((Mixed.prototype as unknown as Strings).greet).to.equal(Strings.prototype.greet);
    });

    it('throws when two groups define the same method', () => {
      class First {
        get(): number {
          return 1;
        }
      }
      class Second {
        get(): number {
          return 2;
        }
      }
      class Mixed {}
      expect(() => mixCommands(Mixed, [First, Second])).to.throw(
        Error,
        'get is defined by First and Second',
      );
    });

    it('throws when a group would replace a method of the target', () => {
      class Replacer {
        own(): string {
          return 'group';
        }
      }
      expect(() => mixCommands(Target, [Replacer])).to.throw(
        Error,
        'Replacer.own would replace Target.own',
      );
      expect(new Target().own()).to.equal('target');
    });
  });
});
