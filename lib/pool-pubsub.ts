/**
 * A pool's one pub/sub connection: taken from the pool on first use, counted in its size, and,
 * on a pool created with `reconnect`, wrapped in a {@link Link} so that it reconnects like a
 * single-connection client does (with the same backoff, queue bounds and events).
 *
 * @module
 */
import { kAbandon, type PubsubReply, type RedisConnection } from './connection';
import { PoolClosedError } from './errors';
import type { PoolRecovery } from './pool-recovery';
import { Link, type LinkConfig } from './link/link';
import type { Channel } from './pubsub';

/** What the pub/sub slot asks of its pool. */
export interface PubsubHost {
  /** Whether the pool is closed (a connection taken as it closed is closed too). */
  isClosed(): boolean;
  /** A connection to subscribe on: an idle free one taken over, a new one, or the least busy. */
  take(): Promise<RedisConnection>;
  /** Opens a connection like the pool's (a Link reconnects with it). */
  connect(): Promise<RedisConnection>;
}

/** The connection or Link that pub/sub commands go to; members of both. */
type Target = RedisConnection | Link;

const NONE: ReadonlyMap<string, Channel> = new Map();

/** The pub/sub slot of a pool. */
export class PoolPubsub {
  readonly #host: PubsubHost;
  /** With `reconnect`: how the Link around the pub/sub connection reconnects. */
  readonly #link: LinkConfig | undefined;
  #target: Target | null = null;
  #opening: Promise<Target> | null = null;

  constructor(host: PubsubHost, link: LinkConfig | undefined) {
    this.#host = host;
    this.#link = link;
  }

  /** Whether there is a pub/sub connection (or a Link still reconnecting one). */
  get live(): boolean {
    return this.#target !== null && !this.#target.closed;
  }

  /** What it adds to the pool's size: 1 while live. */
  get size(): number {
    return this.live ? 1 : 0;
  }

  /** The connection pub/sub commands go to now, if one is open. */
  get connection(): RedisConnection | null {
    const target = this.#target;
    if (target === null || target.closed) return null;
    const conn = target instanceof Link ? target.current : target;
    return conn.closed ? null : conn;
  }

  get inPubsub(): number {
    return this.#target?.inPubsub ?? 0;
  }

  get channels(): ReadonlyMap<string, Channel> {
    return this.#target?.pubsubChannels ?? NONE;
  }

  get patterns(): ReadonlyMap<string, Channel> {
    return this.#target?.pubsubPatterns ?? NONE;
  }

  get shardChannels(): ReadonlyMap<string, Channel> {
    return this.#target?.pubsubShardChannels ?? NONE;
  }

  /**
   * Where pub/sub commands go: the live target, or one taken from the pool (one at a time, however
   * many callers ask at once). Rejects when the pool cannot give one; nothing was sent then.
   */
  target(): Promise<Target> {
    const target = this.#target;
    if (target !== null && !target.closed) return Promise.resolve(target);
    // Cleared once settled, so the next call after a failure tries again.
    this.#opening ??= this.#host
      .take()
      .then((conn) => {
        if (this.#host.isClosed()) conn.close(); // the pool closed while it was being taken
        const taken = this.#link === undefined ? conn : this.#wrap(conn, this.#link);
        this.#target = taken;
        return taken;
      })
      .finally(() => {
        this.#opening = null;
      });
    return this.#opening;
  }

  /**
   * Sends a pub/sub command on the target (see {@link target}). While a reconnecting pool
   * (`recovery`) waits for its server, the command waits in its queue and is sent through `again`.
   */
  async execute(
    command: string,
    channels: Array<string | Buffer | Channel>,
    recovery: PoolRecovery | undefined,
    again: () => Promise<PubsubReply[]>,
  ): Promise<PubsubReply[]> {
    let target: Target | undefined;
    if (this.live || recovery?.state !== 'reconnecting') {
      try {
        target = await this.target();
      } catch (err) {
        // Opening failed, so nothing was sent: wait for the server, unless the pool gave up.
        if (recovery?.state !== 'reconnecting') throw err;
      }
    }
    if (target === undefined && recovery !== undefined) {
      const names = channels.map((c) => (typeof c === 'string' || Buffer.isBuffer(c) ? c : c.name));
      return (await recovery.wait(command, names, again)) as PubsubReply[];
    }
    if (target === undefined) throw new PoolClosedError(); // unreachable: only a recovery waits
    return target.executePubsub(command, ...channels);
  }

  /**
   * Ends the pub/sub connection as a loss with `cause` (see kAbandon): its Link resubscribes on a
   * new connection, each Channel with a gap marker.
   */
  abandon(cause: Error): void {
    const target = this.#target;
    if (target === null || target.closed) return;
    (target instanceof Link ? target.current : target)[kAbandon](cause);
  }

  /** A connection of the pool closed: the slot is free again when it was the pub/sub one. */
  forget(conn: RedisConnection): void {
    if (this.#target === conn) this.#target = null;
  }

  close(): void {
    this.#target?.close();
  }

  async waitClosed(): Promise<void> {
    await this.#opening?.catch(() => undefined);
    await this.#target?.waitClosed();
  }

  /** A Link around the pub/sub connection, reconnecting with connections opened like the pool's. */
  #wrap(conn: RedisConnection, config: LinkConfig): Link {
    // The pool's connections carry no auth() of their own, and pub/sub needs no database.
    return new Link(conn, () => this.#host.connect(), config);
  }
}
