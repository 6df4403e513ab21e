/**
 * The multi-key commands a cluster splits per slot when their keys span slots — MGET, MSET, DEL,
 * UNLINK, EXISTS, TOUCH — and how the parts merge: MGET's values in the caller's order, the sum of
 * the counts, MSET's OK. The parts are sent in the same turn, so each node gets its parts in one
 * write; they are not atomic together.
 *
 * @module
 */
import { PipelineError } from '../errors';
import type { Arg } from '../protocol/encoder';
import { hashSlot } from './slot';

/** Sends one part (a command on keys of one slot). */
export type SendPart = (command: string, args: Arg[]) => Promise<unknown>;

/**
 * Splits `name` (lowercase, one of SPLIT_COMMANDS) over its keys' slots, sends every part, and
 * merges the replies. A part that fails rejects the call with PipelineError (`errors` and
 * `replies` per part, in slot order): the parts that succeeded did run.
 */
export function splitCommand<T>(name: string, args: readonly Arg[], send: SendPart): Promise<T> {
  const step = name === 'mset' ? 2 : 1;
  const groups = new Map<number, number[]>();
  for (let i = 0; i < args.length; i += step) {
    const slot = hashSlot(args[i] as Arg);
    const group = groups.get(slot);
    if (group === undefined) groups.set(slot, [i]);
    else group.push(i);
  }
  const command = name.toUpperCase();
  const parts = [...groups.values()];
  const sends = parts.map((indexes) => {
    const partArgs: Arg[] = [];
    for (const i of indexes) {
      partArgs.push(args[i] as Arg);
      if (step === 2) partArgs.push(args[i + 1] as Arg);
    }
    return send(command, partArgs);
  });
  return Promise.allSettled(sends).then((results) => {
    const failed = results.filter((r) => r.status === 'rejected');
    if (failed.length > 0) {
      throw new PipelineError(
        `${command} split over ${parts.length} slots: ${failed.length} part(s) failed, the others ran`,
        failed.map((r) => r.reason as Error),
        results.map((r) => (r.status === 'fulfilled' ? r.value : r.reason)),
      );
    }
    const values = results.map((r) => (r as PromiseFulfilledResult<unknown>).value);
    if (name === 'mget') {
      const merged: unknown[] = new Array(args.length);
      parts.forEach((indexes, p) => {
        const replies = values[p] as unknown[];
        indexes.forEach((argIndex, k) => (merged[argIndex] = replies[k]));
      });
      return merged as T;
    }
    if (name === 'mset') return values[0] as T;
    return values.reduce<number>((sum, value) => sum + Number(value), 0) as T;
  });
}
