import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type ClusterLink, type ClusterNode, createRedis, type Redis, ReplyError } from '../../lib';
import { expectRefused } from '../helpers/commandstats';
import { sharedServer } from '../helpers/hooks';
import { type RedisServer, startRedis } from '../helpers/redis-server';
import { eventually, rejectionOf } from '../helpers/util';

/** redis-server arguments of a cluster node. The tests run in order, building a two-node cluster as they go. */
function clusterArgs(...more: string[]): string[] {
  // prettier-ignore
  return [
    '--cluster-enabled', 'yes',
    '--cluster-config-file', 'nodes.conf',
    // Gossip every 500 ms and a replica that syncs at once, so that changes show up quickly.
    '--cluster-node-timeout', '1000',
    '--repl-diskless-sync-delay', '0',
    // A replica's offset moves (and it is listed by CLUSTER SLOTS) once its master pings it.
    '--repl-ping-replica-period', '1',
    ...more,
  ];
}

const NODE_ID = /^[0-9a-f]{40}$/;
const UNKNOWN_ID = 'f'.repeat(40);

describe('cluster commands', () => {
  let A: RedisServer;
  let B: RedisServer;
  /** Node A, which owns every slot from the start. */
  let a: Redis<Buffer>;
  let aText: Redis<string>;
  /** Node B, alone at first; it joins A, replicates it and then takes over. */
  let b: Redis<string>;
  /** The shared server, which is not a cluster node. */
  let standalone: Redis<string>;
  let aId: string;
  let bId: string;

  before(async function () {
    this.timeout(20_000);
    [A, B] = await Promise.all([
      startRedis({ args: clusterArgs('--cluster-announce-hostname', 'node-a.test') }),
      startRedis({ args: clusterArgs() }),
    ]);
    [a, aText, b, standalone] = await Promise.all([
      createRedis(A.url),
      createRedis(A.url, { encoding: 'utf8' }),
      createRedis(B.url, { encoding: 'utf8' }),
      sharedServer().then(({ url }) => createRedis(url, { encoding: 'utf8' })),
    ]);
    await aText.call('CLUSTER', 'ADDSLOTSRANGE', 0, 16383);
    [aId, bId] = await Promise.all([
      aText.call<string>('CLUSTER', 'MYID'),
      b.call<string>('CLUSTER', 'MYID'),
    ]);
  });

  after(async () => {
    for (const client of [a, aText, b, standalone]) client?.close();
    await Promise.all([A?.stop(), B?.stop()]);
  });

  /** The node's line about itself. */
  async function myself(client: Redis<Buffer> | Redis<string>): Promise<ClusterNode> {
    const nodes = await client.clusterNodes();
    const mine = nodes.find((node) => node.flags.includes('myself'));
    if (mine === undefined) expect.fail('no node flagged myself');
    return mine;
  }

  /** Expects an ERR reply whose message matches `pattern`. */
  async function expectErr(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
    const err = await rejectionOf(promise);
    expect(err).to.be.instanceOf(ReplyError);
    expect((err as ReplyError).code).to.equal('ERR');
    expect(err.message).to.match(pattern);
  }

  /** A server that is not a cluster node refuses every CLUSTER command. */
  const NOT_CLUSTER = /cluster support disabled/;

  describe('on a one-node cluster', () => {
    describe('#clusterKeyslot()', () => {
      it('resolves with the hash slot of a key, or of its hash tag', async () => {
        expect(await a.clusterKeyslot('foo')).to.equal(12182);
        expect(await a.clusterKeyslot(Buffer.from('foo'))).to.equal(12182);
        expect(await a.clusterKeyslot('somekey')).to.equal(11058);
        expect(await a.clusterKeyslot('{foo}.bar')).to.equal(12182);
        expect(await a.clusterKeyslot('')).to.equal(0);
      });

      it('rejects with ERR on a server that is not a cluster node', async () => {
        await expectErr(standalone.clusterKeyslot('foo'), NOT_CLUSTER);
      });

      it('rejects a bad key with TypeError, sending nothing', async () => {
        await expectRefused(a, 'cluster|keyslot', TypeError, () =>
          a.clusterKeyslot(undefined as never),
        );
      });
    });

    describe('#clusterMyid()', () => {
      it("resolves with the node's id, as text whatever the client's encoding", async () => {
        const id = await a.clusterMyid();
        expect(id).to.be.a('string').and.match(NODE_ID);
        expect(id).to.equal(aId);
        expect((await myself(a)).id).to.equal(id);
      });

      it('rejects with ERR on a server that is not a cluster node', async () => {
        await expectErr(standalone.clusterMyid(), NOT_CLUSTER);
      });
    });

    describe('#clusterNodes()', () => {
      it('parses the only node: its address, hostname, flags, epoch, link and slots', async () => {
        expect(await a.clusterNodes()).to.deep.equal([
          {
            id: aId,
            // No other node has told it its IP address yet.
            address: { host: '', port: A.port, busPort: A.port + 10000 },
            hostname: 'node-a.test',
            flags: ['myself', 'master'],
            master: null,
            pingSent: 0,
            pongRecv: 0,
            configEpoch: 0,
            linkState: 'connected',
            slots: [[0, 16383]],
            migrating: [],
            importing: [],
          },
        ]);
        const [nodeB] = await b.clusterNodes();
        expect(nodeB).to.not.have.property('hostname');
        expect(nodeB?.slots).to.deep.equal([]);
      });

      it('rejects with ERR on a server that is not a cluster node', async () => {
        await expectErr(standalone.clusterNodes(), NOT_CLUSTER);
      });
    });

    describe('#clusterSlots()', () => {
      it('parses each slot range with its master and replicas', async () => {
        const slots = [
          {
            start: 0,
            end: 16383,
            master: { host: '', port: A.port, id: aId, hostname: 'node-a.test' },
            replicas: [],
          },
        ];
        expect(await a.clusterSlots()).to.deep.equal(slots);
        expect(await b.clusterSlots()).to.deep.equal([]);
        const resp3 = await createRedis(A.url);
        try {
          await resp3.call('HELLO', 3);
          expect(await resp3.clusterSlots()).to.deep.equal(slots);
        } finally {
          resp3.close();
        }
      });

      it('rejects with ERR on a server that is not a cluster node', async () => {
        await expectErr(standalone.clusterSlots(), NOT_CLUSTER);
      });
    });

    describe('#clusterShards()', () => {
      it('parses each shard with its slot ranges and nodes, over RESP2 and RESP3', async () => {
        const shards = await a.clusterShards();
        expect(shards).to.deep.equal([
          {
            slots: [[0, 16383]],
            nodes: [
              {
                id: aId,
                port: A.port,
                ip: '',
                endpoint: '',
                hostname: 'node-a.test',
                role: 'master',
                replicationOffset: 0,
                health: 'online',
              },
            ],
          },
        ]);
        expect(await b.clusterShards()).to.deep.equal([
          {
            slots: [],
            nodes: [
              {
                id: bId,
                port: B.port,
                ip: '',
                endpoint: '',
                role: 'master',
                replicationOffset: 0,
                health: 'online',
              },
            ],
          },
        ]);
        const resp3 = await createRedis(A.url);
        try {
          await resp3.call('HELLO', 3);
          expect(await resp3.clusterShards()).to.deep.equal(shards);
        } finally {
          resp3.close();
        }
      });

      it('rejects with ERR on a server that is not a cluster node', async () => {
        await expectErr(standalone.clusterShards(), NOT_CLUSTER);
      });
    });

    describe('#clusterAddslots() and #clusterDelslots()', () => {
      it('assign slots to the node and take them away, resolving true', async () => {
        expect(await b.clusterAddslots(1, 2, 100)).to.equal(true);
        expect((await myself(b)).slots).to.deep.equal([
          [1, 2],
          [100, 100],
        ]);
        expect(await b.clusterDelslots(2, 100)).to.equal(true);
        expect((await myself(b)).slots).to.deep.equal([[1, 1]]);
        expect(await b.clusterDelslots(1)).to.equal(true);
        expect((await myself(b)).slots).to.deep.equal([]);
      });

      it('reject with ERR a slot already served, or not served', async () => {
        await expectErr(a.clusterAddslots(0), /already busy/);
        await expectErr(b.clusterDelslots(3), /already unassigned/);
      });

      it('reject a slot that is not an integer 0 to 16383, sending nothing', async () => {
        await expectRefused(
          b,
          'cluster|addslots',
          TypeError,
          () => b.clusterAddslots(1.5),
          () => b.clusterAddslots(1, '2' as never),
        );
        await expectRefused(
          b,
          'cluster|addslots',
          RangeError,
          () => b.clusterAddslots(16384),
          () => b.clusterAddslots(-1),
        );
        await expectRefused(b, 'cluster|delslots', RangeError, () => b.clusterDelslots(1, 16384));
        expect((await myself(b)).slots).to.deep.equal([]);
      });
    });

    describe('#clusterAddslotsrange() and #clusterDelslotsrange()', () => {
      it('assign slot ranges (ends included) and take them away, resolving true', async () => {
        expect(await b.clusterAddslotsrange([10, 20], [30, 30])).to.equal(true);
        expect((await myself(b)).slots).to.deep.equal([
          [10, 20],
          [30, 30],
        ]);
        expect(await b.clusterDelslotsrange([10, 14])).to.equal(true);
        expect((await myself(b)).slots).to.deep.equal([
          [15, 20],
          [30, 30],
        ]);
        expect(await b.clusterDelslotsrange([15, 20], [30, 30])).to.equal(true);
        expect((await myself(b)).slots).to.deep.equal([]);
      });

      it('reject with ERR a range with a slot already served, or not served', async () => {
        await expectErr(a.clusterAddslotsrange([0, 5]), /already busy/);
        await expectErr(b.clusterDelslotsrange([40, 41]), /already unassigned/);
      });

      it('reject a bad range, sending nothing', async () => {
        await expectRefused(
          b,
          'cluster|addslotsrange',
          TypeError,
          () => b.clusterAddslotsrange([1] as never),
          () => b.clusterAddslotsrange('1-2' as never),
          () => b.clusterAddslotsrange([1, 2], [3, 'x'] as never),
        );
        await expectRefused(
          b,
          'cluster|addslotsrange',
          RangeError,
          () => b.clusterAddslotsrange([5, 3]),
          () => b.clusterAddslotsrange([0, 16384]),
        );
        await expectRefused(b, 'cluster|delslotsrange', RangeError, () =>
          b.clusterDelslotsrange([-1, 3]),
        );
      });
    });

    describe('#clusterFlushslots()', () => {
      it('forgets every slot of an empty node, resolving true', async () => {
        await b.clusterAddslots(7, 8);
        expect(await b.clusterFlushslots()).to.equal(true);
        expect((await myself(b)).slots).to.deep.equal([]);
      });

      it('rejects with ERR on a server that is not a cluster node', async () => {
        await expectErr(standalone.clusterFlushslots(), NOT_CLUSTER);
      });
    });

    describe('#clusterSetConfigEpoch()', () => {
      it("sets a new node's config epoch, resolving true", async () => {
        expect(await b.clusterSetConfigEpoch(5)).to.equal(true);
        expect((await myself(b)).configEpoch).to.equal(5);
      });

      it('rejects with ERR once the epoch is set', async () => {
        await expectErr(b.clusterSetConfigEpoch(6), /already non-zero/);
      });

      it('rejects an epoch that is not an integer ≥ 0, sending nothing', async () => {
        await expectRefused(b, 'cluster|set-config-epoch', TypeError, () =>
          b.clusterSetConfigEpoch(1.5),
        );
        await expectRefused(b, 'cluster|set-config-epoch', RangeError, () =>
          b.clusterSetConfigEpoch(-1),
        );
      });
    });

    describe('#clusterBumpepoch()', () => {
      it('takes a new epoch unless the one the node has is already unique', async () => {
        const first = await a.clusterBumpepoch();
        expect(first.bumped).to.equal(true);
        expect(first.epoch).to.be.greaterThan(0);
        expect(await a.clusterBumpepoch()).to.deep.equal({ bumped: false, epoch: first.epoch });
        expect((await myself(a)).configEpoch).to.equal(first.epoch);
      });

      it('rejects with ERR on a server that is not a cluster node', async () => {
        await expectErr(standalone.clusterBumpepoch(), NOT_CLUSTER);
      });
    });

    describe('#clusterSaveconfig()', () => {
      it('writes nodes.conf, resolving true', async () => {
        const file = path.join(A.dir, 'nodes.conf');
        await fs.promises.rm(file, { force: true });
        expect(await a.clusterSaveconfig()).to.equal(true);
        expect(await fs.promises.readFile(file, 'utf8')).to.include(aId);
      });

      it('rejects with ERR on a server that is not a cluster node', async () => {
        await expectErr(standalone.clusterSaveconfig(), NOT_CLUSTER);
      });
    });

    describe('#clusterCountFailureReports()', () => {
      it('resolves with the number of failure reports about a node', async () => {
        expect(await a.clusterCountFailureReports(aId)).to.equal(0);
      });

      it('rejects with ERR for an unknown node', async () => {
        await expectErr(a.clusterCountFailureReports(UNKNOWN_ID), /Unknown node/);
      });
    });

    describe('#clusterMyshardid()', () => {
      it("resolves with the shard's id (Redis 7.2; an unknown subcommand before)", async () => {
        const info = await aText.call<string>('INFO', 'server');
        const [major = 0, minor = 0] = (/redis_version:(\d+)\.(\d+)/.exec(info) ?? [])
          .slice(1)
          .map(Number);
        if (major > 7 || (major === 7 && minor >= 2)) {
          expect(await a.clusterMyshardid()).to.match(NODE_ID);
        } else {
          await expectErr(a.clusterMyshardid(), /unknown subcommand/i);
        }
      });
    });
  });

  describe('once the cluster is up', () => {
    before(async function () {
      // A new cluster node waits up to 2 s before it serves queries.
      this.timeout(10_000);
      await eventually(async () => (await aText.clusterInfo()).cluster_state === 'ok', 8000);
      await a.call('SET', '{foo}1', 'one');
      await a.call('SET', '{foo}2', 'two');
    });

    describe('#clusterInfo()', () => {
      it('parses the fields, integers as numbers', async () => {
        const info = await a.clusterInfo();
        expect(info).to.include({
          cluster_state: 'ok',
          cluster_slots_assigned: 16384,
          cluster_slots_ok: 16384,
          cluster_slots_pfail: 0,
          cluster_slots_fail: 0,
          cluster_known_nodes: 1,
          cluster_size: 1,
        });
        expect(info.cluster_current_epoch).to.be.a('number').and.greaterThan(0);
        expect(info.cluster_my_epoch).to.equal(info.cluster_current_epoch);
      });

      it('rejects with ERR on a server that is not a cluster node', async () => {
        await expectErr(standalone.clusterInfo(), NOT_CLUSTER);
      });
    });

    describe('#clusterCountkeysinslot()', () => {
      it('resolves with the number of keys in a slot', async () => {
        expect(await a.clusterCountkeysinslot(12182)).to.equal(2);
        expect(await a.clusterCountkeysinslot(0)).to.equal(0);
      });

      it('rejects with ERR on a server that is not a cluster node', async () => {
        await expectErr(standalone.clusterCountkeysinslot(0), NOT_CLUSTER);
      });

      it('rejects a slot that is not an integer 0 to 16383, sending nothing', async () => {
        await expectRefused(a, 'cluster|countkeysinslot', TypeError, () =>
          a.clusterCountkeysinslot('1' as never),
        );
        await expectRefused(
          a,
          'cluster|countkeysinslot',
          RangeError,
          () => a.clusterCountkeysinslot(16384),
          () => a.clusterCountkeysinslot(-1),
        );
      });
    });

    describe('#clusterGetkeysinslot()', () => {
      it("resolves with up to count keys of the slot, in the client's or the call's encoding", async () => {
        const keys = await a.clusterGetkeysinslot(12182, 10);
        expect(keys.map(String).sort()).to.deep.equal(['{foo}1', '{foo}2']);
        expect(keys.every((key) => Buffer.isBuffer(key))).to.equal(true);
        expect(await a.clusterGetkeysinslot(12182, 1)).to.have.length(1);
        expect(await a.clusterGetkeysinslot(12182, 0)).to.deep.equal([]);
        expect(
          (await a.clusterGetkeysinslot(12182, 10, { encoding: 'utf8' })).sort(),
        ).to.deep.equal(['{foo}1', '{foo}2']);
        const raw = await aText.clusterGetkeysinslot(12182, 10, { encoding: null });
        expect(raw.every((key) => Buffer.isBuffer(key))).to.equal(true);
      });

      it('rejects with ERR on a server that is not a cluster node', async () => {
        await expectErr(standalone.clusterGetkeysinslot(0, 1), NOT_CLUSTER);
      });

      it('rejects a bad slot or count, sending nothing', async () => {
        await expectRefused(
          a,
          'cluster|getkeysinslot',
          TypeError,
          () => a.clusterGetkeysinslot(1, 1.5),
          () => a.clusterGetkeysinslot(null as never, 1),
        );
        await expectRefused(
          a,
          'cluster|getkeysinslot',
          RangeError,
          () => a.clusterGetkeysinslot(1, -1),
          () => a.clusterGetkeysinslot(16384, 1),
        );
      });
    });

    describe('#clusterFlushslots()', () => {
      it('rejects with ERR while the node holds keys', async () => {
        await expectErr(a.clusterFlushslots(), /DB must be empty/);
        expect((await myself(a)).slots).to.deep.equal([[0, 16383]]);
      });
    });
  });

  describe('with two nodes', () => {
    describe('#clusterMeet()', () => {
      it('joins another node, resolving true', async () => {
        expect(await a.clusterMeet('127.0.0.1', B.port)).to.equal(true);
        await eventually(async () => {
          const nodes = await a.clusterNodes();
          const other = nodes.find((node) => node.id === bId);
          return other !== undefined && !other.flags.includes('handshake');
        });
        // The cluster bus port given explicitly: B is known already, so nothing changes.
        expect(await a.clusterMeet('127.0.0.1', B.port, B.port + 10000)).to.equal(true);
        const other = (await a.clusterNodes()).find((node) => node.id === bId);
        expect(other?.address).to.deep.equal({
          host: '127.0.0.1',
          port: B.port,
          busPort: B.port + 10000,
        });
        expect(other?.flags).to.deep.equal(['master']);
      });

      it('rejects with ERR an address that is not an IP', async () => {
        await expectErr(a.clusterMeet('not-an-ip', 7000), /Invalid node address/);
      });

      it('rejects a bad port, sending nothing', async () => {
        await expectRefused(
          a,
          'cluster|meet',
          TypeError,
          () => a.clusterMeet('127.0.0.1', '7000' as never),
          () => a.clusterMeet('127.0.0.1', 7000, 1.5),
        );
        await expectRefused(
          a,
          'cluster|meet',
          RangeError,
          () => a.clusterMeet('127.0.0.1', 65536),
          () => a.clusterMeet('127.0.0.1', 7000, -1),
        );
      });
    });

    describe('#clusterLinks()', () => {
      it('parses the cluster bus links, both ways, over RESP2 and RESP3', async () => {
        // The cluster bus may drop and remake a link (briefly listing two): read until it holds
        // exactly one link each way, and compare RESP2 and RESP3 on reads taken together.
        const pairs = (all: ClusterLink[]) =>
          JSON.stringify(all.map((link) => [link.direction, link.node]).sort());
        const shape = (all: ClusterLink[]) =>
          JSON.stringify(all.map((link) => [link.direction, link.node, link.createTime]));
        let links: ClusterLink[] = [];
        await eventually(async () => {
          links = await a.clusterLinks();
          return (
            pairs(links) ===
            JSON.stringify([
              ['from', bId],
              ['to', bId],
            ])
          );
        }, 10_000);
        for (const link of links) {
          expect(link.createTime).to.be.a('number').and.greaterThan(1_600_000_000_000);
          expect(link.events).to.match(/^[rw]+$/);
          expect(link.sendBufferAllocated).to.be.a('number');
          expect(link.sendBufferUsed).to.be.a('number');
        }
        const resp3 = await createRedis(A.url);
        try {
          await resp3.call('HELLO', 3);
          await eventually(async () => {
            const [overResp2, overResp3] = await Promise.all([
              a.clusterLinks(),
              resp3.clusterLinks(),
            ]);
            return overResp3.length === 2 && shape(overResp3) === shape(overResp2);
          });
        } finally {
          resp3.close();
        }
      });

      it('rejects with ERR on a server that is not a cluster node', async () => {
        await expectErr(standalone.clusterLinks(), NOT_CLUSTER);
      });
    });

    describe('#clusterSetslot()', () => {
      it('marks a slot migrating, importing, stable or owned, resolving true', async () => {
        expect(await a.clusterSetslot(5, 'MIGRATING', bId)).to.equal(true);
        expect(await b.clusterSetslot(5, 'IMPORTING', aId)).to.equal(true);
        expect((await myself(a)).migrating).to.deep.equal([[5, bId]]);
        expect((await myself(b)).importing).to.deep.equal([[5, aId]]);
        expect(await a.clusterSetslot(5, 'STABLE')).to.equal(true);
        expect(await b.clusterSetslot(5, 'STABLE')).to.equal(true);
        expect((await myself(a)).migrating).to.deep.equal([]);
        expect((await myself(b)).importing).to.deep.equal([]);
        expect(await a.clusterSetslot(5, 'NODE', aId)).to.equal(true);
        expect((await myself(a)).slots).to.deep.equal([[0, 16383]]);
      });

      it('rejects with ERR a node it does not know', async () => {
        await expectErr(a.clusterSetslot(5, 'MIGRATING', UNKNOWN_ID), /don't know about node/);
      });

      it('rejects a bad slot, state or node id, sending nothing', async () => {
        await expectRefused(
          a,
          'cluster|setslot',
          TypeError,
          () => a.clusterSetslot(5, 'MOVING' as never, bId),
          () => (a.clusterSetslot as (...args: unknown[]) => Promise<boolean>)(5, 'STABLE', bId),
          () => a.clusterSetslot(5, 'NODE', undefined as never),
          () => a.clusterSetslot(5.5, 'STABLE'),
        );
        await expectRefused(a, 'cluster|setslot', RangeError, () =>
          a.clusterSetslot(16384, 'NODE', aId),
        );
      });
    });

    describe('#clusterReplicate()', () => {
      it('makes the node a replica of a master, resolving true', async () => {
        expect(await b.clusterReplicate(aId)).to.equal(true);
        const nodeB = await myself(b);
        expect(nodeB.flags).to.deep.equal(['myself', 'slave']);
        expect(nodeB.master).to.equal(aId);
      });

      it('rejects with ERR for the node itself', async () => {
        await expectErr(a.clusterReplicate(aId), /replicate myself/);
      });
    });

    describe('#clusterReplicas()', () => {
      it("resolves with the master's replicas, parsed like clusterNodes()", async () => {
        const [replica, ...more] = await b.clusterReplicas(aId);
        expect(more).to.deep.equal([]);
        expect(replica).to.deep.equal(await myself(b));
        await eventually(async () => (await a.clusterReplicas(aId)).length === 1);
        const [seenByA] = await a.clusterReplicas(aId);
        expect(seenByA?.id).to.equal(bId);
        expect(seenByA?.flags).to.deep.equal(['slave']);
        expect(seenByA?.master).to.equal(aId);
      });

      it('rejects with ERR for an unknown node', async () => {
        await expectErr(a.clusterReplicas(UNKNOWN_ID), /Unknown node/);
      });
    });

    describe('#clusterSlots() and #clusterShards() with a replica', () => {
      it('list the replica once it is in sync', async function () {
        this.timeout(10_000);
        const replica = { host: '127.0.0.1', port: B.port, id: bId };
        await eventually(async () => (await b.clusterSlots())[0]?.replicas[0]?.id === bId, 5000);
        expect(await b.clusterSlots()).to.deep.equal([
          {
            start: 0,
            end: 16383,
            master: { host: '127.0.0.1', port: A.port, id: aId, hostname: 'node-a.test' },
            replicas: [replica],
          },
        ]);
        const [shard, ...others] = await b.clusterShards();
        expect(others).to.deep.equal([]);
        expect(shard?.slots).to.deep.equal([[0, 16383]]);
        expect(shard?.nodes.map((node) => [node.id, node.role, node.ip])).to.deep.equal([
          [aId, 'master', '127.0.0.1'],
          [bId, 'replica', '127.0.0.1'],
        ]);
      });
    });

    describe('#clusterFailover()', () => {
      it('rejects with ERR on a master', async () => {
        await expectErr(a.clusterFailover(), /to a replica/);
        await expectErr(a.clusterFailover('FORCE'), /to a replica/);
      });

      it('rejects a bad mode, sending nothing', async () => {
        await expectRefused(a, 'cluster|failover', TypeError, () =>
          a.clusterFailover('force' as never),
        );
      });

      it('makes a replica take over with TAKEOVER, resolving true', async () => {
        expect(await b.clusterFailover('TAKEOVER')).to.equal(true);
        await eventually(async () => (await myself(b)).flags.includes('master'));
        expect((await myself(b)).slots).to.deep.equal([[0, 16383]]);
        // A hears of it and follows B.
        await eventually(async () => (await myself(a)).master === bId);
      });
    });

    describe('#clusterForget()', () => {
      it('rejects with ERR for the master of the node', async () => {
        await expectErr(a.clusterForget(bId), /forget my master/);
      });

      it('removes a node from the table, resolving true', async () => {
        expect(await b.clusterForget(aId)).to.equal(true);
        expect((await b.clusterNodes()).map((node) => node.id)).to.deep.equal([bId]);
      });
    });

    describe('#clusterReset()', () => {
      it('rejects with ERR on a master holding keys', async () => {
        await expectErr(b.clusterReset(), /containing keys/);
      });

      it('rejects a bad mode, sending nothing', async () => {
        await expectRefused(a, 'cluster|reset', TypeError, () => a.clusterReset('hard' as never));
      });

      it('makes the node forget the cluster (SOFT keeps its id, HARD does not)', async () => {
        expect(await a.clusterReset()).to.equal(true);
        const nodes = await a.clusterNodes();
        expect(nodes.map((node) => [node.id, node.flags])).to.deep.equal([
          [aId, ['myself', 'master']],
        ]);
        expect(await a.clusterReset('SOFT')).to.equal(true);
        expect(await a.clusterMyid()).to.equal(aId);
        expect(await a.clusterReset('HARD')).to.equal(true);
        const newId = await a.clusterMyid();
        expect(newId).to.match(NODE_ID).and.not.equal(aId);
        expect((await a.clusterInfo()).cluster_current_epoch).to.equal(0);
      });
    });
  });
});
