// A tour of the cluster client: routing by slot, hash tags, split multi-key commands, CROSSSLOT
// refused before sending, a pipeline over every master, a one-slot transaction, and the
// slot map it follows.
//
//   npx ts-node --transpile-only examples/cluster.ts      # starts a throwaway 6-node cluster
//   REDIS_CLUSTER=127.0.0.1:7000 npx ts-node --transpile-only examples/cluster.ts
//
// In your own code, import from 'redmux' instead of '../lib'.
import { createCluster, CrossSlotError, hashSlot, type RedisCluster } from '../lib';
import { startCluster } from '../test/helpers/cluster';

async function tour(cluster: RedisCluster<string>): Promise<void> {
  section('the slot map');
  const bySlot = [...cluster.topology.shards].sort((a, b) => a.slots[0]![0] - b.slots[0]![0]);
  for (const shard of bySlot) {
    const ranges = shard.slots.map(([from, to]) => `${from}-${to}`).join(',');
    show(`master ${shard.master.key}`, `slots ${ranges}, ${shard.replicas.length} replica(s)`);
  }

  section('routing by slot');
  // Every command goes to the master of its key's slot: CRC16 of the key mod 16384.
  for (const key of ['tour:a', 'tour:b', 'tour:c']) {
    await cluster.set(key, `value of ${key}`);
    show(key, `slot ${hashSlot(key)} on ${cluster.topology.masterOf(hashSlot(key))?.key}`);
  }
  // MGET, MSET, DEL, UNLINK, EXISTS and TOUCH are split per slot and merged (not atomically).
  show('MGET over 3 slots', await cluster.mget(['tour:a', 'tour:b', 'tour:c']));
  show('DBSIZE (summed)', await cluster.dbsize());

  section('hash tags and CROSSSLOT');
  try {
    await cluster.sunionstore('tour:dest', ['tour:a', 'tour:b']);
  } catch (err) {
    // Refused before anything was sent: the keys are in different slots.
    if (err instanceof CrossSlotError) show('CrossSlotError', err.message);
  }
  // Only the part between { and } is hashed, so these keys share a slot (and a node).
  await cluster.sadd('{tour}:x', 'one', 'two');
  await cluster.sadd('{tour}:y', 'two', 'three');
  show('SUNIONSTORE {tour}', await cluster.sunionstore('{tour}:all', ['{tour}:x', '{tour}:y']));

  section('a pipeline over every master');
  // Any keys: the commands are grouped by node (one write each) and answered in call order.
  const replies = await cluster
    .pipeline()
    .execute((p) => [p.incr('tour:n1'), p.incr('tour:n2'), p.incr('tour:n3'), p.get('tour:a')]);
  show('results', replies);

  section('a transaction on one slot');
  const tx = cluster.multiExec();
  const balance = tx.incrby('{account:1}:balance', 100);
  tx.rpush('{account:1}:log', 'deposit 100');
  await tx.execute();
  show('balance', await balance);

  await cluster.del('tour:a', 'tour:b', 'tour:c', 'tour:n1', 'tour:n2', 'tour:n3');
  await cluster.del('{tour}:x', '{tour}:y', '{tour}:all', '{account:1}:balance', '{account:1}:log');
}

function section(title: string): void {
  console.log(`\n— ${title}`);
}

function show(label: string, value: unknown): void {
  console.log(`  ${label.padEnd(24)} ${typeof value === 'string' ? value : JSON.stringify(value)}`);
}

async function main(): Promise<void> {
  const given = process.env.REDIS_CLUSTER;
  const local = given ? undefined : await startCluster();
  const seeds: Array<[string, number]> = given
    ? given.split(',').map((seed) => {
        const colon = seed.lastIndexOf(':');
        return [seed.slice(0, colon), Number(seed.slice(colon + 1))];
      })
    : (local?.seeds ?? []);
  console.log(`redmux cluster tour against ${local ? 'a throwaway 6-node cluster' : given}`);
  const cluster = await createCluster(seeds, { encoding: 'utf8' });
  try {
    await tour(cluster);
  } finally {
    cluster.close();
    await cluster.waitClosed();
    await local?.stop();
  }
  console.log('\ndone.');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
