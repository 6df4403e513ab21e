/**
 * Hash commands (aioredis 1.x `commands/hash.py`, camelCase), plus HRANDFIELD (Redis 6.2) and
 * HSET with several pairs (Redis 4). Field values are `S` (the client's bulk type) unless the call
 * passes an encoding; field names in {@link HashCommands.hgetall}'s object are UTF-8 text.
 *
 * @module
 */
import type { Arg } from '../protocol/encoder';
import type { Reply } from '../protocol/reader';
import {
  asIs,
  type Bulk,
  Commands,
  cursorArgs,
  type CursorOptions,
  type Decode,
  invalid,
  isInteger,
  isOk,
  isOne,
  type ReadOptions,
  readPlain,
  readShaped,
  toNumber,
  toObject,
  walkCursor,
} from './base';
import { flattenPairs } from './string';

/** Options of {@link HashCommands.hscan} and {@link HashCommands.ihscan}. */
export type HScanOptions = CursorOptions;

/** Options of {@link HashCommands.hrandfield}. */
export interface HRandFieldOptions extends ReadOptions {
  /**
   * How many fields, as an array: `n > 0` gives up to n distinct fields, `n < 0` gives |n| fields
   * that may repeat. An integer. Default: one field, not in an array.
   */
  count?: number;
  /** Also return each field's value, as `[field, value]` pairs (WITHVALUES). Needs `count`. Default false. */
  withValues?: boolean;
}

export abstract class HashCommands<S = Buffer> extends Commands<S> {
  /** HDEL: deletes fields; resolves with how many existed. */
  hdel(key: Arg, field: Arg, ...fields: Arg[]): Promise<number> {
    return this.execute('HDEL', key, field, ...fields);
  }

  /** HEXISTS: whether the hash has `field`. */
  hexists(key: Arg, field: Arg): Promise<boolean> {
    return this.execute<number>('HEXISTS', key, field).then(isOne);
  }

  /** HGET: the value of `field`, or null when the field or the key does not exist. */
  hget<O extends ReadOptions | undefined = undefined>(
    key: Arg,
    field: Arg,
    options?: O,
  ): Promise<Bulk<O, S> | null> {
    return this.read(options, 'HGET', key, field);
  }

  /** HGETALL: every field and value as an object keyed by field name (UTF-8); `{}` for a missing key. */
  hgetall<O extends ReadOptions | undefined = undefined>(
    key: Arg,
    options?: O,
  ): Promise<Record<string, Bulk<O, S>>> {
    return this.read<Array<Bulk<O, S>> | Map<Reply, Bulk<O, S>>>(options, 'HGETALL', key).then(
      toObject,
    );
  }

  /** HINCRBY: adds an integer `increment` (default 1) to `field`; resolves with the new value. */
  hincrby(key: Arg, field: Arg, increment = 1): Promise<number> {
    if (!isInteger(increment)) return invalid('hincrby() increment must be an integer');
    return this.execute('HINCRBY', key, field, increment);
  }

  /** HINCRBYFLOAT: adds `increment` (default 1) to `field`; resolves with the new value as a number. */
  hincrbyfloat(key: Arg, field: Arg, increment = 1): Promise<number> {
    if (!Number.isFinite(increment)) return invalid('hincrbyfloat() increment must be finite');
    return readPlain<string>(this, 'HINCRBYFLOAT', key, field, increment).then(toNumber);
  }

  /** HKEYS: the field names. */
  hkeys<O extends ReadOptions | undefined = undefined>(
    key: Arg,
    options?: O,
  ): Promise<Array<Bulk<O, S>>> {
    return this.read(options, 'HKEYS', key);
  }

  /** HLEN: the number of fields (0 for a missing key). */
  hlen(key: Arg): Promise<number> {
    return this.execute('HLEN', key);
  }

  /** HMGET: the values of `fields`, in order, null for a missing one. */
  hmget<O extends ReadOptions | undefined = undefined>(
    key: Arg,
    fields: Arg[],
    options?: O,
  ): Promise<Array<Bulk<O, S> | null>> {
    if (!Array.isArray(fields) || fields.length === 0) {
      return invalid('hmget() needs a non-empty array of fields');
    }
    return this.read(options, 'HMGET', key, ...fields);
  }

  /** HMSET: sets `field` to `value` and each further field, value pair (1.x style). Resolves true. */
  hmset(key: Arg, field: Arg, value: Arg, ...pairs: Arg[]): Promise<boolean> {
    if (pairs.length % 2 !== 0) return invalid('hmset() needs a value for every field');
    return this.execute<string>('HMSET', key, field, value, ...pairs).then(isOk);
  }

  /** HMSET: sets every field of `pairs` (an object or `[field, value]` pairs). Resolves true. */
  hmsetDict(key: Arg, pairs: Record<string, Arg> | Array<[Arg, Arg]>): Promise<boolean> {
    const args = flattenPairs(pairs);
    if (args === undefined) {
      return invalid('hmsetDict() needs an object or [field, value] pairs, not empty');
    }
    return this.execute<string>('HMSET', key, ...args).then(isOk);
  }

  /**
   * HSET: sets `field` to `value` and each further field, value pair (`hset(key, 'f1', 'v1', 'f2',
   * 'v2')`, as HSET takes since Redis 4), or every field of `pairs` (an object or `[field, value]`
   * pairs) in one command; resolves with how many fields were new.
   */
  hset(key: Arg, field: Arg, value: Arg, ...pairs: Arg[]): Promise<number>;
  hset(key: Arg, pairs: Record<string, Arg> | Array<[Arg, Arg]>): Promise<number>;
  hset(
    key: Arg,
    fieldOrPairs: Arg | Record<string, Arg> | Array<[Arg, Arg]>,
    value?: Arg,
    ...pairs: Arg[]
  ): Promise<number> {
    if (typeof fieldOrPairs !== 'object' || Buffer.isBuffer(fieldOrPairs)) {
      if (value === undefined) return invalid('hset() needs a value for the field');
      if (pairs.length % 2 !== 0) return invalid('hset() needs a value for every field');
      return this.execute('HSET', key, fieldOrPairs, value, ...pairs);
    }
    const args = value === undefined && pairs.length === 0 ? flattenPairs(fieldOrPairs) : undefined;
    if (args === undefined) {
      return invalid('hset() takes fields and values, or an object or [field, value] pairs');
    }
    return this.execute('HSET', key, ...args);
  }

  /** HSETNX: sets `field` only if it does not exist; resolves whether it did. */
  hsetnx(key: Arg, field: Arg, value: Arg): Promise<boolean> {
    return this.execute<number>('HSETNX', key, field, value).then(isOne);
  }

  /** HSTRLEN: the length in bytes of `field`'s value (0 when missing). */
  hstrlen(key: Arg, field: Arg): Promise<number> {
    return this.execute('HSTRLEN', key, field);
  }

  /** HVALS: the values. */
  hvals<O extends ReadOptions | undefined = undefined>(
    key: Arg,
    options?: O,
  ): Promise<Array<Bulk<O, S>>> {
    return this.read(options, 'HVALS', key);
  }

  /**
   * HSCAN: one step of a walk over the fields from `cursor` (start with 0); resolves with the next
   * cursor ('0' when done) and `[field, value]` pairs. See {@link HashCommands.ihscan} for the whole walk.
   */
  hscan<O extends HScanOptions | undefined = undefined>(
    key: Arg,
    cursor: number | string = 0,
    options?: O,
  ): Promise<[cursor: string, pairs: Array<[field: Bulk<O, S>, value: Bulk<O, S>]>]> {
    const args = cursorArgs('hscan', cursor, options);
    if (!Array.isArray(args)) return args;
    return readShaped(this, options, toScannedPairs, 'HSCAN', key, ...args);
  }

  /**
   * HSCAN as an async iterator of `[field, value]` pairs over the whole hash: one HSCAN per
   * exhausted batch, ending when the cursor comes back to '0'. A field changed during the walk
   * may come twice, as with HSCAN itself. Bad options reject the first `next()`, sending nothing.
   *
   * ```ts
   * for await (const [field, value] of redis.ihscan('user:1', { match: 'addr:*' })) { … }
   * ```
   */
  ihscan<O extends HScanOptions | undefined = undefined>(
    key: Arg,
    options?: O,
  ): AsyncIterableIterator<[field: Bulk<O, S>, value: Bulk<O, S>]> {
    return walkCursor((cursor) => this.hscan(key, cursor, options));
  }

  /** HRANDFIELD (Redis 6.2): one random field, or null for a missing key. */
  hrandfield<
    O extends (ReadOptions & { count?: undefined; withValues?: false }) | undefined = undefined,
  >(key: Arg, options?: O): Promise<Bulk<O, S> | null>;
  /** HRANDFIELD with `count` and `withValues`: random `[field, value]` pairs (`[]` for a missing key). */
  hrandfield<O extends HRandFieldOptions & { count: number; withValues: true }>(
    key: Arg,
    options: O,
  ): Promise<Array<[field: Bulk<O, S>, value: Bulk<O, S>]>>;
  /** HRANDFIELD with `count`: random fields (`[]` for a missing key). */
  hrandfield<O extends HRandFieldOptions & { count: number; withValues?: false }>(
    key: Arg,
    options: O,
  ): Promise<Array<Bulk<O, S>>>;
  /** HRANDFIELD with `count` and a `withValues` known only at run time: fields or pairs. */
  hrandfield<O extends HRandFieldOptions & { count: number }>(
    key: Arg,
    options: O,
  ): Promise<Array<Bulk<O, S>> | Array<[field: Bulk<O, S>, value: Bulk<O, S>]>>;
  hrandfield(key: Arg, options?: HRandFieldOptions): Promise<unknown> {
    const count = options?.count;
    if (count === undefined) {
      if (options?.withValues) return invalid('hrandfield() withValues needs a count');
      return this.read(options, 'HRANDFIELD', key);
    }
    if (!isInteger(count)) return invalid('hrandfield() count must be an integer');
    if (!options?.withValues) return this.read(options, 'HRANDFIELD', key, count);
    return this.read<Reply[]>(options, 'HRANDFIELD', key, count, 'WITHVALUES').then(toPairs);
  }
}

/** HSCAN's reply: the cursor as text, the fields and values decoded as the call asked. */
function toScannedPairs(
  [cursor, flat]: [string | Buffer, Array<unknown | unknown[]>],
  decode: Decode,
): [string, Array<[unknown, unknown]>] {
  const pairs = toPairs(flat);
  if (decode === asIs) return [String(cursor), pairs];
  return [String(cursor), pairs.map(([field, value]) => [decode(field), decode(value)])];
}

/** `[f1, v1, f2, v2…]` (RESP2), or `[[f1, v1], [f2, v2]…]` (RESP3), as `[field, value]` pairs. */
function toPairs<T>(reply: Array<T | T[]>): Array<[T, T]> {
  if (Array.isArray(reply[0])) return reply as Array<[T, T]>;
  const pairs: Array<[T, T]> = [];
  for (let i = 0; i + 1 < reply.length; i += 2) pairs.push([reply[i] as T, reply[i + 1] as T]);
  return pairs;
}
