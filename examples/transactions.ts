// Batches of commands: pipelines (one write, one round trip, results in order) and MULTI / EXEC
// transactions with multiExec(), WATCH, and the acquire() + WATCH + multiExec() retry pattern on a
// pool.
//
//   npx ts-node --transpile-only examples/transactions.ts     # starts a throwaway redis-server
//   REDIS_URL=redis://localhost:6379 npx ts-node --transpile-only examples/transactions.ts
//
// In your own code, import from 'redmux' instead of '../lib'.
import {
  createRedis,
  createRedisPool,
  ExecAbortError,
  MultiExecError,
  PipelineError,
  type Redis,
  RedisError,
  ReplyError,
  WatchVariableError,
} from '../lib';
import { startRedis } from '../test/helpers/redis-server';

async function pipelines(redis: Redis<string>): Promise<void> {
  section('a pipeline: every command method, one write, results in order');
  const pipe = redis.pipeline();
  // Each call queues its command and returns a promise that settles once the pipeline has run.
  const greeting = pipe.get('tour:tx:greeting');
  pipe.set('tour:tx:greeting', 'hello');
  pipe.get('tour:tx:greeting');
  pipe.get('tour:tx:greeting', { encoding: null }); // this call's own encoding: a Buffer
  pipe.incrbyfloat('tour:tx:price', 9.99); // a number
  pipe.hset('tour:tx:user', { name: 'Ada', lang: 'en' });
  pipe.hgetall('tour:tx:user'); // an object
  pipe.zadd('tour:tx:scores', 10, 'ada');
  pipe.zrange('tour:tx:scores', 0, -1, { withScores: true }); // [member, score] pairs
  pipe.call('OBJECT', 'ENCODING', 'tour:tx:greeting'); // anything without a method
  show('length', pipe.length);
  const results = await pipe.execute();
  results.forEach((result, i) => show(`result ${i}`, result));
  show('its own promise', await greeting); // null: the GET ran before the SET

  section('typed results: execute(build)');
  // build queues the calls and returns them; execute() resolves with their results in that
  // order, each typed by its own method: here [string | null, number, Array<[string, number]>].
  const [name, visits, top] = await redis
    .pipeline()
    .execute((p) => [
      p.get('tour:tx:greeting'),
      p.incr('tour:tx:visits'),
      p.zrange('tour:tx:scores', 0, -1, { withScores: true }),
    ]);
  show('name', name);
  show('visits + 1', visits + 1);
  show('top score', top[0]?.[1]);

  section('a pipeline with a failing command');
  await redis.rpush('tour:tx:list', 'a');
  const failing = redis.pipeline();
  const pushed = failing.rpush('tour:tx:list', 'b');
  failing.incr('tour:tx:list'); // WRONGTYPE: a list is not a number
  failing.llen('tour:tx:list');
  try {
    await failing.execute();
  } catch (err) {
    // Every command ran; the error says which failed and carries every reply, errors in place.
    if (!(err instanceof PipelineError)) throw err;
    show('PipelineError', err.message);
    show('errors', err.errors.map(describe));
    show('replies', err.replies.map(describe));
  }
  show('rpush still resolved', await pushed);
  const tolerant = redis.pipeline();
  tolerant.incr('tour:tx:list');
  tolerant.llen('tour:tx:list');
  show('returnExceptions', (await tolerant.execute({ returnExceptions: true })).map(describe));

  section('a pipeline runs once');
  try {
    await tolerant.execute();
  } catch (err) {
    if (err instanceof RedisError) show('second execute()', err.code);
  }

  section('a batch on a closed client');
  // It never leaves: execute() and every command reject with why the connection closed.
  const closing = await createRedis(redis.address, { encoding: 'utf8' });
  closing.close();
  const late = closing.pipeline();
  late.get('tour:tx:greeting').catch(() => {});
  try {
    await late.execute();
  } catch (err) {
    show('rejected with', describe(err));
  }
}

async function transactions(redis: Redis<string>, address: string): Promise<void> {
  section('multiExec(): MULTI, the commands and EXEC in one write');
  const tx = redis.multiExec();
  const set = tx.set('tour:tx:balance', 100);
  tx.decrby('tour:tx:balance', 30);
  tx.get('tour:tx:balance');
  tx.get('tour:tx:balance', { encoding: null }); // each EXEC item in its own command's encoding
  show('EXEC results', await tx.execute());
  show('set() resolved', await set); // true, from its EXEC item (not 'QUEUED')

  section('a command failing inside a transaction');
  const wrongType = redis.multiExec();
  wrongType.rpush('tour:tx:list', 'c');
  wrongType.incr('tour:tx:list'); // fails when EXEC runs it; the others still run
  try {
    await wrongType.execute();
  } catch (err) {
    if (!(err instanceof MultiExecError)) throw err;
    show('MultiExecError', err.replies.map(describe));
  }
  const refused = redis.multiExec();
  refused.set('tour:tx:never', 'x');
  refused.call('SET', 'tour:tx:never'); // wrong number of arguments: refused while queueing
  try {
    await refused.execute();
  } catch (err) {
    if (!(err instanceof MultiExecError)) throw err;
    // EXECABORT: nothing ran. The refused command has its own error, the others ExecAbortError.
    show('EXECABORT', err.errors.map(describe));
    show('ExecAbortError?', err.errors[0] instanceof ExecAbortError);
  }
  show('nothing ran', await redis.exists('tour:tx:never'));

  section('WATCH on one connection');
  // EXEC does nothing if a WATCHed key changed since the WATCH: everything rejects.
  await redis.watch('tour:tx:balance');
  const other = await createRedis(address, { encoding: 'utf8' });
  await other.incrby('tour:tx:balance', 5); // someone else writes meanwhile
  other.close();
  const watched = redis.multiExec();
  watched.set('tour:tx:balance', 0);
  try {
    await watched.execute();
  } catch (err) {
    if (err instanceof WatchVariableError) show('WatchVariableError', err.message);
  }
  show('balance untouched', await redis.get('tour:tx:balance'));
}

async function onAPool(pool: Redis<string>): Promise<void> {
  section('on a pool: acquire() + watch() + read + multiExec(), retried');
  // A pool shares its connections, so WATCH, the reads it guards and the transaction need one
  // connection for this caller alone: acquire() lends one until the end of the `await using`
  // block. When the key changed before EXEC, execute() rejects with WatchVariableError: retry.
  await pool.set('tour:tx:visits', 0);
  let retries = 0;
  const addOne = async (): Promise<void> => {
    for (;;) {
      await using r = await pool.acquire();
      await r.watch('tour:tx:visits');
      const visits = Number(await r.get('tour:tx:visits'));
      const tx = r.multiExec();
      tx.set('tour:tx:visits', visits + 1);
      try {
        await tx.execute();
        return;
      } catch (err) {
        if (!(err instanceof WatchVariableError)) throw err;
        retries++;
      }
    }
  };
  // Five increments by read-then-write at once, while another caller keeps adding 100 through
  // the pool's shared connections.
  let writing = true;
  const writer = (async () => {
    let writes = 0;
    while (writing) {
      await pool.incrby('tour:tx:visits', 100);
      writes++;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    return writes;
  })();
  await Promise.all(Array.from({ length: 5 }, addOne));
  writing = false;
  const writes = await writer;
  show('WATCH retries', retries);
  show('visits', `${await pool.get('tour:tx:visits')} = 5 + ${writes} × 100`);
  try {
    await pool.watch('tour:tx:visits'); // would leave a shared connection WATCHing
  } catch (err) {
    if (err instanceof RedisError) show('pool.watch()', err.code);
  }
  // Without WATCH, multiExec() on a pool needs no acquire(): it borrows a connection for itself.
  const tx = pool.multiExec();
  tx.incr('tour:tx:visits');
  tx.get('tour:tx:visits');
  show('multiExec on the pool', await tx.execute());
}

function describe(value: unknown): unknown {
  if (value instanceof ReplyError) return `${value.name} ${value.code}`;
  return value instanceof Error ? value.name : value;
}

function isBufferJson(value: unknown): value is { type: 'Buffer'; data: number[] } {
  return (value as { type?: unknown } | null)?.type === 'Buffer';
}

function section(title: string): void {
  console.log(`\n— ${title}`);
}

function show(label: string, value: unknown): void {
  // Buffers (also inside arrays) as <Buffer "text">, the rest as JSON.
  const text = Buffer.isBuffer(value)
    ? `<Buffer "${value.toString()}">`
    : (JSON.stringify(value, (_key, item: unknown) =>
        isBufferJson(item) ? `<Buffer ${Buffer.from(item.data).toString()}>` : item,
      ) ?? String(value));
  console.log(`  ${label.padEnd(22)} ${text}`);
}

async function main(): Promise<void> {
  const server = process.env.REDIS_URL ? undefined : await startRedis();
  const address = process.env.REDIS_URL ?? (server?.url as string);
  console.log(
    `redmux transactions against ${server ? `a throwaway redis-server on port ${server.port}` : 'REDIS_URL'}`,
  );
  try {
    {
      await using redis = await createRedis(address, { encoding: 'utf8' });
      await pipelines(redis);
      await transactions(redis, address);
    }
    {
      await using pool = await createRedisPool(address, {
        encoding: 'utf8',
        minsize: 2,
        maxsize: 8,
      });
      await onAPool(pool);
      const keys: string[] = [];
      for await (const key of pool.iscan({ match: 'tour:tx:*' })) keys.push(key);
      if (keys.length > 0) await pool.delete(keys[0] as string, ...keys.slice(1));
    }
  } finally {
    await server?.stop();
  }
  console.log('\ndone.');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
