/**
 * Batches of commands: {@link Pipeline} (written together, answered in order) and
 * {@link MultiExec} (the same inside MULTI … EXEC). Every command method of a client is on them;
 * each call queues its command and returns a promise that settles only after `execute()`.
 *
 * @module
 */
import { type ConnectionsPool, isPool } from './pool';
import { type ExecuteOptions, kSent, type RedisConnection } from './connection';
import { kBatch } from './link/link';
import {
  MultiExecError,
  PipelineError,
  RedisError,
  ReplyError,
  WatchVariableError,
} from './errors';
import type { Arg } from './protocol/encoder';
import { optionsError, refusedIterator } from './strict';
import type { Reply } from './protocol/reader';
import { Commands } from './commands/base';
import { type AllCommands, COMMAND_GROUPS, mixCommands } from './commands';

/** Options of {@link Pipeline.execute} and {@link MultiExec.execute}. */
export interface BatchExecuteOptions {
  /**
   * Resolve with every result, a failed command's error in its place, instead of rejecting with a
   * PipelineError (MultiExecError). Default false.
   */
  returnExceptions?: boolean;
}

/**
 * What `execute(build)` resolves with: the settled value of each item `build` returned, in order
 * and with the type its own method gives it (`[string | null, number]` for `[p.get(k), p.incr(n)]`
 * on a utf8 client).
 */
export type BatchResults<C extends readonly unknown[]> = {
  -readonly [K in keyof C]: Awaited<C[K]>;
};

/** {@link BatchResults} with `returnExceptions`: a failed command's error in its place. */
export type BatchSettled<C extends readonly unknown[]> = {
  -readonly [K in keyof C]: Awaited<C[K]> | Error;
};

/** A queued command and how to settle the promise its caller got. */
interface Queued {
  command: string;
  args: Arg[];
  options: ExecuteOptions | undefined;
  resolve: (reply: unknown) => void;
  reject: (error: Error) => void;
}

/** The keys execute() knows; see optionsError. */
const EXECUTE_OPTIONS: ReadonlySet<string> = new Set<keyof BatchExecuteOptions>([
  'returnExceptions',
]);

const REFUSED_ITERATOR = 'iterators (iscan, monitor…) need a client, not a pipeline or transaction';

/**
 * What {@link Pipeline} and {@link MultiExec} share: every command method of a client, each
 * queueing its command, and `execute()`. The type a batch's `execute(build)` hands to `build`.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the groups' methods are typed below
export abstract class Batch<S = Buffer> extends Commands<S> {
  /** Tells Script (and other helpers) that commands here are queued, not sent. */
  readonly inPipeline = true;
  readonly #target: RedisConnection | ConnectionsPool;
  readonly #queue: Queued[] = [];
  /** The promises the callers got, in call order: what execute() resolves with. */
  readonly #results: Array<Promise<unknown>> = [];
  /** Inside a command method: its own executeWith is part of it, not a separate call. */
  #depth = 0;
  #executed = false;

  /** Says why the batch may no longer run (its context was released), or nothing. */
  readonly #refusal: (() => Error | undefined) | undefined;

  /** @internal Use Redis.pipeline() or Redis.multiExec(). */
  constructor(target: RedisConnection | ConnectionsPool, refusal?: () => Error | undefined) {
    super();
    this.#target = target;
    this.#refusal = refusal;
  }

  /** The client's encoding of stored values; `null` means Buffers. */
  get encoding(): BufferEncoding | null {
    return this.#target.encoding;
  }

  /** How many commands are queued. */
  get length(): number {
    return this.#results.length;
  }

  /**
   * `execute(command, ...args)` queues a command (as on a client); `execute(options?)` runs the
   * batch and resolves with every result in order (`unknown[]`: the compiler cannot know what was
   * queued); `execute(build, options?)` calls `build` with the batch, runs it, and resolves with
   * what `build` returned, each item typed by its own method:
   *
   * ```ts
   * const [name, visits, top] = await redis.pipeline().execute((p) => [
   *   p.get('name'), // string | null
   *   p.incr('visits'), // number
   *   p.zrange('board', 0, 2, { withScores: true }), // Array<[string, number]>
   * ]);
   * ```
   *
   * `build` must queue its commands and return synchronously; if it throws or returns anything
   * but an array, nothing is sent and every command of the batch rejects with that error.
   */
  execute<T = Reply>(command: string, ...args: Arg[]): Promise<T>;
  execute<const C extends readonly unknown[]>(
    build: (batch: Batch<S>) => C,
    options: BatchExecuteOptions & { returnExceptions: true },
  ): Promise<BatchSettled<C>>;
  execute<const C extends readonly unknown[]>(
    build: (batch: Batch<S>) => C,
    options?: BatchExecuteOptions,
  ): Promise<BatchResults<C>>;
  execute(options?: BatchExecuteOptions): Promise<unknown[]>;
  execute(
    first?: string | BatchExecuteOptions | ((batch: Batch<S>) => readonly unknown[]),
    ...args: unknown[]
  ): Promise<unknown> {
    if (typeof first === 'string') return this.#queueCommand(undefined, first, args as Arg[]);
    const built = typeof first === 'function';
    const options = built ? args[0] : first;
    // Refused before anything runs: the batch stays as it was, to be run with right options.
    const refused =
      args.length > (built ? 1 : 0)
        ? new TypeError(`execute() takes ${built ? 'build and options' : 'options'}, no more`)
        : optionsError('execute()', options, EXECUTE_OPTIONS);
    if (refused !== undefined) return Promise.reject(refused);
    if (built) return this.#runBuilt(first, options as BatchExecuteOptions | undefined);
    return this.#run((options as BatchExecuteOptions | undefined) ?? {});
  }

  executeWith<T = Reply>(options: ExecuteOptions, command: string, ...args: Arg[]): Promise<T> {
    return this.#queueCommand(options, command, args);
  }

  /** Queues a command this client has no method for. */
  call<T = Reply>(command: string, ...args: Arg[]): Promise<T> {
    return this.#queueCommand(undefined, command, args);
  }

  /** @internal How the command methods mixed into a batch run: recorded as one call. */
  _record(method: (...args: unknown[]) => unknown, args: unknown[]): unknown {
    this.#depth++;
    let result: unknown;
    try {
      result = method.apply(this, args);
    } finally {
      this.#depth--;
    }
    if (result instanceof Promise) {
      this.#keep(result);
      return result;
    }
    // An async iterator (iscan…) would queue commands whenever it is read: refuse it instead.
    return refusedIterator(new TypeError(REFUSED_ITERATOR));
  }

  /** Sends the queued commands on `conn` and settles each one's promise. */
  protected abstract send(conn: RedisConnection, queue: readonly Queued[]): Promise<void>;

  /** The error execute() rejects with when some commands failed. */
  protected abstract failure(errors: Error[], replies: unknown[]): PipelineError;

  #queueCommand<T>(options: ExecuteOptions | undefined, command: string, args: Arg[]): Promise<T> {
    if (this.#executed) {
      return Promise.reject(
        new RedisError('the batch has run: queue commands on a new one', 'REDMUX_ERR_BATCH_DONE'),
      );
    }
    const promise = new Promise<T>((resolve, reject) => {
      const settle = resolve as (reply: unknown) => void;
      this.#queue.push({ command, args, options, resolve: settle, reject });
    });
    if (this.#depth === 0) this.#keep(promise);
    return promise;
  }

  /** Records a caller's promise; its rejection is reported by execute(), never left unhandled. */
  #keep(promise: Promise<unknown>): void {
    promise.catch(() => {});
    this.#results.push(promise);
  }

  /**
   * Sends the batch. If it cannot be sent at all (no connection…), every command rejects and the
   * cause is returned.
   */
  async #sendAll(queue: Queued[]): Promise<Error | undefined> {
    const target = this.#target;
    try {
      // A closed connection would reject each command on its own, and execute() would report that
      // as commands that failed; the batch never left, so it rejects with why, as a closed pool does.
      if (!isPool(target) && target.closeReason !== undefined) throw target.closeReason;
      // A pool lends one connection for the whole batch, so nothing else lands between its commands.
      // A reconnecting client's batch goes through its view without resends (see Link[kBatch]).
      const conn = isPool(target)
        ? await target.acquire()
        : ((target as { [kBatch]?: RedisConnection })[kBatch] ?? target);
      try {
        await this.send(conn, queue);
      } finally {
        if (isPool(target)) await target.release(conn);
      }
    } catch (err) {
      for (const queued of queue) queued.reject(err as Error);
      return err as Error;
    }
    return undefined;
  }

  /** execute(build): the batch's run, answered with the settled items `build` returned. */
  #runBuilt(
    build: (batch: Batch<S>) => readonly unknown[],
    options: BatchExecuteOptions | undefined,
  ): Promise<unknown> {
    let built: unknown;
    try {
      built = build(this);
    } catch (err) {
      return this.#abandon(err as Error);
    }
    if (!Array.isArray(built)) {
      return this.#abandon(
        new TypeError('execute(build): build must return an array (of the batch’s calls) at once'),
      );
    }
    const items: readonly unknown[] = built;
    return this.#run(options ?? {}).then(async () => {
      if (options?.returnExceptions !== true) return Promise.all(items);
      const settled = await Promise.allSettled(items);
      return settled.map((item) => (item.status === 'fulfilled' ? item.value : item.reason));
    });
  }

  /** A batch that will not run: every queued command rejects with `error`, and so does execute(). */
  #abandon(error: Error): Promise<never> {
    if (this.#executed) {
      return Promise.reject(new RedisError('a batch runs once', 'REDMUX_ERR_BATCH_DONE'));
    }
    this.#executed = true;
    for (const queued of this.#queue.splice(0)) queued.reject(error);
    return Promise.reject(error);
  }

  async #run({ returnExceptions = false }: BatchExecuteOptions): Promise<unknown[]> {
    if (this.#executed) {
      throw new RedisError('a batch runs once', 'REDMUX_ERR_BATCH_DONE');
    }
    this.#executed = true;
    const queue = this.#queue.splice(0);
    const refused = this.#refusal?.();
    if (refused !== undefined) {
      for (const queued of queue) queued.reject(refused);
      throw refused;
    }
    const unsent = queue.length > 0 ? await this.#sendAll(queue) : undefined;
    // Nothing could be sent (no connection, a released context): that is the answer, not a list.
    if (unsent !== undefined) throw unsent;
    const settled = await Promise.allSettled(this.#results);
    const replies = settled.map((result) =>
      result.status === 'fulfilled' ? result.value : result.reason,
    );
    const errors = settled
      .filter((result): result is PromiseRejectedResult => result.status === 'rejected')
      .map((result) => result.reason as Error);
    const aborted = errors.find((error) => error instanceof WatchVariableError);
    // A WATCH abort means nothing ran: that is never a result, whatever returnExceptions says.
    if (aborted !== undefined) throw new WatchVariableError();
    if (errors.length === 0 || returnExceptions) return replies;
    throw this.failure(errors, replies);
  }
}

/**
 * Commands written to the server together and answered in order, in one round trip. Made by
 * `redis.pipeline()`; every command method of the client is on it.
 *
 * ```ts
 * const pipe = redis.pipeline();
 * const a = pipe.get('a'); // settles once the pipeline ran
 * pipe.incr('counter');
 * const [value, count] = await pipe.execute(); // or: await a
 * ```
 *
 * On a pool the batch runs on one connection acquired for it. A pipeline runs once; an empty one
 * resolves to `[]`. If a command fails, execute() rejects with a PipelineError carrying every
 * error and every reply, unless `returnExceptions` is set; the other commands are not affected.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the groups' methods are mixed in below
export class Pipeline<S = Buffer> extends Batch<S> {
  protected send(conn: RedisConnection, queue: readonly Queued[]): Promise<void> {
    // Written in one event-loop turn, the commands leave in one socket write.
    const sent = queue.map((queued) => {
      const reply = sendOn(conn, queued);
      reply.then(queued.resolve, queued.reject);
      return reply;
    });
    return Promise.allSettled(sent).then(() => undefined);
  }

  protected failure(errors: Error[], replies: unknown[]): PipelineError {
    return new PipelineError(`${errors.length} command(s) of the pipeline failed`, errors, replies);
  }
}

/**
 * A transaction: MULTI, the commands and EXEC written together. Each command's promise resolves
 * with its own EXEC item, decoded with its own encoding. Made by `redis.multiExec()`.
 *
 * - When a WATCHed key changed, EXEC does nothing: execute() rejects with WatchVariableError (a
 *   MultiExecError) and so does every command.
 * - When a command failed to queue (EXECABORT), nothing ran: each command rejects with its own
 *   queueing error, or ExecAbortError.
 * - A command that failed while running (WRONGTYPE…) rejects with its error; the others ran, and
 *   execute() rejects with a MultiExecError carrying every error and reply (or resolves with the
 *   errors in place with `returnExceptions`).
 *
 * On a pool, WATCH and the reads it guards must run on the transaction's connection: acquire one
 * (`await using r = await redis.acquire()`), WATCH and read through `r`, then `r.multiExec()`.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the groups' methods are mixed in below
export class MultiExec<S = Buffer> extends Batch<S> {
  protected async send(conn: RedisConnection, queue: readonly Queued[]): Promise<void> {
    const multi = conn.execute('MULTI');
    // Whether each command reached the server: one refused before sending (a bad argument) has no
    // EXEC item, but one cancelled after sending (abort, timeout) still has one, which must be skipped.
    const written: boolean[] = [];
    const queued = queue.map((command) => {
      const before = conn[kSent];
      const reply = sendOn(conn, command);
      written.push(conn[kSent] > before);
      return reply;
    });
    const exec = conn.execute<Reply[]>('EXEC');
    const [multiResult, execResult, ...queueResults] = await Promise.allSettled([
      multi,
      exec,
      ...queued,
    ]);
    if (multiResult?.status === 'rejected') {
      for (const command of queue) command.reject(multiResult.reason as Error);
      return;
    }
    if (execResult?.status === 'rejected') {
      const error = execResult.reason as Error;
      queue.forEach((command, i) => {
        const own = queueResults[i];
        if (error instanceof WatchVariableError) command.reject(new WatchVariableError());
        else if (own?.status === 'rejected') command.reject(own.reason as Error);
        else command.reject(error);
      });
      return;
    }
    // EXEC's items answer, in order, every command that was written.
    const items = (execResult as PromiseFulfilledResult<Reply[]>).value;
    let next = 0;
    queue.forEach((command, i) => {
      const own = queueResults[i];
      const item = written[i] ? items[next++] : undefined;
      if (own?.status === 'rejected') return command.reject(own.reason as Error);
      if (item instanceof ReplyError) command.reject(item);
      else command.resolve(item);
    });
  }

  protected failure(errors: Error[], replies: unknown[]): PipelineError {
    return new MultiExecError(
      `${errors.length} command(s) of the transaction failed`,
      errors,
      replies,
    );
  }
}

function sendOn(conn: RedisConnection, queued: Queued): Promise<unknown> {
  return queued.options === undefined
    ? conn.execute(queued.command, ...queued.args)
    : conn.executeWith(queued.options, queued.command, ...queued.args);
}

// Every command method, on both kinds of batch, recorded as one call each.
// Their own execute() both queues and runs, so the groups' signature of it is left out.
type BatchCommands<S> = Omit<AllCommands<S>, 'execute' | 'executeWith'>;
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the body is the groups' methods
export interface Batch<S = Buffer> extends BatchCommands<S> {}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the body is the groups' methods
export interface Pipeline<S> extends BatchCommands<S> {}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the body is the groups' methods
export interface MultiExec<S> extends BatchCommands<S> {}
for (const Class of [Pipeline, MultiExec]) {
  mixCommands(
    Class,
    COMMAND_GROUPS,
    (method) =>
      function (this: unknown, ...args: unknown[]) {
        return (this as Batch<unknown>)._record(method as (...a: unknown[]) => unknown, args);
      },
  );
}
