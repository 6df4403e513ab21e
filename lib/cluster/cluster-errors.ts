/**
 * The errors of a cluster client. Like lib/errors.ts, each class has a fixed `name` and a stable
 * `code`: match on `code` (or `instanceof`), never on `message`.
 *
 * ```
 * RedisError
 *  ├ CrossSlotError              REDMUX_ERR_CROSSSLOT
 *  ├ TooManyRedirectionsError    REDMUX_ERR_TOO_MANY_REDIRECTIONS
 *  ├ ClusterDownError            REDMUX_ERR_CLUSTER_DOWN
 *  ├ NoNodeForSlotError          REDMUX_ERR_NO_NODE_FOR_SLOT
 *  └ ClusterConnectError         REDMUX_ERR_CLUSTER_CONNECT
 * ```
 *
 * @module
 */
import { RedisError } from '../errors';
import type { Arg } from '../protocol/encoder';

/** How much of a key (or of an error text) a message quotes; the fields keep it whole. */
const QUOTE_LIMIT = 100;

/** `value` as JSON, cut to {@link QUOTE_LIMIT} characters so that a huge key cannot flood a log. */
function quote(value: string): string {
  const cut = value.length > QUOTE_LIMIT ? `${value.slice(0, QUOTE_LIMIT)}…` : value;
  return JSON.stringify(cut);
}

function keyText(key: Arg): string {
  return typeof key === 'string' ? key : Buffer.isBuffer(key) ? key.toString('utf8') : String(key);
}

/**
 * A command's keys hash to different slots, so no single node can run it; it was refused before
 * it was sent (the server would answer `CROSSSLOT`). Put the keys in one slot with a hash tag
 * (`{user1}:name`, `{user1}:email`).
 */
export class CrossSlotError extends RedisError {
  /** The first two keys found in different slots, as text (Buffers decoded as UTF-8). */
  readonly keys: readonly [string, string];
  /** Their slots, in the same order. */
  readonly slots: readonly [number, number];
  /** The command that was refused (its name only), when known. */
  readonly command: string | undefined;

  constructor(
    keys: readonly [Arg, Arg],
    slots: readonly [number, number],
    command?: string,
    options?: ErrorOptions,
  ) {
    const [first, second] = [keyText(keys[0]), keyText(keys[1])];
    super(
      `${command === undefined ? 'The' : `${command}:`} keys ${quote(first)} (slot ${slots[0]}) ` +
        `and ${quote(second)} (slot ${slots[1]}) hash to different slots; ` +
        'use a hash tag such as {tag} to put them in one slot',
      'REDMUX_ERR_CROSSSLOT',
      options,
    );
    this.keys = Object.freeze([first, second] as const);
    this.slots = Object.freeze([slots[0], slots[1]] as const);
    this.command = command;
  }

  override get name(): string {
    return 'CrossSlotError';
  }
}

/**
 * A command was redirected (MOVED, ASK, TRYAGAIN…) more times than `maxRedirections` allows.
 * `hops` lists every redirection in order; `cause` is the last error seen.
 */
export class TooManyRedirectionsError extends RedisError {
  /** Each redirection, e.g. `'MOVED 3999 127.0.0.1:7002'`, oldest first. */
  readonly hops: readonly string[];

  constructor(hops: readonly string[], cause?: Error) {
    const last = cause === undefined ? '' : `; last error: ${cause.message}`;
    super(
      `Too many cluster redirections (${hops.length}): ${hops.slice(-3).join(', ')}${last}`,
      'REDMUX_ERR_TOO_MANY_REDIRECTIONS',
      cause === undefined ? undefined : { cause },
    );
    this.hops = Object.freeze([...hops]);
  }

  override get name(): string {
    return 'TooManyRedirectionsError';
  }
}

/**
 * The cluster could not serve the slot (`CLUSTERDOWN`, `MASTERDOWN`) for longer than the client
 * waits (`clusterDownTimeout`). Nothing was run. `cause` is the server's last error.
 */
export class ClusterDownError extends RedisError {
  /** Nothing was run. */
  readonly maybeExecuted = false;
  /** The hash slot the command needed. */
  readonly slot: number;

  constructor(slot: number, message?: string, options?: ErrorOptions) {
    super(message ?? `The cluster is down for slot ${slot}`, 'REDMUX_ERR_CLUSTER_DOWN', options);
    this.slot = slot;
  }

  override get name(): string {
    return 'ClusterDownError';
  }
}

/**
 * No node serves the slot in the client's current topology (the slot is unassigned, or its master
 * is unreachable by address). Nothing was sent.
 */
export class NoNodeForSlotError extends RedisError {
  /** Nothing was run. */
  readonly maybeExecuted = false;
  /** The hash slot that has no node. */
  readonly slot: number;

  constructor(slot: number, message?: string, options?: ErrorOptions) {
    super(message ?? `No node serves slot ${slot}`, 'REDMUX_ERR_NO_NODE_FOR_SLOT', options);
    this.slot = slot;
  }

  override get name(): string {
    return 'NoNodeForSlotError';
  }
}

/** One seed that could not be used, as {@link ClusterConnectError} lists it. */
export interface SeedFailure {
  /** The seed's address (`host:port` or a URL), with any password replaced by `***`. */
  readonly address: string;
  /** Why it failed. */
  readonly error: Error;
}

/**
 * No seed node gave a topology: each one failed to connect or to answer. `errors` has one entry
 * per seed, in the order they were tried. Passwords never appear in the message or in `errors`.
 */
export class ClusterConnectError extends RedisError {
  /** Each seed and its error. */
  readonly errors: readonly SeedFailure[];

  constructor(errors: ReadonlyArray<{ address: string; error: Error }>, options?: ErrorOptions) {
    const redacted = errors.map(({ address, error }) =>
      Object.freeze({ address: redactSecrets(address), error }),
    );
    const list = redacted.map(
      ({ address, error }) => `${address} (${redactSecrets(error.message)})`,
    );
    super(
      `Could not load the cluster topology from any seed node: ${list.join('; ') || 'no seeds'}`,
      'REDMUX_ERR_CLUSTER_CONNECT',
      options,
    );
    this.errors = Object.freeze(redacted);
  }

  override get name(): string {
    return 'ClusterConnectError';
  }
}

/**
 * `text` with the password of every URL (`redis://user:secret@host`) and every `password=` query
 * parameter replaced by `***`, for error messages that quote an address.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/@:]*:)[^\s/@]*@/gi, '$1***@')
    .replace(/([?&]password=)[^&\s#]*/gi, '$1***');
}
