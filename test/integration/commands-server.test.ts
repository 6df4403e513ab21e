import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import {
  ConnectionClosedError,
  createConnection,
  createRedis,
  type Redis,
  ReplyError,
  type RedisConnection,
} from '../../lib';
import type { Arg } from '../../lib/protocol/encoder';
import { sharedServer } from '../helpers/hooks';
import { type RedisServer, startRedis } from '../helpers/redis-server';
import { eventually, rejectionOf, uniqueKey } from '../helpers/util';

/**
 * A server of our own for commands that change the whole server (flushes, saves, pauses, the
 * slow log, the latency monitor, the ACL log): the shared one must not be flushed or paused.
 */
const SCRATCH_ARGS = ['--repl-diskless-sync-delay', '0', '--enable-module-command', 'yes'];

describe('ServerCommands', () => {
  let url: string;
  let redis: Redis;
  let text: Redis<string>;
  let scratch: RedisServer;
  let onScratch: Redis<string>;
  /** Clients a test opened; closed after each test. */
  let opened: Array<Redis<Buffer> | Redis<string>>;

  before(async () => {
    url = (await sharedServer()).url;
    scratch = await startRedis({ args: SCRATCH_ARGS });
    [redis, text, onScratch] = await Promise.all([
      createRedis(url),
      createRedis(url, { encoding: 'utf8' }),
      createRedis(scratch.url, { encoding: 'utf8' }),
    ]);
  });

  beforeEach(() => {
    opened = [];
  });

  afterEach(async () => {
    for (const client of opened) client.close();
    await Promise.all(opened.map((client) => client.waitClosed()));
  });

  after(async () => {
    for (const client of [redis, text, onScratch]) client.close();
    await Promise.all([redis.waitClosed(), text.waitClosed(), onScratch.waitClosed()]);
    await scratch.stop();
  });

  /** Another client, closed after the test. */
  async function open(address = url, options: { username?: string; password?: string } = {}) {
    const client = await createRedis(address, { ...options, encoding: 'utf8' });
    opened.push(client);
    return client;
  }

  /** Runs `call` with `client`'s execute and executeWith spied on: what it sent, and its outcome. */
  async function sending<T>(
    client: Redis<Buffer> | Redis<string>,
    call: () => Promise<T>,
  ): Promise<{ sent: Arg[][]; result: Promise<T> }> {
    const sent: Arg[][] = [];
    const spied = client as unknown as Record<string, unknown>;
    const { execute, executeWith } = client;
    spied.execute = (command: string, ...args: Arg[]) => {
      sent.push([command, ...args]);
      return execute.call(client, command, ...args);
    };
    spied.executeWith = (options: never, command: string, ...args: Arg[]) => {
      sent.push([command, ...args]);
      return executeWith.call(client, options, command, ...args);
    };
    try {
      const result = call();
      await result.catch(() => undefined);
      return { sent, result };
    } finally {
      delete spied.execute;
      delete spied.executeWith;
    }
  }

  /** What `call` sends, once it resolved. */
  async function sentBy(
    client: Redis<Buffer> | Redis<string>,
    call: () => Promise<unknown>,
  ): Promise<Arg[][]> {
    const { sent, result } = await sending(client, call);
    await result;
    return sent;
  }

  /** Expects `call` to reject with `type` without sending anything. */
  async function expectRefused(
    call: () => Promise<unknown>,
    type: typeof TypeError | typeof RangeError,
    client: Redis<Buffer> | Redis<string> = text,
  ): Promise<void> {
    const { sent, result } = await sending(client, call);
    expect(await rejectionOf(result)).to.be.instanceOf(type);
    expect(sent).to.deep.equal([]);
  }

  async function expectReplyError(promise: Promise<unknown>, code = 'ERR'): Promise<ReplyError> {
    const err = await rejectionOf(promise);
    expect(err).to.be.instanceOf(ReplyError);
    expect((err as ReplyError).code).to.equal(code);
    return err as ReplyError;
  }

  /** A client of the scratch server that speaks RESP3. */
  async function resp3(): Promise<Redis<string>> {
    const client = await open(scratch.url);
    await client.call('HELLO', '3');
    return client;
  }

  /** Waits until the scratch server's background save or rewrite is over. */
  async function backgroundDone(): Promise<void> {
    await eventually(async () => {
      const { persistence = {} } = await onScratch.info('persistence');
      return (
        persistence.rdb_bgsave_in_progress === 0 &&
        persistence.aof_rewrite_in_progress === 0 &&
        persistence.aof_rewrite_scheduled === 0
      );
    }, 5000);
  }

  describe('#info()', () => {
    it('parses the default sections into objects, numbers where numeric', async () => {
      const info = await redis.info();
      expect(info).to.include.keys('server', 'clients', 'memory', 'stats', 'replication');
      const { server = {}, clients = {} } = info;
      expect(server.redis_version)
        .to.be.a('string')
        .and.match(/^\d+\.\d+\.\d+/);
      expect(server.tcp_port).to.equal(Number(new URL(url).port));
      expect(server.process_id).to.be.a('number');
      expect(clients.connected_clients).to.be.a('number').and.be.at.least(2);
      expect(info.replication?.role).to.equal('master');
    });

    it('keeps hex identifiers as text even when they look like numbers', async () => {
      const { server = {}, replication = {} } = await redis.info('server', 'replication');
      expect(server.redis_git_sha1).to.be.a('string');
      expect(server.run_id).to.be.a('string').and.have.length(40);
      expect(replication.master_replid).to.be.a('string').and.have.length(40);
    });

    it('parses keyspace and commandstats values into objects', async () => {
      const db = await open(`${scratch.url}/3`);
      await db.set(uniqueKey(), 'v');
      await db.set(uniqueKey(), 'v', { expire: 100 });
      const { keyspace = {}, commandstats = {} } = await db.info('keyspace', 'commandstats');
      expect(keyspace.db3).to.deep.include({ keys: 2, expires: 1 });
      expect((keyspace.db3 as Record<string, unknown>).avg_ttl).to.be.a('number');
      const set = commandstats.cmdstat_set as Record<string, unknown>;
      expect(set.calls).to.be.a('number').and.be.at.least(2);
      expect(set.usec_per_call).to.be.a('number');
      await db.flushdb();
    });

    it('returns only the sections asked for, several at once (Redis 7)', async () => {
      expect(Object.keys(await text.info('clients', 'server')).sort()).to.deep.equal([
        'clients',
        'server',
      ]);
      expect(Object.keys(await text.info('cpu'))).to.deep.equal(['cpu']);
      expect(await text.info('no-such-section')).to.deep.equal({});
    });

    it('rejects an empty section with TypeError and sends nothing', async () => {
      await expectRefused(() => text.info(''), TypeError);
      await expectRefused(() => text.info(3 as unknown as string), TypeError);
    });
  });

  describe('#configGet()', () => {
    it('resolves with the matching parameters by name', async () => {
      const slowlog = await redis.configGet('slowlog-*');
      expect(Object.keys(slowlog).sort()).to.deep.equal([
        'slowlog-log-slower-than',
        'slowlog-max-len',
      ]);
      expect(slowlog['slowlog-max-len']).to.match(/^\d+$/);
      expect(await redis.configGet('port', 'databases')).to.deep.equal({
        port: new URL(url).port,
        databases: '16',
      });
    });

    it('resolves with every parameter by default, {} for none', async () => {
      expect(Object.keys(await text.configGet()).length).to.be.greaterThan(100);
      expect(await text.configGet('no-such-parameter')).to.deep.equal({});
    });

    it('reads a RESP3 map too', async () => {
      expect(await (await resp3()).configGet('databases')).to.deep.equal({ databases: '16' });
    });
  });

  describe('#configSet()', () => {
    it('sets a parameter and resolves true', async () => {
      const before = await text.configGet('slowlog-max-len');
      try {
        expect(await text.configSet('slowlog-max-len', 321)).to.equal(true);
        expect(await text.configGet('slowlog-max-len')).to.deep.equal({ 'slowlog-max-len': '321' });
      } finally {
        await text.configSet(before);
      }
    });

    it('sets several at once, or none when one fails (Redis 7)', async () => {
      const before = await text.configGet('slowlog-max-len', 'latency-tracking');
      try {
        expect(await text.configSet({ 'slowlog-max-len': 432, 'latency-tracking': 'no' })).to.equal(
          true,
        );
        expect(await text.configGet('slowlog-max-len', 'latency-tracking')).to.deep.equal({
          'slowlog-max-len': '432',
          'latency-tracking': 'no',
        });
        await expectReplyError(text.configSet({ 'slowlog-max-len': 1, hz: 'not a number' }));
        expect((await text.configGet('slowlog-max-len'))['slowlog-max-len']).to.equal('432');
      } finally {
        await text.configSet(before);
      }
    });

    it('rejects an unknown parameter with ERR', async () => {
      await expectReplyError(text.configSet('no-such-parameter', 1));
    });

    it('rejects an empty object or a value with an object with TypeError and sends nothing', async () => {
      await expectRefused(() => text.configSet({}), TypeError);
      await expectRefused(
        () => (text.configSet as (p: unknown, v: unknown) => Promise<boolean>)({ hz: 10 }, 1),
        TypeError,
      );
    });
  });

  describe('#configResetstat()', () => {
    it('resets the statistics and resolves true', async () => {
      await onScratch.set(uniqueKey(), 'v');
      expect((await onScratch.info('commandstats')).commandstats).to.have.property('cmdstat_set');
      expect(await onScratch.configResetstat()).to.equal(true);
      expect((await onScratch.info('commandstats')).commandstats).not.to.have.property(
        'cmdstat_set',
      );
    });
  });

  describe('#configRewrite()', () => {
    it('sends CONFIG REWRITE: a server started without a config file refuses with ERR', async () => {
      const err = await expectReplyError(text.configRewrite());
      expect(err.message).to.match(/config file/);
    });
  });

  describe('#dbsize()', () => {
    it('resolves with the number of keys of the selected database', async () => {
      const db = await open(`${scratch.url}/4`);
      await db.flushdb();
      expect(await db.dbsize()).to.equal(0);
      await db.set(uniqueKey(), 'a');
      await db.set(uniqueKey(), 'b');
      expect(await db.dbsize()).to.equal(2);
      await db.flushdb();
    });
  });

  describe('#flushdb()', () => {
    it('empties the selected database only and resolves true', async () => {
      const [one, two] = await Promise.all([open(`${scratch.url}/1`), open(`${scratch.url}/2`)]);
      await one.set(uniqueKey(), 'v');
      await two.set(uniqueKey(), 'v');
      expect(await one.flushdb()).to.equal(true);
      expect(await one.dbsize()).to.equal(0);
      expect(await two.dbsize()).to.equal(1);
      await two.flushdb();
    });

    it('sends ASYNC or SYNC for async: true or false', async () => {
      const db = await open(`${scratch.url}/1`);
      await db.set(uniqueKey(), 'v');
      expect(await sentBy(db, () => db.flushdb({ async: true }))).to.deep.equal([
        ['FLUSHDB', 'ASYNC'],
      ]);
      expect(await db.dbsize()).to.equal(0);
      expect(await sentBy(db, () => db.flushdb({ async: false }))).to.deep.equal([
        ['FLUSHDB', 'SYNC'],
      ]);
      expect(await sentBy(db, () => db.flushdb())).to.deep.equal([['FLUSHDB']]);
    });

    it('rejects a non-boolean async with TypeError and flushes nothing', async () => {
      const db = await open(`${scratch.url}/1`);
      await db.set(uniqueKey(), 'v');
      await expectRefused(() => db.flushdb({ async: 'yes' as unknown as boolean }), TypeError, db);
      expect(await db.dbsize()).to.equal(1);
      await db.flushdb();
    });
  });

  describe('#flushall()', () => {
    it('empties every database and resolves true', async () => {
      const [one, two] = await Promise.all([open(`${scratch.url}/1`), open(`${scratch.url}/2`)]);
      await one.set(uniqueKey(), 'v');
      await two.set(uniqueKey(), 'v');
      expect(await one.flushall({ async: true })).to.equal(true);
      expect([await one.dbsize(), await two.dbsize()]).to.deep.equal([0, 0]);
      expect(await sentBy(one, () => one.flushall({ async: false }))).to.deep.equal([
        ['FLUSHALL', 'SYNC'],
      ]);
    });

    it('rejects a non-boolean async with TypeError and flushes nothing', async () => {
      const db = await open(`${scratch.url}/1`);
      await db.set(uniqueKey(), 'v');
      await expectRefused(() => db.flushall({ async: 1 as unknown as boolean }), TypeError, db);
      expect(await db.dbsize()).to.equal(1);
      await db.flushdb();
    });
  });

  describe('#time()', () => {
    it("resolves with the server's clock in seconds, with microseconds", async () => {
      const [seconds, micros] = await text.call<[string, string]>('TIME');
      const time = await redis.time();
      expect(time).to.be.a('number');
      expect(time - Number(seconds)).to.be.within(0, 2);
      expect(Math.abs(time - Date.now() / 1000)).to.be.lessThan(5);
      // Two calls a few microseconds apart are ordered and differ by less than a second.
      expect(Number(micros)).to.be.within(0, 999_999);
      const later = await redis.time();
      expect(later).to.be.at.least(time);
      expect(later - time).to.be.lessThan(1);
    });
  });

  describe('#save() and #lastsave()', () => {
    it('saves to disk, resolves true, and lastsave reports when', async () => {
      await backgroundDone();
      expect(await onScratch.save()).to.equal(true);
      expect(fs.existsSync(path.join(scratch.dir, 'dump.rdb'))).to.equal(true);
      const lastsave = await onScratch.lastsave();
      expect(lastsave).to.be.a('number');
      expect(Math.abs(lastsave - (await onScratch.time()))).to.be.lessThan(5);
    });
  });

  describe('#bgsave()', () => {
    it("starts a background save and resolves with the server's status", async () => {
      await backgroundDone();
      expect(await onScratch.bgsave()).to.equal('Background saving started');
      await expectReplyError(onScratch.bgsave()); // one at a time
      await backgroundDone();
    });

    it('sends SCHEDULE with schedule: true', async () => {
      await backgroundDone();
      const sent = await sentBy(onScratch, async () => {
        expect(await onScratch.bgsave({ schedule: true })).to.match(/^Background saving/);
      });
      expect(sent).to.deep.equal([['BGSAVE', 'SCHEDULE']]);
      await backgroundDone();
    });
  });

  describe('#bgrewriteaof()', () => {
    it("starts a rewrite of the append-only file and resolves with the server's status", async () => {
      await backgroundDone();
      expect(await onScratch.bgrewriteaof()).to.match(
        /^Background append only file rewriting (started|scheduled)/,
      );
      await backgroundDone();
    });
  });

  describe('#role()', () => {
    it('describes a master without replicas', async () => {
      const role = await redis.role();
      expect(role).to.deep.include({ role: 'master', replicas: [] });
      expect(role.role === 'master' && role.replicationOffset).to.be.a('number');
    });
  });

  describe('replication: #replicaof(), #slaveof(), #failover() and #role()', function () {
    this.timeout(10_000);
    let primary: RedisServer;
    let replica: RedisServer;
    let onPrimary: Redis<string>;
    let onReplica: Redis<string>;

    before(async () => {
      [primary, replica] = await Promise.all([
        startRedis({ args: SCRATCH_ARGS }),
        startRedis({ args: SCRATCH_ARGS }),
      ]);
      [onPrimary, onReplica] = await Promise.all([
        createRedis(primary.url, { encoding: 'utf8' }),
        createRedis(replica.url, { encoding: 'utf8' }),
      ]);
    });

    after(async () => {
      onPrimary.close();
      onReplica.close();
      await Promise.all([primary.stop(), replica.stop()]);
    });

    afterEach(async () => {
      await Promise.all([onPrimary.replicaof(), onReplica.replicaof()]);
    });

    /** Waits until `replica` is connected to its master and the master counts it as online. */
    async function connected(replica: Redis<string>, master: Redis<string>): Promise<void> {
      await eventually(async () => {
        const role = await replica.role();
        return role.role === 'slave' && role.state === 'connected';
      });
      await eventually(async () => {
        const slave0 = (await master.info('replication')).replication?.slave0;
        return typeof slave0 === 'object' && slave0.state === 'online';
      });
    }

    it('makes a replica of a master, and a master again without arguments', async () => {
      expect(await onReplica.replicaof(primary.host, primary.port)).to.equal(true);
      await connected(onReplica, onPrimary);
      expect(await onReplica.role()).to.deep.include({
        role: 'slave',
        masterHost: primary.host,
        masterPort: primary.port,
        state: 'connected',
      });
      const master = await onPrimary.role();
      expect(master.role === 'master' && master.replicas.map(({ port }) => port)).to.deep.equal([
        replica.port,
      ]);
      const key = uniqueKey();
      await onPrimary.set(key, 'replicated');
      await eventually(async () => (await onReplica.get(key)) === 'replicated');
      // Asking again for the same master answers "OK Already connected…": still true.
      expect(await onReplica.replicaof(primary.host, primary.port)).to.equal(true);
      expect(await onReplica.replicaof()).to.equal(true);
      expect((await onReplica.role()).role).to.equal('master');
    });

    it('slaveof() does the same under the deprecated name', async () => {
      expect(
        await sentBy(onReplica, () => onReplica.slaveof(primary.host, primary.port)),
      ).to.deep.equal([['SLAVEOF', primary.host, primary.port]]);
      await connected(onReplica, onPrimary);
      expect(await sentBy(onReplica, () => onReplica.slaveof())).to.deep.equal([
        ['SLAVEOF', 'NO', 'ONE'],
      ]);
      expect((await onReplica.role()).role).to.equal('master');
    });

    it('rejects a host without a port with TypeError, a bad port with RangeError, sending nothing', async () => {
      await expectRefused(() => onReplica.replicaof(primary.host), TypeError, onReplica);
      await expectRefused(() => onReplica.replicaof(primary.host, 1.5), TypeError, onReplica);
      await expectRefused(() => onReplica.slaveof(primary.host, 70_000), RangeError, onReplica);
      expect((await onReplica.role()).role).to.equal('master');
    });

    it('failover() hands the master role to the replica and resolves true', async () => {
      await onReplica.replicaof(primary.host, primary.port);
      await connected(onReplica, onPrimary);
      const sent = await sentBy(onPrimary, async () => {
        expect(
          await onPrimary.failover({
            to: { host: replica.host, port: replica.port },
            timeout: 5000,
          }),
        ).to.equal(true);
      });
      expect(sent).to.deep.equal([['FAILOVER', 'TO', replica.host, replica.port, 'TIMEOUT', 5000]]);
      await connected(onPrimary, onReplica);
      expect((await onReplica.role()).role).to.equal('master');
    });

    it('failover() rejects with ERR without replicas, and abort with none in progress', async () => {
      await expectReplyError(onPrimary.failover());
      const err = await expectReplyError(onPrimary.failover({ abort: true }));
      expect(err.message).to.match(/No failover in progress/);
    });

    it('failover() rejects conflicting or bad options with TypeError / RangeError, sending nothing', async () => {
      await expectRefused(
        () => onPrimary.failover({ abort: true, timeout: 10 }),
        TypeError,
        onPrimary,
      );
      await expectRefused(
        () => onPrimary.failover({ to: { host: 'h', port: '1' as unknown as number } }),
        TypeError,
        onPrimary,
      );
      await expectRefused(() => onPrimary.failover({ timeout: 0 }), RangeError, onPrimary);
    });
  });

  describe('#slowlogGet(), #slowlogLen() and #slowlogReset()', () => {
    before(async () => {
      await onScratch.configSet('slowlog-log-slower-than', 0); // log every command
    });

    after(async () => {
      await onScratch.configSet('slowlog-log-slower-than', 10_000);
    });

    it('reports the commands logged, newest first, with their clients', async () => {
      const client = await open(scratch.url);
      await client.clientSetname('slow-client');
      expect(await client.slowlogReset()).to.equal(true);
      const key = uniqueKey();
      await client.set(key, 'v');
      await client.get(key);
      const [get, set] = await client.slowlogGet(2);
      expect(get?.args).to.deep.equal(['GET', key]);
      expect(set).to.deep.include({ args: ['SET', key, 'v'], clientName: 'slow-client' });
      expect(set?.clientAddress).to.equal((await client.clientInfo()).addr);
      expect(set?.id)
        .to.be.a('number')
        .and.be.below(get?.id ?? -1);
      expect(set?.duration).to.be.a('number').and.be.at.least(0);
      expect(Math.abs((set?.timestamp ?? 0) - Date.now() / 1000)).to.be.lessThan(5);
    });

    it('counts the entries; reset empties the log', async () => {
      await onScratch.slowlogReset();
      // The reset itself and LEN are logged once they ran, so the count starts small.
      const start = await onScratch.slowlogLen();
      expect(start).to.be.a('number').and.be.below(3);
      await onScratch.set(uniqueKey(), 'v');
      expect(await onScratch.slowlogLen()).to.equal(start + 2);
      expect((await onScratch.slowlogGet(-1)).length).to.equal(start + 3);
    });

    it('rejects a bad count with TypeError / RangeError and sends nothing', async () => {
      await expectRefused(() => onScratch.slowlogGet(1.5), TypeError, onScratch);
      await expectRefused(() => onScratch.slowlogGet(-2), RangeError, onScratch);
    });
  });

  describe('#clientId() and #clientInfo()', () => {
    it("resolve with the connection's id and its description, parsed", async () => {
      const client = await open(`${url}/5`);
      await client.clientSetname('12345'); // a name that looks like a number stays text
      const id = await client.clientId();
      expect(id).to.be.a('number');
      const info = await client.clientInfo();
      expect(info).to.deep.include({ id, name: '12345', db: 5, cmd: 'client|info', flags: 'N' });
      expect(info.addr).to.match(/^127\.0\.0\.1:\d+$/);
      expect(info.age).to.be.a('number');
      expect(info['tot-mem']).to.be.a('number');
    });
  });

  describe('#clientSetname() and #clientGetname()', () => {
    it('name the connection and read the name back', async () => {
      const client = await createRedis(url);
      try {
        expect(await client.clientGetname()).to.equal(null);
        expect(await client.clientSetname('redmux-named')).to.equal(true);
        expect(await client.clientGetname()).to.deep.equal(Buffer.from('redmux-named'));
        expect(await client.clientGetname({ encoding: 'utf8' })).to.equal('redmux-named');
        expect(await text.clientGetname({ encoding: null })).to.equal(null);
      } finally {
        client.close();
      }
    });

    it('rejects a name with spaces with ERR', async () => {
      await expectReplyError(text.clientSetname('two words'));
    });
  });

  describe('#clientList()', () => {
    it('lists the clients, parsed', async () => {
      const client = await open();
      await client.clientSetname('redmux-listed');
      const id = await client.clientId();
      const mine = (await redis.clientList()).find((entry) => entry.id === id);
      expect(mine).to.deep.include({ name: 'redmux-listed', db: 0, flags: 'N' });
      expect(mine?.idle).to.be.a('number');
    });

    it('filters by type or by ids', async () => {
      const [a, b] = await Promise.all([open(), open()]);
      const ids = [await a.clientId(), await b.clientId()];
      const listed = await text.clientList({ ids });
      expect(listed.map((entry) => entry.id).sort()).to.deep.equal(ids.sort());
      const normal = (await text.clientList({ type: 'normal' })).map((entry) => entry.id);
      expect(normal).to.include.members(ids);
      const pubsub = (await text.clientList({ type: 'pubsub' })).map((entry) => entry.id);
      expect(pubsub).not.to.include.members(ids);
    });

    it('rejects a bad type, bad ids or both with TypeError and sends nothing', async () => {
      await expectRefused(() => text.clientList({ type: 'bogus' as 'normal' }), TypeError);
      await expectRefused(() => text.clientList({ ids: [] }), TypeError);
      await expectRefused(() => text.clientList({ ids: ['1' as unknown as number] }), TypeError);
      await expectRefused(() => text.clientList({ type: 'normal', ids: [1] }), TypeError);
    });
  });

  describe('#clientKill()', () => {
    /** A client and its connection: killing it closes the connection (the client reconnects). */
    async function victim(options?: { username?: string; password?: string }) {
      const redis = await open(url, options);
      const client = redis.connection as RedisConnection;
      return { client, info: await redis.clientInfo() };
    }

    it('kills by id and resolves with how many were killed', async () => {
      const { client, info } = await victim();
      expect(await text.clientKill({ id: info.id })).to.equal(1);
      await eventually(async () => client.closed);
      expect(await text.clientKill({ id: info.id })).to.equal(0);
    });

    it('kills by address and by user', async () => {
      const byAddr = await victim();
      expect(await text.clientKill({ addr: byAddr.info.addr })).to.equal(1);
      await eventually(async () => byAddr.client.closed);
      const user = `redmux-kill-${process.pid}`;
      await text.aclSetuser(user, 'on', '>pw', '~*', '&*', '+@all');
      try {
        const byUser = await victim({ username: user, password: 'pw' });
        expect(await text.clientKill({ user, type: 'normal' })).to.equal(1);
        await eventually(async () => byUser.client.closed);
      } finally {
        await text.aclDeluser(user);
      }
    });

    it('spares the caller unless skipme is false', async () => {
      const self = await open();
      const conn = self.connection as RedisConnection;
      const id = await self.clientId();
      expect(await self.clientKill({ id })).to.equal(0);
      expect(await self.clientKill({ id, skipme: false })).to.equal(1);
      await eventually(async () => conn.closed);
    });

    it('sends every filter', async () => {
      const sent = await sentBy(text, () =>
        text.clientKill({
          id: 999_999_999,
          addr: '10.0.0.1:1',
          laddr: '10.0.0.2:2',
          user: 'default',
          type: 'replica',
          skipme: true,
        }),
      );
      expect(sent).to.deep.equal([
        [
          'CLIENT',
          'KILL',
          'ID',
          999_999_999,
          'ADDR',
          '10.0.0.1:1',
          'LADDR',
          '10.0.0.2:2',
          'USER',
          'default',
          'TYPE',
          'replica',
          'SKIPME',
          'YES',
        ],
      ]);
    });

    it('rejects an unknown user with ERR', async () => {
      await expectReplyError(text.clientKill({ user: `nobody-${process.pid}` }));
    });

    it('rejects the old ip:port form, no filter or bad filters with TypeError / RangeError, sending nothing', async () => {
      const {
        client,
        info: { addr },
      } = await victim();
      await expectRefused(() => text.clientKill(addr as never), TypeError);
      await expectRefused(() => text.clientKill({}), TypeError);
      await expectRefused(() => text.clientKill({ id: 1.5 }), TypeError);
      await expectRefused(() => text.clientKill({ type: 'bogus' as 'normal' }), TypeError);
      await expectRefused(() => text.clientKill({ addr, skipme: 'no' as never }), TypeError);
      await expectRefused(() => text.clientKill({ maxage: 0 }), RangeError);
      expect(client.closed).to.equal(false);
    });
  });

  describe('#clientPause() and #clientUnpause()', () => {
    it('pause writes only with mode WRITE, until unpaused', async () => {
      const other = await open(scratch.url);
      const key = uniqueKey();
      expect(await onScratch.clientPause(2000, { mode: 'WRITE' })).to.equal(true);
      try {
        let written = false;
        const write = other.set(key, 'v').then(() => (written = true));
        expect(await onScratch.get(key)).to.equal(null); // reads still run
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(written).to.equal(false);
        expect(await onScratch.clientUnpause()).to.equal(true);
        await write;
        expect(await other.get(key)).to.equal('v');
      } finally {
        await onScratch.clientUnpause();
      }
    });

    it('pause every command by default, for the timeout', async () => {
      const other = await open(scratch.url);
      expect(await onScratch.clientPause(150)).to.equal(true);
      const start = Date.now();
      expect(await other.ping()).to.equal('PONG');
      expect(Date.now() - start).to.be.at.least(100);
    });

    it('rejects a bad timeout or mode with TypeError / RangeError and sends nothing', async () => {
      await expectRefused(() => onScratch.clientPause(1.5), TypeError, onScratch);
      await expectRefused(() => onScratch.clientPause(-1), RangeError, onScratch);
      await expectRefused(
        () => onScratch.clientPause(10, { mode: 'READ' as 'ALL' }),
        TypeError,
        onScratch,
      );
    });
  });

  describe('#clientNoEvict()', () => {
    it('turns the no-evict flag on and off and resolves true (Redis 7)', async () => {
      const client = await open();
      expect(await client.clientNoEvict(true)).to.equal(true);
      expect((await client.clientInfo()).flags).to.include('e');
      expect(await client.clientNoEvict(false)).to.equal(true);
      expect((await client.clientInfo()).flags).not.to.include('e');
    });

    it('rejects a non-boolean with TypeError and sends nothing', async () => {
      await expectRefused(() => text.clientNoEvict('on' as unknown as boolean), TypeError);
    });
  });

  describe('#clientTracking(), #clientTrackinginfo(), #clientGetredir() and #clientCaching()', () => {
    it('turns tracking on with a redirect and off again', async () => {
      const [tracked, sink] = await Promise.all([open(), open()]);
      const sinkId = await sink.clientId();
      expect(await tracked.clientGetredir()).to.equal(-1);
      expect(await tracked.clientTracking(true, { redirect: sinkId })).to.equal(true);
      expect(await tracked.clientTrackinginfo()).to.deep.equal({
        flags: ['on'],
        redirect: sinkId,
        prefixes: [],
      });
      expect(await tracked.clientGetredir()).to.equal(sinkId);
      expect(await tracked.clientTracking(false)).to.equal(true);
      expect(await tracked.clientTrackinginfo()).to.deep.equal({
        flags: ['off'],
        redirect: -1,
        prefixes: [],
      });
    });

    it('sends BCAST with its prefixes, NOLOOP, and OPTIN with CLIENT CACHING', async () => {
      const [tracked, sink] = await Promise.all([open(), open()]);
      const redirect = await sink.clientId();
      const prefixes = [uniqueKey('a'), uniqueKey('b')];
      await tracked.clientTracking(true, { redirect, bcast: true, prefixes, noloop: true });
      const info = await tracked.clientTrackinginfo();
      expect(info.flags).to.include.members(['on', 'bcast', 'noloop']);
      expect(info.prefixes.sort()).to.deep.equal(prefixes.sort());
      await tracked.clientTracking(false);
      await tracked.clientTracking(true, { redirect, optin: true });
      expect(await tracked.clientCaching(true)).to.equal(true);
      expect((await tracked.clientTrackinginfo()).flags).to.include.members([
        'optin',
        'caching-yes',
      ]);
    });

    it('reads a RESP3 map of tracking info', async () => {
      const client = await resp3();
      await client.clientTracking(true, { optout: true });
      expect(await client.clientTrackinginfo()).to.deep.equal({
        flags: ['on', 'optout'],
        redirect: 0,
        prefixes: [],
      });
      expect(await client.clientCaching(false)).to.equal(true);
    });

    it('rejects CLIENT CACHING without OPTIN or OPTOUT tracking with ERR', async () => {
      await expectReplyError((await open()).clientCaching(true));
    });

    it('rejects conflicting or bad options with TypeError and sends nothing', async () => {
      await expectRefused(
        () => text.clientTracking(true, { optin: true, optout: true }),
        TypeError,
      );
      await expectRefused(() => text.clientTracking(true, { prefixes: ['a'] }), TypeError);
      await expectRefused(
        () => text.clientTracking(true, { redirect: '1' as unknown as number }),
        TypeError,
      );
      await expectRefused(() => text.clientTracking('on' as unknown as boolean), TypeError);
      await expectRefused(() => text.clientCaching(1 as unknown as boolean), TypeError);
    });
  });

  describe('#clientUnblock()', () => {
    async function blocked(): Promise<{ id: number; popped: Promise<unknown> }> {
      const client = await open();
      const id = await client.clientId();
      const popped = client.call('BLPOP', uniqueKey('empty'), 0);
      popped.catch(() => undefined);
      await eventually(async () => (await text.clientList({ ids: [id] }))[0]?.cmd === 'blpop');
      return { id, popped };
    }

    it('ends a blocking command as if it timed out and resolves true', async () => {
      const { id, popped } = await blocked();
      expect(await text.clientUnblock(id)).to.equal(true);
      expect(await popped).to.equal(null);
      expect(await text.clientUnblock(id)).to.equal(false); // no longer blocked
    });

    it('ends it with an UNBLOCKED error with error: true', async () => {
      const { id, popped } = await blocked();
      expect(await text.clientUnblock(id, { error: true })).to.equal(true);
      await expectReplyError(popped, 'UNBLOCKED');
    });

    it('rejects a non-integer id with TypeError and sends nothing', async () => {
      await expectRefused(() => text.clientUnblock('1' as unknown as number), TypeError);
    });
  });

  describe('#command() and #commandCount()', () => {
    it('describe every command', async () => {
      const [commands, count] = await Promise.all([redis.command(), redis.commandCount()]);
      expect(count).to.be.a('number').and.be.greaterThan(100);
      expect(commands).to.have.length(count);
      expect(commands.find((command) => command.name === 'get')).to.deep.include({
        arity: 2,
        firstKey: 1,
        lastKey: 1,
        step: 1,
      });
    });
  });

  describe('#commandInfo()', () => {
    it('describes the commands, null for an unknown one', async () => {
      const [set, unknown, config] = await redis.commandInfo('set', 'no-such-command', 'config');
      expect(set).to.deep.include({
        name: 'set',
        arity: -3,
        flags: ['write', 'denyoom'],
        firstKey: 1,
        lastKey: 1,
        step: 1,
        tips: [],
        subcommands: [],
      });
      expect(set?.aclCategories).to.include.members(['@write', '@string']);
      expect(set?.keySpecs[0]).to.deep.include({
        begin_search: { type: 'index', spec: { index: 1 } },
        find_keys: { type: 'range', spec: { lastkey: 0, keystep: 1, limit: 0 } },
      });
      expect(unknown).to.equal(null);
      expect(config?.subcommands.map((sub) => sub.name)).to.include('config|get');
    });

    it('reads RESP3 key specs too', async () => {
      const [get] = await (await resp3()).commandInfo('get');
      expect(get?.keySpecs).to.deep.equal([
        {
          flags: ['RO', 'access'],
          begin_search: { type: 'index', spec: { index: 1 } },
          find_keys: { type: 'range', spec: { lastkey: 0, keystep: 1, limit: 0 } },
        },
      ]);
    });
  });

  describe('#commandDocs()', () => {
    it('documents the commands by name, nested parts converted', async () => {
      const docs = await redis.commandDocs('get', 'set', 'client', 'slaveof');
      expect(Object.keys(docs).sort()).to.deep.equal(['client', 'get', 'set', 'slaveof']);
      expect(docs.get).to.deep.include({
        group: 'string',
        arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }],
      });
      expect(docs.set?.history?.[0]).to.be.an('array').with.length(2);
      const condition = docs.set?.arguments?.find((argument) => argument.name === 'condition');
      expect(condition?.flags).to.deep.equal(['optional']);
      expect(condition?.arguments?.map((argument) => argument.token)).to.deep.equal(['NX', 'XX']);
      expect(docs.client?.subcommands?.['client|list']?.group).to.equal('connection');
      expect(docs.slaveof?.doc_flags).to.include('deprecated');
    });

    it('reads RESP3 maps too', async () => {
      const docs = await (await resp3()).commandDocs('get');
      expect(docs.get?.arguments).to.deep.equal([{ name: 'key', type: 'key', key_spec_index: 0 }]);
    });
  });

  describe('#commandGetkeys() and #commandGetkeysandflags()', () => {
    it('find the keys of a command, as stored values', async () => {
      expect(await redis.commandGetkeys('MSET', 'a', '1', 'b', '2')).to.deep.equal([
        Buffer.from('a'),
        Buffer.from('b'),
      ]);
      expect(await text.commandGetkeys('GET', 'k')).to.deep.equal(['k']);
    });

    it('give each key its flags (Redis 7)', async () => {
      expect(
        await text.commandGetkeysandflags('LMOVE', 'src', 'dst', 'LEFT', 'RIGHT'),
      ).to.deep.equal([
        { key: 'src', flags: ['RW', 'access', 'delete'] },
        { key: 'dst', flags: ['RW', 'insert'] },
      ]);
    });

    it('reject an unknown command or one without keys with ERR', async () => {
      await expectReplyError(text.commandGetkeys('NO-SUCH-COMMAND', 'k'));
      await expectReplyError(text.commandGetkeysandflags('PING'));
    });
  });

  describe('#commandList()', () => {
    it('lists the command names, all or filtered (Redis 7)', async () => {
      expect(await text.commandList()).to.include.members(['get', 'set', 'client']);
      expect((await text.commandList({ filterBy: { pattern: 'xa*' } })).sort()).to.deep.equal([
        'xack',
        'xadd',
        'xautoclaim',
      ]);
      expect(await text.commandList({ filterBy: { aclcat: 'hyperloglog' } })).to.include.members([
        'pfadd',
        'pfcount',
      ]);
      expect(await text.commandList({ filterBy: { module: 'no-such-module' } })).to.deep.equal([]);
    });

    it('rejects a filter with none or several criteria with TypeError and sends nothing', async () => {
      await expectRefused(
        () => text.commandList({ filterBy: {} as { pattern: string } }),
        TypeError,
      );
      await expectRefused(
        () => text.commandList({ filterBy: { pattern: 'a', aclcat: 'b' } as { pattern: string } }),
        TypeError,
      );
    });
  });

  describe('#debugObject()', () => {
    it("describes a key's internals, parsed", async () => {
      const key = uniqueKey();
      await text.set(key, 'short');
      const info = await redis.debugObject(key);
      expect(info).to.deep.include({ refcount: 1, encoding: 'embstr', serializedlength: 6 });
      expect(info.at).to.match(/^0x[0-9a-f]+$/);
      expect(info.lru_seconds_idle).to.be.a('number');
      await text.set(key, '12345');
      expect((await redis.debugObject(key)).encoding).to.equal('int');
    });

    it('rejects a missing key with ERR', async () => {
      await expectReplyError(redis.debugObject(uniqueKey('missing')));
    });
  });

  describe('#debugSleep()', () => {
    it('blocks the server for that long and resolves true', async () => {
      const start = Date.now();
      expect(await onScratch.debugSleep(0.05)).to.equal(true);
      expect(Date.now() - start).to.be.at.least(45);
    });

    it('rejects a negative or non-number duration with RangeError / TypeError and sends nothing', async () => {
      await expectRefused(() => onScratch.debugSleep(-1), RangeError, onScratch);
      await expectRefused(() => onScratch.debugSleep(Infinity), TypeError, onScratch);
      await expectRefused(
        () => onScratch.debugSleep('1' as unknown as number),
        TypeError,
        onScratch,
      );
    });
  });

  describe('#memoryUsage()', () => {
    it('resolves with the bytes a key takes, null for a missing key', async () => {
      const key = uniqueKey();
      await text.set(key, 'x'.repeat(1000));
      expect(await redis.memoryUsage(key))
        .to.be.a('number')
        .and.be.at.least(1000);
      expect(await redis.memoryUsage(uniqueKey('missing'))).to.equal(null);
    });

    it('samples every element with samples: 0', async () => {
      const key = uniqueKey();
      await text.call('RPUSH', key, ...Array.from({ length: 20 }, (_, i) => `item-${i}`));
      const sent = await sentBy(redis, async () => {
        expect(await redis.memoryUsage(key, { samples: 0 })).to.be.a('number');
      });
      expect(sent).to.deep.equal([['MEMORY', 'USAGE', key, 'SAMPLES', 0]]);
    });

    it('rejects bad samples with TypeError / RangeError and sends nothing', async () => {
      await expectRefused(() => text.memoryUsage('k', { samples: 1.5 }), TypeError);
      await expectRefused(() => text.memoryUsage('k', { samples: -1 }), RangeError);
    });
  });

  describe('#memoryStats()', () => {
    it('resolves with numbers, and an object per database with keys', async () => {
      await onScratch.set(uniqueKey(), 'v');
      const stats = await onScratch.memoryStats();
      expect(stats['peak.allocated']).to.be.a('number');
      expect(stats['keys.count']).to.be.a('number').and.be.at.least(1);
      expect(stats['dataset.percentage']).to.be.a('number');
      expect(stats['db.0']).to.have.property('overhead.hashtable.main').that.is.a('number');
    });

    it('reads a RESP3 map with doubles too', async () => {
      const stats = await (await resp3()).memoryStats();
      expect(stats['dataset.percentage']).to.be.a('number');
      expect(stats['db.0']).to.be.an('object');
    });
  });

  describe('#memoryDoctor(), #memoryMallocStats() and #memoryPurge()', () => {
    it('resolve with text for people, and true', async () => {
      const doctor = await redis.memoryDoctor();
      expect(doctor).to.be.a('string').and.match(/Sam/);
      expect(await redis.memoryMallocStats())
        .to.be.a('string')
        .and.not.equal('');
      expect(await redis.memoryPurge()).to.equal(true);
    });
  });

  describe('#latency*()', () => {
    before(async () => {
      await onScratch.configSet('latency-monitor-threshold', 10);
      await onScratch.latencyReset();
      await onScratch.debugSleep(0.03);
    });

    after(async () => {
      await onScratch.configSet('latency-monitor-threshold', 0);
    });

    it('latencyLatest() and latencyHistory() report the slow event in milliseconds', async () => {
      const [event] = await onScratch.latencyLatest();
      expect(event).to.deep.include({ event: 'command' });
      expect(event?.latest).to.be.at.least(30);
      expect(event?.max).to.be.at.least(30);
      expect(Math.abs((event?.timestamp ?? 0) - Date.now() / 1000)).to.be.lessThan(5);
      const history = await onScratch.latencyHistory('command');
      expect(history).to.have.length(1);
      expect(history[0]?.[1]).to.equal(event?.latest);
    });

    it('latencyGraph() and latencyDoctor() resolve with text', async () => {
      expect(await onScratch.latencyGraph('command')).to.match(/^command - high \d+ ms/);
      expect(await onScratch.latencyDoctor())
        .to.be.a('string')
        .and.match(/command/);
      await expectReplyError(onScratch.latencyGraph('no-such-event'));
    });

    it('latencyHistogram() gives each command its calls and buckets (Redis 7)', async () => {
      await onScratch.set(uniqueKey(), 'v');
      const { set } = await onScratch.latencyHistogram('set', 'no-such-command');
      expect(set?.calls).to.be.a('number').and.be.at.least(1);
      const counts = Object.values(set?.histogram_usec ?? {});
      expect(counts.length).to.be.at.least(1);
      expect(counts.every((count) => typeof count === 'number')).to.equal(true);
      const resp3Histogram = await (await resp3()).latencyHistogram('set');
      expect(resp3Histogram.set?.calls).to.be.a('number');
    });

    it('latencyReset() resolves with how many events it reset', async () => {
      expect(await onScratch.latencyReset('command', 'no-such-event')).to.equal(1);
      expect(await onScratch.latencyLatest()).to.deep.equal([]);
      expect(await onScratch.latencyReset()).to.equal(0);
    });
  });

  describe('#lolwut()', () => {
    it("resolves with art and the server's version", async () => {
      const art = await redis.lolwut();
      expect(art)
        .to.be.a('string')
        .and.match(/Redis ver\. \d+/);
      const sent = await sentBy(text, async () => {
        expect(await text.lolwut({ version: 5 })).to.match(/Georg Nees/);
      });
      expect(sent).to.deep.equal([['LOLWUT', 'VERSION', 5]]);
    });

    it('rejects a non-integer version with TypeError and sends nothing', async () => {
      await expectRefused(() => text.lolwut({ version: 5.5 }), TypeError);
    });
  });

  describe('#module*()', () => {
    it('moduleList() resolves with the loaded modules, none here', async () => {
      expect(await onScratch.moduleList()).to.deep.equal([]);
    });

    it('moduleLoad(), moduleLoadex() and moduleUnload() send their arguments; a missing module is ERR', async () => {
      const load = await sending(onScratch, () => onScratch.moduleLoad('/no/such.so', 'a', 1));
      expect(load.sent).to.deep.equal([['MODULE', 'LOAD', '/no/such.so', 'a', 1]]);
      await expectReplyError(load.result);
      const loadex = await sending(onScratch, () =>
        onScratch.moduleLoadex('/no/such.so', { configs: { x: 1, y: 'z' }, args: ['a', 'b'] }),
      );
      expect(loadex.sent).to.deep.equal([
        ['MODULE', 'LOADEX', '/no/such.so', 'CONFIG', 'x', 1, 'CONFIG', 'y', 'z', 'ARGS', 'a', 'b'],
      ]);
      await expectReplyError(loadex.result);
      await expectReplyError(onScratch.moduleUnload('no-such-module'));
    });

    it('moduleLoadex() rejects bad configs or args with TypeError and sends nothing', async () => {
      await expectRefused(
        () => onScratch.moduleLoadex('/m.so', { configs: 'x' as never }),
        TypeError,
        onScratch,
      );
      await expectRefused(
        () => onScratch.moduleLoadex('/m.so', { args: 'x' as never }),
        TypeError,
        onScratch,
      );
    });
  });

  describe('ACL', () => {
    const user = `redmux-acl-${process.pid}`;

    afterEach(async () => {
      await text.aclDeluser(user);
    });

    it('aclSetuser() creates a user that aclGetuser(), aclUsers() and aclList() describe', async () => {
      expect(await text.aclSetuser(user, 'on', '>secret', '~app:*', '+get', '+set')).to.equal(true);
      const described = await redis.aclGetuser(user);
      expect(described).to.deep.include({ flags: ['on'], keys: '~app:*', selectors: [] });
      expect(described?.passwords).to.have.length(1);
      expect(described?.passwords[0]).to.match(/^[0-9a-f]{64}$/);
      expect(described?.commands).to.match(/\+get/);
      expect(await redis.aclUsers()).to.include(user);
      expect((await redis.aclList()).some((line) => line.startsWith(`user ${user} on `))).to.equal(
        true,
      );
      expect(await text.aclGetuser(`${user}-missing`)).to.equal(null);
    });

    it('aclGetuser() reads a RESP3 map too', async () => {
      await onScratch.aclSetuser(user, 'on', 'nopass', '~*');
      try {
        expect(await (await resp3()).aclGetuser(user)).to.deep.include({
          flags: ['on', 'nopass'],
          passwords: [],
          keys: '~*',
        });
      } finally {
        await onScratch.aclDeluser(user);
      }
    });

    it('aclSetuser() rejects a bad rule with ERR', async () => {
      await expectReplyError(text.aclSetuser(user, 'no-such-rule'));
    });

    it('aclDeluser() resolves with how many users existed', async () => {
      await text.aclSetuser(user, 'on');
      expect(await text.aclDeluser(user, `${user}-missing`)).to.equal(1);
      expect(await text.aclUsers()).not.to.include(user);
    });

    it('aclDryrun() resolves true when allowed, else with the reason (Redis 7)', async () => {
      await text.aclSetuser(user, 'on', '~app:*', '+get');
      expect(await text.aclDryrun(user, 'get', 'app:1')).to.equal(true);
      expect(await text.aclDryrun(user, 'set', 'app:1', 'v'))
        .to.be.a('string')
        .and.match(/set/);
      await expectReplyError(text.aclDryrun(`${user}-missing`, 'get', 'k'));
    });

    it('aclWhoami() names the connection’s user', async () => {
      await text.aclSetuser(user, 'on', '>pw', '+@all', '~*');
      expect(await text.aclWhoami()).to.equal('default');
      const client = await open(url, { username: user, password: 'pw' });
      expect(await client.aclWhoami()).to.equal(user);
    });

    it('aclCat() lists the categories, or the commands of one', async () => {
      expect(await redis.aclCat()).to.include.members(['read', 'write', 'hyperloglog']);
      expect(await redis.aclCat('hyperloglog')).to.include.members(['pfadd', 'pfcount']);
      await expectReplyError(redis.aclCat('no-such-category'));
    });

    it('aclGenpass() makes random hex passwords of the bits asked for', async () => {
      expect(await redis.aclGenpass()).to.match(/^[0-9a-f]{64}$/);
      expect(await redis.aclGenpass(32)).to.match(/^[0-9a-f]{8}$/);
      await expectRefused(() => text.aclGenpass(0), RangeError);
      await expectRefused(() => text.aclGenpass(1.5), TypeError);
    });

    it('aclLog() reports refused authentications, parsed; aclLogReset() empties it', async () => {
      expect(await onScratch.aclLogReset()).to.equal(true);
      const intruder = await open(scratch.url);
      await rejectionOf(intruder.call('AUTH', user, 'wrong'));
      const [entry] = await onScratch.aclLog();
      expect(entry).to.deep.include({
        count: 1,
        reason: 'auth',
        context: 'toplevel',
        object: 'AUTH',
        username: user,
      });
      expect(entry?.['age-seconds']).to.be.a('number');
      expect(entry?.['client-info'].id).to.equal(await intruder.clientId());
      await rejectionOf(intruder.call('AUTH', `${user}-2`, 'wrong'));
      expect(await onScratch.aclLog(1)).to.have.length(1);
      expect(await onScratch.aclLog()).to.have.length(2);
      const [latest] = await (await resp3()).aclLog();
      expect((latest as { 'age-seconds': unknown })['age-seconds']).to.be.a('number');
      expect(await onScratch.aclLogReset()).to.equal(true);
      expect(await onScratch.aclLog()).to.deep.equal([]);
      await expectRefused(() => onScratch.aclLog(-1), RangeError, onScratch);
    });

    it('aclLoad() and aclSave() reject with ERR on a server without an ACL file', async () => {
      const load = await expectReplyError(text.aclLoad());
      const save = await expectReplyError(text.aclSave());
      for (const err of [load, save]) expect(err.message).to.match(/ACL file/);
    });
  });

  describe('#shutdown()', () => {
    it('stops the server and resolves true when the server closes the connection', async () => {
      const doomed = await startRedis();
      // A client that reconnects (the default) goes on trying after SHUTDOWN: close it.
      const client = await createRedis(doomed.url);
      try {
        const sent = await sentBy(client, async () => {
          expect(await client.shutdown({ save: false, now: true, force: true })).to.equal(true);
        });
        expect(sent).to.deep.equal([['SHUTDOWN', 'NOSAVE', 'NOW', 'FORCE']]);
        expect(await rejectionOf(createConnection(doomed.url))).to.be.instanceOf(
          ConnectionClosedError,
        );
        expect(client.state).to.equal('reconnecting');
      } finally {
        client.close();
        await doomed.stop();
      }
    });

    it('rejects on a connection closed before, rather than claiming success', async () => {
      const client = await createRedis(url);
      client.close();
      expect(await rejectionOf(client.shutdown())).to.be.instanceOf(ConnectionClosedError);
    });

    it('sends ABORT: with no shutdown in progress that is ERR', async () => {
      const err = await expectReplyError(text.shutdown({ abort: true }));
      expect(err.message).to.match(/No shutdown in progress/);
    });

    it('rejects abort with other options or a non-boolean save with TypeError, sending nothing', async () => {
      await expectRefused(() => text.shutdown({ abort: true, save: false }), TypeError);
      await expectRefused(() => text.shutdown({ save: 'no' as unknown as boolean }), TypeError);
      expect(await text.ping()).to.equal('PONG');
    });
  });

  describe('#monitor()', () => {
    it('yields the commands of other connections, parsed, on a connection of its own', async () => {
      const monitor = await redis.monitor();
      const writer = await open();
      const writerAddr = (await writer.clientInfo()).addr;
      const key = uniqueKey('monitored "quoted"\n');
      await writer.set(key, 'é');
      let seen: Array<{ db: number; source: string; args: string[] }> = [];
      for await (const line of monitor) {
        expect(line.timestamp).to.be.closeTo(Date.now() / 1000, 5);
        seen.push(line);
        if (line.args[1] === key) break;
      }
      seen = seen.filter((line) => line.source === writerAddr);
      expect(seen.at(-1)).to.deep.include({ db: 0, args: ['SET', key, 'é'] });
      // Leaving the loop closed the monitor's connection; ours is untouched.
      await eventually(
        async () => !(await text.clientList()).some((client) => client.flags.includes('O')),
      );
      expect(redis.closed).to.equal(false);
    });

    it('rejects the next line with ConnectionClosedError when the connection is lost, then ends', async () => {
      const doomed = await startRedis();
      try {
        const client = await createRedis(doomed.url);
        opened.push(client);
        const monitor = await client.monitor();
        const pending = monitor.next();
        await doomed.kill();
        expect(await rejectionOf(pending)).to.be.instanceOf(ConnectionClosedError);
        expect(await monitor.next()).to.deep.equal({ value: undefined, done: true });
      } finally {
        await doomed.stop();
      }
    });

    it('stop() ends the iteration', async () => {
      const monitor = await redis.monitor();
      const pending = monitor.next();
      await monitor.stop();
      expect(await pending).to.deep.equal({ value: undefined, done: true });
      expect(await monitor.next()).to.deep.equal({ value: undefined, done: true });
    });
  });
});
