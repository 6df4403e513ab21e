/**
 * How a pool opens its connections: on its current database and checked with PING, all within the
 * connect timeout; and where an aborted blocking command of the pool is unblocked from.
 *
 * @module
 */
import { kAbandon, type RedisConnection } from './connection';
import { openConnection } from './open-connection';
import type { ConnectionConfig } from './options';
import type { Helper } from './unblock';

/**
 * Opens a connection like the pool's on database `db()` (read again once it is open, since
 * select() may have run meanwhile) and checks it with PING, all within the connect timeout.
 * Aborting `signal` closes it while connecting; a failure half-way closes it.
 */
export async function openPoolConnection(
  config: ConnectionConfig,
  db: () => number,
  signal: AbortSignal,
): Promise<RedisConnection> {
  const started = Date.now();
  const conn = await openConnection({ ...config, db: db() }, true, signal);
  try {
    const now = db();
    if (conn.db !== now) {
      const { timeout } = config;
      const left = {
        timeout: timeout === undefined ? Infinity : Math.max(1, started + timeout - Date.now()),
      };
      await conn.executeWith(left, 'SELECT', now);
    }
  } catch (err) {
    conn.close();
    throw err;
  }
  return conn;
}

/**
 * Where an aborted blocking command of a pool is unblocked from: the least loaded of the pool's
 * `free` connections other than the blocked one (lent out, as a rule; free when the caller took it
 * from getConnection), else a short-lived one opened like the pool's, outside `maxsize`, closed
 * once done.
 */
export async function poolUnblockHelper(
  free: readonly RedisConnection[],
  blocked: object,
  config: ConnectionConfig,
  timeout: number,
  signal: AbortSignal,
): Promise<Helper> {
  let sibling: RedisConnection | undefined;
  for (const conn of free) {
    if (conn === blocked || conn.closed) continue;
    if (sibling === undefined || conn.inFlight < sibling.inFlight) sibling = conn;
  }
  if (sibling !== undefined) return { conn: sibling, shortLived: false };
  const conn = await openConnection({ ...config, db: 0, timeout }, false, signal);
  return { conn, shortLived: true };
}

/**
 * Retires connections (see ConnectionsPool._retire): each closes at once when nothing is pending
 * on it, else when its pending commands settled, or after `drainMs` as a loss with `cause`.
 */
export function retire(conns: readonly RedisConnection[], cause: Error, drainMs: number): void {
  for (const conn of conns) {
    if (conn.closed) continue;
    if (conn.inFlight === 0) {
      conn.close();
      continue;
    }
    const deadline = performance.now() + drainMs;
    const timer = setInterval(
      () => {
        if (conn.closed) clearInterval(timer);
        else if (conn.inFlight === 0) {
          clearInterval(timer);
          conn.close();
        } else if (performance.now() >= deadline) {
          clearInterval(timer);
          conn[kAbandon](cause);
        }
      },
      Math.max(1, Math.min(10, drainMs)),
    );
  }
}
