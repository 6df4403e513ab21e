/**
 * {@link createCluster}: checks the options, loads the first slot map from the seeds, and
 * resolves with a {@link RedisCluster}.
 *
 * @module
 */
import type { Address } from '../options';
import { RedisCluster } from './cluster';
import { TopologyLoader } from './loader';
import { NodePools } from './nodes';
import { type ClusterOptions, checkClusterOptions, type NodeAddress, seedAddress } from './options';

const WHERE = 'createCluster()';

/**
 * Connects to a Redis Cluster: asks the seeds for the slot map (CLUSTER SHARDS, or CLUSTER SLOTS
 * before Redis 7) and resolves once it is loaded; rejects with ClusterConnectError, naming each
 * seed's error, when none answers. Options that are not a plain object, or a key
 * {@link ClusterOptions} does not have, reject with TypeError before any socket is opened.
 *
 * ```ts
 * const cluster = await createCluster([['127.0.0.1', 7000]], { encoding: 'utf8' });
 * await cluster.set('{user:1}:name', 'Ada');
 * await cluster.mget('{user:1}:name', 'other'); // split per slot, merged in order
 * cluster.close();
 * ```
 *
 * @param startupNodes - seeds: `[host, port]` pairs or `redis://host:port` URLs (credentials and
 *   TLS go in `options`, which every node shares).
 */
export function createCluster(
  startupNodes: readonly Address[],
  options: ClusterOptions & { encoding: BufferEncoding },
): Promise<RedisCluster<string>>;
export function createCluster(
  startupNodes: readonly Address[],
  options?: ClusterOptions,
): Promise<RedisCluster<Buffer>>;
export async function createCluster(
  startupNodes: readonly Address[],
  options?: ClusterOptions,
): Promise<RedisCluster<Buffer | string>> {
  if (!Array.isArray(startupNodes) || startupNodes.length === 0) {
    throw new TypeError(`${WHERE} takes a non-empty array of seed addresses`);
  }
  const config = checkClusterOptions(WHERE, options);
  const seeds: NodeAddress[] = startupNodes.map((address) => seedAddress(address, WHERE));
  const pools = new NodePools(config);
  const holder: { cluster?: RedisCluster<Buffer | string> } = {};
  const loader = new TopologyLoader(config, pools, seeds, (topology) =>
    holder.cluster?._topologyChanged(topology),
  );
  const cluster = new RedisCluster<Buffer | string>(config, pools, loader);
  holder.cluster = cluster;
  try {
    await loader.load(); // hands the map to the cluster (the holder is set)
  } catch (err) {
    cluster.close();
    await cluster.waitClosed();
    throw err;
  }
  loader.startTimer();
  return cluster;
}

/** The aioredis 1.x-style name of {@link createCluster}. */
export const createRedisCluster = createCluster;
