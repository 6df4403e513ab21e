/**
 * Behaviour flags of commands, as data: which commands block (they hold their connection until the
 * server answers, which may be long and on purpose: a pool runs them on a connection of their own,
 * and a client-wide `commandTimeout` does not apply to them), and which change the state of the one
 * connection they run on (a pool refuses them on its shared connections).
 *
 * @module
 */
import type { Arg } from './protocol/encoder';

/**
 * Commands that hold their connection until the server answers. On a pool they never share a
 * connection: each runs on one acquired for it alone, so nothing queues behind it.
 */
export const BLOCKING_COMMANDS: ReadonlySet<string> = new Set([
  'BLPOP',
  'BRPOP',
  'BRPOPLPUSH',
  'BLMOVE',
  'BLMPOP',
  'BZPOPMIN',
  'BZPOPMAX',
  'BZMPOP',
  'WAIT',
  'WAITAOF',
]);

/** Commands that block only when given this option. */
export const BLOCKING_WITH_OPTION: ReadonlyMap<string, string> = new Map([
  ['XREAD', 'BLOCK'],
  ['XREADGROUP', 'BLOCK'],
]);

/** Whether the command (its name in upper case) blocks with these arguments. */
export function isBlocking(upper: string, args: readonly unknown[]): boolean {
  if (BLOCKING_COMMANDS.has(upper)) return true;
  const option = BLOCKING_WITH_OPTION.get(upper);
  return (
    option !== undefined &&
    args.some((arg) => typeof arg !== 'number' && String(arg as Arg).toUpperCase() === option)
  );
}

/**
 * Commands that change the state of the one connection they run on, so sending them through the
 * shared pool would leave that state on a connection the next command may or may not use; each
 * with what to do instead.
 */
export const CONNECTION_STATE: ReadonlyMap<string, string> = new Map([
  ['MULTI', 'acquire() a connection for a transaction'],
  ['EXEC', 'acquire() a connection for a transaction'],
  ['DISCARD', 'acquire() a connection for a transaction'],
  ['WATCH', 'acquire() a connection for WATCH … MULTI … EXEC'],
  ['UNWATCH', 'acquire() a connection for WATCH … MULTI … EXEC'],
  ['SELECT', 'use pool.select(db)'],
  ['AUTH', 'pass username / password to createPool'],
  ['HELLO', 'acquire() a connection to change its protocol'],
  ['RESET', 'acquire() a connection to reset it'],
  ['QUIT', 'use pool.close()'],
  ['MONITOR', 'acquire() a connection for MONITOR'],
]);
