/**
 * What a failure says about whether a command ran: the one table every retry asks (STYLE.md,
 * "Retry policy as one table"). A reply error whose prefix is listed here proves the server did
 * not run the command, so it may be sent again within its own deadline; every other failure after
 * a command was written means it may have run, and it is never sent again without the caller's
 * opt-in (DESIGN.md invariant 9). Pure: no I/O.
 *
 * @module
 */

/** Where a command is: never handed to a socket, handed to one (it may have run), or answered. */
export type Fate = 'queued' | 'written' | 'settled';

/**
 * Who may retry a reply that proves the command did not run: `'any'` client, a client that expects
 * a `'master'` (READONLY from a node that turned replica also means its address is stale), or a
 * `'cluster'` client that follows redirections and refreshes its slot map.
 */
export type Retrier = 'any' | 'master' | 'cluster';

/** Reply error prefixes that prove a command did not run, why, and which clients may retry it. */
export const NOT_RUN: ReadonlyMap<
  string,
  { readonly why: string; readonly by: readonly Retrier[] }
> = new Map([
  ['LOADING', { why: 'the server is loading its dataset into memory', by: ['any'] }],
  ['MASTERDOWN', { why: 'the replica lost its master and refuses stale reads', by: ['any'] }],
  ['TRYAGAIN', { why: 'a multi-key command met a slot being migrated', by: ['any'] }],
  [
    'READONLY',
    { why: 'the node is a replica now: writes go elsewhere', by: ['master', 'cluster'] },
  ],
  ['CLUSTERDOWN', { why: 'the cluster cannot serve this slot at the moment', by: ['cluster'] }],
  ['MOVED', { why: 'the slot lives on another node', by: ['cluster'] }],
  ['ASK', { why: 'the key is being migrated to another node', by: ['cluster'] }],
]);

/** The prefix of a server error message: its first word (`LOADING Redis is loading…` → LOADING). */
export function errorPrefix(message: string): string {
  const space = message.indexOf(' ');
  return space === -1 ? message : message.slice(0, space);
}

/**
 * Whether a server error reply with `message` proves that the command did not run and that a
 * client of kind `client` may send it again (with backoff, within the command's deadline).
 */
export function retryableReply(message: string, client: Retrier): boolean {
  const entry = NOT_RUN.get(errorPrefix(message));
  if (entry === undefined) return false;
  return entry.by.includes('any') || entry.by.includes(client);
}

/**
 * Whether a command whose connection was lost while it was in `fate` may be sent again: a queued
 * command always (it never reached a socket), a written one only when its caller opted in with
 * `retryOnLoss` (it says the command is safe to run twice), and only once.
 */
export function resendAfterLoss(fate: Fate, retryOnLoss: boolean, resent: number): boolean {
  if (fate === 'queued') return true;
  if (fate === 'written') return retryOnLoss && resent === 0;
  return false;
}
