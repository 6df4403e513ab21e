/**
 * {@link Script}: a Lua script that runs by its SHA1 (EVALSHA) and sends its source (EVAL) only
 * when the server does not have it cached: after a restart, a failover or a SCRIPT FLUSH.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { invalid, isInteger, type ReadOptions } from './commands/base';
import { NoScriptError } from './errors';
import type { Arg } from './protocol/encoder';
import type { Reply } from './protocol/reader';

/** Options of {@link Script}. */
export interface ScriptOptions {
  /**
   * How many keys the script takes. When set, {@link Script.run} refuses any other number of keys
   * (a TypeError, nothing sent). An integer ≥ 0. Default: any number.
   */
  numberOfKeys?: number;
}

/**
 * What a {@link Script} runs on: a Redis or ContextRedis client, a Pipeline or a MultiExec.
 * Pipelines and transactions say so with `inPipeline: true`.
 */
export interface ScriptClient {
  /** EVAL: runs `script` with `keys` (KEYS) and `args` (ARGV). */
  eval<T = Reply>(
    script: string | Buffer,
    keys?: Arg[],
    args?: Arg[],
    options?: ReadOptions,
  ): Promise<T>;
  /** EVALSHA: runs the cached script whose SHA1 is `sha`; NOSCRIPT when the server lacks it. */
  evalsha<T = Reply>(
    sha: string | Buffer,
    keys?: Arg[],
    args?: Arg[],
    options?: ReadOptions,
  ): Promise<T>;
}

/**
 * A Lua script with its SHA1, computed locally. {@link Script.run} sends EVALSHA and, when the
 * server answers NOSCRIPT, sends EVAL once, which also caches the script for the next run.
 *
 * ```ts
 * const takeToken = new Script(
 *   `local n = tonumber(redis.call('GET', KEYS[1]) or '0')
 *    if n > 0 then redis.call('DECR', KEYS[1]) return 1 end
 *    return 0`,
 *   { numberOfKeys: 1 },
 * );
 * const granted = await takeToken.run<number>(redis, ['tokens:alice']);
 * ```
 *
 * In a pipeline or a transaction (MULTI … EXEC, by multiExec() or by hand on an acquired
 * connection) `run` sends EVAL with the source straight away: a NOSCRIPT there would only be known
 * once the whole batch has run, too late to retry in its place without breaking the batch's order
 * or the transaction's atomicity. Load it first with `scriptLoad` and call `evalsha` yourself if
 * the source is too large to send each time.
 */
export class Script {
  /** The Lua source. */
  readonly source: string | Buffer;
  /** The source's SHA1, 40 lowercase hex digits: what EVALSHA and SCRIPT EXISTS take. */
  readonly sha: string;
  /** How many keys the script takes, when the constructor was told. */
  readonly numberOfKeys: number | undefined;

  /** Throws TypeError on a `source` that is not a string or Buffer, or a bad `numberOfKeys`. */
  constructor(source: string | Buffer, options?: ScriptOptions) {
    if (typeof source !== 'string' && !Buffer.isBuffer(source)) {
      throw new TypeError('Script source must be a string or Buffer');
    }
    const numberOfKeys = options?.numberOfKeys;
    if (numberOfKeys !== undefined && !(isInteger(numberOfKeys) && numberOfKeys >= 0)) {
      throw new TypeError('Script numberOfKeys must be an integer ≥ 0');
    }
    // A copy: a later change to the caller's Buffer must not make the source and SHA1 disagree.
    this.source = typeof source === 'string' ? source : Buffer.from(source);
    this.sha = createHash('sha1').update(this.source).digest('hex');
    this.numberOfKeys = numberOfKeys;
  }

  /**
   * Runs the script on `client` with `keys` (KEYS) and `args` (ARGV); resolves with its reply.
   * EVALSHA first, EVAL once on NOSCRIPT; in a pipeline or transaction, EVAL only (see above).
   * Any other error, EVAL's included, rejects as it is.
   */
  run<T = Reply>(
    client: ScriptClient,
    keys: Arg[] = [],
    args: Arg[] = [],
    options?: ReadOptions,
  ): Promise<T> {
    if (
      client == null ||
      typeof client.eval !== 'function' ||
      typeof client.evalsha !== 'function'
    ) {
      return invalid('Script.run() needs a client, pipeline or transaction');
    }
    if (
      this.numberOfKeys !== undefined &&
      Array.isArray(keys) &&
      keys.length !== this.numberOfKeys
    ) {
      return invalid(`Script.run() needs ${this.numberOfKeys} key(s), got ${keys.length}`);
    }
    if (inBatch(client)) return client.eval<T>(this.source, keys, args, options);
    return client
      .evalsha<T>(this.sha, keys, args, options)
      .catch((err: unknown) =>
        err instanceof NoScriptError
          ? client.eval<T>(this.source, keys, args, options)
          : Promise.reject(err),
      );
  }
}

/**
 * Whether commands sent to `client` only run later as part of a batch: a Pipeline or MultiExec
 * (`inPipeline`), or a connection between MULTI and EXEC (`inTransaction`).
 */
function inBatch(client: ScriptClient): boolean {
  const probe = client as { execute?: unknown; inPipeline?: unknown; inTransaction?: unknown };
  return (
    (typeof probe.execute === 'function' && probe.inPipeline === true) ||
    probe.inTransaction === true
  );
}
