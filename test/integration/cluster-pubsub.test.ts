// Pub/sub on the cluster client against real clusters (test/helpers/cluster.ts): classic channels
// and patterns on one subscriber connection, sharded channels on the subscriber of each slot's
// owner (one SSUBSCRIBE per slot), and what happens when a slot migrates, a master fails over, or
// the subscriber's node is killed: the same Channel goes on, with exactly one gap marker.
import { expect } from 'chai';
import {
  type Channel,
  ConnectionForcedCloseError,
  createCluster,
  isGap,
  type RedisCluster,
  RedisError,
} from '../../lib';
import { hashSlot } from '../../lib/cluster/slot';
import type { SubscriptionGap } from '../../lib/errors';
import {
  sharedCluster,
  startCluster,
  type TestCluster,
  type TestClusterNode,
} from '../helpers/cluster';
import { eventually, rejectionOf } from '../helpers/util';

let counter = 0;
const fresh = (label: string): string => `ps${process.pid}:${label}:${counter++}`;

/** What `read` (a Channel's next item) resolves with, failing the test when nothing comes within `ms`. */
async function within<T>(read: Promise<T>, ms = 10_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`nothing received within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([read, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Every item of `channel` up to and including the message `last`. */
async function readUntil(
  channel: Channel<false, string>,
  last: string,
  ms = 10_000,
): Promise<Array<string | SubscriptionGap>> {
  const items: Array<string | SubscriptionGap> = [];
  for (;;) {
    const item = await within(channel.get(), ms);
    items.push(item);
    if (item === last) return items;
  }
}

/** `count` sharded channel names whose slots are owned by `owner` (each in a different slot). */
async function namesOwnedBy(
  tc: TestCluster,
  owner: TestClusterNode,
  label: string,
  count: number,
): Promise<string[]> {
  const names: string[] = [];
  const slots = new Set<number>();
  for (let i = 0; names.length < count && i < 10_000; i++) {
    const name = fresh(`${label}${i}`);
    const slot = hashSlot(name);
    if (slots.has(slot) || (await tc.ownerOf(slot)) !== owner) continue;
    slots.add(slot);
    names.push(name);
  }
  return names;
}

/** SPUBLISHes probes until one reaches a subscriber (the resubscribe is in), within `ms`. */
async function spublishUntilHeard(cluster: RedisCluster<string>, name: string, ms = 15_000) {
  await eventually(async () => {
    try {
      return (await cluster.spublish(name, 'probe')) > 0;
    } catch {
      return false; // the cluster is between owners; the next poll tries again
    }
  }, ms);
}

/** The messages of `items` without the probes, and the gap markers among them. */
function sorted(items: Array<string | SubscriptionGap>): {
  gaps: SubscriptionGap[];
  messages: string[];
} {
  return {
    gaps: items.filter((item): item is SubscriptionGap => isGap(item)),
    messages: items.filter((item): item is string => !isGap(item) && item !== 'probe'),
  };
}

/** How many clients of `node` last ran one of `commands` (CLIENT LIST `cmd=`). */
async function clientsThatRan(tc: TestCluster, node: TestClusterNode, commands: string[]) {
  const list = String(await tc.command(node, 'CLIENT', 'LIST'));
  return list
    .split('\n')
    .filter((line) => commands.some((command) => line.includes(` cmd=${command} `))).length;
}

describe('cluster pub/sub (shared real cluster)', function () {
  let tc: TestCluster;
  let cluster: RedisCluster<string>;
  let publisher: RedisCluster<string>;

  before(async function () {
    this.timeout(60_000);
    tc = await sharedCluster();
    cluster = await createCluster(tc.seeds.slice(0, 1), { encoding: 'utf8' });
    publisher = await createCluster(tc.seeds.slice(1, 2), { encoding: 'utf8' });
  });

  after(async function () {
    cluster?.close();
    publisher?.close();
    await Promise.all([cluster?.waitClosed(), publisher?.waitClosed()]);
  });

  describe('#subscribe()', function () {
    it('delivers what another client PUBLISHes, and UNSUBSCRIBE ends the iteration', async function () {
      const name = fresh('news');
      const [news] = await cluster.subscribe(name);
      expect(cluster.channels.get(name)).to.equal(news);
      await publisher.publish(name, 'one');
      await publisher.publish(name, 'two');
      const got: string[] = [];
      const reading = (async () => {
        for await (const message of news) {
          expect(isGap(message), 'no connection was lost').to.equal(false);
          got.push(message as string);
          if (got.length === 2) await cluster.unsubscribe(name);
        }
      })();
      await reading;
      expect(got).to.deep.equal(['one', 'two']);
      expect(cluster.channels.has(name)).to.equal(false);
    });

    it('resolves UNSUBSCRIBE of a channel never subscribed as a server would', async function () {
      const other = await createCluster(tc.seeds.slice(0, 1), { encoding: 'utf8' });
      try {
        expect(await other.unsubscribe('nothing')).to.deep.equal([['unsubscribe', 'nothing', 0]]);
      } finally {
        other.close();
        await other.waitClosed();
      }
    });
  });

  describe('#psubscribe()', function () {
    it('delivers [channel, message] for every channel matching the pattern', async function () {
      const base = fresh('alerts');
      const [alerts] = await cluster.psubscribe(`${base}:*`);
      await publisher.publish(`${base}:disk`, 'full');
      await publisher.publish(`${base}:cpu`, 'hot');
      expect(await within(alerts.get())).to.deep.equal([`${base}:disk`, 'full']);
      expect(await within(alerts.get())).to.deep.equal([`${base}:cpu`, 'hot']);
      await cluster.punsubscribe(`${base}:*`);
      expect(cluster.patterns.has(`${base}:*`)).to.equal(false);
    });
  });

  describe('#ssubscribe()', function () {
    it('subscribes channels of 3 slots on 3 masters in one call; SPUBLISH reaches each', async function () {
      const masters = await tc.masters();
      const names = [];
      for (const master of masters) names.push(...(await namesOwnedBy(tc, master, 'sh', 1)));
      expect(names).to.have.length(3);
      const replies = await cluster.ssubscribe(
        names[0] as string,
        names[1] as string,
        names[2] as string,
      );
      expect(replies.map((channel) => channel.name)).to.deep.equal(names);
      for (const name of names) {
        expect(await cluster.spublish(name, `to ${name}`)).to.equal(1);
      }
      for (const channel of replies) {
        for await (const message of channel) {
          expect(message).to.equal(`to ${channel.name}`);
          break;
        }
      }
      await cluster.sunsubscribe(...names);
    });

    it('sends one SSUBSCRIBE per slot: two slots of one master in one call are no CROSSSLOT', async function () {
      const [master] = await tc.masters();
      const names = await namesOwnedBy(tc, master as TestClusterNode, 'two', 2);
      // One SSUBSCRIBE naming both would be refused with CROSSSLOT.
      const [a, b] = await cluster.ssubscribe(names[0] as string, names[1] as string);
      expect([a.name, b.name]).to.deep.equal(names);
      expect(await cluster.spublish(names[0] as string, 'a')).to.equal(1);
      expect(await cluster.spublish(names[1] as string, 'b')).to.equal(1);
      expect(await within(a.get())).to.equal('a');
      expect(await within(b.get())).to.equal('b');
      await cluster.sunsubscribe(...names);
    });
  });

  describe('#sunsubscribe()', function () {
    it('ends the Channel, is not taken for a moved slot, and closes the idle subscriber', async function () {
      const [, master] = await tc.masters();
      const owner = master as TestClusterNode;
      const [name] = await namesOwnedBy(tc, owner, 'bye', 1);
      const [channel] = await cluster.ssubscribe(name as string);
      expect(await clientsThatRan(tc, owner, ['ssubscribe'])).to.be.greaterThan(0);
      const reading = (async () => {
        const items = [];
        for await (const item of channel) items.push(item);
        return items;
      })();
      const replies = await cluster.sunsubscribe(name as string);
      expect(replies).to.deep.equal([['sunsubscribe', name, 0]]);
      expect(await reading, 'the iteration ends, with no gap marker').to.deep.equal([]);
      expect(cluster.shardChannels.has(name as string)).to.equal(false);
      // The subscriber had nothing left: its connection is closed (no client of it remains).
      await eventually(
        async () => (await clientsThatRan(tc, owner, ['ssubscribe', 'sunsubscribe'])) === 0,
      );
      // Nothing subscribed it again behind the caller's back, even after a reload.
      await cluster.refresh();
      expect(await tc.command(owner, 'PUBSUB', 'SHARDNUMSUB', name as string)).to.deep.equal([
        name,
        0,
      ]);
    });
  });

  describe('#close()', function () {
    it('ends classic and sharded Channels as a single server close() does', async function () {
      const own = await createCluster(tc.seeds.slice(0, 1), { encoding: 'utf8' });
      const [classic] = await own.subscribe(fresh('closing'));
      const [sharded] = await own.ssubscribe(fresh('closing-s'));
      own.close();
      await own.waitClosed();
      for (const channel of [classic, sharded]) {
        const err = await rejectionOf(channel.get());
        expect(err).to.be.instanceOf(ConnectionForcedCloseError);
      }
    });
  });

  describe('a slot migration', function () {
    it('moves the sharded channel to the new owner with exactly one gap marker; its neighbour keeps going', async function () {
      this.timeout(30_000);
      const [source] = await tc.masters();
      const from = source as TestClusterNode;
      const [moving, staying] = (await namesOwnedBy(tc, from, 'mig', 2)) as [string, string];
      const [a, b] = await cluster.ssubscribe(moving, staying);
      await cluster.spublish(moving, 'before');
      expect(await within(a.get())).to.equal('before');

      const target = (await tc.masters()).find((node) => node !== from) as TestClusterNode;
      await tc.migrateSlot(hashSlot(moving), target);

      await spublishUntilHeard(cluster, moving);
      await cluster.spublish(moving, 'after 1');
      await cluster.spublish(moving, 'after 2');
      await cluster.spublish(moving, 'end');
      const items = await readUntil(a, 'end');
      const { gaps, messages } = sorted(items);
      expect(gaps, 'one gap marker').to.have.length(1);
      expect(items[0], 'the marker comes before any message of the new owner').to.equal(gaps[0]);
      expect((gaps[0]?.cause as RedisError).code).to.equal('REDMUX_ERR_SLOT_MOVED');
      expect(gaps[0]?.channels).to.deep.equal([moving]);
      expect(messages).to.deep.equal(['after 1', 'after 2', 'end']);
      expect(cluster.shardChannels.get(moving), 'the same Channel').to.equal(a);
      expect(await tc.command(target, 'PUBSUB', 'SHARDNUMSUB', moving)).to.deep.equal([moving, 1]);

      // The other channel of the source never left it: no marker.
      await cluster.spublish(staying, 'still here');
      expect(await within(b.get())).to.equal('still here');
      await cluster.sunsubscribe(moving, staying);
    });
  });
});

describe('cluster pub/sub through a graceful failover (own cluster)', function () {
  let tc: TestCluster;
  let cluster: RedisCluster<string> | undefined;

  before(async function () {
    this.timeout(60_000);
    tc = await startCluster();
  });

  after(async function () {
    this.timeout(30_000);
    cluster?.close();
    await cluster?.waitClosed();
    await tc?.stop();
  });

  it('moves the sharded channels of the old master to the new one, each with one gap marker', async function () {
    this.timeout(40_000);
    cluster = await createCluster(tc.seeds, { encoding: 'utf8' });
    const masters = await tc.masters();
    const [m1, m2] = masters as [TestClusterNode, TestClusterNode];
    const [x, y] = (await namesOwnedBy(tc, m1, 'fo', 2)) as [string, string];
    const [other] = (await namesOwnedBy(tc, m2, 'fo-other', 1)) as [string];
    const [cx, cy, cother] = await cluster.ssubscribe(x, y, other);

    const [replica] = await tc.replicasOf(m1);
    await tc.failover(replica as TestClusterNode);

    for (const [name, channel] of [
      [x, cx],
      [y, cy],
    ] as const) {
      await spublishUntilHeard(cluster, name);
      await cluster.spublish(name, 'end');
      const items = await readUntil(channel, 'end');
      const { gaps, messages } = sorted(items);
      expect(gaps, `${name}: one gap marker`).to.have.length(1);
      expect(items[0]).to.equal(gaps[0]);
      expect(messages).to.deep.equal(['end']);
      expect(
        await tc.command(replica as TestClusterNode, 'PUBSUB', 'SHARDNUMSUB', name),
      ).to.deep.equal([name, 1]);
    }
    // A channel of another master was not touched.
    await cluster.spublish(other, 'untouched');
    expect(await within(cother.get())).to.equal('untouched');
  });
});

describe('cluster pub/sub when the subscriber node is killed (own cluster)', function () {
  let tc: TestCluster;
  let cluster: RedisCluster<string> | undefined;

  before(async function () {
    this.timeout(60_000);
    tc = await startCluster({ nodeTimeout: 1000 });
  });

  after(async function () {
    this.timeout(30_000);
    cluster?.close();
    await cluster?.waitClosed();
    await tc?.stop();
  });

  it('moves the classic subscriber to a live node and the sharded one to the promoted replica', async function () {
    this.timeout(60_000);
    cluster = await createCluster(tc.seeds, { encoding: 'utf8' });
    const name = fresh('classic');
    const [classic] = await cluster.subscribe(name);
    // The node the classic subscriber is on: the one that counts a local subscriber.
    let at: TestClusterNode | undefined;
    for (const node of tc.nodes) {
      const [, count] = (await tc.command(node, 'PUBSUB', 'NUMSUB', name)) as [string, number];
      if (count > 0) at = node;
    }
    expect((await tc.masters()).includes(at as TestClusterNode), 'a master is preferred').to.equal(
      true,
    );
    const victim = at as TestClusterNode;
    const [sharded] = (await namesOwnedBy(tc, victim, 'crash', 1)) as [string];
    const [shardChannel] = await cluster.ssubscribe(sharded);

    await tc.crash(victim);

    // Publish from a live node until the classic Channel, resubscribed elsewhere, hears one.
    const live = tc.nodes.find((node) => node !== victim) as TestClusterNode;
    let probes = 0;
    const publishing = setInterval(() => {
      tc.command(live, 'PUBLISH', name, `probe ${probes++}`).catch(() => undefined);
    }, 100);
    let items: unknown[] = [];
    try {
      for (;;) {
        const item = await within(classic.get(), 20_000);
        items.push(item);
        if (!isGap(item)) break;
      }
    } finally {
      clearInterval(publishing);
    }
    expect(items.filter(isGap), 'one gap marker, then messages again').to.have.length(1);
    expect(isGap(items[0])).to.equal(true);
    await publishFrom(tc, live, name, 'last');
    items = [];
    for (;;) {
      const item = await within(classic.get());
      items.push(item);
      if (item === 'last') break;
    }
    expect(items.filter(isGap), 'no second marker').to.have.length(0);
    // Subscribed once, on one live node: no duplicate deliveries (ioredis #803).
    let subscribers = 0;
    for (const node of tc.nodes.filter((node) => node !== victim)) {
      const [, count] = (await tc.command(node, 'PUBSUB', 'NUMSUB', name)) as [string, number];
      subscribers += count;
    }
    expect(subscribers).to.equal(1);

    // The sharded channel follows its slot to the promoted replica once the failover is done.
    await spublishUntilHeard(cluster, sharded, 30_000);
    await cluster.spublish(sharded, 'end');
    const shardItems = await readUntil(shardChannel, 'end');
    const { gaps, messages } = sorted(shardItems);
    expect(gaps, 'one gap marker').to.have.length(1);
    expect(shardItems[0]).to.equal(gaps[0]);
    expect(messages).to.deep.equal(['end']);
  });
});

/** PUBLISH from `node` through the harness's admin connection. */
async function publishFrom(tc: TestCluster, node: TestClusterNode, name: string, message: string) {
  await tc.command(node, 'PUBLISH', name, message);
}
