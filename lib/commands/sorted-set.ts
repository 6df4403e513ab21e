/**
 * Sorted set commands (aioredis 1.x `commands/sorted_set.py`, camelCase), plus those 1.x lacks:
 * ZDIFF, ZDIFFSTORE, ZINTER, ZUNION, ZMSCORE, ZRANDMEMBER, ZRANGESTORE (Redis 6.2) and ZINTERCARD,
 * ZMPOP, BZMPOP (Redis 7.0).
 *
 * Scores are numbers both ways: `Infinity` and `-Infinity` go out as `+inf` / `-inf` and come back
 * as such. WITHSCORES replies are `[member, score]` pairs whether the server sent them flat (RESP2)
 * or nested (RESP3). Score ranges take numbers and an `exclude` option (the `(` prefix);
 * lexicographical ranges take members, `'-'` and `'+'` for the open ends, and `includeMin` /
 * `includeMax` (the `[` or `(` prefix), as in 1.x.
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
  outOfRange,
  type ReadOptions,
  readPlain,
  readShaped,
  toNumber,
  toNumberOrNull,
  walkCursor,
} from './base';
import {
  blockingArgs,
  combineArgs,
  isTimeout,
  keyArgs,
  lexRange,
  lexRangeArgs,
  limitArgs,
  mpopArgs,
  rankRange,
  readMembers,
  scoreArg,
  scoreRange,
  scoreRangeArgs,
  toMultiPopped,
  toPairs,
  toPopped,
  toScanned,
  toScores,
  zaddFlags,
} from './sorted-set-args';

/** A member with its score, as WITHSCORES replies give them. */
export type ScoredMember<M> = [member: M, score: number];

/**
 * Members, or `[member, score]` pairs when the call's options have `withScores: true` (either,
 * when `withScores` is a boolean known only at run time).
 */
export type ZMembers<O, S> = O extends { withScores: true }
  ? Array<ScoredMember<Bulk<O, S>>>
  : O extends undefined | { withScores: false }
    ? Array<Bulk<O, S>>
    : 'withScores' extends keyof O
      ? Array<Bulk<O, S>> | Array<ScoredMember<Bulk<O, S>>>
      : Array<Bulk<O, S>>;

/** What {@link SortedSetCommands.zrandmember} resolves with: with no `count`, a member or null. */
export type ZRandMembers<O, S> = O extends { count: number }
  ? ZMembers<O, S>
  : O extends undefined
    ? Bulk<O, S> | null
    : 'count' extends keyof O
      ? ZMembers<O, S> | Bulk<O, S> | null
      : Bulk<O, S> | null;

/** A popped member with the key it came from (BZPOPMIN, BZPOPMAX). */
export type ZPopped<M> = [key: M, member: M, score: number];

/** Members popped from one key (ZMPOP, BZMPOP). */
export type ZMultiPopped<M> = [key: M, members: Array<ScoredMember<M>>];

/** Which ends of a score range are left out (1.x's ZSET_EXCLUDE_* constants): the `(` prefix. */
export type ZExclude = 'ZSET_EXCLUDE_MIN' | 'ZSET_EXCLUDE_MAX' | 'ZSET_EXCLUDE_BOTH';

/** Options of {@link SortedSetCommands.zadd}. */
export interface ZAddOptions {
  /** `'NX'`: only add new members; `'XX'`: only update existing ones. Default: both. */
  exist?: 'NX' | 'XX';
  /**
   * `'GT'` / `'LT'` (Redis 6.2): only update a score to a greater / lesser one. Not with NX.
   * Default: any new score.
   */
  compare?: 'GT' | 'LT';
  /** Count the members whose score changed too, not only the added ones (CH). Default false. */
  changed?: boolean;
  /** Add the score to the one member's score (INCR); resolves with the new score. Default false. */
  incr?: boolean;
}

/** Options of reads that can return scores. */
export interface ZRangeOptions extends ReadOptions {
  /** Resolve with `[member, score]` pairs (WITHSCORES). Default false. */
  withScores?: boolean;
}

/** A LIMIT: skip `offset` members, then take at most `count`. Default: no LIMIT. */
export interface ZLimit {
  /** Members to skip; needs a `count`. Default 0. */
  offset?: number;
  /** How many members at most; negative means all the rest. */
  count?: number;
}

/** The ends of a score range: inclusive unless `exclude` says otherwise. */
export interface ZScoreRange {
  /** Leave out the min, the max or both ends. Default: both ends included. */
  exclude?: ZExclude;
}

/** The ends of a lexicographical range; `'-'` and `'+'` are open ends, always sent as they are. */
export interface ZLexRange {
  /** Whether `min` itself is in the range (`[`) or not (`(`). Default true. */
  includeMin?: boolean;
  /** Whether `max` itself is in the range. Default true. */
  includeMax?: boolean;
}

/** Options of {@link SortedSetCommands.zrangebyscore} and zrevrangebyscore. */
export interface ZRangeByScoreOptions extends ZRangeOptions, ZScoreRange, ZLimit {}

/** Options of {@link SortedSetCommands.zrangebylex} and zrevrangebylex. */
export interface ZRangeByLexOptions extends ReadOptions, ZLexRange, ZLimit {}

/** How ZINTERSTORE, ZUNIONSTORE, ZINTER and ZUNION combine the sets. */
export interface ZStoreOptions {
  /** One multiplier per key, applied to its scores (WEIGHTS). Default: all 1. */
  weights?: number[];
  /** How the scores of a member in several sets are combined. Default `'SUM'`. */
  aggregate?: 'SUM' | 'MIN' | 'MAX';
}

/** Options of {@link SortedSetCommands.zinter} and zunion. */
export interface ZCombineOptions extends ZRangeOptions, ZStoreOptions {}

/** Options of {@link SortedSetCommands.zrandmember}. */
export interface ZRandMemberOptions extends ZRangeOptions {
  /**
   * Return an array of this many distinct members; negative: that many, repeats allowed. Default:
   * resolve with one member.
   */
  count?: number;
}

/** Options of {@link SortedSetCommands.zrangestore}: by rank unless `byScore` or `byLex`. */
export interface ZRangeStoreOptions extends ZScoreRange, ZLexRange, ZLimit {
  /** `min` and `max` are scores (BYSCORE); `exclude` applies. Default false. */
  byScore?: boolean;
  /** `min` and `max` are members (BYLEX); `includeMin` / `includeMax` apply. Default false. */
  byLex?: boolean;
  /** Take from the highest score down (REV). Default false. */
  rev?: boolean;
}

/** Options of {@link SortedSetCommands.zintercard}. */
export interface ZInterCardOptions {
  /** Stop counting at this many members (an integer ≥ 0). Default 0: no limit. */
  limit?: number;
}

/** Options of {@link SortedSetCommands.zmpop} and bzmpop. */
export interface ZPopOptions extends ReadOptions {
  /** Pop up to this many members (an integer > 0). Default 1. */
  count?: number;
}

/** Options of {@link SortedSetCommands.zscan} and izscan. */
export type ZScanOptions = CursorOptions;

export abstract class SortedSetCommands<S = Buffer> extends Commands<S> {
  /**
   * BZPOPMAX: pops the highest member of the first non-empty key, waiting up to `timeout` seconds
   * (fractions allowed; 0: forever). Resolves with `[key, member, score]`, or null on timeout.
   */
  bzpopmax<O extends ReadOptions | undefined = undefined>(
    keys: Arg | Arg[],
    timeout: number,
    options?: O,
  ): Promise<ZPopped<Bulk<O, S>> | null> {
    const args = blockingArgs('bzpopmax', keys, timeout);
    if (args instanceof Promise) return args;
    return readShaped(this, options, toPopped, 'BZPOPMAX', ...args);
  }

  /** BZPOPMIN: like bzpopmax, for the lowest member. */
  bzpopmin<O extends ReadOptions | undefined = undefined>(
    keys: Arg | Arg[],
    timeout: number,
    options?: O,
  ): Promise<ZPopped<Bulk<O, S>> | null> {
    const args = blockingArgs('bzpopmin', keys, timeout);
    if (args instanceof Promise) return args;
    return readShaped(this, options, toPopped, 'BZPOPMIN', ...args);
  }

  /** BZMPOP (Redis 7): zmpop, waiting up to `timeout` seconds (0: forever); null on timeout. */
  bzmpop<O extends ZPopOptions | undefined = undefined>(
    timeout: number,
    keys: Arg[],
    where: 'MIN' | 'MAX',
    options?: O,
  ): Promise<ZMultiPopped<Bulk<O, S>> | null> {
    if (!isTimeout(timeout)) return outOfRange('bzmpop() timeout must be a number ≥ 0 (seconds)');
    const args = mpopArgs('bzmpop', keys, where, options);
    if (args instanceof Promise) return args;
    return readShaped(this, options, toMultiPopped, 'BZMPOP', timeout, ...args);
  }

  /**
   * ZADD with INCR: adds `score` to the member's score; resolves with the new score, or null when
   * `exist` or `compare` prevented it.
   */
  zadd(
    key: Arg,
    score: number,
    member: Arg,
    options: ZAddOptions & { incr: true },
  ): Promise<number | null>;
  /** ZADD: adds or updates one member; resolves with the number added (with `changed`: changed). */
  zadd(
    key: Arg,
    score: number,
    member: Arg,
    options?: ZAddOptions & { incr?: false },
  ): Promise<number>;
  /** ZADD: adds or updates `[score, member]` pairs; resolves with the number added (or changed). */
  zadd(
    key: Arg,
    pairs: Array<[score: number, member: Arg]>,
    options?: ZAddOptions & { incr?: false },
  ): Promise<number>;
  /** ZADD, with `incr` known only at run time. */
  zadd(key: Arg, score: number, member: Arg, options?: ZAddOptions): Promise<number | null>;
  zadd(
    key: Arg,
    scoreOrPairs: number | Array<[score: number, member: Arg]>,
    memberOrOptions?: Arg | ZAddOptions,
    lastOptions?: ZAddOptions,
  ): Promise<number | null> {
    const many = Array.isArray(scoreOrPairs);
    const pairs: unknown[] = many ? scoreOrPairs : [[scoreOrPairs, memberOrOptions]];
    const options = many ? memberOrOptions : lastOptions;
    const flags = zaddFlags(options, pairs.length);
    if (flags instanceof Promise) return flags;
    const args: Arg[] = [key, ...flags];
    for (const pair of pairs) {
      const score = Array.isArray(pair) && pair.length === 2 ? scoreArg(pair[0]) : undefined;
      if (score === undefined) return invalid('zadd() scores must be numbers, paired with members');
      args.push(score, (pair as [number, Arg])[1]);
    }
    if (flags.includes('INCR')) {
      return readPlain<string | null>(this, 'ZADD', ...args).then(toNumberOrNull);
    }
    return this.execute('ZADD', ...args);
  }

  /** ZCARD: the number of members (0 for a missing key). */
  zcard(key: Arg): Promise<number> {
    return this.execute('ZCARD', key);
  }

  /** ZCOUNT: the number of members with a score between `min` and `max` (inclusive by default). */
  zcount(key: Arg, min = -Infinity, max = Infinity, options?: ZScoreRange): Promise<number> {
    const range = scoreRange('zcount', min, max, options?.exclude);
    if (range instanceof Promise) return range;
    return this.execute('ZCOUNT', key, ...range);
  }

  /** ZDIFF (Redis 6.2): the members of the first key that are in none of the others. */
  zdiff<O extends ZRangeOptions | undefined = undefined>(
    keys: Arg[],
    options?: O,
  ): Promise<ZMembers<O, S>> {
    const args = keyArgs('zdiff', keys);
    if (args instanceof Promise) return args;
    return readMembers(this, options, 'ZDIFF', ...args);
  }

  /** ZDIFFSTORE (Redis 6.2): stores zdiff's result in `dest`; resolves with its size. */
  zdiffstore(dest: Arg, keys: Arg[]): Promise<number> {
    const args = keyArgs('zdiffstore', keys);
    if (args instanceof Promise) return args;
    return this.execute('ZDIFFSTORE', dest, ...args);
  }

  /** ZINCRBY: adds `increment` to the member's score; resolves with the new score. */
  zincrby(key: Arg, increment: number, member: Arg): Promise<number> {
    const sent = scoreArg(increment);
    if (sent === undefined) return invalid('zincrby() increment must be a number');
    return readPlain<string | number>(this, 'ZINCRBY', key, sent, member).then(toNumber);
  }

  /** ZINTER (Redis 6.2): the members in every key, scores combined by `weights` and `aggregate`. */
  zinter<O extends ZCombineOptions | undefined = undefined>(
    keys: Arg[],
    options?: O,
  ): Promise<ZMembers<O, S>> {
    const args = combineArgs('zinter', keys, options);
    if (args instanceof Promise) return args;
    return readMembers(this, options, 'ZINTER', ...args);
  }

  /** ZINTERCARD (Redis 7): the size of the intersection, counting up to `limit` (0: no limit). */
  zintercard(keys: Arg[], options?: ZInterCardOptions): Promise<number> {
    const args = keyArgs('zintercard', keys);
    if (args instanceof Promise) return args;
    const limit = options?.limit;
    if (limit === undefined) return this.execute('ZINTERCARD', ...args);
    if (!isInteger(limit) || limit < 0) {
      return outOfRange('zintercard() limit must be an integer ≥ 0');
    }
    return this.execute('ZINTERCARD', ...args, 'LIMIT', limit);
  }

  /** ZINTERSTORE: stores the intersection of `keys` in `dest`; resolves with its size. */
  zinterstore(dest: Arg, keys: Arg[], options?: ZStoreOptions): Promise<number> {
    const args = combineArgs('zinterstore', keys, options);
    if (args instanceof Promise) return args;
    return this.execute('ZINTERSTORE', dest, ...args);
  }

  /** ZLEXCOUNT: the number of members between `min` and `max` (all members with equal scores). */
  zlexcount(key: Arg, min: Arg = '-', max: Arg = '+', options?: ZLexRange): Promise<number> {
    const range = lexRange('zlexcount', min, max, options);
    if (range instanceof Promise) return range;
    return this.execute('ZLEXCOUNT', key, ...range);
  }

  /**
   * ZMPOP (Redis 7): pops the lowest (`'MIN'`) or highest members of the first non-empty key;
   * resolves with `[key, pairs]`, or null when every key is empty.
   */
  zmpop<O extends ZPopOptions | undefined = undefined>(
    keys: Arg[],
    where: 'MIN' | 'MAX',
    options?: O,
  ): Promise<ZMultiPopped<Bulk<O, S>> | null> {
    const args = mpopArgs('zmpop', keys, where, options);
    if (args instanceof Promise) return args;
    return readShaped(this, options, toMultiPopped, 'ZMPOP', ...args);
  }

  /** ZMSCORE (Redis 6.2): the score of each member, null for one not in the set. */
  zmscore(key: Arg, members: Arg[]): Promise<Array<number | null>> {
    if (!Array.isArray(members) || members.length === 0) {
      return invalid('zmscore() needs a non-empty array of members');
    }
    return readPlain<Array<string | number | null>>(this, 'ZMSCORE', key, ...members).then(
      toScores,
    );
  }

  /** ZPOPMAX: pops up to `count` (default 1) highest members, as `[member, score]` pairs. */
  zpopmax<O extends ReadOptions | undefined = undefined>(
    key: Arg,
    count?: number,
    options?: O,
  ): Promise<Array<ScoredMember<Bulk<O, S>>>> {
    if (count === undefined) return readShaped(this, options, toPairs, 'ZPOPMAX', key);
    if (!isInteger(count) || count < 0) return outOfRange('zpopmax() count must be an integer ≥ 0');
    return readShaped(this, options, toPairs, 'ZPOPMAX', key, count);
  }

  /** ZPOPMIN: pops up to `count` (default 1) lowest members, as `[member, score]` pairs. */
  zpopmin<O extends ReadOptions | undefined = undefined>(
    key: Arg,
    count?: number,
    options?: O,
  ): Promise<Array<ScoredMember<Bulk<O, S>>>> {
    if (count === undefined) return readShaped(this, options, toPairs, 'ZPOPMIN', key);
    if (!isInteger(count) || count < 0) return outOfRange('zpopmin() count must be an integer ≥ 0');
    return readShaped(this, options, toPairs, 'ZPOPMIN', key, count);
  }

  /**
   * ZRANDMEMBER (Redis 6.2): a random member (null for a missing key), or with `count` an array
   * of them (pairs with `withScores`).
   */
  zrandmember<O extends ZRandMemberOptions | undefined = undefined>(
    key: Arg,
    options?: O,
  ): Promise<ZRandMembers<O, S>> {
    const count = options?.count;
    if (count === undefined) {
      if (options?.withScores) return invalid('zrandmember() withScores needs a count');
      return readMembers(this, options, 'ZRANDMEMBER', key);
    }
    if (!isInteger(count)) return invalid('zrandmember() count must be an integer');
    return readMembers(this, options, 'ZRANDMEMBER', key, count);
  }

  /** ZRANGE: the members from rank `start` to `stop` (inclusive, negative from the end). */
  zrange<O extends ZRangeOptions | undefined = undefined>(
    key: Arg,
    start = 0,
    stop = -1,
    options?: O,
  ): Promise<ZMembers<O, S>> {
    if (!isInteger(start) || !isInteger(stop)) {
      return invalid('zrange() start and stop must be integers');
    }
    return readMembers(this, options, 'ZRANGE', key, start, stop);
  }

  /**
   * ZRANGESTORE (Redis 6.2): stores a range of `src` in `dest`; resolves with its size. `min` and
   * `max` are ranks, or scores with `byScore`, or members with `byLex`; with `rev` they are still
   * the low and the high end (this method sends them the other way round, as Redis wants).
   */
  zrangestore(
    dest: Arg,
    src: Arg,
    min: Arg,
    max: Arg,
    options: ZRangeStoreOptions = {},
  ): Promise<number> {
    const { byScore, byLex, rev } = options;
    if (byScore && byLex) return invalid('zrangestore() takes byScore or byLex, not both');
    if (options.exclude !== undefined && !byScore) {
      return invalid('zrangestore() exclude needs byScore');
    }
    if ((options.includeMin !== undefined || options.includeMax !== undefined) && !byLex) {
      return invalid('zrangestore() includeMin and includeMax need byLex');
    }
    const limit = limitArgs('zrangestore', options);
    if (limit instanceof Promise) return limit;
    if (limit.length > 0 && !byScore && !byLex) {
      return invalid('zrangestore() offset and count need byScore or byLex');
    }
    const range = byScore
      ? scoreRange('zrangestore', min, max, options.exclude)
      : byLex
        ? lexRange('zrangestore', min, max, options)
        : rankRange('zrangestore', min, max);
    if (range instanceof Promise) return range;
    const [low, high] = range;
    const by = byScore ? ['BYSCORE'] : byLex ? ['BYLEX'] : [];
    // With REV, Redis wants the high score or member first; ranks stay as they are.
    const [first, second] = rev && by.length > 0 ? [high, low] : [low, high];
    return this.execute(
      'ZRANGESTORE',
      dest,
      src,
      first,
      second,
      ...by,
      ...(rev ? ['REV'] : []),
      ...limit,
    );
  }

  /** ZRANGEBYLEX: the members between `min` and `max` (all members with equal scores). */
  zrangebylex<O extends ZRangeByLexOptions | undefined = undefined>(
    key: Arg,
    min: Arg = '-',
    max: Arg = '+',
    options?: O,
  ): Promise<Array<Bulk<O, S>>> {
    const args = lexRangeArgs('zrangebylex', min, max, options);
    if (args instanceof Promise) return args;
    return readMembers(this, options, 'ZRANGEBYLEX', key, ...args);
  }

  /** ZRANGEBYSCORE: the members with a score between `min` and `max`, lowest first. */
  zrangebyscore<O extends ZRangeByScoreOptions | undefined = undefined>(
    key: Arg,
    min = -Infinity,
    max = Infinity,
    options?: O,
  ): Promise<ZMembers<O, S>> {
    const args = scoreRangeArgs('zrangebyscore', min, max, options);
    if (args instanceof Promise) return args;
    return readMembers(this, options, 'ZRANGEBYSCORE', key, ...args);
  }

  /** ZRANK: the member's rank, lowest score first; null when it is not in the set. */
  zrank(key: Arg, member: Arg): Promise<number | null> {
    return this.execute('ZRANK', key, member);
  }

  /** ZREM: removes members; resolves with the number removed. */
  zrem(key: Arg, member: Arg, ...members: Arg[]): Promise<number> {
    return this.execute('ZREM', key, member, ...members);
  }

  /** ZREMRANGEBYLEX: removes the members between `min` and `max`; resolves with how many. */
  zremrangebylex(key: Arg, min: Arg = '-', max: Arg = '+', options?: ZLexRange): Promise<number> {
    const range = lexRange('zremrangebylex', min, max, options);
    if (range instanceof Promise) return range;
    return this.execute('ZREMRANGEBYLEX', key, ...range);
  }

  /** ZREMRANGEBYRANK: removes the ranks `start` to `stop`; resolves with how many. */
  zremrangebyrank(key: Arg, start: number, stop: number): Promise<number> {
    const range = rankRange('zremrangebyrank', start, stop);
    if (range instanceof Promise) return range;
    return this.execute('ZREMRANGEBYRANK', key, ...range);
  }

  /** ZREMRANGEBYSCORE: removes the members scored `min` to `max`; resolves with how many. */
  zremrangebyscore(
    key: Arg,
    min = -Infinity,
    max = Infinity,
    options?: ZScoreRange,
  ): Promise<number> {
    const range = scoreRange('zremrangebyscore', min, max, options?.exclude);
    if (range instanceof Promise) return range;
    return this.execute('ZREMRANGEBYSCORE', key, ...range);
  }

  /** ZREVRANGE: the members from rank `start` to `stop`, highest score first. */
  zrevrange<O extends ZRangeOptions | undefined = undefined>(
    key: Arg,
    start = 0,
    stop = -1,
    options?: O,
  ): Promise<ZMembers<O, S>> {
    if (!isInteger(start) || !isInteger(stop)) {
      return invalid('zrevrange() start and stop must be integers');
    }
    return readMembers(this, options, 'ZREVRANGE', key, start, stop);
  }

  /** ZREVRANGEBYLEX: zrangebylex, highest first. Takes `min` then `max`, as in 1.x. */
  zrevrangebylex<O extends ZRangeByLexOptions | undefined = undefined>(
    key: Arg,
    min: Arg = '-',
    max: Arg = '+',
    options?: O,
  ): Promise<Array<Bulk<O, S>>> {
    const args = lexRangeArgs('zrevrangebylex', min, max, options);
    if (args instanceof Promise) return args;
    const [low, high, ...limit] = args;
    return readMembers(this, options, 'ZREVRANGEBYLEX', key, high as Arg, low as Arg, ...limit);
  }

  /** ZREVRANGEBYSCORE: zrangebyscore, highest first; takes `max` then `min`, as 1.x and Redis. */
  zrevrangebyscore<O extends ZRangeByScoreOptions | undefined = undefined>(
    key: Arg,
    max = Infinity,
    min = -Infinity,
    options?: O,
  ): Promise<ZMembers<O, S>> {
    const args = scoreRangeArgs('zrevrangebyscore', min, max, options);
    if (args instanceof Promise) return args;
    const [low, high, ...rest] = args;
    return readMembers(this, options, 'ZREVRANGEBYSCORE', key, high as Arg, low as Arg, ...rest);
  }

  /** ZREVRANK: the member's rank, highest score first; null when it is not in the set. */
  zrevrank(key: Arg, member: Arg): Promise<number | null> {
    return this.execute('ZREVRANK', key, member);
  }

  /**
   * ZSCAN: one step of a walk over the set from `cursor` (start with 0); resolves with the next
   * cursor ('0' when done) and `[member, score]` pairs. See {@link izscan} for the whole walk.
   */
  zscan<O extends ZScanOptions | undefined = undefined>(
    key: Arg,
    cursor: string | number = 0,
    options?: O,
  ): Promise<[cursor: string, pairs: Array<ScoredMember<Bulk<O, S>>>]> {
    const args = cursorArgs('zscan', cursor, options);
    if (!Array.isArray(args)) return args;
    return readShaped(this, options, toScanned, 'ZSCAN', key, ...args);
  }

  /**
   * ZSCAN as an async iterator of `[member, score]` pairs over the whole set: one ZSCAN per
   * exhausted batch, ending when the cursor comes back to '0'. A member changed during the walk may
   * come twice, as with ZSCAN itself. Bad options reject the first `next()`, sending nothing.
   *
   * ```ts
   * for await (const [member, score] of redis.izscan('board', { match: 'eu:*' })) { … }
   * ```
   */
  izscan<O extends ZScanOptions | undefined = undefined>(
    key: Arg,
    options?: O,
  ): AsyncIterableIterator<ScoredMember<Bulk<O, S>>> {
    return walkCursor((cursor) => this.zscan(key, cursor, options));
  }

  /** ZSCORE: the member's score, or null when it is not in the set. */
  zscore(key: Arg, member: Arg): Promise<number | null> {
    return readPlain<string | number | null>(this, 'ZSCORE', key, member).then(toNumberOrNull);
  }

  /** ZUNION (Redis 6.2): the members in any key, scores combined by `weights` and `aggregate`. */
  zunion<O extends ZCombineOptions | undefined = undefined>(
    keys: Arg[],
    options?: O,
  ): Promise<ZMembers<O, S>> {
    const args = combineArgs('zunion', keys, options);
    if (args instanceof Promise) return args;
    return readMembers(this, options, 'ZUNION', ...args);
  }

  /** ZUNIONSTORE: stores the union of `keys` in `dest`; resolves with its size. */
  zunionstore(dest: Arg, keys: Arg[], options?: ZStoreOptions): Promise<number> {
    const args = combineArgs('zunionstore', keys, options);
    if (args instanceof Promise) return args;
    return this.execute('ZUNIONSTORE', dest, ...args);
  }
}

// Argument checks. Each returns the arguments to send, or the rejection to return instead.
