// createPool / createRedisPool with `reconnect`, against real servers that are killed and
// restarted: what waited runs after, in order; one probe connect at a time, never a storm; the
// queue is bounded; a refused password stops for good; and every step is visible.
import { expect } from 'chai';
import * as net from 'node:net';
import {
  AuthError,
  type ConnectionsPool,
  ConnectionLostError,
  createPool,
  createRedis,
  createRedisPool,
  PoolClosedError,
  type PoolOptions,
  QueueFullError,
  type Redis,
  ReplyError,
  TimeoutError,
} from '../../lib';
import { nextEvent, recording } from '../helpers/events';
import { SLOW_LOADING_ARGS, untilLoading } from '../helpers/loading';
import { type RedisServer, startRedis } from '../helpers/redis-server';
import { eventually, rejectionOf } from '../helpers/util';

/**
 * Listens on `port` in the server's place, holding each connection it accepts for `holdMs` without
 * answering, then cutting it: counts the connect attempts and the most that were open at once.
 */
async function impostor(
  port: number,
  holdMs: number,
): Promise<{ accepted: () => number; mostAtOnce: () => number; close: () => Promise<void> }> {
  let accepted = 0;
  let open = 0;
  let most = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    accepted++;
    open++;
    most = Math.max(most, open);
    sockets.add(socket);
    // Counted as closed when either side ends it, the moment it does (not at 'close', a tick later).
    let closed = false;
    const end = (): void => {
      if (closed) return;
      closed = true;
      open--;
      sockets.delete(socket);
    };
    socket.on('error', () => {});
    socket.on('end', end);
    socket.on('close', end);
    setTimeout(() => {
      end();
      socket.destroy();
    }, holdMs);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    accepted: () => accepted,
    mostAtOnce: () => most,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('reconnecting pool (createPool / createRedisPool with reconnect)', function () {
  this.timeout(20_000);
  let server: RedisServer;
  let admin: Redis<string>;
  const pools: ConnectionsPool[] = [];
  const clients: Array<Redis<string>> = [];

  async function pool(options: PoolOptions = {}): Promise<ConnectionsPool> {
    const opened = await createPool(server.url, {
      encoding: 'utf8',
      reconnect: { base: 20, cap: 100 },
      ...options,
    });
    pools.push(opened);
    return opened;
  }

  /** Kills the server and waits until `target` has noticed (its state is 'reconnecting'). */
  async function down(target: { state: string }): Promise<void> {
    await server.kill();
    await eventually(async () => target.state === 'reconnecting');
  }

  beforeEach(async () => {
    server = await startRedis();
    // Not reconnecting: its own attempts would count as the pool's (and it dies with the server).
    admin = await createRedis(server.url, { encoding: 'utf8', reconnect: false });
  });

  afterEach(async () => {
    for (const opened of pools.splice(0)) opened.close();
    for (const client of clients.splice(0)) client.close();
    admin.close();
    await server.stop();
  });

  it('survives a server restart: commands sent while down run after, in order', async () => {
    const p = await pool({ minsize: 2, maxsize: 4 });
    await recording(async (events) => {
      await down(p);
      const queued = [
        p.execute('RPUSH', 'list', 'a'),
        p.execute('RPUSH', 'list', 'b'),
        p.execute('LRANGE', 'list', 0, -1),
      ];
      await server.restart();
      expect(await Promise.all(queued)).to.deep.equal([1, 2, ['a', 'b']]);
      expect(p.state).to.equal('ready');
      await eventually(async () => p.size === 2); // refilled to minsize
      const kinds = events.map(([name]) => name);
      expect(kinds[0]).to.equal('redmux:lost');
      expect(kinds).to.include('redmux:reconnecting');
      expect(kinds.at(-1)).to.equal('redmux:ready');
      const ready = events.at(-1)?.[1] as { epoch: number; address: string };
      expect(ready).to.deep.equal({ epoch: 2, address: `${server.host}:${server.port}` });
    });
  });

  it('acquire() while the server is down resolves once it is back', async () => {
    const p = await pool({ maxsize: 2 });
    await down(p);
    const acquired = p.acquire();
    const command = p.execute('INCR', 'n');
    await server.restart();
    const conn = await acquired;
    expect(await conn.execute('PING')).to.equal('PONG');
    expect(await command).to.equal(1);
    await p.release(conn);
  });

  it('goes ready → reconnecting → ready → closed, and redis.state on a createRedisPool client follows', async () => {
    const redis = await createRedisPool(server.url, {
      encoding: 'utf8',
      reconnect: { base: 20, cap: 100 },
    });
    clients.push(redis);
    expect(redis.state).to.equal('ready');
    expect(redis.pool?.state).to.equal('ready');
    await down(redis);
    expect(redis.pool?.state).to.equal('reconnecting');
    const incr = redis.incr('n');
    await server.restart();
    expect(await incr).to.equal(1);
    expect(redis.state).to.equal('ready');
    redis.close();
    expect(redis.state).to.equal('closed');
  });

  it('probes with one connect at a time while down, however many commands wait (no storm)', async () => {
    const p = await pool({ minsize: 3, maxsize: 10 });
    await recording(async (events) => {
      await down(p);
      const fake = await impostor(server.port, 30);
      const waiting = Array.from({ length: 50 }, (_, i) => p.execute('INCR', `storm:${i % 5}`));
      const outcomes = Promise.allSettled(waiting); // settled whatever an assertion says
      await new Promise((resolve) => setTimeout(resolve, 600));
      await fake.close();
      const attempts = events.filter(([name]) => name === 'redmux:reconnecting').length;
      await server.restart();
      const replies = (await outcomes).map((outcome) =>
        outcome.status === 'fulfilled' ? outcome.value : outcome.reason,
      );
      expect(replies.filter((reply) => reply === 10)).to.have.length(5);
      expect(fake.accepted()).to.be.at.least(3); // it did keep probing
      expect(fake.mostAtOnce()).to.equal(1);
      expect(fake.accepted()).to.be.at.most(attempts + 1);
    });
  });

  it('bounds the queue: QueueFullError at once past maxQueued, TimeoutError after offlineTimeout', async () => {
    const p = await pool({ maxQueued: 2, offlineTimeout: 300 });
    await down(p);
    const first = rejectionOf(p.execute('PING'));
    const second = rejectionOf(p.acquire()); // an acquire() takes a place in the queue too
    const third = await rejectionOf(p.execute('PING'));
    expect(third).to.be.instanceOf(QueueFullError);
    expect(await rejectionOf(p.acquire())).to.be.instanceOf(QueueFullError);
    for (const error of await Promise.all([first, second])) {
      expect(error).to.be.instanceOf(TimeoutError);
      expect((error as TimeoutError).maybeExecuted).to.equal(false);
    }
  });

  it('bounds the queue by bytes', async () => {
    const p = await pool({ maxQueuedBytes: 1000 });
    await down(p);
    const small = p.execute('SET', 'k', 'x'.repeat(500));
    const error = await rejectionOf(p.execute('SET', 'k', 'x'.repeat(600)));
    expect(error).to.be.instanceOf(QueueFullError);
    await server.restart();
    expect(await small).to.equal('OK');
  });

  it('acquire() keeps its own shorter timeout and its signal while the pool reconnects', async () => {
    const p = await pool();
    await down(p);
    const started = Date.now();
    const timedOut = await rejectionOf(p.acquire({ timeout: 100 }));
    expect(timedOut).to.be.instanceOf(TimeoutError);
    expect(Date.now() - started).to.be.below(1000);
    const controller = new AbortController();
    const reason = new Error('gave up');
    const aborted = rejectionOf(p.acquire({ signal: controller.signal }));
    controller.abort(reason);
    expect(await aborted).to.equal(reason);
  });

  it('fails fast with offlineQueue: false', async () => {
    const p = await pool({ offlineQueue: false });
    await down(p);
    const error = await rejectionOf(p.execute('PING'));
    expect(error).to.be.instanceOf(ConnectionLostError);
    expect((error as ConnectionLostError).maybeExecuted).to.equal(false);
  });

  it('a refused password after a restart closes the pool for good and rejects what waited', async () => {
    // A user made at run time: the restarted server no longer has it, so its password is refused.
    await admin.call('ACL', 'SETUSER', 'app', 'on', '>s3cret-pw', '~*', '&*', '+@all');
    const p = await pool({ username: 'app', password: 's3cret-pw', maxsize: 2 });
    await down(p);
    const waited = [rejectionOf(p.execute('PING')), rejectionOf(p.acquire())];
    await server.restart();
    for (const error of await Promise.all(waited)) {
      expect(error).to.be.instanceOf(ConnectionLostError);
      expect((error as ConnectionLostError).maybeExecuted).to.equal(false);
      expect(error.cause).to.be.instanceOf(AuthError);
      expect(error.message).not.to.include('s3cret-pw');
    }
    expect(p.state).to.equal('closed');
    expect(p.closed).to.equal(true);
    const later = await rejectionOf(p.execute('PING'));
    expect(later).to.be.instanceOf(PoolClosedError);
    expect(later.cause).to.be.instanceOf(AuthError);
  });

  it('close() while reconnecting rejects what waited, unsent, and stops probing', async () => {
    const p = await pool();
    await down(p);
    const waiting = rejectionOf(p.execute('PING'));
    p.close();
    const error = await waiting;
    expect(error).to.be.instanceOf(ConnectionLostError);
    expect(error.cause).to.be.instanceOf(PoolClosedError);
    await server.restart();
    await new Promise((resolve) => setTimeout(resolve, 200)); // longer than the backoff's cap
    expect(p.state).to.equal('closed');
    expect(p.size).to.equal(0);
  });

  it('without reconnect, a command while the server is down fails at once, as in round 1', async () => {
    const p = await createPool(server.url, { encoding: 'utf8', reconnect: false });
    pools.push(p);
    await recording(async (events) => {
      await server.kill();
      await eventually(async () => p.freesize === 0);
      const error = await rejectionOf(p.execute('PING'));
      expect(error).not.to.be.instanceOf(TimeoutError);
      expect(error).not.to.be.instanceOf(ConnectionLostError);
      expect(p.state).to.equal('ready');
      expect(p.size).to.equal(0); // nothing opened in the background either
      expect(events).to.deep.equal([]);
      await server.restart();
      expect(await p.execute('PING')).to.equal('PONG');
    });
  });

  it('pub/sub through a createRedisPool client works again after a restart', async () => {
    const redis = await createRedisPool(server.url, {
      encoding: 'utf8',
      reconnect: { base: 20, cap: 100 },
    });
    clients.push(redis);
    const [before] = await redis.subscribe('news');
    expect(before).to.not.equal(undefined);
    await server.kill();
    await server.restart();
    const publisher = await createRedis(server.url, { encoding: 'utf8' });
    clients.push(publisher);
    // The pub/sub slot is a Link: it gets a new connection by itself, before anyone asks.
    const slot = (): unknown => redis.pool?.getConnection('SUBSCRIBE')[0] ?? null;
    await eventually(async () => slot() !== null);
    // The pub/sub Link reconnects by itself; subscribing again goes to its new connection.
    await eventually(async () => {
      const [channel] = await redis.subscribe('news').catch(() => [undefined]);
      if (channel === undefined) return false;
      await publisher.publish('news', 'hello again');
      return (await Promise.race([channel.get(), delay(200)])) === 'hello again';
    }, 5000);
    expect(redis.pool?.size).to.be.at.most(2);
  });

  it('refuses queue options without reconnect, and bad values, before connecting', async () => {
    const cases: Array<[object, RegExp]> = [
      [{ reconnect: false, maxQueued: 5 }, /maxQueued needs reconnect/],
      [{ reconnect: 'yes' }, /reconnect must be a boolean/],
      [{ reconnect: { bse: 10 } }, /reconnect has no option 'bse'; did you mean 'base'/],
      [{ reconnect: true, offlineTimeout: 0 }, /offlineTimeout must be a finite number > 0/],
      [{ reconect: true }, /has no option 'reconect'; did you mean 'reconnect'/],
    ];
    for (const [options, message] of cases) {
      for (const create of [createPool, createRedisPool]) {
        const error = await rejectionOf(create(server.url, options as never));
        expect(error.message, `${create.name} ${JSON.stringify(options)}`).to.match(message);
      }
    }
  });

  describe('shared commands get the Link’s fate rules', () => {
    // A restart (or DEBUG RELOAD) loads the dataset slowly and answers LOADING meanwhile.
    beforeEach(async () => {
      admin.close();
      await server.stop();
      server = await startRedis({ args: SLOW_LOADING_ARGS });
      admin = await createRedis(server.url, { encoding: 'utf8', reconnect: false });
    });

    afterEach(() => {
      try {
        process.kill(server.pid, 'SIGCONT');
      } catch {
        // not running
      }
    });

    it('a command sent while the only connection’s health PING is out waits for it: when the PING fails it runs on the next connection, not "maybe"', async () => {
      const p = await pool({
        minsize: 1,
        maxsize: 1,
        healthCheckInterval: 100,
        healthCheckTimeout: 400,
      });
      await p.execute('SET', 'held', '0');
      process.kill(server.pid, 'SIGSTOP');
      // Idle for longer than the interval: the PING goes out, and cannot be answered.
      await delay(200);
      expect(p.getConnection('GET')[0]?.probing).to.equal(true);
      const lost = nextEvent<{ written: number }>('redmux:lost');
      const incr = p.execute('INCR', 'held');
      // The PING fails: the socket is destroyed with nothing but the PING on it.
      expect((await lost).written).to.equal(1);
      process.kill(server.pid, 'SIGCONT');
      expect(await incr).to.equal(1);
      expect(await admin.get('held')).to.equal('1');
    });

    it('a command sent while a health PING is out goes out at once when its PONG comes, on the same connection', async () => {
      const p = await pool({ minsize: 1, maxsize: 1, healthCheckInterval: 100 });
      const first = p.getConnection('GET')[0];
      process.kill(server.pid, 'SIGSTOP');
      await delay(200);
      expect(first?.probing).to.equal(true);
      const incr = p.execute('INCR', 'after-pong');
      process.kill(server.pid, 'SIGCONT');
      expect(await Promise.race([incr, delay(1500)])).to.equal(1);
      expect(p.getConnection('GET')[0]).to.equal(first); // no loss: the server was only slow
    });

    it('retries LOADING on an open connection (DEBUG RELOAD), with backoff, until the command runs', async () => {
      await admin.call('DEBUG', 'POPULATE', 1000);
      const p = await pool({ minsize: 1 });
      expect(await p.execute('GET', 'key:7')).to.equal('value:7');
      const watcher = await createRedis(server.url, { encoding: 'utf8', reconnect: false });
      clients.push(watcher);
      const reloading = admin.call('DEBUG', 'RELOAD'); // about 1 s of loading
      // Until another open connection is refused with LOADING.
      await untilLoading(() => watcher.call('PING'));
      // Refused with LOADING on the pool's open connection, sent again until the dataset is there.
      expect(await p.execute('GET', 'key:7')).to.equal('value:7');
      await reloading;
      const stats = await admin.call<string>('INFO', 'errorstats');
      expect(stats).to.match(/errorstat_LOADING:count=([2-9]|\d\d)/);
    });

    it('gives up on LOADING at the call’s timeout with the server’s refusal', async () => {
      await admin.call('DEBUG', 'POPULATE', 3000); // about 3 s of loading
      const p = await pool({ minsize: 1 });
      await p.execute('PING');
      const reloading = admin.call('DEBUG', 'RELOAD');
      const watcher = await createRedis(server.url, { encoding: 'utf8', reconnect: false });
      clients.push(watcher);
      await untilLoading(() => watcher.call('PING'));
      const started = Date.now();
      const err = await rejectionOf(p.executeWith({ timeout: 300 }, 'GET', 'key:1'));
      if (err instanceof ReplyError) expect(err.code).to.equal('LOADING');
      else expect(err).to.be.instanceOf(TimeoutError);
      expect(Date.now() - started).to.be.below(1000);
      await reloading;
    });

    it('after a restart, a command waits while the server loads: the probe’s PING is refused with LOADING, so the pool stays reconnecting until it is answered', async () => {
      await admin.call('DEBUG', 'POPULATE', 1000);
      await admin.call('SAVE');
      const p = await pool({ minsize: 2 });
      await server.kill();
      const restarting = server.restart(); // resolves once loading is done (about 1 s)
      expect(await p.execute('GET', 'key:7')).to.equal('value:7');
      await restarting;
    });
  });
});

function delay(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms));
}
