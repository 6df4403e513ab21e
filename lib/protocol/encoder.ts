/**
 * Encodes a command as a RESP array of bulk strings. Pure: no I/O, and no state but a bounded
 * cache of command names.
 *
 * @module
 */

/** A command argument: strings are sent as UTF-8, Buffers as they are, numbers in decimal. */
export type Arg = string | Buffer | number;

/**
 * An encoded command: one string when every argument is ASCII text or a number (the common case,
 * and the cheapest to batch into one socket write), or a list of strings and Buffers when a Buffer
 * argument must be written without being copied or a text argument is not ASCII. Every string in
 * an Encoded is pure ASCII, so it may be written as latin1, which is cheaper than UTF-8.
 */
export type Encoded = string | Array<string | Buffer>;

/** A command name, checked and prepared once: its upper-case form and its words, encoded. */
export interface CommandName {
  /** The name in upper case, words separated by one space (`'CONFIG GET'`). */
  readonly upper: string;
  /** How many arguments the name itself takes (`'CONFIG GET'`: 2). */
  readonly words: number;
  /** The words as RESP bulk strings, ready to follow the array header. */
  readonly encoded: Encoded;
}

const CRLF = '\r\n';
/** `$<n>\r\n` for the lengths most arguments have, built once instead of per argument. */
const LENGTH_PREFIXES = Array.from({ length: 1024 }, (_, n) => `$${n}${CRLF}`);

function lengthPrefix(length: number): string {
  return length < 1024 ? (LENGTH_PREFIXES[length] as string) : `$${length}${CRLF}`;
}
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
  const parts: Array<string | Buffer> = [];
  let text = '';
  for (const word of words) text = appendText(parts, text, word);
  const name: CommandName = {
    upper: words.join(' ').toUpperCase(),
    words: words.length,
    encoded: parts.length === 0 ? text : [...parts, text],
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
 * Encodes `command` and its arguments.
 *
 * @throws TypeError when the command name is not a non-empty string, or an argument is not a
 *   string, Buffer or finite number. The message names the argument's position and type, never its
 *   value. Throwing before anything is built means a bad call writes nothing.
 */
export function encodeCommand(command: string | CommandName, args: readonly unknown[]): Encoded {
  const name = isCommandName(command) ? command : commandName(command);
  let out = `*${name.words + args.length}${CRLF}`;
  let chunks: Array<string | Buffer> | undefined;
  if (typeof name.encoded === 'string') {
    out += name.encoded;
  } else {
    chunks = name.encoded.slice(0, -1);
    chunks.unshift(out);
    out = name.encoded[name.encoded.length - 1] as string;
  }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (typeof arg === 'string') {
      const length = Buffer.byteLength(arg);
      if (length === arg.length) {
        out += lengthPrefix(length) + arg + CRLF;
      } else {
        // Not ASCII: the UTF-8 bytes go out as their own chunk, so every string stays ASCII.
        chunks ??= [];
        chunks.push(`${out}$${length}${CRLF}`, Buffer.from(arg));
        out = CRLF;
      }
    } else if (typeof arg === 'number') {
      if (!Number.isFinite(arg)) {
        throw new TypeError(`${position(name, i)} is ${arg}: numbers must be finite`);
      }
      const text = String(arg);
      out += lengthPrefix(text.length) + text + CRLF;
    } else if (Buffer.isBuffer(arg)) {
      // The Buffer goes out as its own chunk so large values are never copied into a string.
      chunks ??= [];
      chunks.push(`${out}$${arg.length}${CRLF}`, arg);
      out = CRLF;
    } else {
      throw new TypeError(
        `${position(name, i)} is ${describeType(arg)}: expected a string, Buffer or number`,
      );
    }
  }
  if (chunks === undefined) return out;
  chunks.push(out);
  return chunks;
}

function isCommandName(value: unknown): value is CommandName {
  return (
    typeof value === 'object' && value !== null && typeof (value as CommandName).upper === 'string'
  );
}

/** Appends one bulk string for `word` to `text`, moving to a Buffer part when it is not ASCII. */
function appendText(parts: Array<string | Buffer>, text: string, word: string): string {
  const length = Buffer.byteLength(word);
  if (length === word.length) return `${text}$${length}${CRLF}${word}${CRLF}`;
  parts.push(`${text}$${length}${CRLF}`, Buffer.from(word));
  return CRLF;
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
