/**
 * Pub/sub on a cluster (placeholder until the subscriber connections land).
 *
 * @module
 */
import type { PubsubReply } from '../connection';
import type { Channel } from '../pubsub';
import type { ClusterConfig } from './options';
import type { Topology } from './topology';

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

/** The cluster's subscriber connections: classic channels and patterns, and sharded channels. */
export class ClusterPubsub {
  readonly #host: PubsubHost;
  readonly #channels = new Map<string, Channel>();
  readonly #patterns = new Map<string, Channel>();
  readonly #shards = new Map<string, Channel>();

  constructor(host: PubsubHost) {
    this.#host = host;
  }

  /** Subscribed channels, patterns and sharded channels, by name. */
  registry(which: 'channels' | 'patterns' | 'shards'): ReadonlyMap<string, Channel> {
    if (which === 'channels') return this.#channels;
    return which === 'patterns' ? this.#patterns : this.#shards;
  }

  /** Runs a (un)subscribe command on the right subscriber connection(s). */
  execute(command: string, channels: Array<string | Buffer | Channel>): Promise<PubsubReply[]> {
    void this.#host;
    void channels;
    return Promise.reject(new TypeError(`${command} on a cluster is not supported yet`));
  }

  /** A new topology: sharded subscriptions whose slot moved follow it. */
  topologyChanged(topology: Topology): void {
    void topology;
  }

  close(): void {}

  waitClosed(): Promise<void> {
    return Promise.resolve();
  }
}
