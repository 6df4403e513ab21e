/**
 * Batches on a cluster. A {@link Pipeline} takes any keys: each command is routed on its own as it
 * is sent, so the commands for one node leave in one write (they are all sent in one turn), every
 * result comes back in the caller's order with each error in its place, and only a command the
 * cluster answered MOVED, ASK or TRYAGAIN is sent again, never its neighbours. A
 * {@link ClusterMultiExec} needs every key in one slot (checked as commands are queued) and runs
 * on that slot's master; a MOVED or ASK for a queued command aborts EXEC, so nothing ran and the
 * whole transaction is sent again where the cluster said (ASKING before MULTI for an ASK).
 *
 * @module
 */
import type { ExecuteOptions, RedisConnection } from '../connection';
import { ProtocolError, RedisError, ReplyError } from '../errors';
import { kBatch } from '../link/link';
import type { ConnectionsPool } from '../pool';
import type { Arg } from '../protocol/encoder';
import type { Reply } from '../protocol/reader';
import { MultiExec, Pipeline } from '../transaction';
import { TooManyRedirectionsError } from './cluster-errors';
import { commandSpec } from './command-keys';
import type { NodeAddress } from './options';
import { parseRedirect } from './redirect';
import { KEYLESS, slotOf } from './route';
import type { Lanes } from './send';
import type { QueuedCommand, Settle } from './cluster';
import { CrossSlotError } from './cluster-errors';

/** What a cluster batch needs of its client. */
export interface BatchHost {
  readonly encoding: BufferEncoding | null;
  readonly closed: boolean;
  readonly maxRedirections: number;
  /** Routes and sends a pipeline's queued command, settling the entry itself. */
  sendQueued(lanes: Lanes, queued: Settle & QueuedCommand): void;
  /** Routes and sends one command of a batch on the batch's connection for its node. */
  executeIn<T = Reply>(
    lanes: Lanes,
    options: ExecuteOptions | undefined,
    command: string,
    args: Arg[],
  ): Promise<T>;
  /** The master serving `slot` now (KEYLESS: any master). */
  masterOf(slot: number): NodeAddress | undefined;
  pool(node: NodeAddress): ConnectionsPool;
  /** A MOVED was followed: believe it until the next topology, and reload. */
  moved(slot: number, to: NodeAddress): void;
  /** An ASK was followed (counted; the slot's reads go to its master until the next map). */
  asked(slot: number): void;
}

/** The target a {@link Pipeline} sends through: every command routed by the cluster on its own. */
export function routedTarget(host: BatchHost): RedisConnection {
  const view = {
    get encoding() {
      return host.encoding;
    },
    get closeReason() {
      return host.closed
        ? new RedisError('The cluster client is closed', 'REDMUX_ERR_CLUSTER_CLOSED')
        : undefined;
    },
    // Read once per batch run: each run gets its own connection per node (see Lanes).
    get [kBatch]() {
      const lanes: Lanes = new Map();
      return {
        execute: (command: string, ...args: Arg[]) =>
          host.executeIn(lanes, undefined, command, args),
        executeWith: (options: ExecuteOptions, command: string, ...args: Arg[]) =>
          host.executeIn(lanes, options, command, args),
      };
    },
  };
  return view as unknown as RedisConnection;
}

/**
 * A pipeline on a cluster: each command routed on its own, the commands for one node on one
 * connection in order (see Lanes), each settling its caller's promise directly.
 */
export class ClusterPipeline<S = Buffer> extends Pipeline<S> {
  readonly #host: BatchHost;

  /** @internal Use cluster.pipeline(). */
  constructor(host: BatchHost) {
    super(routedTarget(host));
    this.#host = host;
  }

  protected override send(
    _conn: RedisConnection,
    queue: ReadonlyArray<Parameters<Pipeline<S>['send']>[1][number]>,
  ): Promise<void> {
    // Every command is sent now; execute() then waits for each one's own promise.
    const lanes: Lanes = new Map();
    for (const queued of queue) this.#host.sendQueued(lanes, queued);
    return Promise.resolve();
  }
}

/**
 * A transaction on a cluster: MULTI, the commands and EXEC on the master of their one slot. A
 * command whose keys are in another slot than the ones queued before it rejects with
 * CrossSlotError and is not queued.
 */
export class ClusterMultiExec<S = Buffer> extends MultiExec<S> {
  readonly #host: BatchHost;
  #slot = KEYLESS;
  #key: Arg | undefined;

  /** @internal Use cluster.multiExec(). */
  constructor(host: BatchHost) {
    super(routedTarget(host));
    this.#host = host;
  }

  override executeWith<T = Reply>(
    options: ExecuteOptions,
    command: string,
    ...args: Arg[]
  ): Promise<T> {
    const refusal = this._check(command, args);
    if (refusal !== undefined) return Promise.reject(refusal);
    return super.executeWith(options, command, ...args);
  }

  /** @internal The command's slot must be the transaction's (the first keyed command sets it). */
  _check(command: string, args: Arg[]): Error | undefined {
    const spec = commandSpec(command, args);
    if (spec === undefined) return undefined;
    const slot = slotOf(spec, args);
    if (slot instanceof Error) return slot;
    if (slot === 'split') {
      return new TypeError(
        `${command.toUpperCase()} over several slots cannot run in a transaction`,
      );
    }
    if (slot === KEYLESS) return undefined;
    if (this.#slot === KEYLESS) {
      this.#slot = slot;
      this.#key = firstKey(args);
      return undefined;
    }
    if (slot === this.#slot) return undefined;
    return new CrossSlotError(
      [this.#key as Arg, firstKey(args) as Arg],
      [this.#slot, slot],
      'MULTI',
    );
  }

  protected override async send(
    _conn: RedisConnection,
    queue: ReadonlyArray<Parameters<MultiExec<S>['send']>[1][number]>,
  ): Promise<void> {
    const host = this.#host;
    let ask: NodeAddress | undefined;
    const hops: string[] = [];
    for (;;) {
      const node = ask ?? host.masterOf(this.#slot);
      if (node === undefined) {
        const err = new RedisError(`no node serves slot ${this.#slot}`, 'REDMUX_ERR_CLUSTER');
        for (const queued of queue) queued.reject(err);
        return;
      }
      const pool = host.pool(node);
      const outcomes: Array<{ ok: boolean; value: unknown }> = [];
      const shadow = queue.map((queued, i) => ({
        ...queued,
        resolve: (value: unknown) => (outcomes[i] = { ok: true, value }),
        reject: (error: Error) => (outcomes[i] = { ok: false, value: error }),
      }));
      const conn = await pool.acquire();
      try {
        // ASKING holds until EXEC when it comes before MULTI.
        if (ask !== undefined) conn.execute('ASKING').catch(() => undefined);
        await super.send(conn, shadow);
      } finally {
        await pool.release(conn);
      }
      const redirect = redirectOf(outcomes, node);
      if (redirect instanceof Error) {
        settle(queue, outcomes);
        return;
      }
      if (redirect !== undefined) {
        hops.push(`${redirect.kind} ${redirect.slot} ${redirect.host}:${redirect.port}`);
        if (hops.length > host.maxRedirections) {
          const err = new TooManyRedirectionsError(hops);
          for (const queued of queue) queued.reject(err);
          return;
        }
        const to = { host: redirect.host, port: redirect.port };
        if (redirect.kind === 'MOVED') {
          host.moved(redirect.slot, to);
          ask = undefined;
        } else {
          host.asked(redirect.slot);
          ask = to;
        }
        continue;
      }
      settle(queue, outcomes);
      return;
    }
  }
}

// execute(command, …args) queues a command (the other forms run the batch): checked the same way.
const queueOrRun = MultiExec.prototype.execute as (...args: unknown[]) => Promise<unknown>;
Object.defineProperty(ClusterMultiExec.prototype, 'execute', {
  configurable: true,
  writable: true,
  value: function execute(this: ClusterMultiExec, ...args: unknown[]): Promise<unknown> {
    const [first, ...rest] = args;
    if (typeof first === 'string') {
      const refusal = this._check(first, rest as Arg[]);
      if (refusal !== undefined) return Promise.reject(refusal);
    }
    return queueOrRun.apply(this, args);
  },
});

function firstKey(args: readonly Arg[]): Arg | undefined {
  return args[0];
}

/** Hands each command its outcome. */
function settle(queue: readonly Settle[], outcomes: Array<{ ok: boolean; value: unknown }>): void {
  queue.forEach((queued, i) => {
    const outcome = outcomes[i];
    if (outcome === undefined) queued.reject(new RedisError('no outcome', 'REDMUX_ERR_CLUSTER'));
    else if (outcome.ok) queued.resolve(outcome.value);
    else queued.reject(outcome.value as Error);
  });
}

/**
 * The MOVED or ASK that aborted the transaction (nothing ran: no command succeeded), or undefined;
 * a malformed one is an Error, settled as the outcome it is.
 */
function redirectOf(
  outcomes: Array<{ ok: boolean; value: unknown }>,
  node: NodeAddress,
): ReturnType<typeof parseRedirect> {
  if (outcomes.some((outcome) => outcome?.ok)) return undefined;
  for (const outcome of outcomes) {
    const err = outcome?.value;
    if (!(err instanceof ReplyError)) continue;
    const redirect = parseRedirect(err.message, node);
    if (redirect instanceof ProtocolError) return redirect;
    if (redirect !== undefined) return redirect;
  }
  return undefined;
}
