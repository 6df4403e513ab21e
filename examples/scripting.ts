// Server-side scripting: EVAL and the script cache, the Script helper (EVALSHA with a fallback to
// EVAL), scripts in pipelines and transactions, and Redis 7 functions (FUNCTION LOAD / FCALL).
//
//   npx ts-node --transpile-only examples/scripting.ts     # starts a throwaway redis-server
//   REDIS_URL=redis://localhost:6379 npx ts-node --transpile-only examples/scripting.ts
//
// In your own code, import from 'redmux' instead of '../lib'.
import { createRedis, NoScriptError, type Redis, Script } from '../lib';
import { startRedis } from '../test/helpers/redis-server';

/** Takes one token from a bucket if there is one left: atomic, because the script is. */
const takeToken = new Script(
  `local left = tonumber(redis.call('GET', KEYS[1]) or ARGV[1])
   if left <= 0 then return 0 end
   redis.call('SET', KEYS[1], left - 1, 'EX', 60)
   return 1`,
  { numberOfKeys: 1 },
);

async function tour(redis: Redis<string>): Promise<void> {
  section('eval: keys in KEYS, arguments in ARGV');
  // The reply comes back as the server sends it; name its type if you know it.
  show('eval', await redis.eval('return {KEYS[1], ARGV[1], 42}', ['tour:k'], ['hello']));
  show('eval<number>', await redis.eval<number>('return #ARGV', [], ['a', 'b', 'c']));

  section('the script cache: scriptLoad / evalsha');
  const sha = await redis.scriptLoad('return ARGV[1] .. ARGV[1]');
  show('scriptLoad', sha);
  show('evalsha', await redis.evalsha(sha, [], ['ab']));
  show('scriptExists', await redis.scriptExists(sha, '0'.repeat(40)));
  await redis.scriptFlush();
  try {
    await redis.evalsha(sha, [], ['ab']);
  } catch (err) {
    if (!(err instanceof NoScriptError)) throw err;
    show('after scriptFlush', `${err.name} (${err.code})`);
  }

  section('Script: EVALSHA, and EVAL once when the server lost it');
  // The SHA1 is computed locally; the first run gets NOSCRIPT and sends the source, which the
  // server then caches, so later runs send only the SHA1.
  show('sha', takeToken.sha);
  for (let i = 0; i < 4; i++) {
    show(`take (bucket of 3)`, await takeToken.run<number>(redis, ['tour:bucket'], [3]));
  }

  section('Script in a pipeline and in a transaction');
  // In a batch a NOSCRIPT could not be retried in its place, so run() sends EVAL there.
  const pipe = redis.pipeline();
  void takeToken.run(pipe, ['tour:other-bucket'], [1]);
  void takeToken.run(pipe, ['tour:other-bucket'], [1]);
  show('pipeline', await pipe.execute());
  const multi = redis.multiExec();
  const granted = takeToken.run<number>(multi, ['tour:third-bucket'], [5]);
  void multi.get('tour:third-bucket');
  show('multiExec', await multi.execute());
  show('its own result', await granted);

  section('functions (Redis 7): a library of named functions');
  const library = await redis.functionLoad(
    [
      '#!lua name=tour',
      "redis.register_function('shout', function(keys, args) return string.upper(args[1]) end)",
      "redis.register_function{function_name='count', flags={'no-writes'},",
      "  callback=function(keys, args) return redis.call('STRLEN', keys[1]) end}",
    ].join('\n'),
    { replace: true },
  );
  show('functionLoad', library);
  show('fcall shout', await redis.fcall('shout', [], ['hello']));
  await redis.set('tour:word', 'redmux');
  show('fcallRo count', await redis.fcallRo<number>('count', ['tour:word']));
  show('functionList', await redis.functionList({ libraryName: 'tour' }));
  // functionDump / functionRestore copy every library, e.g. to another server.
  const payload = await redis.functionDump();
  show('functionDump', `${payload.length} bytes`);
  await redis.functionDelete('tour');
  show('functionRestore', await redis.functionRestore(payload));
  show('functionStats', await redis.functionStats());
  await redis.functionDelete('tour');
}

function section(title: string): void {
  console.log(`\n— ${title}`);
}

function show(label: string, value: unknown): void {
  console.log(`  ${label.padEnd(20)} ${JSON.stringify(value) ?? String(value)}`);
}

async function main(): Promise<void> {
  const server = process.env.REDIS_URL ? undefined : await startRedis();
  const address = process.env.REDIS_URL ?? (server?.url as string);
  console.log(
    `redmux scripting against ${server ? `a throwaway redis-server on port ${server.port}` : 'REDIS_URL'}`,
  );
  try {
    await using redis = await createRedis(address, { encoding: 'utf8' });
    try {
      await tour(redis);
    } finally {
      await redis.delete('tour:bucket', 'tour:other-bucket', 'tour:third-bucket', 'tour:word');
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
