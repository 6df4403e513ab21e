/**
 * The stream commands' argument builders and reply shapers: ids, trimming, XREAD's streams,
 * entries as `{ id, fields }` (ids and field names as text, values in the call's encoding), and
 * the XINFO / XPENDING replies with camelCase names from RESP2 arrays and RESP3 maps alike.
 *
 * @module
 */
import type { Arg } from '../protocol/encoder';
import type { Reply } from '../protocol/reader';
import { type Decode, invalid, isInteger, outOfRange, toObject } from './base';
import type {
  DeletedEntry,
  StreamEntry,
  StreamId,
  StreamInfo,
  StreamInfoFull,
  StreamPendingEntry,
  StreamRead,
  XAutoClaimed,
  XPendingSummary,
  XRangeOptions,
  XReadOptions,
  XTrimOptions,
} from './stream';

/** Whether `id` can be sent as a stream ID: a non-empty string or an integer ≥ 0. */
export function isId(id: unknown): id is StreamId {
  return typeof id === 'string' ? id.length > 0 : isInteger(id) && id >= 0;
}

/** The rejection for a bad count (an integer > 0), or undefined when fine. */
export function positive(name: string, value: unknown): Promise<never> | undefined {
  if (!isInteger(value)) return invalid(`${name} must be an integer`);
  return value > 0 ? undefined : outOfRange(`${name} must be > 0`);
}

/** The rejection for a bad number of milliseconds (an integer ≥ 0), or undefined when fine. */
export function milliseconds(name: string, value: unknown): Promise<never> | undefined {
  if (!isInteger(value)) return invalid(`${name} must be an integer (milliseconds)`);
  return value >= 0 ? undefined : outOfRange(`${name} must be ≥ 0`);
}

/** XCLAIM's numeric options and their arguments. */
export const CLAIM_NUMBERS = [
  ['idle', 'IDLE'],
  ['time', 'TIME'],
  ['retryCount', 'RETRYCOUNT'],
] as const;

/** `MAXLEN|MINID [~] threshold [LIMIT n]` of XADD and XTRIM; `required` for XTRIM. */
export function trimArgs(
  name: string,
  options: XTrimOptions | undefined,
  required: boolean,
): Arg[] | Promise<never> {
  if (options != null && typeof options !== 'object') {
    return invalid(`${name} options must be an object`);
  }
  const { maxlen, minid, approximate, limit } = options ?? {};
  if (maxlen !== undefined && minid !== undefined) {
    return invalid(`${name} takes maxlen or minid, not both`);
  }
  if (maxlen === undefined && minid === undefined) {
    if (required) return invalid(`${name} needs maxlen or minid`);
    if (approximate || limit !== undefined) {
      return invalid(`${name} approximate and limit need maxlen or minid`);
    }
    return [];
  }
  if (maxlen !== undefined) {
    if (!isInteger(maxlen)) return invalid(`${name} maxlen must be an integer`);
    if (maxlen < 0) return outOfRange(`${name} maxlen must be ≥ 0`);
  } else if (!isId(minid)) {
    return invalid(`${name} minid must be a stream ID`);
  }
  // Exact is the default; no '=' keeps it working on servers before 6.2.
  const args: Arg[] = [maxlen !== undefined ? 'MAXLEN' : 'MINID'];
  if (approximate) args.push('~');
  args.push((maxlen ?? minid) as Arg);
  if (limit !== undefined) {
    if (!approximate) return invalid(`${name} limit needs approximate`);
    if (!isInteger(limit)) return invalid(`${name} limit must be an integer`);
    if (limit < 0) return outOfRange(`${name} limit must be ≥ 0`);
    args.push('LIMIT', limit);
  }
  return args;
}

/** `key start end [COUNT n]` of XRANGE and XREVRANGE. */
export function rangeArgs(
  name: string,
  key: Arg,
  from: unknown,
  to: unknown,
  options: XRangeOptions | undefined,
): Arg[] | Promise<never> {
  if (!isId(from) || !isId(to)) return invalid(`${name} start and end must be stream IDs`);
  const count = options?.count;
  if (count === undefined) return [key, from, to];
  return positive(`${name} count`, count) ?? [key, from, to, 'COUNT', count];
}

/** `[COUNT n] [BLOCK ms] STREAMS key… id…` of XREAD and XREADGROUP. */
export function readArgs(
  name: string,
  streams: unknown,
  options: XReadOptions | undefined,
): Arg[] | Promise<never> {
  if (streams === null || typeof streams !== 'object' || Buffer.isBuffer(streams)) {
    return invalid(`${name} streams must be an object or [key, id] pairs`);
  }
  const pairs: unknown[] = Array.isArray(streams) ? streams : Object.entries(streams);
  if (pairs.length === 0) return invalid(`${name} needs at least one stream`);
  const keys: Arg[] = [];
  const ids: Arg[] = [];
  for (const pair of pairs) {
    if (!Array.isArray(pair) || pair.length !== 2 || !isId(pair[1])) {
      return invalid(`${name} streams must be an object or [key, id] pairs of stream IDs`);
    }
    keys.push(pair[0] as Arg);
    ids.push(pair[1]);
  }
  const args: Arg[] = [];
  const { count, block } = options ?? {};
  if (count !== undefined) {
    const bad = positive(`${name} count`, count);
    if (bad !== undefined) return bad;
    args.push('COUNT', count);
  }
  if (block !== undefined) {
    const bad = milliseconds(`${name} block`, block);
    if (bad !== undefined) return bad;
    args.push('BLOCK', block); // the pool sees BLOCK and gives the call a connection of its own
  }
  return [...args, 'STREAMS', ...keys, ...ids];
}

/** `ENTRIESREAD n` of XGROUP CREATE and SETID. */
export function entriesReadArgs(name: string, entriesRead: unknown): Arg[] | Promise<never> {
  if (entriesRead === undefined) return [];
  if (!isInteger(entriesRead)) return invalid(`${name} entriesRead must be an integer`);
  if (entriesRead < 0) return outOfRange(`${name} entriesRead must be ≥ 0`);
  return ['ENTRIESREAD', entriesRead];
}

// Replies. IDs and names are bulk strings: Buffers on a Buffer client, text otherwise; they are
// always given as text. Field values go through `decode`, the call's encoding (see readShaped).

export type Text = string | Buffer;
export type RawEntry = [id: Text, fields: Text[] | null] | null;
export type RawInfo = Reply[] | Map<Reply, Reply>;
export type RawSummary = [
  count: number,
  min: Text | null,
  max: Text | null,
  consumers: Array<[Text, Text]> | null,
];
export type RawPending = [id: Text, consumer: Text, idle: number, deliveries: number];

export function textOrNull(reply: Text | null): string | null {
  return reply === null ? null : String(reply);
}

export function toTexts(reply: Text[]): string[] {
  return reply.map(String);
}

/** One entry; a deleted one (XREADGROUP history) keeps its ID with `fields: null`. */
export function toEntry(
  raw: [Text, Text[] | null],
  decode: Decode,
): StreamEntry<unknown> | DeletedEntry {
  const [id, flat] = raw;
  if (flat === null) return { id: String(id), fields: null };
  const fields: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const name = String(flat[i]);
    const value = decode(flat[i + 1]);
    // Field names are data: `__proto__` must become a field, not replace the object's prototype.
    if (name === '__proto__') {
      Object.defineProperty(fields, name, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      fields[name] = value;
    }
  }
  return { id: String(id), fields };
}

/** Entries; the nil entries of servers before 7 (XCLAIM of deleted IDs) are left out. */
export function toEntries(
  reply: RawEntry[],
  decode: Decode,
): Array<StreamEntry<unknown> | DeletedEntry> {
  const entries: Array<StreamEntry<unknown> | DeletedEntry> = [];
  for (const raw of reply) if (raw !== null) entries.push(toEntry(raw, decode));
  return entries;
}

/** XREAD / XREADGROUP: `[[key, entries]…]` (RESP2) or a map of key → entries (RESP3); or nil. */
export function toReads(
  reply: Array<[Text, RawEntry[]]> | Map<Text, RawEntry[]> | null,
  decode: Decode,
): Array<StreamRead<StreamEntry<unknown> | DeletedEntry>> | null {
  if (reply === null) return null;
  const reads = reply instanceof Map ? [...reply] : reply;
  return reads.map(([stream, entries]) => ({
    stream: String(stream),
    entries: toEntries(entries, decode),
  }));
}

/** XCLAIM's entries, or IDs with JUSTID. */
export function toClaimed(
  reply: Array<RawEntry | Text>,
  decode: Decode,
): Array<StreamEntry<unknown> | DeletedEntry | string> {
  const claimed: Array<StreamEntry<unknown> | DeletedEntry | string> = [];
  for (const item of reply) {
    if (Array.isArray(item)) claimed.push(toEntry(item, decode));
    else if (item !== null) claimed.push(String(item));
  }
  return claimed;
}

/** XAUTOCLAIM: `[next, entries or IDs, deleted IDs]` (no deleted IDs before Redis 7). */
export function toAutoClaimed(
  [next, claimed, deleted]: [Text, Array<RawEntry | Text>, Text[]?],
  decode: Decode,
): XAutoClaimed<unknown> {
  return {
    next: String(next),
    entries: toClaimed(claimed, decode),
    deleted: deleted === undefined ? [] : toTexts(deleted),
  };
}

export function toSummary([count, min, max, consumers]: RawSummary): XPendingSummary {
  return {
    count,
    minId: textOrNull(min),
    maxId: textOrNull(max),
    consumers: (consumers ?? []).map(([name, pending]) => ({
      name: String(name),
      pending: Number(String(pending)),
    })),
  };
}

export function toPendingEntries(reply: RawPending[]): StreamPendingEntry[] {
  return reply.map(([id, consumer, idle, deliveries]) => ({
    id: String(id),
    consumer: String(consumer),
    idle,
    deliveries,
  }));
}

/** An XINFO map (flat or RESP3) as an object with camelCase names and text for bulk strings. */
export function toInfo(reply: RawInfo): Record<string, unknown> {
  const info: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(toObject<Reply>(reply))) {
    const key = name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
    info[key] = Buffer.isBuffer(value) ? value.toString() : value;
  }
  return info;
}

export function toInfos(reply: RawInfo[]): Array<Record<string, unknown>> {
  return reply.map(toInfo);
}

export function toStreamInfo(reply: RawInfo, decode: Decode): StreamInfo<unknown> {
  const info = toInfo(reply);
  for (const end of ['firstEntry', 'lastEntry']) {
    const raw = info[end] as [Text, Text[]] | null | undefined;
    info[end] = raw == null ? null : toEntry(raw, decode);
  }
  return info as unknown as StreamInfo<unknown>;
}

export function toStreamInfoFull(reply: RawInfo, decode: Decode): StreamInfoFull<unknown> {
  const info = toInfo(reply);
  info.entries = toEntries(info.entries as RawEntry[], decode);
  info.groups = (info.groups as RawInfo[]).map((raw) => {
    const group = toInfo(raw);
    group.pending = (group.pending as Array<[Text, Text, number, number]>).map(
      ([id, consumer, deliveryTime, deliveryCount]) => ({
        id: String(id),
        consumer: String(consumer),
        deliveryTime,
        deliveryCount,
      }),
    );
    group.consumers = (group.consumers as RawInfo[]).map((rawConsumer) => {
      const consumer = toInfo(rawConsumer);
      consumer.pending = (consumer.pending as Array<[Text, number, number]>).map(
        ([id, deliveryTime, deliveryCount]) => ({ id: String(id), deliveryTime, deliveryCount }),
      );
      return consumer;
    });
    return group;
  });
  return info as unknown as StreamInfoFull<unknown>;
}
