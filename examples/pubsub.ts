// A tour of pub/sub: Channels read with for-await, pattern subscriptions, a Receiver gathering
// several channels into one queue, subscribed mode, and what a lost connection looks like. The
// subscriber is a utf8 connection, so messages are strings unless a read asks for Buffers.
//
//   npx ts-node --transpile-only examples/pubsub.ts     # starts a throwaway redis-server
//   REDIS_URL=redis://localhost:6379 npx ts-node --transpile-only examples/pubsub.ts
//
// In your own code, import from 'redmux' instead of '../lib'.
import {
  type Channel,
  ConnectionClosedError,
  createConnection,
  isGap,
  Receiver,
  type RedisConnection,
  RedisError,
} from '../lib';
import { startRedis } from '../test/helpers/redis-server';

/** Two connections: a subscribed one only receives (in RESP2), so another one publishes. */
async function tour(subscriber: RedisConnection, publisher: RedisConnection): Promise<void> {
  section('subscribe, then read with for await');
  show('SUBSCRIBE', await subscriber.executePubsub('subscribe', 'tour:news'));
  const news = subscriber.pubsubChannels.get('tour:news') as Channel<false, string>;
  // Start reading first: the loop waits for messages, and ends once the channel is unsubscribed
  // and every queued message has been read.
  const reading = (async () => {
    for await (const message of news) show('message', message); // strings: the connection's encoding
    show('loop', 'ended: unsubscribed and drained');
  })();
  for (const headline of ['redmux 0.1', 'pub/sub lands', 'more soon']) {
    await publisher.execute('PUBLISH', 'tour:news', headline);
  }
  // The server sends the confirmation after the messages it already sent: none is lost.
  show('UNSUBSCRIBE', await subscriber.executePubsub('unsubscribe', 'tour:news'));
  await reading;
  show('isActive', news.isActive);
  await news.get().catch((err: unknown) => show('get() now', (err as Error).name));

  section('psubscribe: messages carry the channel name');
  await subscriber.executePubsub('psubscribe', 'tour:alerts:*');
  const alerts = subscriber.pubsubPatterns.get('tour:alerts:*') as Channel<true, string>;
  await publisher.execute('PUBLISH', 'tour:alerts:disk', 'disk 91% full');
  await publisher.execute('PUBLISH', 'tour:alerts:cpu', JSON.stringify({ load: 7.5 }));
  show('encoding: null', await alerts.get({ encoding: null })); // Buffers, for this read only
  show('getJson()', await alerts.getJson());
  await subscriber.executePubsub('punsubscribe');

  section('a Receiver: two channels and a pattern, one queue');
  const receiver = new Receiver();
  await subscriber.executePubsub(
    'subscribe',
    receiver.channel('tour:a'),
    receiver.channel('tour:b'),
  );
  await subscriber.executePubsub('psubscribe', receiver.pattern('tour:logs:*'));
  show('channels', [...receiver.channels.keys()]);
  show('patterns', [...receiver.patterns.keys()]);
  await publisher.execute('PUBLISH', 'tour:b', 'to b');
  await publisher.execute('PUBLISH', 'tour:logs:web', 'GET / 200');
  await publisher.execute('PUBLISH', 'tour:a', 'to a');
  // Every message arrives as [sender, message] (for a pattern: [sender, [channelName, message]]),
  // in the order the server sent them; a gap marker (isGap) where messages may have been lost.
  let count = 0;
  for await (const item of receiver) {
    if (isGap(item)) {
      show('gap', item.channels);
      continue;
    }
    const [sender, message] = item;
    show(`from ${sender.name}`, message);
    if (++count === 3) break; // leaving the loop neither closes the receiver nor loses a message
  }
  await subscriber.executePubsub('unsubscribe', receiver.channel('tour:a'));
  show('after UNSUBSCRIBE a', [...receiver.channels.keys()]);
  receiver.stop(); // reads end once the queue is drained; later messages are dropped
  show('receiver active', receiver.isActive);

  section('subscribed mode');
  // In RESP2 a subscribed connection accepts only (P|S)(UN)SUBSCRIBE, PING, QUIT and RESET;
  // anything else is refused before it is sent, and the subscription carries on.
  try {
    await subscriber.execute('GET', 'tour:key');
  } catch (err) {
    if (err instanceof RedisError) show('GET refused', `${err.code}: ${err.message}`);
  }
  show('PING', await subscriber.execute('PING'));
  await subscriber.executePubsub('unsubscribe');
  await subscriber.executePubsub('punsubscribe');
  show('inPubsub', subscriber.inPubsub);
  show('GET again', await subscriber.execute('GET', 'tour:key'));
}

/** A lost connection makes a waiting loop throw ConnectionClosedError: never a silent end. */
async function loss(address: string, publisher: RedisConnection): Promise<void> {
  section('a lost connection');
  const doomed = await createConnection(address);
  const id = await doomed.execute<number>('CLIENT', 'ID');
  await doomed.executePubsub('subscribe', 'tour:doomed');
  const channel = doomed.pubsubChannels.get('tour:doomed') as Channel<false>;
  await publisher.execute('PUBLISH', 'tour:doomed', 'last words');
  await channel.waitMessage(); // true once a message is queued
  const reading = (async () => {
    for await (const message of channel.iter({ encoding: 'utf8' })) show('message', message);
  })();
  // Handle the outcome now: the loop fails while we are still waiting for CLIENT KILL's reply.
  const outcome = reading.then(
    () => 'the loop ended',
    (err: unknown) =>
      err instanceof ConnectionClosedError ? `the loop threw ${err.name}: ${err.message}` : err,
  );
  await publisher.execute('CLIENT', 'KILL', 'ID', id); // as if the server or the network failed
  show('outcome', await outcome);
  // No silent resubscribe: subscribe again on a new connection, knowing messages may be missed.
  show('closed', doomed.closed);
}

function section(title: string): void {
  console.log(`\n— ${title}`);
}

function show(label: string, value: unknown): void {
  console.log(`  ${label.padEnd(20)} ${format(value)}`);
}

function format(value: unknown): string {
  if (Buffer.isBuffer(value)) return `<Buffer "${String(value)}">`;
  if (Array.isArray(value)) return `[${value.map(format).join(', ')}]`;
  return JSON.stringify(value) ?? String(value);
}

async function main(): Promise<void> {
  const server = process.env.REDIS_URL ? undefined : await startRedis();
  const address = process.env.REDIS_URL ?? (server?.url as string);
  console.log(
    `redmux pub/sub tour against ${server ? `a throwaway redis-server on port ${server.port}` : 'REDIS_URL'}`,
  );
  const subscriber = await createConnection(address, { encoding: 'utf8' });
  const publisher = await createConnection(address);
  try {
    await tour(subscriber, publisher);
    await loss(address, publisher);
  } finally {
    subscriber.close();
    publisher.close();
    await Promise.all([subscriber.waitClosed(), publisher.waitClosed()]);
    await server?.stop();
  }
  console.log('\ndone.');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
