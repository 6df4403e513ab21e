/**
 * Everything a connection does before it is ready: the socket (TCP, unix or TLS) and the handshake
 * (AUTH, CLIENT SETNAME, SELECT, a cluster replica's READONLY, and a pool's PING), all under one connect deadline, so a server
 * that accepts and never answers costs at most `timeout` milliseconds and leaves no socket behind.
 *
 * @module
 */
import type * as net from 'node:net';
import createDebug from 'debug';
import { TimeoutError } from './errors';
import { type ConnectionConfig, describeAddress } from './options';
import { Inbox, openSocket } from './socket';

const debug = createDebug('redmux:connection');

/** What the handshake needs of a connection (RedisConnection, without importing it). */
export interface Handshaking {
  executeWith(
    options: { timeout?: number },
    command: string,
    ...args: Array<string | number>
  ): Promise<unknown>;
  close(): void;
  waitClosed(): Promise<void>;
}

/**
 * Opens the socket, wraps it with `make`, and runs the handshake; resolves once the connection is
 * ready. With `ping`, a PING is part of the handshake (a pool checks every connection it opens).
 * When `signal` aborts (a pool closing), the socket is closed and the promise rejects with its reason.
 * On any failure the connection is closed before the promise rejects; past `config.timeout`, with
 * a TimeoutError that names the address and the timeout (never a credential).
 */
export async function connect<C extends Handshaking>(
  config: ConnectionConfig,
  make: (socket: net.Socket, inbox: Inbox) => C,
  ping = false,
  signal?: AbortSignal,
): Promise<C> {
  if (signal?.aborted) throw signal.reason;
  const label = describeAddress(config);
  const deadline = config.timeout === undefined ? undefined : Date.now() + config.timeout;
  const inbox = new Inbox();
  // openSocket arms the same deadline for the socket and the TLS handshake.
  const socket = await openSocket(config, inbox, signal);
  const connection = make(socket, inbox);
  const abort = (): void => connection.close();
  signal?.addEventListener('abort', abort, { once: true });
  try {
    // Each step gets what is left of the connect deadline, so the whole handshake fits in it. The
    // client-wide commandTimeout is for commands, not the handshake: without a connect timeout,
    // the steps wait (Infinity).
    const within = (): { timeout: number } => ({
      timeout: deadline === undefined ? Infinity : Math.max(1, deadline - Date.now()),
    });
    const steps: Array<Promise<unknown>> = [];
    if (config.password !== undefined) {
      debug('%s: AUTH%s', label, config.username === undefined ? '' : ` as ${config.username}`);
      const credentials =
        config.username === undefined ? [config.password] : [config.username, config.password];
      steps.push(connection.executeWith(within(), 'AUTH', ...credentials));
    }
    if (config.name !== undefined) {
      steps.push(connection.executeWith(within(), 'CLIENT SETNAME', config.name));
    }
    if (config.db !== 0) steps.push(connection.executeWith(within(), 'SELECT', config.db));
    if (config.readonly === true) steps.push(connection.executeWith(within(), 'READONLY'));
    if (ping) steps.push(connection.executeWith(within(), 'PING'));
    // Sent together: a failed AUTH makes the later steps fail too, and Promise.all reports the first.
    await Promise.all(steps);
  } catch (err) {
    connection.close();
    await connection.waitClosed();
    if (signal?.aborted) throw signal.reason;
    throw err instanceof TimeoutError && deadline !== undefined
      ? new TimeoutError(`Connecting to ${label} timed out after ${config.timeout} ms`)
      : err;
  } finally {
    signal?.removeEventListener('abort', abort);
  }
  debug('%s: connected', label);
  return connection;
}
