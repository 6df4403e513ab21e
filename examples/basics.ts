// A tour of the high-level client: createRedis / createRedisPool, one typed method per command
// (strings, hashes, lists, sets, sorted sets, geo), scanning, per-call encodings, and the
// acquire() pattern for WATCH / MULTI / EXEC on a pool.
//
//   npx ts-node --transpile-only examples/basics.ts     # starts a throwaway redis-server
//   REDIS_URL=redis://localhost:6379 npx ts-node --transpile-only examples/basics.ts
//
// In your own code, import from 'redmux' instead of '../lib'.
import { createRedis, createRedisPool, type Redis, WatchVariableError } from '../lib';
import { startRedis } from '../test/helpers/redis-server';

async function tour(redis: Redis<string>): Promise<void> {
  section('strings');
  // Created with `encoding: 'utf8'`, the client returns strings (and its types say so).
  show('set', await redis.set('tour:greeting', 'hello', { expire: 60 }));
  show('set NX again', await redis.set('tour:greeting', 'again', { exist: 'NX' })); // false
  show('get', await redis.get('tour:greeting'));
  show('incrbyfloat', await redis.incrbyfloat('tour:price', 9.99)); // a number, not '9.99'
  show('mget', await redis.mget(['tour:greeting', 'tour:missing']));

  section('hashes');
  await redis.hset('tour:user:1', { name: 'Ada', lang: 'en', visits: 1 });
  show('hincrby', await redis.hincrby('tour:user:1', 'visits', 2));
  show('hgetall', await redis.hgetall('tour:user:1')); // an object
  show('hexists', await redis.hexists('tour:user:1', 'email')); // a boolean

  section('lists');
  await redis.rpush('tour:queue', 'job-1', 'job-2', 'job-3');
  show('lrange', await redis.lrange('tour:queue', 0, -1));
  show('blpop', await redis.blpop('tour:queue', 1)); // [key, element]

  section('sets');
  await redis.sadd('tour:tags:a', 'redis', 'node', 'typescript');
  await redis.sadd('tour:tags:b', 'redis', 'python');
  show('sinter', await redis.sinter(['tour:tags:a', 'tour:tags:b']));
  show('sismember', await redis.sismember('tour:tags:a', 'python'));

  section('sorted sets');
  await redis.zadd('tour:scores', [
    [42, 'ada'],
    [17, 'bob'],
    [99, 'cy'],
  ]);
  show('zincrby', await redis.zincrby('tour:scores', 10, 'bob'));
  show('zrange withScores', await redis.zrange('tour:scores', 0, -1, { withScores: true }));
  show('zrangebyscore', await redis.zrangebyscore('tour:scores', 20, 50));

  section('geo');
  await redis.geoadd('tour:sicily', [
    [13.361389, 38.115556, 'Palermo'],
    [15.087269, 37.502669, 'Catania'],
  ]);
  show('geodist km', await redis.geodist('tour:sicily', 'Palermo', 'Catania', 'km'));
  show('geopos', await redis.geopos('tour:sicily', 'Palermo'));
  // With withDist / withCoord the results are { member, dist, coord } objects.
  const near = await redis.geosearch(
    'tour:sicily',
    { fromLonLat: [15, 37] },
    { byRadius: [200, 'km'] },
    { withDist: true, sort: 'ASC' },
  );
  show(
    'geosearch',
    near.map(({ member, dist }) => `${member} ${dist.toFixed(1)} km`),
  );

  section('iscan: walking the keyspace lazily');
  // One SCAN per exhausted batch; breaking out of the loop stops the walk.
  const found: string[] = [];
  for await (const key of redis.iscan({ match: 'tour:tags:*', count: 100 })) found.push(key);
  show('tour:tags:*', found.sort());

  section('per-call encoding');
  // Any reading command takes { encoding }: null gives Buffers, whatever the client's default.
  show('get as Buffer', await redis.get('tour:greeting', { encoding: null }));
  show('get as hex', await redis.get('tour:greeting', { encoding: 'hex' }));
}

async function transactions(pool: Redis<string>): Promise<void> {
  section('acquire(): WATCH / MULTI / EXEC on a pool');
  // A pool shares its connections between callers, so WATCH and MULTI need one connection for
  // this caller alone: acquire() lends one out until the end of the `await using` block. If the
  // watched key changes before EXEC, EXEC rejects with WatchVariableError: then try again.
  await pool.set('tour:counter', '1');
  for (let attempt = 1; ; attempt++) {
    await using r = await pool.acquire();
    await r.execute('WATCH', 'tour:counter');
    const value = Number(await r.get('tour:counter'));
    if (attempt === 1) await pool.incr('tour:counter'); // someone else writes meanwhile
    await r.execute('MULTI');
    await r.execute('SET', 'tour:counter', value * 10);
    try {
      show('EXEC', await r.execute('EXEC'));
      show('attempts', attempt);
      break;
    } catch (err) {
      if (!(err instanceof WatchVariableError)) throw err;
      show(`attempt ${attempt}`, 'the counter changed: retrying');
    }
  }
  show('counter', await pool.get('tour:counter')); // (1 + 1) × 10
}

function section(title: string): void {
  console.log(`\n— ${title}`);
}

function show(label: string, value: unknown): void {
  const text = Buffer.isBuffer(value)
    ? `<Buffer ${value.toString('hex')}>`
    : (JSON.stringify(value) ?? String(value));
  console.log(`  ${label.padEnd(20)} ${text}`);
}

async function main(): Promise<void> {
  const server = process.env.REDIS_URL ? undefined : await startRedis();
  const address = process.env.REDIS_URL ?? (server?.url as string);
  console.log(
    `redmux basics against ${server ? `a throwaway redis-server on port ${server.port}` : 'REDIS_URL'}`,
  );
  try {
    {
      // One connection; closed at the end of the block.
      await using redis = await createRedis(address, { encoding: 'utf8' });
      await tour(redis);
    }
    {
      // A pool of 2 to 5 connections, the same methods.
      await using pool = await createRedisPool(address, {
        encoding: 'utf8',
        minsize: 2,
        maxsize: 5,
      });
      await transactions(pool);
      const keys: string[] = [];
      for await (const key of pool.iscan({ match: 'tour:*' })) keys.push(key);
      await pool.delete(keys[0] as string, ...keys.slice(1));
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
