/**
 * What every command group builds on. A group is a stateless class of typed one-liners that send a
 * command and shape its reply; groups are mixed into {@link Redis} (and anything else that can
 * `execute`), so go-to-definition on `redis.get` lands on the line that sends GET.
 *
 * @module
 */
import type { ExecuteOptions, PubsubReply, RedisConnection } from '../connection';
import type { Channel } from '../pubsub';
import type { Arg } from '../protocol/encoder';
import type { Reply } from '../protocol/reader';

/**
 * A deadline and a cancel signal for one call, with {@link RedisConnection.executeWith}'s semantics:
 * the call rejects (TimeoutError, or the signal's reason) while its reply, when it comes, is still
 * read and dropped, so later replies never shift. A command that was written may still run. A
 * blocking command (BLPOP, XREAD BLOCK…) is unblocked with CLIENT UNBLOCK instead, and its promise
 * waits for its reply: an element it popped meanwhile resolves it rather than being lost.
 */
export interface CallOptions {
  /** Reject with TimeoutError after this many milliseconds. A finite number > 0. Default: none. */
  timeout?: number;
  /** Reject with the signal's reason once it aborts. Default: none. */
  signal?: AbortSignal;
}

/** Per-call options of commands that return stored values (and, like every call, a deadline). */
export interface ReadOptions extends CallOptions {
  /** Decode this call's bulk replies with this encoding; `null` gives Buffers. Default: the client's. */
  encoding?: BufferEncoding | null;
}

/**
 * The type of a stored value a call returns: the call's `encoding` wins over the client's default
 * `S` (`Buffer`, or `string` for a client created with an encoding).
 */
export type Bulk<O, S> = O extends { encoding: null }
  ? Buffer
  : O extends { encoding: BufferEncoding }
    ? string
    : S;

/** The base of every command group: how to send a command. `S` is the client's bulk-string type. */
export abstract class Commands<S = Buffer> {
  /** Sends a command; see RedisConnection.execute. */
  abstract execute<T = Reply>(command: string, ...args: Arg[]): Promise<T>;
  /** Sends a command with per-command options; see RedisConnection.executeWith. */
  abstract executeWith<T = Reply>(
    options: ExecuteOptions,
    command: string,
    ...args: Arg[]
  ): Promise<T>;

  /** Sends a command that returns stored values, with the call's encoding if it has one. */
  protected read<T>(options: ReadOptions | undefined, command: string, ...args: Arg[]): Promise<T> {
    return readWith<T>(this, options, command, ...args);
  }

  /**
   * Runs a pub/sub command on the client's pub/sub connection. Only a live client can: a pipeline
   * or transaction rejects.
   */
  protected executePubsub(
    command: string,
    ...channels: Array<string | Buffer | Channel>
  ): Promise<PubsubReply[]> {
    void channels;
    return invalid(`${command} needs a client, not a pipeline or transaction`);
  }

  /**
   * The Channel the client's pub/sub connection holds for `name` in one of its registries (after
   * a subscribe confirmed it), or undefined. Only a live client has one.
   */
  protected subscribedChannel(
    registry: 'channels' | 'patterns' | 'shards',
    name: string,
  ): Channel | undefined {
    void registry;
    void name;
    return undefined;
  }

  /**
   * A new connection of its own with the client's address and options, for commands that take a
   * connection over for good (MONITOR). The caller closes it. Only a live client can.
   */
  protected dedicatedConnection(): Promise<RedisConnection> {
    return invalid('this needs a client, not a pipeline or transaction');
  }

  /** @internal Only here so that `S` takes part in type checks: never set. */
  declare protected readonly bulkType?: S;
}

/**
 * Sends `command` on `group` with the call's `encoding`, `timeout` and `signal` when it has any
 * (what {@link Commands.read} does, for helpers outside a group's methods).
 */
export function readWith<T>(
  group: Commands<unknown>,
  options: ReadOptions | null | undefined,
  command: string,
  ...args: Arg[]
): Promise<T> {
  // `== null`: plain JavaScript may pass null, and a command method must never throw.
  if (options == null) return group.execute<T>(command, ...args);
  const { encoding, timeout, signal } = options;
  if (encoding === undefined && timeout === undefined && signal === undefined) {
    return group.execute<T>(command, ...args);
  }
  return group.executeWith<T>({ encoding, timeout, signal }, command, ...args);
}

/** A rejected promise with a TypeError: how a command method refuses bad input without sending. */
export function invalid(message: string): Promise<never> {
  return Promise.reject(new TypeError(message));
}

/** A rejected promise with a RangeError, for a value of the right type but out of range. */
export function outOfRange(message: string): Promise<never> {
  return Promise.reject(new RangeError(message));
}

/** Integer replies that mean yes (1) or no (0). */
export function isOne(reply: number): boolean {
  return reply === 1;
}

/** `OK` as true; a nil reply (a condition not met) as false. */
export function isOk(reply: string | null): boolean {
  return reply === 'OK';
}

/** A number sent as a bulk string (INCRBYFLOAT, ZSCORE…), as a number; `inf` included. */
export function toNumber(reply: string | Buffer | number): number {
  if (typeof reply === 'number') return reply;
  const text = String(reply);
  if (text === 'inf' || text === '+inf') return Infinity;
  if (text === '-inf') return -Infinity;
  return Number(text);
}

/** Like {@link toNumber}, keeping nil as null. */
export function toNumberOrNull(reply: string | Buffer | number | null): number | null {
  return reply === null ? null : toNumber(reply);
}

/**
 * `[k1, v1, k2, v2…]` (or a RESP3 map) as an object keyed by the keys as UTF-8 text. Every key
 * becomes an own property, `__proto__` included: stored data never touches the object's prototype.
 */
export function toObject<V>(
  reply: Array<string | Buffer | V> | Map<unknown, V>,
): Record<string, V> {
  const result: Record<string, V> = {};
  const set = (key: unknown, value: V): void => {
    Object.defineProperty(result, String(key), {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  };
  if (reply instanceof Map) {
    for (const [key, value] of reply) set(key, value);
    return result;
  }
  for (let i = 0; i + 1 < reply.length; i += 2) set(reply[i], reply[i + 1] as V);
  return result;
}

/** Whether `value` is an integer that the server takes as one (safe range). */
export function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** Options of the SCAN family (SCAN, HSCAN, SSCAN, ZSCAN) and their async iterators. */
export interface CursorOptions extends ReadOptions {
  /** Only items matching this glob-style pattern (MATCH). Default: all. */
  match?: string | Buffer;
  /** How much work one call does, a hint (COUNT). An integer > 0. Default: the server's (10). */
  count?: number;
}

/**
 * `cursor` and the MATCH / COUNT arguments of a SCAN-family call, or a rejection naming what is
 * wrong. A cursor is an integer ≥ 0 or its decimal string (cursors may exceed 2^53).
 */
export function cursorArgs(
  name: string,
  cursor: string | number,
  options: CursorOptions | undefined,
): Arg[] | Promise<never> {
  if (typeof cursor === 'string' ? !/^\d+$/.test(cursor) : !isInteger(cursor)) {
    return invalid(`${name}() cursor must be an integer or its decimal string`);
  }
  if (typeof cursor === 'number' && cursor < 0) return outOfRange(`${name}() cursor must be ≥ 0`);
  const args: Arg[] = [cursor];
  const { match, count } = options ?? {};
  if (match !== undefined) {
    if (typeof match !== 'string' && !Buffer.isBuffer(match)) {
      return invalid(`${name}() match must be a string or Buffer`);
    }
    args.push('MATCH', match);
  }
  if (count !== undefined) {
    if (!isInteger(count)) return invalid(`${name}() count must be an integer`);
    if (count < 1) return outOfRange(`${name}() count must be > 0`);
    args.push('COUNT', count);
  }
  return args;
}

/**
 * Walks a SCAN-family cursor lazily: the next call is sent only once the last batch is used up,
 * and the walk ends when the cursor comes back to '0'. Bad options reject the first `next()`.
 */
export async function* walkCursor<T>(
  step: (cursor: string) => Promise<[string, T[]]>,
): AsyncGenerator<T, void, undefined> {
  let cursor = '0';
  do {
    const [next, items] = await step(cursor);
    cursor = next;
    yield* items;
  } while (cursor !== '0');
}

/** Decodes one stored value of a reply, as {@link readShaped}'s `shape` is told to. */
export type Decode = (value: unknown) => unknown;

export const asIs: Decode = (value) => value;

/**
 * Sends a command whose reply holds numbers, ids or cursors next to stored values (scores, stream
 * ids…). Those are bulk strings in RESP2, which an encoding such as 'hex' or 'base64' (the call's or
 * the client's) would garble, so such a call reads Buffers and `shape` decodes only the stored
 * values. With an encoding that keeps ASCII text (utf8, null…) the reply is read as it is.
 */
export function readShaped<T, R>(
  group: Commands<unknown>,
  options: ReadOptions | undefined,
  shape: (reply: R, decode: Decode) => unknown,
  command: string,
  ...args: Arg[]
): Promise<T> {
  const own = options?.encoding;
  const timed = options?.timeout !== undefined || options?.signal !== undefined;
  if (own === undefined) {
    const client = clientEncoding(group);
    if (keepsAscii(client)) {
      const sent = timed
        ? group.executeWith<R>(deadline(options), command, ...args)
        : group.execute<R>(command, ...args);
      return sent.then((reply) => shape(reply, asIs) as T);
    }
    return readDecoding(group, client as BufferEncoding, options, shape, command, args);
  }
  if (keepsAscii(own)) {
    return group
      .executeWith<R>({ ...deadline(options), encoding: own }, command, ...args)
      .then((reply) => shape(reply, asIs) as T);
  }
  return readDecoding(group, own as BufferEncoding, options, shape, command, args);
}

/** Reads Buffers (within the call's deadline) and lets `shape` decode the stored values with `encoding`. */
function readDecoding<T, R>(
  group: Commands<unknown>,
  encoding: BufferEncoding,
  options: CallOptions | undefined,
  shape: (reply: R, decode: Decode) => unknown,
  command: string,
  args: Arg[],
): Promise<T> {
  const decode: Decode = (value) => (Buffer.isBuffer(value) ? value.toString(encoding) : value);
  return group
    .executeWith<R>({ ...deadline(options), encoding: null }, command, ...args)
    .then((reply) => shape(reply, decode) as T);
}

/** The `timeout` and `signal` of a call's options, for executeWith. */
export function deadline(options: CallOptions | null | undefined): CallOptions {
  if (options == null) return {};
  const { timeout, signal } = options;
  return timeout === undefined && signal === undefined ? {} : { timeout, signal };
}

const AS_BUFFERS: ExecuteOptions = { encoding: null };

/**
 * Encodings whose text of an ASCII byte is that byte's character, so numbers, ids and cursors that
 * RESP2 sends as bulk strings read right. 'hex', 'base64', 'base64url' and 'utf16le' do not.
 */
const ASCII_TEXT = new Set(['utf8', 'utf-8', 'ascii', 'latin1', 'binary']);

/** Whether replies decoded with `encoding` keep numbers and ids readable (null: Buffers do). */
function keepsAscii(encoding: string | null | undefined): boolean {
  return encoding == null || ASCII_TEXT.has(encoding) || ASCII_TEXT.has(encoding.toLowerCase());
}

/**
 * The client-wide encoding of whatever the group's methods run on (a Redis client, a pipeline…),
 * or undefined when it does not say (then replies are taken as they come, as before).
 */
function clientEncoding(group: Commands<unknown>): string | null | undefined {
  const encoding = (group as { readonly encoding?: unknown }).encoding;
  return typeof encoding === 'string' || encoding === null ? encoding : undefined;
}

/**
 * Sends a command whose reply is only numbers, ids or field names the server wrote (INCRBYFLOAT,
 * ZSCORE, XADD's id, XINFO…), never stored values: on a client whose encoding would garble them
 * it reads Buffers, which the reply transforms turn into numbers and text as they do utf8 strings.
 */
export function readPlain<T>(
  group: Commands<unknown>,
  command: string,
  ...args: Arg[]
): Promise<T> {
  return keepsAscii(clientEncoding(group))
    ? group.execute<T>(command, ...args)
    : group.executeWith<T>(AS_BUFFERS, command, ...args);
}

/**
 * Sends a SCAN-family command (SCAN, SSCAN): the cursor as text whatever the encoding, the items
 * in the call's (or client's) encoding.
 */
export function readScan<T>(
  group: Commands<unknown>,
  options: ReadOptions | undefined,
  command: string,
  ...args: Arg[]
): Promise<[cursor: string, items: T[]]> {
  return readShaped(group, options, toScanStep, command, ...args);
}

function toScanStep([cursor, items]: [string | Buffer, unknown[]], decode: Decode): unknown {
  return [String(cursor), decode === asIs ? items : items.map(decode)];
}
