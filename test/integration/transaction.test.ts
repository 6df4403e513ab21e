// Pipeline and MultiExec (lib/transaction.ts) through Redis.pipeline() and Redis.multiExec(),
// against a real redis-server; a fake RESP server only where a real one cannot show it (how many
// socket writes a batch took).
import * as net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { expect } from 'chai';
import {
  createRedis,
  createRedisPool,
  ExecAbortError,
  MultiExec,
  MultiExecError,
  Pipeline,
  PipelineError,
  PoolClosedError,
  type PoolOptions,
  Reader,
  type Redis,
  RedisError,
  ReplyError,
  WatchVariableError,
} from '../../lib';
import { COMMAND_GROUPS } from '../../lib/commands';
import { type FakeServer, startFakeServer } from '../helpers/fake-server';
import { sharedServer } from '../helpers/hooks';
import { serialize } from '../helpers/resp';
import { rejectionOf, uniqueKey } from '../helpers/util';

/** What a fake server received, one array of words per command. */
type Command = string[];

/**
 * A fake server that answers the way redis-server would for commands that cannot fail: `+OK`,
 * `+QUEUED` between MULTI and EXEC, and for EXEC an array of `+OK`, one per queued command.
 */
async function okServer(): Promise<{ fake: FakeServer; commands: Command[] }> {
  const commands: Command[] = [];
  const reader = new Reader();
  let queued = -1; // -1: not in a transaction
  const fake = await startFakeServer((socket, data) => {
    reader.feed(data);
    const out: Buffer[] = [];
    for (let reply = reader.gets(); reply !== false; reply = reader.gets()) {
      const words = (reply as Buffer[]).map(String);
      commands.push(words);
      const name = (words[0] ?? '').toUpperCase();
      if (name === 'MULTI') {
        queued = 0;
        out.push(serialize('OK', { protocol: 2 }));
      } else if (name === 'EXEC') {
        out.push(serialize(new Array<string>(queued).fill('OK'), { protocol: 2 }));
        queued = -1;
      } else if (queued >= 0) {
        queued += 1;
        out.push(serialize('QUEUED', { protocol: 2 }));
      } else {
        out.push(serialize('OK', { protocol: 2 }));
      }
    }
    socket.write(Buffer.concat(out));
  });
  return { fake, commands };
}

/** The commands in one chunk a fake server received. */
function commandsIn(chunk: Buffer): Command[] {
  const reader = new Reader();
  reader.feed(chunk);
  const commands: Command[] = [];
  for (let reply = reader.gets(); reply !== false; reply = reader.gets()) {
    commands.push((reply as Buffer[]).map(String));
  }
  return commands;
}

/**
 * Records every `write()` call of the client sockets connected to `port` until `restore()`: the
 * connection coalesces what it sends, so one call here is one write to the server.
 */
function spyOnWrites(port: number): { writes: Buffer[]; restore: () => void } {
  const writes: Buffer[] = [];
  const proto = net.Socket.prototype as unknown as { write: (...args: unknown[]) => boolean };
  const own = Object.prototype.hasOwnProperty.call(proto, 'write');
  const original = proto.write;
  proto.write = function (this: net.Socket, ...args: unknown[]): boolean {
    if (this.remotePort === port) writes.push(Buffer.from(args[0] as string | Buffer));
    return original.apply(this, args);
  };
  return {
    writes,
    restore() {
      if (own) proto.write = original;
      else delete (proto as { write?: unknown }).write;
    },
  };
}

/** One {@link uniqueKey} per label. */
function uniqueKeys<L extends string[]>(...labels: L): { [K in keyof L]: string } {
  return labels.map((label) => uniqueKey(label)) as { [K in keyof L]: string };
}

/** Tracks whether `promise` has settled, without ever leaving its rejection unhandled. */
function watchSettled(promise: Promise<unknown>): { readonly settled: boolean } {
  const state = { settled: false };
  const done = (): void => {
    state.settled = true;
  };
  promise.then(done, done);
  return state;
}

describe('Pipeline and MultiExec', () => {
  let url: string;
  const opened: Array<Redis<Buffer> | Redis<string>> = [];
  const fakes: FakeServer[] = [];

  async function single(at?: string): Promise<Redis> {
    const redis = await createRedis(at ?? url);
    opened.push(redis);
    return redis;
  }

  async function singleText(): Promise<Redis<string>> {
    const redis = await createRedis(url, { encoding: 'utf8' });
    opened.push(redis);
    return redis;
  }

  async function pooled(options: Omit<PoolOptions, 'encoding'> = {}): Promise<Redis> {
    const redis = await createRedisPool(url, options);
    opened.push(redis);
    return redis;
  }

  async function pooledText(options: Omit<PoolOptions, 'encoding'> = {}): Promise<Redis<string>> {
    const redis = await createRedisPool(url, { ...options, encoding: 'utf8' });
    opened.push(redis);
    return redis;
  }

  /** A Redis client over a fresh {@link okServer}. */
  async function overOkServer(): Promise<{ redis: Redis; fake: FakeServer; commands: Command[] }> {
    const { fake, commands } = await okServer();
    fakes.push(fake);
    const redis = await single(`redis://${fake.host}:${fake.port}`);
    return { redis, fake, commands };
  }

  before(async () => {
    ({ url } = await sharedServer());
  });

  afterEach(async () => {
    const clients = opened.splice(0);
    for (const redis of clients) redis.close();
    await Promise.all(clients.map((redis) => redis.waitClosed()));
    await Promise.all(fakes.splice(0).map((fake) => fake.close()));
  });

  describe('both kinds of batch', () => {
    it('have every command method of every group, plus call(), execute(command, …) and executeWith()', async () => {
      const redis = await single();
      const batches = [redis.pipeline(), redis.multiExec()];
      expect(batches[0]).to.be.instanceOf(Pipeline);
      expect(batches[1]).to.be.instanceOf(MultiExec);
      let count = 0;
      for (const batch of batches) {
        const methods = batch as unknown as Record<string, unknown>;
        for (const group of COMMAND_GROUPS) {
          for (const name of Object.getOwnPropertyNames(group.prototype)) {
            if (name === 'constructor') continue;
            expect(typeof methods[name], `${group.name}.${name}`).to.equal('function');
            count += 1;
          }
        }
        for (const name of ['call', 'execute', 'executeWith']) {
          expect(typeof methods[name], name).to.equal('function');
        }
        expect(batch.inPipeline).to.equal(true);
      }
      expect(count).to.be.above(2 * 150);
    });

    it('refuse iterators (iscan, ihscan, isscan, izscan): next() rejects with TypeError and the batch runs without them', async () => {
      const redis = await single();
      const hash = uniqueKey('hash');
      await redis.hset(hash, 'f', 'v');
      for (const batch of [redis.pipeline(), redis.multiExec()]) {
        const iterators = [
          batch.iscan(),
          batch.ihscan(hash),
          batch.isscan(hash),
          batch.izscan(hash),
        ];
        const ping = batch.ping();
        expect(batch.length).to.equal(1);
        for (const iterator of iterators) {
          expect(iterator[Symbol.asyncIterator]()).to.equal(iterator);
          const err = await rejectionOf(iterator.next());
          expect(err).to.be.instanceOf(TypeError);
          expect(err.message).to.match(/iterator/);
        }
        expect(await batch.execute()).to.deep.equal(['PONG']);
        expect(await ping).to.equal('PONG');
      }
    });

    it('refuse subscribe(), psubscribe(), ssubscribe() and monitor(): each rejects with TypeError and nothing is subscribed', async () => {
      const redis = await single();
      const channel = uniqueKey('channel');
      for (const batch of [redis.pipeline(), redis.multiExec()]) {
        const refused: Array<Promise<unknown>> = [
          batch.subscribe(channel),
          batch.psubscribe(`${channel}*`),
        ];
        const optional = batch as unknown as Record<string, unknown>;
        for (const name of ['ssubscribe', 'monitor']) {
          const method = optional[name];
          if (typeof method !== 'function') continue; // not written yet
          const result: unknown = method.call(batch, channel);
          if (result instanceof Promise) refused.push(result);
          else refused.push((result as AsyncIterator<unknown>).next());
        }
        const ping = batch.ping();
        for (const call of refused) expect(await rejectionOf(call)).to.be.instanceOf(TypeError);
        const results = await batch.execute({ returnExceptions: true });
        expect(results[results.length - 1]).to.equal('PONG');
        expect(await ping).to.equal('PONG');
      }
      expect(redis.inPubsub).to.equal(0);
      expect(redis.channels.size).to.equal(0);
      expect(await redis.pubsubNumsub(channel)).to.deep.equal({ [channel]: 0 });
      expect(await redis.ping()).to.equal('PONG'); // not in subscriber mode
    });

    it('run once: a second execute() rejects with REDMUX_ERR_BATCH_DONE, and so does a command queued afterwards', async () => {
      const redis = await singleText();
      for (const batch of [redis.pipeline(), redis.multiExec()]) {
        const key = uniqueKey('counter');
        batch.incr(key);
        expect(await batch.execute()).to.deep.equal([1]);
        const again = await rejectionOf(batch.execute());
        expect(again).to.be.instanceOf(RedisError);
        expect((again as RedisError).code).to.equal('REDMUX_ERR_BATCH_DONE');
        const late = await rejectionOf(batch.incr(key));
        expect((late as RedisError).code).to.equal('REDMUX_ERR_BATCH_DONE');
        const lateCall = await rejectionOf(batch.call('INCR', key));
        expect((lateCall as RedisError).code).to.equal('REDMUX_ERR_BATCH_DONE');
        expect(await redis.get(key)).to.equal('1'); // nothing was sent again
      }
    });

    it('resolve to [] when empty, sending nothing', async () => {
      const { redis, fake } = await overOkServer();
      expect(await redis.pipeline().execute()).to.deep.equal([]);
      expect(await redis.multiExec().execute()).to.deep.equal([]);
      await delay(10);
      expect(fake.received).to.have.length(0);
    });
  });

  describe('#pipeline()', () => {
    it('queues calls: their promises stay pending and nothing is written until execute()', async () => {
      const { redis, fake, commands } = await overOkServer();
      const spy = spyOnWrites(fake.port);
      try {
        const pipe = redis.pipeline();
        const calls = [
          pipe.set('a', '1'),
          pipe.call('PING'),
          pipe.execute('ECHO', 'x'),
          pipe.executeWith({ encoding: 'utf8' }, 'ECHO', 'y'),
        ];
        expect(pipe.length).to.equal(4);
        const states = calls.map(watchSettled);
        await delay(20);
        expect(states.map((state) => state.settled)).to.deep.equal([false, false, false, false]);
        expect(spy.writes).to.have.length(0);
        expect(fake.received).to.have.length(0);
        expect(await pipe.execute()).to.deep.equal([true, 'OK', 'OK', 'OK']);
        expect(states.map((state) => state.settled)).to.deep.equal([true, true, true, true]);
      } finally {
        spy.restore();
      }
      expect(commands).to.deep.equal([['SET', 'a', '1'], ['PING'], ['ECHO', 'x'], ['ECHO', 'y']]);
    });

    it('writes every command in one socket write', async () => {
      const { redis, fake } = await overOkServer();
      const pipe = redis.pipeline();
      for (let i = 0; i < 20; i++) pipe.set(`k${i}`, String(i));
      const spy = spyOnWrites(fake.port);
      let results: unknown[];
      try {
        results = await pipe.execute();
      } finally {
        spy.restore();
      }
      expect(results).to.deep.equal(new Array(20).fill(true));
      expect(spy.writes).to.have.length(1);
      expect(fake.received).to.have.length(1);
      const sent = commandsIn(fake.received[0] as Buffer);
      expect(sent.map((command) => command[1])).to.deep.equal(
        Array.from({ length: 20 }, (_, i) => `k${i}`),
      );
    });

    it('runs the commands in order and resolves with each result shaped by its method', async () => {
      const redis = await single();
      const [str, hash, zset, list, set, hll, float] = uniqueKeys(
        'str',
        'hash',
        'zset',
        'list',
        'set',
        'hll',
        'float',
      );
      const pipe = redis.pipeline();
      const calls = [
        pipe.set(str, 'v'), // string → true
        pipe.get(str), // → Buffer
        pipe.incrbyfloat(float, 1.5), // → number
        pipe.hset(hash, { a: '1', b: '2' }),
        pipe.hgetall(hash, { encoding: 'utf8' }), // → object
        pipe.zadd(zset, 1, 'one'),
        pipe.zadd(zset, 2, 'two'),
        pipe.zrange(zset, 0, -1, { withScores: true, encoding: 'utf8' }), // → pairs
        pipe.rpush(list, 'a'),
        pipe.rpush(list, 'b'),
        pipe.rpush(list, 'c'),
        pipe.lrange(list, 0, -1, { encoding: 'utf8' }),
        pipe.sadd(set, 'm'),
        pipe.sismember(set, 'm'), // → boolean
        pipe.pfadd(hll, 'x'), // → boolean
        pipe.exists(str, hash),
        pipe.type(hash),
        pipe.echo('hi', { encoding: 'utf8' }),
        pipe.eval('return ARGV[1]', [], ['lua'], { encoding: 'utf8' }),
        pipe.publish(uniqueKey('channel'), 'nobody listens'),
        pipe.call('STRLEN', str),
      ];
      const expected = [
        true,
        Buffer.from('v'),
        1.5,
        2,
        { a: '1', b: '2' },
        1,
        1,
        [
          ['one', 1],
          ['two', 2],
        ],
        1,
        2,
        3,
        ['a', 'b', 'c'],
        1,
        true,
        true,
        2,
        'hash',
        'hi',
        'lua',
        0,
        1,
      ];
      expect(await pipe.execute()).to.deep.equal(expected);
      expect(await Promise.all(calls)).to.deep.equal(expected);
    });

    it('decodes each call with its own encoding', async () => {
      const key = uniqueKey();
      const raw = await single();
      await raw.set(key, 'é');
      const pipe = raw.pipeline();
      pipe.get(key);
      pipe.get(key, { encoding: 'utf8' });
      pipe.executeWith({ encoding: 'hex' }, 'GET', key);
      expect(await pipe.execute()).to.deep.equal([Buffer.from('é'), 'é', 'c3a9']);

      const text = await singleText();
      const textPipe = text.pipeline();
      textPipe.get(key);
      textPipe.get(key, { encoding: null });
      expect(await textPipe.execute()).to.deep.equal(['é', Buffer.from('é')]);
    });

    it('rejects with PipelineError carrying every error and every reply in place when commands fail (WRONGTYPE); the others’ promises resolve', async () => {
      const redis = await singleText();
      const list = uniqueKey('list');
      const str = uniqueKey('str');
      await redis.rpush(list, 'a');
      const pipe = redis.pipeline();
      const set = pipe.set(str, 'v');
      const incr = pipe.incr(list); // WRONGTYPE
      const llen = pipe.llen(list);
      const hget = pipe.hget(str, 'field'); // WRONGTYPE
      const get = pipe.get(str);
      const err = await rejectionOf(pipe.execute());
      expect(err).to.be.instanceOf(PipelineError);
      expect(err).not.to.be.instanceOf(MultiExecError);
      const failure = err as PipelineError;
      expect(failure.code).to.equal('REDMUX_ERR_PIPELINE');
      expect(failure.name).to.equal('PipelineError');
      const incrError = await rejectionOf(incr);
      const hgetError = await rejectionOf(hget);
      expect(failure.errors).to.deep.equal([incrError, hgetError]);
      for (const error of failure.errors) {
        expect(error).to.be.instanceOf(ReplyError);
        expect((error as ReplyError).code).to.equal('WRONGTYPE');
      }
      expect(failure.replies).to.deep.equal([true, incrError, 1, hgetError, 'v']);
      expect(failure.replies[1]).to.equal(incrError);
      expect(failure.replies[3]).to.equal(hgetError);
      expect(await set).to.equal(true);
      expect(await llen).to.equal(1);
      expect(await get).to.equal('v');
    });

    it('resolves with the errors in place with { returnExceptions: true }', async () => {
      const redis = await singleText();
      const list = uniqueKey('list');
      await redis.rpush(list, 'a');
      const pipe = redis.pipeline();
      const rpush = pipe.rpush(list, 'b');
      const incr = pipe.incr(list);
      const lrange = pipe.lrange(list, 0, -1);
      const results = await pipe.execute({ returnExceptions: true });
      expect(results).to.have.length(3);
      expect(results[0]).to.equal(2);
      expect(results[1]).to.be.instanceOf(ReplyError);
      expect((results[1] as ReplyError).code).to.equal('WRONGTYPE');
      expect(results[1]).to.equal(await rejectionOf(incr));
      expect(results[2]).to.deep.equal(['a', 'b']);
      expect(await rpush).to.equal(2);
      expect(await lrange).to.deep.equal(['a', 'b']);
    });

    it('rejects a call with a bad argument (undefined) with TypeError, sends nothing for it and runs the rest', async () => {
      const redis = await singleText();
      const counter = uniqueKey('counter');
      const untouched = uniqueKey('untouched');
      const pipe = redis.pipeline();
      const first = pipe.incr(counter);
      const bad = pipe.call('SET', untouched, undefined as unknown as string);
      const badTyped = pipe.set(untouched, undefined as unknown as string);
      const last = pipe.incr(counter);
      const results = await pipe.execute({ returnExceptions: true });
      expect(results[0]).to.equal(1);
      expect(results[1]).to.be.instanceOf(TypeError);
      expect(results[2]).to.be.instanceOf(TypeError);
      expect(results[3]).to.equal(2);
      expect(await rejectionOf(bad)).to.be.instanceOf(TypeError);
      expect(await rejectionOf(badTyped)).to.be.instanceOf(TypeError);
      expect(await first).to.equal(1);
      expect(await last).to.equal(2);
      expect(await redis.exists(untouched)).to.equal(0);
    });

    it('on a pool, runs over one connection acquired for it: other traffic goes elsewhere meanwhile and the connection comes back', async () => {
      const redis = await pooled({ minsize: 2, maxsize: 2 });
      const pipe = redis.pipeline();
      const ids = [pipe.call('CLIENT', 'ID')];
      // A BLPOP that waits 100 ms holds the pipeline's connection, not the pool.
      const popped = pipe.blpop(uniqueKey('empty'), 0.1);
      ids.push(pipe.call('CLIENT', 'ID'));
      const run = pipe.execute();
      const running = watchSettled(run);
      await delay(20);
      expect(redis.pool?.freesize).to.equal(1); // lent out to the pipeline
      const others = await Promise.all([redis.call('CLIENT', 'ID'), redis.call('CLIENT', 'ID')]);
      expect(running.settled).to.equal(false); // the other commands did not wait for it
      await run;
      expect(await popped).to.equal(null);
      const [first, second] = await Promise.all(ids);
      expect(first).to.be.a('number');
      expect(second).to.equal(first);
      expect(others).to.deep.equal([others[0], others[0]]);
      expect(others[0]).not.to.equal(first);
      expect(redis.pool?.freesize).to.equal(2);
      expect(redis.pool?.size).to.equal(2);
      // Given back, not replaced: two concurrent commands now use both connections.
      const both = await Promise.all([redis.call('CLIENT', 'ID'), redis.call('CLIENT', 'ID')]);
      expect(new Set(both)).to.deep.equal(new Set([first, others[0]]));
    });

    it('on a closed pool, rejects execute() and every command with PoolClosedError itself', async () => {
      const redis = await pooled();
      redis.close();
      const pipe = redis.pipeline();
      const get = pipe.get(uniqueKey());
      // Nothing could be sent: the cause is the answer, not a PipelineError listing it.
      expect(await rejectionOf(pipe.execute())).to.be.instanceOf(PoolClosedError);
      expect(await rejectionOf(get)).to.be.instanceOf(PoolClosedError);
    });
  });

  describe('#multiExec()', () => {
    it('writes MULTI, the commands and EXEC in one socket write', async () => {
      const { redis, fake } = await overOkServer();
      const tx = redis.multiExec();
      const calls = [tx.set('a', '1'), tx.call('SET', 'b', '2'), tx.set('c', '3')];
      const states = calls.map(watchSettled);
      await delay(20);
      expect(states.map((state) => state.settled)).to.deep.equal([false, false, false]);
      expect(fake.received).to.have.length(0);
      const spy = spyOnWrites(fake.port);
      let results: unknown[];
      try {
        results = await tx.execute();
      } finally {
        spy.restore();
      }
      expect(results).to.deep.equal([true, 'OK', true]);
      expect(spy.writes).to.have.length(1);
      expect(fake.received).to.have.length(1);
      expect(commandsIn(fake.received[0] as Buffer)).to.deep.equal([
        ['MULTI'],
        ['SET', 'a', '1'],
        ['SET', 'b', '2'],
        ['SET', 'c', '3'],
        ['EXEC'],
      ]);
    });

    it('resolves each command with its own EXEC item, shaped by its method and decoded with its own encoding', async () => {
      const redis = await singleText();
      const [str, hash, zset, float] = uniqueKeys('str', 'hash', 'zset', 'float');
      const tx = redis.multiExec();
      const calls = [
        tx.set(str, 'é'), // true, not 'QUEUED'
        tx.get(str), // the client's utf8
        tx.get(str, { encoding: null }), // a Buffer
        tx.executeWith({ encoding: 'hex' }, 'GET', str),
        tx.incrbyfloat(float, 2.5),
        tx.hset(hash, 'f', 'v'),
        tx.hgetall(hash),
        tx.zadd(zset, 3, 'three'),
        tx.zrange(zset, 0, -1, { withScores: true }),
        tx.call('STRLEN', str),
      ];
      const expected = [
        true,
        'é',
        Buffer.from('é'),
        'c3a9',
        2.5,
        1,
        { f: 'v' },
        1,
        [['three', 3]],
        2,
      ];
      expect(await tx.execute()).to.deep.equal(expected);
      expect(await Promise.all(calls)).to.deep.equal(expected);
      expect(redis.inTransaction).to.equal(false);
    });

    it('is atomic: a client on another connection never sees a state between its commands', async () => {
      const redis = await singleText();
      const reader = await singleText();
      const key = uniqueKey('counter');
      const tx = redis.multiExec();
      for (let i = 0; i < 50; i++) tx.incr(key);
      // Outside a transaction this BLPOP would block the connection for 200 ms, half-way through
      // the INCRs; inside one it returns nil at once.
      const popped = tx.blpop(uniqueKey('empty'), 0.2);
      for (let i = 0; i < 50; i++) tx.incr(key);
      const run = tx.execute();
      const running = watchSettled(run);
      const seen = new Set<string | null>();
      while (!running.settled) seen.add(await reader.get(key));
      seen.add(await reader.get(key));
      const results = await run;
      expect(results.filter((result) => typeof result === 'number')).to.deep.equal(
        Array.from({ length: 100 }, (_, i) => i + 1),
      );
      expect(await popped).to.equal(null);
      expect([...seen].filter((value) => value !== null)).to.deep.equal(['100']);
    });

    it('rejects only the command failing at run time (WRONGTYPE), runs the others, and rejects execute() with MultiExecError', async () => {
      const redis = await singleText();
      const list = uniqueKey('list');
      const str = uniqueKey('str');
      await redis.rpush(list, 'a');
      const tx = redis.multiExec();
      const set = tx.set(str, 'v');
      const incr = tx.incr(list); // WRONGTYPE, found only when EXEC runs it
      const rpush = tx.rpush(list, 'b');
      const err = await rejectionOf(tx.execute());
      expect(err).to.be.instanceOf(MultiExecError);
      expect(err).not.to.be.instanceOf(WatchVariableError);
      const failure = err as MultiExecError;
      expect(failure.code).to.equal('REDMUX_ERR_MULTI_EXEC');
      expect(failure.name).to.equal('MultiExecError');
      const incrError = await rejectionOf(incr);
      expect(incrError).to.be.instanceOf(ReplyError);
      expect((incrError as ReplyError).code).to.equal('WRONGTYPE');
      expect(failure.errors).to.deep.equal([incrError]);
      expect(failure.replies).to.deep.equal([true, incrError, 2]);
      expect(await set).to.equal(true);
      expect(await rpush).to.equal(2);
      expect(await redis.get(str)).to.equal('v');
      expect(await redis.lrange(list, 0, -1)).to.deep.equal(['a', 'b']);
    });

    it('resolves with the errors in place with { returnExceptions: true }', async () => {
      const redis = await singleText();
      const list = uniqueKey('list');
      await redis.rpush(list, 'a');
      const tx = redis.multiExec();
      tx.llen(list);
      const incr = tx.incr(list);
      tx.lpop(list);
      const results = await tx.execute({ returnExceptions: true });
      expect(results).to.have.length(3);
      expect(results[0]).to.equal(1);
      expect(results[1]).to.be.instanceOf(ReplyError);
      expect((results[1] as ReplyError).code).to.equal('WRONGTYPE');
      expect(results[1]).to.equal(await rejectionOf(incr));
      expect(results[2]).to.equal('a');
    });

    it('leaves a call with a bad argument (undefined) out with TypeError: the others still get their own EXEC items', async () => {
      const redis = await singleText();
      const counter = uniqueKey('counter');
      const untouched = uniqueKey('untouched');
      const tx = redis.multiExec();
      const incr = tx.incr(counter);
      const bad = tx.call('SET', untouched, undefined as unknown as string);
      const get = tx.get(counter);
      const incrby = tx.incrby(counter, 10);
      const err = await rejectionOf(tx.execute());
      expect(err).to.be.instanceOf(MultiExecError);
      const badError = await rejectionOf(bad);
      expect(badError).to.be.instanceOf(TypeError);
      expect((err as MultiExecError).errors).to.deep.equal([badError]);
      expect((err as MultiExecError).replies).to.deep.equal([1, badError, '1', 11]);
      expect(await incr).to.equal(1);
      expect(await get).to.equal('1');
      expect(await incrby).to.equal(11);
      expect(await redis.exists(untouched)).to.equal(0);
    });

    it('keeps every command on its own EXEC item when a queued command was aborted after it was sent (invariant 1)', async () => {
      const redis = await singleText();
      const [counter, str] = uniqueKeys('counter', 'str');
      await redis.set(str, 'value');
      const abort = new AbortController();
      const tx = redis.multiExec();
      const aborted = tx.executeWith({ signal: abort.signal }, 'INCR', counter);
      const get = tx.get(str);
      const strlen = tx.strlen(str);
      const run = tx.execute({ returnExceptions: true });
      // Aborted once written: the server still queues and runs it, so EXEC has an item for it,
      // which must be dropped, not handed to the next command.
      abort.abort();
      const results = await run;
      expect(await rejectionOf(aborted)).to.have.property('name', 'AbortError');
      expect(await get).to.equal('value');
      expect(await strlen).to.equal(5);
      expect(results.slice(1)).to.deep.equal(['value', 5]);
    });

    it('EXECABORT: a command refused while queueing rejects with its own ReplyError, the others with ExecAbortError; nothing runs and the client keeps working', async () => {
      const redis = await singleText();
      const [a, b, bad] = uniqueKeys('a', 'b', 'bad');
      const tx = redis.multiExec();
      const setA = tx.set(a, '1');
      const wrongArity = tx.call('SET', bad); // ERR wrong number of arguments
      const incrB = tx.incr(b);
      const err = await rejectionOf(tx.execute());
      expect(err).to.be.instanceOf(MultiExecError);
      expect(err).not.to.be.instanceOf(WatchVariableError);
      const ownError = await rejectionOf(wrongArity);
      expect(ownError).to.be.instanceOf(ReplyError);
      expect(ownError).not.to.be.instanceOf(ExecAbortError);
      expect((ownError as ReplyError).code).to.equal('ERR');
      for (const aborted of [setA, incrB]) {
        const error = await rejectionOf(aborted);
        expect(error).to.be.instanceOf(ExecAbortError);
        expect((error as ExecAbortError).code).to.equal('EXECABORT');
      }
      expect((err as MultiExecError).errors).to.have.length(3);
      expect((err as MultiExecError).errors[1]).to.equal(ownError);
      expect(await redis.exists(a, b, bad)).to.equal(0);
      expect(redis.connection?.inTransaction).to.equal(false);
      expect(redis.inTransaction).to.equal(false);
      expect(await redis.set(a, 'after')).to.equal(true);
      const next = redis.multiExec();
      next.get(a);
      expect(await next.execute()).to.deep.equal(['after']);
    });

    describe('with WATCH on one connection', () => {
      it('aborts when another client changed a WATCHed key: execute() and every command reject with WatchVariableError, and nothing runs', async () => {
        const redis = await singleText();
        const other = await singleText();
        const key = uniqueKey('watched');
        const side = uniqueKey('side');
        await redis.set(key, 'before');
        expect(await redis.watch(key)).to.equal(true);
        expect(redis.connection?.watching).to.equal(true);
        await other.set(key, 'changed');
        const tx = redis.multiExec();
        const calls = [tx.set(key, 'mine'), tx.incr(side), tx.get(key)];
        const err = await rejectionOf(tx.execute());
        expect(err).to.be.instanceOf(WatchVariableError);
        expect(err).to.be.instanceOf(MultiExecError);
        expect((err as WatchVariableError).code).to.equal('REDMUX_ERR_WATCH_VARIABLE');
        for (const call of calls) {
          expect(await rejectionOf(call)).to.be.instanceOf(WatchVariableError);
        }
        expect(await redis.get(key)).to.equal('changed');
        expect(await redis.exists(side)).to.equal(0);
        expect(redis.connection?.watching).to.equal(false);
        expect(redis.inTransaction).to.equal(false);
        // EXEC ended the WATCH: the next transaction runs.
        const retry = redis.multiExec();
        retry.set(key, 'mine');
        expect(await retry.execute()).to.deep.equal([true]);
      });

      it('rejects a WATCH abort even with returnExceptions: nothing ran, so there are no results', async () => {
        const redis = await singleText();
        const other = await singleText();
        const key = uniqueKey('watched');
        await redis.watch(key);
        await other.set(key, 'changed');
        const tx = redis.multiExec();
        const call = tx.set(key, 'mine');
        const err = await rejectionOf(tx.execute({ returnExceptions: true }));
        expect(err).to.be.instanceOf(WatchVariableError);
        expect(await rejectionOf(call)).to.be.instanceOf(WatchVariableError);
        expect(await redis.get(key)).to.equal('changed');
      });

      it('runs when the WATCHed key did not change, and after unwatch() a change no longer aborts', async () => {
        const redis = await singleText();
        const other = await singleText();
        const key = uniqueKey('watched');
        await redis.watch(key);
        const tx = redis.multiExec();
        tx.set(key, 'first');
        expect(await tx.execute()).to.deep.equal([true]);
        expect(await redis.watch(key)).to.equal(true);
        expect(await redis.unwatch()).to.equal(true);
        await other.set(key, 'changed');
        const next = redis.multiExec();
        next.set(key, 'second');
        expect(await next.execute()).to.deep.equal([true]);
        expect(await redis.get(key)).to.equal('second');
      });
    });
  });

  describe('on a pool', () => {
    it('refuses commands and batches of a ContextRedis after release(), sending nothing', async () => {
      const redis = await pooledText({ minsize: 1, maxsize: 1 });
      const r = await redis.acquire();
      const pipe = r.pipeline();
      const queued = pipe.set(uniqueKey('late'), 'x');
      await r.release();
      for (const late of [
        r.get('k'),
        r.call('PING'),
        pipe.execute(),
        queued,
        r.multiExec().execute(),
      ]) {
        const err = await rejectionOf(late);
        expect((err as RedisError).code, String(err)).to.equal('REDMUX_ERR_RELEASED');
      }
      // The connection went back to the pool untouched and serves others.
      expect(redis.pool?.freesize).to.equal(1);
      expect(await redis.ping()).to.equal('PONG');
    });

    it('multiExec() without WATCH runs on one acquired connection and gives it back', async () => {
      const redis = await pooled({ minsize: 2, maxsize: 2 });
      const key = uniqueKey('counter');
      const tx = redis.multiExec();
      const ids = [tx.call('CLIENT', 'ID'), tx.incr(key), tx.call('CLIENT', 'ID')];
      const results = await tx.execute();
      const [first, count, second] = await Promise.all(ids);
      expect(results).to.deep.equal([first, 1, second]);
      expect(count).to.equal(1);
      expect(first).to.be.a('number');
      expect(second).to.equal(first);
      expect(redis.pool?.freesize).to.equal(2);
      expect(redis.pool?.size).to.equal(2);
      // Given back in a usable state (not in a transaction, so not closed): both connections serve.
      const both = await Promise.all([redis.call('CLIENT', 'ID'), redis.call('CLIENT', 'ID')]);
      expect(both).to.include(first);
      expect(new Set(both).size).to.equal(2);
    });

    it('watch() on the pool itself rejects with REDMUX_ERR_POOL_STATEFUL_COMMAND: WATCH needs an acquired connection', async () => {
      const redis = await pooled();
      const err = await rejectionOf(redis.watch(uniqueKey()));
      expect(err).to.be.instanceOf(RedisError);
      expect((err as RedisError).code).to.equal('REDMUX_ERR_POOL_STATEFUL_COMMAND');
      const unwatch = await rejectionOf(redis.unwatch());
      expect((unwatch as RedisError).code).to.equal('REDMUX_ERR_POOL_STATEFUL_COMMAND');
    });

    it('acquire() + watch() + read + multiExec() in a retry loop: WATCH aborts on a concurrent writer’s changes and no update is lost', async () => {
      const redis = await pooledText({ minsize: 2, maxsize: 8 });
      const key = uniqueKey('counter');
      await redis.set(key, 0);

      // The concurrent writer: INCRs through the pool's shared connections until the workers are done.
      let writesSent = 0;
      let writesDone = 0;
      let stop = false;
      const writer = (async () => {
        while (!stop) {
          writesSent += 1;
          await redis.incr(key);
          writesDone += 1;
          await delay(1);
        }
      })();
      /** Resolves once the writer changed the key with an INCR it sent after this call. */
      const writerChangesKey = async (): Promise<void> => {
        const target = writesSent + 1;
        while (writesDone < target) await delay(1);
      };

      const WORKERS = 4;
      const INCREMENTS = 5;
      let aborted = 0;
      const worker = async (): Promise<void> => {
        for (let i = 0; i < INCREMENTS; i++) {
          for (let attempt = 1; ; attempt++) {
            expect(attempt, 'attempts for one increment').to.be.below(200);
            // The documented pattern: an exclusive connection per attempt, given back at the end of
            // the block whatever happens.
            await using r = await redis.acquire();
            await r.watch(key);
            const value = Number(await r.get(key));
            // Each worker's first attempt sees the writer change the key between its read and EXEC.
            if (i === 0 && attempt === 1) await writerChangesKey();
            const tx = r.multiExec();
            const set = tx.set(key, value + 1);
            try {
              expect(await tx.execute()).to.deep.equal([true]);
              expect(await set).to.equal(true);
              break;
            } catch (err) {
              if (!(err instanceof WatchVariableError)) throw err;
              expect(await rejectionOf(set)).to.be.instanceOf(WatchVariableError);
              aborted += 1;
            }
          }
        }
      };
      try {
        await Promise.all(Array.from({ length: WORKERS }, worker));
      } finally {
        stop = true;
        await writer;
      }

      expect(aborted).to.be.at.least(WORKERS);
      expect(writesDone).to.be.at.least(WORKERS);
      expect(Number(await redis.get(key))).to.equal(WORKERS * INCREMENTS + writesDone);
      // Every acquired connection came back, not left WATCHing or in a transaction.
      const pool = redis.pool;
      expect(pool?.freesize).to.equal(pool?.size);
    });
  });
});
