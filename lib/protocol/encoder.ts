/**
 * Encodes commands as RESP arrays of bulk strings, straight into bytes. No I/O: a
 * {@link CommandWriter} fills reusable blocks of memory that its owner writes to a socket, and
 * {@link encodeCommand} gives one command's bytes.
 *
 * @module
 */

/** A command argument: strings are sent as UTF-8, Buffers as they are, numbers in decimal. */
export type Arg = string | Buffer | number;

/** A command name, checked and prepared once: its upper-case form and its words, encoded. */
export interface CommandName {
  /** The name in upper case, words separated by one space (`'CONFIG GET'`). */
  readonly upper: string;
  /** How many arguments the name itself takes (`'CONFIG GET'`: 2). */
  readonly words: number;
  /** The words as RESP bulk strings, ready to follow the array header. */
  readonly bytes: Buffer;
}

const CR = 13; // '\r'
const LF = 10; // '\n'
const ASTERISK = 42; // '*'
const DOLLAR = 36; // '$'
const ZERO = 48; // '0'

/**
 * Size of the blocks commands are written into. Commands of one event-loop turn share a block,
 * and the next turn's commands go on after them in the same block until it is full.
 */
const BLOCK_SIZE = 64 * 1024;
/** Buffers this long or longer are queued as they are, never copied; shorter ones are cheaper to copy. */
const COPY_LIMIT = 4 * 1024;
/** Strings up to this long are copied by a loop here: cheaper than a call into Node's string writer. */
const SHORT_STRING = 24;
/** Room for a bulk string's `$<length>\r\n` header and trailing CRLF (lengths have at most 10 digits). */
const BULK_OVERHEAD = 16;
/** Room for a number as a bulk string (`String(-2.2250738585072014e-308)` has 24 characters). */
const NUMBER_ROOM = 40;

const EMPTY = Buffer.alloc(0);

/** Names are cached up to this many, so that made-up names cannot grow memory without bound. */
const NAME_CACHE_LIMIT = 1000;
const names = new Map<string, CommandName>();

/**
 * The prepared form of a command name; a multi-word name (`'CONFIG GET'`) becomes one argument per
 * word.
 *
 * @throws TypeError when `command` is not a non-empty string.
 */
export function commandName(command: string): CommandName {
  const cached = names.get(command);
  if (cached !== undefined) return cached;
  if (typeof command !== 'string' || command.trim().length === 0) {
    throw new TypeError(`command name must be a non-empty string, got ${describeType(command)}`);
  }
  const words = command.split(' ').filter((word) => word.length > 0);
  const name: CommandName = {
    upper: words.join(' ').toUpperCase(),
    words: words.length,
    bytes: Buffer.from(words.map((word) => `$${Buffer.byteLength(word)}\r\n${word}\r\n`).join('')),
  };
  if (names.size < NAME_CACHE_LIMIT) names.set(command, name);
  return name;
}

/** `command`'s upper-case name from the same cache, or '' when it is no valid name; never throws. */
export function upperName(command: unknown): string {
  if (typeof command !== 'string') return '';
  return (
    names.get(command)?.upper ?? (command.trim().length === 0 ? '' : commandName(command).upper)
  );
}

/**
 * Collects encoded commands as bytes until its owner takes them to write. Commands are written
 * into blocks of {@link BLOCK_SIZE} bytes that are reused turn after turn, so a command costs no
 * strings and no Buffer of its own; only a large Buffer argument is queued by reference instead of
 * copied.
 *
 * ```ts
 * const writer = new CommandWriter();
 * writer.write(commandName('SET'), ['key', 'value']);
 * socket.write(Buffer.concat(writer.take()));
 * ```
 */
export class CommandWriter {
  /** The block being filled; `[start, end)` is written and not taken yet. */
  #block: Buffer = EMPTY;
  #start = 0;
  #end = 0;
  /** Bytes queued before `[start, end)`: earlier blocks' parts and large Buffer arguments. */
  #chunks: Buffer[] = [];

  /** True when nothing is waiting to be taken. */
  get empty(): boolean {
    return this.#end === this.#start && this.#chunks.length === 0;
  }

  /**
   * Appends one command, all or nothing.
   *
   * @throws TypeError when an argument is not a string, Buffer or finite number, before anything
   *   is written. The message names the argument's position and type, never its value.
   */
  write(name: CommandName, args: readonly unknown[]): void {
    const count = args.length;
    // First pass: check every argument and bound the size, so that the command fits in one block.
    let size = name.bytes.length + BULK_OVERHEAD;
    for (let i = 0; i < count; i++) size += roomFor(args[i], name, i);
    if (size > BLOCK_SIZE) size = exactRoom(name, args);
    this.#reserve(size);
    const block = this.#block;
    let at = this.#end;
    // What to go back to if this command cannot be completed.
    const startBefore = this.#start;
    const endBefore = at;
    const chunksBefore = this.#chunks.length;
    block[at++] = ASTERISK;
    at = writeDigits(block, at, name.words + count);
    block[at++] = CR;
    block[at++] = LF;
    at = copyBytes(name.bytes, block, at);
    for (let i = 0; i < count; i++) {
      const arg = args[i];
      if (typeof arg === 'string') {
        at = writeString(block, at, arg);
        continue;
      }
      if (typeof arg === 'number') {
        at = writeNumber(block, at, arg);
        continue;
      }
      const bytes = arg as Buffer;
      at = writeHeader(block, at, bytes.length);
      if (bytes.length < COPY_LIMIT) {
        at = copyBytes(bytes, block, at);
      } else {
        // Queued by reference: the bytes so far go first, then the Buffer, then the rest.
        this.#end = at;
        this.#seal();
        this.#chunks.push(bytes);
      }
      block[at++] = CR;
      block[at++] = LF;
    }
    // Bytes written past the end of a block are dropped silently: a wrong size bound would send a
    // cut command and shift every later reply. Refuse the command instead (a bug, never expected).
    if (at > block.length) {
      this.#start = startBefore;
      this.#end = endBefore;
      this.#chunks.length = chunksBefore;
      throw new Error(`encoder bug: ${name.upper} overran its block`);
    }
    this.#end = at;
  }

  /** Everything written since the last take, in order, as Buffers the writer will not touch again. */
  take(): Buffer[] {
    this.#seal();
    const chunks = this.#chunks;
    this.#chunks = [];
    if (this.#block.length > BLOCK_SIZE) {
      // Made for one large command: not kept, or an idle connection would hold on to it.
      this.#block = EMPTY;
      this.#start = this.#end = 0;
    }
    return chunks;
  }

  /** Forgets everything not taken yet. */
  clear(): void {
    this.#chunks = [];
    this.#start = this.#end;
  }

  /** Moves `[start, end)` of the block to the queued chunks. */
  #seal(): void {
    if (this.#end === this.#start) return;
    this.#chunks.push(this.#block.subarray(this.#start, this.#end));
    this.#start = this.#end;
  }

  /** Makes sure `size` bytes fit after `end`, in a new block if need be. */
  #reserve(size: number): void {
    if (this.#block.length - this.#end >= size) return;
    this.#seal();
    // Taken parts of the old block stay valid: whoever holds them keeps that memory alive.
    this.#block = Buffer.allocUnsafeSlow(Math.max(BLOCK_SIZE, size));
    this.#start = this.#end = 0;
  }
}

/**
 * Encodes one command into a Buffer of its own (a test, a tool, or anything that does not batch).
 *
 * @throws TypeError as {@link commandName} and {@link CommandWriter.write} do.
 */
export function encodeCommand(command: string | CommandName, args: readonly unknown[]): Buffer {
  const writer = new CommandWriter();
  writer.write(isCommandName(command) ? command : commandName(command), args);
  return Buffer.concat(writer.take());
}

/** The writer {@link encodedLength} measures with: its block is reused, nothing is kept. */
const measuring = new CommandWriter();

/**
 * How many bytes the command takes on the wire, checking every argument as the writer does,
 * without keeping the bytes: for a command that is checked now and sent later.
 *
 * @throws TypeError as {@link CommandWriter.write} does.
 */
export function encodedLength(name: CommandName, args: readonly unknown[]): number {
  let bytes = 0;
  try {
    measuring.write(name, args);
    for (const chunk of measuring.take()) bytes += chunk.length;
  } finally {
    measuring.clear();
  }
  return bytes;
}

function isCommandName(value: unknown): value is CommandName {
  return (
    typeof value === 'object' && value !== null && Buffer.isBuffer((value as CommandName).bytes)
  );
}

/** An upper bound of the bytes `arg` takes (no native call); throws TypeError for what cannot be sent. */
function roomFor(arg: unknown, name: CommandName, index: number): number {
  if (typeof arg === 'string') return 3 * arg.length + BULK_OVERHEAD; // UTF-8: 3 bytes per UTF-16 unit at most
  if (typeof arg === 'number') {
    if (!Number.isFinite(arg)) {
      throw new TypeError(`${position(name, index)} is ${arg}: numbers must be finite`);
    }
    return NUMBER_ROOM;
  }
  if (Buffer.isBuffer(arg)) return (arg.length < COPY_LIMIT ? arg.length : 0) + BULK_OVERHEAD;
  throw new TypeError(
    `${position(name, index)} is ${describeType(arg)}: expected a string, Buffer or number`,
  );
}

/** The bytes a command takes, counting strings exactly: for commands too large for {@link roomFor}'s bound. */
function exactRoom(name: CommandName, args: readonly unknown[]): number {
  let size = name.bytes.length + BULK_OVERHEAD;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    size +=
      typeof arg === 'string' ? Buffer.byteLength(arg) + BULK_OVERHEAD : roomFor(arg, name, i);
  }
  return size;
}

/** `$<length>\r\n`. */
function writeHeader(block: Buffer, at: number, length: number): number {
  block[at++] = DOLLAR;
  at = writeDigits(block, at, length);
  block[at++] = CR;
  block[at++] = LF;
  return at;
}

/** A string as a bulk string: short ASCII by a loop here, the rest by Node's UTF-8 writer. */
function writeString(block: Buffer, at: number, text: string): number {
  const length = text.length;
  if (length <= SHORT_STRING) {
    const data = writeHeader(block, at, length);
    let i = 0;
    for (; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x80) break;
      block[data + i] = code;
    }
    if (i === length) return endBulk(block, data + length);
    // Not ASCII: start over below, where the byte length is found by writing.
  }
  // Written where it goes if it is ASCII (byte length = length), which is the common case; a
  // longer UTF-8 form with a longer length header is moved up by the difference.
  const guessed = at + headerSize(length);
  const written = block.write(text, guessed);
  const data = at + headerSize(written);
  if (data !== guessed) block.copyWithin(data, guessed, guessed + written);
  writeHeader(block, at, written);
  return endBulk(block, data + written);
}

function writeNumber(block: Buffer, at: number, value: number): number {
  if (Number.isSafeInteger(value) && value >= 0) {
    at = writeHeader(block, at, digitCount(value));
    return endBulk(block, writeDigits(block, at, value));
  }
  const text = String(value); // ASCII: digits, '-', '.', 'e', '+'
  at = writeHeader(block, at, text.length);
  for (let i = 0; i < text.length; i++) block[at + i] = text.charCodeAt(i);
  return endBulk(block, at + text.length);
}

function endBulk(block: Buffer, at: number): number {
  block[at] = CR;
  block[at + 1] = LF;
  return at + 2;
}

function copyBytes(source: Buffer, block: Buffer, at: number): number {
  const length = source.length;
  if (length > 64) return at + source.copy(block, at);
  for (let i = 0; i < length; i++) block[at + i] = source[i] as number;
  return at + length;
}

/** The decimal digits of a non-negative safe integer. */
function writeDigits(block: Buffer, at: number, value: number): number {
  const end = at + digitCount(value);
  let i = end;
  while (value >= 10) {
    const rest = Math.floor(value / 10);
    block[--i] = ZERO + (value - rest * 10);
    value = rest;
  }
  block[i - 1] = ZERO + value;
  return end;
}

function digitCount(value: number): number {
  let digits = 1;
  for (let limit = 10; limit <= value; limit *= 10) digits++;
  return digits;
}

/** The size of `$<length>\r\n`. */
function headerSize(length: number): number {
  return digitCount(length) + 3;
}

function position(name: CommandName, index: number): string {
  return `argument #${index + 1} of ${name.upper.split(' ')[0]}`;
}

/** Names a value's type for an error message without revealing the value itself. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  if (type === 'object') return 'an object';
  if (type === 'undefined') return 'undefined';
  return `a ${type}`;
}
