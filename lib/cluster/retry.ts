/**
 * What a cluster command that failed gets: MOVED and ASK followed at once (within
 * `maxRedirections`), refusals that prove nothing ran (TRYAGAIN, CLUSTERDOWN, MASTERDOWN, LOADING,
 * READONLY) and an unreachable node retried after a backoff pause within `clusterDownTimeout` and
 * the call's own deadline, and anything else — above all a command written to a node that was
 * then lost — rejected as it is (DESIGN.md invariant 9).
 *
 * @module
 */
import createDebug from 'debug';
import type { ExecuteOptions } from '../connection';
import { ConnectionLostError, ProtocolError, QueueFullError, ReplyError } from '../errors';
import { errorPrefix, retryableReply } from '../link/fate';
import type { Arg } from '../protocol/encoder';
import { TooManyRedirectionsError } from './cluster-errors';
import { nodeKey } from './nodes';
import type { ClusterConfig, NodeAddress } from './options';
import { parseRedirect } from './redirect';
import { neverSent } from './route';
import { giveUp } from './send';

const debug = createDebug('redmux:cluster');

/** One routed command, as it is sent again. */
export interface Call {
  readonly options: ExecuteOptions | undefined;
  readonly command: string;
  readonly args: Arg[];
  /** Its slot, or KEYLESS. */
  readonly slot: number;
  /** Read-only: may go to a replica. */
  readonly readonly: boolean;
}

/** Where the hops of one command are: one deadline across all of them. */
export interface Attempt {
  /** MOVED/ASK hops and retries so far, as `'MOVED 3999 127.0.0.1:7002'`. */
  readonly hops: readonly string[];
  /** performance.now() of the first retry: `clusterDownTimeout` counts from there. */
  readonly downSince: number | undefined;
  /** Send to this node with ASKING first (an ASK redirection). */
  readonly ask: NodeAddress | undefined;
  /** Go to the slot's master even for a read (a replica answered MOVED). */
  readonly master: boolean;
}

/** A command's first attempt. */
export const FIRST: Attempt = { hops: [], downSince: undefined, ask: undefined, master: false };

/** Counters of what the cluster client did, for tests and dashboards. */
export interface ClusterStats {
  /** MOVED and ASK replies followed. */
  redirections: number;
  /** Commands sent again after a refusal that proves they did not run, or an unreachable node. */
  retries: number;
  /** Topology reloads accepted. */
  refreshes: number;
}

/** What the retry rules need of the cluster client. */
export interface RetryHost {
  readonly config: ClusterConfig;
  readonly stats: ClusterStats;
  isClosed(): boolean;
  /** Asks for a coalesced reload of the slot map (`prefer`: the node to ask first). */
  reload(reason: string, prefer?: string): void;
  /** A MOVED: believe it for `slot` until the next map. */
  moved(slot: number, to: NodeAddress): void;
  /** An ASK: reads of `slot` go to its master until the next map. */
  asked(slot: number): void;
  /** Sends the call again, as `attempt`. */
  send<T>(call: Call, attempt: Attempt): Promise<T>;
}

/** The retry rules of one cluster client, and how many commands wait for a retry. */
export class Retry {
  readonly #host: RetryHost;
  /** Commands waiting for a retry (backoff or a reload): bounded by maxQueued. */
  #waiting = 0;

  constructor(host: RetryHost) {
    this.#host = host;
  }

  /**
   * What a failed send of `call` to `target` (undefined: no node served it) becomes: sent again
   * where the cluster says, or rejected.
   */
  recover<T>(
    err: unknown,
    call: Call,
    attempt: Attempt,
    target: NodeAddress | undefined,
  ): Promise<T> {
    const host = this.#host;
    if (host.isClosed()) return Promise.reject(err as Error);
    if (err instanceof ReplyError) {
      const prefix = errorPrefix(err.message);
      if ((prefix === 'MOVED' || prefix === 'ASK') && target !== undefined) {
        const redirect = parseRedirect(err.message, target);
        if (redirect instanceof ProtocolError) return Promise.reject(redirect);
        if (redirect !== undefined) {
          const to = { host: redirect.host, port: redirect.port };
          const hops = [...attempt.hops, `${prefix} ${redirect.slot} ${nodeKey(to.host, to.port)}`];
          if (hops.length > host.config.maxRedirections) {
            return Promise.reject(new TooManyRedirectionsError(hops, err));
          }
          host.stats.redirections++;
          debug('%s %s: %s', call.command, nodeKey(target.host, target.port), err.message);
          if (prefix === 'MOVED') {
            host.moved(redirect.slot, to);
            host.reload('MOVED', nodeKey(to.host, to.port));
            // A replica that answers MOVED for a read sends it to the master (ioredis #1583).
            return host.send<T>(call, { ...attempt, hops, ask: undefined, master: true });
          }
          host.asked(redirect.slot);
          return host.send<T>(call, { ...attempt, hops, ask: to });
        }
      }
      if (!retryableReply(err.message, 'cluster')) return Promise.reject(err);
      if (prefix !== 'TRYAGAIN' && prefix !== 'LOADING') host.reload(prefix);
      return this.later<T>(err, call, attempt, prefix);
    }
    if (neverSent(err)) {
      // The node could not be reached: nothing ran. Reload the map and send it where it says.
      host.reload('node unreachable');
      return this.later<T>(err as Error, call, attempt, 'UNREACHABLE');
    }
    if (err instanceof ConnectionLostError) host.reload('node lost');
    return Promise.reject(err);
  }

  /**
   * Sends `call` again after a backoff pause (25 ms doubling to 500 ms, jittered), while
   * `clusterDownTimeout` (from the first retry) and the call's own timeout allow; `why` is the hop.
   */
  later<T>(err: Error, call: Call, attempt: Attempt, why: string): Promise<T> {
    const host = this.#host;
    const now = performance.now();
    const downSince = attempt.downSince ?? now;
    const delay =
      Math.min(500, 25 * 2 ** Math.min(attempt.hops.length, 5)) * (0.5 + Math.random() * 0.5);
    if (now + delay - downSince > host.config.clusterDownTimeout) {
      return Promise.reject(giveUp(err, call.slot));
    }
    if (this.#waiting >= host.config.maxQueued) {
      return Promise.reject(
        new QueueFullError('too many cluster commands wait for a retry', { cause: err }),
      );
    }
    const { options } = call;
    const signal = options?.signal;
    this.#waiting++;
    host.stats.retries++;
    return pause(delay, signal)
      .finally(() => this.#waiting--)
      .then(() => {
        if (host.isClosed()) throw err;
        let again = call;
        if (options?.timeout !== undefined && options.timeout !== Infinity) {
          const left = options.timeout - (performance.now() - now);
          if (left <= 0) throw err;
          again = { ...call, options: { ...options, timeout: left } };
        }
        const hops = [...attempt.hops, why];
        return host.send<T>(again, { hops, downSince, ask: undefined, master: attempt.master });
      });
  }
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      signal?.removeEventListener('abort', aborted);
      resolve();
    }
    function aborted(): void {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', aborted, { once: true });
  });
}
