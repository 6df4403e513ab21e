/**
 * Every error redmux produces. Each class has a fixed `name` and a stable string `code`: match on
 * `code` (or `instanceof`), never on `message`, which may be reworded.
 *
 * ```
 * RedisError
 *  ├ ProtocolError            fatal: the connection is closed
 *  ├ ReplyError               a server error reply; fails one command only
 *  │   ├ MaxClientsError, AuthError, ReadOnlyError, BusyGroupError, NoScriptError,
 *  │   └ ExecAbortError, NoPermError, LoadingError, BusyError
 *  ├ PipelineError            .errors / .replies
 *  │   └ MultiExecError
 *  │       └ WatchVariableError
 *  ├ ChannelClosedError
 *  ├ ConnectionClosedError
 *  │   └ ConnectionForcedCloseError   (close() was called)
 *  ├ PoolClosedError
 *  └ TimeoutError             (connect, command or acquire deadline passed)
 * ```
 *
 * @module
 */

/** The base of every error redmux produces. */
export class RedisError extends Error {
  /** A stable identifier of the failure; unlike `message`, it never changes between releases. */
  readonly code: string;

  constructor(message: string, code = 'REDMUX_ERR', options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }

  /** The class's name (`'RedisError'`, `'ReplyError'`…), fixed even in minified code. */
  override get name(): string {
    return 'RedisError';
  }
}

/**
 * The byte stream from the server could not be parsed. Fatal: the connection that saw it is closed
 * and every pending command rejects with this error.
 */
export class ProtocolError extends RedisError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'REDMUX_ERR_PROTOCOL', options);
  }

  override get name(): string {
    return 'ProtocolError';
  }
}

/**
 * An error reply from the server (`-ERR …`, `-WRONGTYPE …`). It fails the one command it answers;
 * the connection stays usable. `code` is the reply's first word (`ERR`, `WRONGTYPE`, `NOAUTH`…);
 * {@link replyError} picks the subclass by that prefix.
 */
export class ReplyError extends RedisError {
  /** The command this reply answered, when known (its name only, never its arguments). */
  command?: string;

  constructor(message: string, code = replyPrefix(message)) {
    super(message, code);
  }

  override get name(): string {
    return 'ReplyError';
  }
}

/** `ERR max number of clients reached`. The connection that received it is closed. */
export class MaxClientsError extends ReplyError {
  override get name(): string {
    return 'MaxClientsError';
  }
}

/** Authentication failed or is required (`NOAUTH`, `WRONGPASS`, `ERR invalid password`…). */
export class AuthError extends ReplyError {
  override get name(): string {
    return 'AuthError';
  }
}

/** A write was sent to a read-only replica (`READONLY`). */
export class ReadOnlyError extends ReplyError {
  override get name(): string {
    return 'ReadOnlyError';
  }
}

/** XGROUP CREATE for a group that already exists (`BUSYGROUP`). */
export class BusyGroupError extends ReplyError {
  override get name(): string {
    return 'BusyGroupError';
  }
}

/** EVALSHA of a script the server does not have (`NOSCRIPT`). */
export class NoScriptError extends ReplyError {
  override get name(): string {
    return 'NoScriptError';
  }
}

/** EXEC of a transaction in which a command failed to queue (`EXECABORT`). */
export class ExecAbortError extends ReplyError {
  override get name(): string {
    return 'ExecAbortError';
  }
}

/** The ACL user may not run this command or touch this key (`NOPERM`). */
export class NoPermError extends ReplyError {
  override get name(): string {
    return 'NoPermError';
  }
}

/** The server is still loading its dataset (`LOADING`). */
export class LoadingError extends ReplyError {
  override get name(): string {
    return 'LoadingError';
  }
}

/** A script or function is running (`BUSY`). */
export class BusyError extends ReplyError {
  override get name(): string {
    return 'BusyError';
  }
}

const REPLY_ERROR_CLASSES: ReadonlyMap<string, typeof ReplyError> = new Map([
  ['NOAUTH', AuthError],
  ['WRONGPASS', AuthError],
  ['READONLY', ReadOnlyError],
  ['BUSYGROUP', BusyGroupError],
  ['NOSCRIPT', NoScriptError],
  ['EXECABORT', ExecAbortError],
  ['NOPERM', NoPermError],
  ['LOADING', LoadingError],
  ['BUSY', BusyError],
]);

/** `ERR` replies whose text, not their prefix, says what failed. */
const ERR_MESSAGE_CLASSES: ReadonlyArray<[RegExp, typeof ReplyError]> = [
  [/^ERR max number of clients reached/, MaxClientsError],
  [/^ERR (invalid password|invalid username-password pair|AUTH |Client sent AUTH)/, AuthError],
];

function replyPrefix(message: string): string {
  const space = message.indexOf(' ');
  return space === -1 ? message : message.slice(0, space);
}

/** Builds the {@link ReplyError} subclass that matches an error reply's text. */
export function replyError(message: string): ReplyError {
  const code = replyPrefix(message);
  let Class = REPLY_ERROR_CLASSES.get(code);
  if (Class === undefined && code === 'ERR') {
    Class = ERR_MESSAGE_CLASSES.find(([pattern]) => pattern.test(message))?.[1];
  }
  return new (Class ?? ReplyError)(message, code);
}

/**
 * Some commands of a pipeline failed. `errors` holds each failure, `replies` every reply in order
 * (failures in place).
 */
export class PipelineError extends RedisError {
  /** Each command's failure, in command order (empty for {@link WatchVariableError}). */
  readonly errors: Error[];
  /** Every command's reply in command order, the failures in place as Error objects. */
  readonly replies: unknown[];

  constructor(message: string, errors: Error[], replies: unknown[], code = 'REDMUX_ERR_PIPELINE') {
    super(message, code);
    this.errors = errors;
    this.replies = replies;
  }

  override get name(): string {
    return 'PipelineError';
  }
}

/** A MULTI/EXEC transaction failed. */
export class MultiExecError extends PipelineError {
  constructor(
    message: string,
    errors: Error[],
    replies: unknown[],
    code = 'REDMUX_ERR_MULTI_EXEC',
  ) {
    super(message, errors, replies, code);
  }

  override get name(): string {
    return 'MultiExecError';
  }
}

/** EXEC returned nil: a WATCHed key changed, so the transaction was not run. */
export class WatchVariableError extends MultiExecError {
  constructor(message = 'WATCH variable has changed: the transaction was not executed') {
    super(message, [], [], 'REDMUX_ERR_WATCH_VARIABLE');
  }

  override get name(): string {
    return 'WatchVariableError';
  }
}

/** A pub/sub channel was closed (unsubscribed) and has no messages left. */
export class ChannelClosedError extends RedisError {
  constructor(message = 'Channel is closed', options?: ErrorOptions) {
    super(message, 'REDMUX_ERR_CHANNEL_CLOSED', options);
  }

  override get name(): string {
    return 'ChannelClosedError';
  }
}

/** The connection was lost (server EOF, socket error) or is already closed. */
export class ConnectionClosedError extends RedisError {
  constructor(
    message = 'Connection closed',
    options?: ErrorOptions,
    code = 'REDMUX_ERR_CONNECTION_CLOSED',
  ) {
    super(message, code, options);
  }

  override get name(): string {
    return 'ConnectionClosedError';
  }
}

/**
 * A connection was lost while this command was in flight (DESIGN.md, "Round 2"). `maybeExecuted`
 * tells its fate: `true` when the command had been written and may have run (it is never sent
 * again without the call's `retryOnLoss`), `false` when it never reached a socket. `cause` is what
 * ended the connection.
 */
export class ConnectionLostError extends ConnectionClosedError {
  /** Whether the server may have run the command. */
  readonly maybeExecuted: boolean;

  constructor(message: string, maybeExecuted: boolean, options?: ErrorOptions) {
    super(message, options, 'REDMUX_ERR_CONNECTION_LOST');
    this.maybeExecuted = maybeExecuted;
  }

  override get name(): string {
    return 'ConnectionLostError';
  }
}

/**
 * A queue is full (`maxQueued` or `maxQueuedBytes`): a command waiting for a reconnect, which was
 * not sent; or a pub/sub Channel's or Receiver's queue, which dropped messages because its consumer
 * is too slow (the `cause` of their gap marker, or what a read rejects with under `overflow: 'error'`).
 */
export class QueueFullError extends RedisError {
  /** Never sent, so never run. */
  readonly maybeExecuted = false;

  constructor(message = 'The offline queue is full', options?: ErrorOptions) {
    super(message, 'REDMUX_ERR_QUEUE_FULL', options);
  }

  override get name(): string {
    return 'QueueFullError';
  }
}

/**
 * A gap marker: messages of a subscription may have been lost, because its connection was down
 * (then resubscribed) or because its consumer was too slow and the queue dropped the oldest
 * messages. A Channel or Receiver with `gaps: 'marker'` yields it in order with its messages; tell
 * it apart with `isGap()`.
 */
export interface SubscriptionGap {
  /** Always `'gap'`; `isGap()` tells a marker from a message. */
  readonly kind: 'gap';
  /** The channels and patterns whose messages may have been lost. */
  readonly channels: readonly string[];
  /**
   * When the connection was last known good (or the queue dropped its first message), in
   * milliseconds since the Unix epoch.
   */
  readonly lostAt: number;
  /**
   * When the server confirmed the subscriptions again (or the queue dropped its last message), in
   * milliseconds since the Unix epoch.
   */
  readonly resumedAt: number;
  /** What ended the connection, or a {@link QueueFullError} when a full queue dropped messages. */
  readonly cause: Error;
  /**
   * How many connections the client had made once the subscription resumed (1 for the first). A
   * gap of a full queue has the epoch of the last loss its queue saw, 0 when it saw none.
   */
  readonly epoch: number;
}

/**
 * Messages of a subscription may have been lost (pub/sub cannot be replayed; Streams can). What
 * the read of a Channel or Receiver made with `gaps: 'throw'` rejects with where a gap marker
 * would be; the Channel stays usable and the next read gets the next message.
 */
export class SubscriptionGapError extends RedisError {
  /** What was lost; see {@link SubscriptionGap}. */
  readonly gap: SubscriptionGap;

  constructor(gap: SubscriptionGap) {
    super(
      `Messages of ${gap.channels.length} subscription(s) may have been lost during ` +
        `${gap.resumedAt - gap.lostAt} ms`,
      'REDMUX_ERR_SUBSCRIPTION_GAP',
      { cause: gap.cause },
    );
    this.gap = gap;
  }

  override get name(): string {
    return 'SubscriptionGapError';
  }
}

/** The connection was closed by a call to `close()`. */
export class ConnectionForcedCloseError extends ConnectionClosedError {
  constructor(message = 'Connection closed by close()', options?: ErrorOptions) {
    super(message, options, 'REDMUX_ERR_CONNECTION_FORCED_CLOSE');
  }

  override get name(): string {
    return 'ConnectionForcedCloseError';
  }
}

/** The pool was closed. */
export class PoolClosedError extends RedisError {
  constructor(message = 'Pool is closed', options?: ErrorOptions) {
    super(message, 'REDMUX_ERR_POOL_CLOSED', options);
  }

  override get name(): string {
    return 'PoolClosedError';
  }
}

/** A deadline passed: connecting, a command's `timeout`, or a pool `acquire`. */
export class TimeoutError extends RedisError {
  /**
   * `false` when the command timed out before it was sent (it waited for a reconnect), so it did
   * not run; undefined when that is not known (a written command may still run).
   */
  readonly maybeExecuted: boolean | undefined;

  constructor(message = 'Timed out', options?: ErrorOptions & { maybeExecuted?: boolean }) {
    super(message, 'REDMUX_ERR_TIMEOUT', options);
    this.maybeExecuted = options?.maybeExecuted;
  }

  override get name(): string {
    return 'TimeoutError';
  }
}
