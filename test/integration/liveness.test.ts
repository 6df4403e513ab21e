// Liveness against real servers: a redis-server stopped with SIGSTOP is a dead peer whose socket
// stays open (the kernel still accepts our bytes, nothing answers), exactly the half-open case the
// health check and the stall detector exist for. Short intervals keep the tests fast; they assert
// the close error and its cause, never how long it took.
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import {
  ConnectionClosedError,
  type ConnectionOptions,
  createConnection,
  createRedis,
  type Redis,
  type RedisConnection,
  TimeoutError,
} from '../../lib';
import { commandCalls } from '../helpers/commandstats';
import { type RedisServer, startRedis } from '../helpers/redis-server';
import { eventually, rejectionOf, uniqueKey } from '../helpers/util';

/** Fails the test, rather than hanging it, when `promise` does not settle within `ms`. */
function within<T>(promise: Promise<T>, what: string, ms = 5000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** The error and its causes, outermost first. */
function causes(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = err; e !== undefined && e !== null; e = (e as { cause?: unknown }).cause) {
    chain.push(e);
  }
  return chain;
}

/** Expects a ConnectionClosedError caused by a TimeoutError whose message includes `why`. */
function expectDeclaredDead(err: unknown, why: string): void {
  expect(err).to.be.instanceOf(ConnectionClosedError);
  const timeout = causes(err).find((e) => e instanceof TimeoutError) as TimeoutError | undefined;
  expect(timeout, 'a TimeoutError in the cause chain').not.to.equal(undefined);
  expect((timeout as TimeoutError).message).to.include(why);
  expect((err as Error).message).to.include(why);
}

describe('liveness: health check and stall detector', function () {
  let server: RedisServer;
  let admin: Redis<string>;
  const opened: RedisConnection[] = [];

  before(async () => {
    server = await startRedis({ args: ['--enable-debug-command', 'yes'] });
    admin = await createRedis(server.url, { encoding: 'utf8', healthCheckInterval: 0 });
  });
  after(async () => {
    admin.close();
    await server.stop();
  });
  afterEach(async () => {
    process.kill(server.pid, 'SIGCONT'); // harmless when it runs
    for (const conn of opened.splice(0)) conn.close();
  });

  const freeze = (): void => void process.kill(server.pid, 'SIGSTOP');
  const thaw = (): void => void process.kill(server.pid, 'SIGCONT');
  async function connect(options: ConnectionOptions): Promise<RedisConnection> {
    const conn = await createConnection(server.url, options);
    opened.push(conn);
    return conn;
  }

  describe('healthCheckInterval / healthCheckTimeout', () => {
    it('destroys an idle connection to a stopped server: its PING got no PONG', async () => {
      const conn = await connect({ healthCheckInterval: 100, healthCheckTimeout: 200 });
      freeze();
      await within(conn.waitClosed(), 'closed');
      expect(conn.closed).to.equal(true);
      expectDeclaredDead(conn.closeReason, 'health check failed: no reply to PING within 200 ms');
      // Later commands fail at once, carrying the reason.
      const err = await rejectionOf(conn.execute('GET', 'k'));
      expect(err).to.be.instanceOf(ConnectionClosedError);
      expect(causes(err)).to.include(conn.closeReason);
    });

    it('keeps a live idle connection open, PINGing it, and never shows the PING', async () => {
      const conn = await connect({ healthCheckInterval: 20, healthCheckTimeout: 1000 });
      const before = await commandCalls(admin, 'ping');
      await eventually(async () => (await commandCalls(admin, 'ping')) >= before + 3);
      expect(conn.closed).to.equal(false);
      expect(conn.inFlight).to.be.at.most(0);
      expect(await conn.execute('ECHO', 'still here')).to.deep.equal(Buffer.from('still here'));
    });

    it('health PINGs never shift replies: user commands interleaved with them each get their own', async () => {
      const conn = await connect({
        encoding: 'utf8',
        healthCheckInterval: 1,
        healthCheckTimeout: 2000,
      });
      const key = uniqueKey('interleave');
      const before = await commandCalls(admin, 'ping');
      for (let i = 0; i < 300; i++) {
        // 0–3 ms of idleness: often a PING goes out, and the next commands queue behind it.
        await sleep(i % 4);
        const batch = [
          conn.execute('SET', `${key}:${i}`, `v${i}`),
          conn.execute('GET', `${key}:${i}`),
          conn.execute('INCR', key),
          conn.execute('ECHO', `e${i}`),
        ];
        expect(await Promise.all(i % 3 === 0 ? batch.slice(1) : batch)).to.deep.equal(
          i % 3 === 0 ? [`v${i}`, i + 1, `e${i}`] : ['OK', `v${i}`, i + 1, `e${i}`],
        );
      }
      const pings = (await commandCalls(admin, 'ping')) - before;
      expect(pings, 'health PINGs sent among the commands').to.be.at.least(20);
      expect(conn.closed).to.equal(false);
    });

    it('health-checks a subscribed connection (RESP2 answers ["pong", ""]) and delivers only messages', async () => {
      const conn = await connect({ healthCheckInterval: 20, healthCheckTimeout: 300 });
      const name = uniqueKey('news');
      await conn.executePubsub('SUBSCRIBE', name);
      const channel = conn.pubsubChannels.get(name);
      if (channel === undefined) expect.fail('no channel');
      const before = await commandCalls(admin, 'ping');
      await eventually(async () => (await commandCalls(admin, 'ping')) >= before + 3);
      await admin.publish(name, 'one');
      await admin.publish(name, 'two');
      expect(String(await channel.get())).to.equal('one');
      expect(String(await channel.get())).to.equal('two');
      expect(conn.inPubsub).to.equal(1);

      freeze();
      const err = await within(rejectionOf(channel.get()), 'channel rejected');
      expect(err).to.be.instanceOf(ConnectionClosedError);
      expectDeclaredDead(conn.closeReason, 'health check failed');
    });

    it('sends no PING while messages keep arriving on a subscribed connection: it is not idle', async () => {
      const conn = await connect({ healthCheckInterval: 300, healthCheckTimeout: 1000 });
      const name = uniqueKey('stream');
      await conn.executePubsub('SUBSCRIBE', name);
      const before = await commandCalls(admin, 'ping');
      for (let i = 0; i < 80; i++) {
        await admin.publish(name, String(i));
        await sleep(10);
      }
      expect((await commandCalls(admin, 'ping')) - before).to.equal(0);
    });

    it('sends no PING inside MULTI: the transaction gets exactly its own commands', async () => {
      const conn = await connect({ encoding: 'utf8', healthCheckInterval: 10 });
      const key = uniqueKey('multi');
      expect(await conn.execute('MULTI')).to.equal('OK');
      await sleep(150);
      const queued = conn.execute('SET', key, 'x');
      expect(await conn.execute('EXEC')).to.deep.equal(['OK']);
      expect(await queued).to.equal('QUEUED');
      expect(conn.closed).to.equal(false);
    });

    it('sends no PING under MONITOR: the monitor sees only real commands', async () => {
      const redis = await createRedis(server.url, { healthCheckInterval: 10 });
      const monitor = await redis.monitor();
      redis.close(); // its own health PINGs would show up in the monitor too
      await sleep(150);
      const key = uniqueKey('monitored');
      await admin.set(key, 'seen');
      const iterator = monitor[Symbol.asyncIterator]();
      const first = await within(iterator.next(), 'a monitor line');
      expect(first.done).to.equal(false);
      expect(first.value?.args).to.deep.equal(['SET', key, 'seen']);
      await monitor.stop();
    });

    it('healthCheckInterval 0 turns it off: an idle connection to a stopped server stays open', async () => {
      const conn = await connect({ healthCheckInterval: 0, healthCheckTimeout: 50 });
      freeze();
      await sleep(300);
      expect(conn.closed).to.equal(false);
      thaw();
      expect(await conn.execute('PING')).to.equal('PONG');
    });
  });

  describe('TCP keepalive', () => {
    it('is on, with probes after 30 s of idleness rather than the OS default (Linux: read with ss)', async function () {
      const conn = await connect({ encoding: 'utf8' });
      const info = String(await conn.execute('CLIENT', 'INFO'));
      const localPort = /\baddr=[\d.]+:(\d+)/.exec(info)?.[1];
      let out: string;
      try {
        out = execFileSync('ss', ['-tnoH', 'state', 'established', `( sport = :${localPort} )`], {
          encoding: 'utf8',
        });
      } catch {
        this.skip(); // no ss on this machine
      }
      const timer = /timer:\(keepalive,(\d+)sec/.exec(out);
      expect(timer, out).not.to.equal(null);
      expect(Number(timer?.[1])).to.be.at.most(30);
    });
  });

  describe('stallTimeout', () => {
    it('destroys a connection whose pending command gets no reply, and rejects that command', async () => {
      const conn = await connect({ healthCheckInterval: 0, stallTimeout: 200 });
      freeze();
      const pending = [conn.execute('GET', 'a'), conn.execute('SET', 'b', '1')];
      for (const promise of pending) {
        const err = await within(rejectionOf(promise), 'rejected');
        expectDeclaredDead(err, 'stalled: 2 command(s) pending');
      }
      expect(conn.closed).to.equal(true);
    });

    it('is checked on time even when the health check interval is much longer', async () => {
      const conn = await connect({ healthCheckInterval: 600_000, stallTimeout: 200 });
      freeze();
      const err = await within(rejectionOf(conn.execute('GET', 'a')), 'rejected');
      expectDeclaredDead(err, 'stalled');
    });

    it('is never a stall while replies keep coming, however long the connection stays busy', async () => {
      const conn = await connect({ healthCheckInterval: 0, stallTimeout: 150 });
      const end = Date.now() + 600;
      // Ten callers, each sending its next command as soon as its reply came: never idle.
      const caller = async (): Promise<void> => {
        while (Date.now() < end) await conn.execute('INCR', uniqueKey('busy'));
      };
      await Promise.all(Array.from({ length: 10 }, caller));
      expect(conn.closed).to.equal(false);
    });

    it('counts silence from when the connection turned busy, not from its last read long ago', async () => {
      const conn = await connect({ healthCheckInterval: 0, stallTimeout: 300 });
      await sleep(400); // idle: no reads
      expect(await conn.execute('DEBUG', 'SLEEP', '0.1')).to.deep.equal('OK');
      expect(conn.closed).to.equal(false);
    });

    it('bounds a slow command sent without a timeout (DEBUG SLEEP), as documented', async () => {
      const conn = await connect({ healthCheckInterval: 0, stallTimeout: 100 });
      const err = await within(rejectionOf(conn.execute('DEBUG', 'SLEEP', '0.5')), 'rejected');
      expectDeclaredDead(err, 'stalled');
    });

    it('is stretched by a pending command’s own longer timeout', async () => {
      const conn = await connect({ healthCheckInterval: 0, stallTimeout: 100 });
      expect(await conn.executeWith({ timeout: 3000 }, 'DEBUG', 'SLEEP', '0.5')).to.equal('OK');
      expect(conn.closed).to.equal(false);
    });

    it('is stretched by a blocking command’s server timeout: BLPOP … 1 is not a stall', async () => {
      const conn = await connect({ healthCheckInterval: 0, stallTimeout: 200 });
      expect(await conn.execute('BLPOP', uniqueKey('empty'), 1)).to.equal(null);
      expect(conn.closed).to.equal(false);
    });

    it('exempts a command that blocks forever (BLPOP … 0) while it is pending', async () => {
      const conn = await connect({ encoding: 'utf8', healthCheckInterval: 0, stallTimeout: 100 });
      const key = uniqueKey('forever');
      const popped = conn.execute('BLPOP', key, 0);
      await sleep(400);
      await admin.rpush(key, 'late');
      expect(await within(popped, 'popped')).to.deep.equal([key, 'late']);
      expect(conn.closed).to.equal(false);
    });

    it('stallTimeout 0 turns it off: a pending command waits for a stopped server', async () => {
      const conn = await connect({ healthCheckInterval: 0, stallTimeout: 0 });
      freeze();
      let settled = false;
      const pong = conn.execute('PING').finally(() => (settled = true));
      await sleep(300);
      expect(settled).to.equal(false);
      thaw();
      expect(await pong).to.equal('PONG');
    });
  });
});
