// Aborting a blocking command loses nothing (issue 12, part 7). A written BLPOP whose caller gives
// up (signal or client-side timeout) is unblocked with CLIENT UNBLOCK from another connection, and
// its promise waits for the command's own reply: nil rejects with the abort reason, an element
// popped meanwhile resolves. Every race below counts elements: each pushed one is either returned
// to the caller or still in the list, never dropped with a reply nobody reads.
import { expect } from 'chai';
import {
  ConnectionLostError,
  type ConnectionsPool,
  createConnection,
  createRedis,
  createRedisPool,
  type Redis,
  type RedisConnection,
  TimeoutError,
} from '../../lib';
import { commandCalls } from '../helpers/commandstats';
import { type RedisServer, startRedis } from '../helpers/redis-server';
import { eventually, rejectionOf, uniqueKey } from '../helpers/util';

/** Iterations of each race. */
const RACES = 200;

describe('aborting a blocking command', function () {
  this.timeout(30_000);
  let server: RedisServer;
  /** Pushes, reads the lists back, and watches the server's clients; never blocks. */
  let admin: RedisConnection;

  before(async () => {
    // A server of its own, so counting its clients counts only this file's connections.
    server = await startRedis();
    admin = await createConnection(server.url, { encoding: 'utf8' });
  });

  after(async () => {
    admin.close();
    await admin.waitClosed();
    await server.stop();
  });

  async function clientCount(): Promise<number> {
    const list = await admin.execute<string>('CLIENT', 'LIST');
    return list.trim().split('\n').length;
  }

  /** Resolves once the server has `n` clients again: no helper connection was left open. */
  async function clientsBackTo(n: number): Promise<void> {
    const deadline = Date.now() + 5000;
    while ((await clientCount()) !== n) {
      if (Date.now() > deadline) {
        const list = await admin.execute<string>('CLIENT', 'LIST');
        expect.fail(`expected ${n} clients, the server has:\n${list}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async function blockedClients(): Promise<number> {
    const info = await admin.execute<string>('INFO', 'clients');
    return Number(/blocked_clients:(\d+)/.exec(info)?.[1]);
  }

  /** Resolves once the server has `n` blocked clients: the command under test is blocking now. */
  async function blocked(n = 1): Promise<void> {
    await eventually(async () => (await blockedClients()) === n);
  }

  /** The elements left in the lists of the races, `${base}:0` to `${base}:${RACES - 1}`. */
  async function leftIn(base: string): Promise<string[]> {
    const left: string[] = [];
    for (let i = 0; i < RACES; i++) {
      left.push(...(await admin.execute<string[]>('LRANGE', `${base}:${i}`, 0, -1)));
    }
    return left;
  }

  /** The settled outcome of a race's promise: the value, or the rejection. */
  async function outcome<T>(promise: Promise<T>): Promise<{ value?: T; error?: Error }> {
    try {
      return { value: await promise };
    } catch (err) {
      return { error: err as Error };
    }
  }

  /** A short pause that lets a race go either way: 0 to 2 ms, or just the next turn. */
  function jitter(i: number): Promise<void> {
    return pause(i % 4 === 0 ? 0 : i % 3);
  }

  /** `ms` milliseconds; 0: the next turn of the event loop; -1: no pause at all. */
  function pause(ms: number): Promise<void> {
    if (ms < 0) return Promise.resolve();
    return new Promise((resolve) => (ms === 0 ? setImmediate(resolve) : setTimeout(resolve, ms)));
  }

  const kinds: Array<[string, () => Promise<Redis<string>>]> = [
    ['a single-connection client', () => createRedis(server.url, { encoding: 'utf8' })],
    [
      'a pool client',
      () => createRedisPool(server.url, { encoding: 'utf8', minsize: 2, maxsize: 4 }),
    ],
  ];

  for (const [kind, open] of kinds) {
    describe(`on ${kind}`, () => {
      let redis: Redis<string>;
      let clientsBefore: number;

      beforeEach(async () => {
        clientsBefore = await clientCount();
        redis = await open();
      });

      afterEach(async () => {
        redis.close();
        await redis.waitClosed();
        // No helper connection left behind: the server is back to the clients it had.
        await clientsBackTo(clientsBefore);
        expect(await blockedClients()).to.equal(0);
      });

      it('rejects an aborted BLPOP with the abort reason when nothing arrives, and the next command gets its own reply', async () => {
        const key = uniqueKey('idle');
        // A round trip first: a connection the kernel accepted may not be in CLIENT LIST yet.
        await redis.call('ECHO', 'counted');
        const before = await clientCount();
        const controller = new AbortController();
        const popped = redis.blpop(key, 0, { signal: controller.signal });
        await blocked();
        controller.abort();
        const err = await rejectionOf(popped);
        expect(err).to.equal(controller.signal.reason);
        expect(err.name).to.equal('AbortError');
        expect(await blockedClients()).to.equal(0);
        expect(await redis.call('ECHO', 'after')).to.equal('after');
        // The same connections serve on: none was closed, the helper (if any) is gone.
        await clientsBackTo(before);
        await admin.execute('RPUSH', key, 'later');
        expect(await redis.blpop(key, 1)).to.deep.equal([key, 'later']);
        if (redis.connection !== undefined) expect(redis.connection.closed).to.equal(false);
      });

      it('rejects a BLPOP whose timeout passes with TimeoutError, and the next command gets its own reply', async () => {
        const key = uniqueKey('timeout');
        const err = await rejectionOf(redis.blpop(key, 0, { timeout: 50 }));
        expect(err).to.be.instanceOf(TimeoutError);
        // A pool counts the wait for a connection in: the rest of the 50 ms is what is left.
        expect(err.message).to.match(/^BLPOP timed out after \d+ ms$/);
        expect(await redis.call('ECHO', 'after')).to.equal('after');
      });

      it('unblocks a BLPOP aborted before the server got to it', async () => {
        const key = uniqueKey('early');
        const controller = new AbortController();
        const popped = redis.blpop(key, 0, { signal: controller.signal });
        controller.abort(); // the same turn: not even written to the socket yet
        expect(await rejectionOf(popped)).to.equal(controller.signal.reason);
        expect(await redis.call('ECHO', 'after')).to.equal('after');
      });

      it(`loses no element when one is pushed as the BLPOP is aborted (${RACES} races)`, async () => {
        // A list per race: an element left in one must not feed the next race's BLPOP.
        const base = uniqueKey('abort-race');
        const returned: string[] = [];
        let aborted = 0;
        for (let i = 0; i < RACES; i++) {
          const key = `${base}:${i}`;
          const controller = new AbortController();
          const popped = outcome(redis.blpop(key, 0, { signal: controller.signal }));
          if (i % 2 === 0) await blocked();
          // The push goes just before the abort, just after it, or a moment later: every
          // interleaving with the CLIENT UNBLOCK happens.
          const push = (): Promise<unknown> => admin.execute('RPUSH', key, String(i));
          if (i % 4 === 0) {
            const pushed = push();
            controller.abort();
            await pushed;
          } else {
            controller.abort();
            await pause(i % 4 === 1 ? -1 : i % 4 === 2 ? 0 : 2);
            await push();
          }
          const { value, error } = await popped;
          if (error === undefined) {
            expect(value).to.deep.equal([key, String(i)]);
            returned.push(value?.[1] as string);
          } else {
            expect(error).to.equal(controller.signal.reason);
            aborted++;
          }
          expect(await blockedClients()).to.equal(0);
        }
        const all = [...returned, ...(await leftIn(base))].map(Number).sort((a, b) => a - b);
        expect(all, `${returned.length} returned, ${aborted} aborted`).to.deep.equal(
          Array.from({ length: RACES }, (_, i) => i),
        );
      });

      it(`loses no element when one is pushed as the BLPOP times out (${RACES} races)`, async () => {
        const base = uniqueKey('timeout-race');
        const returned: string[] = [];
        let timedOut = 0;
        for (let i = 0; i < RACES; i++) {
          const key = `${base}:${i}`;
          const popped = outcome(redis.blpop(key, 0, { timeout: 1 + (i % 3) }));
          await pause(i % 10);
          await admin.execute('RPUSH', key, String(i));
          const { value, error } = await popped;
          if (error === undefined) returned.push(value?.[1] as string);
          else {
            expect(error).to.be.instanceOf(TimeoutError);
            timedOut++;
          }
        }
        const all = [...returned, ...(await leftIn(base))].map(Number).sort((a, b) => a - b);
        expect(all, `${returned.length} returned, ${timedOut} timed out`).to.deep.equal(
          Array.from({ length: RACES }, (_, i) => i),
        );
      });

      it('loses no member when one is added as a BZPOPMIN is aborted (50 races)', async () => {
        const key = uniqueKey('zset-race');
        const returned: string[] = [];
        for (let i = 0; i < 50; i++) {
          const controller = new AbortController();
          const popped = outcome(redis.bzpopmin(key, 0, { signal: controller.signal }));
          await jitter(i);
          const add = admin.execute('ZADD', key, i, String(i));
          controller.abort();
          await add;
          const { value, error } = await popped;
          if (error === undefined) returned.push(String(value?.[1]));
          else expect(error).to.equal(controller.signal.reason);
        }
        const left = await admin.execute<string[]>('ZRANGE', key, 0, -1);
        const all = [...returned, ...left].map(Number).sort((a, b) => a - b);
        expect(all).to.deep.equal(Array.from({ length: 50 }, (_, i) => i));
      });

      it('rejects an aborted XREAD BLOCK with the abort reason, and the next command gets its own reply', async () => {
        const key = uniqueKey('stream');
        const controller = new AbortController();
        const read = redis.xread({ [key]: '$' }, { block: 0, signal: controller.signal });
        await blocked();
        controller.abort();
        expect(await rejectionOf(read)).to.equal(controller.signal.reason);
        expect(await redis.call('ECHO', 'after')).to.equal('after');
      });

      it('delivers every entry an aborted XREADGROUP BLOCK took to its caller (50 races)', async () => {
        const key = uniqueKey('group-race');
        await admin.execute('XGROUP', 'CREATE', key, 'g', '$', 'MKSTREAM');
        const returned: string[] = [];
        for (let i = 0; i < 50; i++) {
          const controller = new AbortController();
          const read = outcome(
            redis.xreadGroup('g', 'c', { [key]: '>' }, { block: 0, signal: controller.signal }),
          );
          await jitter(i);
          const add = admin.execute('XADD', key, '*', 'i', String(i));
          controller.abort();
          await add;
          const { value, error } = await read;
          if (error === undefined) {
            for (const { entries } of value ?? []) {
              for (const entry of entries) returned.push(entry.id);
            }
          } else expect(error).to.equal(controller.signal.reason);
        }
        // Each entry the group handed to the consumer (its pending list) reached the caller.
        const pending = await admin.execute<Array<[string]>>('XPENDING', key, 'g', '-', '+', 1000);
        expect(returned.sort()).to.deep.equal(pending.map(([id]) => id).sort());
      });

      it('rejects an aborted WAIT with the abort reason, whatever count it answers', async () => {
        const controller = new AbortController();
        const waiting = redis.executeWith({ signal: controller.signal }, 'WAIT', 1, 0);
        await blocked();
        controller.abort();
        expect(await rejectionOf(waiting)).to.equal(controller.signal.reason);
        expect(await redis.call('ECHO', 'after')).to.equal('after');
      });
    });
  }

  describe('on a pool', () => {
    let redis: Redis<string>;
    let pool: ConnectionsPool;

    beforeEach(async () => {
      redis = await createRedisPool(server.url, { encoding: 'utf8', minsize: 1, maxsize: 1 });
      pool = redis.pool as ConnectionsPool;
    });

    afterEach(async () => {
      redis.close();
      await redis.waitClosed();
    });

    it('rejects a BLPOP still waiting for a connection at once: nothing was sent', async () => {
      const key = uniqueKey('queued');
      const held = await pool.acquire();
      const controller = new AbortController();
      const popped = redis.blpop(key, 0, { signal: controller.signal });
      controller.abort();
      expect(await rejectionOf(popped)).to.equal(controller.signal.reason);
      await pool.release(held);
      await admin.execute('RPUSH', key, 'kept');
      expect(await admin.execute('LRANGE', key, 0, -1)).to.deep.equal(['kept']);
    });

    it('keeps the connection of an aborted BLPOP in the pool, unblocked from a short-lived one', async () => {
      const key = uniqueKey('reuse');
      const before = await clientCount();
      const controller = new AbortController();
      const popped = redis.blpop(key, 0, { signal: controller.signal });
      await blocked();
      controller.abort();
      await rejectionOf(popped);
      expect(pool.size).to.equal(1);
      expect(pool.freesize).to.equal(1);
      // Its one connection was the blocked one: the helper was opened for the unblock, then closed.
      await clientsBackTo(before);
    });
  });

  describe('on a free pool connection used directly', () => {
    it('unblocks from another connection than the blocked one', async () => {
      const redis = await createRedisPool(server.url, { minsize: 1, maxsize: 1 });
      try {
        const pool = redis.pool as ConnectionsPool;
        const [conn] = pool.getConnection('GET');
        if (conn === null) return expect.fail('the pool has a free connection');
        const controller = new AbortController();
        const popped = conn.executeWith({ signal: controller.signal }, 'BLPOP', uniqueKey(), 0);
        await blocked();
        controller.abort();
        expect(await rejectionOf(popped)).to.equal(controller.signal.reason);
        expect(conn.closed).to.equal(false);
      } finally {
        redis.close();
        await redis.waitClosed();
      }
    });
  });

  describe('on a connection', () => {
    it('keeps the tombstone rule for a non-blocking command: rejected at once, no CLIENT ID, no unblock', async () => {
      const conn = await createConnection(server.url, { encoding: 'utf8' });
      try {
        const via = {
          call: <T>(command: string, ...args: string[]) => conn.execute<T>(command, ...args),
        };
        const ids = await commandCalls(via, 'client|id');
        const unblocks = await commandCalls(via, 'client|unblock');
        const controller = new AbortController();
        const slow = conn.executeWith({ signal: controller.signal }, 'DEBUG', 'SLEEP', 0.2);
        const behind = conn.execute('ECHO', 'behind');
        controller.abort();
        expect(await rejectionOf(slow)).to.equal(controller.signal.reason);
        expect(await behind).to.equal('behind'); // the sleep's reply was read and dropped
        expect(await commandCalls(via, 'client|id')).to.equal(ids);
        expect(await commandCalls(via, 'client|unblock')).to.equal(unblocks);
      } finally {
        conn.close();
        await conn.waitClosed();
      }
    });

    it('rejects bad input with TypeError and sends nothing, not even its CLIENT ID', async () => {
      const conn = await createConnection(server.url);
      try {
        const via = {
          call: <T>(command: string, ...args: string[]) => conn.execute<T>(command, ...args),
        };
        const before = await commandCalls(via, 'client|id');
        const blpops = await commandCalls(via, 'blpop');
        const signal = new AbortController().signal;
        const bad = conn.executeWith({ signal }, 'BLPOP', uniqueKey(), undefined as never);
        expect(await rejectionOf(bad)).to.be.instanceOf(TypeError);
        expect(await commandCalls(via, 'client|id')).to.equal(before);
        expect(await commandCalls(via, 'blpop')).to.equal(blpops);
      } finally {
        conn.close();
        await conn.waitClosed();
      }
    });
  });

  describe('when no other connection can be opened', () => {
    it('closes the blocked connection and rejects with ConnectionLostError, maybeExecuted', async () => {
      // A server that takes one client: the helper for the unblock is turned away.
      const full = await startRedis({ args: ['--maxclients', '1'] });
      try {
        const redis = await createRedis(full.url, { encoding: 'utf8' });
        const blocked = redis.connection;
        const controller = new AbortController();
        const popped = redis.blpop(uniqueKey('full'), 0, { signal: controller.signal });
        controller.abort();
        const err = await rejectionOf(popped);
        expect(err).to.be.instanceOf(ConnectionLostError);
        expect((err as ConnectionLostError).maybeExecuted).to.equal(true);
        expect((err.cause as Error).message).to.match(/max number of clients/);
        expect(blocked?.closed).to.equal(true);
        // The client reconnects (the server has room again) and goes on.
        expect(await redis.ping()).to.equal('PONG');
        expect(redis.connection).not.to.equal(blocked);
        redis.close();
        await redis.waitClosed();
      } finally {
        await full.stop();
      }
    });
  });

  describe('when CLIENT UNBLOCK is refused', () => {
    const user = 'redmux-no-unblock';

    before(async () => {
      await admin.execute(
        'ACL',
        'SETUSER',
        user,
        'on',
        '>secret',
        '~*',
        '&*',
        '+@all',
        '-client|unblock',
      );
    });

    after(async () => {
      await admin.execute('ACL', 'DELUSER', user);
    });

    type Open = (
      url: string,
      options: { username: string; password: string; encoding: 'utf8' },
    ) => Promise<Redis<string>>;
    const opens: Array<[string, Open]> = [
      ['a single-connection client', createRedis],
      ['a pool client', createRedisPool],
    ];
    for (const [kind, open] of opens) {
      it(`closes the blocked connection of ${kind} and rejects with ConnectionLostError, maybeExecuted`, async () => {
        const redis = await open(server.url, {
          username: user,
          password: 'secret',
          encoding: 'utf8',
        });
        try {
          const controller = new AbortController();
          const popped = redis.blpop(uniqueKey('refused'), 0, { signal: controller.signal });
          await blocked();
          controller.abort();
          const err = await rejectionOf(popped);
          expect(err).to.be.instanceOf(ConnectionLostError);
          expect((err as ConnectionLostError).maybeExecuted).to.equal(true);
          expect((err.cause as Error).message).to.match(/NOPERM/);
          if (redis.connection !== undefined) expect(redis.connection.closed).to.equal(true);
          await eventually(async () => (await blockedClients()) === 0);
        } finally {
          redis.close();
          await redis.waitClosed();
        }
      });
    }
  });
});
