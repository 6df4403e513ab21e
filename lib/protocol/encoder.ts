/**
 * Encodes a command as a RESP array of bulk strings. Pure: no I/O, no state.
 *
 * @module
 */

/** A command argument: strings are sent as UTF-8, Buffers as they are, numbers in decimal. */
export type Arg = string | Buffer | number;

/**
 * An encoded command: one string when every argument is text or a number (the common case, and the
 * cheapest to batch into one socket write), or a list of strings and Buffers when a Buffer argument
 * must be written without being copied.
 */
export type Encoded = string | Array<string | Buffer>;

const CRLF = '\r\n';

/**
 * Encodes `command` and its arguments. A multi-word command name (`'CONFIG GET'`) becomes one
 * argument per word.
 *
 * @throws TypeError when the command name is not a non-empty string, or an argument is not a
 *   string, Buffer or finite number. The message names the argument's position and type, never its
 *   value. Throwing before anything is built means a bad call writes nothing.
 */
export function encodeCommand(command: string, args: readonly unknown[]): Encoded {
  if (typeof command !== 'string' || command.length === 0) {
    throw new TypeError(`command name must be a non-empty string, got ${describeType(command)}`);
  }
  const words = command.includes(' ') ? command.split(' ').filter((w) => w.length > 0) : [command];
  let out = `*${words.length + args.length}${CRLF}`;
  for (const word of words) out += `$${Buffer.byteLength(word)}${CRLF}${word}${CRLF}`;

  let chunks: Array<string | Buffer> | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (typeof arg === 'string') {
      out += `$${Buffer.byteLength(arg)}${CRLF}${arg}${CRLF}`;
    } else if (typeof arg === 'number') {
      if (!Number.isFinite(arg)) {
        throw new TypeError(`${position(command, i)} is ${arg}: numbers must be finite`);
      }
      const text = String(arg);
      out += `$${text.length}${CRLF}${text}${CRLF}`;
    } else if (Buffer.isBuffer(arg)) {
      // The Buffer goes out as its own chunk so large values are never copied into a string.
      chunks ??= [];
      chunks.push(`${out}$${arg.length}${CRLF}`, arg);
      out = CRLF;
    } else {
      throw new TypeError(
        `${position(command, i)} is ${describeType(arg)}: expected a string, Buffer or number`,
      );
    }
  }
  if (chunks === undefined) return out;
  chunks.push(out);
  return chunks;
}

function position(command: string, index: number): string {
  return `argument #${index + 1} of ${command.split(' ')[0]?.toUpperCase()}`;
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
