/**
 * A small RESP encoder for tests: turns JS values into the bytes a server would send, for reader
 * round trips and for fake servers (`net.createServer`) that need hand-made replies.
 */
import { PushReply } from '../../lib/protocol/reader';

/** What {@link serialize} accepts: a reply, plus `Set` for a RESP3 set (`~`). */
export type RespValue =
  | string
  | Buffer
  | number
  | bigint
  | boolean
  | null
  | Error
  | RespValue[]
  | Set<RespValue>
  | Map<RespValue, RespValue>;

export interface SerializeOptions {
  /**
   * 3 (default) uses RESP3 types. 2 writes what a RESP2 server would: null as `$-1`, booleans as
   * `:1`/`:0`, doubles and big numbers as bulk strings, maps as flat arrays, sets and pushes as arrays.
   */
  protocol?: 2 | 3;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Encodes one value:
 * - string → `+simple` (a `$bulk` string when it holds CR or LF); Buffer → `$bulk`;
 * - safe integer → `:`; other numbers → `,` double (`inf`, `-inf`, `nan`; `-0` stays a double);
 * - bigint → `:` within int64, else `(` big number;
 * - null → `_`; boolean → `#t`/`#f`; Error → `-message` (`!bulk error` when it holds CR or LF);
 * - array → `*`, {@link PushReply} → `>`, Set → `~`, Map → `%`.
 */
export function serialize(value: RespValue, options: SerializeOptions = {}): Buffer {
  const parts: Buffer[] = [];
  write(value, options.protocol ?? 3, parts);
  return Buffer.concat(parts);
}

function write(value: RespValue, protocol: 2 | 3, out: Buffer[]): void {
  const line = (text: string): void => void out.push(Buffer.from(`${text}\r\n`));
  const bulk = (type: string, data: Buffer): void => {
    line(`${type}${data.length}`);
    out.push(data, Buffer.from('\r\n'));
  };
  if (value === null) {
    line(protocol === 3 ? '_' : '$-1');
  } else if (typeof value === 'string') {
    if (/[\r\n]/.test(value)) bulk('$', Buffer.from(value));
    else line(`+${value}`);
  } else if (Buffer.isBuffer(value)) {
    bulk('$', value);
  } else if (typeof value === 'boolean') {
    line(protocol === 3 ? `#${value ? 't' : 'f'}` : `:${value ? 1 : 0}`);
  } else if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && !Object.is(value, -0)) line(`:${value}`);
    else if (protocol === 2) bulk('$', Buffer.from(doubleText(value)));
    else line(`,${doubleText(value)}`);
  } else if (typeof value === 'bigint') {
    if (value >= INT64_MIN && value <= INT64_MAX) line(`:${value}`);
    else if (protocol === 2) bulk('$', Buffer.from(String(value)));
    else line(`(${value}`);
  } else if (value instanceof Error) {
    if (!/[\r\n]/.test(value.message)) line(`-${value.message}`);
    else if (protocol === 3) bulk('!', Buffer.from(value.message));
    else throw new RangeError('RESP2 cannot send an error holding CR or LF');
  } else if (value instanceof Map) {
    line(protocol === 3 ? `%${value.size}` : `*${value.size * 2}`);
    for (const [key, item] of value) {
      write(key, protocol, out);
      write(item, protocol, out);
    }
  } else {
    const type =
      protocol === 2 ? '*' : value instanceof PushReply ? '>' : value instanceof Set ? '~' : '*';
    line(`${type}${value instanceof Set ? value.size : value.length}`);
    for (const item of value) write(item, protocol, out);
  }
}

function doubleText(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  return Object.is(n, -0) ? '-0' : String(n);
}
