/**
 * The internal symbols through which a pool, a transaction and a Link reach into a
 * RedisConnection. They live apart from connection.ts, importing nothing, so that they are
 * initialised before any class that uses them as computed member names is evaluated.
 *
 * @module
 */

/** @internal Set by a pool while it lends a connection out: disposing the connection then gives it back. */
export const kRelease: unique symbol = Symbol('redmux.release');

/** @internal How many commands the connection has sent: a pool tells a borrower's own commands by it. */
export const kSent: unique symbol = Symbol('redmux.sent');

/**
 * @internal Set by a Link that resubscribes after a loss: when the socket is lost the connection
 * keeps its Channels open and hands them over (`RedisConnection.orphans`) instead of closing
 * them with the error.
 */
export const kKeepSubscriptions: unique symbol = Symbol('redmux.keepSubscriptions');

/** @internal Set by a Link: called each time a health PING of this connection is answered. */
export const kProbeAnswered: unique symbol = Symbol('redmux.probeAnswered');

/**
 * @internal Ends the connection as a loss with `cause` (a failover moved the server elsewhere):
 * pending commands reject with ConnectionLostError (`maybeExecuted` unless never written), and a
 * Link's Channels are kept to be resubscribed, each with a gap marker.
 */
export const kAbandon: unique symbol = Symbol('redmux.abandon');
