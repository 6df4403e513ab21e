/**
 * Opening a pool: {@link createPool} and its option plumbing (pool, connection and reconnect
 * options checked, the address resolved), and {@link isPool}. pool.ts re-exports all three, last,
 * so the import of ConnectionsPool here never sees it undefined, whichever module loads first.
 *
 * @module
 */
import type { RedisConnection } from './connection';
import { type Address, describeAddress, resolveConfig } from './options';
import { ConnectionsPool } from './pool';
import { checkPoolOptions, type PoolOptions } from './pool-options';

/** Whether a client's target is a pool (rather than a single connection). */
export function isPool(target: RedisConnection | ConnectionsPool): target is ConnectionsPool {
  return target instanceof ConnectionsPool;
}

/**
 * Opens a pool of connections to one server and resolves once `minsize` of them answered PING,
 * each within the connect `timeout` (which also bounds every connection the pool opens later).
 * If any fails, whatever was opened is closed and the promise rejects. Options that are not a
 * plain object, or a key {@link PoolOptions} does not have, reject with TypeError before any
 * socket is opened.
 *
 * @param address - as for {@link createConnection}.
 * @param options - `minsize` (default 1), `maxsize` (default 10) and any connection option.
 */
export async function createPool(
  address: Address,
  options?: PoolOptions,
): Promise<ConnectionsPool> {
  return openPool(address, options, 'createPool()');
}

/** @internal createPool, naming `where` (`'createRedisPool()'`) in errors about the options. */
export async function openPool(
  address: Address,
  options: PoolOptions | undefined,
  where: string,
): Promise<ConnectionsPool> {
  const { minsize, maxsize, connection, reconnecting } = checkPoolOptions(where, options);
  const config = resolveConfig(address, connection, where);
  const { backoff } = reconnecting;
  const link =
    backoff === undefined
      ? undefined
      : { ...reconnecting, backoff, label: describeAddress(config), retrier: 'any' as const };
  const pool = new ConnectionsPool(config, minsize, maxsize, link);
  try {
    await pool._fill();
  } catch (err) {
    pool.close();
    await pool.waitClosed();
    throw err;
  }
  return pool;
}
