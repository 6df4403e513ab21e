/**
 * String commands (aioredis 1.x `commands/string.py`, camelCase), with the bit commands the server
 * groups apart, plus GETDEL and GETEX (Redis 6.2), LCS (Redis 7), BITFIELD and BITFIELD_RO. Values
 * are `S` (the client's bulk type) unless the call passes an encoding.
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
  isOne,
  outOfRange,
  type ReadOptions,
  readPlain,
  toNumber,
  toObject,
} from './base';

/** Options of {@link StringCommands.set}. */
export interface SetOptions {
  /**
   * Expire after this many seconds (EX). An integer > 0. Default: no expiry (SET removes an
   * existing one).
   */
  expire?: number;
  /** Expire after this many milliseconds (PX). An integer > 0. Default: no expiry. */
  pexpire?: number;
  /**
   * `'NX'`: only set a key that does not exist; `'XX'`: only one that does. Default: set it either
   * way.
   */
  exist?: 'NX' | 'XX';
  /** Keep the key's current time to live (KEEPTTL, Redis 6). Default false. */
  keepTtl?: boolean;
}

/** Options of {@link StringCommands.getex}: at most one of them. */
export interface GetExOptions extends ReadOptions {
  /** Expire after this many seconds. */
  expire?: number;
  /** Expire after this many milliseconds. */
  pexpire?: number;
  /** Expire at this Unix time, in seconds. */
  expireAt?: number;
  /** Expire at this Unix time, in milliseconds. */
  pexpireAt?: number;
  /** Remove the time to live. Default false. */
  persist?: boolean;
}

/** A bit range: byte offsets by default, bit offsets with `unit: 'BIT'` (Redis 7). */
export interface BitRange {
  /** The first byte (or bit) of the range; negative counts from the end. */
  start: number;
  /** The last byte (or bit), included; negative counts from the end (-1: the last). */
  end: number;
  /** What `start` and `end` count. Default `'BYTE'`. */
  unit?: 'BYTE' | 'BIT';
}

/**
 * A BITFIELD integer type: `i` (signed, 1 to 64 bits) or `u` (unsigned, 1 to 63 bits) and a width,
 * e.g. `'u8'`, `'i16'`.
 */
export type BitfieldType = `${'i' | 'u'}${number}`;

/** A BITFIELD bit offset, or `'#n'` for the n-th field of the operation's type. */
export type BitfieldOffset = number | `#${number}`;

/**
 * One BITFIELD operation. `overflow` changes how the `set` and `incrby` after it treat an overflow:
 * `'WRAP'` (the default), `'SAT'` (saturate) or `'FAIL'` (do nothing; the result is null).
 */
export type BitfieldOperation =
  | { get: [type: BitfieldType, offset: BitfieldOffset] }
  | { set: [type: BitfieldType, offset: BitfieldOffset, value: number] }
  | { incrby: [type: BitfieldType, offset: BitfieldOffset, increment: number] }
  | { overflow: 'WRAP' | 'SAT' | 'FAIL' };

/** Options of {@link StringCommands.lcsIdx}. */
export interface LcsIdxOptions {
  /** Only matches at least this long (MINMATCHLEN). An integer ≥ 0. Default 0. */
  minMatchLen?: number;
  /** Also give each match's length (WITHMATCHLEN). Default false. */
  withMatchLen?: boolean;
}

/** One match of {@link StringCommands.lcsIdx}: inclusive byte ranges in each value. */
export interface LcsMatch {
  /** Where the match is in the first value: first and last byte offsets. */
  key1: [start: number, end: number];
  /** Where the match is in the second value: first and last byte offsets. */
  key2: [start: number, end: number];
  /** The match's length, with `withMatchLen`. */
  length?: number;
}

/** What {@link StringCommands.lcsIdx} resolves with: the matches, from the values' ends backwards. */
export interface LcsIdx {
  /** The matches, from the values' ends backwards. */
  matches: LcsMatch[];
  /** The length of the longest common subsequence. */
  len: number;
}

export abstract class StringCommands<S = Buffer> extends Commands<S> {
  /** APPEND: appends `value`; resolves with the new length. */
  append(key: Arg, value: Arg): Promise<number> {
    return this.execute('APPEND', key, value);
  }

  /** BITCOUNT: the number of set bits, in the whole value or a range. */
  bitcount(key: Arg, range?: BitRange): Promise<number> {
    if (range == null) return this.execute('BITCOUNT', key); // null too: never throw on it
    if (!isInteger(range.start) || !isInteger(range.end)) {
      return invalid('bitcount() range start and end must be integers');
    }
    if (range.unit !== undefined && range.unit !== 'BYTE' && range.unit !== 'BIT') {
      return invalid("bitcount() range unit must be 'BYTE' or 'BIT'");
    }
    return this.execute(
      'BITCOUNT',
      key,
      range.start,
      range.end,
      ...(range.unit ? [range.unit] : []),
    );
  }

  /**
   * BITFIELD: runs the operations in order; resolves with one integer per get, set (the old value)
   * and incrby (the new value), null where an `overflow: 'FAIL'` stopped a write.
   */
  bitfield(key: Arg, operations: BitfieldOperation[]): Promise<Array<number | bigint | null>> {
    const args = bitfieldArgs('bitfield()', operations, true);
    if (args instanceof Error) return Promise.reject(args);
    return this.execute('BITFIELD', key, ...args);
  }

  /** BITFIELD_RO: the `[type, offset]` fields' values; allowed on read-only replicas. */
  bitfieldRo(
    key: Arg,
    fields: Array<[type: BitfieldType, offset: BitfieldOffset]>,
  ): Promise<Array<number | bigint>> {
    const gets = Array.isArray(fields) ? fields.map((get) => ({ get })) : fields;
    const args = bitfieldArgs('bitfieldRo()', gets, false);
    if (args instanceof Error) return Promise.reject(args);
    return this.execute('BITFIELD_RO', key, ...args);
  }

  /** BITOP AND: `dest` = the AND of the keys; resolves with dest's length. */
  bitopAnd(dest: Arg, key: Arg, ...keys: Arg[]): Promise<number> {
    return this.execute('BITOP', 'AND', dest, key, ...keys);
  }

  /** BITOP OR. */
  bitopOr(dest: Arg, key: Arg, ...keys: Arg[]): Promise<number> {
    return this.execute('BITOP', 'OR', dest, key, ...keys);
  }

  /** BITOP XOR. */
  bitopXor(dest: Arg, key: Arg, ...keys: Arg[]): Promise<number> {
    return this.execute('BITOP', 'XOR', dest, key, ...keys);
  }

  /** BITOP NOT: `dest` = the complement of `key`. */
  bitopNot(dest: Arg, key: Arg): Promise<number> {
    return this.execute('BITOP', 'NOT', dest, key);
  }

  /** BITPOS: the position of the first `bit` (0 or 1), from `start` up to `end` (bytes). */
  bitpos(key: Arg, bit: 0 | 1, start?: number, end?: number): Promise<number> {
    if (bit !== 0 && bit !== 1) return invalid('bitpos() bit must be 0 or 1');
    if (start === undefined && end !== undefined) return invalid('bitpos() end needs a start');
    const range = [start, end].filter((n): n is number => n !== undefined);
    if (!range.every(isInteger)) return invalid('bitpos() start and end must be integers');
    return this.execute('BITPOS', key, bit, ...range);
  }

  /** DECR: resolves with the new value. */
  decr(key: Arg): Promise<number> {
    return this.execute('DECR', key);
  }

  /** DECRBY: decrements by an integer `decrement`. */
  decrby(key: Arg, decrement: number): Promise<number> {
    if (!isInteger(decrement)) return invalid('decrby() decrement must be an integer');
    return this.execute('DECRBY', key, decrement);
  }

  /** GET: the value, or null when the key does not exist. */
  get<O extends ReadOptions | undefined = undefined>(
    key: Arg,
    options?: O,
  ): Promise<Bulk<O, S> | null> {
    return this.read(options, 'GET', key);
  }

  /** GETBIT: the bit at `offset` (0 or 1). */
  getbit(key: Arg, offset: number): Promise<number> {
    if (!isInteger(offset) || offset < 0) return invalid('getbit() offset must be an integer ≥ 0');
    return this.execute('GETBIT', key, offset);
  }

  /** GETDEL (Redis 6.2): the value, deleting the key. */
  getdel<O extends ReadOptions | undefined = undefined>(
    key: Arg,
    options?: O,
  ): Promise<Bulk<O, S> | null> {
    return this.read(options, 'GETDEL', key);
  }

  /** GETEX (Redis 6.2): the value, setting or removing its time to live. */
  getex<O extends GetExOptions | undefined = undefined>(
    key: Arg,
    options?: O,
  ): Promise<Bulk<O, S> | null> {
    const expiry: Arg[] = [];
    const given = Object.entries({
      EX: options?.expire,
      PX: options?.pexpire,
      EXAT: options?.expireAt,
      PXAT: options?.pexpireAt,
    }).filter(([, value]) => value !== undefined);
    if (given.length + (options?.persist ? 1 : 0) > 1) {
      return invalid('getex() takes one of expire, pexpire, expireAt, pexpireAt and persist');
    }
    for (const [name, value] of given) {
      if (!isInteger(value)) return invalid(`getex() ${name} must be an integer`);
      if (value <= 0) return outOfRange(`getex() ${name} must be > 0`);
      expiry.push(name, value);
    }
    if (options?.persist) expiry.push('PERSIST');
    return this.read(options, 'GETEX', key, ...expiry);
  }

  /** GETRANGE: the substring between byte offsets `start` and `end` (inclusive; negative from the end). */
  getrange<O extends ReadOptions | undefined = undefined>(
    key: Arg,
    start: number,
    end: number,
    options?: O,
  ): Promise<Bulk<O, S>> {
    if (!isInteger(start) || !isInteger(end)) return invalid('getrange() offsets must be integers');
    return this.read(options, 'GETRANGE', key, start, end);
  }

  /** GETSET: sets `value` and resolves with the old value. */
  getset<O extends ReadOptions | undefined = undefined>(
    key: Arg,
    value: Arg,
    options?: O,
  ): Promise<Bulk<O, S> | null> {
    return this.read(options, 'GETSET', key, value);
  }

  /** INCR: resolves with the new value. */
  incr(key: Arg): Promise<number> {
    return this.execute('INCR', key);
  }

  /** INCRBY: increments by an integer. */
  incrby(key: Arg, increment: number): Promise<number> {
    if (!isInteger(increment)) return invalid('incrby() increment must be an integer');
    return this.execute('INCRBY', key, increment);
  }

  /** INCRBYFLOAT: increments by a number; resolves with the new value as a number. */
  incrbyfloat(key: Arg, increment: number): Promise<number> {
    if (!Number.isFinite(increment)) return invalid('incrbyfloat() increment must be finite');
    return readPlain<string>(this, 'INCRBYFLOAT', key, increment).then(toNumber);
  }

  /** LCS (Redis 7): the longest common subsequence of the two values. */
  lcs<O extends ReadOptions | undefined = undefined>(
    key1: Arg,
    key2: Arg,
    options?: O,
  ): Promise<Bulk<O, S>> {
    return this.read(options, 'LCS', key1, key2);
  }

  /** LCS … LEN (Redis 7): the length of the longest common subsequence. */
  lcsLen(key1: Arg, key2: Arg): Promise<number> {
    return this.execute('LCS', key1, key2, 'LEN');
  }

  /** LCS … IDX (Redis 7): where the common subsequence's matches are, and its length. */
  lcsIdx(key1: Arg, key2: Arg, options?: LcsIdxOptions): Promise<LcsIdx> {
    const args: Arg[] = [key1, key2, 'IDX'];
    const { minMatchLen, withMatchLen } = options ?? {};
    if (minMatchLen !== undefined) {
      if (!isInteger(minMatchLen) || minMatchLen < 0) {
        return invalid('lcsIdx() minMatchLen must be an integer ≥ 0');
      }
      args.push('MINMATCHLEN', minMatchLen);
    }
    if (withMatchLen) args.push('WITHMATCHLEN');
    return readPlain<RawLcsIdx>(this, 'LCS', ...args).then(toLcsIdx);
  }

  /** MGET: the values of the keys, null for a missing one. */
  mget<O extends ReadOptions | undefined = undefined>(
    keys: Arg[],
    options?: O,
  ): Promise<Array<Bulk<O, S> | null>> {
    if (!Array.isArray(keys) || keys.length === 0)
      return invalid('mget() needs a non-empty array of keys');
    return this.read(options, 'MGET', ...keys);
  }

  /** MSET: sets every key of `pairs` (an object or `[key, value]` pairs). Resolves true. */
  mset(pairs: Record<string, Arg> | Array<[Arg, Arg]>): Promise<boolean> {
    const args = flattenPairs(pairs);
    if (args === undefined)
      return invalid('mset() needs an object or [key, value] pairs, not empty');
    return this.execute<string>('MSET', ...args).then(isOk);
  }

  /** MSETNX: sets them all only if none exists; resolves whether it did. */
  msetnx(pairs: Record<string, Arg> | Array<[Arg, Arg]>): Promise<boolean> {
    const args = flattenPairs(pairs);
    if (args === undefined)
      return invalid('msetnx() needs an object or [key, value] pairs, not empty');
    return this.execute<number>('MSETNX', ...args).then(isOne);
  }

  /** PSETEX: sets `value` expiring after `milliseconds`. */
  psetex(key: Arg, milliseconds: number, value: Arg): Promise<boolean> {
    if (!isInteger(milliseconds) || milliseconds <= 0) {
      return outOfRange('psetex() milliseconds must be an integer > 0');
    }
    return this.execute<string>('PSETEX', key, milliseconds, value).then(isOk);
  }

  /**
   * SET: resolves true when the value was set, false when `exist` prevented it. `expire`
   * (seconds) and `pexpire` (milliseconds) exclude each other and `keepTtl`.
   */
  set(key: Arg, value: Arg, options?: SetOptions): Promise<boolean> {
    const { expire, pexpire, exist, keepTtl } = options ?? {};
    const args: Arg[] = [key, value];
    if ([expire, pexpire, keepTtl || undefined].filter((o) => o !== undefined).length > 1) {
      return invalid('set() takes one of expire, pexpire and keepTtl');
    }
    if (expire !== undefined) {
      if (!isInteger(expire) || expire <= 0)
        return outOfRange('set() expire must be an integer > 0');
      args.push('EX', expire);
    }
    if (pexpire !== undefined) {
      if (!isInteger(pexpire) || pexpire <= 0) {
        return outOfRange('set() pexpire must be an integer > 0');
      }
      args.push('PX', pexpire);
    }
    if (keepTtl) args.push('KEEPTTL');
    if (exist !== undefined) {
      if (exist !== 'NX' && exist !== 'XX') return invalid("set() exist must be 'NX' or 'XX'");
      args.push(exist);
    }
    return this.execute<string | null>('SET', ...args).then(isOk);
  }

  /** SETBIT: sets the bit at `offset`; resolves with the bit it had. */
  setbit(key: Arg, offset: number, value: 0 | 1): Promise<number> {
    if (!isInteger(offset) || offset < 0) return invalid('setbit() offset must be an integer ≥ 0');
    if (value !== 0 && value !== 1) return invalid('setbit() value must be 0 or 1');
    return this.execute('SETBIT', key, offset, value);
  }

  /** SETEX: sets `value` expiring after `seconds`. */
  setex(key: Arg, seconds: number, value: Arg): Promise<boolean> {
    if (!isInteger(seconds) || seconds <= 0)
      return outOfRange('setex() seconds must be an integer > 0');
    return this.execute<string>('SETEX', key, seconds, value).then(isOk);
  }

  /** SETNX: sets `value` only if the key does not exist; resolves whether it did. */
  setnx(key: Arg, value: Arg): Promise<boolean> {
    return this.execute<number>('SETNX', key, value).then(isOne);
  }

  /** SETRANGE: overwrites from byte `offset`; resolves with the new length. */
  setrange(key: Arg, offset: number, value: Arg): Promise<number> {
    if (!isInteger(offset) || offset < 0)
      return invalid('setrange() offset must be an integer ≥ 0');
    return this.execute('SETRANGE', key, offset, value);
  }

  /** STRLEN: the value's length in bytes (0 for a missing key). */
  strlen(key: Arg): Promise<number> {
    return this.execute('STRLEN', key);
  }
}

/** An object or `[key, value]` pairs as `[k1, v1, k2, v2…]`; undefined when empty or malformed. */
export function flattenPairs(pairs: Record<string, Arg> | Array<[Arg, Arg]>): Arg[] | undefined {
  if (pairs === null || typeof pairs !== 'object') return undefined;
  const entries = Array.isArray(pairs) ? pairs : Object.entries(pairs);
  if (entries.length === 0 || !entries.every((pair) => Array.isArray(pair) && pair.length === 2)) {
    return undefined;
  }
  return entries.flat();
}

const BITFIELD_TYPE = /^(i([1-9]|[1-5][0-9]|6[0-4])|u([1-9]|[1-5][0-9]|6[0-3]))$/;
const BITFIELD_OVERFLOW: ReadonlySet<unknown> = new Set(['WRAP', 'SAT', 'FAIL']);

/**
 * BITFIELD operations as arguments (GET, SET, INCRBY, OVERFLOW), or the error that refuses them;
 * only GETs unless `write`.
 */
function bitfieldArgs(
  name: string,
  operations: BitfieldOperation[],
  write: boolean,
): Arg[] | Error {
  if (!Array.isArray(operations) || operations.length === 0) {
    return new TypeError(`${name} needs a non-empty array of operations`);
  }
  const args: Arg[] = [];
  for (const operation of operations) {
    const { get, set, incrby, overflow } = (operation ?? {}) as {
      get?: unknown[];
      set?: unknown[];
      incrby?: unknown[];
      overflow?: unknown;
    };
    const given = [get, set, incrby, overflow].filter((part) => part !== undefined);
    if (given.length !== 1 || (!write && get === undefined)) {
      return new TypeError(
        write
          ? `${name} operations must each be one of get, set, incrby and overflow`
          : `${name} fields must be [type, offset]`,
      );
    }
    if (overflow !== undefined) {
      if (!BITFIELD_OVERFLOW.has(overflow)) {
        return new TypeError(`${name} overflow must be 'WRAP', 'SAT' or 'FAIL'`);
      }
      args.push('OVERFLOW', overflow as string);
      continue;
    }
    const field = (get ?? set ?? incrby) as unknown[];
    if (!Array.isArray(field) || field.length !== (get ? 2 : 3)) {
      return new TypeError(
        `${name} get takes [type, offset], set and incrby [type, offset, value]`,
      );
    }
    const [type, offset, value] = field;
    if (typeof type !== 'string' || !BITFIELD_TYPE.test(type)) {
      return new TypeError(`${name} type must be i1…i64 or u1…u63`);
    }
    const position = typeof offset === 'string' ? Number(offset.slice(1)) : offset;
    if (
      !isInteger(position) ||
      position < 0 ||
      (typeof offset === 'string' && !/^#\d+$/.test(offset))
    ) {
      return new TypeError(`${name} offset must be an integer ≥ 0 or '#n'`);
    }
    if (get) {
      args.push('GET', type, offset as Arg);
    } else {
      if (!isInteger(value)) return new TypeError(`${name} values must be integers`);
      args.push(set ? 'SET' : 'INCRBY', type, offset as Arg, value);
    }
  }
  return args;
}

/** LCS IDX's reply: `matches` and `len` (a RESP2 flat array or a RESP3 map). */
type RawLcsIdx = Array<string | Buffer | number | RawLcsMatch[]> | Map<unknown, unknown>;
type RawLcsMatch = [[number, number], [number, number], number?];

function toLcsIdx(reply: RawLcsIdx): LcsIdx {
  const { matches, len } = toObject(reply) as { matches: RawLcsMatch[]; len: number };
  return {
    matches: matches.map(([key1, key2, length]) =>
      length === undefined ? { key1, key2 } : { key1, key2, length },
    ),
    len,
  };
}
