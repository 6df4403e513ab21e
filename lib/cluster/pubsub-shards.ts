/**
 * Sharded pub/sub on a cluster (SSUBSCRIBE, SUNSUBSCRIBE): one subscriber connection per node that
 * owns a subscribed channel's slot, opened when first needed and closed once it holds nothing;
 * one command per slot, never several slots in one (CROSSSLOT, node-redis #2902).
 *
 * The server drops a sharded subscription on its own (an unsolicited `sunsubscribe`) when the
 * channel's slot migrates away or its node turns replica in a failover; a subscriber's connection
 * may also die. Either way the Channel stays open: it is marked displaced, the slot map is
 * reloaded, it is subscribed again where the new map says, and it shows one gap marker, before
 * any message of the new subscription. Displaced channels are retried with backoff until they are
 * subscribed, unsubscribed, or the client closes (the reconciliation of valkey-glide).
 *
 * @module
 */
import createDebug from 'debug';
import { kKeepSubscriptions, type PubsubReply, type RedisConnection } from '../connection';
import { ConnectionForcedCloseError, ConnectionLostError, RedisError, ReplyError } from '../errors';
import { retryableReply } from '../link/fate';
import { openConnection } from '../open-connection';
import type { Channel } from '../pubsub';
import { type DueGap, gapOnConfirm, onShardDropped, type PubsubArgs } from '../subscriptions';
import { nodeKey } from './nodes';
import { type ClusterConfig, type NodeAddress, nodeConfig } from './options';
import { parseRedirect } from './redirect';
import { neverSent } from './route';
import { hashSlot } from './slot';
import type { Topology } from './topology';

const debug = createDebug('redmux:cluster:pubsub');

/** MOVED hops one SSUBSCRIBE follows before it waits for a new slot map. */
const MAX_HOPS = 3;
/** Pauses between rounds of resubscribing displaced channels: doubling from, and capped at, ms. */
const RETRY_BASE_MS = 50;
const RETRY_CAP_MS = 1000;

/** What the sharded subscribers ask of the cluster client. */
export interface ShardsHost {
  readonly config: ClusterConfig;
  /** The topology in use (undefined before the first load). */
  topology(): Topology | undefined;
  /** Reloads the slot map now (joining a reload in progress). */
  refresh(): Promise<Topology>;
}

/** One node's sharded subscriber connection and the Channels subscribed on it. */
interface Subscriber {
  readonly key: string;
  readonly ready: Promise<RedisConnection>;
  readonly channels: Set<Channel>;
  /** SSUBSCRIBE and SUNSUBSCRIBE commands in flight: it is not closed under them. */
  busy: number;
  /** Closed by us (empty, or the client closed): its end is no loss. */
  retired: boolean;
}

/**
 * Why a channel is subscribed nowhere: `avoid` is the node that dropped it, which a slot map that
 * still names it as the owner is too old to believe, until `until` (performance.now(), ms).
 */
interface Displaced {
  readonly avoid: string | undefined;
  readonly until: number;
}

/** How long a node that dropped a channel is not believed to own its slot, ms. */
const AVOID_MS = 10_000;

/** A channel to (re)subscribe: its name as given (bytes kept) and the Channel it must land in. */
interface Wanted {
  readonly name: string | Buffer;
  readonly channel: Channel | undefined;
}

/** The sharded subscriptions of a cluster client. */
export class ShardSubscribers {
  readonly #host: ShardsHost;
  readonly #subscribers = new Map<string, Subscriber>();
  /** Every subscriber connection opened and not yet closed, retired ones included: waitClosed() waits for them. */
  readonly #sockets = new Set<RedisConnection>();
  /** Every sharded channel subscribed, or displaced and waiting to be: the client's registry. */
  readonly #wanted = new Map<string, Channel>();
  /** Where each wanted channel is subscribed now; a displaced one has no entry. */
  readonly #home = new Map<Channel, Subscriber>();
  /** Wanted channels subscribed nowhere now, waiting for their slot's owner. */
  readonly #displaced = new Map<Channel, Displaced>();
  /** Channels of our own SUNSUBSCRIBE in flight: their `sunsubscribe` is the reply, not a drop. */
  readonly #leaving = new Set<Channel>();
  /** The loss channels dropped in the same turn share, so that a Receiver yields one marker. */
  #burst: DueGap | undefined;
  #epoch = 0;
  #reconciling = false;
  #again = false;
  #closed = false;
  /** The hook every sharded Channel is given: bound once. */
  readonly #dropHook = (channel: Channel): boolean => this.#dropped(channel);

  constructor(host: ShardsHost) {
    this.#host = host;
  }

  /** Sharded channels subscribed (or being resubscribed after a move), by name. */
  get registry(): ReadonlyMap<string, Channel> {
    return this.#wanted;
  }

  /**
   * SSUBSCRIBE: the channels grouped by slot, one command per slot on the subscriber of the slot's
   * owner, all at once; resolves with every confirmation in the order of `args`, once all are in.
   */
  async subscribe(args: PubsubArgs): Promise<PubsubReply[]> {
    const groups = new Map<number, Array<{ index: number; wanted: Wanted }>>();
    args.names.forEach((name, index) => {
      const key = String(name);
      // A channel already wanted keeps its Channel (a displaced one is subscribed again now).
      const channel = this.#wanted.get(key) ?? args.objects.get(key);
      const slot = hashSlot(name);
      let group = groups.get(slot);
      if (group === undefined) groups.set(slot, (group = []));
      group.push({ index, wanted: { name, channel } });
    });
    const replies = new Array<PubsubReply>(args.names.length);
    await Promise.all(
      [...groups].map(async ([slot, group]) => {
        const got = await this.#subscribeSlot(
          slot,
          group.map((entry) => entry.wanted),
        );
        group.forEach((entry, i) => (replies[entry.index] = got[i] as PubsubReply));
      }),
    );
    return replies;
  }

  /**
   * SUNSUBSCRIBE: each channel on the subscriber it lives on, one command per slot; all of them
   * when none is named. A channel not subscribed (or waiting to be resubscribed) is answered here.
   */
  async unsubscribe(args: PubsubArgs): Promise<PubsubReply[]> {
    const names = args.names.length > 0 ? args.names.map(String) : [...this.#wanted.keys()];
    if (names.length === 0) return [['sunsubscribe', null, 0]];
    const replies = new Array<PubsubReply>(names.length);
    const groups = new Map<string, { sub: Subscriber; items: Array<[number, Channel]> }>();
    names.forEach((name, index) => {
      const channel = this.#wanted.get(name);
      const sub = channel === undefined ? undefined : this.#home.get(channel);
      if (channel === undefined || sub === undefined || this.#leaving.has(channel)) {
        if (channel !== undefined && sub === undefined) this.#forget(channel, true);
        replies[index] = ['sunsubscribe', name, this.#wanted.size];
        return;
      }
      const group = `${sub.key}/${hashSlot(name)}`;
      let entry = groups.get(group);
      if (entry === undefined) groups.set(group, (entry = { sub, items: [] }));
      entry.items.push([index, channel]);
    });
    await Promise.all(
      [...groups.values()].map(async ({ sub, items }) => {
        const channels = items.map(([, channel]) => channel);
        for (const channel of channels) this.#leaving.add(channel);
        sub.busy++;
        try {
          const conn = await sub.ready;
          const got = await conn.executePubsub('SUNSUBSCRIBE', ...channels);
          items.forEach(([index], i) => {
            replies[index] = got[i] ?? ['sunsubscribe', (channels[i] as Channel).name, 0];
          });
        } catch (err) {
          // The subscriber died under it: the subscriptions went with it, which is what was asked.
          debug('SUNSUBSCRIBE on %s: %s', sub.key, (err as Error).message);
          items.forEach(([index, channel]) => {
            replies[index] = ['sunsubscribe', channel.name, 0];
          });
        } finally {
          sub.busy--;
          for (const channel of channels) {
            this.#leaving.delete(channel);
            this.#forget(channel, true);
          }
          this.#retireIfIdle(sub);
        }
      }),
    );
    return replies;
  }

  /** A new slot map: channels waiting to be resubscribed may now find their owner. */
  topologyChanged(): void {
    if (this.#displaced.size > 0) void this.#reconcile();
  }

  /** Closes every subscriber connection; their Channels (and displaced ones) end as on close(). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const error = new ConnectionForcedCloseError();
    for (const channel of this.#displaced.keys()) channel._close(error);
    this.#displaced.clear();
    for (const sub of this.#subscribers.values()) this.#retire(sub);
  }

  /** Resolves once every subscriber connection is closed. */
  async waitClosed(): Promise<void> {
    const opening = [...this.#subscribers.values()].map((sub) => sub.ready.catch(() => undefined));
    await Promise.all(opening);
    await Promise.all([...this.#sockets].map((conn) => conn.waitClosed()));
  }

  /**
   * The user's SSUBSCRIBE of one slot's channels: sent to the slot's owner, following MOVED, and,
   * while the cluster says it cannot serve the slot or its node is unreachable, sent again after a
   * reload, within `clusterDownTimeout`. SSUBSCRIBE may safely run twice.
   */
  async #subscribeSlot(slot: number, wanted: Wanted[]): Promise<PubsubReply[]> {
    let since: number | undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#trySlot(slot, wanted, undefined);
      } catch (err) {
        if (this.#closed || !mayRetry(err)) throw err;
        const now = performance.now();
        since ??= now;
        if (now - since > this.#host.config.clusterDownTimeout) throw err;
        debug('SSUBSCRIBE of slot %d: %s; again', slot, (err as Error).message);
        await pause(attempt);
        await this.#host.refresh().catch(() => undefined);
      }
    }
  }

  /**
   * One SSUBSCRIBE of one slot's channels at the slot's owner (never `avoid`, the node that just
   * dropped them), following up to MAX_HOPS MOVED replies; registers each channel it confirms.
   */
  async #trySlot(
    slot: number,
    wanted: Wanted[],
    avoid: string | undefined,
  ): Promise<PubsubReply[]> {
    let target: NodeAddress | undefined = this.#host.topology()?.masterOf(slot);
    for (let hop = 0; ; hop++) {
      if (target === undefined) throw notServed(slot);
      const key = nodeKey(target.host, target.port);
      // The map still names the node that dropped the channel: it is stale, wait for a new one.
      if (key === avoid) throw notServed(slot);
      const sub = this.#subscriber(target);
      sub.busy++;
      try {
        const conn = await sub.ready;
        const args = wanted.map((item) => item.channel ?? item.name);
        const replies = await conn.executePubsub('SSUBSCRIBE', ...args);
        for (const { name } of wanted) this.#settle(String(name), conn, sub);
        return replies;
      } catch (err) {
        const redirect = err instanceof ReplyError ? parseRedirect(err.message, target) : undefined;
        if (redirect === undefined || redirect instanceof Error || hop >= MAX_HOPS) throw err;
        target = { host: redirect.host, port: redirect.port };
      } finally {
        sub.busy--;
        this.#retireIfIdle(sub);
      }
    }
  }

  /** `name` was confirmed on `conn`: its Channel is wanted, lives on `sub`, and stays open if dropped. */
  #settle(name: string, conn: RedisConnection, sub: Subscriber): void {
    const channel = conn.pubsubShardChannels.get(name);
    if (channel === undefined) return; // unsubscribed again before this ran
    if (channel._closed) {
      // Unsubscribed while its resubscribe was on the way: take the subscription back.
      this.#leaving.add(channel);
      void conn
        .executePubsub('SUNSUBSCRIBE', name)
        .catch(() => undefined)
        .finally(() => this.#leaving.delete(channel));
      return;
    }
    const before = this.#wanted.get(name);
    if (before !== undefined && before !== channel) this.#forget(before, true);
    this.#wanted.set(name, channel);
    this.#displaced.delete(channel);
    const old = this.#home.get(channel);
    if (old !== undefined && old !== sub) old.channels.delete(channel);
    this.#home.set(channel, sub);
    sub.channels.add(channel);
    onShardDropped(channel, this.#dropHook);
  }

  /** The subscriber connection of `node`, opened now if there is none. */
  #subscriber(node: NodeAddress): Subscriber {
    const key = nodeKey(node.host, node.port);
    const found = this.#subscribers.get(key);
    if (found !== undefined) return found;
    const ready = Promise.resolve()
      .then(() => openConnection(nodeConfig(this.#host.config, node)))
      .then((conn) => {
        // A lost connection hands its Channels over instead of closing them (see #lost).
        conn[kKeepSubscriptions] = true;
        this.#sockets.add(conn);
        if (sub.retired) conn.close();
        void conn.waitClosed().then(() => {
          this.#sockets.delete(conn);
          this.#lost(sub, conn);
        });
        return conn;
      });
    const sub: Subscriber = { key, ready, channels: new Set(), busy: 0, retired: false };
    this.#subscribers.set(key, sub);
    debug('%s: sharded subscriber opening', key);
    ready.catch((err: Error) => {
      debug('%s: sharded subscriber failed to open: %s', key, err.message);
      if (this.#subscribers.get(key) === sub) this.#subscribers.delete(key);
    });
    return sub;
  }

  /** A subscriber with no channel and nothing in flight is closed. */
  #retireIfIdle(sub: Subscriber): void {
    if (sub.channels.size === 0 && sub.busy === 0) this.#retire(sub);
  }

  #retire(sub: Subscriber): void {
    if (sub.retired) return;
    sub.retired = true;
    if (this.#subscribers.get(sub.key) === sub) this.#subscribers.delete(sub.key);
    debug('%s: sharded subscriber closed', sub.key);
    sub.ready.then((conn) => conn.close()).catch(() => undefined);
  }

  /**
   * The server dropped `channel` on its own (called while its reply is dispatched): claimed when
   * the channel is still wanted and not being unsubscribed by us. It then waits, open, for a new
   * owner, with a gap marker due.
   */
  #dropped(channel: Channel): boolean {
    const sub = this.#home.get(channel);
    if (sub === undefined || this.#leaving.has(channel) || this.#closed) return false;
    if (this.#wanted.get(channel.name) !== channel) return false;
    debug('%s: server dropped sharded channel %s (slot moved)', sub.key, channel.name);
    const cause = new RedisError(
      `the slot of sharded channel ${channel.name} moved off ${sub.key}`,
      'REDMUX_ERR_SLOT_MOVED',
    );
    this.#displace(channel, sub, Date.now(), cause, true);
    // Not from inside the dispatch of the reply: the connection is still reading.
    queueMicrotask(() => {
      this.#retireIfIdle(sub);
      void this.#reconcile();
    });
    return true;
  }

  /** `conn` of `sub` closed: unless we closed it, its channels wait for a new owner. */
  #lost(sub: Subscriber, conn: RedisConnection): void {
    if (this.#subscribers.get(sub.key) === sub) this.#subscribers.delete(sub.key);
    if (sub.retired || this.#closed) return;
    sub.retired = true;
    const cause = conn.closeReason ?? new ConnectionLostError('Connection lost', false);
    const lostAt = conn.orphans?.lostAt ?? Date.now();
    debug('%s: sharded subscriber lost (%s)', sub.key, cause.message);
    this.#burst = undefined;
    for (const channel of [...sub.channels]) {
      if (this.#leaving.has(channel)) this.#forget(channel, false);
      else this.#displace(channel, sub, lostAt, cause, false);
    }
    void this.#reconcile();
  }

  /** `channel` is wanted but subscribed nowhere; it shows one gap when subscribed again. */
  #displace(
    channel: Channel,
    from: Subscriber,
    lostAt: number,
    cause: Error,
    dropped: boolean,
  ): void {
    from.channels.delete(channel);
    this.#home.delete(channel);
    // A dropped channel's node said it no longer owns the slot; a lost one may be back at once.
    const avoid = dropped ? from.key : undefined;
    this.#displaced.set(channel, { avoid, until: performance.now() + AVOID_MS });
    // Drops of one turn (a failover drops every channel of the node) are one loss.
    let burst = this.#burst;
    if (burst === undefined || burst.made !== undefined) {
      burst = { channels: [], lostAt, cause, epoch: ++this.#epoch };
      this.#burst = burst;
      queueMicrotask(() => {
        if (this.#burst === burst) this.#burst = undefined;
      });
    }
    burst.channels.push(channel.name);
    gapOnConfirm(channel, burst);
  }

  /** Stops following `channel`; `close` ends its iteration (it was unsubscribed). */
  #forget(channel: Channel, close: boolean): void {
    if (this.#wanted.get(channel.name) === channel) this.#wanted.delete(channel.name);
    this.#displaced.delete(channel);
    const sub = this.#home.get(channel);
    sub?.channels.delete(channel);
    this.#home.delete(channel);
    onShardDropped(channel, undefined);
    if (close) channel._close();
  }

  /**
   * Subscribes every displaced channel where a freshly loaded slot map says, one command per slot,
   * round after round with backoff until none is left. One run at a time; a call during a run
   * makes it go round once more.
   */
  async #reconcile(): Promise<void> {
    if (this.#reconciling) {
      this.#again = true;
      return;
    }
    this.#reconciling = true;
    try {
      for (let round = 0; this.#displaced.size > 0 && !this.#closed; round++) {
        this.#again = false;
        if (round > 0) await pause(round - 1);
        await this.#host.refresh().catch((err: Error) => debug('reload: %s', err.message));
        if (this.#closed) return;
        const groups = new Map<number, { avoid: string | undefined; channels: Channel[] }>();
        const now = performance.now();
        for (const [channel, displaced] of this.#displaced) {
          const avoid = now < displaced.until ? displaced.avoid : undefined;
          const slot = hashSlot(channel.name);
          let group = groups.get(slot);
          if (group === undefined) groups.set(slot, (group = { avoid, channels: [] }));
          group.channels.push(channel);
        }
        await Promise.all(
          [...groups].map(([slot, { avoid, channels }]) =>
            this.#trySlot(
              slot,
              channels.map((channel) => ({ name: channel.name, channel })),
              avoid,
            ).then(
              () => debug('resubscribed %d channel(s) of slot %d', channels.length, slot),
              (err: Error) => debug('resubscribe of slot %d: %s', slot, err.message),
            ),
          ),
        );
      }
    } finally {
      this.#reconciling = false;
    }
    if (this.#again && this.#displaced.size > 0 && !this.#closed) void this.#reconcile();
  }
}

/** Whether a failed SSUBSCRIBE may be sent again: nothing ran, or running it twice is harmless. */
function mayRetry(err: unknown): boolean {
  if (err instanceof ReplyError) return retryableReply(err.message, 'cluster');
  return err instanceof ConnectionLostError || neverSent(err);
}

function notServed(slot: number): ReplyError {
  return new ReplyError(`CLUSTERDOWN Hash slot ${slot} is not served`);
}

function pause(attempt: number): Promise<void> {
  const bound = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.min(attempt, 10));
  return new Promise((resolve) => setTimeout(resolve, bound * (0.5 + Math.random() * 0.5)));
}
