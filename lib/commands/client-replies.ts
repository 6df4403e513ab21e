/**
 * The client group's reply shapes and their parsers: CLIENT LIST / INFO lines and CLIENT
 * TRACKINGINFO, taken decoded as UTF-8, flat RESP2 arrays and RESP3 maps alike. CLIENT LIST's
 * fields keep the server's names, so its documentation applies as written.
 *
 * @module
 */
import type { Reply } from '../protocol/reader';
import { fields, INTEGER, number, texts } from './server-replies';

/**
 * A client as CLIENT LIST and CLIENT INFO describe it, with the server's field names: numbers for
 * the numeric fields, text for the others (`name` stays text even when it looks like a number).
 */
export interface ClientInfo {
  /** The connection's unique id (CLIENT ID). */
  id: number;
  /** `ip:port` of the client (or the socket path). */
  addr: string;
  /** `ip:port` of the server side of the connection (Redis 6.2). */
  laddr?: string;
  /** Its socket's file descriptor; -1 for an internal client. */
  fd: number;
  /** The name set with CLIENT SETNAME; '' for none. */
  name: string;
  /** Seconds since the connection opened. */
  age: number;
  /** Seconds since the last command. */
  idle: number;
  /** Client flags, one letter each (`N`: none, `S`: replica, `M`: master, `P`: pub/sub…). */
  flags: string;
  /** The database it has selected. */
  db: number;
  /** How many channels it is subscribed to. */
  sub: number;
  /** How many patterns it is subscribed to. */
  psub: number;
  /** The last command run, e.g. `client|list`. */
  cmd: string;
  /** The ACL user (Redis 6). */
  user?: string;
  /** The protocol version, 2 or 3 (Redis 7). */
  resp?: number;
  /** Every other field the server sends (qbuf, omem, tot-mem, redir, lib-name…). */
  [field: string]: string | number | undefined;
}

/** CLIENT TRACKINGINFO's reply. */
export interface TrackingInfo {
  /** `'off'`, `'on'`, `'bcast'`, `'optin'`, `'optout'`, `'caching-yes'`, `'noloop'`, `'broken_redirect'`… */
  flags: string[];
  /** The client id invalidations go to; 0: this connection (RESP3), -1: tracking is off. */
  redirect: number;
  /** The BCAST prefixes. */
  prefixes: string[];
}

/** CLIENT LIST fields that are text even when they look like numbers. */
const CLIENT_TEXT_FIELDS: ReadonlySet<string> = new Set([
  'addr',
  'laddr',
  'name',
  'flags',
  'events',
  'cmd',
  'user',
  'lib-name',
  'lib-ver',
]);

/** One CLIENT LIST line (`id=3 addr=… name= …`) as an object. */
export function parseClientInfo(line: string): ClientInfo {
  const client: Record<string, string | number> = {};
  // Names cannot contain spaces (CLIENT SETNAME refuses them), so fields split on spaces.
  for (const field of line.trim().split(' ')) {
    const eq = field.indexOf('=');
    if (eq <= 0) continue;
    const key = field.slice(0, eq);
    const value = field.slice(eq + 1);
    client[key] = CLIENT_TEXT_FIELDS.has(key) || !INTEGER.test(value) ? value : Number(value);
  }
  return client as ClientInfo;
}

/** CLIENT LIST's text, one client per line. */
export function parseClientList(reply: string): ClientInfo[] {
  return reply
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(parseClientInfo);
}

/** CLIENT TRACKINGINFO's reply. */
export function parseTrackingInfo(reply: Reply): TrackingInfo {
  const info = fields(reply);
  return {
    flags: texts(info.flags),
    redirect: number(info.redirect),
    prefixes: texts(info.prefixes),
  };
}
