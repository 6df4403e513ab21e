import { expect } from 'chai';
import { chooseTopology, parseClusterShards, parseClusterSlots } from '../../lib/cluster/topology';
import { createConnection, type RedisConnection } from '../../lib';
import { type RedisServer, startRedis } from '../helpers/redis-server';

// Each server runs in its own temporary directory (`--dir`), so a relative config file name gives
// each node its own nodes.conf, removed with the directory by stop(). No RDB, no AOF.
// prettier-ignore
const CLUSTER_ARGS = [
  '--cluster-enabled', 'yes',
  '--cluster-config-file', 'nodes.conf',
  '--cluster-node-timeout', '2000',
];

const RANGES: Array<[number, number]> = [
  [0, 5460],
  [5461, 10922],
  [10923, 16383],
];

/** Polls `check` every 50 ms until it is true; fails after `ms`. */
async function until(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) expect.fail(`${what} within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('cluster topology parsing against a real 3-node cluster', function () {
  this.timeout(20_000);
  let servers: RedisServer[] = [];
  let conns: RedisConnection[] = [];

  before(async () => {
    servers = await Promise.all(RANGES.map(() => startRedis({ args: CLUSTER_ARGS })));
    conns = await Promise.all(
      servers.map((server) => createConnection([server.host, server.port])),
    );
    await Promise.all(
      conns.map((conn, i) => conn.execute('CLUSTER', 'ADDSLOTSRANGE', ...(RANGES[i] ?? []))),
    );
    const first = conns[0];
    for (const server of servers.slice(1)) {
      await first?.execute('CLUSTER', 'MEET', server.host, server.port);
    }
    await until(
      async () => {
        const infos = await Promise.all(conns.map((conn) => conn.execute('CLUSTER', 'INFO')));
        return infos.every((info) => String(info).includes('cluster_state:ok'));
      },
      10_000,
      'cluster_state:ok on all three nodes',
    );
  });

  after(async () => {
    for (const conn of conns) conn.close();
    await Promise.all(servers.map((server) => server.stop()));
  });

  it('CLUSTER SHARDS and CLUSTER SLOTS give the same slot map and node set', async () => {
    const [a, b] = servers as [RedisServer, RedisServer, RedisServer];
    const [connA, connB] = conns as [RedisConnection, RedisConnection, RedisConnection];
    // Buffers (the connection has no encoding), as the cluster client will read them.
    const shardsReply = await connA.execute('CLUSTER', 'SHARDS');
    const slotsReply = await connB.execute('CLUSTER', 'SLOTS');
    const fromShards = parseClusterShards(shardsReply, { host: a.host, port: a.port });
    const fromSlots = parseClusterSlots(slotsReply, { host: b.host, port: b.port });

    expect(fromShards.covered).to.equal(16384);
    expect(fromSlots.covered).to.equal(16384);
    expect(fromShards.sameAs(fromSlots)).to.equal(true);
    const keys = servers.map((server) => `${server.host}:${server.port}`);
    expect(fromShards.nodes('master').map((n) => n.key)).to.have.members(keys);
    expect(fromSlots.nodes().map((n) => n.key)).to.have.members(keys);
    expect(fromShards.nodes('replica')).to.deep.equal([]);
    for (const [i, [start, end]] of RANGES.entries()) {
      for (const topology of [fromShards, fromSlots]) {
        const shard = topology.shardOf(start);
        expect(shard?.master.key).to.equal(keys[i]);
        expect(shard?.slots).to.deep.equal([[start, end]]);
      }
    }
    const ids = await Promise.all(conns.map((conn) => conn.execute('CLUSTER', 'MYID')));
    expect(fromShards.nodes().map((n) => n.id)).to.have.members(ids.map(String));
    expect(fromSlots.nodes().map((n) => n.id)).to.have.members(ids.map(String));
    expect(fromShards.nodes().every((n) => n.health === 'online')).to.equal(true);
  });

  it("masterOf(the slot of 'foo') is the node owning 10923-16383", async () => {
    const [a, , c] = servers as [RedisServer, RedisServer, RedisServer];
    const conn = conns[0] as RedisConnection;
    // The server's own hash: 12182, as the slot module computes it.
    expect(await conn.execute('CLUSTER', 'KEYSLOT', 'foo')).to.equal(12182);
    const topology = parseClusterShards(await conn.execute('CLUSTER', 'SHARDS'), a);
    expect(topology.masterOf(12182)?.key).to.equal(`${c.host}:${c.port}`);
    expect(topology.masterOf(12182)?.id).to.equal(
      String(await (conns[2] as RedisConnection).execute('CLUSTER', 'MYID')),
    );
  });

  it('every node gives the same view, and chooseTopology agrees', async () => {
    const views = await Promise.all(
      conns.map(async (conn, i) => {
        const server = servers[i] as RedisServer;
        const reply = await conn.execute('CLUSTER', 'SHARDS');
        return {
          topology: parseClusterShards(reply, server),
          from: `${server.host}:${server.port}`,
        };
      }),
    );
    const [first, ...rest] = views.map((view) => view.topology);
    for (const other of rest) expect(first?.sameAs(other)).to.equal(true);
    expect(chooseTopology(views)).to.equal(first);
  });
});
