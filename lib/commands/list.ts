/**
 * List commands (aioredis 1.x `commands/list.py`, camelCase), plus LPOS (Redis 6.0.6), LMOVE and
 * BLMOVE (6.2), LMPOP and BLMPOP (7.0), and LPOP / RPOP with a count (6.2). Elements are `S` (the
 * client's bulk type) unless the call passes an encoding.
 *
 * The blocking commands (BLPOP, BRPOP, BRPOPLPUSH, BLMOVE, BLMPOP) take their timeout in seconds,
 * fractions allowed, 0 meaning for ever. A single-connection client waits with them (its other
 * commands queue behind); a pool runs each on a connection of its own, so they block nothing else.
 *
 * @module
 */
import type { Arg } from '../protocol/encoder';
import {
  type Bulk,
  Commands,
  invalid,
  isInteger,
  isOk,
  outOfRange,
  type ReadOptions,
} from './base';

/** An end of a list: where LMOVE / BLMOVE take from or put to, where LMPOP / BLMPOP pop from. */
export type ListEnd = 'LEFT' | 'RIGHT';

/** Options of {@link ListCommands.lpop} and {@link ListCommands.rpop}. */
export interface LPopOptions extends ReadOptions {
  /**
   * Pop up to this many elements (Redis 6.2) and resolve with an array. An integer ≥ 0. Default:
   * pop one element and resolve with it.
   */
  count?: number;
}

/** Options of {@link ListCommands.lmpop} and {@link ListCommands.blmpop}. */
export interface LMPopOptions extends ReadOptions {
  /** Pop up to this many elements from the first non-empty list. An integer > 0; default 1. */
  count?: number;
}

/** Options of {@link ListCommands.lpos}. */
export interface LPosOptions {
  /** Which match: 1 the first (default), 2 the second…; negative counts from the tail. Not 0. */
  rank?: number;
  /**
   * Resolve with up to this many positions, as an array; 0 means all. An integer ≥ 0. Default:
   * resolve with the first position only.
   */
  count?: number;
  /** Compare at most this many elements; 0 (default) means the whole list. An integer ≥ 0. */
  maxlen?: number;
}

/** Options of {@link ListCommands.linsert}. */
export interface LInsertOptions {
  /** Insert before the pivot. Default false: after it (aioredis 1.x's `before=False`). */
  before?: boolean;
}

export abstract class ListCommands<S = Buffer> extends Commands<S> {
  /**
   * BLPOP: `[key, element]` popped from the head of the first non-empty list of `keys`, waiting
   * up to `timeout` seconds (0: for ever); null when the time ran out.
   */
  blpop<O extends ReadOptions | undefined = undefined>(
    keys: Arg[] | Arg,
    timeout = 0,
    options?: O,
  ): Promise<[key: Bulk<O, S>, element: Bulk<O, S>] | null> {
    const list = keyList(keys);
    if (list === undefined) return invalid('blpop() needs a key or a non-empty array of keys');
    return badTimeout('blpop', timeout) ?? this.read(options, 'BLPOP', ...list, timeout);
  }

  /** BRPOP: like {@link blpop}, from the tails. */
  brpop<O extends ReadOptions | undefined = undefined>(
    keys: Arg[] | Arg,
    timeout = 0,
    options?: O,
  ): Promise<[key: Bulk<O, S>, element: Bulk<O, S>] | null> {
    const list = keyList(keys);
    if (list === undefined) return invalid('brpop() needs a key or a non-empty array of keys');
    return badTimeout('brpop', timeout) ?? this.read(options, 'BRPOP', ...list, timeout);
  }

  /**
   * BRPOPLPUSH: moves the tail of `source` to the head of `dest` and resolves with it, waiting up
   * to `timeout` seconds (0: for ever); null when the time ran out.
   */
  brpoplpush<O extends ReadOptions | undefined = undefined>(
    source: Arg,
    dest: Arg,
    timeout = 0,
    options?: O,
  ): Promise<Bulk<O, S> | null> {
    return (
      badTimeout('brpoplpush', timeout) ?? this.read(options, 'BRPOPLPUSH', source, dest, timeout)
    );
  }

  /**
   * BLMOVE (Redis 6.2): moves an element from the `from` end of `source` to the `to` end of
   * `dest` and resolves with it, waiting up to `timeout` seconds (0: for ever); null on timeout.
   */
  blmove<O extends ReadOptions | undefined = undefined>(
    source: Arg,
    dest: Arg,
    from: ListEnd,
    to: ListEnd,
    timeout = 0,
    options?: O,
  ): Promise<Bulk<O, S> | null> {
    if (!isEnd(from) || !isEnd(to)) return invalid("blmove() ends must be 'LEFT' or 'RIGHT'");
    return (
      badTimeout('blmove', timeout) ?? this.read(options, 'BLMOVE', source, dest, from, to, timeout)
    );
  }

  /**
   * BLMPOP (Redis 7.0): `[key, elements]` popped from the `end` of the first non-empty list of
   * `keys`, waiting up to `timeout` seconds (0: for ever); null when the time ran out.
   */
  blmpop<O extends LMPopOptions | undefined = undefined>(
    timeout: number,
    keys: Arg[],
    end: ListEnd,
    options?: O,
  ): Promise<[key: Bulk<O, S>, elements: Array<Bulk<O, S>>] | null> {
    const args = mpopArgs('blmpop', keys, end, options);
    if (!Array.isArray(args)) return args;
    return badTimeout('blmpop', timeout) ?? this.read(options, 'BLMPOP', timeout, ...args);
  }

  /** LINDEX: the element at `index` (negative: from the tail), or null when out of range. */
  lindex<O extends ReadOptions | undefined = undefined>(
    key: Arg,
    index: number,
    options?: O,
  ): Promise<Bulk<O, S> | null> {
    if (!isInteger(index)) return invalid('lindex() index must be an integer');
    return this.read(options, 'LINDEX', key, index);
  }

  /**
   * LINSERT: inserts `value` after the first `pivot` (before it with `{ before: true }`);
   * resolves with the new length, -1 when there is no pivot, 0 when the list does not exist.
   */
  linsert(key: Arg, pivot: Arg, value: Arg, options: LInsertOptions = {}): Promise<number> {
    const before = options.before ?? false;
    if (typeof before !== 'boolean') return invalid('linsert() before must be a boolean');
    return this.execute('LINSERT', key, before ? 'BEFORE' : 'AFTER', pivot, value);
  }

  /** LLEN: the list's length (0 for a missing key). */
  llen(key: Arg): Promise<number> {
    return this.execute('LLEN', key);
  }

  /**
   * LMOVE (Redis 6.2): moves an element from the `from` end of `source` to the `to` end of
   * `dest`; resolves with it, or null when `source` is empty.
   */
  lmove<O extends ReadOptions | undefined = undefined>(
    source: Arg,
    dest: Arg,
    from: ListEnd,
    to: ListEnd,
    options?: O,
  ): Promise<Bulk<O, S> | null> {
    if (!isEnd(from) || !isEnd(to)) return invalid("lmove() ends must be 'LEFT' or 'RIGHT'");
    return this.read(options, 'LMOVE', source, dest, from, to);
  }

  /**
   * LMPOP (Redis 7.0): `[key, elements]` popped from the `end` of the first non-empty list of
   * `keys` (up to `count`, default 1); null when they are all empty.
   */
  lmpop<O extends LMPopOptions | undefined = undefined>(
    keys: Arg[],
    end: ListEnd,
    options?: O,
  ): Promise<[key: Bulk<O, S>, elements: Array<Bulk<O, S>>] | null> {
    const args = mpopArgs('lmpop', keys, end, options);
    return Array.isArray(args) ? this.read(options, 'LMPOP', ...args) : args;
  }

  /**
   * LPOP: the head element, or null for a missing list; with `count`, an array of up to that
   * many (still null for a missing list).
   */
  lpop<O extends LPopOptions & { count: number }>(
    key: Arg,
    options: O,
  ): Promise<Array<Bulk<O, S>> | null>;
  lpop<O extends ReadOptions | undefined = undefined>(
    key: Arg,
    options?: O,
  ): Promise<Bulk<O, S> | null>;
  lpop(key: Arg, options?: LPopOptions): Promise<unknown> {
    const count = popCount('lpop', options);
    return Array.isArray(count) ? this.read(options, 'LPOP', key, ...count) : count;
  }

  /**
   * LPOS (Redis 6.0.6): the index of `element` (the `rank`-th match), or null when absent; with
   * `count`, an array of up to `count` indexes (0: all of them).
   */
  lpos(key: Arg, element: Arg, options: LPosOptions & { count: number }): Promise<number[]>;
  lpos(key: Arg, element: Arg, options?: LPosOptions): Promise<number | null>;
  lpos(key: Arg, element: Arg, options: LPosOptions = {}): Promise<unknown> {
    const { rank, count, maxlen } = options;
    const args: Arg[] = [key, element];
    if (rank !== undefined) {
      if (!isInteger(rank) || rank === 0) return invalid('lpos() rank must be a non-zero integer');
      args.push('RANK', rank);
    }
    for (const [name, value] of [
      ['COUNT', count],
      ['MAXLEN', maxlen],
    ] as const) {
      if (value === undefined) continue;
      if (!isInteger(value)) return invalid(`lpos() ${name.toLowerCase()} must be an integer`);
      if (value < 0) return outOfRange(`lpos() ${name.toLowerCase()} must be ≥ 0`);
      args.push(name, value);
    }
    return this.execute('LPOS', ...args);
  }

  /** LPUSH: prepends the values (the last one ends up first); resolves with the new length. */
  lpush(key: Arg, value: Arg, ...values: Arg[]): Promise<number> {
    return this.execute('LPUSH', key, value, ...values);
  }

  /** LPUSHX: LPUSH only onto an existing list; resolves with the length (0: nothing pushed). */
  lpushx(key: Arg, value: Arg, ...values: Arg[]): Promise<number> {
    return this.execute('LPUSHX', key, value, ...values);
  }

  /** LRANGE: the elements from `start` to `stop` (inclusive; negative from the tail). */
  lrange<O extends ReadOptions | undefined = undefined>(
    key: Arg,
    start: number,
    stop: number,
    options?: O,
  ): Promise<Array<Bulk<O, S>>> {
    if (!isInteger(start) || !isInteger(stop))
      return invalid('lrange() start and stop must be integers');
    return this.read(options, 'LRANGE', key, start, stop);
  }

  /**
   * LREM: removes `count` occurrences of `value` (from the head; negative: from the tail; 0: all);
   * resolves with how many it removed.
   */
  lrem(key: Arg, count: number, value: Arg): Promise<number> {
    if (!isInteger(count)) return invalid('lrem() count must be an integer');
    return this.execute('LREM', key, count, value);
  }

  /** LSET: sets the element at `index`; resolves true (an index out of range is an error reply). */
  lset(key: Arg, index: number, value: Arg): Promise<boolean> {
    if (!isInteger(index)) return invalid('lset() index must be an integer');
    return this.execute<string>('LSET', key, index, value).then(isOk);
  }

  /** LTRIM: keeps only the elements from `start` to `stop` (inclusive); resolves true. */
  ltrim(key: Arg, start: number, stop: number): Promise<boolean> {
    if (!isInteger(start) || !isInteger(stop))
      return invalid('ltrim() start and stop must be integers');
    return this.execute<string>('LTRIM', key, start, stop).then(isOk);
  }

  /** RPOP: like {@link lpop}, from the tail. */
  rpop<O extends LPopOptions & { count: number }>(
    key: Arg,
    options: O,
  ): Promise<Array<Bulk<O, S>> | null>;
  rpop<O extends ReadOptions | undefined = undefined>(
    key: Arg,
    options?: O,
  ): Promise<Bulk<O, S> | null>;
  rpop(key: Arg, options?: LPopOptions): Promise<unknown> {
    const count = popCount('rpop', options);
    return Array.isArray(count) ? this.read(options, 'RPOP', key, ...count) : count;
  }

  /** RPOPLPUSH: moves the tail of `source` to the head of `dest`; resolves with it, or null. */
  rpoplpush<O extends ReadOptions | undefined = undefined>(
    source: Arg,
    dest: Arg,
    options?: O,
  ): Promise<Bulk<O, S> | null> {
    return this.read(options, 'RPOPLPUSH', source, dest);
  }

  /** RPUSH: appends the values; resolves with the new length. */
  rpush(key: Arg, value: Arg, ...values: Arg[]): Promise<number> {
    return this.execute('RPUSH', key, value, ...values);
  }

  /** RPUSHX: RPUSH only onto an existing list; resolves with the length (0: nothing pushed). */
  rpushx(key: Arg, value: Arg, ...values: Arg[]): Promise<number> {
    return this.execute('RPUSHX', key, value, ...values);
  }
}

/** One key or a non-empty array of keys as a list; undefined for anything else. */
function keyList(keys: Arg[] | Arg): Arg[] | undefined {
  if (!Array.isArray(keys)) return [keys];
  return keys.length > 0 ? keys : undefined;
}

function isEnd(end: unknown): end is ListEnd {
  return end === 'LEFT' || end === 'RIGHT';
}

/** The rejection for a blocking command's bad timeout (seconds, ≥ 0), or undefined when fine. */
function badTimeout(method: string, timeout: unknown): Promise<never> | undefined {
  if (typeof timeout !== 'number' || Number.isNaN(timeout)) {
    return invalid(`${method}() timeout must be a number of seconds`);
  }
  if (timeout < 0 || timeout === Infinity) {
    return outOfRange(`${method}() timeout must be finite and ≥ 0 (0: wait for ever)`);
  }
  return undefined;
}

/** LPOP / RPOP's optional count argument, or the rejection for a bad count. */
function popCount(method: string, options: LPopOptions | undefined): Arg[] | Promise<never> {
  const count = options?.count;
  if (count === undefined) return [];
  if (!isInteger(count)) return invalid(`${method}() count must be an integer`);
  return count < 0 ? outOfRange(`${method}() count must be ≥ 0`) : [count];
}

/** LMPOP / BLMPOP's `numkeys key… end [COUNT n]`, or the rejection for bad input. */
function mpopArgs(
  method: string,
  keys: Arg[],
  end: ListEnd,
  options: LMPopOptions | undefined,
): Arg[] | Promise<never> {
  if (!Array.isArray(keys) || keys.length === 0) {
    return invalid(`${method}() needs a non-empty array of keys`);
  }
  if (!isEnd(end)) return invalid(`${method}() end must be 'LEFT' or 'RIGHT'`);
  const count = options?.count;
  if (count === undefined) return [keys.length, ...keys, end];
  if (!isInteger(count)) return invalid(`${method}() count must be an integer`);
  if (count <= 0) return outOfRange(`${method}() count must be > 0`);
  return [keys.length, ...keys, end, 'COUNT', count];
}
