// createRedis(…, { reconnect }) against real servers that are killed, restarted and whose clients
// are killed: queued commands survive in order, written ones are never resent and say so, the
// queue is bounded, a bad password stops the retries, and every step is visible.
import { expect } from 'chai';
import {
  AuthError,
  ConnectionLostError,
  createRedis,
  QueueFullError,
  type Redis,
  TimeoutError,
  WatchVariableError,
} from '../../lib';
import { commandCalls } from '../helpers/commandstats';
import { recording } from '../helpers/events';
import { type RedisServer, startRedis } from '../helpers/redis-server';
import { eventually, rejectionOf } from '../helpers/util';

/** Kills every connection of `client` from `admin` (CLIENT KILL by id). */
async function killConnectionOf(client: Redis<string>, admin: Redis<string>): Promise<void> {
  const id = await client.clientId();
  await admin.call('CLIENT', 'KILL', 'ID', id);
}

describe('reconnecting client (createRedis with reconnect)', function () {
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

  beforeEach(async () => {
    server = await startRedis();
    admin = await createRedis(server.url, { encoding: 'utf8', reconnect: false });
  });

  afterEach(async () => {
    for (const redis of opened.splice(0)) redis.close();
    admin.close();
    await server.stop();
  });

  it('survives a server restart: commands sent while it is down run after, in order', async () => {
    const redis = await client();
    await recording(async (events) => {
      await server.kill();
      await eventually(async () => redis.state === 'reconnecting');
      const queued = [
        redis.rpush('list', 'a'),
        redis.rpush('list', 'b'),
        redis.lrange('list', 0, -1),
      ];
      await server.restart();
      expect(await Promise.all(queued)).to.deep.equal([1, 2, ['a', 'b']]);
      expect(redis.state).to.equal('ready');
      const kinds = events.map(([name]) => name);
      expect(kinds[0]).to.equal('redmux:lost');
      expect(kinds).to.include('redmux:reconnecting');
      expect(kinds.at(-1)).to.equal('redmux:ready');
      const ready = events.at(-1)?.[1] as { epoch: number; address: string };
      expect(ready.epoch).to.equal(2);
      expect(ready.address).to.equal(`${server.host}:${server.port}`);
    });
  });

  it('runs a transaction sent while reconnecting, each command with its own EXEC item', async () => {
    const redis = await client();
    await server.kill();
    await eventually(async () => redis.state === 'reconnecting');
    const tx = redis.multiExec();
    const set = tx.set('tx:a', '1');
    const incr = tx.incr('tx:n');
    const get = tx.get('tx:a');
    const done = tx.execute();
    await server.restart();
    await done;
    expect([await set, await incr, await get]).to.deep.equal([true, 1, '1']);
  });

  it('rejects a written command with maybeExecuted and never resends it', async () => {
    const redis = await client();
    // Its one connection is busy once BLPOP is sent: ask for the id first.
    const id = await redis.clientId();
    const blocked = redis.blpop(['nothing'], 0);
    await eventually(async () => (await admin.clientList()).some((c) => c.cmd === 'blpop'));
    const calls = (): Promise<number> => commandCalls(admin, 'blpop');
    const before = await calls();
    await admin.call('CLIENT', 'KILL', 'ID', id);
    const error = await rejectionOf(blocked);
    expect(error).to.be.instanceOf(ConnectionLostError);
    expect((error as ConnectionLostError).maybeExecuted).to.equal(true);
    expect(await redis.ping()).to.equal('PONG'); // reconnected
    expect(await calls()).to.equal(before); // BLPOP was not sent again
  });

  it('keeps the selected database across a reconnect', async () => {
    const redis = await client();
    await redis.select(3);
    await redis.set('where', 'db3');
    await killConnectionOf(redis, admin);
    await eventually(async () => (await redis.ping().catch(() => 'lost')) === 'PONG');
    expect(redis.db).to.equal(3);
    expect(await redis.get('where')).to.equal('db3');
  });

  it('authenticates the next connection as the last auth() did', async () => {
    await admin.call('ACL', 'SETUSER', 'later', 'on', '>pw', '~*', '&*', '+@all');
    const redis = await client();
    expect(await redis.aclWhoami()).to.equal('default');
    await redis.auth('pw', 'later');
    await killConnectionOf(redis, admin);
    await eventually(async () => (await redis.ping().catch(() => 'lost')) === 'PONG');
    expect(await redis.aclWhoami()).to.equal('later');
  });

  it('gives the current connection as redis.connection', async () => {
    const redis = await client();
    const first = redis.connection;
    await killConnectionOf(redis, admin);
    await eventually(async () => (await redis.ping().catch(() => 'lost')) === 'PONG');
    expect(redis.connection).to.not.equal(first);
    expect(redis.connection?.closed).to.equal(false);
    expect(first?.closed).to.equal(true);
  });

  it('a WATCH lost with its connection aborts the transaction it guarded: nothing of it runs', async () => {
    const redis = await client();
    await redis.set('watched', 'before');
    await redis.watch('watched');
    await killConnectionOf(redis, admin);
    await eventually(async () => (await redis.ping().catch(() => 'lost')) === 'PONG');
    const tx = redis.multiExec();
    const set = tx.set('watched', 'unguarded');
    const error = await rejectionOf(tx.execute());
    expect(error).to.be.instanceOf(WatchVariableError);
    expect(await rejectionOf(set)).to.be.instanceOf(WatchVariableError);
    expect(await admin.get('watched')).to.equal('before');
    // The block is over: the next transaction runs.
    const again = redis.multiExec();
    void again.set('watched', 'after');
    await again.execute();
    expect(await admin.get('watched')).to.equal('after');
  });

  it('a MULTI lost with its connection: the rest of that transaction is refused, unsent', async () => {
    const redis = await client();
    const id = await redis.clientId(); // inside MULTI it would only be QUEUED
    const multi = redis.call('MULTI');
    const queuedSet = redis.call('SET', 'tx', 'first');
    await multi;
    await queuedSet;
    const first = redis.connection;
    await admin.call('CLIENT', 'KILL', 'ID', id);
    await eventually(async () => first?.closed === true);
    // Sent after the loss, but still part of the transaction the caller opened.
    const laterSet = rejectionOf(redis.call('SET', 'tx', 'second'));
    const exec = rejectionOf(redis.call('EXEC'));
    for (const error of [await laterSet, await exec]) {
      expect(error).to.be.instanceOf(ConnectionLostError);
      expect((error as ConnectionLostError).maybeExecuted).to.equal(false);
    }
    expect(await admin.exists('tx')).to.equal(0);
    expect(await redis.set('tx', 'third')).to.equal(true); // after EXEC, commands run again
  });

  it('INCR traffic across kills: acknowledged ≤ final ≤ acknowledged + maybeExecuted', async () => {
    const redis = await client();
    let acknowledged = 0;
    let maybe = 0;
    let notRun = 0;
    const outcomes: Array<Promise<void>> = [];
    const incr = (): Promise<void> =>
      redis.incr('counter').then(
        () => void acknowledged++,
        (err: unknown) => {
          if (err instanceof ConnectionLostError && err.maybeExecuted) maybe++;
          else if ((err as { maybeExecuted?: boolean }).maybeExecuted === false) notRun++;
          else throw err;
        },
      );
    for (let round = 0; round < 5; round++) {
      // Some INCRs are answered; then the server holds writes, so the next ones are surely in
      // flight when the connection is killed.
      await Promise.all(Array.from({ length: 100 }, incr));
      const id = await redis.clientId(); // before its connection is stuck behind paused writes
      await admin.clientPause(2000, { mode: 'WRITE' });
      for (let i = 0; i < 300; i++) outcomes.push(incr());
      await new Promise((resolve) => setImmediate(resolve));
      await admin.call('CLIENT', 'KILL', 'ID', id);
      await admin.clientUnpause();
    }
    await Promise.all(outcomes); // every promise settles
    expect(acknowledged + maybe + notRun).to.equal(2000);
    expect(acknowledged).to.be.at.least(500);
    const final = Number(await admin.get('counter'));
    expect(final).to.be.at.least(acknowledged);
    expect(final).to.be.at.most(acknowledged + maybe);
    expect(maybe).to.be.at.least(5); // each kill landed on commands in flight
  });

  it('bounds the queue: QueueFullError at once past maxQueued, TimeoutError after offlineTimeout', async () => {
    const redis = await client({ maxQueued: 2, offlineTimeout: 300 });
    await server.kill();
    await eventually(async () => redis.state === 'reconnecting');
    const first = rejectionOf(redis.ping());
    const second = rejectionOf(redis.ping());
    const third = await rejectionOf(redis.ping());
    expect(third).to.be.instanceOf(QueueFullError);
    for (const error of await Promise.all([first, second])) {
      expect(error).to.be.instanceOf(TimeoutError);
      expect((error as TimeoutError).maybeExecuted).to.equal(false);
    }
  });

  it('bounds the queue by bytes', async () => {
    const redis = await client({ maxQueuedBytes: 1000 });
    await server.kill();
    await eventually(async () => redis.state === 'reconnecting');
    const small = redis.set('k', 'x'.repeat(500));
    const error = await rejectionOf(redis.set('k', 'x'.repeat(600)));
    expect(error).to.be.instanceOf(QueueFullError);
    await server.restart();
    expect(await small).to.equal(true);
  });

  it('a queued command whose signal aborts leaves the queue unsent', async () => {
    const redis = await client();
    await server.kill();
    await eventually(async () => redis.state === 'reconnecting');
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    const aborted = rejectionOf(redis.executeWith({ signal: controller.signal }, 'INCR', 'gone'));
    const kept = redis.incr('kept');
    controller.abort(reason);
    expect(await aborted).to.equal(reason);
    await server.restart();
    expect(await kept).to.equal(1);
    expect(await redis.exists('gone')).to.equal(0);
  });

  it('fails fast with offlineQueue: false', async () => {
    const redis = await client({ offlineQueue: false });
    await server.kill();
    await eventually(async () => redis.state === 'reconnecting');
    const error = await rejectionOf(redis.ping());
    expect(error).to.be.instanceOf(ConnectionLostError);
    expect((error as ConnectionLostError).maybeExecuted).to.equal(false);
  });

  it('stops reconnecting when the password is refused, and rejects what waited', async () => {
    await admin.call('ACL', 'SETUSER', 'app', 'on', '>old', '~*', '&*', '+@all');
    const redis = await client({ username: 'app', password: 'old' });
    await admin.call('ACL', 'SETUSER', 'app', 'resetpass', '>new');
    await killConnectionOf(redis, admin);
    await eventually(async () => redis.state !== 'ready');
    const waited = await rejectionOf(redis.ping());
    expect(redis.state).to.equal('closed');
    // Either it waited and was rejected when the retries stopped, or it came after.
    expect(waited.cause ?? waited).to.be.instanceOf(AuthError);
    expect(String(waited.message)).not.to.include('old');
  });

  it('close() while reconnecting rejects what waited and stops for good', async () => {
    const redis = await client();
    await server.kill();
    await eventually(async () => redis.state === 'reconnecting');
    const waiting = rejectionOf(redis.ping());
    redis.close();
    const error = await waiting;
    expect(error).to.be.instanceOf(ConnectionLostError);
    expect((error as ConnectionLostError).maybeExecuted).to.equal(false);
    expect(redis.state).to.equal('closed');
    await server.restart();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(redis.state).to.equal('closed');
  });

  it('quit() ends the client without a reconnect', async () => {
    const redis = await client();
    expect(await redis.quit()).to.equal('OK');
    expect(redis.state).to.equal('closed');
    await new Promise((resolve) => setTimeout(resolve, 150)); // longer than the backoff's cap
    expect(redis.state).to.equal('closed');
    expect((await admin.clientList()).length).to.equal(1); // only admin is connected
  });

  it('with reconnect: false, a lost connection closes the client, as in round 1', async () => {
    const redis = await createRedis(server.url, { encoding: 'utf8', reconnect: false });
    opened.push(redis);
    await killConnectionOf(redis, admin);
    await eventually(async () => redis.closed);
    expect(redis.state).to.equal('closed');
  });

  it('refuses queue options without reconnect, and bad values, before connecting', async () => {
    const cases: Array<[object, RegExp]> = [
      [{ reconnect: false, maxQueued: 5 }, /maxQueued needs reconnect/],
      [{ reconnect: 'yes' }, /reconnect must be a boolean/],
      [{ reconnect: { bse: 10 } }, /reconnect has no option 'bse'; did you mean 'base'/],
      [{ reconnect: true, offlineTimeout: 0 }, /offlineTimeout must be a finite number > 0/],
      [{ reconnect: true, maxQueued: 1.5 }, /maxQueued must be an integer/],
      [{ reconnect: true, offlineQueue: 'no' }, /offlineQueue must be a boolean/],
      [{ reconect: true }, /has no option 'reconect'; did you mean 'reconnect'/],
    ];
    for (const [options, message] of cases) {
      const error = await rejectionOf(createRedis(server.url, options as never));
      expect(error.message, JSON.stringify(options)).to.match(message);
    }
  });
});
