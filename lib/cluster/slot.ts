/**
 * Hash slots of Redis Cluster: which of the 16384 slots a key belongs to. Pure functions, no I/O.
 *
 * A key's slot is CRC16 (the XMODEM variant) of the key's bytes modulo 16384, where a key holding
 * a hash tag (`{user1000}.following`) is hashed by the tag alone, so that related keys can share a
 * slot.
 *
 * @module
 */
import type { Arg } from '../protocol/encoder';

/** The number of hash slots of a Redis Cluster; slots are numbered 0 to 16383. */
export const SLOT_COUNT = 16384;

const OPEN_BRACE = 123; // '{'
const CLOSE_BRACE = 125; // '}'
/** The CRC polynomial x^16 + x^12 + x^5 + 1 (CCITT), in the usual non-reflected form. */
const POLYNOMIAL = 0x1021;

/** The CRC of every byte value, so that each byte costs one lookup instead of eight shifts. */
const TABLE = buildTable();

function buildTable(): Uint16Array {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? (crc << 1) ^ POLYNOMIAL : crc << 1;
    }
    table[byte] = crc & 0xffff;
  }
  return table;
}

/**
 * CRC16-CCITT in the XMODEM variant (polynomial 0x1021, initial value 0, no reflection, no final
 * XOR) of `data[start..end)`: the checksum Redis Cluster hashes keys with.
 *
 * @example crc16(Buffer.from('123456789')) === 0x31c3
 */
export function crc16(data: Uint8Array, start = 0, end = data.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) {
    crc = ((crc << 8) & 0xffff) ^ (TABLE[((crc >> 8) ^ (data[i] as number)) & 0xff] as number);
  }
  return crc;
}

/** {@link crc16} over the char codes of `text[start..end)`, which must all be ASCII (< 0x80). */
function crc16Ascii(text: string, start: number, end: number): number {
  let crc = 0;
  for (let i = start; i < end; i++) {
    crc = ((crc << 8) & 0xffff) ^ (TABLE[((crc >> 8) ^ text.charCodeAt(i)) & 0xff] as number);
  }
  return crc;
}

/**
 * The hash slot (0 to 16383) of a key, as Redis Cluster computes it: strings are hashed as UTF-8,
 * numbers as their decimal text (`String(n)`, as they are sent), Buffers as they are. When the key
 * has a `{` followed later by a `}` with at least one byte between the first `{` and the first `}`
 * after it, only those bytes are hashed (the hash tag); otherwise the whole key is.
 *
 * @example hashSlot('foo') === 12182 && hashSlot('{foo}bar') === 12182
 * @throws TypeError when `key` is not a string, Buffer or finite number.
 */
export function hashSlot(key: Arg): number {
  if (typeof key === 'string') return stringSlot(key);
  if (typeof key === 'number') {
    if (!Number.isFinite(key)) throw new TypeError(`a key must be a finite number, got ${key}`);
    return stringSlot(String(key));
  }
  if (key instanceof Uint8Array) return bytesSlot(key);
  throw new TypeError(
    `a key must be a string, Buffer or number, got ${key === null ? 'null' : typeof key}`,
  );
}

function stringSlot(key: string): number {
  const length = key.length;
  let open = -1;
  let tagged = true; // until an empty tag `{}` rules the tag out
  for (let i = 0; i < length; i++) {
    const code = key.charCodeAt(i);
    // Multi-byte UTF-8 needs the encoded bytes. No ASCII byte occurs inside a multi-byte UTF-8
    // sequence, so the braces seen so far are where they were in the bytes.
    if (code >= 0x80) return bytesSlot(Buffer.from(key, 'utf8'));
    if (!tagged) continue;
    if (open === -1) {
      if (code === OPEN_BRACE) open = i;
    } else if (code === CLOSE_BRACE) {
      if (i > open + 1) return crc16Ascii(key, open + 1, i) & (SLOT_COUNT - 1);
      tagged = false;
    }
  }
  return crc16Ascii(key, 0, length) & (SLOT_COUNT - 1);
}

function bytesSlot(key: Uint8Array): number {
  const open = key.indexOf(OPEN_BRACE);
  if (open !== -1) {
    const close = key.indexOf(CLOSE_BRACE, open + 1);
    if (close > open + 1) return crc16(key, open + 1, close) & (SLOT_COUNT - 1);
  }
  return crc16(key, 0, key.length) & (SLOT_COUNT - 1);
}
