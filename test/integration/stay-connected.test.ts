// What a reconnecting createRedis client resends on its own, and only that: commands a health PING
// held back, replies that prove a command did not run (LOADING from a server loading its dataset),
// a written command whose call said it may run twice (retryOnLoss); and subscriptions, which come
// back with a gap marker in each Channel's stream. Real servers, paused with SIGSTOP or restarted.
import { expect } from 'chai';
import {
  ConnectionLostError,
  createRedis,
  isGap,
  type Redis,
  type RedisConnection,
  ReplyError,
  type SubscriptionGap,
  TimeoutError,
} from '../../lib';
import { commandCalls } from '../helpers/commandstats';
import { nextEvent } from '../helpers/events';
import { SLOW_LOADING_ARGS, untilLoading } from '../helpers/loading';
import { type RedisServer, startRedis } from '../helpers/redis-server';
import { rejectionOf } from '../helpers/util';

/** The connection a single-connection client is on now. */
function current(redis: Redis<string>): RedisConnection {
  const conn = redis.connection;
  if (conn === undefined) throw new Error('not a single-connection client');
  return conn;
}

describe('staying connected: what is resent, and subscriptions across a loss', function () {
  this.timeout(20_000);
  let server: RedisServer;
  let admin: Redis<string>;
  const opened: Array<Redis<string>> = [];

  async function client(options: object = {}): Promise<Redis<string>> {
    const redis = await createRedis(server.url, {
      encoding: 'utf8',
      reconnect: { base: 20, cap: 100 },
      ...options,
    });
    opened.push(redis);
    return redis;
  }

  /** Freezes the server process (it keeps its sockets, answers nothing) until the result is called. */
  function freeze(): () => void {
    process.kill(server.pid, 'SIGSTOP');
    return () => process.kill(server.pid, 'SIGCONT');
  }

  beforeEach(async () => {
    // A restart loads the dataset slowly and answers LOADING meanwhile (see the LOADING test).
    server = await startRedis({ args: SLOW_LOADING_ARGS });
    admin = await createRedis(server.url, { encoding: 'utf8', reconnect: false });
  });

  afterEach(async () => {
    try {
      process.kill(server.pid, 'SIGCONT');
    } catch {
      // not running
    }
    for (const redis of opened.splice(0)) redis.close();
    admin.close();
    await server.stop();
  });

  describe('commands sent while a health PING is out', () => {
    it('wait for its PONG, so a dead idle socket leaves them unsent: they run on the next connection', async () => {
      const redis = await client({ healthCheckInterval: 100, healthCheckTimeout: 400 });
      await redis.set('held', '0');
      const thaw = freeze();
      // Idle for longer than the interval: the PING goes out, and cannot be answered.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(current(redis).probing).to.equal(true);
      const lost = nextEvent<{ written: number }>('redmux:lost');
      const incr = redis.incr('held');
      const set = redis.set('other', 'x');
      // The PING fails: the socket is destroyed with nothing but the PING on it.
      expect((await lost).written).to.equal(1);
      thaw();
      expect(await incr).to.equal(1);
      expect(await set).to.equal(true);
      expect(await admin.get('held')).to.equal('1');
    });

    it('are sent at once when the PONG comes', async () => {
      const redis = await client({ healthCheckInterval: 100, healthCheckTimeout: 2000 });
      const thaw = freeze();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(current(redis).probing).to.equal(true);
      const first = current(redis);
      const reply = redis.incr('after-pong');
      thaw();
      expect(await reply).to.equal(1);
      expect(current(redis)).to.equal(first); // no reconnect: the server was only slow
    });
  });

  it('retries a reply that proves the command did not run (LOADING), with backoff, until it runs', async () => {
    await admin.call('DEBUG', 'POPULATE', 1000);
    await admin.call('SAVE');
    const redis = await client();
    await server.kill();
    const restarting = server.restart(); // resolves once loading is done (about 1 s)
    // Sent while the server is down: queued, then sent while it loads, refused with LOADING,
    // retried until the dataset is there.
    const value = redis.get('key:7');
    expect(await value).to.equal('value:7');
    await restarting;
    const stats = await admin.call<string>('INFO', 'errorstats').catch(async () => {
      const fresh = await client();
      return fresh.call<string>('INFO', 'errorstats');
    });
    expect(stats).to.match(/errorstat_LOADING:count=[1-9]/);
  });

  it('gives up on LOADING at the call’s deadline with the server’s refusal', async () => {
    await admin.call('DEBUG', 'POPULATE', 3000); // about 3 s of loading
    await admin.call('SAVE');
    const redis = await client();
    await server.kill();
    const restarting = server.restart();
    await untilLoading(() => current(redis).execute('PING'));
    const started = Date.now();
    const err = await rejectionOf(redis.executeWith({ timeout: 300 }, 'GET', 'key:1'));
    // The last refusal, or the deadline itself when it came while the last try was out.
    if (err instanceof ReplyError) expect(err.code).to.equal('LOADING');
    else expect(err).to.be.instanceOf(TimeoutError);
    expect(Date.now() - started).to.be.below(1000);
    await restarting;
  });

  it('resends a written command lost with its connection once when the call says retryOnLoss', async () => {
    const redis = await client({ stallTimeout: 300, healthCheckInterval: 0 });
    await redis.set('r', 'before');
    const thaw = freeze();
    const opted = redis.executeWith({ retryOnLoss: true }, 'SET', 'r', 'after');
    const plain = redis.incr('plain');
    const lost = nextEvent('redmux:lost');
    await lost; // the stall detector destroyed the socket with both written
    thaw();
    const err = await rejectionOf(plain);
    expect(err).to.be.instanceOf(ConnectionLostError);
    expect((err as ConnectionLostError).maybeExecuted).to.equal(true);
    expect(await opted).to.equal('OK');
    expect(await admin.get('r')).to.equal('after');
  });

  it('refuses retryOnLoss that is not a boolean, and on a client that does not reconnect', async () => {
    const redis = await client();
    const before = await commandCalls(admin, 'set');
    const bad = await rejectionOf(
      redis.executeWith({ retryOnLoss: 'yes' } as never, 'SET', 'k', 'v'),
    );
    expect(bad).to.be.instanceOf(TypeError);
    const plain = await createRedis(server.url, { reconnect: false });
    opened.push(plain as unknown as Redis<string>);
    const refused = await rejectionOf(
      plain.executeWith({ retryOnLoss: true } as never, 'SET', 'k', 'v'),
    );
    expect(refused).to.be.instanceOf(TypeError);
    expect(refused.message).to.match(/reconnect/);
    expect(await commandCalls(admin, 'set')).to.equal(before);
  });

  it('never resends a batch’s commands on its own: a pipeline meeting LOADING rejects', async () => {
    await admin.call('DEBUG', 'POPULATE', 2000);
    await admin.call('SAVE');
    const redis = await client();
    await server.kill();
    const restarting = server.restart();
    await untilLoading(() => current(redis).execute('PING'));
    const settled = await redis
      .pipeline()
      .execute((p) => [p.get('key:1'), p.get('key:2')], { returnExceptions: true });
    for (const item of settled) {
      expect(item).to.be.instanceOf(ReplyError);
      expect((item as ReplyError).code).to.equal('LOADING');
    }
    await restarting;
  });

  describe('subscriptions', () => {
    it('resubscribe every channel and pattern, and each Channel yields one gap marker first', async () => {
      const redis = await client();
      const [news] = await redis.subscribe('news');
      const [all] = await redis.psubscribe('n*');
      const gapEvent = nextEvent<SubscriptionGap>('redmux:gap');
      const before = Date.now();
      await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
      const marker = await news.get();
      expect(isGap(marker)).to.equal(true);
      const gap = marker as SubscriptionGap;
      expect(gap.kind).to.equal('gap');
      expect([...gap.channels].sort()).to.deep.equal(['n*', 'news']);
      expect(gap.epoch).to.equal(2);
      expect(gap.cause).to.be.instanceOf(Error);
      expect(gap.lostAt).to.be.at.most(gap.resumedAt);
      expect(gap.resumedAt).to.be.at.least(before);
      expect((await gapEvent).epoch).to.equal(2);
      const patternMarker = await all.get();
      expect(isGap(patternMarker)).to.equal(true);
      // Everything published after resumedAt arrives, on both.
      await admin.publish('news', 'm1');
      expect(await news.get()).to.equal('m1');
      expect(await all.get()).to.deep.equal(['news', 'm1']);
      expect(await admin.call('PUBSUB', 'NUMSUB', 'news')).to.deep.equal(['news', 1]);
      expect(redis.state).to.equal('ready');
    });

    it('put the resubscribe before every command queued meanwhile', async () => {
      const redis = await client();
      const [ch] = await redis.subscribe('ordered');
      await server.kill();
      const restarting = server.restart();
      // Queued while down: an UNSUBSCRIBE sent after the loss must win over the resubscribe.
      const unsubscribed = redis.unsubscribe('ordered');
      await restarting;
      await unsubscribed;
      expect(isGap(await ch.get())).to.equal(true);
      const fresh = await client(); // the admin client died with the server
      expect(await fresh.call('PUBSUB', 'NUMSUB', 'ordered')).to.deep.equal(['ordered', 0]);
    });

    it('with resubscribe: false, a loss closes the Channels as before', async () => {
      const redis = await client({ resubscribe: false });
      const [ch] = await redis.subscribe('plain');
      await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
      const err = await rejectionOf(ch.get());
      expect(err).to.be.instanceOf(Error);
      expect(isGap(err)).to.equal(false);
      expect(await admin.call('PUBSUB', 'NUMSUB', 'plain')).to.deep.equal(['plain', 0]);
    });

    it('close() while reconnecting closes the Channels it held', async () => {
      const redis = await client();
      const [ch] = await redis.subscribe('held');
      await server.kill();
      await new Promise((resolve) => setTimeout(resolve, 50));
      redis.close();
      expect(await rejectionOf(ch.get())).to.be.instanceOf(Error);
      await server.restart();
    });
  });
});
