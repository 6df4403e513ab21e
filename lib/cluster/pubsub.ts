/**
 * Pub/sub on a cluster, with the same Channel, Receiver and `for await` API as on one server.
 *
 * Classic channels and patterns (SUBSCRIBE, PSUBSCRIBE) reach every node of a cluster, so they
 * live on one subscriber connection to any node (a master first), opened on the first subscribe.
 * It is a {@link Link}: when its connection is lost it reloads the slot map, opens a connection to
 * a node the new map lists (never the one just lost, unless no other is left), subscribes every
 * Channel there once and puts a gap marker in each. Sharded channels (SSUBSCRIBE) live on the
 * subscriber of their slot's owner: see pubsub-shards.ts.
 *
 * @module
 */
import createDebug from 'debug';
import type { PubsubReply, RedisConnection } from '../connection';
import { RedisError } from '../errors';
import { DEFAULT_BACKOFF } from '../link/backoff';
import { Link, type LinkConfig } from '../link/link';
import { openConnection } from '../open-connection';
import type { Channel } from '../pubsub';
import { parsePubsubArgs, type PubsubArgs } from '../subscriptions';
import { nodeKey } from './nodes';
import { type ClusterConfig, nodeConfig } from './options';
import { ShardSubscribers } from './pubsub-shards';
import type { ClusterNode, Topology } from './topology';

const debug = createDebug('redmux:cluster:pubsub');

/** What the cluster's pub/sub needs of the client. */
export interface PubsubHost {
  readonly config: ClusterConfig;
  /** The topology in use (undefined before the first load). */
  topology(): Topology | undefined;
  /** Asks for a coalesced reload (an unsolicited sunsubscribe, a lost subscriber). */
  requestRefresh(reason: string): void;
  /** Reloads now (joining one in progress). */
  refresh(): Promise<Topology>;
}

const NONE: ReadonlyMap<string, Channel> = new Map();

/** The cluster's subscriber connections: classic channels and patterns, and sharded channels. */
export class ClusterPubsub {
  readonly #host: PubsubHost;
  readonly #shards: ShardSubscribers;
  /** The classic subscriber, once the first SUBSCRIBE or PSUBSCRIBE opened it. */
  #link: Link | undefined;
  #opening: Promise<Link> | undefined;
  /** The node the classic subscriber is connected to now (`host:port`). */
  #at: string | undefined;
  /** Nodes that failed the classic subscriber lately: tried last, if at all. */
  readonly #avoid = new Set<string>();
  #closed = false;

  constructor(host: PubsubHost) {
    this.#host = host;
    this.#shards = new ShardSubscribers(host);
  }

  /** Subscribed channels, patterns and sharded channels, by name. */
  registry(which: 'channels' | 'patterns' | 'shards'): ReadonlyMap<string, Channel> {
    if (which === 'shards') return this.#shards.registry;
    const link = this.#link;
    if (link === undefined) return NONE;
    return which === 'channels' ? link.pubsubChannels : link.pubsubPatterns;
  }

  /** Runs a (un)subscribe command on the right subscriber connection(s). */
  execute(command: string, channels: Array<string | Buffer | Channel>): Promise<PubsubReply[]> {
    let parsed: PubsubArgs;
    try {
      parsed = parsePubsubArgs(command, channels);
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.#closed) {
      return Promise.reject(
        new RedisError('The cluster client is closed', 'REDMUX_ERR_CLUSTER_CLOSED'),
      );
    }
    switch (parsed.command) {
      case 'SSUBSCRIBE':
        return this.#shards.subscribe(parsed);
      case 'SUNSUBSCRIBE':
        return this.#shards.unsubscribe(parsed);
      case 'UNSUBSCRIBE':
      case 'PUNSUBSCRIBE':
        // Nothing subscribed yet: answered as a server with no subscription would, without a connection.
        if (this.#link === undefined && this.#opening === undefined) {
          return Promise.resolve(emptyUnsubscribe(parsed));
        }
        break;
    }
    return this.#classic().then((link) => link.executePubsub(parsed.command, ...channels));
  }

  /** A new topology: sharded subscriptions waiting for an owner look again. */
  topologyChanged(topology: Topology): void {
    void topology;
    this.#shards.topologyChanged();
  }

  /** Closes every subscriber connection; their Channels end as on a single server's close(). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#link?.close();
    this.#shards.close();
  }

  /** Resolves once every subscriber connection is closed. */
  async waitClosed(): Promise<void> {
    await this.#opening?.catch(() => undefined);
    await Promise.all([this.#link?.waitClosed(), this.#shards.waitClosed()]);
  }

  /** The classic subscriber's Link, opened on first use (one opening, however many callers). */
  #classic(): Promise<Link> {
    if (this.#link !== undefined) return Promise.resolve(this.#link);
    this.#opening ??= this.#connect(false)
      .then((conn) => {
        const link = new Link(conn, () => this.#connect(true), this.#linkConfig());
        this.#link = link;
        if (this.#closed) link.close();
        return link;
      })
      .finally(() => {
        this.#opening = undefined;
      });
    return this.#opening;
  }

  /**
   * A connection for the classic subscriber to a node of the topology: masters first, nodes that
   * failed lately last. After a loss (`reload`) the slot map is loaded again first and the lost
   * node is avoided: a crashed master stays in the map until its failover, and must not be
   * redialled in a loop (node-redis #2141).
   */
  async #connect(reload: boolean): Promise<RedisConnection> {
    if (reload) {
      if (this.#at !== undefined) this.#avoid.add(this.#at);
      await this.#host.refresh().catch((err: Error) => debug('reload: %s', err.message));
    }
    const topology = this.#host.topology();
    const nodes: ClusterNode[] = topology === undefined ? [] : candidates(topology, this.#avoid);
    let failure: Error = new Error('no node in the topology to subscribe on');
    for (const node of nodes) {
      const key = nodeKey(node.host, node.port);
      try {
        const conn = await openConnection(nodeConfig(this.#host.config, node));
        this.#at = key;
        this.#avoid.delete(key);
        debug('classic subscriber on %s', key);
        return conn;
      } catch (err) {
        debug('classic subscriber: %s: %s', key, (err as Error).message);
        this.#avoid.add(key);
        failure = err as Error;
      }
    }
    throw failure;
  }

  #linkConfig(): LinkConfig {
    const { clusterDownTimeout, maxQueued } = this.#host.config;
    return {
      backoff: { ...DEFAULT_BACKOFF, cap: 1000 },
      maxQueued,
      maxQueuedBytes: 16 * 1024 * 1024,
      offlineTimeout: Math.max(clusterDownTimeout, 1000),
      offlineQueue: true,
      label: 'cluster pub/sub',
      resubscribe: true,
      retrier: 'cluster',
    };
  }
}

/** Healthy masters, then healthy replicas, then the rest; nodes in `avoid` after all of them. */
function candidates(topology: Topology, avoid: ReadonlySet<string>): ClusterNode[] {
  const rank = (node: ClusterNode): number =>
    (avoid.has(node.key) ? 4 : 0) +
    (node.health === 'online' ? 0 : 2) +
    (node.role === 'master' ? 0 : 1);
  return [...topology.nodes()].sort((a, b) => rank(a) - rank(b));
}

/** What a server with no subscription answers an UNSUBSCRIBE or PUNSUBSCRIBE. */
function emptyUnsubscribe(parsed: PubsubArgs): PubsubReply[] {
  const kind = parsed.command.toLowerCase();
  if (parsed.names.length === 0) return [[kind, null, 0]];
  return parsed.names.map((name) => [kind, String(name), 0]);
}
