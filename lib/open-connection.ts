/**
 * Opening a {@link RedisConnection}: options resolved, socket and handshake (connect.ts), and the
 * helper source an aborted blocking command is unblocked from. Kept apart from the class so that
 * connection.ts imports nothing that imports it back: the helper source opens connections itself.
 *
 * @module
 */
import type * as net from 'node:net';
import { connect } from './connect';
import { RedisConnection } from './connection';
import {
  type Address,
  type ConnectionConfig,
  type ConnectionOptions,
  resolveConfig,
} from './options';
import type { Inbox } from './socket';
import { kHelperSource } from './unblock';

/**
 * Connects to a Redis server and returns a ready {@link RedisConnection}: authenticated, named and
 * on the requested database, all within `options.timeout` if given. Never throws synchronously;
 * every failure rejects (a TypeError, before any socket is opened, for options that are not a
 * plain object or hold a key {@link ConnectionOptions} does not have), and a connection that fails
 * half-way is closed before the promise rejects.
 *
 * @param address - `[host, port]`, `'host:port'`, a unix socket path, or a `redis://`, `rediss://`
 *   or `unix://` URL; see {@link Address}.
 * @param options - see {@link ConnectionOptions}; values in a URL win over these.
 */
export async function createConnection(
  address: Address,
  options?: ConnectionOptions,
): Promise<RedisConnection> {
  return openConnection(resolveConfig(address, options, 'createConnection()'));
}

/**
 * @internal Opens a connection from a resolved config; with `ping`, a PING is part of the
 * handshake and of its deadline (pools check each connection they open). Aborting `signal` closes
 * it while it is still connecting.
 */
export function openConnection(
  config: ConnectionConfig,
  ping = false,
  signal?: AbortSignal,
): Promise<RedisConnection> {
  if (config.locate !== undefined || config.verify !== undefined) {
    return openLocated(config, ping, signal);
  }
  const make = (socket: net.Socket, inbox: Inbox): RedisConnection => {
    const conn = new RedisConnection(socket, config, inbox);
    // Unblocking happens from a short-lived connection opened like this one, unless a pool points
    // it at its other connections. CLIENT UNBLOCK needs no db: the helper skips the SELECT.
    conn[kHelperSource] = (timeout) =>
      openConnection({ ...config, db: 0, timeout }).then((helper) => ({
        conn: helper,
        shortLived: true,
      }));
    return conn;
  };
  return connect(config, make, ping, signal);
}

/**
 * openConnection with a `locate` (the address is asked for first) or a `verify` (the connection is
 * checked after its handshake, closed when the check fails).
 */
async function openLocated(
  config: ConnectionConfig,
  ping: boolean,
  signal: AbortSignal | undefined,
): Promise<RedisConnection> {
  const { locate, verify } = config;
  const plain: ConnectionConfig = { ...config };
  delete plain.locate;
  delete plain.verify;
  if (locate !== undefined) {
    const { host, port } = await locate();
    plain.host = host;
    plain.port = port;
  }
  if (signal?.aborted) throw signal.reason;
  // The connection (and its unblock helper) stays on the located server.
  const conn = await openConnection(plain, ping, signal);
  if (verify !== undefined) {
    try {
      await verify(conn);
    } catch (err) {
      conn.close();
      await conn.waitClosed();
      throw err;
    }
  }
  return conn;
}
