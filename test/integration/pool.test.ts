import * as net from 'node:net';
import { expect } from 'chai';
import {
  type AcquireOptions,
  AuthError,
  ConnectionClosedError,
  ConnectionForcedCloseError,
  type ConnectionsPool,
  createConnection,
  createPool,
  PoolClosedError,
  type PoolOptions,
  type RedisConnection,
  RedisError,
  TimeoutError,
} from '../../lib';
import { sharedServer } from '../helpers/hooks';
import { type RedisServer, startRedis } from '../helpers/redis-server';
import { eventually, rejectionOf, uniqueKey } from '../helpers/util';

/** The CLIENT LIST lines of the server `admin` is connected to; only those named `name` if given. */
async function clients(admin: RedisConnection, name?: string): Promise<string[]> {
  const lines = String(await admin.execute('CLIENT', 'LIST')).split('\n');
  return lines.filter(
    (line) => line.startsWith('id=') && (name === undefined || line.includes(` name=${name} `)),
  );
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A TCP port nothing listens on (bound, then released). */
async function unusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('ConnectionsPool', () => {
  let url: string;
  let address: [string, number] | string;
  /** A plain connection to the shared server, for CLIENT LIST, CLIENT KILL and INFO. */
  let admin: RedisConnection;
  const pools: ConnectionsPool[] = [];

  /**
   * createPool on the shared server (or `at`), closed after the test. Round 1's pool, which these
   * tests pin down: a lost connection is dropped, not replaced (pool-reconnect.test.ts has the
   * pool that reconnects, the default).
   */
  async function open(options: PoolOptions = {}, at?: string): Promise<ConnectionsPool> {
    const pool = await createPool(at ?? url, { reconnect: false, ...options });
    pools.push(pool);
    return pool;
  }

  before(async () => {
    ({ url, address } = await sharedServer());
    admin = await createConnection(url);
  });

  after(async () => {
    admin.close();
    await admin.waitClosed();
  });

  afterEach(async () => {
    const open = pools.splice(0);
    for (const pool of open) pool.close();
    await Promise.all(open.map((pool) => pool.waitClosed()));
  });

  describe('createPool()', () => {
    it('opens minsize connections, each answering PING, before it resolves', async () => {
      const name = uniqueKey('pool');
      const pool = await open({ minsize: 3, maxsize: 5, name });
      expect(pool.size).to.equal(3);
      expect(pool.freesize).to.equal(3);
      const lines = await clients(admin, name);
      expect(lines).to.have.length(3);
      for (const line of lines) expect(line).to.include(' cmd=ping ');
    });

    it('opens nothing up front when minsize is 0', async () => {
      const name = uniqueKey('pool');
      const pool = await open({ minsize: 0, maxsize: 2, name });
      expect(pool.size).to.equal(0);
      expect(await clients(admin, name)).to.have.length(0);
      expect(await pool.execute('PING')).to.equal('PONG');
      expect(pool.size).to.equal(1);
    });

    it('rejects non-integer sizes and non-object options with TypeError', async () => {
      const bad: unknown[] = [1.5, '2', NaN, Infinity, null];
      for (const value of bad) {
        const size = value as number;
        expect(await rejectionOf(createPool(url, { minsize: size }))).to.be.instanceOf(TypeError);
        expect(await rejectionOf(createPool(url, { maxsize: size }))).to.be.instanceOf(TypeError);
      }
      const notAnObject = 'minsize=1' as unknown as PoolOptions;
      expect(await rejectionOf(createPool(url, notAnObject))).to.be.instanceOf(TypeError);
    });

    it('rejects an unknown option with TypeError and opens nothing: { maxSize: 2 }', async () => {
      const before = (await clients(admin)).length;
      const err = await rejectionOf(createPool(url, { maxSize: 2 } as PoolOptions));
      expect(err).to.be.instanceOf(TypeError);
      expect(err.message).to.equal("createPool() has no option 'maxSize'; did you mean 'maxsize'?");
      expect((await clients(admin)).length).to.equal(before);
    });

    it('rejects minsize < 0, maxsize < 1 and minsize > maxsize with RangeError', async () => {
      const bad: PoolOptions[] = [{ minsize: -1 }, { maxsize: 0 }, { minsize: 3, maxsize: 2 }];
      for (const options of bad) {
        expect(await rejectionOf(createPool(url, options))).to.be.instanceOf(RangeError);
      }
    });

    it('rejects with ConnectionClosedError when nothing listens on the port', async () => {
      const err = await rejectionOf(createPool(['127.0.0.1', await unusedPort()], { minsize: 2 }));
      expect(err).to.be.instanceOf(ConnectionClosedError);
      expect((err as RedisError).code).to.equal('REDMUX_ERR_CONNECTION_CLOSED');
    });

    describe('against a server that refuses some connections', () => {
      // Password-protected, and full at 3 clients (the admin connection is one of them).
      let server: RedisServer;
      let serverAdmin: RedisConnection;

      before(async () => {
        server = await startRedis({ password: 'secret', args: ['--maxclients', '3'] });
        serverAdmin = await createConnection(server.url, { password: 'secret' });
      });

      after(async () => {
        serverAdmin.close();
        await server.stop();
      });

      it('rejects with AuthError on a wrong password and leaves no connection open', async () => {
        const err = await rejectionOf(createPool(server.url, { minsize: 2, password: 'wrong' }));
        expect(err).to.be.instanceOf(AuthError);
        expect((err as RedisError).code).to.equal('WRONGPASS');
        await eventually(async () => (await clients(serverAdmin)).length === 1);
      });

      it('closes the connections it opened when another one fails', async () => {
        // Two of the four fit; the other two are refused (max number of clients reached).
        const name = uniqueKey('pool');
        const err = await rejectionOf(
          createPool(server.url, { minsize: 4, maxsize: 4, password: 'secret', name }),
        );
        expect(err).to.be.instanceOf(RedisError);
        await eventually(async () => (await clients(serverAdmin)).length === 1);
      });
    });
  });

  describe('attributes', () => {
    it('reports minsize, maxsize, db, encoding and closed as configured', async () => {
      const pool = await open({ minsize: 2, maxsize: 4, db: 3, encoding: 'utf8' });
      expect(pool.minsize).to.equal(2);
      expect(pool.maxsize).to.equal(4);
      expect(pool.db).to.equal(3);
      expect(pool.encoding).to.equal('utf8');
      expect(pool.closed).to.equal(false);
      expect(await pool.execute('CLIENT', 'INFO')).to.match(/ db=3 /);
      expect(await pool.execute('ECHO', 'text')).to.equal('text');
      expect(await pool.executeWith({ encoding: null }, 'ECHO', 'raw')).to.deep.equal(
        Buffer.from('raw'),
      );
      pool.close();
      expect(pool.closed).to.equal(true);
    });

    it('defaults to minsize 1, maxsize 10, db 0 and Buffers', async () => {
      const pool = await open();
      expect([pool.minsize, pool.maxsize, pool.db, pool.encoding]).to.deep.equal([1, 10, 0, null]);
      expect(pool.size).to.equal(1);
      expect(await pool.execute('ECHO', 'raw')).to.deep.equal(Buffer.from('raw'));
    });

    it('counts free, lent-out, opening and pub/sub connections in size', async () => {
      const pool = await open({ minsize: 1, maxsize: 4 });
      const first = await pool.acquire();
      expect([pool.size, pool.freesize]).to.deep.equal([1, 0]);
      const opening = pool.acquire();
      expect([pool.size, pool.freesize]).to.deep.equal([2, 0]);
      const second = await opening;
      expect([pool.size, pool.freesize]).to.deep.equal([2, 0]);
      await pool.executePubsub('SUBSCRIBE', uniqueKey('chan'));
      expect([pool.size, pool.freesize]).to.deep.equal([3, 0]);
      await pool.release(first);
      await pool.release(second);
      expect([pool.size, pool.freesize]).to.deep.equal([3, 2]);
    });
  });

  describe('#execute()', () => {
    it('answers 1,000 concurrent commands, growing above minsize and never past maxsize', async () => {
      const pool = await open({ minsize: 2, maxsize: 3 });
      const key = uniqueKey();
      const sizes: number[] = [];
      const replies: Array<Promise<unknown>> = [];
      const fire = (from: number, to: number): void => {
        for (let i = from; i < to; i++) {
          replies.push(i % 2 === 0 ? pool.execute('INCR', key) : pool.execute('ECHO', `echo-${i}`));
          sizes.push(pool.size);
        }
      };
      // The first burst makes the pool grow; once that connection is open, the second burst
      // loads every connection again, and the pool is at maxsize.
      fire(0, 400);
      await eventually(async () => pool.size === pool.freesize);
      sizes.push(pool.size);
      fire(400, 1000);
      const results = await Promise.all(replies);
      sizes.push(pool.size);
      // INCRs on different connections may run in any order, but each gets its own number.
      const counts = results.filter((_, i) => i % 2 === 0) as number[];
      expect([...counts].sort((a, b) => a - b)).to.deep.equal(
        Array.from({ length: 500 }, (_, i) => i + 1),
      );
      results.forEach((reply, i) => {
        if (i % 2 === 1) expect(reply).to.deep.equal(Buffer.from(`echo-${i}`));
      });
      expect(Math.max(...sizes)).to.equal(3);
      expect(Math.min(...sizes)).to.equal(2);
      expect(await pool.execute('GET', key)).to.deep.equal(Buffer.from('500'));
      await pool.execute('DEL', key);
    });

    it('runs a BLPOP on a connection of its own, so a concurrent GET is not delayed', async () => {
      const name = uniqueKey('pool');
      const pool = await open({ minsize: 1, maxsize: 3, name });
      const key = uniqueKey();
      const list = uniqueKey('list');
      await pool.execute('SET', key, 'value');
      const started = Date.now();
      let blpopDone = false;
      const blpop = pool.execute('BLPOP', list, 1).finally(() => (blpopDone = true));
      expect(await pool.execute('GET', key)).to.deep.equal(Buffer.from('value'));
      // Well under the BLPOP's 1 s: the GET did not queue behind it.
      expect(Date.now() - started).to.be.below(500);
      await eventually(async () =>
        (await clients(admin, name)).some((line) => line.includes(' cmd=blpop ')),
      );
      expect(blpopDone).to.equal(false);
      await pool.execute('LPUSH', list, 'item');
      expect(await blpop).to.deep.equal([Buffer.from(list), Buffer.from('item')]);
      await pool.execute('DEL', key);
    });

    it('keeps the connection of a blocking command that timed out: it was unblocked, not closed', async () => {
      const pool = await open({ minsize: 1, maxsize: 2 });
      const [conn] = pool.getConnection('GET');
      const err = await rejectionOf(pool.executeWith({ timeout: 50 }, 'BLPOP', uniqueKey(), 0));
      expect(err).to.be.instanceOf(TimeoutError);
      // CLIENT UNBLOCK (issue 12) made the server answer the BLPOP: nothing is owed any more.
      expect(conn?.closed).to.equal(false);
      expect(await pool.execute('PING')).to.equal('PONG');
      expect(pool.size).to.equal(1);
    });

    it('rejects MULTI, WATCH, SELECT and other stateful commands with REDMUX_ERR_POOL_STATEFUL_COMMAND, sending nothing', async () => {
      const pool = await open({ minsize: 2, maxsize: 2 });
      const stateful = [
        ['MULTI'],
        ['exec'],
        ['DISCARD'],
        ['WATCH', uniqueKey()],
        ['UNWATCH'],
        ['SELECT', 2],
        ['AUTH', 'secret'],
        ['HELLO', 3],
        ['RESET'],
        ['QUIT'],
        ['MONITOR'],
      ] as const;
      const statsOf = async (): Promise<string[]> => {
        const info = String(await admin.execute('INFO', 'commandstats')).split('\r\n');
        return stateful.map(
          ([command]) =>
            info.find((line) => line.startsWith(`cmdstat_${command.toLowerCase()}:`)) ?? '',
        );
      };
      const before = await statsOf();
      for (const [command, ...args] of stateful) {
        const err = await rejectionOf(pool.execute(command, ...args));
        expect(err, command).to.be.instanceOf(RedisError);
        expect((err as RedisError).code, command).to.equal('REDMUX_ERR_POOL_STATEFUL_COMMAND');
      }
      expect(await statsOf()).to.deep.equal(before);
      // Every connection is still an ordinary one on db 0.
      const key = uniqueKey();
      expect(
        await Promise.all([pool.execute('SET', key, 'v'), pool.execute('SET', key, 'v')]),
      ).to.deep.equal(['OK', 'OK']);
      expect(pool.db).to.equal(0);
      expect(await admin.execute('GET', key)).to.deep.equal(Buffer.from('v'));
      await admin.execute('DEL', key);
    });

    it('waits while every connection is lent out and runs once one comes back, even closed', async () => {
      const pool = await open({ minsize: 1, maxsize: 1 });
      const held = await pool.acquire();
      let settled = false;
      const waiting = pool.execute('ECHO', 'waited').finally(() => (settled = true));
      await delay(20);
      expect(settled).to.equal(false);
      await pool.release(held);
      expect(await waiting).to.deep.equal(Buffer.from('waited'));

      // release() closes this one (it is in a transaction): the waiter gets a new connection.
      const dirty = await pool.acquire();
      await dirty.execute('MULTI');
      const again = pool.execute('ECHO', 'again');
      await pool.release(dirty);
      expect(dirty.closed).to.equal(true);
      expect(await again).to.deep.equal(Buffer.from('again'));
      expect(pool.size).to.equal(1);
    });
    it("rejects with TimeoutError or the signal's reason while it waits for a connection", async () => {
      const pool = await open({ minsize: 1, maxsize: 1 });
      await pool.acquire();
      const outcome = (promise: Promise<unknown>): Promise<unknown> =>
        Promise.race([rejectionOf(promise), delay(500).then(() => 'still waiting after 500 ms')]);
      const timedOut = await outcome(pool.executeWith({ timeout: 50 }, 'PING'));
      expect(timedOut).to.be.instanceOf(TimeoutError);
      const controller = new AbortController();
      const reason = new Error('no longer needed');
      const aborted = pool.executeWith({ signal: controller.signal }, 'BLPOP', uniqueKey(), 0);
      controller.abort(reason);
      expect(await outcome(aborted)).to.equal(reason);
    });
  });

  describe('#acquire()', () => {
    it('lends a connection out exclusively: pool.execute does not use it meanwhile', async () => {
      const pool = await open({ minsize: 2, maxsize: 2 });
      const conn = await pool.acquire();
      expect(pool.freesize).to.equal(1);
      const id = await conn.execute<number>('CLIENT', 'ID');
      const ids = await Promise.all(
        Array.from({ length: 50 }, () => {
          const reply = pool.execute<number>('CLIENT', 'ID');
          expect(conn.inFlight).to.equal(0);
          return reply;
        }),
      );
      expect(ids).not.to.include(id);
      expect(new Set(ids).size).to.equal(1);
      await pool.release(conn);
    });

    it('serves waiters in FIFO order as connections are released at maxsize', async () => {
      const pool = await open({ minsize: 2, maxsize: 2 });
      const a = await pool.acquire();
      const b = await pool.acquire();
      const order: number[] = [];
      const [w1, w2, w3] = [1, 2, 3].map((n) =>
        pool.acquire().then((conn) => {
          order.push(n);
          return conn;
        }),
      ) as [Promise<RedisConnection>, Promise<RedisConnection>, Promise<RedisConnection>];
      await delay(20);
      expect(order).to.deep.equal([]);
      await pool.release(a);
      expect(await w1).to.equal(a);
      expect(order).to.deep.equal([1]);
      await pool.release(b);
      expect(await w2).to.equal(b);
      expect(order).to.deep.equal([1, 2]);
      await pool.release(a);
      expect(await w3).to.equal(a);
      expect(order).to.deep.equal([1, 2, 3]);
      expect(pool.size).to.equal(2);
    });

    it("does not make other callers' commands fail when the busy connection it lent at maxsize is released at once", async () => {
      const pool = await open({ minsize: 1, maxsize: 1 });
      const others = [pool.execute('ECHO', 'first'), pool.execute('ECHO', 'second')];
      const conn = await pool.acquire();
      await pool.release(conn);
      const settled = await Promise.allSettled(others);
      expect(settled.map((result) => result.status)).to.deep.equal(['fulfilled', 'fulfilled']);
      expect(await Promise.all(others)).to.deep.equal([
        Buffer.from('first'),
        Buffer.from('second'),
      ]);
    });

    it('rejects with TimeoutError after timeout ms when the pool is at maxsize, leaking nothing', async () => {
      const pool = await open({ minsize: 1, maxsize: 1 });
      const held = await pool.acquire();
      const started = Date.now();
      const err = await rejectionOf(pool.acquire({ timeout: 50 }));
      expect(err).to.be.instanceOf(TimeoutError);
      expect((err as TimeoutError).code).to.equal('REDMUX_ERR_TIMEOUT');
      expect(Date.now() - started).to.be.at.least(40);
      expect([pool.size, pool.freesize]).to.deep.equal([1, 0]);
      // The waiter that gave up is not served: the connection goes back to the free list.
      await pool.release(held);
      expect(pool.freesize).to.equal(1);
      expect(await pool.acquire({ timeout: 1000 })).to.equal(held);
    });

    it("rejects with the signal's reason when aborted, leaking nothing", async () => {
      const pool = await open({ minsize: 1, maxsize: 1 });
      const held = await pool.acquire();
      const controller = new AbortController();
      const waiting = pool.acquire({ signal: controller.signal });
      const reason = new Error('no longer needed');
      controller.abort(reason);
      expect(await rejectionOf(waiting)).to.equal(reason);
      const already = new Error('aborted before');
      expect(await rejectionOf(pool.acquire({ signal: AbortSignal.abort(already) }))).to.equal(
        already,
      );
      expect([pool.size, pool.freesize]).to.deep.equal([1, 0]);
      await pool.release(held);
      expect(pool.freesize).to.equal(1);
      expect(await pool.acquire()).to.equal(held);
    });

    it('keeps the connection it was opening for an aborted acquire in the pool', async () => {
      const name = uniqueKey('pool');
      const pool = await open({ minsize: 0, maxsize: 2, name });
      const controller = new AbortController();
      const waiting = pool.acquire({ signal: controller.signal });
      expect(pool.size).to.equal(1);
      controller.abort(new Error('changed my mind'));
      await rejectionOf(waiting);
      await eventually(async () => pool.freesize === 1);
      expect(pool.size).to.equal(1);
      const conn = await pool.acquire();
      expect(await conn.execute('PING')).to.equal('PONG');
      expect(await clients(admin, name)).to.have.length(1);
    });

    it('rejects an invalid timeout with RangeError and a non-signal with TypeError', async () => {
      const pool = await open({ minsize: 0 });
      for (const timeout of [0, -5, NaN]) {
        expect(await rejectionOf(pool.acquire({ timeout }))).to.be.instanceOf(RangeError);
      }
      const signal = {} as AbortSignal;
      expect(await rejectionOf(pool.acquire({ signal }))).to.be.instanceOf(TypeError);
      expect(pool.size).to.equal(0);
    });

    it('rejects unknown keys and options that are not a plain object with TypeError, opening nothing', async () => {
      const pool = await open({ minsize: 0 });
      const unknown = await rejectionOf(pool.acquire({ timout: 5 } as AcquireOptions));
      expect(unknown).to.be.instanceOf(TypeError);
      expect(unknown.message).to.equal("acquire() has no option 'timout'; did you mean 'timeout'?");
      for (const options of [null, 5, 'x', []]) {
        const err = await rejectionOf(pool.acquire(options as unknown as AcquireOptions));
        expect(err, String(options)).to.be.instanceOf(TypeError);
        expect(err.message).to.match(/^acquire\(\) options must be a plain object/);
      }
      expect(pool.size).to.equal(0);
    });

    it('rejects with PoolClosedError when the pool closes while it waits, and once it is closed', async () => {
      const pool = await open({ minsize: 1, maxsize: 1 });
      const held = await pool.acquire();
      const waiting = [pool.acquire(), pool.acquire({ timeout: 5000 })];
      pool.close();
      for (const err of await Promise.all(waiting.map(rejectionOf))) {
        expect(err).to.be.instanceOf(PoolClosedError);
        expect((err as RedisError).code).to.equal('REDMUX_ERR_POOL_CLOSED');
      }
      expect(await rejectionOf(pool.acquire())).to.be.instanceOf(PoolClosedError);
      expect(held.closed).to.equal(true);
    });

    it('is released at the end of an await using block', async () => {
      const pool = await open({ minsize: 1, maxsize: 1 });
      let scoped: RedisConnection | undefined;
      {
        await using conn = await pool.acquire();
        scoped = conn;
        expect(pool.freesize).to.equal(0);
        expect(await conn.execute('PING')).to.equal('PONG');
      }
      expect(pool.freesize).to.equal(1);
      expect(scoped.closed).to.equal(false);
      expect(await pool.acquire()).to.equal(scoped);
    });
  });

  describe('#release()', () => {
    it('returns a clean connection to the free list, where it is handed out again', async () => {
      const pool = await open({ minsize: 1, maxsize: 2 });
      const conn = await pool.acquire();
      expect(await conn.execute('SET', uniqueKey(), 'v')).to.equal('OK');
      await pool.release(conn);
      expect(conn.closed).to.equal(false);
      expect([pool.size, pool.freesize]).to.deep.equal([1, 1]);
      expect(pool.getConnection('GET')[0]).to.equal(conn);
      expect(await pool.acquire()).to.equal(conn);
    });

    it('unwatches the keys a released connection still WATCHes, so the next EXEC is not aborted', async () => {
      const pool = await open({ minsize: 1, maxsize: 1 });
      const key = uniqueKey();
      const first = await pool.acquire();
      await first.execute('WATCH', key);
      await pool.release(first);
      expect(first.closed).to.equal(false);
      expect(first.watching).to.equal(false);
      await admin.execute('SET', key, 'changed after the release');
      const second = await pool.acquire();
      expect(second).to.equal(first);
      void second.execute('MULTI');
      void second.execute('SET', key, 'mine');
      expect(await second.execute('EXEC')).to.deep.equal(['OK']);
      await pool.release(second);
    });

    const unfit: Array<[string, (conn: RedisConnection) => Promise<unknown>]> = [
      ['is in a transaction (MULTI sent)', (conn) => conn.execute('MULTI')],
      ['is subscribed', (conn) => conn.executePubsub('SUBSCRIBE', uniqueKey('chan'))],
      ['uses another db', (conn) => conn.select(5)],
      ['is closed', async (conn) => conn.close()],
    ];
    for (const [state, setup] of unfit) {
      it(`closes a connection that ${state} instead of returning it`, async () => {
        const pool = await open({ minsize: 1, maxsize: 2 });
        const conn = await pool.acquire();
        await setup(conn);
        await pool.release(conn);
        expect(conn.closed).to.equal(true);
        expect([pool.size, pool.freesize]).to.deep.equal([0, 0]);
        const next = await pool.acquire();
        expect(next).not.to.equal(conn);
        expect(await next.execute('CLIENT', 'INFO')).to.match(/ db=0 .* multi=-1 /);
      });
    }

    it('closes a connection that has replies pending instead of returning it', async () => {
      const pool = await open({ minsize: 1, maxsize: 2 });
      const conn = await pool.acquire();
      const pending = conn.execute('BLPOP', uniqueKey('list'), 1);
      expect(conn.inFlight).to.equal(1);
      await pool.release(conn);
      expect(conn.closed).to.equal(true);
      expect(await rejectionOf(pending)).to.be.instanceOf(ConnectionForcedCloseError);
      expect([pool.size, pool.freesize]).to.deep.equal([0, 0]);
      expect(await pool.execute('PING')).to.equal('PONG');
    });

    it('rejects a connection the pool did not lend out with REDMUX_ERR_POOL_FOREIGN_CONNECTION', async () => {
      const pool = await open({ minsize: 1, maxsize: 2 });
      const other = await open({ minsize: 1 });
      const foreign = await createConnection(url);
      try {
        const lentByOther = await other.acquire();
        const [free] = pool.getConnection('GET');
        const twice = await pool.acquire();
        await pool.release(twice);
        for (const conn of [foreign, lentByOther, free as RedisConnection, twice]) {
          const err = await rejectionOf(pool.release(conn));
          expect(err).to.be.instanceOf(RedisError);
          expect((err as RedisError).code).to.equal('REDMUX_ERR_POOL_FOREIGN_CONNECTION');
          expect(conn.closed).to.equal(false);
        }
        expect([pool.size, pool.freesize]).to.deep.equal([1, 1]);
      } finally {
        foreign.close();
      }
    });
  });

  describe('#select()', () => {
    it('switches the free connections: a key set on db 0 is not visible after select(2)', async () => {
      const pool = await open({ minsize: 2, maxsize: 2 });
      const key = uniqueKey();
      await pool.execute('SET', key, 'on db 0');
      expect(await pool.select(2)).to.equal('OK');
      expect(pool.db).to.equal(2);
      const replies = await Promise.all(Array.from({ length: 20 }, () => pool.execute('GET', key)));
      expect(replies).to.deep.equal(Array(20).fill(null));
      const [a, b] = [await pool.acquire(), await pool.acquire()];
      expect([a.db, b.db]).to.deep.equal([2, 2]);
      await admin.execute('DEL', key);
    });

    it('closes connections lent out before the switch when they are released', async () => {
      const pool = await open({ minsize: 2, maxsize: 3 });
      const held = await pool.acquire();
      await pool.select(4);
      expect(held.db).to.equal(0);
      await pool.release(held);
      expect(held.closed).to.equal(true);
      expect([pool.size, pool.freesize]).to.deep.equal([1, 1]);
    });

    it('opens new connections on the new db', async () => {
      const pool = await open({ minsize: 1, maxsize: 3 });
      await pool.select(3);
      await pool.clear();
      expect(pool.size).to.equal(0);
      expect(await pool.execute('CLIENT', 'INFO')).to.match(/ db=3 /);
      const [first, second] = [await pool.acquire(), await pool.acquire()];
      expect([first.db, second.db]).to.deep.equal([3, 3]);
      expect(await second.execute('CLIENT', 'INFO')).to.match(/ db=3 /);
    });

    it('rejects a negative or non-integer db with TypeError and a closed pool with PoolClosedError', async () => {
      const pool = await open();
      expect(await rejectionOf(pool.select(-1))).to.be.instanceOf(TypeError);
      expect(await rejectionOf(pool.select(1.5))).to.be.instanceOf(TypeError);
      expect(pool.db).to.equal(0);
      pool.close();
      expect(await rejectionOf(pool.select(1))).to.be.instanceOf(PoolClosedError);
    });
  });

  describe('#clear()', () => {
    it('closes the free connections, keeps lent-out ones, and opens new ones on demand', async () => {
      const name = uniqueKey('pool');
      const pool = await open({ minsize: 3, maxsize: 4, name });
      const held = await pool.acquire();
      await pool.clear();
      expect([pool.size, pool.freesize]).to.deep.equal([1, 0]);
      expect(held.closed).to.equal(false);
      await eventually(async () => (await clients(admin, name)).length === 1);
      expect(await pool.execute('PING')).to.equal('PONG');
      expect([pool.size, pool.freesize]).to.deep.equal([2, 1]);
    });
  });

  describe('#close() and #waitClosed()', () => {
    it('rejects waiting acquire() and execute() calls, and later ones, with PoolClosedError', async () => {
      const pool = await open({ minsize: 1, maxsize: 1 });
      const held = await pool.acquire();
      const waiting = [pool.acquire(), pool.execute('PING'), pool.execute('BLPOP', 'k', 0)];
      pool.close();
      for (const err of await Promise.all(waiting.map(rejectionOf))) {
        expect(err).to.be.instanceOf(PoolClosedError);
      }
      expect(await rejectionOf(pool.execute('PING'))).to.be.instanceOf(PoolClosedError);
      expect(await rejectionOf(pool.executePubsub('SUBSCRIBE', 'c'))).to.be.instanceOf(
        PoolClosedError,
      );
      expect(held.closed).to.equal(true);
    });

    it('closes every connection, free, lent out and pub/sub, and waitClosed() waits for them', async () => {
      const name = uniqueKey('pool');
      const pool = await open({ minsize: 3, maxsize: 4, name });
      const held = await pool.acquire();
      await pool.executePubsub('SUBSCRIBE', uniqueKey('chan'));
      const [subscriber] = pool.getConnection('SUBSCRIBE');
      const [free] = pool.getConnection('GET');
      expect([held, subscriber, free]).not.to.include(null);
      expect(await clients(admin, name)).to.have.length(3);
      pool.close();
      expect([held.closed, subscriber?.closed, free?.closed]).to.deep.equal([true, true, true]);
      await pool.waitClosed();
      await eventually(async () => (await clients(admin, name)).length === 0);
    });

    it('closes a connection that was still being opened', async () => {
      const name = uniqueKey('pool');
      const pool = await open({ minsize: 0, maxsize: 2, name });
      // Hold the server so that the new connection's handshake is still under way at close().
      const sleeping = admin.execute('DEBUG', 'SLEEP', 0.2);
      await delay(20);
      const acquiring = pool.acquire();
      await delay(30);
      expect([pool.size, pool.freesize]).to.deep.equal([1, 0]);
      pool.close();
      expect(await rejectionOf(acquiring)).to.be.instanceOf(PoolClosedError);
      await pool.waitClosed();
      await sleeping;
      await eventually(async () => (await clients(admin, name)).length === 0);
    });

    describe('on a server of its own', () => {
      let server: RedisServer;
      let serverAdmin: RedisConnection;

      before(async () => {
        server = await startRedis();
        serverAdmin = await createConnection(server.url);
      });

      after(async () => {
        serverAdmin.close();
        await server.stop();
      });

      it('leaves no socket open: the CLIENT LIST count is the same before and after', async () => {
        const before = (await clients(serverAdmin)).length;
        const pool = await open({ minsize: 2, maxsize: 5 }, server.url);
        await Promise.all(Array.from({ length: 300 }, (_, i) => pool.execute('ECHO', `${i}`)));
        const held = await pool.acquire();
        await pool.executePubsub('SUBSCRIBE', uniqueKey('chan'));
        const blocked = rejectionOf(pool.execute('BLPOP', uniqueKey('list'), 0));
        await eventually(async () =>
          (await clients(serverAdmin)).some((line) => line.includes(' cmd=blpop ')),
        );
        expect((await clients(serverAdmin)).length).to.be.above(before + 2);
        await pool.release(held);
        pool.close();
        await pool.waitClosed();
        expect(await blocked).to.be.instanceOf(ConnectionClosedError);
        await eventually(async () => (await clients(serverAdmin)).length === before);
      });
    });
  });

  describe('#executeWith()', () => {
    it('rejects an unknown option with TypeError before waiting for a connection, sending nothing', async () => {
      const pool = await open({ maxsize: 1 });
      const conn = await pool.acquire(); // a command would wait for this one
      const key = uniqueKey();
      const err = await rejectionOf(pool.executeWith({ timout: 5 } as object, 'SET', key, 'v'));
      expect(err).to.be.instanceOf(TypeError);
      expect(err.message).to.equal("executeWith() has no option 'timout'; did you mean 'timeout'?");
      await pool.release(conn);
      expect(await pool.execute('EXISTS', key)).to.equal(0);
    });
  });

  describe('#getConnection()', () => {
    it('returns the least loaded free connection and its address for ordinary commands', async () => {
      const pool = await open({ minsize: 2, maxsize: 2 });
      const [first, firstAddress] = pool.getConnection('GET', ['k']);
      expect(first).not.to.equal(null);
      expect(firstAddress).to.deep.equal(first?.address);
      const busy = first?.execute('PING');
      const [second] = pool.getConnection('get', ['k']);
      expect(second).not.to.equal(null);
      expect(second).not.to.equal(first);
      // execute() sends where getConnection() points.
      const reply = pool.execute('ECHO', 'x');
      expect(second?.inFlight).to.equal(1);
      expect(await Promise.all([busy, reply])).to.deep.equal(['PONG', Buffer.from('x')]);
    });

    it('returns [null, address] for blocking and connection-state commands', async () => {
      const pool = await open({ minsize: 1, maxsize: 2 });
      const commands: Array<[string, string[]]> = [
        ['BLPOP', ['k', '0']],
        ['brpop', ['k', '0']],
        ['BZPOPMIN', ['k', '0']],
        ['MULTI', []],
        ['WATCH', ['k']],
        ['SELECT', ['1']],
      ];
      for (const [command, args] of commands) {
        expect(pool.getConnection(command, args), command).to.deep.equal([null, address]);
      }
      expect(pool.getConnection('XREAD', ['STREAMS', 'k', '0'])[0]).not.to.equal(null);
    });

    it('returns [null, address] for XREAD … BLOCK, which execute() runs on a connection of its own', async () => {
      const pool = await open({ minsize: 1, maxsize: 2 });
      const args = ['BLOCK', '0', 'STREAMS', 'k', '$'];
      expect(pool.getConnection('XREAD', args)).to.deep.equal([null, address]);
      expect(pool.getConnection('XREADGROUP', ['GROUP', 'g', 'c', ...args])).to.deep.equal([
        null,
        address,
      ]);
    });

    it('returns [null, address] when every connection is lent out', async () => {
      const pool = await open({ minsize: 1, maxsize: 1 });
      const held = await pool.acquire();
      expect(pool.getConnection('GET', ['k'])).to.deep.equal([null, address]);
      await pool.release(held);
      expect(pool.getConnection('GET', ['k'])[0]).to.equal(held);
    });

    it('returns the pub/sub connection for pub/sub commands once there is one', async () => {
      const pool = await open({ minsize: 1, maxsize: 3 });
      expect(pool.getConnection('SUBSCRIBE', ['c'])).to.deep.equal([null, address]);
      await pool.executePubsub('SUBSCRIBE', uniqueKey('chan'));
      const [subscriber, at] = pool.getConnection('subscribe', ['c']);
      expect(subscriber?.inPubsub).to.equal(1);
      expect(at).to.deep.equal(subscriber?.address);
      expect(pool.getConnection('PSUBSCRIBE')[0]).to.equal(subscriber);
    });
  });

  describe('recovery', () => {
    it('after a server restart: in-flight commands reject with ConnectionClosedError, are not retried, and the next ones succeed', async () => {
      const server = await startRedis();
      try {
        const pool = await open({ minsize: 2, maxsize: 4 }, server.url);
        const sizes = [pool.size];
        expect(await pool.execute('SET', uniqueKey(), 'before')).to.equal('OK');
        const key = uniqueKey();
        const list = uniqueKey('list');
        // The BLPOP takes one connection for itself; everything else shares the other, queued
        // behind a DEBUG SLEEP, so none of it has run when the server dies.
        const inFlight = [
          pool.execute('BLPOP', list, 0),
          pool.execute('DEBUG', 'SLEEP', 5),
          pool.execute('SET', key, 'lost'),
          pool.execute('INCR', uniqueKey()),
        ].map(rejectionOf);
        await delay(30);
        sizes.push(pool.size);
        await server.kill();
        for (const err of await Promise.all(inFlight)) {
          expect(err).to.be.instanceOf(ConnectionClosedError);
        }
        // While the server is down, a command fails instead of waiting.
        expect(await rejectionOf(pool.execute('PING'))).to.be.instanceOf(ConnectionClosedError);
        sizes.push(pool.size);

        await server.restart();
        expect(await pool.execute('PING')).to.equal('PONG');
        expect(await pool.execute('GET', key)).to.equal(null); // the SET was not replayed
        const echoes = await Promise.all(
          Array.from({ length: 200 }, (_, i) => {
            const reply = pool.execute('ECHO', `${i}`);
            sizes.push(pool.size);
            return reply;
          }),
        );
        expect(echoes.map(String)).to.deep.equal(Array.from({ length: 200 }, (_, i) => `${i}`));
        const conn = await pool.acquire();
        expect(await conn.execute('PING')).to.equal('PONG');
        await pool.release(conn);
        sizes.push(pool.size);
        expect(Math.max(...sizes)).to.be.at.most(4);
      } finally {
        await server.stop();
      }
    });

    it('never sends a command to a free connection that closed before the pool dropped it', async () => {
      const pool = await open({ minsize: 2, maxsize: 2 });
      const [closing] = pool.getConnection('PING');
      closing?.close();
      const replies = await Promise.all(Array.from({ length: 10 }, () => pool.execute('PING')));
      expect(replies).to.deep.equal(Array(10).fill('PONG'));
    });

    it('drops a connection killed with CLIENT KILL and keeps serving commands', async () => {
      const pool = await open({ minsize: 1, maxsize: 2 });
      const [victim] = pool.getConnection('PING');
      if (victim === null) expect.fail('the pool has no free connection');
      const id = await victim.execute<number>('CLIENT', 'ID');
      expect(await admin.execute('CLIENT', 'KILL', 'ID', id)).to.equal(1);
      await victim.waitClosed();
      expect([pool.size, pool.freesize]).to.deep.equal([0, 0]);
      expect(await pool.execute('PING')).to.equal('PONG');
      const [replacement] = pool.getConnection('PING');
      expect(replacement).not.to.equal(victim);
      expect(await replacement?.execute('CLIENT', 'ID')).not.to.equal(id);
      expect(pool.size).to.equal(1);
    });
  });

  describe('#executePubsub()', () => {
    it('subscribes through one dedicated connection, counted in size, while execute() keeps working', async () => {
      const pool = await open({ minsize: 1, maxsize: 3 });
      const channel = uniqueKey('chan');
      expect(await pool.executePubsub('SUBSCRIBE', channel)).to.deep.equal([
        ['subscribe', channel, 1],
      ]);
      const [subscriber] = pool.getConnection('SUBSCRIBE');
      expect(subscriber?.inPubsub).to.equal(1);
      expect(pool.inPubsub).to.equal(1);
      expect([...pool.pubsubChannels.keys()]).to.deep.equal([channel]);

      // PUBLISH goes through another connection and reaches the Channel.
      expect(await pool.execute('PUBLISH', channel, 'hello')).to.equal(1);
      expect(pool.getConnection('PUBLISH')[0]).not.to.equal(subscriber);
      expect(await pool.pubsubChannels.get(channel)?.get()).to.deep.equal(Buffer.from('hello'));
      expect([pool.size, pool.freesize]).to.deep.equal([2, 1]);

      // execute() sends pub/sub commands there too, and patterns share the same connection.
      const second = uniqueKey('chan');
      expect(await pool.execute('SUBSCRIBE', second)).to.deep.equal([['subscribe', second, 2]]);
      const pattern = `${uniqueKey('pattern')}:*`;
      expect(await pool.executePubsub('PSUBSCRIBE', pattern)).to.deep.equal([
        ['psubscribe', pattern, 3],
      ]);
      expect(pool.getConnection('SUBSCRIBE')[0]).to.equal(subscriber);
      expect(pool.inPubsub).to.equal(3);
      expect([...pool.pubsubPatterns.keys()]).to.deep.equal([pattern]);
      expect(pool.size).to.equal(2);
      expect(await pool.execute('ECHO', 'still fine')).to.deep.equal(Buffer.from('still fine'));
    });

    it('opens a new pub/sub connection after the old one is lost', async () => {
      const pool = await open({ minsize: 1, maxsize: 3 });
      // The idle free connection is the one the pool takes for pub/sub.
      const [old] = pool.getConnection('GET');
      if (old === null) expect.fail('the pool has no free connection');
      const id = await old.execute<number>('CLIENT', 'ID');
      await pool.executePubsub('SUBSCRIBE', uniqueKey('chan'));
      expect(pool.getConnection('SUBSCRIBE')[0]).to.equal(old);
      expect(await admin.execute('CLIENT', 'KILL', 'ID', id)).to.equal(1);
      await old.waitClosed();
      expect(pool.inPubsub).to.equal(0);

      const channel = uniqueKey('chan');
      expect(await pool.executePubsub('SUBSCRIBE', channel)).to.deep.equal([
        ['subscribe', channel, 1],
      ]);
      const [fresh] = pool.getConnection('SUBSCRIBE');
      expect(fresh).not.to.equal(old);
      expect(await pool.execute('PUBLISH', channel, 'again')).to.equal(1);
      expect(await pool.pubsubChannels.get(channel)?.get()).to.deep.equal(Buffer.from('again'));
    });
  });
});
