// A tour of ConnectionsPool: multiplexed commands, growth under load, blocking commands on a
// connection of their own, deadlines, acquire() for transactions, strict options, select and close.
//
//   npx ts-node --transpile-only examples/pool.ts     # starts a throwaway redis-server
//   REDIS_URL=redis://localhost:6379 npx ts-node --transpile-only examples/pool.ts
//
// In your own code, import from 'redmux' instead of '../lib'.
import {
  type ConnectionsPool,
  createPool,
  type PoolOptions,
  RedisError,
  TimeoutError,
  WatchVariableError,
} from '../lib';
import { startRedis } from '../test/helpers/redis-server';

async function tour(pool: ConnectionsPool): Promise<void> {
  section('a pool of 2 to 5 connections');
  show('size / freesize', `${pool.size} / ${pool.freesize}`);

  section('2,000 concurrent commands');
  // Each command goes to the least loaded free connection; when even that one is busy, the pool
  // opens another, up to maxsize.
  let largest = pool.size;
  const replies = await Promise.all(
    Array.from({ length: 2000 }, () => {
      const reply = pool.execute('INCR', 'tour:pool:hits');
      largest = Math.max(largest, pool.size);
      return reply;
    }),
  );
  show('highest INCR', Math.max(...(replies as number[])));
  show('size grew to', `${largest} (maxsize ${pool.maxsize})`);

  section('a BLPOP does not hold up other commands');
  // Blocking commands run on a connection acquired for them alone.
  const started = Date.now();
  const popped = pool.execute('BLPOP', 'tour:pool:queue', 2);
  await pool.execute('GET', 'tour:pool:hits');
  show('GET answered in', `${Date.now() - started} ms while BLPOP waits`);
  await pool.execute('LPUSH', 'tour:pool:queue', 'job-1');
  show('BLPOP', await popped);

  section('deadlines');
  // The pool was made with commandTimeout: 500, so a command that gets no reply within 0.5 s
  // rejects (its reply is still read and dropped)…
  try {
    await pool.execute('DEBUG', 'SLEEP', 1);
  } catch (err) {
    if (err instanceof TimeoutError) show('DEBUG SLEEP 1', err.message);
  }
  // …unless it gives its own timeout, or blocks on purpose: BLPOP waits its 1 s.
  show('own timeout', await pool.executeWith({ timeout: 3000 }, 'DEBUG', 'SLEEP', 1));
  show('BLPOP 1 s', await pool.execute('BLPOP', 'tour:pool:empty', 1));

  section('acquire() for WATCH / MULTI / EXEC');
  // Five clients double a counter at once; WATCH makes the losers of each race retry.
  await pool.execute('SET', 'tour:pool:counter', 1);
  let retries = 0;
  await Promise.all(
    Array.from({ length: 5 }, async () => {
      for (;;) {
        // Exclusive until the end of this block, then back to the pool.
        await using conn = await pool.acquire({ timeout: 1000 });
        await conn.execute('WATCH', 'tour:pool:counter');
        const value = Number(await conn.execute('GET', 'tour:pool:counter'));
        void conn.execute('MULTI');
        void conn.execute('SET', 'tour:pool:counter', value * 2);
        try {
          return await conn.execute('EXEC');
        } catch (err) {
          if (!(err instanceof WatchVariableError)) throw err;
          retries++;
        }
      }
    }),
  );
  show('counter', await pool.execute('GET', 'tour:pool:counter'));
  show('WATCH retries', retries);
  try {
    await pool.execute('MULTI'); // would leave a shared connection in a transaction
  } catch (err) {
    if (err instanceof RedisError) show('execute(MULTI)', err.code);
  }

  section('select');
  await pool.select(1);
  show('db', pool.db);
  show('GET on db 1', await pool.execute('GET', 'tour:pool:counter'));
  await pool.select(0);
  show('GET on db 0', await pool.execute('GET', 'tour:pool:counter'));

  section('options it does not know are refused');
  try {
    await createPool(pool.address, { maxSize: 2 } as PoolOptions);
  } catch (err) {
    if (err instanceof TypeError) show('{ maxSize: 2 }', err.message);
  }

  await pool.execute('DEL', 'tour:pool:hits', 'tour:pool:counter', 'tour:pool:queue');
}

function section(title: string): void {
  console.log(`\n— ${title}`);
}

function show(label: string, value: unknown): void {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  console.log(`  ${label.padEnd(18)} ${text}`);
}

async function main(): Promise<void> {
  const server = process.env.REDIS_URL ? undefined : await startRedis();
  const address = process.env.REDIS_URL ?? (server?.url as string);
  console.log(
    `redmux pool tour against ${server ? `a throwaway redis-server on port ${server.port}` : 'REDIS_URL'}`,
  );
  // timeout: each connection must be ready (socket, AUTH…, PING) within 2 s, including those the
  // pool opens later; commandTimeout: each command must be answered within 0.5 s.
  const pool = await createPool(address, {
    minsize: 2,
    maxsize: 5,
    encoding: 'utf8',
    timeout: 2000,
    commandTimeout: 500,
  });
  try {
    await tour(pool);
  } finally {
    pool.close();
    await pool.waitClosed();
    await server?.stop();
  }
  show('closed', pool.closed);
  console.log('\ndone.');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
