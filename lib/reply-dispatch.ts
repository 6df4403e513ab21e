/**
 * Where a reply is matched to its command: each reply the reader produces goes to the pub/sub
 * routing, to a MONITOR listener, or to the oldest pending slot of the connection's FIFO, which it
 * settles (and whatever that command changes, such as the db after SELECT, follows).
 *
 * The connection owns one {@link ReplySession} and calls {@link dispatchReply} once per reply: a
 * plain function over explicit state, as cheap as a private method. When the connection closes,
 * {@link rejectPending} settles what is left.
 *
 * @module
 */
import type Denque from 'denque';
import { onPubsub } from './confirmations';
import { lostError } from './connection-errors';
import { ConnectionClosedError, MaxClientsError, ReplyError, WatchVariableError } from './errors';
import { decoded, describeReply, execResults, Kind, type Pending, type SentState } from './pending';
import { PushReply, type Reply } from './protocol/reader';
import { Subscriptions } from './subscriptions';

/** What the reply side of one connection reads and changes; the connection holds one. */
export class ReplySession {
  /** The database index the server confirmed last. */
  db = 0;
  /** Whether HELLO switched the connection to RESP3, where any command may be sent while subscribed. */
  resp3 = false;
  /** After MONITOR: where the monitored lines go (set once the server said OK). */
  monitor: ((line: string) => void) | null = null;
  /** The encoding the reader decoded the last reply with (null: Buffers, or a reader that does not decode). */
  decodedWith: BufferEncoding | null = null;

  constructor(
    /** The connection's FIFO of commands sent and not answered yet. */
    readonly pending: Denque<Pending>,
    /** The transaction, WATCH and subscriptions as of the commands sent so far. */
    readonly state: SentState,
    readonly subscriptions: Subscriptions,
    /** Closes the connection with this error (a refused client, a reply that answers nothing). */
    readonly fail: (error: Error) => void,
  ) {}
}

/**
 * Routes one reply. Throws when it cannot be placed (the connection then closes rather than let
 * its FIFO be silently misaligned).
 */
export function dispatchReply(session: ReplySession, reply: Reply): void {
  // Monitored lines are simple strings that answer no command.
  if (session.monitor !== null && typeof reply === 'string') return session.monitor(reply);
  const isPush = reply instanceof PushReply;
  if (isPush || (!session.resp3 && Array.isArray(reply) && arraysMayBePubsub(session))) {
    // Messages and confirmations (RESP3 pushes; RESP2 arrays while subscribed) answer no command
    // in the FIFO, or several replies answer one; anything else, such as PING's, is ordinary.
    const kind = Subscriptions.kindOf(reply as Reply[]);
    if (kind !== null) {
      return onPubsub(
        session.subscriptions,
        session.pending,
        session.state,
        kind,
        reply as Reply[],
      );
    }
    if (isPush) return; // other pushes (client tracking…) have no reader yet
  }
  const slot = session.pending.shift();
  if (slot === undefined) {
    // A server refusing a new client (max clients) says so before any command is sent.
    if (reply instanceof ReplyError) {
      return session.fail(new ConnectionClosedError(reply.message, { cause: reply }));
    }
    throw new Error('a reply arrived with no command waiting for it');
  }
  settle(session, slot, reply);
}

/**
 * Whether the server may be sending RESP2 pub/sub arrays at this point of the stream: once it
 * confirmed a subscription, or when the next reply is a confirmation. Not merely because a
 * SUBSCRIBE was sent: replies to commands sent before it still come first, whatever their shape.
 */
function arraysMayBePubsub(session: ReplySession): boolean {
  return session.subscriptions.count > 0 || session.pending.peekFront()?.kind === Kind.Pubsub;
}

function settle(session: ReplySession, slot: Pending, reply: Reply): void {
  const special = slot.special;
  if (special !== null) {
    special.cleanup?.();
    if (special.kind === Kind.Pubsub) session.state.pubsubPending--;
  }
  if (reply instanceof ReplyError) {
    reply.command = slot.command;
    slot.reject(reply);
    // A refused MULTI started nothing: what follows it runs at once, and EXEC will be refused.
    if (special?.kind === Kind.Multi && session.state.transaction === special.items) {
      session.state.transaction = null;
    }
    if (reply instanceof MaxClientsError)
      session.fail(new ConnectionClosedError(reply.message, { cause: reply }));
    return;
  }
  if (special === null) return slot.resolve(decoded(slot, reply, session.decodedWith) as never);
  let value: Reply = reply;
  switch (special.kind) {
    case Kind.Plain:
      value = decoded(slot, reply, session.decodedWith);
      break;
    case Kind.Queued:
      special.state = 1;
      break;
    case Kind.Select:
      if (reply === 'OK') session.db = special.db;
      break;
    case Kind.Reset:
      session.db = 0;
      session.resp3 = false;
      session.subscriptions.closeAll();
      break;
    case Kind.Hello:
      if (special.state === 2 || special.state === 3) session.resp3 = special.state === 3;
      value = decoded(slot, reply, session.decodedWith);
      break;
    case Kind.Exec:
      if (reply === null) return slot.reject(new WatchVariableError());
      value = execResults(special.items as Pending[], reply as Reply[], (db) => (session.db = db));
      break;
    case Kind.Pubsub:
      throw new Error(`${slot.command} got ${describeReply(reply)} instead of a confirmation`);
  }
  slot.resolve(value as never);
}

/**
 * Rejects every pending command of a closing connection with `error`; when the socket was `lost`,
 * each with a ConnectionLostError that tells its fate: `maybeExecuted` unless it is one of the
 * `unwritten` newest, which never reached the socket.
 */
export function rejectPending(
  pending: Denque<Pending>,
  error: Error,
  lost: boolean,
  unwritten: number,
): void {
  let written = pending.length - unwritten;
  for (let slot = pending.shift(); slot !== undefined; slot = pending.shift()) {
    slot.special?.cleanup?.();
    slot.reject(lost ? lostError(error, slot.command, written-- > 0) : error);
  }
}
