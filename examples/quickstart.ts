// A tour of redmux's core: connect, set/get, pipelining, encodings, transactions and errors,
// ending with the typed client's checks.
//
//   npm run demo                         # starts a throwaway redis-server on a free port
//   REDIS_URL=redis://localhost:6379 npm run demo
//
// In your own code, import from 'redmux' instead of '../lib'.
import {
  createConnection,
  createRedis,
  ReplyError,
  TimeoutError,
  WatchVariableError,
  type RedisConnection,
} from '../lib';
import { startRedis } from '../test/helpers/redis-server';

async function tour(conn: RedisConnection, address: string): Promise<void> {
  section('set / get');
  await conn.execute('SET', 'tour:greeting', 'hello, redmux');
  // Bulk replies are Buffers unless an encoding is set, per connection or per command.
  const raw = await conn.execute('GET', 'tour:greeting');
  const text = await conn.executeWith({ encoding: 'utf8' }, 'GET', 'tour:greeting');
  show('GET as Buffer', raw);
  show('GET as utf8', text);
  show('INCR', await conn.execute('INCR', 'tour:counter'));

  section('10,000 pipelined commands');
  // Every execute() is written at once; the commands of one event-loop turn share one socket write
  // and each promise gets its own reply, in order.
  const started = process.hrtime.bigint();
  const replies = await Promise.all(
    Array.from({ length: 10_000 }, (_, i) => conn.execute('SET', `tour:key:${i}`, i)),
  );
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  show('replies', `${replies.length} × ${String(replies[0])}`);
  show('time', `${ms.toFixed(1)} ms (${Math.round(10_000 / (ms / 1000)).toLocaleString()} ops/s)`);
  await conn.execute('DEL', ...Array.from({ length: 10_000 }, (_, i) => `tour:key:${i}`));

  section('transactions');
  void conn.execute('MULTI');
  void conn.execute('INCR', 'tour:counter');
  void conn.executeWith({ encoding: 'utf8' }, 'GET', 'tour:greeting');
  // Each EXEC item is decoded with the encoding of the command that queued it.
  show('EXEC', await conn.execute('EXEC'));
  await conn.execute('WATCH', 'tour:counter');
  const other = await createConnection(address);
  await other.execute('INCR', 'tour:counter'); // someone else changes the watched key
  other.close();
  void conn.execute('MULTI');
  void conn.execute('INCR', 'tour:counter');
  await conn.execute('EXEC').catch((err: unknown) => {
    show('EXEC after WATCH', err instanceof WatchVariableError ? err.name : err);
  });

  section('errors');
  await conn.execute('LPUSH', 'tour:list', 'x');
  try {
    await conn.execute('GET', 'tour:list');
  } catch (err) {
    if (err instanceof ReplyError) show('ReplyError', `${err.code} from ${err.command}`);
  }
  try {
    await conn.execute('SET', 'tour:x', undefined as unknown as string);
  } catch (err) {
    show('bad argument', (err as Error).message); // rejected before anything was sent
  }
  try {
    await conn.executeWith({ timeout: 100 }, 'BLPOP', 'tour:empty', 1);
  } catch (err) {
    if (err instanceof TimeoutError) show('TimeoutError', err.message);
  }
  // The timed-out BLPOP's reply is still read and dropped, so the next reply is this command's own.
  show('after the timeout', await conn.execute('ECHO', 'still in step'));

  // The typed client refuses what it does not understand (here an ioredis-style option) before
  // sending anything, instead of setting a key that never expires.
  const redis = await createRedis(address, { encoding: 'utf8' });
  try {
    await redis.set('tour:greeting', 'hi', { ex: 60 } as never);
  } catch (err) {
    show('unknown option', (err as Error).message);
  }
  await redis.set('tour:greeting', 'hi', { expire: 60 });
  show('TTL', await redis.ttl('tour:greeting'));
  show('per-call timeout', await redis.get('tour:greeting', { timeout: 500 }));
  redis.close();

  await conn.execute('DEL', 'tour:greeting', 'tour:counter', 'tour:list');
}

function section(title: string): void {
  console.log(`\n— ${title}`);
}

function show(label: string, value: unknown): void {
  console.log(
    `  ${label.padEnd(18)} ${Buffer.isBuffer(value) ? `<Buffer "${String(value)}">` : (JSON.stringify(value) ?? String(value))}`,
  );
}

async function main(): Promise<void> {
  const server = process.env.REDIS_URL ? undefined : await startRedis();
  const address = process.env.REDIS_URL ?? (server?.url as string);
  console.log(
    `redmux tour against ${server ? `a throwaway redis-server on port ${server.port}` : 'REDIS_URL'}`,
  );
  const conn = await createConnection(address);
  try {
    await tour(conn, address);
  } finally {
    conn.close();
    await conn.waitClosed();
    await server?.stop();
  }
  console.log('\ndone.');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
