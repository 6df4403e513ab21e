/**
 * The ACL group's reply shapes and their parsers: ACL GETUSER and ACL LOG, taken decoded as
 * UTF-8, flat RESP2 arrays and RESP3 maps alike, with the server's field names.
 *
 * @module
 */
import type { Reply } from '../protocol/reader';
import { type ClientInfo, parseClientInfo } from './client-replies';
import { fields, number, text, texts } from './server-replies';

/** ACL GETUSER's reply (Redis 7), with the server's names. */
export interface AclUser {
  /** `'on'` or `'off'`, `'nopass'`, `'skip-sanitize-payload'`… */
  flags: string[];
  /** SHA-256 hashes of the passwords, in hex. */
  passwords: string[];
  /** The command rules, e.g. `'+@all -debug'`. */
  commands: string;
  /** The key patterns, e.g. `'~* %R~app:*'`. */
  keys: string;
  /** The channel patterns, e.g. `'&*'`. */
  channels: string;
  /** The selectors (Redis 7), each with its own commands, keys and channels. */
  selectors: Array<Record<string, string>>;
}

/** One ACL LOG entry, with the server's names. */
export interface AclLogEntry {
  /** How many times this event happened within 60 seconds. */
  count: number;
  /** `'command'`, `'key'`, `'channel'` or `'auth'`. */
  reason: string;
  /** `'toplevel'`, `'multi'`, `'lua'` or `'module'`. */
  context: string;
  /** The command, key or channel refused, or `'AUTH'`. */
  object: string;
  /** The ACL user the client was authenticated as. */
  username: string;
  /** Seconds since the entry was last updated. */
  'age-seconds': number;
  /** The client, as CLIENT LIST describes it. */
  'client-info': ClientInfo;
  /** Redis 7.2. */
  'entry-id'?: number;
  /** Unix milliseconds (Redis 7.2). */
  'timestamp-created'?: number;
  /** Unix milliseconds (Redis 7.2). */
  'timestamp-last-updated'?: number;
}

/** ACL GETUSER's reply; null for an unknown user. */
export function parseAclUser(reply: Reply): AclUser | null {
  if (reply === null) return null;
  const user: Record<string, unknown> = fields(reply);
  user.flags = texts(user.flags as Reply);
  user.passwords = texts(user.passwords as Reply);
  user.selectors = Array.isArray(user.selectors)
    ? user.selectors.map((selector: Reply) => fields(selector))
    : [];
  return user as unknown as AclUser;
}

/** ACL LOG's entries, each client parsed. */
export function parseAclLog(reply: Reply[]): AclLogEntry[] {
  return reply.map((item) => {
    const entry: Record<string, unknown> = fields(item);
    entry['age-seconds'] = number(entry['age-seconds'] as Reply);
    entry['client-info'] = parseClientInfo(text(entry['client-info'] as Reply));
    return entry as unknown as AclLogEntry;
  });
}
