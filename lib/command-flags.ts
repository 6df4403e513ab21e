/**
 * Behaviour flags of commands, as data: which commands block (they hold their connection until the
 * server answers, which may be long and on purpose: a pool runs them on a connection of their own,
 * and a client-wide `commandTimeout` does not apply to them), and which change the state of the one
 * connection they run on (a pool refuses them on its shared connections).
 *
 * @module
 */

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

type ServerWait = (args: readonly unknown[]) => number | undefined;

/** A number of seconds or milliseconds as the server reads it; `0` means forever. */
function wait(arg: unknown, unit: number): number {
  const value = Number(Buffer.isBuffer(arg) ? arg.toString() : arg);
  if (value === 0) return Infinity;
  // A value the server will refuse at once, with an error: no stretch needed, but none is harmful.
  return Number.isFinite(value) && value > 0 ? value * unit : Infinity;
}
const lastSeconds: ServerWait = (args) => wait(args[args.length - 1], 1000);
const firstSeconds: ServerWait = (args) => wait(args[0], 1000);
const lastMs: ServerWait = (args) => wait(args[args.length - 1], 1);
/** XREAD / XREADGROUP: blocking only with BLOCK before STREAMS (a key after it may be called "block"). */
const blockOption: ServerWait = (args) => {
  for (let i = 0; i < args.length; i++) {
    const word = typeof args[i] === 'number' ? '' : String(args[i]).toUpperCase();
    if (word === 'STREAMS') return undefined;
    if (word === 'BLOCK') return wait(args[i + 1], 1);
  }
  return undefined;
};

/**
 * For each blocking command (`BLOCKING_COMMANDS` and `BLOCKING_WITH_OPTION` above, a test checks
 * they agree): where it says how long the server may hold it. The one rule of what blocks:
 * {@link isBlocking}, the pool, `commandTimeout`, the stall detector and the blocking abort all
 * ask it.
 */
export const SERVER_WAIT: ReadonlyMap<string, ServerWait> = new Map([
  ['BLPOP', lastSeconds],
  ['BRPOP', lastSeconds],
  ['BRPOPLPUSH', lastSeconds],
  ['BLMOVE', lastSeconds],
  ['BZPOPMIN', lastSeconds],
  ['BZPOPMAX', lastSeconds],
  ['BLMPOP', firstSeconds],
  ['BZMPOP', firstSeconds],
  ['WAIT', lastMs],
  ['WAITAOF', lastMs],
  ['XREAD', blockOption],
  ['XREADGROUP', blockOption],
]);

/**
 * How long the server may hold this command before it answers, in milliseconds (`Infinity`: it
 * may block forever); undefined when the command does not block. One map lookup for the others.
 */
export function serverWait(upper: string, args: readonly unknown[]): number | undefined {
  const rule = SERVER_WAIT.get(upper);
  return rule === undefined ? undefined : rule(args);
}

/** Whether the command (its name in upper case) blocks with these arguments. */
export function isBlocking(upper: string, args: readonly unknown[]): boolean {
  return serverWait(upper, args) !== undefined;
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
