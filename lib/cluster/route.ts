/**
 * Where one command goes: its slot from its keys (CrossSlotError before sending when they span
 * slots), or a keyless route, and the retry rule of a cluster command written once, in one place:
 * which failures prove it did not run (it may be sent again, to the node that now owns its slot)
 * and which leave it maybe executed (it is never sent again). Pure: no I/O.
 *
 * @module
 */
import {
  ConnectionClosedError,
  ConnectionLostError,
  PoolClosedError,
  QueueFullError,
  RedisError,
  TimeoutError,
} from '../errors';
import type { Arg } from '../protocol/encoder';
import { CrossSlotError } from './cluster-errors';
import { type CommandSpec, keyPositions } from './command-keys';
import { hashSlot } from './slot';

/** No key: the command may run on any node (or fans out, by its request policy). */
export const KEYLESS = -1;

/** The commands a cluster splits per slot when their keys span slots, then merges. */
export const SPLIT_COMMANDS: ReadonlySet<string> = new Set([
  'mget',
  'mset',
  'del',
  'unlink',
  'exists',
  'touch',
]);

/**
 * The slot of a command: KEYLESS without keys, the keys' one slot, or `'split'` for a command of
 * SPLIT_COMMANDS whose keys span slots. Keys of any other command that span slots give a
 * CrossSlotError naming two of them; bad key counts (numkeys) a TypeError.
 */
export function slotOf(spec: CommandSpec, args: readonly Arg[]): number | 'split' | Error {
  try {
    if (spec.singleKey) return args.length === 0 ? KEYLESS : hashSlot(args[0] as Arg);
    const positions = keyPositions(spec, args);
    if (positions.length === 0) return KEYLESS;
    const first = args[positions[0] as number] as Arg;
    const slot = hashSlot(first);
    for (let i = 1; i < positions.length; i++) {
      const key = args[positions[i] as number] as Arg;
      const other = hashSlot(key);
      if (other === slot) continue;
      if (SPLIT_COMMANDS.has(spec.name)) return 'split';
      return new CrossSlotError([first, key], [slot, other], spec.name.toUpperCase());
    }
    return slot;
  } catch (err) {
    // A bad numkeys, or a key that is no string, Buffer or number: refused, never thrown.
    return err as Error;
  }
}

/**
 * Whether a failure proves the command never reached a server (so it may go to another node):
 * refused by a closed connection or a closed pool, lost before it was written, a full queue, a
 * timeout while it waited unsent, or a connection that could not be opened. Everything else
 * after a write may have run (DESIGN.md invariant 9).
 */
export function neverSent(err: unknown): boolean {
  if (err instanceof ConnectionLostError) return !err.maybeExecuted;
  if (err instanceof QueueFullError) return true;
  // The node's pool was closed (the topology dropped a dead node) while the command waited for a
  // connection: a pool refuses or drops its callers before anything is written.
  if (err instanceof PoolClosedError) return true;
  if (err instanceof TimeoutError) return err.maybeExecuted === false;
  // Exactly a ConnectionClosedError: a command sent after its connection closed (refused unsent).
  if (err instanceof ConnectionClosedError) return err.constructor === ConnectionClosedError;
  if (err instanceof RedisError) return false;
  // A system error of the socket while connecting (ECONNREFUSED, EHOSTUNREACH…): nothing written.
  const code = (err as { code?: unknown; syscall?: unknown } | null)?.syscall;
  return typeof code === 'string' && code.length > 0;
}
