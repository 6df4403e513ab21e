/**
 * How a pool created with `reconnect` gets its server back (issue 12 §8). When the pool cannot open
 * a connection it goes `'reconnecting'`: one probe connect at a time, with the Link's backoff
 * (link/backoff.ts), never a storm; meanwhile commands that need a connection and `acquire()` calls
 * wait in the Link's bounded queue (link/queue.ts). A probe that succeeds makes the pool `'ready'`
 * again; a refused password or permission (AuthError, NoPermError) closes it for good. Every step
 * is published on `node:diagnostics_channel` with the Link's event payloads. No sockets here: the
 * pool opens the probe connection and takes it over.
 *
 * @module
 */
import createDebug from 'debug';
import type { RedisConnection } from './connection';
import {
  AuthError,
  ConnectionClosedError,
  ConnectionForcedCloseError,
  NoPermError,
} from './errors';
import {
  backoffPause,
  type LostEvent,
  onLost,
  onReady,
  publish,
  type ReadyEvent,
} from './link/events';
import type { LinkConfig } from './link/link';
import { OfflineQueue, type WaitLimits } from './link/queue';

const debug = createDebug('redmux:pool');

/** Where a pool is: serving, probing for its server while work waits, or closed for good. */
export type PoolState = 'ready' | 'reconnecting' | 'closed';

/** What the recovery asks of its pool. */
export interface RecoveryHost {
  /** Opens one connection as the pool does (on its db, within the connect timeout). */
  probe(): Promise<RedisConnection>;
  /** The probe's connection is ready and the state is `'ready'`: take it, then call drain(). */
  recovered(conn: RedisConnection): void;
  /** Reconnecting stopped for good (a refused password, the policy gave up): close with `cause`. */
  giveUp(cause: Error): void;
}

/** The reconnecting state of a pool: its state, epoch, offline queue and probe loop. */
export class PoolRecovery {
  readonly #config: LinkConfig;
  readonly #host: RecoveryHost;
  readonly #queue: OfflineQueue<undefined>;
  #state: PoolState = 'ready';
  #epoch = 1;
  /** Wakes a probe delay early when the pool closes. */
  #wake: (() => void) | undefined;

  constructor(config: LinkConfig, host: RecoveryHost) {
    this.#config = config;
    this.#host = host;
    this.#queue = new OfflineQueue(config);
  }

  get state(): PoolState {
    return this.#state;
  }

  /** 1 while the pool has not lost its server; one more each time it is ready again. */
  get epoch(): number {
    return this.#epoch;
  }

  /** How many commands and acquire() calls wait for the server. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Queues work for when the pool is ready again, within the queue's bounds (see OfflineQueue.push). */
  wait(
    command: string,
    args: readonly unknown[] | undefined,
    send: () => Promise<unknown>,
    limits?: WaitLimits,
  ): Promise<unknown> {
    return this.#queue.push(command, args, send, limits);
  }

  /** Hands everything that waited to the ready pool, in order (the host calls it from recovered()). */
  drain(): void {
    this.#queue.drain(undefined);
  }

  /** A connection of the pool closed: publishes `redmux:lost` unless the pool closed it itself. */
  lost(conn: RedisConnection): void {
    const cause = conn.closeReason ?? new ConnectionClosedError('Connection closed');
    if (this.#state === 'closed' || cause instanceof ConnectionForcedCloseError) return;
    publish(onLost, {
      address: this.#config.label,
      epoch: this.#epoch,
      written: conn.pendingAtClose,
      queued: this.#queue.length,
      cause,
    } satisfies LostEvent);
  }

  /**
   * Opening a connection failed while the pool was ready: a refused password or permission gives
   * up (retrying would not heal it), anything else starts probing. False when nothing changed
   * (already reconnecting, or closed).
   */
  failed(cause: Error): boolean {
    if (this.#state !== 'ready') return false;
    if (cause instanceof AuthError || cause instanceof NoPermError) {
      this.#host.giveUp(cause);
      return true;
    }
    debug('%s: cannot connect (%s); reconnecting', this.#config.label, cause.message);
    this.#state = 'reconnecting';
    void this.#reconnect(cause);
    return true;
  }

  /** Closed for good: no more probes; everything that waited rejects, unsent, with `cause`. */
  close(cause: Error): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#wake?.();
    this.#queue.rejectAll(cause);
  }

  /** Whether close() was called (read anew after each await). */
  #stopped(): boolean {
    return this.#state === 'closed';
  }

  /** Probes, one connect at a time with backoff, until one succeeds, the policy gives up, or close(). */
  async #reconnect(cause: Error): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const stop = await backoffPause(
        this.#config.backoff,
        this.#config.label,
        attempt,
        cause,
        (wake) => {
          this.#wake = wake;
        },
      );
      if (stop !== undefined) return this.#host.giveUp(stop);
      if (this.#stopped()) return;
      let conn: RedisConnection;
      try {
        conn = await this.#host.probe();
      } catch (err) {
        if (this.#stopped()) return;
        if (err instanceof AuthError || err instanceof NoPermError) return this.#host.giveUp(err);
        cause = err as Error;
        continue;
      }
      if (this.#stopped()) {
        conn.close(); // the pool closed while the probe was connecting
        return;
      }
      this.#state = 'ready';
      this.#epoch++;
      debug('%s: ready (epoch %d, %d queued)', this.#config.label, this.#epoch, this.queued);
      publish(onReady, { address: this.#config.label, epoch: this.#epoch } satisfies ReadyEvent);
      return this.#host.recovered(conn);
    }
  }
}
