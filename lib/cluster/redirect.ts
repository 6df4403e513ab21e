/**
 * Parsing of the cluster's redirection errors, `MOVED <slot> <host>:<port>` and
 * `ASK <slot> <host>:<port>`. Pure: the router decides what to do with the result.
 *
 * The text comes from the network, so it is checked strictly and never trusted: a crafted
 * `MOVED __proto__ …` once polluted `Array.prototype` in a peer client. The result is a fresh
 * frozen object, and nothing in the payload is ever used as a property name.
 *
 * @module
 */
import { ProtocolError } from '../errors';

/** Where the server sent a command: its slot moved for good (MOVED) or for one command (ASK). */
export interface Redirect {
  /** `MOVED`: the slot now lives at the address; `ASK`: send this one command there, after ASKING. */
  readonly kind: 'MOVED' | 'ASK';
  /** The hash slot, 0 to 16383. */
  readonly slot: number;
  /** The node's host, without IPv6 brackets; the answering node's host when the server sent none. */
  readonly host: string;
  /** The node's port, 1 to 65535. */
  readonly port: number;
}

/** The highest hash slot. */
const MAX_SLOT = 16383;
/** How much of a bad payload an error message quotes. */
const QUOTE_LIMIT = 100;
/** Up to five digits: no sign, no exponent, no `0x`, and never a number too big to be exact. */
const DIGITS = /^[0-9]{1,5}$/;
/** What a host name or IP address may hold (`%` for IPv6 zones such as `fe80::1%eth0`). */
const HOST_CHARS = /^[A-Za-z0-9._:%-]+$/;

/**
 * Parses a redirection error's message.
 *
 * An empty host (`MOVED 1 :7000`, sent with `cluster-preferred-endpoint-type unknown-endpoint`)
 * means the answering node's host. The port is after the last colon, so IPv6 hosts work with or
 * without brackets (`::1:7000`, `[::1]:7000`).
 *
 * @param message - the error reply's text, e.g. `'MOVED 3999 127.0.0.1:6381'`.
 * @param answering - the node that sent the error.
 * @returns the redirection; `undefined` when the message is not a MOVED or ASK error; a
 *   {@link ProtocolError} naming the payload when it is one but malformed, or names the unusable
 *   host `?`. Never throws.
 *
 * @example
 * ```ts
 * parseRedirect('MOVED 12182 127.0.0.1:7002', { host: '127.0.0.1', port: 7000 });
 * // { kind: 'MOVED', slot: 12182, host: '127.0.0.1', port: 7002 }
 * ```
 */
export function parseRedirect(
  message: string,
  answering: { host: string; port: number },
): Redirect | ProtocolError | undefined {
  if (typeof message !== 'string') return undefined;
  const kind = message.startsWith('MOVED') ? 'MOVED' : message.startsWith('ASK') ? 'ASK' : null;
  // `ASKING` (or `MOVEDX`) is another word, not a redirection.
  if (kind === null || (message.length > kind.length && message[kind.length] !== ' ')) {
    return undefined;
  }
  const bad = (why: string) =>
    new ProtocolError(`Malformed ${kind} redirection (${why}): ${quote(message)}`);

  const parts = message.split(' ');
  if (parts.length !== 3) return bad('expected "<slot> <host>:<port>"');
  const [, slotText = '', address = ''] = parts;

  const slot = DIGITS.test(slotText) ? Number(slotText) : NaN;
  if (!(slot <= MAX_SLOT)) return bad(`the slot is not an integer from 0 to ${MAX_SLOT}`);

  const colon = address.lastIndexOf(':');
  if (colon === -1) return bad('no port');
  const portText = address.slice(colon + 1);
  const port = DIGITS.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= 65535)) return bad('the port is not an integer from 1 to 65535');

  let host = address.slice(0, colon);
  if (host === '') return Object.freeze({ kind, slot, host: answering.host, port });
  if (host === '?') return bad('the node has no usable address "?"');
  if (host.startsWith('[') && host.endsWith(']')) {
    host = host.slice(1, -1);
    if (!host.includes(':')) return bad('brackets around a host that is not an IPv6 address');
  }
  if (!isHostText(host)) return bad('invalid host');
  return Object.freeze({ kind, slot, host, port });
}

/**
 * @internal Whether `host` looks like a host name or an IP address (letters, digits, `.`, `-`,
 * `_`, `:` and `%`): anything else from the network is refused rather than passed to DNS.
 */
export function isHostText(host: string): boolean {
  return HOST_CHARS.test(host);
}

/** `text` as JSON, cut to {@link QUOTE_LIMIT} characters. */
function quote(text: string): string {
  return JSON.stringify(text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}…` : text);
}
