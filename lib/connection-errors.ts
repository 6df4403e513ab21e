/**
 * What a connection refuses or fails a command with, and the messages that say why:
 * built only when a command is refused or the connection ends, never on the way of a reply.
 *
 * @module
 */
import { ConnectionClosedError, ConnectionLostError, RedisError } from './errors';

/** A command sent after the connection closed; what closed it is the cause. */
export function closedError(label: string, cause: Error): ConnectionClosedError {
  return new ConnectionClosedError(`Connection to ${label} is closed`, { cause });
}

/** The socket failed: what every pending command learns (through {@link lostError}). */
export function socketError(label: string, err: Error): ConnectionClosedError {
  return new ConnectionClosedError(`Connection to ${label} lost: ${err.message}`, { cause: err });
}

/** The server closed the socket. */
export function closedByServer(label: string): ConnectionClosedError {
  return new ConnectionClosedError(`Connection to ${label} closed by the server`);
}

/** What a command pending on a lost connection rejects with; the loss is its cause. */
export function lostError(
  error: Error,
  command: string,
  maybeExecuted: boolean,
): ConnectionLostError {
  const fate = maybeExecuted ? 'may have run' : 'was not sent';
  return new ConnectionLostError(`${command} ${fate}: ${error.message}`, maybeExecuted, {
    cause: error,
  });
}

/** A command sent after MONITOR: the connection only listens now. */
export function monitorModeError(upper: string): RedisError {
  return new RedisError(
    `${upper} cannot be sent on a MONITOR connection`,
    'REDMUX_ERR_MONITOR_MODE',
  );
}

/** A command RESP2 does not allow while subscribed. */
export function pubsubModeError(upper: string): RedisError {
  return new RedisError(
    `${upper} cannot be sent while the connection is subscribed: RESP2 then allows only ` +
      '(P|S)(UN)SUBSCRIBE, PING, QUIT and RESET. Send it from another connection (a second ' +
      'client, or a pool, which subscribes on a connection of its own), or unsubscribe first',
    'REDMUX_ERR_PUBSUB_MODE',
  );
}
