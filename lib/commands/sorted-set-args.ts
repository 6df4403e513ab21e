/**
 * The sorted-set commands' argument builders and reply shapers: score and lex bounds, LIMIT,
 * WEIGHTS/AGGREGATE, ZADD flags, and WITHSCORES replies as `[member, score]` pairs in RESP2 and
 * RESP3. Each builder returns the arguments, or a rejected promise saying what is wrong.
 *
 * @module
 */
import type { Arg } from '../protocol/encoder';
import {
  type Commands,
  type Decode,
  invalid,
  isInteger,
  outOfRange,
  readShaped,
  readWith,
  toNumber,
  toNumberOrNull,
} from './base';
import type {
  ScoredMember,
  ZAddOptions,
  ZLexRange,
  ZLimit,
  ZMultiPopped,
  ZPopOptions,
  ZPopped,
  ZRangeByLexOptions,
  ZRangeByScoreOptions,
  ZRangeOptions,
  ZStoreOptions,
} from './sorted-set';

export const EXCLUDES: ReadonlySet<unknown> = new Set([
  'ZSET_EXCLUDE_MIN',
  'ZSET_EXCLUDE_MAX',
  'ZSET_EXCLUDE_BOTH',
]);
export const AGGREGATES: ReadonlySet<unknown> = new Set(['SUM', 'MIN', 'MAX']);

/**
 * A score, bound or weight as Redis reads it: ±Infinity as ±inf, `(` in front when exclusive;
 * undefined for NaN or anything not a number.
 */
export function scoreArg(value: unknown, exclusive = false): Arg | undefined {
  if (typeof value !== 'number' || Number.isNaN(value)) return undefined;
  const text = value === Infinity ? '+inf' : value === -Infinity ? '-inf' : value;
  return exclusive ? `(${text}` : text;
}

/** `min` and `max` of a score range, with 1.x's `exclude`. */
export function scoreRange(
  name: string,
  min: unknown,
  max: unknown,
  exclude: unknown,
): [Arg, Arg] | Promise<never> {
  if (exclude !== undefined && !EXCLUDES.has(exclude)) {
    return invalid(
      `${name}() exclude must be ZSET_EXCLUDE_MIN, ZSET_EXCLUDE_MAX or ZSET_EXCLUDE_BOTH`,
    );
  }
  const low = scoreArg(min, exclude === 'ZSET_EXCLUDE_MIN' || exclude === 'ZSET_EXCLUDE_BOTH');
  const high = scoreArg(max, exclude === 'ZSET_EXCLUDE_MAX' || exclude === 'ZSET_EXCLUDE_BOTH');
  if (low === undefined || high === undefined) {
    return invalid(`${name}() min and max must be numbers`);
  }
  return [low, high];
}

/** One end of a lexicographical range: `'-'` and `'+'` as they are, a member with `[` or `(`. */
export function lexBound(value: unknown, inclusive: boolean): Arg | undefined {
  const prefix = inclusive ? '[' : '(';
  if (typeof value === 'string') return value === '-' || value === '+' ? value : prefix + value;
  if (typeof value === 'number' && Number.isFinite(value)) return prefix + String(value);
  if (!Buffer.isBuffer(value)) return undefined;
  if (value.length === 1 && (value[0] === 0x2d || value[0] === 0x2b)) return value; // '-', '+'
  return Buffer.concat([Buffer.from(prefix), value]);
}

/** `min` and `max` of a lex range, inclusive unless includeMin / includeMax is false. */
export function lexRange(
  name: string,
  min: unknown,
  max: unknown,
  options?: ZLexRange,
): [Arg, Arg] | Promise<never> {
  const low = lexBound(min, options?.includeMin ?? true);
  const high = lexBound(max, options?.includeMax ?? true);
  if (low === undefined || high === undefined) {
    return invalid(`${name}() min and max must be strings, Buffers or numbers`);
  }
  return [low, high];
}

/** Ranks, which must be integers. */
export function rankRange(
  name: string,
  start: unknown,
  stop: unknown,
): [Arg, Arg] | Promise<never> {
  if (!isInteger(start) || !isInteger(stop)) {
    return invalid(`${name}() start and stop must be integers`);
  }
  return [start, stop];
}

/** `LIMIT offset count`, or nothing without a count; an offset alone is refused. */
export function limitArgs(name: string, options: ZLimit | undefined): Arg[] | Promise<never> {
  const offset = options?.offset;
  const count = options?.count;
  if (count === undefined) {
    return offset === undefined ? [] : invalid(`${name}() offset needs a count`);
  }
  if (!isInteger(count) || (offset !== undefined && !isInteger(offset))) {
    return invalid(`${name}() offset and count must be integers`);
  }
  return ['LIMIT', offset ?? 0, count];
}

/** min, max and LIMIT of a ZRANGEBYSCORE-like call; readMembers adds WITHSCORES. */
export function scoreRangeArgs(
  name: string,
  min: unknown,
  max: unknown,
  options?: ZRangeByScoreOptions,
): Arg[] | Promise<never> {
  const range = scoreRange(name, min, max, options?.exclude);
  if (range instanceof Promise) return range;
  const limit = limitArgs(name, options);
  if (limit instanceof Promise) return limit;
  return [...range, ...limit];
}

/** min, max and LIMIT of a ZRANGEBYLEX-like call. */
export function lexRangeArgs(
  name: string,
  min: unknown,
  max: unknown,
  options?: ZRangeByLexOptions,
): Arg[] | Promise<never> {
  const range = lexRange(name, min, max, options);
  if (range instanceof Promise) return range;
  const limit = limitArgs(name, options);
  if (limit instanceof Promise) return limit;
  return [...range, ...limit];
}

/** `numkeys key…`. */
export function keyArgs(name: string, keys: unknown): Arg[] | Promise<never> {
  if (!Array.isArray(keys) || keys.length === 0) {
    return invalid(`${name}() needs a non-empty array of keys`);
  }
  return [keys.length, ...(keys as Arg[])];
}

/** `numkeys key… [WEIGHTS w…] [AGGREGATE how]` of ZINTER, ZUNION and their STORE forms. */
export function combineArgs(
  name: string,
  keys: unknown,
  options?: ZStoreOptions,
): Arg[] | Promise<never> {
  const args = keyArgs(name, keys);
  if (args instanceof Promise) return args;
  const weights = options?.weights;
  if (weights !== undefined) {
    if (!Array.isArray(weights)) return invalid(`${name}() weights must be an array of numbers`);
    if (weights.length !== args.length - 1) return outOfRange(`${name}() needs one weight per key`);
    args.push('WEIGHTS');
    for (const weight of weights) {
      const sent = scoreArg(weight);
      if (sent === undefined) return invalid(`${name}() weights must be numbers`);
      args.push(sent);
    }
  }
  const aggregate = options?.aggregate;
  if (aggregate !== undefined) {
    if (!AGGREGATES.has(aggregate)) {
      return invalid(`${name}() aggregate must be 'SUM', 'MIN' or 'MAX'`);
    }
    args.push('AGGREGATE', aggregate);
  }
  return args;
}

/** `key… timeout` of BZPOPMIN / BZPOPMAX. */
export function blockingArgs(
  name: string,
  keys: unknown,
  timeout: unknown,
): Arg[] | Promise<never> {
  const list = Array.isArray(keys) ? (keys as Arg[]) : [keys as Arg];
  if (list.length === 0) return invalid(`${name}() needs a key`);
  if (!isTimeout(timeout)) return outOfRange(`${name}() timeout must be a number of seconds ≥ 0`);
  return [...list, timeout];
}

/** A blocking timeout: a finite number of seconds ≥ 0 (fractions allowed; 0 waits forever). */
export function isTimeout(timeout: unknown): timeout is number {
  return typeof timeout === 'number' && Number.isFinite(timeout) && timeout >= 0;
}

/** `numkeys key… MIN|MAX [COUNT count]` of ZMPOP / BZMPOP. */
export function mpopArgs(
  name: string,
  keys: unknown,
  where: unknown,
  options?: ZPopOptions,
): Arg[] | Promise<never> {
  const args = keyArgs(name, keys);
  if (args instanceof Promise) return args;
  if (where !== 'MIN' && where !== 'MAX') return invalid(`${name}() where must be 'MIN' or 'MAX'`);
  args.push(where);
  const count = options?.count;
  if (count === undefined) return args;
  if (!isInteger(count) || count <= 0) return outOfRange(`${name}() count must be an integer > 0`);
  args.push('COUNT', count);
  return args;
}

/** The flags of ZADD, in the order Redis wants them. */
export function zaddFlags(options: unknown, pairs: number): string[] | Promise<never> {
  if (options === undefined) {
    return pairs === 0 ? invalid('zadd() needs a [score, member] pair') : [];
  }
  if (typeof options !== 'object' || options === null || Buffer.isBuffer(options)) {
    return invalid('zadd() options must be an object');
  }
  const { exist, compare, changed, incr } = options as ZAddOptions;
  const flags: string[] = [];
  if (exist !== undefined) {
    if (exist !== 'NX' && exist !== 'XX') return invalid("zadd() exist must be 'NX' or 'XX'");
    flags.push(exist);
  }
  if (compare !== undefined) {
    if (compare !== 'GT' && compare !== 'LT') return invalid("zadd() compare must be 'GT' or 'LT'");
    if (exist === 'NX') return invalid('zadd() compare cannot go with exist NX');
    flags.push(compare);
  }
  if (changed) flags.push('CH');
  if (incr) {
    if (pairs !== 1) return invalid('zadd() incr takes exactly one score and member');
    flags.push('INCR');
  }
  if (pairs === 0) return invalid('zadd() needs a [score, member] pair');
  return flags;
}

// Reply shapes. Scores are bulk strings in RESP2 and doubles in RESP3; toNumber takes both.

/** Turns a stored value (member or key) into what the call asked for; see readShaped. */
export type Score = string | Buffer | number;
/** A WITHSCORES reply: flat `[m1, s1, m2, s2…]` (RESP2) or nested `[[m1, s1]…]` (RESP3). */
export type ScoredReply = Array<Score | [member: string | Buffer, score: Score]>;

/** Sends a read that returns members, or `[member, score]` pairs when `withScores` is set. */
export function readMembers<T>(
  group: Commands<unknown>,
  options: ZRangeOptions | undefined,
  command: string,
  ...args: Arg[]
): Promise<T> {
  if (options?.withScores) {
    return readShaped(group, options, toPairs, command, ...args, 'WITHSCORES');
  }
  return readWith<T>(group, options, command, ...args);
}

/** A WITHSCORES reply, flat or nested, as `[member, score]` pairs. */
export function toPairs(reply: ScoredReply, decode: Decode): Array<ScoredMember<unknown>> {
  const pairs: Array<ScoredMember<unknown>> = [];
  if (Array.isArray(reply[0])) {
    for (const pair of reply as Array<[string | Buffer, Score]>) {
      pairs.push([decode(pair[0]), toNumber(pair[1])]);
    }
    return pairs;
  }
  for (let i = 0; i + 1 < reply.length; i += 2) {
    pairs.push([decode(reply[i]), toNumber(reply[i + 1] as Score)]);
  }
  return pairs;
}

/** BZPOPMIN / BZPOPMAX: `[key, member, score]`, or null on timeout. */
export function toPopped(
  reply: [string | Buffer, string | Buffer, Score] | null,
  decode: Decode,
): ZPopped<unknown> | null {
  return reply === null ? null : [decode(reply[0]), decode(reply[1]), toNumber(reply[2])];
}

/** ZMPOP / BZMPOP: `[key, pairs]`, or null. */
export function toMultiPopped(
  reply: [string | Buffer, ScoredReply] | null,
  decode: Decode,
): ZMultiPopped<unknown> | null {
  return reply === null ? null : [decode(reply[0]), toPairs(reply[1], decode)];
}

/** ZSCAN: the next cursor as text (it may not fit a double) and the pairs. */
export function toScanned(
  reply: [string | Buffer, ScoredReply],
  decode: Decode,
): [string, Array<ScoredMember<unknown>>] {
  return [String(reply[0]), toPairs(reply[1], decode)];
}

/** ZMSCORE: scores, null for members not in the set. */
export function toScores(reply: Array<string | number | null>): Array<number | null> {
  return reply.map(toNumberOrNull);
}
