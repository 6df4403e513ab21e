/**
 * One connection to one Redis server: every command is written straight away (implicit
 * pipelining) and answered through a FIFO of pending slots as the reader produces replies, which
 * reply-dispatch.ts matches to their commands.
 *
 * @module
 */
import * as net from 'node:net';
import createDebug from 'debug';
import Denque from 'denque';
import { serverWait } from './command-flags';
import {
  closedByServer,
  closedError,
  monitorModeError,
  pubsubModeError,
  socketError,
} from './connection-errors';
import { ConnectionForcedCloseError, ProtocolError } from './errors';
import { type ConnectionConfig, describeAddress } from './options';
import { Liveness, livenessSettings } from './liveness';
import { type Arg, type CommandName, commandName, encodedLength } from './protocol/encoder';
import { Reader, type ReaderLike, type Reply } from './protocol/reader';
import { dispatchReply, rejectPending, ReplySession } from './reply-dispatch';
import { type Inbox, Outbox } from './socket';
import {
  armSlot,
  asProtocolError,
  type ExecuteOptions,
  executeOptionsError,
  Kind,
  Pending,
  SentState,
} from './pending';
import type { Channel } from './pubsub';
import {
  DEFAULT_UNBLOCK_BUDGET,
  executeAbortable,
  hasDeadline,
  type HelperSource,
  kHelperSource,
} from './unblock';
import {
  type Orphans,
  parsePubsubArgs,
  type Resuming,
  PUBSUB_ALLOWED,
  type PubsubArgs,
  type PubsubReply,
  Subscriptions,
} from './subscriptions';
import {
  kAbandon,
  kKeepSubscriptions,
  kProbeAnswered,
  kRelease,
  kSent,
} from './connection-symbols';

export type { PubsubReply } from './subscriptions';
export type { ExecuteOptions } from './pending';
export { executeOptionsError } from './pending';
export {
  kAbandon,
  kKeepSubscriptions,
  kProbeAnswered,
  kRelease,
  kSent,
} from './connection-symbols';

const debug = createDebug('redmux:connection');

/** Replies settled in one go before the callers get to run; see #readReplies. */
const REPLIES_PER_TURN = 32;

/**
 * A connection to one Redis server, made by {@link createConnection}.
 *
 * ```ts
 * const conn = await createConnection(['localhost', 6379], { encoding: 'utf8' });
 * await conn.execute('SET', 'greeting', 'hello');
 * console.log(await conn.execute('GET', 'greeting')); // 'hello'
 * conn.close();
 * await conn.waitClosed();
 * ```
 */
export class RedisConnection {
  readonly #socket: net.Socket;
  readonly #reader: ReaderLike;
  /** Whether the reader decodes bulk strings itself (redmux's Reader does; a plugged-in parser may not). */
  readonly #readerDecodes: boolean;
  /** MONITOR was sent: nothing else may be, the connection only listens now. */
  #monitoring = false;
  readonly #pending = new Denque<Pending>();
  readonly #label: string;
  readonly #address: [string, number] | string;
  readonly #encoding: BufferEncoding | null;
  /** The client-wide deadline of commands sent without their own timeout; undefined: none. */
  readonly #commandTimeout: number | undefined;
  #closeError: Error | null = null;
  #pendingAtClose = 0;
  #blockAtClose: 'multi' | 'watch' | undefined;
  #closedPromise: Promise<void>;

  /** Commands of one event-loop turn, encoded together and written at once. */
  readonly #outbox: Outbox;

  /** More replies may be waiting in the reader: #readReplies runs again in a later turn. */
  #readingOn = false;
  /** #sent when the last turn was handed to the callers. */
  #sentBeforeTurn = 0;
  readonly #readOn = (): void => {
    if (this.#readingOn) {
      this.#readReplies(this.#sent === this.#sentBeforeTurn ? Infinity : REPLIES_PER_TURN);
    }
  };

  /** The transaction, WATCH and subscriptions as of the commands sent so far. */
  readonly #state = new SentState();
  #sent = 0;
  /** The slot whose promise is being created; see #executor. */
  #settling: Pending | null = null;
  readonly #executor = (resolve: (value: never) => void, reject: (error: Error) => void): void => {
    const slot = this.#settling as Pending;
    slot.resolve = resolve;
    slot.reject = reject;
  };
  readonly #subscriptions = new Subscriptions();
  /** The db, RESP3, MONITOR and decoding state that replies read and change (reply-dispatch.ts). */
  readonly #session = new ReplySession(this.#pending, this.#state, this.#subscriptions, (error) =>
    this.#fail(error),
  );
  readonly #liveness: Liveness;

  /** @internal */
  [kRelease]: (() => Promise<void>) | undefined = undefined;
  /** @internal */
  [kKeepSubscriptions] = false;
  /** @internal */
  [kProbeAnswered]: (() => void) | undefined = undefined;
  #orphans: Orphans | undefined;

  /**
   * @internal Where an aborted blocking command is unblocked from: a short-lived connection opened
   * like this one (set by openConnection), unless a pool points it at its other connections.
   */
  [kHelperSource]!: HelperSource;
  /** How long finding a helper and one CLIENT UNBLOCK may take: the connect timeout, or 5 s. */
  readonly #unblockBudget: number;

  /** @internal */
  get [kSent](): number {
    return this.#sent;
  }

  /** @internal Use {@link createConnection}. */
  constructor(socket: net.Socket, config: ConnectionConfig, inbox: Inbox) {
    this.#socket = socket;
    this.#outbox = new Outbox(socket, config.writeAfterIo === true);
    this.#reader = config.parser ? new config.parser() : new Reader();
    this.#readerDecodes = 'encoding' in this.#reader;
    this.#encoding = config.encoding;
    this.#subscriptions.encoding = config.encoding;
    this.#commandTimeout = config.commandTimeout;
    this.#label = describeAddress(config);
    this.#address = config.path ?? [
      socket.remoteAddress ?? String(config.host),
      socket.remotePort ?? Number(config.port),
    ];
    this.#closedPromise = new Promise((resolve) => socket.once('close', () => resolve()));
    this.#liveness = new Liveness(livenessSettings(config), {
      socket,
      outbox: this.#outbox,
      pending: this.#pending,
      state: this.#state,
      monitoring: () => this.#monitoring,
      answered: () => this[kProbeAnswered]?.(),
    });
    this.#unblockBudget = config.timeout ?? DEFAULT_UNBLOCK_BUDGET;
    inbox.attach((chunk) => this.#onData(chunk));
    // Replies that arrived before the end still answer their commands (see #readReplies).
    socket.on('error', (err: Error) => {
      this.#readBuffered();
      this.#fail(socketError(this.#label, err), true);
    });
    const ended = (): void => {
      this.#readBuffered();
      this.#fail(closedByServer(this.#label), true);
    };
    // The server's FIN ends the connection at once: nothing more will be read, and a command sent
    // in the moment before 'close' would be written to nobody (it must wait for the next one).
    socket.on('end', ended);
    socket.on('close', ended);
  }

  /** The server's address: `[host, port]` for TCP and TLS, the socket path for a unix socket. */
  get address(): [string, number] | string {
    return this.#address;
  }

  /** The database index currently selected. */
  get db(): number {
    return this.#session.db;
  }

  /** The connection-wide encoding of bulk replies; `null` means Buffers. */
  get encoding(): BufferEncoding | null {
    return this.#encoding;
  }

  /** True as soon as the connection is closing or closed: every later command rejects. */
  get closed(): boolean {
    return this.#closeError !== null;
  }

  /** @internal How many commands were pending (written or not) when the connection closed. */
  get pendingAtClose(): number {
    return this.#pendingAtClose;
  }

  /** @internal The block the connection was in when it closed: after a MULTI, or a WATCH. */
  get blockAtClose(): 'multi' | 'watch' | undefined {
    return this.#blockAtClose;
  }

  /**
   * @internal The subscriptions a lost connection kept open for a resubscribe (see
   * kKeepSubscriptions), with when the connection was last known good; undefined otherwise.
   */
  get orphans(): Orphans | undefined {
    return this.#orphans;
  }

  /** @internal Set while a Link resubscribes a lost connection's Channels here (see Resuming). */
  set resuming(resuming: Resuming | undefined) {
    this.#subscriptions.resuming = resuming;
  }

  /**
   * @internal Whether a health PING is out: a command sent now would wait behind it, and would be
   * "maybe executed" if the socket turns out dead. A Link holds commands back until the PONG.
   */
  get probing(): boolean {
    return this.#liveness.pinging === 1;
  }

  /** Why the connection closed (what its pending commands were rejected with); undefined while open. */
  get closeReason(): Error | undefined {
    return this.#closeError ?? undefined;
  }

  /**
   * Commands sent and not answered yet, cancelled ones included (their replies are still coming):
   * the connection's load. An internal health-check PING is not counted.
   */
  get inFlight(): number {
    return this.#pending.length - this.#liveness.pinging;
  }

  /** True from a WATCH until the EXEC, DISCARD, UNWATCH or RESET that ends it (as sent). */
  get watching(): boolean {
    return this.#state.watching;
  }

  /** True between a MULTI and its EXEC or DISCARD (as sent, not as answered). */
  get inTransaction(): boolean {
    return this.#state.transaction !== null;
  }

  /** The number of subscriptions the server reported; non-zero means the connection is in pub/sub mode. */
  get inPubsub(): number {
    return this.#subscriptions.count;
  }

  /** Subscribed channels by name. */
  get pubsubChannels(): ReadonlyMap<string, Channel> {
    return this.#subscriptions.channels;
  }

  /** Subscribed patterns by pattern. */
  get pubsubPatterns(): ReadonlyMap<string, Channel> {
    return this.#subscriptions.patterns;
  }

  /** Subscribed sharded channels (SSUBSCRIBE) by name. */
  get pubsubShardChannels(): ReadonlyMap<string, Channel> {
    return this.#subscriptions.shards;
  }

  /**
   * Sends a command and resolves with its reply: bulk strings as Buffers (or strings, with an
   * encoding), status replies as strings, integers as numbers (bigint beyond 2^53), arrays as arrays,
   * nil as null. An error reply rejects with a {@link ReplyError}. Arguments that are not strings,
   * Buffers or finite numbers reject with TypeError and nothing is sent.
   *
   * @typeParam T - the reply type the caller expects; not checked at run time.
   */
  execute<T = Reply>(command: string, ...args: Arg[]): Promise<T> {
    return this.#send(command, args, this.#encoding, undefined);
  }

  /**
   * {@link execute} with per-command options: `encoding`, `signal` and `timeout` (milliseconds).
   * Options that are not a plain object, an unknown key or a bad value reject with TypeError
   * (RangeError for the timeout) and send nothing.
   */
  executeWith<T = Reply>(options: ExecuteOptions, command: string, ...args: Arg[]): Promise<T> {
    const refusal = executeOptionsError('executeWith()', options);
    if (refusal !== undefined) return Promise.reject(refusal);
    const { encoding = this.#encoding, signal, timeout } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return this.#send(command, args, encoding, signal || timeout ? options : undefined);
  }

  /**
   * Runs a pub/sub command — SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE or their UN- forms, in any case —
   * and resolves with one `[kind, name, count]` entry per channel once the server confirmed them
   * all. Channels may be names or {@link Channel} objects; messages then arrive on the Channel
   * found in {@link pubsubChannels} / {@link pubsubPatterns}. Subscribing to a name already
   * subscribed keeps its Channel. UNSUBSCRIBE with no channel unsubscribes from all of them.
   */
  executePubsub(
    command: string,
    ...channels: Array<string | Buffer | Channel>
  ): Promise<PubsubReply[]> {
    let parsed: PubsubArgs;
    try {
      parsed = parsePubsubArgs(command, channels);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#send<PubsubReply[]>(parsed.command, parsed.names, null, undefined, parsed.objects);
  }

  /**
   * @internal Sends MONITOR and resolves once the server agreed; from then on every line the
   * server streams goes to `onLine`, and the connection can send nothing else (close it to stop).
   */
  _monitor(onLine: (line: string) => void): Promise<void> {
    const agreed = this.#send<string>('MONITOR', [], null, undefined);
    this.#monitoring = !this.closed;
    return agreed.then(() => {
      this.#session.monitor = onLine;
    });
  }

  /**
   * Selects database `db` for this connection; {@link RedisConnection.db | db} follows once the
   * server agreed.
   */
  select(db: number): Promise<'OK'> {
    if (!Number.isSafeInteger(db) || db < 0) {
      return Promise.reject(new TypeError('db must be a non-negative integer'));
    }
    return this.execute('SELECT', db);
  }

  /** Authenticates (AUTH [username] password). The password never appears in logs or errors. */
  auth(password: string, username?: string): Promise<'OK'> {
    if (typeof password !== 'string' || (username !== undefined && typeof username !== 'string')) {
      return Promise.reject(
        new TypeError('auth() takes a password string and an optional username string'),
      );
    }
    return username === undefined
      ? this.execute('AUTH', password)
      : this.execute('AUTH', username, password);
  }

  /**
   * Closes the connection now. Synchronous: {@link closed} is true on return and every pending
   * command has been rejected with {@link ConnectionForcedCloseError}. Use {@link waitClosed} to
   * wait until the socket is gone.
   */
  close(): void {
    this.#fail(new ConnectionForcedCloseError());
  }

  /** Resolves once the socket is closed (whoever closed it). */
  waitClosed(): Promise<void> {
    return this.#closedPromise;
  }

  /**
   * `await using conn = await createConnection(…)` closes it at the end of the block; a connection
   * acquired from a pool is released to it instead.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    const release = this[kRelease];
    if (release !== undefined) return release();
    this.close();
    await this.waitClosed();
  }

  #send<T>(
    command: string,
    args: readonly unknown[],
    encoding: BufferEncoding | null,
    options: ExecuteOptions | undefined,
    channels?: Map<string, Channel>,
  ): Promise<T> {
    if (this.#closeError !== null) {
      return Promise.reject(closedError(this.#label, this.#closeError));
    }
    let name: CommandName;
    try {
      name = commandName(command);
    } catch (err) {
      return Promise.reject(err);
    }
    const upper = name.upper;
    if (this.#monitoring) {
      return Promise.reject(monitorModeError(upper));
    }
    if (this.#inPubsubMode() && !this.#session.resp3 && !PUBSUB_ALLOWED.has(upper)) {
      return Promise.reject(pubsubModeError(upper));
    }
    const wait = serverWait(upper, args); // undefined: not a blocking command
    if (
      options !== undefined &&
      wait !== undefined &&
      this.#state.transaction === null &&
      hasDeadline(options)
    ) {
      // Dropping its reply would lose what it pops: it is unblocked instead (see unblock.ts).
      // Its CLIENT ID goes first, so bad input is caught before it: nothing is sent then.
      try {
        encodedLength(name, args);
      } catch (err) {
        return Promise.reject(err);
      }
      const send = (): Promise<T> => this.#send(command, args, encoding, undefined);
      return executeAbortable(this, upper, send, options, this[kHelperSource], this.#unblockBudget);
    }
    try {
      // All or nothing: a bad argument throws before any byte of the command is kept.
      this.#outbox.write(name, args);
    } catch (err) {
      return Promise.reject(err);
    }

    const slot = new Pending(upper, encoding);
    // One executor for every command (it runs synchronously, inside the constructor): no closure
    // per command on the hot path.
    this.#settling = slot;
    const promise = new Promise<T>(this.#executor);
    this.#settling = null;
    this.#state.track(slot, upper, args);
    if (channels !== undefined) slot.more().channels = channels;
    if (options !== undefined) {
      const timeout = options.timeout ?? (wait === undefined ? this.#commandTimeout : undefined);
      armSlot(slot, timeout, options.signal);
    } else if (this.#commandTimeout !== undefined && wait === undefined) {
      // The only cost of commandTimeout when unset: this branch, always taken the same way.
      armSlot(slot, this.#commandTimeout, undefined);
    }
    if (wait !== undefined || options?.timeout)
      this.#liveness.stretch(slot, wait, options?.timeout);
    // Going from idle to busy starts the stall clock: one comparison per command, no timer work.
    if (this.#pending.push(slot) === 1) this.#liveness.busy();
    this.#sent++;
    if (debug.enabled) debug('%s: send %s (%d args)', this.#label, upper, args.length);
    return promise;
  }

  #onData(chunk: Buffer): void {
    this.#liveness.quietSince = performance.now();
    try {
      this.#reader.feed(chunk);
    } catch (err) {
      this.#fail(asProtocolError(err));
      return;
    }
    if (!this.#readingOn) this.#readReplies(REPLIES_PER_TURN);
  }

  /**
   * Settles commands with the replies read so far. When a read brings many replies and their
   * callers answer with new commands (many concurrent callers, each awaiting its reply), it
   * settles REPLIES_PER_TURN of them, lets those callers run and write, and settles the rest in a
   * later turn: the server then works on the new commands while this process works through the
   * rest, instead of each side waiting for the other. When the callers sent nothing in between
   * (one big batch awaited at once), there is nothing to overlap and the rest is settled in one go.
   */
  #readReplies(budget: number): void {
    this.#readingOn = false;
    const reader = this.#reader;
    const session = this.#session;
    for (; this.#closeError === null; budget--) {
      if (budget === 0) {
        this.#readingOn = true;
        this.#sentBeforeTurn = this.#sent;
        setImmediate(this.#readOn);
        return;
      }
      let reply: Reply | false;
      try {
        if (this.#readerDecodes) reader.encoding = session.decodedWith = this.#replyEncoding();
        reply = reader.gets();
      } catch (err) {
        this.#fail(asProtocolError(err));
        return;
      }
      // `false` is also RESP3's `#f`; a reader that can tell the two apart says which it was.
      if (reply === false && reader.incomplete !== false) return;
      try {
        dispatchReply(session, reply);
      } catch (err) {
        // A bug or a reply of a shape we cannot place: closing beats leaving the FIFO silently misaligned.
        this.#fail(
          new ProtocolError(`Failed to dispatch a reply: ${(err as Error).message}`, {
            cause: err,
          }),
        );
        return;
      }
    }
  }

  /** Settles whatever replies #readReplies left for a later turn, now. */
  #readBuffered(): void {
    if (this.#readingOn) this.#readReplies(Infinity);
  }

  /**
   * The encoding the reader should decode the next reply with; null when we decode it ourselves:
   * EXEC items each have their own, and while subscribed messages must stay Buffers.
   */
  #replyEncoding(): BufferEncoding | null {
    if (this.#inPubsubMode()) return null;
    const head = this.#pending.peekFront();
    return head === undefined || head.kind === Kind.Exec ? null : head.encoding;
  }

  /** Subscribed, or about to be: the server reads what we send next in pub/sub mode. */
  #inPubsubMode(): boolean {
    return this.#state.pubsubPending > 0 || this.#subscriptions.count > 0;
  }

  /** @internal See kAbandon: a loss with `cause`, as if the socket had died. */
  [kAbandon](cause: Error): void {
    this.#fail(cause, true);
  }

  /**
   * Closes the connection with `error`: every pending command and every channel learns why. When
   * the socket was `lost` (not closed by close(), no protocol error), each pending command rejects
   * with a ConnectionLostError that tells its fate: `maybeExecuted` unless it was never handed to
   * the socket (the newest commands of this turn, still in the outbox).
   */
  #fail(error: Error, lost = false): void {
    if (this.#closeError !== null) return;
    this.#closeError = error;
    debug('%s: closing: %s', this.#label, error.message);
    this.#socket.destroy();
    this.#pendingAtClose = this.#pending.length;
    if (this.#state.transaction !== null) this.#blockAtClose = 'multi';
    else if (this.#state.watching) this.#blockAtClose = 'watch';
    const unwritten = this.#outbox.unwritten;
    this.#outbox.clear();
    this.#state.transaction = null;
    rejectPending(this.#pending, error, lost, unwritten);
    if (this[kKeepSubscriptions] && !(error instanceof ConnectionForcedCloseError)) {
      // Last known good: the last read (or the last send after an idle spell).
      const lostAt = Date.now() - Math.round(performance.now() - this.#liveness.quietSince);
      this.#orphans = { ...this.#subscriptions.detachAll(), lostAt, cause: error };
    } else {
      this.#subscriptions.closeAll(error);
    }
    this.#state.pubsubPending = 0;
  }
}
