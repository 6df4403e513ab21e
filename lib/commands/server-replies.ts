/**
 * The server group's reply shapes and the parsers that make them: INFO's sections, ROLE, SLOWLOG,
 * LATENCY and MEMORY replies, and MONITOR's lines with the async iterator that yields them. Every
 * parser takes the reply decoded as UTF-8, flat RESP2 arrays and RESP3 maps alike; the reply
 * helpers here serve `client-replies.ts`, `acl-replies.ts` and `command-replies.ts` too.
 *
 * Fields that the server names (INFO, MEMORY STATS, MODULE LIST…) keep the server's names, so its
 * documentation applies as written; fields that the server only sends by position (ROLE, SLOWLOG,
 * LATENCY LATEST) get camelCase names here.
 *
 * @module
 */
import Denque from 'denque';
import type { RedisConnection } from '../connection';
import { ConnectionClosedError } from '../errors';
import type { Reply } from '../protocol/reader';
import { toNumber, toObject } from './base';

/** One INFO value: a number when numeric, an object for `k=v,k=v` values (keyspace, commandstats…). */
export type InfoValue = string | number | bigint | Record<string, string | number | bigint>;

/**
 * INFO parsed: section (lowercase) → field → value, e.g. `{ server: { redis_version: '7.0.15',
 * tcp_port: 6379, … }, keyspace: { db0: { keys: 1, expires: 0, avg_ttl: 0 } } }`.
 */
export type ServerInfo = Record<string, Record<string, InfoValue>>;

/** What ROLE says about a master. */
export interface MasterRole {
  /** Tells the roles apart. */
  role: 'master';
  /** The master's replication offset. */
  replicationOffset: number;
  /** Its connected replicas, with the offset each acknowledged. */
  replicas: Array<{ host: string; port: number; replicationOffset: number }>;
}

/** What ROLE says about a replica (the server's word for it is `slave`). */
export interface ReplicaRole {
  /** Tells the roles apart. */
  role: 'slave';
  /** The host of the master it replicates. */
  masterHost: string;
  /** The TCP port of that master. */
  masterPort: number;
  /** `'connect'`, `'connecting'`, `'sync'`, `'connected'` or `'handshake'`. */
  state: string;
  /** How much of the replication stream it received; -1 before the first sync. */
  replicationOffset: number;
}

/** What ROLE says about a sentinel. */
export interface SentinelRole {
  /** Tells the roles apart. */
  role: 'sentinel';
  /** The names of the masters it monitors. */
  masters: string[];
}

/** ROLE's reply, by role. */
export type Role = MasterRole | ReplicaRole | SentinelRole;

/** One SLOWLOG GET entry. */
export interface SlowlogEntry {
  /** The entry's id, increasing from one entry to the next. */
  id: number;
  /** When the command ran, in Unix seconds. */
  timestamp: number;
  /** How long it ran, in microseconds. */
  duration: number;
  /** The command and its arguments (the server shortens long ones). */
  args: string[];
  /** `ip:port` of the client. */
  clientAddress: string;
  /** The client's name; '' for none. */
  clientName: string;
}

/** One LATENCY LATEST entry; latencies in milliseconds. */
export interface LatencyEvent {
  /** The event name, e.g. `'command'`, `'fast-command'`, `'expire-cycle'`. */
  event: string;
  /** When it last happened, in Unix seconds. */
  timestamp: number;
  /** Its latest latency. */
  latest: number;
  /** Its highest latency. */
  max: number;
}

/** LATENCY HISTOGRAM's entry for one command (Redis 7), with the server's names. */
export interface LatencyHistogram {
  /** How many times the command was called. */
  calls: number;
  /** Bucket upper bound in microseconds (a power of 2, as text) → how many calls took at most that. */
  histogram_usec: Record<string, number>;
}

/** MEMORY STATS: numbers, and one nested object per database with keys (`db.0`…). */
export type MemoryStats = Record<string, number | string | Record<string, number>>;

/** DEBUG OBJECT's fields (`at`, `refcount`, `encoding`, `serializedlength`, `lru`…). */
export type DebugObject = Record<string, string | number>;

/** One loaded module (MODULE LIST), with the server's names. */
export interface ModuleInfo {
  /** The module's name. */
  name: string;
  /** Its version, as a number (e.g. 20411 for 2.4.11). */
  ver: number;
  /** Redis 7. */
  path?: string;
  /** Redis 7. */
  args?: string[];
}

/** One command the server received, as MONITOR reports it. */
export interface MonitorLine {
  /** When the server ran it, in Unix seconds with microseconds. */
  timestamp: number;
  /** The database it ran in. */
  db: number;
  /** Who sent it: `ip:port`, `unix:/path`, or `lua` for a script. */
  source: string;
  /** The command and its arguments, unescaped (bytes decoded as UTF-8). */
  args: string[];
  /** The line as the server sent it. */
  raw: string;
}

/**
 * MONITOR's lines, as an async iterator over a connection of its own (see `redis.monitor()`).
 * Breaking out of a `for await` loop, `return()`, `stop()` and the end of an `await using` block
 * all end it and close that connection; losing the connection makes the next `next()` reject with
 * the cause, so loss is never mistaken for an end.
 */
export interface Monitor extends AsyncIterableIterator<MonitorLine, undefined, undefined> {
  /** Ends the iteration and closes the monitor's connection; resolves once it is closed. */
  stop(): Promise<void>;
  /** `stop()`, for `await using monitor = await redis.monitor()`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Identifiers made of hex digits, which may happen to look like numbers: always text. */
const INFO_TEXT_FIELDS: ReadonlySet<string> = new Set([
  'redis_git_sha1',
  'redis_build_id',
  'run_id',
  'master_replid',
  'master_replid2',
]);

/** A decimal integer, as INFO and CLIENT LIST write them. */
export const INTEGER = /^-?(?:0|[1-9]\d*)$/;
const DECIMAL = /^-?(?:0|[1-9]\d*)\.\d+$/;
/** An INFO value made of `key=value` parts: `keys=1,expires=0,avg_ttl=0`. */
const KEY_VALUES = /^[A-Za-z_][\w.-]*=[^,=]*(?:,[A-Za-z_][\w.-]*=[^,=]*)*$/;

/** Text as a number when it is one (a bigint beyond 2^53), else unchanged. '007' stays text. */
function scalar(text: string): string | number | bigint {
  if (INTEGER.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : BigInt(text);
  }
  return DECIMAL.test(text) ? Number(text) : text;
}

/** A reply item as text: bulk strings arrive as strings here, integers as numbers. */
export function text(reply: Reply | undefined): string {
  return reply == null ? '' : String(reply);
}

/** A reply item as a number: integers as they are, numeric bulk strings and doubles converted. */
export function number(reply: Reply | undefined): number {
  return typeof reply === 'number' ? reply : toNumber(text(reply));
}

/** A reply's array of items as texts; [] for anything else. */
export function texts(reply: Reply | undefined): string[] {
  return Array.isArray(reply) ? reply.map(text) : [];
}

/** A RESP2 flat array or RESP3 map as an object. */
export function fields(reply: Reply | undefined): Record<string, Reply> {
  return reply instanceof Map || Array.isArray(reply) ? toObject<Reply>(reply) : {};
}

/** INFO's text as nested objects: one per `# Section`, numbers where numeric. */
export function parseInfo(reply: string): ServerInfo {
  const info: ServerInfo = {};
  let section: Record<string, InfoValue> = {};
  for (const line of reply.split(/\r?\n/)) {
    if (line.startsWith('#')) {
      section = info[line.slice(1).trim().toLowerCase()] = {};
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon);
    const value = line.slice(colon + 1);
    if (INFO_TEXT_FIELDS.has(key)) section[key] = value;
    else if (KEY_VALUES.test(value)) section[key] = keyValues(value);
    else section[key] = scalar(value);
  }
  return info;
}

function keyValues(value: string): Record<string, string | number | bigint> {
  const result: Record<string, string | number | bigint> = {};
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    result[part.slice(0, eq)] = scalar(part.slice(eq + 1));
  }
  return result;
}

/** ROLE's positional reply as a {@link Role}. */
export function parseRole(reply: Reply[]): Role {
  const role = text(reply[0]);
  if (role === 'master') {
    const replicas = (reply[2] as Reply[][] | undefined) ?? [];
    return {
      role,
      replicationOffset: number(reply[1]),
      replicas: replicas.map(([host, port, offset]) => ({
        host: text(host),
        port: number(port),
        replicationOffset: number(offset),
      })),
    };
  }
  if (role === 'slave') {
    return {
      role,
      masterHost: text(reply[1]),
      masterPort: number(reply[2]),
      state: text(reply[3]),
      replicationOffset: number(reply[4]),
    };
  }
  if (role === 'sentinel') return { role, masters: texts(reply[1]) };
  throw new Error(`ROLE replied with an unknown role: ${role}`);
}

/** SLOWLOG GET's entries. */
export function parseSlowlog(reply: Reply[][]): SlowlogEntry[] {
  return reply.map(([id, timestamp, duration, args, clientAddress, clientName]) => ({
    id: number(id),
    timestamp: number(timestamp),
    duration: number(duration),
    args: texts(args),
    clientAddress: text(clientAddress),
    clientName: text(clientName),
  }));
}

/** LATENCY LATEST's positional entries. */
export function parseLatencyLatest(reply: Reply[][]): LatencyEvent[] {
  return reply.map(([event, timestamp, latest, max]) => ({
    event: text(event),
    timestamp: number(timestamp),
    latest: number(latest),
    max: number(max),
  }));
}

/** LATENCY HISTORY's `[timestamp, latency]` pairs. */
export function parseLatencyHistory(reply: Reply[][]): Array<[timestamp: number, latency: number]> {
  return reply.map(([timestamp, latency]) => [number(timestamp), number(latency)]);
}

/** LATENCY HISTOGRAM's reply: command → calls and buckets. */
export function parseLatencyHistograms(reply: Reply): Record<string, LatencyHistogram> {
  const result: Record<string, LatencyHistogram> = {};
  for (const [command, value] of Object.entries(fields(reply))) {
    const entry = fields(value);
    const buckets: Record<string, number> = {};
    for (const [bound, count] of Object.entries(fields(entry.histogram_usec))) {
      buckets[bound] = number(count);
    }
    result[command] = { calls: number(entry.calls), histogram_usec: buckets };
  }
  return result;
}

/** MEMORY STATS: numeric text (RESP2 sends the ratios as bulk strings) as numbers. */
export function parseMemoryStats(reply: Reply): MemoryStats {
  const stats: MemoryStats = {};
  for (const [key, value] of Object.entries(fields(reply))) {
    if (value instanceof Map || Array.isArray(value)) {
      const nested: Record<string, number> = {};
      for (const [field, item] of Object.entries(fields(value))) nested[field] = number(item);
      stats[key] = nested;
    } else if (typeof value === 'number') {
      stats[key] = value;
    } else {
      const parsed = scalar(text(value));
      stats[key] = typeof parsed === 'bigint' ? Number(parsed) : parsed;
    }
  }
  return stats;
}

/** DEBUG OBJECT's `Value at:0x… refcount:1 encoding:embstr …` line as an object. */
export function parseDebugObject(reply: string): DebugObject {
  const result: DebugObject = {};
  for (const token of reply.trim().split(' ')) {
    const colon = token.indexOf(':');
    if (colon <= 0) continue; // the leading "Value"
    const value = scalar(token.slice(colon + 1));
    result[token.slice(0, colon)] = typeof value === 'bigint' ? String(value) : value;
  }
  return result;
}

/** MODULE LIST's entries. */
export function parseModules(reply: Reply[]): ModuleInfo[] {
  return reply.map((item) => {
    const module: Record<string, unknown> = fields(item);
    if (Array.isArray(module.args)) module.args = texts(module.args as Reply[]);
    return module as unknown as ModuleInfo;
  });
}

const MONITOR_LINE = /^(\d+(?:\.\d+)?) \[(\d+) ([^\]]*)\] ?(.*)$/s;
/** The escapes of the server's quoted strings (sdscatrepr), besides `\xHH`, `\\` and `\"`. */
const ESCAPES: Readonly<Record<string, number>> = { n: 10, r: 13, t: 9, a: 7, b: 8 };

/** A MONITOR line: `1700000000.123456 [0 127.0.0.1:50000] "SET" "key" "value"`. */
export function parseMonitorLine(raw: string): MonitorLine {
  const match = MONITOR_LINE.exec(raw);
  if (match === null) return { timestamp: NaN, db: -1, source: '', args: [], raw };
  const [, timestamp = '', db = '', source = '', rest = ''] = match;
  return { timestamp: Number(timestamp), db: Number(db), source, args: unquote(rest), raw };
}

/** The server's `"quoted" "strings"` (non-printable bytes as `\xHH`) as the strings they stand for. */
function unquote(line: string): string[] {
  const args: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] !== '"') {
      i++;
      continue;
    }
    const bytes: number[] = [];
    for (i++; i < line.length && line[i] !== '"'; i++) {
      if (line[i] !== '\\' || i + 1 === line.length) {
        bytes.push(line.charCodeAt(i));
        continue;
      }
      const next = line[++i] as string;
      const hex = line.slice(i + 1, i + 3);
      if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 2;
      } else {
        bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
      }
    }
    i++; // the closing quote
    args.push(Buffer.from(bytes).toString('utf8'));
  }
  return args;
}

/** Turns `conn` (a connection of its own) into a {@link Monitor}; closes it on failure. */
export async function startMonitor(conn: RedisConnection): Promise<Monitor> {
  const monitor = new MonitorIterator(conn);
  try {
    await conn._monitor((line) => monitor.push(line));
  } catch (err) {
    conn.close();
    throw err;
  }
  return monitor;
}

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/** The {@link Monitor}: lines queue up until asked for; the connection's end ends it. */
class MonitorIterator implements Monitor {
  readonly #conn: RedisConnection;
  readonly #lines = new Denque<MonitorLine>();
  readonly #waiting: Array<{
    resolve: (result: IteratorResult<MonitorLine, undefined>) => void;
    reject: (error: Error) => void;
  }> = [];
  /** Set once the connection closed: null for an end we asked for, else the error to report once. */
  #end: { error: Error | null } | null = null;
  #stopping = false;

  constructor(conn: RedisConnection) {
    this.#conn = conn;
    void conn.waitClosed().then(() => {
      const error = this.#stopping ? null : new ConnectionClosedError('MONITOR connection lost');
      // Lines already received still come first: next() only looks at #end once they are used up.
      this.#end = { error };
      for (let waiter = this.#waiting.shift(); waiter; waiter = this.#waiting.shift()) {
        if (this.#end.error === null) waiter.resolve(DONE);
        else {
          waiter.reject(this.#end.error);
          this.#end.error = null;
        }
      }
    });
  }

  /** A line from the connection (called by RedisConnection._monitor's listener; never throws). */
  push(raw: string): void {
    if (this.#stopping) return;
    const line = parseMonitorLine(raw);
    const waiter = this.#waiting.shift();
    if (waiter !== undefined) waiter.resolve({ value: line, done: false });
    else this.#lines.push(line);
  }

  next(): Promise<IteratorResult<MonitorLine, undefined>> {
    const line = this.#lines.shift();
    if (line !== undefined) return Promise.resolve({ value: line, done: false });
    const end = this.#end;
    if (end !== null) {
      const { error } = end;
      end.error = null; // a loss is reported once; after that the iteration is simply over
      return error === null ? Promise.resolve(DONE) : Promise.reject(error);
    }
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  async return(): Promise<IteratorResult<MonitorLine, undefined>> {
    await this.stop();
    return DONE;
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#lines.clear();
    this.#conn.close();
    await this.#conn.waitClosed();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}
