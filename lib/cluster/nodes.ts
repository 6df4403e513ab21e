/**
 * The cluster's connections: one {@link ConnectionsPool} per node (`host:port` after the address
 * map), opened when a command first goes there, without `reconnect`: a node that drops is not
 * redialled by its pool in a loop but asked again only while the topology still lists it, and a
 * node the topology no longer lists has its pool closed (research/cluster.md, node-redis #2141).
 *
 * @module
 */
import createDebug from 'debug';
import { ConnectionsPool } from '../pool';
import { type ClusterConfig, type NodeAddress, nodeConfig } from './options';

const debug = createDebug('redmux:cluster');

/** `host:port`, the key of a node everywhere in the cluster code. */
export function nodeKey(host: string, port: number): string {
  return `${host}:${port}`;
}

/** Every node's pool, by `host:port`. */
export class NodePools {
  readonly #config: ClusterConfig;
  readonly #pools = new Map<string, ConnectionsPool>();
  #closed = false;

  constructor(config: ClusterConfig) {
    this.#config = config;
  }

  /**
   * The pool of the node at `address`, opened now if there is none (its first connection opens
   * in the background; commands wait for it). Throws TypeError when `nodeOptions` returns bad options.
   */
  get(address: NodeAddress & { readonly key?: string }): ConnectionsPool {
    const key = address.key ?? nodeKey(address.host, address.port);
    const found = this.#pools.get(key);
    if (found !== undefined && !found.closed) return found;
    const config = nodeConfig(this.#config, address);
    if (this.#config.readFrom !== 'master') config.readonly = true;
    // Commands for this node mostly come from replies read on other nodes' sockets: write them once
    // per event-loop turn, after every socket was read, not once per reply callback.
    config.writeAfterIo = true;
    const pool = new ConnectionsPool(config, 1, this.#config.maxConnectionsPerNode);
    if (this.#closed) pool.close();
    this.#pools.set(key, pool);
    debug('%s: pool opened', key);
    pool._fill().catch((err: Error) => debug('%s: first connection failed: %s', key, err.message));
    return pool;
  }

  /** The pool of `key` when one is open, without opening one. */
  peek(key: string): ConnectionsPool | undefined {
    const pool = this.#pools.get(key);
    return pool === undefined || pool.closed ? undefined : pool;
  }

  /** Every open pool, by node key. */
  entries(): Array<[string, ConnectionsPool]> {
    return [...this.#pools].filter(([, pool]) => !pool.closed);
  }

  /** Closes the pools of nodes not in `keep` (the topology no longer lists them): never redialled. */
  retire(keep: ReadonlySet<string>): void {
    for (const [key, pool] of this.#pools) {
      if (keep.has(key)) continue;
      debug('%s: no longer in the topology; pool closed', key);
      this.#pools.delete(key);
      pool.close();
    }
  }

  /** Closes the pool of one node (its connection was lost); the next command opens a new one. */
  drop(key: string): void {
    const pool = this.#pools.get(key);
    if (pool === undefined) return;
    this.#pools.delete(key);
    pool.close();
  }

  /** Closes every pool. */
  close(): void {
    this.#closed = true;
    for (const pool of this.#pools.values()) pool.close();
  }

  /** Resolves once every pool closed. */
  async waitClosed(): Promise<void> {
    await Promise.all([...this.#pools.values()].map((pool) => pool.waitClosed()));
  }
}
