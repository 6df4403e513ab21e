// Tests of the test cluster itself (test/helpers/cluster.ts): its shape, slot migrations with the
// redirections they cause, failover and crash promotion. Each claim is checked against what the
// nodes themselves report (ROLE, CLUSTER INFO, replies), not only against the harness's own view.
import { expect } from 'chai';
import * as fs from 'node:fs';

import { ReplyError } from '../../lib/index';
import {
  sharedCluster,
  startCluster,
  type TestCluster,
  type TestClusterNode,
} from '../helpers/cluster';
import {
  type ClusterView,
  isRunning,
  parseShards,
  unstableReason,
} from '../helpers/cluster-topology';
import { rejectionOf, uniqueKey } from '../helpers/util';

/** What ROLE says: `['master', …]` or `['slave', host, port, state, offset]`. */
async function roleOf(cluster: TestCluster, node: TestClusterNode): Promise<unknown[]> {
  return (await cluster.command(node, 'ROLE')) as unknown[];
}

/** A master other than `owner`. */
async function otherMaster(cluster: TestCluster, owner: TestClusterNode): Promise<TestClusterNode> {
  const other = (await cluster.masters()).find((node) => node !== owner);
  if (!other) throw new Error('the cluster has a single master');
  return other;
}

/**
 * Every node's CLUSTER SLOTS, what cluster clients read, covers all 16384 slots and lists each
 * range with its master and one replica: redis lists a replica there only once it has synced
 * (replication offset > 0). Other test files may have moved slots, so ranges are not counted.
 */
async function expectReplicaInEverySlotRange(cluster: TestCluster): Promise<void> {
  for (const node of cluster.nodes) {
    const slots = (await cluster.command(node, 'CLUSTER', 'SLOTS')) as unknown[][];
    const covered = slots.reduce((sum, [start, end]) => sum + Number(end) - Number(start) + 1, 0);
    expect(covered, `slots in CLUSTER SLOTS of :${node.port}`).to.equal(16384);
    for (const range of slots) {
      expect(range, `a range in CLUSTER SLOTS of :${node.port}`).to.have.length(4);
    }
  }
}

/** A fresh key that `master` serves. */
async function keyOn(cluster: TestCluster, master: TestClusterNode): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const key = uniqueKey('on');
    if ((await cluster.ownerOf(key)) === master) return key;
  }
  throw new Error(`no key of 100 hashes to :${master.port}`);
}

/** The error reply a command must fail with, as a ReplyError. */
async function replyErrorOf(promise: Promise<unknown>): Promise<ReplyError> {
  const err = await rejectionOf(promise);
  expect(err).to.be.instanceOf(ReplyError);
  return err as ReplyError;
}

describe('test cluster (test/helpers/cluster.ts)', function () {
  this.timeout(30_000);

  describe('unstableReason() (what waitStable waits for)', () => {
    /** A CLUSTER SHARDS shard as RESP2 sends it: flat field/value lists. */
    const shard = (slots: number[], ...nodes: Array<[string, string, string]>) => [
      'slots',
      slots,
      'nodes',
      nodes.map(([id, role, health]) => ['id', id, 'port', 7000, 'role', role, 'health', health]),
    ];
    const healthy = [
      shard([0, 5460], ['m1', 'master', 'online'], ['r1', 'replica', 'online']),
      shard([5461, 16383], ['m2', 'master', 'online'], ['r2', 'replica', 'online']),
    ];
    const view = (port: number, reply: unknown[], state = 'ok'): ClusterView => ({
      port,
      state,
      shards: parseShards(reply),
    });
    const live = new Set(['m1', 'r1', 'm2', 'r2']);

    it('parses CLUSTER SHARDS into ranges, the master id and each node', () => {
      expect(parseShards([shard([0, 10, 20, 30], ['m', 'master', 'online'])])).to.deep.equal([
        {
          ranges: [
            [0, 10],
            [20, 30],
          ],
          masterId: 'm',
          nodes: [{ id: 'm', port: 7000, role: 'master', health: 'online' }],
        },
      ]);
      expect(() => parseShards('ERR')).to.throw(TypeError);
    });

    it('is undefined when every live node reports the same full picture', () => {
      const reversed = [...healthy].reverse(); // shard order does not matter
      expect(unstableReason([view(1, healthy), view(2, reversed)], live)).to.equal(undefined);
    });

    it('names what is wrong otherwise', () => {
      const loading = [
        healthy[0] as unknown[],
        shard([5461, 16383], ['m2', 'master', 'online'], ['r2', 'replica', 'loading']),
      ];
      const partial = [healthy[0] as unknown[]];
      const cases: Array<[ClusterView[], ReadonlySet<string>, RegExp]> = [
        [[], live, /no node is running/],
        [[view(1, healthy, 'fail')], live, /cluster_state:fail/],
        [[{ port: 1, error: 'ECONNREFUSED' }], live, /did not answer: ECONNREFUSED/],
        [[view(1, healthy), view(2, loading)], live, /:2 sees another picture than :1/],
        [[view(1, loading)], live, /not yet serving: r2/],
        [[view(1, partial)], live, /own 5461 of 16384 slots/],
        [
          [view(1, healthy)],
          new Set(['r1', 'm2', 'r2']),
          /master m1 owns slots but is not running/,
        ],
        [[view(1, healthy)], new Set(['m1', 'm2', 'r2']), /replica r1 .* not running/],
        [[view(1, healthy)], new Set([...live, 'x']), /not yet serving: x/],
      ];
      for (const [views, running, reason] of cases) {
        expect(unstableReason(views, running)).to.match(reason);
      }
    });
  });

  describe('sharedCluster()', () => {
    let cluster: TestCluster;
    before(async () => {
      cluster = await sharedCluster();
    });

    it('has 3 masters, each with 1 replica that ROLE confirms, and every slot served', async () => {
      expect(cluster.nodes).to.have.length(6);
      expect(cluster.seeds).to.deep.equal(cluster.nodes.map((node) => [node.host, node.port]));
      const masters = await cluster.masters();
      expect(masters).to.have.length(3);
      for (const master of masters) {
        expect((await roleOf(cluster, master))[0]).to.equal('master');
        const replicas = await cluster.replicasOf(master);
        expect(replicas).to.have.length(1);
        const role = await roleOf(cluster, replicas[0] as TestClusterNode);
        expect(role.slice(0, 3)).to.deep.equal(['slave', master.host, master.port]);
      }
      for (const node of cluster.nodes) {
        const info = String(await cluster.command(node, 'CLUSTER', 'INFO'));
        expect(info).to.match(/^cluster_state:ok\r?$/m);
        expect(info).to.match(/^cluster_slots_ok:16384\r?$/m);
        expect(info).to.match(/^cluster_known_nodes:6\r?$/m);
      }
      await expectReplicaInEverySlotRange(cluster);
    });

    it('ownerOf() names the master that serves a key, and others redirect to it with MOVED', async () => {
      const key = uniqueKey('owner');
      const owner = await cluster.ownerOf(key);
      const slot = Number(await cluster.command(owner, 'CLUSTER', 'KEYSLOT', key));
      expect(await cluster.ownerOf(slot)).to.equal(owner);
      expect(await cluster.command(owner, 'SET', key, 'v')).to.equal('OK');
      const other = await otherMaster(cluster, owner);
      const moved = await replyErrorOf(cluster.command(other, 'GET', key));
      expect(moved.message).to.equal(`MOVED ${slot} ${owner.host}:${owner.port}`);
      await cluster.command(owner, 'DEL', key);
    });

    it('migrateSlot() moves a slot with every key to another master', async () => {
      const tag = `{${uniqueKey('migrate')}}`;
      const source = await cluster.ownerOf(tag);
      const target = await otherMaster(cluster, source);
      const slot = Number(await cluster.command(source, 'CLUSTER', 'KEYSLOT', tag));
      // More keys than one GETKEYSINSLOT batch (100), so that draining takes several rounds.
      const keys = Array.from({ length: 250 }, (_, i) => `${tag}:${i}`);
      await cluster.command(source, 'MSET', ...keys.flatMap((key, i) => [key, `v${i}`]));

      await cluster.migrateSlot(slot, target);

      expect(await cluster.ownerOf(slot)).to.equal(target);
      expect(await cluster.command(source, 'CLUSTER', 'COUNTKEYSINSLOT', slot)).to.equal(0);
      expect(await cluster.command(target, 'MGET', ...keys)).to.deep.equal(
        keys.map((_, i) => `v${i}`),
      );
      // Every node, replicas too, now sends the slot's clients to the target.
      for (const node of cluster.nodes.filter((n) => n !== target)) {
        const moved = await replyErrorOf(cluster.command(node, 'GET', keys[0] as string));
        expect(moved.message).to.equal(`MOVED ${slot} ${target.host}:${target.port}`);
      }
      await cluster.command(target, 'DEL', ...keys);
    });

    it('startMigration() gives ASK for a moved key and TRYAGAIN across moved and not moved keys', async () => {
      const tag = `{${uniqueKey('ask')}}`;
      const [moved, stayed] = [`${tag}:moved`, `${tag}:stayed`];
      const source = await cluster.ownerOf(tag);
      const target = await otherMaster(cluster, source);
      const slot = Number(await cluster.command(source, 'CLUSTER', 'KEYSLOT', tag));
      await cluster.command(source, 'MSET', moved, 'a', stayed, 'b');

      const migration = await cluster.startMigration(slot, target);
      expect([migration.slot, migration.source, migration.target]).to.deep.equal([
        slot,
        source,
        target,
      ]);
      expect(await migration.moveKeys([moved, `${tag}:absent`])).to.equal(1);

      const ask = await replyErrorOf(cluster.command(source, 'GET', moved));
      expect(ask.code).to.equal('ASK');
      expect(ask.message).to.equal(`ASK ${slot} ${target.host}:${target.port}`);
      const tryAgain = await replyErrorOf(cluster.command(source, 'MGET', moved, stayed));
      expect(tryAgain.code).to.equal('TRYAGAIN');
      expect(await cluster.command(source, 'GET', stayed)).to.equal('b');
      // The target serves the key only to a client that says ASKING first.
      const refused = await replyErrorOf(cluster.command(target, 'GET', moved));
      expect(refused.message).to.equal(`MOVED ${slot} ${source.host}:${source.port}`);
      const [, value] = await Promise.all([
        cluster.command(target, 'ASKING'),
        cluster.command(target, 'GET', moved),
      ]);
      expect(value).to.equal('a');

      // By default moveKeys() moves whatever the source still holds: the one key left.
      expect(await migration.moveKeys()).to.equal(1);
      expect(await cluster.command(source, 'CLUSTER', 'COUNTKEYSINSLOT', slot)).to.equal(0);
      await migration.finish();
      expect(await cluster.ownerOf(slot)).to.equal(target);
      expect(await cluster.command(target, 'MGET', moved, stayed)).to.deep.equal(['a', 'b']);
      await cluster.command(target, 'DEL', moved, stayed);
    });

    it('rejects bad input with TypeError or RangeError', async () => {
      const owner = await cluster.ownerOf(0);
      const [replica] = await cluster.replicasOf(await otherMaster(cluster, owner));
      if (!replica) throw new Error('a master has no replica');
      const stranger = { ...owner };
      expect(await rejectionOf(cluster.ownerOf(16384))).to.be.instanceOf(RangeError);
      expect(await rejectionOf(cluster.ownerOf(1.5))).to.be.instanceOf(RangeError);
      expect(await rejectionOf(cluster.command(stranger, 'PING'))).to.be.instanceOf(TypeError);
      expect(await rejectionOf(cluster.command(owner))).to.be.instanceOf(TypeError);
      expect(await rejectionOf(cluster.failover(owner))).to.be.instanceOf(RangeError);
      expect(await rejectionOf(cluster.waitStable(-1))).to.be.instanceOf(RangeError);
      // Slot 0 cannot move to the node that owns it, nor to a replica.
      expect(await rejectionOf(cluster.startMigration(0, owner))).to.be.instanceOf(RangeError);
      expect(await rejectionOf(cluster.startMigration(0, replica))).to.be.instanceOf(RangeError);
      expect(await rejectionOf(startCluster({ nodeTimeout: 0 }))).to.be.instanceOf(RangeError);
      // None of it left a half-begun migration behind.
      const nodes = String(await cluster.command(owner, 'CLUSTER', 'NODES'));
      expect(nodes).to.not.match(/\[0-[<>]-/);
    });
  });

  describe('a cluster of its own', () => {
    let cluster: TestCluster;
    before(async () => {
      cluster = await startCluster();
    });
    after(async () => {
      await cluster?.stop();
    });

    it('failover() of a replica swaps its role with its master', async () => {
      const master = cluster.nodes[0] as TestClusterNode;
      const [replica] = await cluster.replicasOf(master);
      if (!replica) throw new Error('the first master has no replica');

      await cluster.failover(replica);

      expect((await roleOf(cluster, replica))[0]).to.equal('master');
      expect((await roleOf(cluster, master)).slice(0, 3)).to.deep.equal([
        'slave',
        replica.host,
        replica.port,
      ]);
      expect(await cluster.masters())
        .to.include(replica)
        .and.not.include(master);
      expect(await cluster.replicasOf(replica)).to.deep.equal([master]);
    });

    it('crash() of a master gets its replica promoted; the restarted master rejoins as replica', async () => {
      const master = cluster.nodes[1] as TestClusterNode;
      const [replica] = await cluster.replicasOf(master);
      if (!replica) throw new Error('the second master has no replica');
      const key = await keyOn(cluster, master);
      await cluster.command(master, 'SET', key, 'kept');
      // The replica must hold the write before the crash, or the promotion may lose it.
      expect(await cluster.command(master, 'WAIT', 1, 5000)).to.equal(1);

      await cluster.crash(master);
      expect(isRunning(master.server.pid)).to.equal(false);
      // Right after the crash the dead master still owns its slots: not stable.
      const unstable = await rejectionOf(cluster.waitStable(0));
      expect(unstable.message).to.match(/^the cluster is not stable/);
      await cluster.waitStable(15_000);

      expect((await roleOf(cluster, replica))[0]).to.equal('master');
      expect(await cluster.ownerOf(key)).to.equal(replica);
      expect(await cluster.command(replica, 'GET', key)).to.equal('kept');

      await master.server.restart();
      await cluster.waitStable(15_000);
      expect((await roleOf(cluster, master)).slice(0, 3)).to.deep.equal([
        'slave',
        replica.host,
        replica.port,
      ]);
      expect(await cluster.replicasOf(replica)).to.deep.equal([master]);
      await expectReplicaInEverySlotRange(cluster);
    });

    it('stop() ends every node and removes their directories', async () => {
      await cluster.stop();
      for (const node of cluster.nodes) {
        expect(isRunning(node.server.pid), `:${node.port} running`).to.equal(false);
        expect(fs.existsSync(node.server.dir), `${node.server.dir} exists`).to.equal(false);
      }
      await cluster.stop(); // idempotent
      expect(await rejectionOf(cluster.command(cluster.nodes[0] as TestClusterNode, 'PING')))
        .to.be.instanceOf(Error)
        .with.property('message', 'the cluster is stopped');
    });
  });
});
