/**
 * Stream commands (aioredis 1.x `commands/streams.py`, camelCase), plus those 1.x lacks: XAUTOCLAIM
 * and XGROUP CREATECONSUMER (Redis 6.2), XSETID, XADD's NOMKSTREAM / MINID / LIMIT, XPENDING's
 * IDLE and ENTRIESREAD (7.0), and XINFO STREAM … FULL.
 *
 * Entries come back as `{ id, fields }`: the ID as text and the fields as an object keyed by field
 * name (UTF-8 text), values `S` (the client's bulk type) unless the call passes an encoding. A
 * field name given twice in one entry keeps its last value. IDs, group and consumer names are
 * always text, whatever the encoding. XINFO replies are objects with the server's field names in
 * camelCase (`last-generated-id` → `lastGeneratedId`), from RESP2 arrays or RESP3 maps alike.
 *
 * XREAD and XREADGROUP with `block` wait on the server: a single-connection client's other commands
 * queue behind them, while a pool runs each on a connection of its own, so it blocks nothing else.
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
  readShaped,
} from './base';
import {
  CLAIM_NUMBERS,
  entriesReadArgs,
  isId,
  milliseconds,
  positive,
  rangeArgs,
  RawInfo,
  RawPending,
  RawSummary,
  readArgs,
  textOrNull,
  toAutoClaimed,
  toClaimed,
  toEntries,
  toInfos,
  toPendingEntries,
  toReads,
  toStreamInfo,
  toStreamInfoFull,
  toSummary,
  trimArgs,
} from './stream-args';
import { flattenPairs } from './string';

/**
 * A stream entry ID as sent: `'<ms>-<seq>'`, a special ID where the command takes one (`'*'`,
 * `'$'`, `'>'`, `'-'`, `'+'`, `'('` in front for an exclusive range end), or milliseconds.
 */
export type StreamId = string | number;

/** A stream entry: its ID and its fields (name → value; a repeated name keeps its last value). */
export interface StreamEntry<V> {
  /** The entry's ID, `'<ms>-<seq>'`. */
  id: string;
  /** Its fields, by name. */
  fields: Record<string, V>;
}

/** An entry still pending in a consumer group but deleted from the stream (XREADGROUP history). */
export interface DeletedEntry {
  /** The entry's ID, `'<ms>-<seq>'`. */
  id: string;
  /** Always null: the entry is gone from the stream. */
  fields: null;
}

/** The entries XREAD or XREADGROUP read from one stream. */
export interface StreamRead<E> {
  /** The stream's key, as UTF-8 text. */
  stream: string;
  /** The entries read, oldest first. */
  entries: E[];
}

/** How XADD and XTRIM trim a stream: by length (`maxlen`) or by lowest ID (`minid`), not both. */
export interface XTrimOptions {
  /** Keep at most this many entries (MAXLEN). An integer ≥ 0. Default: not by length. */
  maxlen?: number;
  /** Evict the entries with IDs lower than this one (MINID, Redis 6.2). Default: not by ID. */
  minid?: StreamId;
  /** Trim only whole radix-tree nodes, which is cheaper (`~`). Default false: exact (`=`). */
  approximate?: boolean;
  /**
   * With `approximate`: evict at most this many entries (LIMIT, Redis 6.2); 0: no limit. Default:
   * the server's (100 × `stream-node-max-entries`).
   */
  limit?: number;
}

/** Options of {@link StreamCommands.xadd}. */
export interface XAddOptions extends XTrimOptions {
  /** The new entry's ID. Default `'*'`: the server makes one from its clock. */
  id?: StreamId;
  /** Do not create a missing stream: resolve with null instead (NOMKSTREAM, 6.2). Default false. */
  nomkstream?: boolean;
}

/** What {@link StreamCommands.xadd} resolves with: the new ID, or null when `nomkstream` kept it out. */
export type XAddReply<O> = O extends undefined | { nomkstream: false }
  ? string
  : 'nomkstream' extends keyof O
    ? string | null
    : string;

/** Options of {@link StreamCommands.xrange} and xrevrange. */
export interface XRangeOptions extends ReadOptions {
  /** At most this many entries (COUNT). An integer > 0. Default: all. */
  count?: number;
}

/** Options of {@link StreamCommands.xread}. */
export interface XReadOptions extends ReadOptions {
  /** At most this many entries per stream (COUNT). An integer > 0. Default: all. */
  count?: number;
  /**
   * Wait up to this many milliseconds for an entry when there is none (BLOCK); 0 waits for ever.
   * An integer ≥ 0. Default: do not wait.
   */
  block?: number;
}

/** Options of {@link StreamCommands.xreadGroup}. */
export interface XReadGroupOptions extends XReadOptions {
  /** Do not add the entries read to the pending list: no XACK needed (NOACK). Default false. */
  noack?: boolean;
}

/** Options of {@link StreamCommands.xgroupCreate}. */
export interface XGroupCreateOptions {
  /** Create the stream, empty, when it does not exist (MKSTREAM). Default false: an error. */
  mkstream?: boolean;
  /** How many entries the group has read, for its lag (ENTRIESREAD, Redis 7). An integer ≥ 0. */
  entriesRead?: number;
}

/** Options of {@link StreamCommands.xgroupSetid}. */
export interface XGroupSetidOptions {
  /** How many entries the group has read, for its lag (ENTRIESREAD, Redis 7). An integer ≥ 0. */
  entriesRead?: number;
}

/** What {@link StreamCommands.xpending} resolves with: a group's pending entries, summed up. */
export interface XPendingSummary {
  /** How many entries are pending. */
  count: number;
  /** The lowest pending ID; null when none is pending. */
  minId: string | null;
  /** The highest pending ID; null when none is pending. */
  maxId: string | null;
  /** The consumers that have pending entries, with how many each. */
  consumers: Array<{ name: string; pending: number }>;
}

/** Options of {@link StreamCommands.xpendingRange}. */
export interface XPendingOptions {
  /** Only the entries pending for this consumer. Default: every consumer's. */
  consumer?: Arg;
  /**
   * Only entries idle for at least this many milliseconds (IDLE, Redis 6.2). An integer ≥ 0.
   * Default: every entry.
   */
  idle?: number;
}

/** One pending entry, as {@link StreamCommands.xpendingRange} gives them. */
export interface StreamPendingEntry {
  /** The pending entry's ID. */
  id: string;
  /** The consumer it was last delivered to. */
  consumer: string;
  /** Milliseconds since it was last delivered. */
  idle: number;
  /** How many times it has been delivered. */
  deliveries: number;
}

/** Options of {@link StreamCommands.xclaim}. */
export interface XClaimOptions extends ReadOptions {
  /** Set the entries' idle time to this many milliseconds (IDLE). An integer ≥ 0. Default 0. */
  idle?: number;
  /**
   * Set the entries' last delivery to this Unix time, in milliseconds (TIME). An integer ≥ 0.
   * Default: now, less `idle`.
   */
  time?: number;
  /** Set the entries' delivery count to this (RETRYCOUNT). An integer ≥ 0. Default: one more. */
  retryCount?: number;
  /** Claim IDs even when they are not pending, if they are in the stream (FORCE). Default false. */
  force?: boolean;
  /** Resolve with the IDs only, leaving the delivery counts alone (JUSTID). Default false. */
  justid?: boolean;
  /** Set the group's last delivered ID to this one (LASTID), as replication does. */
  lastid?: StreamId;
}

/** Options of {@link StreamCommands.xautoclaim}. */
export interface XAutoClaimOptions extends ReadOptions {
  /** Claim at most this many entries (COUNT). An integer > 0. Default 100. */
  count?: number;
  /** Resolve with the IDs only, leaving the delivery counts alone (JUSTID). Default false. */
  justid?: boolean;
}

/** Claimed entries: their IDs with `justid: true`, the entries otherwise. */
export type XClaimed<O, S> = O extends { justid: true }
  ? string[]
  : O extends undefined | { justid: false }
    ? Array<StreamEntry<Bulk<O, S>>>
    : 'justid' extends keyof O
      ? string[] | Array<StreamEntry<Bulk<O, S>>>
      : Array<StreamEntry<Bulk<O, S>>>;

/** What {@link StreamCommands.xautoclaim} resolves with. */
export interface XAutoClaimed<E> {
  /** Where the next call should start; `'0-0'` once the whole pending list was scanned. */
  next: string;
  /** The claimed entries (their IDs with `justid`). */
  entries: E;
  /** The pending IDs it found deleted from the stream, and dropped from the pending list (Redis 7). */
  deleted: string[];
}

/** Options of {@link StreamCommands.xinfoStream}. */
export interface XInfoStreamOptions extends ReadOptions {
  /** Resolve with every entry, group, consumer and pending entry (FULL). Default false. */
  full?: boolean;
  /** With `full`: at most this many entries and pending entries of each list (COUNT); 0: all. Default 10. */
  count?: number;
}

/** What {@link StreamCommands.xinfoStream} and its full form both give. */
export interface StreamInfoBase {
  /** How many entries the stream holds. */
  length: number;
  /** How many keys its radix tree has (memory use). */
  radixTreeKeys: number;
  /** How many nodes its radix tree has (memory use). */
  radixTreeNodes: number;
  /** The highest ID ever added, even if that entry was deleted since. */
  lastGeneratedId: string;
  /** Redis 7: the highest ID deleted so far. */
  maxDeletedEntryId?: string;
  /** Redis 7: how many entries were ever added. */
  entriesAdded?: number;
  /** Redis 7: the first entry's ID as last recorded. */
  recordedFirstEntryId?: string;
}

/** XINFO STREAM. */
export interface StreamInfo<V> extends StreamInfoBase {
  /** How many consumer groups the stream has. */
  groups: number;
  /** The first entry; null when the stream is empty. */
  firstEntry: StreamEntry<V> | null;
  /** The last entry; null when the stream is empty. */
  lastEntry: StreamEntry<V> | null;
}

/** XINFO STREAM … FULL. */
export interface StreamInfoFull<V> extends StreamInfoBase {
  /** The entries, first first (up to `count`). */
  entries: Array<StreamEntry<V>>;
  /** Its consumer groups, each in full. */
  groups: StreamGroupFull[];
}

/** One group of XINFO STREAM … FULL. */
export interface StreamGroupFull {
  /** The group's name. */
  name: string;
  /** The ID of the last entry delivered to the group. */
  lastDeliveredId: string;
  /** Redis 7: how many entries the group read; null when the server cannot tell. */
  entriesRead?: number | null;
  /** Redis 7: how many entries are still to deliver; null when the server cannot tell. */
  lag?: number | null;
  /** How many entries are pending. */
  pelCount: number;
  /**
   * The group's pending entries (up to `count`): ID, consumer, when last delivered (Unix time in
   * milliseconds) and how many times.
   */
  pending: Array<{ id: string; consumer: string; deliveryTime: number; deliveryCount: number }>;
  /** The group's consumers. */
  consumers: Array<{
    /** The consumer's name. */
    name: string;
    /** When the consumer was last seen, Unix time in milliseconds. */
    seenTime: number;
    /** Redis 7.2: when it last read an entry, Unix time in milliseconds (-1: never). */
    activeTime?: number;
    /** How many entries are pending for it. */
    pelCount: number;
    /**
     * Its pending entries (up to `count`): ID, when last delivered (Unix time in milliseconds) and
     * how many times.
     */
    pending: Array<{ id: string; deliveryTime: number; deliveryCount: number }>;
  }>;
}

/** What {@link StreamCommands.xinfoStream} resolves with: the full form with `full: true`. */
export type XInfoStreamReply<O, S> = O extends { full: true }
  ? StreamInfoFull<Bulk<O, S>>
  : O extends undefined | { full: false }
    ? StreamInfo<Bulk<O, S>>
    : 'full' extends keyof O
      ? StreamInfo<Bulk<O, S>> | StreamInfoFull<Bulk<O, S>>
      : StreamInfo<Bulk<O, S>>;

/** One consumer group, as {@link StreamCommands.xinfoGroups} gives them. */
export interface StreamGroupInfo {
  /** The group's name. */
  name: string;
  /** How many consumers it has. */
  consumers: number;
  /** How many entries are pending. */
  pending: number;
  /** The ID of the last entry delivered to the group. */
  lastDeliveredId: string;
  /** Redis 7: how many entries the group read; null when the server cannot tell. */
  entriesRead?: number | null;
  /** Redis 7: how many entries are still to deliver; null when the server cannot tell. */
  lag?: number | null;
}

/** One consumer, as {@link StreamCommands.xinfoConsumers} gives them. */
export interface StreamConsumerInfo {
  /** The consumer's name. */
  name: string;
  /** How many entries are pending for it. */
  pending: number;
  /** Milliseconds since it last tried to read or claim. */
  idle: number;
  /** Redis 7.2: milliseconds since it last read an entry (-1: never). */
  inactive?: number;
}

/** Options of {@link StreamCommands.xsetid}. */
export interface XSetIdOptions {
  /** How many entries were ever added (ENTRIESADDED, Redis 7). An integer ≥ 0. */
  entriesAdded?: number;
  /** The highest ID deleted so far (MAXDELETEDID, Redis 7). */
  maxDeletedId?: StreamId;
}

export abstract class StreamCommands<S = Buffer> extends Commands<S> {
  /** XACK: acknowledges entries of a group; resolves with how many were pending. */
  xack(key: Arg, group: Arg, id: StreamId, ...ids: StreamId[]): Promise<number> {
    if (![id, ...ids].every(isId)) return invalid('xack() ids must be stream IDs');
    return this.execute('XACK', key, group, id, ...ids);
  }

  /**
   * XADD: appends an entry of `fields` (an object or `[name, value]` pairs), trimming the stream
   * first if asked; resolves with the entry's ID (null when `nomkstream` met no stream).
   */
  xadd<O extends XAddOptions | undefined = undefined>(
    key: Arg,
    fields: Record<string, Arg> | Array<[Arg, Arg]>,
    options?: O,
  ): Promise<XAddReply<O>> {
    const pairs = flattenPairs(fields);
    if (pairs === undefined) {
      return invalid('xadd() needs an object or [name, value] pairs, not empty');
    }
    const trim = trimArgs('xadd()', options, false);
    if (trim instanceof Promise) return trim;
    const id = options?.id ?? '*';
    if (!isId(id)) return invalid('xadd() id must be a stream ID');
    const flag = options?.nomkstream ? ['NOMKSTREAM'] : [];
    return readPlain<string | Buffer | null>(
      this,
      'XADD',
      key,
      ...flag,
      ...trim,
      id,
      ...pairs,
    ).then(textOrNull) as Promise<XAddReply<O>>;
  }

  /**
   * XAUTOCLAIM (Redis 6.2): claims for `consumer` the entries idle for `minIdleTime` ms or more,
   * scanning the pending list from `start`; resolves with where to go on, the entries, and the
   * IDs found deleted.
   */
  xautoclaim<O extends XAutoClaimOptions | undefined = undefined>(
    key: Arg,
    group: Arg,
    consumer: Arg,
    minIdleTime: number,
    start: StreamId = '0-0',
    options?: O,
  ): Promise<XAutoClaimed<XClaimed<O, S>>> {
    const idle = milliseconds('xautoclaim() minIdleTime', minIdleTime);
    if (idle !== undefined) return idle;
    if (!isId(start)) return invalid('xautoclaim() start must be a stream ID');
    const args: Arg[] = [key, group, consumer, minIdleTime, start];
    const count = options?.count;
    if (count !== undefined) {
      const bad = positive('xautoclaim() count', count);
      if (bad !== undefined) return bad;
      args.push('COUNT', count);
    }
    if (options?.justid) args.push('JUSTID');
    return readShaped(this, options, toAutoClaimed, 'XAUTOCLAIM', ...args);
  }

  /**
   * XCLAIM: makes `consumer` the owner of the pending `ids` idle for `minIdleTime` ms or more;
   * resolves with the entries it claimed (their IDs with `justid`).
   */
  xclaim<O extends XClaimOptions | undefined = undefined>(
    key: Arg,
    group: Arg,
    consumer: Arg,
    minIdleTime: number,
    ids: StreamId[],
    options?: O,
  ): Promise<XClaimed<O, S>> {
    const idle = milliseconds('xclaim() minIdleTime', minIdleTime);
    if (idle !== undefined) return idle;
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every(isId)) {
      return invalid('xclaim() needs a non-empty array of stream IDs');
    }
    const args: Arg[] = [key, group, consumer, minIdleTime, ...ids];
    for (const [option, name] of CLAIM_NUMBERS) {
      const value = options?.[option];
      if (value === undefined) continue;
      const bad = milliseconds(`xclaim() ${option}`, value);
      if (bad !== undefined) return bad;
      args.push(name, value);
    }
    if (options?.force) args.push('FORCE');
    if (options?.justid) args.push('JUSTID');
    const lastid = options?.lastid;
    if (lastid !== undefined) {
      if (!isId(lastid)) return invalid('xclaim() lastid must be a stream ID');
      args.push('LASTID', lastid);
    }
    return readShaped(this, options, toClaimed, 'XCLAIM', ...args);
  }

  /** XDEL: deletes entries; resolves with how many existed. */
  xdel(key: Arg, id: StreamId, ...ids: StreamId[]): Promise<number> {
    if (![id, ...ids].every(isId)) return invalid('xdel() ids must be stream IDs');
    return this.execute('XDEL', key, id, ...ids);
  }

  /**
   * XGROUP CREATE: creates a consumer group that reads after `id` (default `'$'`: only new
   * entries; `'0'`: the whole stream). Resolves true; BusyGroupError when it exists.
   */
  xgroupCreate(
    key: Arg,
    group: Arg,
    id: StreamId = '$',
    options?: XGroupCreateOptions,
  ): Promise<boolean> {
    if (!isId(id)) return invalid('xgroupCreate() id must be a stream ID');
    const args: Arg[] = [key, group, id];
    if (options?.mkstream) args.push('MKSTREAM');
    const read = entriesReadArgs('xgroupCreate()', options?.entriesRead);
    if (read instanceof Promise) return read;
    return this.execute<string>('XGROUP', 'CREATE', ...args, ...read).then(isOk);
  }

  /** XGROUP CREATECONSUMER (Redis 6.2): adds a consumer; resolves whether it was new. */
  xgroupCreateconsumer(key: Arg, group: Arg, consumer: Arg): Promise<boolean> {
    return this.execute<number>('XGROUP', 'CREATECONSUMER', key, group, consumer).then(isOne);
  }

  /** XGROUP DELCONSUMER: removes a consumer; resolves with how many entries it had pending. */
  xgroupDelconsumer(key: Arg, group: Arg, consumer: Arg): Promise<number> {
    return this.execute('XGROUP', 'DELCONSUMER', key, group, consumer);
  }

  /** XGROUP DESTROY: deletes a consumer group; resolves whether it existed. */
  xgroupDestroy(key: Arg, group: Arg): Promise<boolean> {
    return this.execute<number>('XGROUP', 'DESTROY', key, group).then(isOne);
  }

  /** XGROUP SETID: sets the group's last delivered ID (`'$'`: the stream's last). Resolves true. */
  xgroupSetid(key: Arg, group: Arg, id: StreamId, options?: XGroupSetidOptions): Promise<boolean> {
    if (!isId(id)) return invalid('xgroupSetid() id must be a stream ID');
    const read = entriesReadArgs('xgroupSetid()', options?.entriesRead);
    if (read instanceof Promise) return read;
    return this.execute<string>('XGROUP', 'SETID', key, group, id, ...read).then(isOk);
  }

  /** XINFO CONSUMERS: the consumers of a group, each with its pending count and idle time. */
  xinfoConsumers(key: Arg, group: Arg): Promise<StreamConsumerInfo[]> {
    return readPlain<RawInfo[]>(this, 'XINFO', 'CONSUMERS', key, group).then(toInfos) as Promise<
      StreamConsumerInfo[]
    >;
  }

  /** XINFO GROUPS: the consumer groups of a stream. */
  xinfoGroups(key: Arg): Promise<StreamGroupInfo[]> {
    return readPlain<RawInfo[]>(this, 'XINFO', 'GROUPS', key).then(toInfos) as Promise<
      StreamGroupInfo[]
    >;
  }

  /**
   * XINFO STREAM: the stream's length, IDs and first and last entries; with `full`, its entries,
   * groups, consumers and pending entries.
   */
  xinfoStream<O extends XInfoStreamOptions | undefined = undefined>(
    key: Arg,
    options?: O,
  ): Promise<XInfoStreamReply<O, S>> {
    const { full, count } = options ?? {};
    const args: Arg[] = [key];
    if (full) args.push('FULL');
    if (count !== undefined) {
      if (!full) return invalid('xinfoStream() count needs full');
      if (!isInteger(count)) return invalid('xinfoStream() count must be an integer');
      if (count < 0) return outOfRange('xinfoStream() count must be ≥ 0');
      args.push('COUNT', count);
    }
    return readShaped(
      this,
      options,
      full ? toStreamInfoFull : toStreamInfo,
      'XINFO',
      'STREAM',
      ...args,
    );
  }

  /** XLEN: the number of entries (0 for a missing key). */
  xlen(key: Arg): Promise<number> {
    return this.execute('XLEN', key);
  }

  /** XPENDING: how many entries of a group are pending, their ID range, and per consumer. */
  xpending(key: Arg, group: Arg): Promise<XPendingSummary> {
    return readPlain<RawSummary>(this, 'XPENDING', key, group).then(toSummary);
  }

  /**
   * XPENDING with a range: up to `count` pending entries with IDs from `start` to `end` ('-' and
   * '+' for the open ends), each with its consumer, idle time and delivery count.
   */
  xpendingRange(
    key: Arg,
    group: Arg,
    start: StreamId,
    end: StreamId,
    count: number,
    options?: XPendingOptions,
  ): Promise<StreamPendingEntry[]> {
    if (!isId(start) || !isId(end)) {
      return invalid('xpendingRange() start and end must be stream IDs');
    }
    const bad = positive('xpendingRange() count', count);
    if (bad !== undefined) return bad;
    const args: Arg[] = [key, group];
    const { idle, consumer } = options ?? {};
    if (idle !== undefined) {
      const wrong = milliseconds('xpendingRange() idle', idle);
      if (wrong !== undefined) return wrong;
      args.push('IDLE', idle);
    }
    args.push(start, end, count);
    if (consumer !== undefined) args.push(consumer);
    return readPlain<RawPending[]>(this, 'XPENDING', ...args).then(toPendingEntries);
  }

  /** XRANGE: the entries with IDs from `start` to `end` (default: all), lowest first. */
  xrange<O extends XRangeOptions | undefined = undefined>(
    key: Arg,
    start: StreamId = '-',
    end: StreamId = '+',
    options?: O,
  ): Promise<Array<StreamEntry<Bulk<O, S>>>> {
    const args = rangeArgs('xrange()', key, start, end, options);
    if (args instanceof Promise) return args;
    return readShaped(this, options, toEntries, 'XRANGE', ...args);
  }

  /**
   * XREAD: the entries after each stream's ID (`'$'`: only new ones, with `block`); null when
   * none came (nothing new, or `block` ran out).
   */
  xread<O extends XReadOptions | undefined = undefined>(
    streams: Record<string, StreamId> | Array<[key: Arg, id: StreamId]>,
    options?: O,
  ): Promise<Array<StreamRead<StreamEntry<Bulk<O, S>>>> | null> {
    const args = readArgs('xread()', streams, options);
    if (args instanceof Promise) return args;
    return readShaped(this, options, toReads, 'XREAD', ...args);
  }

  /**
   * XREADGROUP: entries for `consumer` of `group`: never delivered ones with the ID `'>'`, its own
   * pending ones (history) with another ID, where a deleted entry has `fields: null`. Null when
   * none came.
   */
  xreadGroup<O extends XReadGroupOptions | undefined = undefined>(
    group: Arg,
    consumer: Arg,
    streams: Record<string, StreamId> | Array<[key: Arg, id: StreamId]>,
    options?: O,
  ): Promise<Array<StreamRead<StreamEntry<Bulk<O, S>> | DeletedEntry>> | null> {
    const args = readArgs('xreadGroup()', streams, options);
    if (args instanceof Promise) return args;
    if (options?.noack) args.unshift('NOACK'); // anywhere before STREAMS
    return readShaped(this, options, toReads, 'XREADGROUP', 'GROUP', group, consumer, ...args);
  }

  /** XREVRANGE: the entries with IDs from `end` down to `start` (default: all), highest first. */
  xrevrange<O extends XRangeOptions | undefined = undefined>(
    key: Arg,
    end: StreamId = '+',
    start: StreamId = '-',
    options?: O,
  ): Promise<Array<StreamEntry<Bulk<O, S>>>> {
    const args = rangeArgs('xrevrange()', key, end, start, options);
    if (args instanceof Promise) return args;
    return readShaped(this, options, toEntries, 'XREVRANGE', ...args);
  }

  /** XSETID: sets the stream's last ID (as replication and AOF do); resolves true. */
  xsetid(key: Arg, lastId: StreamId, options?: XSetIdOptions): Promise<boolean> {
    if (!isId(lastId)) return invalid('xsetid() lastId must be a stream ID');
    const args: Arg[] = [key, lastId];
    const { entriesAdded, maxDeletedId } = options ?? {};
    if (entriesAdded !== undefined) {
      if (!isInteger(entriesAdded)) return invalid('xsetid() entriesAdded must be an integer');
      if (entriesAdded < 0) return outOfRange('xsetid() entriesAdded must be ≥ 0');
      args.push('ENTRIESADDED', entriesAdded);
    }
    if (maxDeletedId !== undefined) {
      if (!isId(maxDeletedId)) return invalid('xsetid() maxDeletedId must be a stream ID');
      args.push('MAXDELETEDID', maxDeletedId);
    }
    return this.execute<string>('XSETID', ...args).then(isOk);
  }

  /** XTRIM: trims by `maxlen` or `minid`; resolves with how many entries were evicted. */
  xtrim(key: Arg, options: XTrimOptions): Promise<number> {
    const trim = trimArgs('xtrim()', options, true);
    if (trim instanceof Promise) return trim;
    return this.execute('XTRIM', key, ...trim);
  }
}

// Arguments.
