/**
 * One command's place in a connection's FIFO (its {@link Pending} slot, and what a few commands
 * need beyond it), the per-command options that arm its deadline, and the decoding of its reply.
 *
 * @module
 */
import { armDeadline } from './deadline';
import { ProtocolError, ReplyError } from './errors';
import type { Reply } from './protocol/reader';
import type { Channel } from './pubsub';
import { optionsError } from './strict';
import { PUBSUB_COMMANDS, type PubsubReply } from './subscriptions';

/** Per-command options of {@link RedisConnection.executeWith}. */
export interface ExecuteOptions {
  /** Decode bulk replies with this encoding; `null` returns Buffers. Default: the connection's. */
  encoding?: BufferEncoding | null;
  /**
   * Rejects the command when aborted; its reply is still read and dropped. A written blocking
   * command (BLPOP…, XREAD BLOCK, WAIT) is unblocked instead (CLIENT UNBLOCK from another
   * connection) and settles with its own reply: nil rejects with the signal's reason, an element
   * it popped meanwhile resolves, so nothing is lost.
   */
  signal?: AbortSignal;
  /**
   * Rejects the command with TimeoutError after this many milliseconds; its reply is still read
   * and dropped (a blocking command is unblocked, as with `signal`). A number greater than 0;
   * `Infinity` means no deadline, not even the client's. Default: the client's `commandTimeout`
   * (none unless set; never for blocking commands).
   */
  timeout?: number;
}

/** The keys of {@link ExecuteOptions}; one entry per key, or this does not compile. */
const EXECUTE_OPTION_KEYS: Readonly<Record<keyof ExecuteOptions, true>> = {
  encoding: true,
  signal: true,
  timeout: true,
};
const EXECUTE_KEYS: ReadonlySet<string> = new Set(Object.keys(EXECUTE_OPTION_KEYS));

/**
 * @internal Why `options` cannot be a command's {@link ExecuteOptions}, or undefined when it can:
 * not a plain object, an unknown key, an unknown encoding, a timeout that is not a positive number
 * (Infinity included), a signal that is not an AbortSignal. `where` names the call, `'executeWith()'`.
 */
export function executeOptionsError(where: string, options: unknown): Error | undefined {
  if (options === undefined) return new TypeError(`${where} takes an options object first`);
  if (typeof options === 'object' && options !== null && 'retryOnLoss' in options) {
    // A connection is one-shot: it has nowhere to send the command again.
    return new TypeError(
      `${where} option 'retryOnLoss' needs a client that reconnects: createRedis(…, { reconnect: true })`,
    );
  }
  const refusal = optionsError(where, options, EXECUTE_KEYS);
  if (refusal !== undefined) return refusal;
  const { encoding, signal, timeout } = options as ExecuteOptions;
  if (encoding != null && !Buffer.isEncoding(encoding)) {
    return new TypeError(
      `${where} option 'encoding' must be a Buffer encoding such as 'utf8', or null`,
    );
  }
  if (timeout !== undefined && !(typeof timeout === 'number' && timeout > 0)) {
    return new RangeError(
      `${where} option 'timeout' must be a positive number of milliseconds (Infinity: none)`,
    );
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    return new TypeError(`${where} option 'signal' must be an AbortSignal`);
  }
  return undefined;
}

/** What a slot does with its reply beyond handing it over. */
export const enum Kind {
  Plain,
  /** MULTI: a refusal means no transaction started after all. */
  Multi,
  /** A command sent between MULTI and EXEC: its reply is QUEUED; its real result comes in EXEC. */
  Queued,
  Exec,
  Select,
  Pubsub,
  /** RESET: the server drops the transaction, the subscriptions and the db, and speaks RESP2. */
  Reset,
  /** HELLO: may switch the protocol (`state`: the version asked for, 0 for none). */
  Hello,
}

/**
 * One command waiting for its reply. Settled early (timeout, abort) it stays in the FIFO, because
 * the server will still answer it: dropping the slot would hand that reply to the next command.
 * Settling it again when the reply comes does nothing (a promise settles once).
 *
 * Kept small, because a million of them may be in flight: what only some commands need lives in
 * {@link Special}.
 */
export class Pending {
  resolve!: (value: never) => void;
  reject!: (error: Error) => void;
  /** Null for a plain command without timeout or signal: the common case. */
  special: Special | null = null;

  constructor(
    readonly command: string,
    readonly encoding: BufferEncoding | null,
  ) {}

  get kind(): Kind {
    return this.special === null ? Kind.Plain : this.special.kind;
  }

  /** This slot's {@link Special}, made on first use. */
  more(): Special {
    return (this.special ??= {
      kind: Kind.Plain,
      state: 0,
      db: -1,
      items: null,
      channels: null,
      cleanup: null,
    });
  }
}

/** What a slot needs beyond its promise when the command changes state or can be cancelled. */
export interface Special {
  kind: Kind;
  /** Queued: 1 once the server answered QUEUED. Pubsub: confirmations expected (-1: one per subscribed channel). Hello: the protocol asked for. */
  state: number;
  /** SELECT (plain or queued): the database asked for. */
  db: number;
  /** Multi and Exec: the commands of the transaction. Pubsub: the confirmations collected so far. */
  items: Pending[] | PubsubReply[] | null;
  /** Pubsub: the Channel objects the caller passed, by name. */
  channels: Map<string, Channel> | null;
  /** Disarms the timeout and the abort signal. */
  cleanup: (() => void) | null;
}

/** The reply in the slot's encoding, when the reader did not already decode it with that one. */
export function decoded(slot: Pending, reply: Reply, decodedWith: BufferEncoding | null): Reply {
  if (slot.encoding === null || slot.encoding === decodedWith) return reply;
  return decodeReply(reply, slot.encoding);
}

/** Wires a command's timeout (ms; Infinity: none) and abort signal to settle its slot early. */
export function armSlot(
  slot: Pending,
  ms: number | undefined,
  signal: AbortSignal | undefined,
): void {
  const timeout = ms === Infinity ? undefined : ms; // the call opted out of any deadline
  if (timeout === undefined && signal === undefined) return;
  const message = `${slot.command} timed out after ${timeout} ms`;
  slot.more().cleanup = armDeadline(timeout, signal, message, (error) => slot.reject(error));
}

/** Decodes every bulk string in a reply with `encoding` (for parsers that do not decode themselves, and EXEC items). */
export function decodeReply(reply: Reply, encoding: BufferEncoding): Reply {
  if (Buffer.isBuffer(reply)) return reply.toString(encoding);
  if (Array.isArray(reply)) return reply.map((item) => decodeReply(item, encoding));
  if (reply instanceof Map) {
    const decoded = new Map<Reply, Reply>();
    for (const [key, value] of reply)
      decoded.set(decodeReply(key, encoding), decodeReply(value, encoding));
    return decoded;
  }
  return reply;
}

/** A reader's failure as the ProtocolError that closes the connection (a plugged-in parser may throw anything). */
export function asProtocolError(err: unknown): ProtocolError {
  if (err instanceof ProtocolError) return err;
  return new ProtocolError(`Protocol error: ${err instanceof Error ? err.message : String(err)}`, {
    cause: err,
  });
}

export function describeReply(reply: Reply): string {
  return Array.isArray(reply) ? `an array of ${reply.length}` : typeof reply;
}

/**
 * Matches the items of an EXEC reply to the commands that were queued, each decoded with its own
 * encoding; `selected` hears of each SELECT that succeeded inside the transaction, in order.
 */
export function execResults(
  queued: Pending[],
  items: Reply[],
  selected: (db: number) => void,
): Reply[] {
  // Queued slots all have their Special (made by SentState.track).
  const accepted = queued.filter((slot) => slot.special?.state === 1);
  if (accepted.length !== items.length) {
    throw new Error(`EXEC returned ${items.length} replies for ${accepted.length} queued commands`);
  }
  return items.map((item, i) => {
    const slot = accepted[i] as Pending;
    const db = slot.special?.db ?? -1;
    if (db !== -1 && item === 'OK') selected(db);
    return slot.encoding === null || item instanceof ReplyError
      ? item
      : decodeReply(item, slot.encoding);
  });
}

/** Commands after which the server no longer watches any key. */
const UNWATCHING = new Set(['EXEC', 'DISCARD', 'UNWATCH', 'RESET']);

/**
 * What the commands sent on a connection so far do to its state, as of the moment each was sent
 * (the server runs them in that order): an open transaction, WATCHed keys, subscriptions on their
 * way. Kept by the connection, which also settles what the replies change.
 */
export class SentState {
  /** Between MULTI and EXEC or DISCARD (as sent): the slots of the queued commands. */
  transaction: Pending[] | null = null;
  /** From a WATCH until the EXEC, DISCARD, UNWATCH or RESET that ends it (as sent). */
  watching = false;
  /** Pub/sub commands sent whose confirmations have not all come yet. */
  pubsubPending = 0;

  /** Records what a command changes, as of the moment it is sent, and marks its slot with what its reply must do. */
  track(slot: Pending, upper: string, args: readonly unknown[]): void {
    if (upper === 'SELECT') slot.more().db = Number(args[0]);
    if (this.watching) this.watching = !UNWATCHING.has(upper);
    else if (upper === 'WATCH' && this.transaction === null) this.watching = true;
    const transaction = this.transaction;
    if (transaction !== null) {
      if (upper === 'EXEC') {
        const special = slot.more();
        special.kind = Kind.Exec;
        special.items = transaction;
        this.transaction = null;
      } else if (upper === 'DISCARD' || upper === 'RESET') {
        if (upper === 'RESET') slot.more().kind = Kind.Reset;
        this.transaction = null;
      } else if (upper !== 'MULTI' && upper !== 'WATCH') {
        slot.more().kind = Kind.Queued;
        transaction.push(slot);
      }
      return;
    }
    switch (upper) {
      case 'MULTI': {
        const special = slot.more();
        special.kind = Kind.Multi;
        special.items = this.transaction = [];
        break;
      }
      case 'RESET':
        slot.more().kind = Kind.Reset;
        break;
      case 'HELLO': {
        const special = slot.more();
        special.kind = Kind.Hello;
        special.state = Number(args[0] ?? 0);
        break;
      }
      case 'SELECT':
        slot.more().kind = Kind.Select;
        break;
      default: {
        const spec = PUBSUB_COMMANDS.get(upper);
        if (spec !== undefined) {
          const special = slot.more();
          special.kind = Kind.Pubsub;
          special.items = [];
          // UNSUBSCRIBE with no channel: one confirmation per channel subscribed when the server gets to it.
          special.state = args.length === 0 ? -1 : args.length;
          this.pubsubPending++;
        }
      }
    }
  }
}
