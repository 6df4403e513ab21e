// Memory stays bounded with the server down (issue 12, DESIGN.md invariant 11): for 30 s a producer
// pushes commands at a reconnecting client as fast as it takes them; the offline queue holds at
// most maxQueued of them, refuses the rest at once with QueueFullError, and lets none wait longer
// than offlineTimeout. The heap stays under what a full queue can hold and does not grow once it is
// full. When the server is back, what waited runs, in order.
import { expect } from 'chai';
import diagnostics from 'node:diagnostics_channel';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { createRedis, QueueFullError, type Redis, TimeoutError } from '../../lib';
import { type RedisServer, startRedis } from '../helpers/redis-server';
import { eventually } from '../helpers/util';

const DOWN_MS = 30_000;
/** The documented defaults the test relies on (README "Staying connected"). */
const MAX_QUEUED = 10_000;
const OFFLINE_TIMEOUT = 5000;
const VALUE_BYTES = 1024;
/**
 * What one queued command may cost besides its value: its queue entry, promise, timer, closures,
 * arguments array and key, and the caller's handlers. Measured at about 1.2 KiB (Node 20); an
 * unbounded queue would need over ten times the resulting bound within the 30 s.
 */
const OVERHEAD_BYTES = 2048;
/** Commands offered per event-loop turn. */
const BATCH = 100;
const LIST = 'memory:list';

/**
 * A function that runs a full garbage collection, so that heap samples measure what is live.
 * Mocha's command line cannot pass --expose-gc portably; V8 lets a running process turn it on,
 * and a new context then has `gc`.
 */
function fullGc(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed !== undefined) return exposed;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/** The sequence number a pushed value starts with. */
const seqOf = (value: string): number => Number(value.slice(0, value.indexOf(':')));

describe('memory with the server down (createRedis with reconnect, default maxQueued)', function () {
  let server: RedisServer;
  let redis: Redis<string> | undefined;

  afterEach(async () => {
    redis?.close();
    await server.stop();
  });

  it('stays bounded under a producer while the server is down, then runs what waited in order (30 s)', async function () {
    this.timeout(DOWN_MS + 25_000);
    server = await startRedis();
    const client = await createRedis(server.url, {
      encoding: 'utf8',
      reconnect: { base: 50, cap: 250 },
    });
    redis = client;
    const gc = fullGc();
    const heapUsed = (): number => {
      gc();
      return process.memoryUsage().heapUsed;
    };

    let seq = 0;
    let inFlight = 0;
    let queueFull = 0;
    let timedOut = 0;
    let youngestTimeout = Infinity; // ms waited by the quickest TimeoutError
    const acknowledged: number[] = []; // sequence numbers, in the order their replies came
    const unexpected: unknown[] = [];
    const offer = (): void => {
      const n = seq++;
      // A fresh string per command, so the heap holds each queued value, not one shared copy.
      const value = `${n}:`.padEnd(VALUE_BYTES, 'v');
      const issuedAt = performance.now();
      inFlight++;
      client.rpush(LIST, value).then(
        () => {
          inFlight--;
          acknowledged.push(n);
        },
        (err: unknown) => {
          inFlight--;
          if (err instanceof QueueFullError) queueFull++;
          else if (err instanceof TimeoutError && err.maybeExecuted === false) {
            timedOut++;
            youngestTimeout = Math.min(youngestTimeout, performance.now() - issuedAt);
          } else if (unexpected.length < 10) unexpected.push(err);
        },
      );
    };

    await server.kill();
    await eventually(async () => client.state === 'reconnecting');
    const baseline = heapUsed();

    let producing = true;
    let readyAt = -1;
    // The Link publishes ready before it sends what waited: every command offered before then
    // waited in the queue. The producer stops there, so the rest of the run is about the queue.
    const onReady = (): void => {
      readyAt = seq;
      producing = false;
    };
    const producer = (async () => {
      while (producing) {
        for (let i = 0; i < BATCH; i++) offer();
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const samples: number[] = [];
    const bound = MAX_QUEUED * (VALUE_BYTES + OVERHEAD_BYTES);
    const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
    try {
      // One heap sample per second while the server stays down.
      const start = performance.now();
      for (let second = 1; second * 1000 <= DOWN_MS; second++) {
        const wait = start + second * 1000 - performance.now();
        await new Promise((resolve) => setTimeout(resolve, wait));
        samples.push(heapUsed() - baseline);
      }
      const peak = Math.max(...samples);
      expect(peak, `heap growth ${mib(peak)} over a bound of ${mib(bound)}`).to.be.below(bound);
      // The queue is full within the first second, then drains and refills every offlineTimeout: a
      // leak would make the second half of the run need more than the first.
      const firstHalf = Math.max(...samples.slice(1, 15));
      const secondHalf = Math.max(...samples.slice(15));
      const grew = `heap grew after the queue was full: ${mib(firstHalf)} → ${mib(secondHalf)}`;
      expect(secondHalf, grew).to.be.below(firstHalf + bound / 10);
      expect(unexpected, 'rejections other than QueueFullError and TimeoutError').to.deep.equal([]);
      expect(acknowledged, 'nothing ran while the server was down').to.deep.equal([]);
      expect(inFlight, 'at most maxQueued commands wait').to.be.at.most(MAX_QUEUED);
      // The server comes back while the producer still runs.
      diagnostics.subscribe('redmux:ready', onReady);
      await server.restart();
      await eventually(async () => client.state === 'ready', 5000);
    } finally {
      diagnostics.unsubscribe('redmux:ready', onReady);
      producing = false;
      await producer;
    }

    expect(queueFull, 'commands refused at once by the full queue').to.be.greaterThan(0);
    expect(timedOut, 'commands that waited offlineTimeout').to.be.at.least(MAX_QUEUED);
    expect(youngestTimeout, 'no command timed out before offlineTimeout').to.be.at.least(
      OFFLINE_TIMEOUT - 5,
    );

    // What waited ran, in the order it was offered, and nothing else did.
    await eventually(async () => inFlight === 0, 15_000);
    expect(unexpected).to.deep.equal([]);
    expect(client.state).to.equal('ready');
    const waited = acknowledged.filter((n) => n < readyAt).length;
    expect(waited, 'commands queued while down that ran after the restart').to.be.greaterThan(0);
    expect(waited).to.be.at.most(MAX_QUEUED);
    const inOrder = acknowledged.every((n, i) => i === 0 || n > (acknowledged[i - 1] as number));
    expect(inOrder, 'replies came in the order the commands were offered').to.equal(true);
    const list = (await client.lrange(LIST, 0, -1)).map(seqOf);
    expect(list, 'the list holds exactly the acknowledged values, in order').to.deep.equal(
      acknowledged,
    );
  });
});
