// A client that survives a server restart while it works, and says what happened to each command;
// a subscriber beside it comes back on its own and says where messages may have been lost.
//
//   npx ts-node --transpile-only examples/resilient.ts   # starts (and restarts) its own redis-server
//
// In your own code, import from 'redmux' instead of '../lib'.
import diagnostics from 'node:diagnostics_channel';
import {
  ConnectionLostError,
  createRedis,
  isGap,
  type ReconnectingEvent,
  TimeoutError,
} from '../lib';
import { startRedis } from '../test/helpers/redis-server';

async function main(): Promise<void> {
  const server = await startRedis();
  const redis = await createRedis(server.url, {
    encoding: 'utf8',
    reconnect: { base: 50, cap: 1000 },
    offlineTimeout: 3000,
  });
  // Every transition is published; nothing in these events is a credential or a value.
  diagnostics.subscribe('redmux:lost', () => console.log('  lost the connection'));
  diagnostics.subscribe('redmux:reconnecting', (message) => {
    const { attempt, delay } = message as ReconnectingEvent;
    console.log(`  reconnecting: attempt ${attempt} in ${delay} ms`);
  });
  diagnostics.subscribe('redmux:ready', (message) => {
    console.log(`  ready (connection #${(message as { epoch: number }).epoch})`);
  });

  // Reconnecting is the default: the subscriber needs no option to come back.
  const subscriber = await createRedis(server.url, { encoding: 'utf8' });
  const [news] = await subscriber.subscribe('resilient:news');
  const reading = (async () => {
    for await (const message of news) {
      if (isGap(message)) {
        console.log(
          `  news: a gap of ${message.resumedAt - message.lostAt} ms (${message.cause.message})`,
        );
      } else if (message === 'last') return;
    }
  })();

  let acknowledged = 0;
  let maybe = 0;
  let notRun = 0;
  const work: Array<Promise<void>> = [];
  for (let tick = 0; tick < 40; tick++) {
    if (tick === 15) {
      console.log('restarting the server (a crash: SIGKILL, then start again)');
      await server.kill();
      setTimeout(() => void server.restart(), 300);
    }
    work.push(
      redis.incr('resilient:counter').then(
        () => void acknowledged++,
        (err: unknown) => {
          // A written INCR may have run; one that waited and timed out did not.
          if (err instanceof ConnectionLostError && err.maybeExecuted) maybe++;
          else if (err instanceof ConnectionLostError || err instanceof TimeoutError) notRun++;
          else throw err;
        },
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await Promise.all(work);
  await redis.publish('resilient:news', 'last');
  await reading;
  subscriber.close();
  // The server has no persistence: after the crash the counter starts again from 0.
  const final = Number(await redis.get('resilient:counter'));
  console.log({ acknowledged, maybeExecuted: maybe, notRun, counterAfterRestart: final });
  console.log(`state: ${redis.state}`);
  redis.close();
  await server.stop();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
