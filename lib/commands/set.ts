/**
 * Set commands (aioredis 1.x `commands/set.py`, camelCase), plus SMISMEMBER (Redis 6.2),
 * SINTERCARD (7.0), SPOP / SRANDMEMBER with a count, and the {@link SetCommands.isscan} async
 * iterator. Members are `S` (the client's bulk type) unless the call passes an encoding.
 *
 * Commands over several sets take them as an array (`sdiff([a, b])`, `sdiffstore(dest, [a, b])`)
 * rather than aioredis's `sdiff(key, *keys)`, so that a per-call options object can follow.
 *
 * @module
 */
import type { Arg } from '../protocol/encoder';
import {
  type Bulk,
  Commands,
  cursorArgs,
  type CursorOptions,
  invalid,
  isInteger,
  isOne,
  outOfRange,
  type ReadOptions,
  readScan,
  walkCursor,
} from './base';

/** Options of {@link SetCommands.spop}. */
export interface SPopOptions extends ReadOptions {
  /**
   * Pop up to this many members and resolve with an array. An integer ≥ 0. Default: pop one member
   * and resolve with it.
   */
  count?: number;
}

/** Options of {@link SetCommands.srandmember}. */
export interface SRandMemberOptions extends ReadOptions {
  /**
   * Resolve with an array of up to this many distinct members; a negative count gives exactly
   * `-count` members, repeats allowed. An integer. Default: resolve with one member.
   */
  count?: number;
}

/** Options of {@link SetCommands.sintercard}. */
export interface SInterCardOptions {
  /** Stop counting at this many; 0 (default) means no limit. An integer ≥ 0. */
  limit?: number;
}

/** Options of {@link SetCommands.sscan} and {@link SetCommands.isscan}. */
export type SScanOptions = CursorOptions;

export abstract class SetCommands<S = Buffer> extends Commands<S> {
  /** SADD: adds the members; resolves with how many were not already there. */
  sadd(key: Arg, member: Arg, ...members: Arg[]): Promise<number> {
    return this.execute('SADD', key, member, ...members);
  }

  /** SCARD: the number of members (0 for a missing key). */
  scard(key: Arg): Promise<number> {
    return this.execute('SCARD', key);
  }

  /** SDIFF: the members of the first set of `keys` that are in none of the others. */
  sdiff<O extends ReadOptions | undefined = undefined>(
    keys: Arg[],
    options?: O,
  ): Promise<Array<Bulk<O, S>>> {
    if (!isKeyList(keys)) return invalid('sdiff() needs a non-empty array of keys');
    return this.read(options, 'SDIFF', ...keys);
  }

  /** SDIFFSTORE: stores {@link sdiff} of `keys` in `dest`; resolves with its size. */
  sdiffstore(dest: Arg, keys: Arg[]): Promise<number> {
    if (!isKeyList(keys)) return invalid('sdiffstore() needs a non-empty array of keys');
    return this.execute('SDIFFSTORE', dest, ...keys);
  }

  /** SINTER: the members that are in every set of `keys`. */
  sinter<O extends ReadOptions | undefined = undefined>(
    keys: Arg[],
    options?: O,
  ): Promise<Array<Bulk<O, S>>> {
    if (!isKeyList(keys)) return invalid('sinter() needs a non-empty array of keys');
    return this.read(options, 'SINTER', ...keys);
  }

  /** SINTERCARD (Redis 7.0): the size of the intersection of `keys`, counted up to `limit`. */
  sintercard(keys: Arg[], options: SInterCardOptions = {}): Promise<number> {
    if (!isKeyList(keys)) return invalid('sintercard() needs a non-empty array of keys');
    const { limit } = options;
    if (limit === undefined) return this.execute('SINTERCARD', keys.length, ...keys);
    if (!isInteger(limit)) return invalid('sintercard() limit must be an integer');
    if (limit < 0) return outOfRange('sintercard() limit must be ≥ 0');
    return this.execute('SINTERCARD', keys.length, ...keys, 'LIMIT', limit);
  }

  /** SINTERSTORE: stores {@link sinter} of `keys` in `dest`; resolves with its size. */
  sinterstore(dest: Arg, keys: Arg[]): Promise<number> {
    if (!isKeyList(keys)) return invalid('sinterstore() needs a non-empty array of keys');
    return this.execute('SINTERSTORE', dest, ...keys);
  }

  /** SISMEMBER: whether `member` is in the set. */
  sismember(key: Arg, member: Arg): Promise<boolean> {
    return this.execute<number>('SISMEMBER', key, member).then(isOne);
  }

  /** SMEMBERS: all the members (an empty array for a missing key). */
  smembers<O extends ReadOptions | undefined = undefined>(
    key: Arg,
    options?: O,
  ): Promise<Array<Bulk<O, S>>> {
    return this.read(options, 'SMEMBERS', key);
  }

  /** SMISMEMBER (Redis 6.2): whether each of `members` is in the set, in order. */
  smismember(key: Arg, members: Arg[]): Promise<boolean[]> {
    if (!isKeyList(members)) return invalid('smismember() needs a non-empty array of members');
    return this.execute<number[]>('SMISMEMBER', key, ...members).then(allOne);
  }

  /** SMOVE: moves `member` from `source` to `dest`; resolves whether it was in `source`. */
  smove(source: Arg, dest: Arg, member: Arg): Promise<boolean> {
    return this.execute<number>('SMOVE', source, dest, member).then(isOne);
  }

  /**
   * SPOP: removes and resolves with a random member, or null for a missing set; with `count`, an
   * array of up to that many (empty for a missing set).
   */
  spop<O extends SPopOptions & { count: number }>(key: Arg, options: O): Promise<Array<Bulk<O, S>>>;
  spop<O extends ReadOptions | undefined = undefined>(
    key: Arg,
    options?: O,
  ): Promise<Bulk<O, S> | null>;
  spop(key: Arg, options?: SPopOptions): Promise<unknown> {
    const count = options?.count;
    if (count === undefined) return this.read(options, 'SPOP', key);
    if (!isInteger(count)) return invalid('spop() count must be an integer');
    if (count < 0) return outOfRange('spop() count must be ≥ 0');
    return this.read(options, 'SPOP', key, count);
  }

  /**
   * SRANDMEMBER: a random member, or null for a missing set; with `count`, an array (empty for a
   * missing set): up to `count` distinct members, or `-count` members with repeats.
   */
  srandmember<O extends SRandMemberOptions & { count: number }>(
    key: Arg,
    options: O,
  ): Promise<Array<Bulk<O, S>>>;
  srandmember<O extends ReadOptions | undefined = undefined>(
    key: Arg,
    options?: O,
  ): Promise<Bulk<O, S> | null>;
  srandmember(key: Arg, options?: SRandMemberOptions): Promise<unknown> {
    const count = options?.count;
    if (count === undefined) return this.read(options, 'SRANDMEMBER', key);
    if (!isInteger(count)) return invalid('srandmember() count must be an integer');
    return this.read(options, 'SRANDMEMBER', key, count);
  }

  /** SREM: removes the members; resolves with how many were there. */
  srem(key: Arg, member: Arg, ...members: Arg[]): Promise<number> {
    return this.execute('SREM', key, member, ...members);
  }

  /**
   * SSCAN: one step of a walk over the set from `cursor` (start at 0); resolves with the next
   * cursor ('0' when the walk is over) and a batch of members. See {@link isscan}.
   */
  sscan<O extends SScanOptions | undefined = undefined>(
    key: Arg,
    cursor: string | number = 0,
    options?: O,
  ): Promise<[cursor: string, members: Array<Bulk<O, S>>]> {
    const args = cursorArgs('sscan', cursor, options);
    if (!Array.isArray(args)) return args;
    return readScan<Bulk<O, S>>(this, options, 'SSCAN', key, ...args);
  }

  /**
   * The members of the set, one at a time, from SSCAN calls made as the previous batch runs out.
   * A set changed during the walk may give a member twice or miss one added meanwhile (SCAN's
   * guarantees). Bad options reject the first `next()`, before anything is sent.
   *
   * ```ts
   * for await (const member of redis.isscan('tags', { match: 'redis:*' })) console.log(member);
   * ```
   */
  isscan<O extends SScanOptions | undefined = undefined>(
    key: Arg,
    options?: O,
  ): AsyncIterableIterator<Bulk<O, S>> {
    return walkCursor((cursor) => this.sscan(key, cursor, options));
  }

  /** SUNION: the members that are in any set of `keys`. */
  sunion<O extends ReadOptions | undefined = undefined>(
    keys: Arg[],
    options?: O,
  ): Promise<Array<Bulk<O, S>>> {
    if (!isKeyList(keys)) return invalid('sunion() needs a non-empty array of keys');
    return this.read(options, 'SUNION', ...keys);
  }

  /** SUNIONSTORE: stores {@link sunion} of `keys` in `dest`; resolves with its size. */
  sunionstore(dest: Arg, keys: Arg[]): Promise<number> {
    if (!isKeyList(keys)) return invalid('sunionstore() needs a non-empty array of keys');
    return this.execute('SUNIONSTORE', dest, ...keys);
  }
}

function isKeyList(keys: unknown): keys is Arg[] {
  return Array.isArray(keys) && keys.length > 0;
}

/** SMISMEMBER's 1 / 0 per member as booleans. */
function allOne(reply: number[]): boolean[] {
  return reply.map(isOne);
}
