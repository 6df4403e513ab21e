// Destructive cluster cases (issue 13), each on a 6-node cluster of its own: a graceful failover
// and a SIGKILLed master under INCR load, and a node removed from the cluster. Every case counts
// its outcome: 0 unsettled commands, acknowledged ≤ final value ≤ acknowledged + maybeExecuted
// for every key, 0 errors on the other shards, traffic back without user action, and few reloads.
import * as net from 'node:net';
import { expect } from 'chai';
import { createCluster, type RedisCluster, ReplyError } from '../../lib';
import { hashSlot } from '../../lib/cluster/slot';
import { nodeKey } from '../../lib/cluster/nodes';
import { startCluster, type TestCluster, type TestClusterNode } from '../helpers/cluster';
import { startFaultProxy } from '../helpers/fault-proxy';

/** One INCR loop of the load: its own key, what it saw. */
interface Loop {
  readonly key: string;
  /** `host:port` of the key's master when the load started. */
  readonly master: string;
  /** INCRs that resolved. */
  acked: number;
  /** Rejections that say the INCR may have run (`maybeExecuted: true`). */
  maybe: number;
  readonly errors: Error[];
  /** The loop ended: its last command settled. */
  done: boolean;
}

/** 50 loops of INCR, as in issue 13. */
const LOOPS = 50;
/** Polling step while waiting on the cluster or the load. */
const POLL_MS = 20;
/** After an error a loop pauses this long, so that a failure that repeats cannot spin. */
const ERROR_PAUSE_MS = 10;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every 20 ms until it returns true; fails with `what` after `ms`. */
async function waitFor(what: string, ms: number, check: () => boolean): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) expect.fail(`${what}: not within ${ms} ms`);
    await sleep(POLL_MS);
  }
}

function maybeExecuted(err: unknown): boolean | undefined {
  const flag = (err as { maybeExecuted?: unknown } | null)?.maybeExecuted;
  return typeof flag === 'boolean' ? flag : undefined;
}

/** `count` keys spread evenly over the masters that serve slots in the client's topology. */
function spreadKeys(cluster: RedisCluster<string>, prefix: string, count: number): Loop[] {
  const shards = cluster.topology.shards.filter((shard) => shard.slots.length > 0);
  const masters = shards.map((shard) => shard.master.key);
  const byMaster = new Map<string, string[]>(masters.map((key) => [key, []]));
  for (let i = 0; [...byMaster.values()].some((keys) => keys.length < count); i++) {
    if (i > 100_000) throw new Error(`no key found for every master of ${masters.join(', ')}`);
    const key = `${prefix}:${i}`;
    const master = cluster.topology.shardOf(hashSlot(key))?.master.key;
    const keys = master === undefined ? undefined : byMaster.get(master);
    if (keys !== undefined && keys.length < count) keys.push(key);
  }
  const loops: Loop[] = [];
  for (let i = 0; loops.length < count; i++) {
    const master = masters[i % masters.length] as string;
    const key = byMaster.get(master)?.[Math.floor(i / masters.length)] as string;
    loops.push({ key, master, acked: 0, maybe: 0, errors: [], done: false });
  }
  return loops;
}

/** Loads still running: a failed test's load is stopped by afterEach, not left to run on. */
const loads = new Set<() => void>();

/** Runs every loop until `stop()`; the loops keep going through whatever the cluster does. */
function startLoad(cluster: RedisCluster<string>, loops: Loop[]): { stop: () => void } {
  let running = true;
  for (const loop of loops) {
    void (async () => {
      while (running) {
        try {
          await cluster.incr(loop.key);
          loop.acked++;
        } catch (err) {
          loop.errors.push(err as Error);
          if (maybeExecuted(err) === true) loop.maybe++;
          await sleep(ERROR_PAUSE_MS);
        }
      }
      loop.done = true;
    })();
  }
  const stop = (): void => {
    running = false;
    loads.delete(stop);
  };
  loads.add(stop);
  return { stop };
}

/** Waits until every loop has `more` acknowledged INCRs beyond `since` (by key). */
async function waitRecovered(loops: Loop[], since: Map<string, number>, ms: number): Promise<void> {
  const more = 5;
  const behind = (): Loop[] => loops.filter((l) => l.acked < (since.get(l.key) ?? 0) + more);
  await waitFor(
    `every loop acknowledges ${more} more INCRs (behind: ${behind()
      .map((l) => l.key)
      .join(', ')})`,
    ms,
    () => behind().length === 0,
  ).catch((err: Error) => {
    const names = behind().map((l) => `${l.key} @${l.master}: ${l.errors.map(String).join('; ')}`);
    throw new Error(`${err.message}\n${names.join('\n')}`);
  });
}

/**
 * Stops the load and checks the invariants: every loop ended (no promise left unsettled), and for
 * each key acknowledged ≤ value ≤ acknowledged + maybeExecuted (nothing acknowledged lost, nothing
 * run twice).
 */
async function stopAndCheck(
  cluster: RedisCluster<string>,
  loops: Loop[],
  load: { stop: () => void },
): Promise<void> {
  load.stop();
  const deadline = Date.now() + 15_000;
  while (loops.some((l) => !l.done) && Date.now() < deadline) await sleep(POLL_MS);
  expect(
    loops.filter((l) => !l.done).map((l) => l.key),
    'loops left unsettled',
  ).to.deep.equal([]);
  const values = await cluster.mget(loops.map((l) => l.key));
  const broken = loops.flatMap((loop, i) => {
    const value = Number(values[i] ?? 0);
    const ok = loop.acked <= value && value <= loop.acked + loop.maybe;
    return ok ? [] : [`${loop.key}: value ${value}, acked ${loop.acked}, maybe ${loop.maybe}`];
  });
  expect(broken, 'acked ≤ value ≤ acked + maybeExecuted').to.deep.equal([]);
}

/** The errors of the loops whose keys were not on `master` when the load started. */
function otherShardErrors(loops: Loop[], master: string): string[] {
  return loops
    .filter((l) => l.master !== master)
    .flatMap((l) => l.errors.map((err) => `${l.key} @${l.master}: ${err.name}: ${err.message}`));
}

function snapshot(loops: Loop[]): Map<string, number> {
  return new Map(loops.map((l) => [l.key, l.acked]));
}

function keyOf(node: TestClusterNode): string {
  return nodeKey(node.host, node.port);
}

describe('RedisCluster under failover (own real clusters, destructive)', function () {
  this.timeout(60_000);

  afterEach(function () {
    for (const stop of [...loads]) stop();
  });

  describe('graceful failover, then the old master removed', function () {
    let tc: TestCluster;
    let cluster: RedisCluster<string>;
    /** The master failed over in the first case: removed in the second. */
    let oldMaster: TestClusterNode | undefined;

    before(async function () {
      tc = await startCluster();
      cluster = await createCluster(tc.seeds, {
        encoding: 'utf8',
        clusterDownTimeout: 10_000,
        refresh: { minGap: 100 },
      });
    });

    after(async function () {
      cluster?.close();
      await cluster?.waitClosed();
      await tc?.stop();
    });

    it('CLUSTER FAILOVER under 50 INCR loops: 0 unsettled, 0 duplicates, 0 lost, other shards 0 errors, few reloads', async function () {
      const loops = spreadKeys(cluster, `fo${process.pid}`, LOOPS);
      const load = startLoad(cluster, loops);
      await waitFor('the load runs', 5000, () => loops.every((l) => l.acked > 0));
      const master = tc.nodes[0] as TestClusterNode;
      const replica = tc.nodes[3] as TestClusterNode;
      const refreshesBefore = cluster.stats.refreshes;

      await tc.failover(replica);
      oldMaster = master;
      await waitRecovered(loops, snapshot(loops), 10_000);
      const refreshes = cluster.stats.refreshes - refreshesBefore;
      await stopAndCheck(cluster, loops, load);

      expect(otherShardErrors(loops, keyOf(master)), 'errors on other shards').to.deep.equal([]);
      // The old master pauses writes, then answers MOVED: nothing was lost in flight.
      const failedShard = loops.filter((l) => l.master === keyOf(master));
      expect(failedShard.flatMap((l) => l.errors.map(String))).to.deep.equal([]);
      expect(cluster.topology.masterOf(hashSlot(failedShard[0]?.key ?? ''))?.key).to.equal(
        keyOf(replica),
      );
      expect(refreshes, 'topology reloads during the failover').to.be.within(1, 19);
    });

    it('never connects again to a node that was forgotten by the cluster and stopped', async function () {
      if (oldMaster === undefined) this.skip(); // the failover above did not happen
      const removed = oldMaster;
      const removedKey = keyOf(removed);
      const reader = await createCluster(tc.seeds, {
        encoding: 'utf8',
        readFrom: 'replica',
        refresh: { interval: 200, minGap: 50 },
      });
      let accepted = 0;
      const listener = net.createServer((socket) => {
        accepted++;
        socket.destroy();
      });
      try {
        // The old master is now a replica, which reads go to: the client has a pool open to it.
        await waitFor('the old master listed as a replica', 5000, () =>
          reader.topology.nodes('replica').some((node) => node.key === removedKey),
        );
        const index = reader.topology.nodes('replica').findIndex((n) => n.key === removedKey);
        expect(await reader.nodes('replica')[index]?.ping()).to.equal('PONG');

        await tc.crash(removed);
        const others = tc.nodes.filter((node) => node !== removed);
        for (const node of others) await tc.command(node, 'CLUSTER', 'FORGET', removed.id);
        await tc.waitStable();
        await waitFor('the client drops the removed node', 5000, () =>
          reader.topology.nodes().every((node) => node.key !== removedKey),
        );

        // Anything dialling the old port now reaches this listener instead of a refusal.
        await new Promise<void>((resolve, reject) => {
          listener.once('error', reject);
          listener.listen(removed.port, removed.host, () => resolve());
        });
        const refreshed = reader.stats.refreshes;
        const keys = spreadKeys(reader, `rm${process.pid}`, 6).map((l) => l.key);
        await waitFor(
          'three more timer reloads',
          5000,
          () => reader.stats.refreshes >= refreshed + 3,
        );
        // Writes and replica reads on every shard: none may be routed to the old address. A
        // replica may not have the value yet; the read must only be answered.
        for (const key of keys) expect(await reader.set(key, 'v')).to.equal(true);
        for (const key of keys) expect(await reader.get(key)).to.be.oneOf(['v', null]);
        expect(accepted, 'connections to the removed node').to.equal(0);
        expect(reader.topology.nodes('master')).to.have.length(3);
      } finally {
        listener.close();
        reader.close();
        await reader.waitClosed();
      }
    });
  });

  describe('crash failover', function () {
    let tc: TestCluster;
    let cluster: RedisCluster<string>;

    before(async function () {
      tc = await startCluster();
      cluster = await createCluster(tc.seeds, {
        encoding: 'utf8',
        clusterDownTimeout: 10_000,
        refresh: { minGap: 100 },
      });
    });

    after(async function () {
      cluster?.close();
      await cluster?.waitClosed();
      await tc?.stop();
    });

    it('SIGKILL a master under 50 INCR loops: 0 unsettled, 0 duplicates, other shards 0 errors, traffic back after promotion', async function () {
      const loops = spreadKeys(cluster, `crash${process.pid}`, LOOPS);
      const load = startLoad(cluster, loops);
      await waitFor('the load runs', 5000, () => loops.every((l) => l.acked > 0));
      const master = tc.nodes[0] as TestClusterNode;
      const replica = tc.nodes[3] as TestClusterNode;
      const refreshesBefore = cluster.stats.refreshes;

      // acked ≤ value holds here because the master writes the replication stream in the same turn
      // as the replies, and on loopback what it wrote reaches the replica even after a SIGKILL.
      await tc.crash(master);
      await tc.waitStable(20_000);
      expect((await tc.masters()).map(keyOf)).to.include(keyOf(replica));
      await waitRecovered(loops, snapshot(loops), 15_000);
      // Commands sent to every master (DBSIZE sums them) skip the dead one.
      expect(await cluster.dbsize()).to.be.a('number');
      const refreshes = cluster.stats.refreshes - refreshesBefore;
      await stopAndCheck(cluster, loops, load);

      expect(otherShardErrors(loops, keyOf(master)), 'errors on other shards').to.deep.equal([]);
      // The dead shard: what was in flight may have run; what was not sent waited for the
      // promotion (clusterDownTimeout 10 s) or says it did not run.
      const unexpected = loops
        .filter((l) => l.master === keyOf(master))
        .flatMap((l) => l.errors)
        .filter((err) => {
          if (maybeExecuted(err) !== undefined) return false;
          return !(err instanceof ReplyError && err.message.startsWith('CLUSTERDOWN'));
        });
      expect(unexpected.map(String)).to.deep.equal([]);
      // Every failed command of the dead shard asks for a reload over the ~4 s outage: minGap
      // (100 ms) and the backoff of reloads that find nothing new keep them few.
      expect(refreshes, 'topology reloads during the failover').to.be.within(1, 19);
    });

    // A SIGKILL rarely loses the reply of an INCR that ran (the server writes replies in the same
    // turn it runs commands), so the at-most-once rule is put to the test here: a master's link,
    // through a fault proxy (addressMap), cut in the middle of a reply while the master lives on.
    it('a link cut mid-reply under INCR load: INCRs that ran are never sent again', async function () {
      await tc.waitStable();
      const [victim] = await tc.masters();
      if (victim === undefined) expect.fail('no master');
      const proxy = await startFaultProxy(victim.host, victim.port);
      const proxied = nodeKey(proxy.host, proxy.port);
      const client = await createCluster(tc.seeds, {
        encoding: 'utf8',
        addressMap: { [keyOf(victim)]: { host: proxy.host, port: proxy.port } },
      });
      try {
        const loops = spreadKeys(client, `cut${process.pid}`, LOOPS);
        expect(loops.filter((l) => l.master === proxied)).to.not.have.length(0);
        const load = startLoad(client, loops);
        for (let cut = 0; cut < 3; cut++) {
          await waitFor('the load runs', 5000, () => loops.every((l) => l.acked > cut));
          await proxy.cutMidReply();
        }
        await waitRecovered(loops, snapshot(loops), 10_000);
        await stopAndCheck(client, loops, load);

        expect(otherShardErrors(loops, proxied), 'errors on other shards').to.deep.equal([]);
        const values = await client.mget(loops.map((l) => l.key));
        const ranUnacknowledged = loops.reduce(
          (sum, loop, i) => sum + Number(values[i] ?? 0) - loop.acked,
          0,
        );
        // The fault did what it is for: some INCR ran and its reply was lost.
        expect(ranUnacknowledged, 'INCRs that ran without a reply').to.be.above(0);
        const notFlagged = loops.flatMap((l) => l.errors).filter((e) => maybeExecuted(e) !== true);
        expect(notFlagged.map(String)).to.deep.equal([]);
      } finally {
        client.close();
        await client.waitClosed();
        await proxy.close();
      }
    });
  });
});
