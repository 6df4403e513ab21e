/**
 * Keyless commands that run on every shard or every node (their COMMAND INFO tip says so: DBSIZE,
 * KEYS, FLUSHALL, SCRIPT LOAD…), and how their replies combine by the tip's response policy.
 *
 * @module
 */
import type { ExecuteOptions } from '../connection';
import { PipelineError } from '../errors';
import type { ConnectionsPool } from '../pool';
import type { Arg } from '../protocol/encoder';
import type { CommandSpec } from './command-keys';

/**
 * Sends the command to every pool at once and combines the replies: sums for `agg_sum`, the least
 * or greatest for `agg_min`/`agg_max`, element-wise AND/OR for `agg_logical_*`, one reply for
 * `all_succeeded` and `one_succeeded`, and arrays concatenated otherwise (KEYS). A node's error
 * rejects the whole call (PipelineError with every node's outcome) except under `one_succeeded`;
 * the nodes that answered did run it.
 */
export function fanOut<T>(
  spec: CommandSpec,
  pools: readonly ConnectionsPool[],
  options: ExecuteOptions | undefined,
  command: string,
  args: readonly Arg[],
): Promise<T> {
  const sends = pools.map((pool) =>
    options === undefined
      ? pool.execute(command, ...args)
      : pool.executeWith(options, command, ...args),
  );
  return Promise.allSettled(sends).then((results) => combine(spec, command, results) as T);
}

function combine(
  spec: CommandSpec,
  command: string,
  results: PromiseSettledResult<unknown>[],
): unknown {
  const values: unknown[] = [];
  const errors: Error[] = [];
  for (const result of results) {
    if (result.status === 'fulfilled') values.push(result.value);
    else errors.push(result.reason as Error);
  }
  if (spec.response === 'one_succeeded') {
    if (values.length > 0) return values[0];
    throw errors[0];
  }
  if (errors.length > 0) {
    if (results.length === 1) throw errors[0];
    throw new PipelineError(
      `${command.toUpperCase()} failed on ${errors.length} of ${results.length} nodes (the others ran it)`,
      errors,
      results.map((r) => (r.status === 'fulfilled' ? r.value : r.reason)),
    );
  }
  switch (spec.response) {
    case 'agg_sum':
      return reduce(values, (a, b) => a + b);
    case 'agg_min':
      return reduce(values, Math.min);
    case 'agg_max':
      return reduce(values, Math.max);
    case 'agg_logical_and':
      return reduce(values, (a, b) => (a !== 0 && b !== 0 ? 1 : 0));
    case 'agg_logical_or':
      return reduce(values, (a, b) => (a !== 0 || b !== 0 ? 1 : 0));
    case 'all_succeeded':
      return values[0];
    default:
      return values.every(Array.isArray) ? values.flat(1) : values[0];
  }
}

/** Combines numbers, or arrays of numbers element by element. */
function reduce(values: unknown[], op: (a: number, b: number) => number): unknown {
  const [first, ...rest] = values;
  if (Array.isArray(first)) {
    return first.map((item, i) =>
      rest.reduce<number>((acc, value) => op(acc, Number((value as unknown[])[i])), Number(item)),
    );
  }
  return rest.reduce<number>((acc, value) => op(acc, Number(value)), Number(first));
}
