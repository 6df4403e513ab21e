// Streams: a producer and a consumer group on a pool — xadd with trimming, xreadGroup with block
// (each blocking read gets a connection of its own), xack, xpending, recovering a crashed
// consumer's entries with xautoclaim, and what xinfo says about it all.
//
//   npx ts-node --transpile-only examples/streams.ts     # starts a throwaway redis-server
//   REDIS_URL=redis://localhost:6379 npx ts-node --transpile-only examples/streams.ts
//
// In your own code, import from 'redmux' instead of '../lib'.
import { createRedisPool, type Redis } from '../lib';
import { startRedis } from '../test/helpers/redis-server';

const STREAM = 'tour:jobs';
const GROUP = 'resizers';

/** A worker: reads new entries for `name`, handles them and acknowledges them, until stopped. */
async function worker(redis: Redis<string>, name: string, done: string[], stop: () => boolean) {
  while (!stop()) {
    // '>' asks for entries never delivered to the group. With `block` the call waits on the
    // server (here up to 100 ms); on a pool it runs on a connection of its own, so the producer
    // and the other worker are not held up. Null means the time ran out.
    const read = await redis.xreadGroup(GROUP, name, { [STREAM]: '>' }, { count: 2, block: 100 });
    for (const { entries } of read ?? []) {
      for (const { id, fields } of entries) {
        if (fields === null) continue; // deleted from the stream since it was delivered
        done.push(`${name}: ${fields.image} at ${fields.width}px`);
        await redis.xack(STREAM, GROUP, id);
      }
    }
  }
}

async function tour(redis: Redis<string>): Promise<void> {
  section('a consumer group');
  // '$': the group reads only entries added from now on; mkstream creates the stream if need be.
  show('xgroupCreate', await redis.xgroupCreate(STREAM, GROUP, '$', { mkstream: true }));

  let stopping = false;
  const done: string[] = [];
  const workers = ['alice', 'bob'].map((name) => worker(redis, name, done, () => stopping));

  section('producing');
  for (const [image, width] of [
    ['cat.png', 640],
    ['dog.png', 320],
    ['fox.png', 1024],
    ['owl.png', 128],
  ] as const) {
    // The server makes the ID; maxlen with approximate keeps the stream about that long, cheaply.
    const id = await redis.xadd(STREAM, { image, width }, { maxlen: 1000, approximate: true });
    show('xadd', `${id} ${image}`);
  }
  while (done.length < 4) await delay(10);
  stopping = true;
  await Promise.all(workers);
  for (const line of done.sort()) show('handled', line);
  show('xpending', await redis.xpending(STREAM, GROUP)); // nothing left: all acknowledged

  section('recovering from a crashed consumer');
  // carol reads an entry and "crashes" before XACK: it stays pending, owned by her.
  await redis.xadd(STREAM, { image: 'bee.png', width: 64 });
  const [read] = (await redis.xreadGroup(GROUP, 'carol', { [STREAM]: '>' })) ?? [];
  show(
    'carol read',
    read?.entries.map((entry) => entry.id),
  );
  show('xpendingRange', await redis.xpendingRange(STREAM, GROUP, '-', '+', 10));
  // Later, dave claims whatever has been pending for at least 10 ms, handles and acks it.
  await delay(20);
  const claimed = await redis.xautoclaim(STREAM, GROUP, 'dave', 10, '0-0');
  show('xautoclaim', claimed);
  for (const entry of claimed.entries) await redis.xack(STREAM, GROUP, entry.id);
  show('xpending', (await redis.xpending(STREAM, GROUP)).count);

  section('looking at the stream');
  show('xlen', await redis.xlen(STREAM));
  show('xrange count 2', await redis.xrange(STREAM, '-', '+', { count: 2 }));
  show('xrevrange count 1', await redis.xrevrange(STREAM, '+', '-', { count: 1 }));
  const info = await redis.xinfoStream(STREAM);
  show('xinfoStream', { length: info.length, lastEntry: info.lastEntry, groups: info.groups });
  show('xinfoGroups', await redis.xinfoGroups(STREAM));
  const consumers = await redis.xinfoConsumers(STREAM, GROUP);
  show(
    'xinfoConsumers',
    consumers.map(({ name, pending }) => ({ name, pending })),
  );
  // Values in another encoding for one call; IDs stay text.
  show('xrange as base64', await redis.xrange(STREAM, '-', '+', { count: 1, encoding: 'base64' }));

  section('reading without a group');
  // XREAD: anything after an ID; with '$' and block, only what arrives while waiting.
  const next = redis.xread({ [STREAM]: '$' }, { block: 1000 });
  await delay(10);
  await redis.xadd(STREAM, { image: 'ant.png', width: 32 });
  show('xread', await next);
  show('xtrim maxlen 2', await redis.xtrim(STREAM, { maxlen: 2 })); // how many went
}

function section(title: string): void {
  console.log(`\n— ${title}`);
}

function show(label: string, value: unknown): void {
  console.log(`  ${label.padEnd(20)} ${JSON.stringify(value) ?? String(value)}`);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function main(): Promise<void> {
  const server = process.env.REDIS_URL ? undefined : await startRedis();
  const address = process.env.REDIS_URL ?? (server?.url as string);
  console.log(
    `redmux streams against ${server ? `a throwaway redis-server on port ${server.port}` : 'REDIS_URL'}`,
  );
  try {
    await using redis = await createRedisPool(address, { encoding: 'utf8', maxsize: 5 });
    await redis.delete(STREAM);
    try {
      await tour(redis);
    } finally {
      await redis.delete(STREAM);
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
