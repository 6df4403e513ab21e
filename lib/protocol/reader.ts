/**
 * The streaming RESP2/RESP3 reply parser: bytes go in with `feed()`, complete replies come out of
 * `gets()`. Like hiredis's `read.c` it owns no socket and no queue of commands, never recurses (open
 * aggregates live on an explicit stack), enforces hard limits and keeps its first error forever.
 *
 * | Type byte           | RESP                           | JS value                                  |
 * | ------------------- | ------------------------------ | ----------------------------------------- |
 * | `+`                 | simple string                  | `string` (UTF-8)                          |
 * | `-`, `!`            | simple error, bulk error       | {@link ReplyError} returned, never thrown |
 * | `:`                 | integer                        | `number`; `bigint` outside ±(2^53 − 1)    |
 * | `$`                 | bulk string                    | `Buffer`, or `string` when `encoding` set |
 * | `=`                 | verbatim string                | like `$`, without its `txt:` prefix       |
 * | `$-1`, `*-1`, `_`   | null                           | `null`                                    |
 * | `#t`, `#f`          | boolean                        | `true`, `false`                           |
 * | `,`                 | double                         | `number` (`inf`, `-inf`, `nan` included)  |
 * | `(`                 | big number                     | `bigint`                                  |
 * | `*`, `~`            | array, set                     | `Reply[]`                                 |
 * | `%`                 | map                            | `Map<Reply, Reply>` in the server's order |
 * | `>`                 | push (out of band)             | {@link PushReply}                         |
 * | `\|`                | attribute                      | skipped: the reply after it is returned   |
 * | `$?`, `*?`, …       | streamed string or aggregate   | `ProtocolError` (unsupported)             |
 *
 * Map keys that are bulk strings are Buffers unless `encoding` is set, so look them up by content.
 *
 * @module
 */
import { isAscii } from 'node:buffer';
import { ProtocolError, replyError, type ReplyError } from '../errors';

/**
 * A reply as the reader produces it. See the mapping table in this file's module doc.
 */
export type Reply =
  string | Buffer | number | bigint | boolean | null | ReplyError | Reply[] | Map<Reply, Reply>;

/** The hiredis.Reader contract: any parser passed as the `parser` option implements this. */
export interface ReaderLike {
  /** Appends bytes received from the server. */
  feed(data: Buffer): void;
  /** The next complete reply, or `false` when more bytes are needed. Throws ProtocolError. */
  gets(): Reply | false;
  /**
   * Optional: when present, bulk strings of replies started after it is set are decoded with this
   * encoding (null → Buffers). The connection sets it to the pending command's encoding before each
   * gets(), which spares a second pass; parsers without it get their replies decoded afterwards.
   */
  encoding?: BufferEncoding | null;
  /**
   * Optional: true when the last gets() returned `false` because more bytes are needed, false when
   * it returned a RESP3 `#f` reply. Without it `false` always means "incomplete" (the hiredis
   * contract), so a parser that maps `#f` to `false` must provide it or replies would stall.
   */
  readonly incomplete?: boolean;
}

/** A class implementing {@link ReaderLike}, as accepted by the `parser` option. */
export type ReaderConstructor = new () => ReaderLike;

/** An out-of-band RESP3 push frame (`>`): an array that answers no command. */
export class PushReply extends Array<Reply> {}

/** Limits of a {@link Reader}: a reply beyond either one is a ProtocolError. */
export interface ReaderOptions {
  /** Deepest nesting of aggregates accepted. Default 1024. */
  maxDepth?: number;
  /** Longest bulk string accepted, in bytes. Default 512 MiB. */
  maxBulkLength?: number;
}

/** Default {@link ReaderOptions.maxDepth}: this many nested aggregates parse, one more throws. */
export const MAX_DEPTH = 1024;
/** Default {@link ReaderOptions.maxBulkLength}, in bytes (Redis's own `proto-max-bulk-len`). */
export const MAX_BULK_LENGTH = 512 * 1024 * 1024;

const SIMPLE_STRING = 43; // '+'
const SIMPLE_ERROR = 45; // '-'
const INTEGER = 58; // ':'
const BULK_STRING = 36; // '$'
const BULK_ERROR = 33; // '!'
const VERBATIM = 61; // '='
const ARRAY = 42; // '*'
const SET = 126; // '~'
const MAP = 37; // '%'
const ATTRIBUTE = 124; // '|'
const PUSH = 62; // '>'
const NULL = 95; // '_'
const BOOLEAN = 35; // '#'
const DOUBLE = 44; // ','
const BIG_NUMBER = 40; // '('
/**
 * Text this long or longer is checked for pure ASCII before decoding: Node decodes ASCII several
 * times faster than UTF-8 (or latin1), and for ASCII bytes all three give the same string. Shorter
 * text is not worth the extra native call.
 */
const ASCII_CHECK_FROM = 512;
const ASCII_COMPATIBLE = new Set(['utf8', 'utf-8', 'latin1', 'binary', 'ascii']);

/**
 * Text up to this long is decoded here when it is ASCII: a call into Node's decoder costs more than
 * the whole string (a list of short strings, as LRANGE or HGETALL return, is mostly such calls).
 */
const SHORT_TEXT = 32;
/** One reusable list of character codes per length, for String.fromCharCode. */
const CODES = Array.from({ length: SHORT_TEXT + 1 }, (_, n) => new Array<number>(n).fill(0));

/**
 * Decodes `src[start, end)` with `encoding`. `asciiCompatible`: the encoding decodes ASCII bytes as
 * ASCII (utf8, latin1, ascii), so ASCII text may take a faster path than Node's decoder.
 */
function decodeText(
  src: Buffer,
  encoding: BufferEncoding,
  asciiCompatible: boolean,
  start: number,
  end: number,
): string {
  const length = end - start;
  if (asciiCompatible) {
    if (length <= SHORT_TEXT) {
      const codes = CODES[length]!;
      let i = 0;
      for (; i < length; i++) {
        const byte = src[start + i]!;
        if (byte >= 0x80) break;
        codes[i] = byte;
      }
      if (i === length) return String.fromCharCode(...codes);
    } else if (length >= ASCII_CHECK_FROM && isAscii(src.subarray(start, end))) {
      return src.toString('ascii', start, end);
    }
  }
  return src.toString(encoding, start, end);
}

const CR = 13; // '\r'
const LF = 10; // '\n'
const PLUS = 43; // '+'
const MINUS = 45; // '-'
const ZERO = 48; // '0'
const ONE = 49; // '1'
const COLON = 58; // ':'
const QUESTION = 63; // '?'
const LETTER_O = 79; // 'O'
const LETTER_K = 75; // 'K'
const LETTER_T = 116; // 't'
const LETTER_F = 102; // 'f'

/** An open aggregate. Frames are reused, so parsing allocates nothing beyond the replies. */
interface Frame {
  type: number; // the type byte: MAP, ATTRIBUTE, or one of the array-like ARRAY, SET, PUSH
  items: Reply[] | Map<Reply, Reply> | null; // null for an attribute, which is discarded
  key: Reply; // FRAME_MAP: the key waiting for its value
  left: number; // elements still expected; a map's keys and values count separately
}

/** parse step results that are not replies: more bytes needed; a header read, no value yet. */
const INCOMPLETE = Symbol('incomplete');
const NO_VALUE = Symbol('no value');

const EMPTY = Buffer.alloc(0);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const BIG_INTEGER = /^[+-]?\d+$/;

/**
 * Parses the replies of one server connection, whatever the chunking of the byte stream.
 *
 * ```ts
 * const reader = new Reader();
 * reader.feed(Buffer.from('*2\r\n$3\r\nfoo\r\n:4'));
 * reader.gets(); // false: the array is not complete
 * reader.feed(Buffer.from('2\r\n'));
 * reader.gets(); // [<Buffer 66 6f 6f>, 42]
 * ```
 */
export class Reader implements ReaderLike {
  /** Bulk strings of replies started from now on decode with it; null (default) gives Buffers. */
  encoding: BufferEncoding | null = null;

  private readonly maxDepth: number;
  private readonly maxBulkLength: number;
  /** The chunk being parsed and the read position in it. */
  private buf: Buffer = EMPTY;
  private pos = 0;
  /** Chunks fed after `buf`, from index `head` on; `queued` counts their bytes. */
  private queue: Buffer[] = [];
  private head = 0;
  private queued = 0;
  /** Queued chunks before this index hold no LF: a long partial line is never rescanned. */
  private scanned = 0;
  /** Where readLine() left the current line (a joined copy when it straddled chunks). */
  private line: Buffer = EMPTY;
  private lineStart = 0;
  /** A bulk string whose header is read but whose body is incomplete: length (-1: none), type. */
  private bulkLength = -1;
  private bulkType = 0;
  /** `encoding` as it was when the reply being parsed started, and whether it is ASCII-compatible. */
  private replyEncoding: BufferEncoding | null = null;
  private replyAscii = false;
  private readonly stack: Frame[] = [];
  private depth = 0;
  private error: ProtocolError | null = null;
  private waiting = true;

  constructor(options: ReaderOptions = {}) {
    const { maxDepth = MAX_DEPTH, maxBulkLength = MAX_BULK_LENGTH } = options;
    if (!Number.isInteger(maxDepth) || maxDepth < 1) {
      throw new RangeError(`maxDepth must be a positive integer, got ${maxDepth}`);
    }
    if (!Number.isInteger(maxBulkLength) || maxBulkLength < 0) {
      throw new RangeError(`maxBulkLength must be a non-negative integer, got ${maxBulkLength}`);
    }
    this.maxDepth = maxDepth;
    this.maxBulkLength = maxBulkLength;
  }

  /** Queues `data` without copying it (it is never modified). Ignored after a protocol error. */
  feed(data: Buffer): void {
    if (this.error !== null || data.length === 0) return;
    if (this.pos === this.buf.length && this.head === this.queue.length) {
      this.buf = data;
      this.pos = 0;
      return;
    }
    if (this.head >= 1024) {
      // Consumed slots pile up only while the queue never drains; drop them now and then.
      this.queue.splice(0, this.head);
      this.scanned = Math.max(0, this.scanned - this.head);
      this.head = 0;
    }
    this.queue.push(data);
    this.queued += data.length;
  }

  /**
   * The next complete reply, or `false` when more bytes are needed.
   * @throws {ProtocolError} on malformed input, then again on every later call.
   */
  gets(): Reply | false {
    if (this.error !== null) throw this.error;
    try {
      const reply = this.parse();
      this.waiting = reply === INCOMPLETE;
      return reply === INCOMPLETE ? false : reply;
    } catch (err) {
      // Anything thrown mid-reply leaves the stream position unknown: the reader is done for good.
      this.error =
        err instanceof ProtocolError
          ? err
          : new ProtocolError(`Protocol error: ${(err as Error).message}`, { cause: err });
      this.buf = this.line = EMPTY;
      this.queue = [];
      this.stack.length = this.depth = 0;
      throw this.error;
    }
  }

  /**
   * Whether the last gets() returned `false` for want of bytes, as opposed to returning a RESP3
   * `#f` reply, which is `false` too. Check it whenever gets() gives `false` on a RESP3 connection.
   */
  get incomplete(): boolean {
    return this.waiting;
  }

  private parse(): Reply | typeof INCOMPLETE {
    if (this.depth === 0 && this.bulkLength === -1 && this.replyEncoding !== this.encoding) {
      this.replyEncoding = this.encoding;
      this.replyAscii = this.encoding !== null && ASCII_COMPATIBLE.has(this.encoding.toLowerCase());
    }
    for (;;) {
      let value = this.bulkLength === -1 ? this.readValue() : this.readBulk();
      if (value === INCOMPLETE) return INCOMPLETE;
      if (value === NO_VALUE) continue;
      // Hand the value to the innermost open aggregate, closing every aggregate it completes.
      for (;;) {
        if (this.depth === 0) return value;
        const frame = this.stack[this.depth - 1]!;
        const left = --frame.left;
        if (frame.type === MAP) {
          if (left % 2 === 1) frame.key = value;
          else (frame.items as Map<Reply, Reply>).set(frame.key, value);
        } else if (frame.type !== ATTRIBUTE) {
          (frame.items as Reply[]).push(value);
        }
        if (left > 0) break;
        const items = frame.items;
        frame.items = frame.key = null; // the frame is reused: let go of the reply
        this.depth--;
        // An attribute only annotates what follows it: read on for the value it stands before.
        if (items === null) break;
        value = items;
      }
    }
  }

  /** Reads one line and returns its value, or opens an aggregate, or starts a bulk string. */
  private readValue(): Reply | typeof INCOMPLETE | typeof NO_VALUE {
    const lf = this.readLine();
    if (lf === -1) return INCOMPLETE;
    const line = this.line;
    const type = line[this.lineStart]!;
    const start = this.lineStart + 1;
    const end = lf - 1;
    if (end < this.lineStart || line[end] !== CR) {
      fail(`got a line ended by LF without CR: ${show(line, this.lineStart, lf + 1)}`);
    }
    switch (type) {
      case SIMPLE_STRING:
        if (end - start === 2 && line[start] === LETTER_O && line[start + 1] === LETTER_K) {
          return 'OK';
        }
        return line.toString('utf8', start, end);
      case SIMPLE_ERROR:
        return replyError(line.toString('utf8', start, end));
      case INTEGER:
        return parseInteger(line, start, end);
      case NULL:
        if (end !== start) fail(`invalid null ${show(line, this.lineStart, end)}`);
        return null;
      case BOOLEAN:
        if (end - start === 1 && line[start] === LETTER_T) return true;
        if (end - start === 1 && line[start] === LETTER_F) return false;
        return fail(`invalid boolean ${show(line, this.lineStart, end)}`);
      case DOUBLE:
        return parseDouble(line, start, end);
      case BIG_NUMBER: {
        const text = line.toString('latin1', start, end);
        if (!BIG_INTEGER.test(text)) fail(`invalid big number ${show(line, start, end)}`);
        return BigInt(text);
      }
      case BULK_STRING:
      case BULK_ERROR:
      case VERBATIM: {
        const length = parseLength(line, start, end, type);
        if (length === -1) return null;
        if (length > this.maxBulkLength) {
          fail(`bulk length ${length} exceeds the limit of ${this.maxBulkLength} bytes`);
        }
        this.bulkLength = length;
        this.bulkType = type;
        return this.readBulk();
      }
      case ARRAY:
      case SET:
      case PUSH:
      case MAP:
      case ATTRIBUTE:
        return this.openAggregate(type, parseLength(line, start, end, type));
      default:
        return fail(`got ${JSON.stringify(String.fromCharCode(type))} as reply type byte`);
    }
  }

  private openAggregate(type: number, length: number): Reply | typeof NO_VALUE {
    if (length === -1) {
      if (type === PUSH || type === ATTRIBUTE) fail(`invalid ${TYPE_NAMES[type]} length "-1"`);
      return null;
    }
    if (this.depth >= this.maxDepth) fail(`aggregates nested deeper than ${this.maxDepth}`);
    const items =
      type === MAP ? new Map() : type === ATTRIBUTE ? null : type === PUSH ? new PushReply() : [];
    if (length === 0) return items ?? NO_VALUE;
    let frame = this.stack[this.depth];
    if (frame === undefined) {
      frame = { type, items: null, key: null, left: 0 };
      this.stack.push(frame);
    }
    frame.type = type;
    frame.items = items;
    frame.left = type === MAP || type === ATTRIBUTE ? 2 * length : length;
    this.depth++;
    return NO_VALUE;
  }

  /** The body of the bulk string whose header was read, once all of it (and its CRLF) is here. */
  private readBulk(): Reply | typeof INCOMPLETE {
    const length = this.bulkLength;
    const buf = this.buf;
    const start = this.pos;
    const end = start + length;
    if (end + 2 <= buf.length) {
      expectCrlf(buf, end, length);
      this.pos = end + 2;
      this.bulkLength = -1;
      return this.bulkValue(buf, start, end, true);
    }
    // Until the whole body is queued only the byte count is checked, so a value arriving in many
    // chunks costs linear time; then one concat joins it.
    if (buf.length - start + this.queued < length + 2) return INCOMPLETE;
    const body = this.take(length + 2);
    expectCrlf(body, length, length);
    this.bulkLength = -1;
    return this.bulkValue(body, 0, length, false);
  }

  /** `copy`: the bytes are in a fed chunk, which a returned Buffer must not pin (nor alias). */
  private bulkValue(src: Buffer, start: number, end: number, copy: boolean): Reply {
    if (this.bulkType === BULK_ERROR) return replyError(src.toString('utf8', start, end));
    if (this.bulkType === VERBATIM) {
      if (end - start < 4 || src[start + 3] !== COLON) {
        fail(`verbatim string without a format prefix: ${show(src, start, end)}`);
      }
      start += 4;
    }
    const encoding = this.replyEncoding;
    if (encoding !== null) return decodeText(src, encoding, this.replyAscii, start, end);
    if (!copy) return src.subarray(start, end);
    // Small copies come from Node's shared pool, so copying is cheaper than pinning a 64 KiB chunk.
    const out = Buffer.allocUnsafe(end - start);
    src.copy(out, 0, start, end);
    return out;
  }

  /**
   * Finds the line at the read position and moves past it. Returns the index of its LF in
   * `this.line` (from `this.lineStart`), or -1 when the line is not complete yet.
   */
  private readLine(): number {
    while (this.pos === this.buf.length && this.head < this.queue.length) this.shift();
    const buf = this.buf;
    // Most lines are a few bytes: a plain loop beats indexOf()'s call cost, which long lines pay.
    let lf = this.pos;
    const stop = Math.min(buf.length, lf + 32);
    while (lf < stop && buf[lf] !== LF) lf++;
    if (lf === stop) lf = buf.indexOf(LF, lf);
    if (lf !== -1) {
      this.line = buf;
      this.lineStart = this.pos;
      this.pos = lf + 1;
      return lf;
    }
    // The line goes on in a later chunk: find the one where it ends, then join the pieces once.
    const queue = this.queue;
    let i = Math.max(this.head, this.scanned);
    let lfInChunk = -1;
    for (; i < queue.length; i++) {
      lfInChunk = queue[i]!.indexOf(LF);
      if (lfInChunk !== -1) break;
    }
    if (lfInChunk === -1) {
      this.scanned = queue.length;
      return -1;
    }
    const parts = [buf.subarray(this.pos)];
    while (this.head < i) {
      this.shift();
      parts.push(this.buf);
    }
    this.shift();
    parts.push(this.buf.subarray(0, lfInChunk + 1));
    this.pos = lfInChunk + 1;
    this.line = Buffer.concat(parts);
    this.lineStart = 0;
    return this.line.length - 1;
  }

  /** Removes the next `size` bytes (spread over `buf` and the queue) into one new Buffer. */
  private take(size: number): Buffer {
    let got = this.buf.length - this.pos;
    const parts = got > 0 ? [this.buf.subarray(this.pos)] : [];
    while (got < size) {
      this.shift();
      parts.push(this.buf);
      got += this.buf.length;
    }
    this.pos = this.buf.length - (got - size);
    return Buffer.concat(parts, size);
  }

  /** Makes the next queued chunk the current one. */
  private shift(): void {
    const queue = this.queue;
    const chunk = queue[this.head]!;
    queue[this.head++] = EMPTY;
    this.queued -= chunk.length;
    this.buf = chunk;
    this.pos = 0;
    if (this.head === queue.length) queue.length = this.head = this.scanned = 0;
  }
}

function fail(message: string): never {
  throw new ProtocolError(`Protocol error: ${message}`);
}

function expectCrlf(buf: Buffer, at: number, length: number): void {
  if (buf[at] !== CR || buf[at + 1] !== LF)
    fail(`bulk string of ${length} bytes not ended by CRLF`);
}

/** A quoted, escaped, shortened excerpt of the input for an error message. */
function show(buf: Buffer, start: number, end: number): string {
  const text = buf.toString('latin1', start, Math.min(end, start + 40));
  return JSON.stringify(end - start > 40 ? `${text}…` : text);
}

const TYPE_NAMES: Record<number, string> = {
  [ARRAY]: 'array',
  [SET]: 'set',
  [MAP]: 'map',
  [PUSH]: 'push',
  [ATTRIBUTE]: 'attribute',
};

/** A length: digits only, or -1 (null). Lengths past 15 digits are refused (no Redis has them). */
function parseLength(line: Buffer, start: number, end: number, type: number): number {
  if (end - start === 2 && line[start] === MINUS && line[start + 1] === ONE) return -1;
  if (end > start && end - start <= 15) {
    let n = 0;
    let i = start;
    for (; i < end; i++) {
      const digit = line[i]! - ZERO;
      if (digit < 0 || digit > 9) break;
      n = n * 10 + digit;
    }
    if (i === end) return n;
  }
  if (line[start] === QUESTION) {
    fail(`streamed strings and aggregates ("${String.fromCharCode(type)}?") are not supported`);
  }
  return fail(`invalid ${TYPE_NAMES[type] ?? 'bulk'} length ${show(line, start, end)}`);
}

function parseInteger(line: Buffer, start: number, end: number): number | bigint {
  let i = start;
  const negative = line[i] === MINUS;
  if (negative || line[i] === PLUS) i++;
  if (i === end) fail(`invalid integer ${show(line, start, end)}`);
  // Up to 15 digits a double holds every value exactly, so the digits are summed by hand.
  if (end - i <= 15) {
    let n = 0;
    for (; i < end; i++) {
      const digit = line[i]! - ZERO;
      if (digit < 0 || digit > 9) fail(`invalid integer ${show(line, start, end)}`);
      n = n * 10 + digit;
    }
    return negative ? 0 - n : n; // 0 - n, not -n: ":-0" is 0, not -0
  }
  const text = line.toString('latin1', start, end);
  if (!BIG_INTEGER.test(text)) fail(`invalid integer ${show(line, start, end)}`);
  const big = BigInt(text);
  return big >= MIN_SAFE && big <= MAX_SAFE ? Number(big) : big;
}

function parseDouble(line: Buffer, start: number, end: number): number {
  const text = line.toString('latin1', start, end);
  // Number() alone would also take '', ' 1', '0x1f' and 'Infinity'.
  if (DECIMAL.test(text)) return Number(text);
  const word = text.toLowerCase();
  if (word === 'inf' || word === '+inf') return Infinity;
  if (word === '-inf') return -Infinity;
  if (word === 'nan' || word === '+nan' || word === '-nan') return NaN;
  return fail(`invalid double ${show(line, start, end)}`);
}
