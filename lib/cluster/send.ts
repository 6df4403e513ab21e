/**
 * Small pieces of how the cluster client sends: ASKING and its command as one adjacent pair, what
 * a command rejects with once it stops retrying, and the topology event.
 *
 * @module
 */
import diagnostics from 'node:diagnostics_channel';
import type { ExecuteOptions, RedisConnection } from '../connection';
import { RedisError, ReplyError } from '../errors';
import type { ConnectionsPool } from '../pool';
import type { Arg } from '../protocol/encoder';
import { ClusterDownError } from './cluster-errors';
import { KEYLESS } from './route';

/**
 * What a cluster client publishes on the `node:diagnostics_channel` channel
 * `redmux:cluster:topology` each time it accepts a slot map (a failover or migration is never silent).
 */
export interface TopologyEvent {
  /** False when the reload found the same map as before. */
  changed: boolean;
  /** The masters' addresses (`host:port`). */
  masters: string[];
  /** How many of the 16,384 slots have a master. */
  covered: number;
}

export const onTopology = diagnostics.channel('redmux:cluster:topology');

/** What a command that kept meeting CLUSTERDOWN rejects with once the wait is over. */
export function giveUp(err: Error, slot: number): Error {
  if (slot === KEYLESS || !(err instanceof ReplyError) || err.code !== 'CLUSTERDOWN') return err;
  return new ClusterDownError(slot, `Slot ${slot}: ${err.message}`, { cause: err });
}

export function closedError(): RedisError {
  return new RedisError('The cluster client is closed', 'REDMUX_ERR_CLUSTER_CLOSED');
}

/**
 * ASKING and the command written as one adjacent pair on one connection of `pool`: ASKING holds
 * for the next command only, and on a multiplexed connection no other caller's command may land
 * between the two (both are queued in the same turn).
 */
export function asking<T>(
  pool: ConnectionsPool,
  options: ExecuteOptions | undefined,
  command: string,
  args: Arg[],
): Promise<T> {
  const pair = (conn: RedisConnection): Promise<T> => {
    conn.execute('ASKING').catch(() => undefined);
    return options === undefined
      ? conn.execute<T>(command, ...args)
      : conn.executeWith<T>(options, command, ...args);
  };
  const [conn] = pool.getConnection(command, args);
  if (conn !== null) return pair(conn);
  return pool.acquire({ timeout: options?.timeout, signal: options?.signal }).then(async (own) => {
    try {
      return await pair(own);
    } finally {
      await pool.release(own);
    }
  });
}

/** A batch's connection per node pool: its commands for one node go on one connection, in order. */
export type Lanes = Map<ConnectionsPool, RedisConnection>;

/**
 * Sends on the connection `lanes` holds for `pool`, taking the pool's least loaded one on the
 * batch's first command for that node; through the pool itself when it has none to share (a
 * blocking command, every connection lent out).
 */
export function inLane<T>(
  lanes: Lanes,
  pool: ConnectionsPool,
  options: ExecuteOptions | undefined,
  command: string,
  args: Arg[],
): Promise<T> {
  let conn = lanes.get(pool);
  if (conn === undefined || conn.closed) {
    const [free] = pool.getConnection(command, args);
    if (free === null) {
      return options === undefined
        ? pool.execute<T>(command, ...args)
        : pool.executeWith<T>(options, command, ...args);
    }
    conn = free;
    lanes.set(pool, conn);
  }
  return options === undefined
    ? conn.execute<T>(command, ...args)
    : conn.executeWith<T>(options, command, ...args);
}
