/**
 * A WATCH or MULTI block whose connection was lost: what the caller sends next still belongs to
 * it, but the block's state died with the connection, so it must not run on the next one as if
 * nothing happened. Pure: the Link keeps the state.
 *
 * @module
 */
import { ConnectionLostError, WatchVariableError } from '../errors';

/**
 * The block a lost connection was in: `'watch'` (keys were WATCHed), `'multi'` (MULTI was sent),
 * `'discarding'` (the MULTI of a lost WATCH was refused; the rest of its transaction follows), or
 * undefined (none).
 */
export type Broken = 'watch' | 'multi' | 'discarding' | undefined;

/**
 * What `command` gets, unsent, while `broken`; `refusal` undefined when it may be sent, and the
 * state after it. After a lost WATCH, the transaction it guarded must not run unguarded: its MULTI,
 * every command up to EXEC and EXEC reject with WatchVariableError. After a lost MULTI, the rest of
 * that transaction rejects with ConnectionLostError (nothing of it ran). A new WATCH, UNWATCH, or
 * the block's end (EXEC, DISCARD) clears the state.
 */
export function refuseBroken(
  broken: Broken,
  command: string,
): { broken: Broken; refusal: Promise<unknown> | undefined } {
  const upper = command.toUpperCase();
  if (upper === 'DISCARD' && broken !== 'watch') {
    // The server has no transaction to discard.
    return { broken: undefined, refusal: Promise.resolve('OK') };
  }
  if (upper === 'WATCH' || upper === 'UNWATCH' || upper === 'DISCARD') {
    return { broken: undefined, refusal: undefined };
  }
  let next = broken;
  if (broken === 'watch') {
    if (upper !== 'MULTI') return { broken, refusal: undefined }; // reads between WATCH and MULTI may run
    next = 'discarding';
  }
  if (upper === 'EXEC') next = undefined;
  if (broken === 'multi') {
    const error = new ConnectionLostError(
      `${upper} was not sent: its transaction's connection was lost before EXEC, so none of it ran`,
      false,
    );
    return { broken: next, refusal: Promise.reject(error) };
  }
  return { broken: next, refusal: Promise.reject(new WatchVariableError()) };
}
