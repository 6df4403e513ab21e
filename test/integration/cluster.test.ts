// The cluster client against the shared real 6-node cluster (test/helpers/cluster.ts): routing by
// slot, split multi-key commands, CROSSSLOT refused before sending, fan-out, redirections during
// a slot migration, pipelines and transactions. Destructive cases (failover, crash) have their
// own cluster in cluster-failover.test.ts.
import { expect } from 'chai';
import diagnostics from 'node:diagnostics_channel';
import {
  ClusterConnectError,
  createCluster,
  CrossSlotError,
  MultiExecError,
  PipelineError,
  type RedisCluster,
  type TopologyEvent,
} from '../../lib';
import { hashSlot } from '../../lib/cluster/slot';
import { sharedCluster, type TestCluster, type TestClusterNode } from '../helpers/cluster';
import { rejectionOf } from '../helpers/util';

/** Keys with a fresh prefix, one owned by each master (found by slot). */
async function keyPerMaster(
  tc: TestCluster,
  prefix: string,
): Promise<Array<{ key: string; node: TestClusterNode }>> {
  const masters = await tc.masters();
  const out: Array<{ key: string; node: TestClusterNode }> = [];
  for (let i = 0; out.length < masters.length && i < 10_000; i++) {
    const key = `${prefix}:${i}`;
    const owner = await tc.ownerOf(hashSlot(key));
    if (!out.some((entry) => entry.node.id === owner.id)) out.push({ key, node: owner });
  }
  return out;
}

/** How many times `command` reached any node of the cluster (INFO commandstats, summed). */
async function callsEverywhere(tc: TestCluster, command: string): Promise<number> {
  let total = 0;
  for (const node of tc.nodes) {
    const info = String(await tc.command(node, 'INFO', 'commandstats'));
    const line = info.split('\r\n').find((l) => l.startsWith(`cmdstat_${command}:`)) ?? '';
    // A command answered MOVED/ASK counts as rejected, not as a call.
    total += Number(/[:,]calls=(\d+)/.exec(line)?.[1] ?? 0);
    total += Number(/rejected_calls=(\d+)/.exec(line)?.[1] ?? 0);
  }
  return total;
}

describe('createCluster (shared real cluster)', function () {
  let tc: TestCluster;
  let cluster: RedisCluster<string>;
  let prefix = 0;
  const fresh = (): string => `cl${process.pid}:${Date.now()}:${prefix++}`;

  before(async function () {
    this.timeout(60_000);
    tc = await sharedCluster();
    cluster = await createCluster(tc.seeds.slice(0, 1), { encoding: 'utf8' });
  });

  after(async function () {
    cluster?.close();
    await cluster?.waitClosed();
  });

  it('loads the whole slot map from one seed: 3 masters, each with its replica', function () {
    const topology = cluster.topology;
    expect(topology.covered).to.equal(16384);
    expect(topology.nodes('master')).to.have.length(3);
    expect(topology.nodes('replica')).to.have.length(3);
    for (const shard of topology.shards) expect(shard.replicas).to.have.length(1);
  });

  it('writes and reads keys on all three masters, each stored on its slot owner', async function () {
    const keys = await keyPerMaster(tc, fresh());
    expect(keys).to.have.length(3);
    for (const { key } of keys) expect(await cluster.set(key, `v-${key}`)).to.equal(true);
    for (const { key, node } of keys) {
      expect(await cluster.get(key)).to.equal(`v-${key}`);
      expect(await tc.command(node, 'GET', key)).to.equal(`v-${key}`);
    }
  });

  it('splits MGET, MSET, DEL and EXISTS across slots and merges them in order', async function () {
    const keys = (await keyPerMaster(tc, fresh())).map((entry) => entry.key);
    const missing = `${fresh()}:none`;
    expect(await cluster.mset({ [keys[0]!]: 'a', [keys[1]!]: 'b', [keys[2]!]: 'c' })).to.equal(
      true,
    );
    expect(await cluster.mget([keys[2]!, missing, keys[0]!, keys[1]!])).to.deep.equal([
      'c',
      null,
      'a',
      'b',
    ]);
    expect(await cluster.exists(keys[0]!, keys[1]!, missing, keys[2]!)).to.equal(3);
    expect(await cluster.del(keys[0]!, keys[1]!, keys[2]!, missing)).to.equal(3);
    expect(await cluster.mget(keys)).to.deep.equal([null, null, null]);
  });

  it('refuses a multi-key command over two slots before sending, naming both keys', async function () {
    const [a, b] = (await keyPerMaster(tc, fresh())).map((entry) => entry.key);
    const before = await callsEverywhere(tc, 'sunionstore');
    const err = await rejectionOf(cluster.sunionstore(a!, [b!]));
    expect(err).to.be.instanceOf(CrossSlotError);
    expect((err as CrossSlotError).keys).to.deep.equal([a, b]);
    expect((err as CrossSlotError).slots).to.deep.equal([hashSlot(a!), hashSlot(b!)]);
    expect(await callsEverywhere(tc, 'sunionstore')).to.equal(before);
    // With a hash tag the keys share a slot and the command runs.
    const tag = `{${fresh()}}`;
    await cluster.sadd(`${tag}a`, 'x');
    await cluster.sadd(`${tag}b`, 'y');
    expect(await cluster.sunionstore(`${tag}c`, [`${tag}a`, `${tag}b`])).to.equal(2);
  });

  it('fans DBSIZE out to every master and sums it', async function () {
    let expected = 0;
    for (const node of await tc.masters()) expected += Number(await tc.command(node, 'DBSIZE'));
    expect(await cluster.dbsize()).to.equal(expected);
  });

  it('follows MOVED after a slot migration and then reloads the map', async function () {
    this.timeout(30_000);
    const key = `${fresh()}:moved`;
    await cluster.set(key, 'before');
    const slot = hashSlot(key);
    const owner = await tc.ownerOf(slot);
    const target = (await tc.masters()).find((node) => node.id !== owner.id)!;
    await tc.migrateSlot(slot, target);
    const redirections = cluster.stats.redirections;
    expect(await cluster.get(key)).to.equal('before');
    expect(cluster.stats.redirections).to.equal(redirections + 1);
    // The reload the MOVED asked for lands: the map now names the new owner.
    await cluster.refresh();
    expect(cluster.topology.masterOf(slot)?.port).to.equal(target.port);
    expect(await cluster.get(key)).to.equal('before');
    expect(cluster.stats.redirections).to.equal(redirections + 1);
  });

  it('follows ASK for a migrated key and retries TRYAGAIN until the migration ends', async function () {
    this.timeout(30_000);
    const tag = `{${fresh()}}`;
    const [moved, stays] = [`${tag}moved`, `${tag}stays`];
    await cluster.mset({ [moved]: 'm', [stays]: 's' });
    const slot = hashSlot(moved);
    const owner = await tc.ownerOf(slot);
    const target = (await tc.masters()).find((node) => node.id !== owner.id)!;
    const migration = await tc.startMigration(slot, target);
    try {
      expect(await migration.moveKeys([moved])).to.equal(1);
      const redirections = cluster.stats.redirections;
      expect(await cluster.get(moved)).to.equal('m'); // ASK → ASKING + GET on the target
      expect(cluster.stats.redirections).to.equal(redirections + 1);
      expect(await cluster.get(stays)).to.equal('s'); // still on the source
      const both = cluster.mget([moved, stays]); // TRYAGAIN while the slot is split
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(cluster.stats.retries).to.be.greaterThan(0);
      await migration.finish();
      expect(await both).to.deep.equal(['m', 's']);
    } finally {
      await migration.finish().catch(() => undefined);
    }
  });

  it('runs a pipeline across every master during a migration, resending only the redirected command', async function () {
    this.timeout(30_000);
    const keys = Array.from({ length: 30 }, (_, i) => `${fresh()}:p${i}`);
    await cluster.mset(Object.fromEntries(keys.map((key) => [key, key])));
    const slot = hashSlot(keys[0]!);
    const owner = await tc.ownerOf(slot);
    const target = (await tc.masters()).find((node) => node.id !== owner.id)!;
    const migration = await tc.startMigration(slot, target);
    try {
      await migration.moveKeys([keys[0]!]);
      const before = await callsEverywhere(tc, 'get');
      const pipe = cluster.pipeline();
      for (const key of keys) void pipe.get(key);
      expect(await pipe.execute()).to.deep.equal(keys);
      // One GET per key, plus the one that was answered ASK and sent again: never its neighbours.
      expect((await callsEverywhere(tc, 'get')) - before).to.equal(keys.length + 1);
    } finally {
      await migration.finish();
    }
  });

  it('keeps the commands of a pipeline for one node in order while its pool grows more connections', async function () {
    const base = fresh();
    // Enough commands in flight that every master's pool opens more connections…
    for (let wave = 0; wave < 20; wave++) {
      await Promise.all(Array.from({ length: 600 }, (_, i) => cluster.get(`${base}:warm:${i}`)));
      if (cluster.nodes('master').every((node) => (node.pool?.size ?? 0) > 1)) break;
    }
    expect(cluster.nodes('master').map((node) => node.pool?.size)).to.not.include(1);
    // …then 20 pipelines, each SET then GET of the same key 100 times: each node's commands of one
    // pipeline must stay on one connection, or a GET could overtake its SET.
    const runs = Array.from({ length: 20 }, async (_, run) => {
      const pipe = cluster.pipeline();
      const gets: Array<Promise<string | null>> = [];
      for (let i = 0; i < 100; i++) {
        const key = `${base}:${i % 10}:${run}`;
        void pipe.set(key, `${run}:${i}`);
        gets.push(pipe.get(key));
      }
      await pipe.execute();
      return Promise.all(gets);
    });
    const results = await Promise.all(runs);
    results.forEach((gets, run) => {
      gets.forEach((value, i) => expect(value).to.equal(`${run}:${i}`));
    });
  });

  it('reports each pipeline error in its place', async function () {
    const key = `${fresh()}:str`;
    await cluster.set(key, 'x');
    const results = await cluster
      .pipeline()
      .execute((p) => [p.get(key), p.lpush(key, 'y'), p.incr(`${fresh()}:n`)], {
        returnExceptions: true,
      });
    expect(results[0]).to.equal('x');
    expect(results[1]).to.be.instanceOf(Error);
    expect(results[2]).to.equal(1);
    const err = await rejectionOf(cluster.pipeline().execute((p) => [p.lpush(key, 'y')]));
    expect(err).to.be.instanceOf(PipelineError);
  });

  it('runs a transaction on one slot and refuses a second slot as it is queued', async function () {
    const tag = `{${fresh()}}`;
    const tx = cluster.multiExec();
    const set = tx.set(`${tag}a`, '1');
    const incr = tx.incr(`${tag}n`);
    const other = await rejectionOf(tx.get(`${fresh()}:elsewhere`));
    expect(other).to.be.instanceOf(CrossSlotError);
    // The refused command is reported by execute(), as any refused command of a batch; the rest ran.
    const err = await rejectionOf(tx.execute());
    expect(err).to.be.instanceOf(MultiExecError);
    expect((err as MultiExecError).errors).to.deep.equal([other]);
    expect(await set).to.equal(true);
    expect(await incr).to.equal(1);
  });

  it('resends a whole transaction after the slot moved (MOVED aborts EXEC)', async function () {
    this.timeout(30_000);
    const tag = `{${fresh()}}`;
    await cluster.set(`${tag}n`, '10');
    const slot = hashSlot(`${tag}n`);
    const owner = await tc.ownerOf(slot);
    const target = (await tc.masters()).find((node) => node.id !== owner.id)!;
    await tc.migrateSlot(slot, target);
    const tx = cluster.multiExec();
    const incr = tx.incr(`${tag}n`);
    await tx.execute();
    expect(await incr).to.equal(11);
    expect(await cluster.get(`${tag}n`)).to.equal('11');
  });

  it('sends a transaction with ASKING before MULTI when its slot is migrating (ASK aborts EXEC)', async function () {
    this.timeout(30_000);
    const tag = `{${fresh()}}`;
    await cluster.set(`${tag}n`, '5');
    const slot = hashSlot(`${tag}n`);
    const owner = await tc.ownerOf(slot);
    const target = (await tc.masters()).find((node) => node.id !== owner.id)!;
    const migration = await tc.startMigration(slot, target);
    try {
      await migration.moveKeys([`${tag}n`]);
      const redirections = cluster.stats.redirections;
      const tx = cluster.multiExec();
      const incr = tx.incr(`${tag}n`);
      await tx.execute();
      expect(await incr).to.equal(6);
      expect(cluster.stats.redirections).to.equal(redirections + 1);
      expect(
        await tc.command(target, 'ASKING').then(() => tc.command(target, 'GET', `${tag}n`)),
      ).to.equal('6');
    } finally {
      await migration.finish();
    }
  });

  it('walks every master with iscan()', async function () {
    const base = fresh();
    const keys = (await keyPerMaster(tc, base)).map((entry) => entry.key);
    for (const key of keys) await cluster.set(key, '1');
    const seen: string[] = [];
    for await (const key of cluster.iscan({ match: `${base}:*`, count: 1000 })) seen.push(key);
    expect(seen.sort()).to.deep.equal([...keys].sort());
  });

  it('lends the master of a key for WATCH … EXEC with acquire()', async function () {
    const key = `${fresh()}:watched`;
    await cluster.set(key, '1');
    await using r = await cluster.acquire(key);
    await r.watch(key);
    const tx = r.multiExec();
    tx.set(key, '2');
    await tx.execute();
    expect(await cluster.get(key)).to.equal('2');
  });

  it('gives a Redis client per node', async function () {
    const masters = cluster.nodes('master');
    expect(masters).to.have.length(3);
    for (const node of masters) expect(await node.ping()).to.equal('PONG');
    const roles = await Promise.all(cluster.nodes('replica').map((n) => n.call('ROLE')));
    for (const role of roles) expect((role as unknown[])[0]).to.equal('slave');
  });

  it('reads from replicas with readFrom: replica (READONLY in the handshake)', async function () {
    const key = `${fresh()}:replicated`;
    await cluster.set(key, 'r');
    const owner = await tc.ownerOf(hashSlot(key));
    const [replica] = await tc.replicasOf(owner);
    await tc.command(owner, 'WAIT', 1, 2000);
    await using reader = await createCluster(tc.seeds.slice(0, 1), {
      encoding: 'utf8',
      readFrom: 'replica',
    });
    const before = Number(
      /calls=(\d+)/.exec(
        String(await tc.command(replica!, 'INFO', 'commandstats'))
          .split('\r\n')
          .find((l) => l.startsWith('cmdstat_get:')) ?? '',
      )?.[1] ?? 0,
    );
    expect(await reader.get(key)).to.equal('r');
    const after = Number(
      /calls=(\d+)/.exec(
        String(await tc.command(replica!, 'INFO', 'commandstats'))
          .split('\r\n')
          .find((l) => l.startsWith('cmdstat_get:')) ?? '',
      )?.[1] ?? 0,
    );
    expect(after).to.equal(before + 1);
    // Writes still go to the master.
    expect(await reader.set(key, 'w')).to.equal(true);
    expect(await cluster.get(key)).to.equal('w');
  });

  it('maps announced addresses with addressMap and gives each node its nodeOptions', async function () {
    const seen: string[] = [];
    await using mapped = await createCluster(tc.seeds.slice(0, 1), {
      encoding: 'utf8',
      addressMap: (host, port) => ({ host: host === '127.0.0.1' ? 'localhost' : host, port }),
      nodeOptions: ({ host, port }) => {
        seen.push(`${host}:${port}`);
        return { name: `node-${port}` };
      },
    });
    const masters = mapped.topology.nodes('master');
    for (const node of masters) expect(node.host).to.equal('localhost');
    const key = `${fresh()}:mapped`;
    expect(await mapped.set(key, 'm')).to.equal(true);
    expect(await mapped.get(key)).to.equal('m');
    for (const client of mapped.nodes('master')) {
      const [, port] = client.address as [string, number];
      expect(await client.call('CLIENT', 'GETNAME')).to.equal(`node-${port}`);
    }
    expect(seen.some((address) => address.startsWith('localhost:'))).to.equal(true);
  });

  it('publishes each slot map it accepts on redmux:cluster:topology', async function () {
    const events: TopologyEvent[] = [];
    const listener = (message: unknown): void => void events.push(message as TopologyEvent);
    diagnostics.subscribe('redmux:cluster:topology', listener);
    try {
      await using watched = await createCluster(tc.seeds.slice(0, 1));
      await watched.refresh();
      expect(events.length).to.be.at.least(2);
      expect(events[0]).to.include({ changed: true, covered: 16384 });
      expect(events[0]?.masters).to.have.length(3);
      expect(events.at(-1)?.changed).to.equal(false); // the reload found the same map
    } finally {
      diagnostics.unsubscribe('redmux:cluster:topology', listener);
    }
  });

  it('rejects with ClusterConnectError naming each seed when none answers', async function () {
    const err = await rejectionOf(
      createCluster([['127.0.0.1', 1]], { timeout: 500, refresh: { timeout: 500 } }),
    );
    expect(err).to.be.instanceOf(ClusterConnectError);
    expect((err as ClusterConnectError).errors[0]?.address).to.equal('127.0.0.1:1');
  });

  it('refuses unknown options, db ≠ 0 and credentials in a seed URL before connecting', async function () {
    const seeds = tc.seeds.slice(0, 1);
    expect(
      await rejectionOf(createCluster(seeds, { readfrom: 'replica' } as never)),
    ).to.be.instanceOf(TypeError);
    expect(await rejectionOf(createCluster(seeds, { db: 1 }))).to.be.instanceOf(RangeError);
    expect(await rejectionOf(createCluster(['redis://:pw@127.0.0.1:1'], {}))).to.be.instanceOf(
      TypeError,
    );
    expect(
      await rejectionOf(createCluster(seeds, { refresh: { intervall: 1 } } as never)),
    ).to.be.instanceOf(TypeError);
  });
});
