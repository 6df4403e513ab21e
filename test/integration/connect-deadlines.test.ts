// The connect `timeout` bounds everything before a connection is ready (issue 11, part 3): the
// socket, TLS, AUTH, CLIENT SETNAME, SELECT, and a pool's PING, for its first connections and
// every one it opens later (growth, replacements, its pub/sub connection). Each case runs against
// a server that accepts and never answers, must settle with TimeoutError, and must leave no socket
// open. No tight timing: only that it settles, and with what.
import type * as net from 'node:net';
import { expect } from 'chai';
import {
  type ConnectionsPool,
  createConnection,
  createPool,
  createRedis,
  createRedisPool,
  PoolClosedError,
  TimeoutError,
} from '../../lib';
import { type FakeServer, startFakeServer } from '../helpers/fake-server';
import { startRedis } from '../helpers/redis-server';
import { eventually, rejectionOf } from '../helpers/util';

/**
 * A fake server that answers PING (+PONG) and anything else (nil) on the connections it accepted
 * before `stall()`, and never answers the ones it accepts after.
 */
async function stallingServer(): Promise<FakeServer & { stall(): void }> {
  let answered = Infinity;
  const fake = await startFakeServer((socket: net.Socket, data: Buffer) => {
    if (fake.connections.indexOf(socket) >= answered) return;
    for (const command of data
      .toString('latin1')
      .split(/\*\d+\r\n/)
      .slice(1)) {
      socket.write(/^\$4\r\nPING\r\n/i.test(command) ? '+PONG\r\n' : '$-1\r\n');
    }
  });
  return Object.assign(fake, {
    stall() {
      answered = fake.connections.length;
    },
  });
}

/** Waits until the server saw every client socket it accepted closed: nothing was left open. */
async function noSocketLeft(fake: FakeServer): Promise<void> {
  await eventually(async () => fake.connections.every((socket) => socket.destroyed));
}

describe('connect deadlines cover everything before "ready"', function () {
  // A regression would hang: fail fast instead of at mocha's 20 s.
  this.timeout(8000);
  const TIMEOUT = 200;
  let fake: FakeServer & { stall(): void };
  const pools: ConnectionsPool[] = [];

  beforeEach(async () => {
    fake = await stallingServer();
  });

  afterEach(async () => {
    for (const pool of pools.splice(0)) {
      pool.close();
      await pool.waitClosed();
    }
    await fake.close();
  });

  describe('createConnection()', () => {
    for (const [step, options] of [
      ['AUTH', { password: 's3cret' }],
      ['CLIENT SETNAME', { name: 'stalled' }],
      ['SELECT', { db: 3 }],
    ] as const) {
      it(`rejects with TimeoutError when the server never answers ${step}`, async () => {
        fake.stall();
        const err = await rejectionOf(
          createConnection([fake.host, fake.port], { ...options, timeout: TIMEOUT }),
        );
        expect(err).to.be.instanceOf(TimeoutError);
        expect(err.message).to.include(`timed out after ${TIMEOUT} ms`);
        expect(err.message).not.to.include('s3cret');
        expect(fake.connections).to.have.length(1);
        await noSocketLeft(fake);
      });
    }

    it('rejects with TimeoutError when the TLS handshake never completes', async () => {
      fake.stall();
      const err = await rejectionOf(
        createConnection([fake.host, fake.port], { ssl: true, timeout: TIMEOUT }),
      );
      expect(err).to.be.instanceOf(TimeoutError);
      expect(fake.connections).to.have.length(1);
      await noSocketLeft(fake);
    });
  });

  describe('createRedis()', () => {
    it('rejects with TimeoutError when the handshake never completes', async () => {
      fake.stall();
      const err = await rejectionOf(
        createRedis(`redis://${fake.host}:${fake.port}/2`, { timeout: TIMEOUT }),
      );
      expect(err).to.be.instanceOf(TimeoutError);
      await noSocketLeft(fake);
    });
  });

  describe('createPool() and createRedisPool()', () => {
    for (const [name, create] of [
      ['createPool', createPool],
      ['createRedisPool', createRedisPool],
    ] as const) {
      it(`${name}() rejects with TimeoutError when the startup PING is never answered`, async () => {
        fake.stall();
        const err = await rejectionOf(
          create([fake.host, fake.port], { minsize: 2, timeout: TIMEOUT }),
        );
        expect(err).to.be.instanceOf(TimeoutError);
        expect(err.message).to.include(`timed out after ${TIMEOUT} ms`);
        expect(fake.connections).to.have.length(2);
        await noSocketLeft(fake);
      });
    }

    it('createRedisPool() against a real redis-server stopped with SIGSTOP', async () => {
      const server = await startRedis();
      process.kill(server.pid, 'SIGSTOP');
      try {
        const err = await rejectionOf(
          createRedisPool([server.host, server.port], { timeout: 500 }),
        );
        expect(err).to.be.instanceOf(TimeoutError);
      } finally {
        process.kill(server.pid, 'SIGCONT');
      }
      // The server only ever sees the closed socket: after it woke up, only our check is connected.
      const admin = await createConnection([server.host, server.port], { encoding: 'utf8' });
      await eventually(async () => {
        const list = await admin.execute<string>('CLIENT', 'LIST');
        return list.trim().split('\n').length === 1;
      });
      admin.close();
      await server.stop();
    });
  });

  describe('connections a pool opens later', () => {
    async function pool(minsize: number, maxsize: number): Promise<ConnectionsPool> {
      // Round 1's rule, which these check: a failed open rejects what waited for it.
      const opened = await createPool([fake.host, fake.port], {
        minsize,
        maxsize,
        timeout: TIMEOUT,
        reconnect: false,
      });
      pools.push(opened);
      return opened;
    }

    it('growth: an acquire() whose new connection never answers PING rejects with TimeoutError', async () => {
      const p = await pool(1, 2);
      const first = await p.acquire();
      fake.stall();
      const err = await rejectionOf(p.acquire());
      expect(err).to.be.instanceOf(TimeoutError);
      expect(fake.connections).to.have.length(2);
      await eventually(async () => (fake.connections[1] as net.Socket).destroyed);
      expect(p.size).to.equal(1);
      await p.release(first);
    });

    it('replacement: a command waiting for a replacement connection rejects with TimeoutError', async () => {
      const p = await pool(1, 1);
      expect(await p.execute('PING')).to.equal('PONG');
      fake.stall();
      (fake.connections[0] as net.Socket).destroy(); // the server drops the only connection
      await eventually(async () => p.freesize === 0);
      const err = await rejectionOf(p.execute('GET', 'k'));
      expect(err).to.be.instanceOf(TimeoutError);
      expect(fake.connections).to.have.length(2);
      await noSocketLeft(fake);
      expect(p.size).to.equal(0);
    });

    it('close() closes a connection still connecting, even without a timeout, and waitClosed() resolves', async () => {
      const p = await createPool([fake.host, fake.port], { minsize: 1, maxsize: 2 });
      await p.acquire(); // lent out: the next acquire() needs a new connection
      fake.stall();
      const waiting = rejectionOf(p.acquire()); // opens a second connection, which never gets ready
      await eventually(async () => fake.connections.length === 2);
      p.close();
      await p.waitClosed();
      expect(await waiting).to.be.instanceOf(PoolClosedError);
      await noSocketLeft(fake);
    });

    it('pub/sub: executePubsub() whose new connection never answers rejects with TimeoutError', async () => {
      const p = await pool(1, 2);
      const only = await p.acquire(); // no idle connection to take over for pub/sub
      fake.stall();
      const err = await rejectionOf(p.executePubsub('SUBSCRIBE', 'news'));
      expect(err).to.be.instanceOf(TimeoutError);
      expect(fake.connections).to.have.length(2);
      await eventually(async () => (fake.connections[1] as net.Socket).destroyed);
      await p.release(only);
    });
  });
});
