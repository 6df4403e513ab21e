/**
 * ACL commands (not in aioredis 1.x): users, their rules, the ACL file and the ACL log. Replies
 * are decoded as UTF-8 whatever the client's encoding; their shapes are in `acl-replies.ts`.
 *
 * @module
 */
import type { ExecuteOptions } from '../connection';
import type { Arg } from '../protocol/encoder';
import type { Reply } from '../protocol/reader';
import { Commands, invalid, isInteger, isOk, outOfRange } from './base';
import { type AclLogEntry, type AclUser, parseAclLog, parseAclUser } from './acl-replies';

export type { AclLogEntry, AclUser } from './acl-replies';

/** Replies about users and rules are text, whatever the client's encoding. */
const TEXT: ExecuteOptions = { encoding: 'utf8' };

export abstract class AclCommands<S = Buffer> extends Commands<S> {
  /** ACL CAT: the ACL categories, or the commands of `category`. */
  aclCat(category?: string): Promise<string[]> {
    const args = category === undefined ? [] : [category];
    return this.executeWith(TEXT, 'ACL', 'CAT', ...args);
  }

  /** ACL DELUSER: deletes users; resolves with how many existed. */
  aclDeluser(username: string, ...usernames: string[]): Promise<number> {
    return this.execute('ACL', 'DELUSER', username, ...usernames);
  }

  /**
   * ACL DRYRUN (Redis 7): whether `username` may run the command; resolves true if so, else with
   * the server's reason.
   */
  aclDryrun(username: string, command: string, ...args: Arg[]): Promise<true | string> {
    return this.executeWith<string>(TEXT, 'ACL', 'DRYRUN', username, command, ...args).then(
      (reply) => reply === 'OK' || reply,
    );
  }

  /** ACL GENPASS: a random password of `bits` bits (default 256), as hex. */
  aclGenpass(bits?: number): Promise<string> {
    if (bits === undefined) return this.executeWith(TEXT, 'ACL', 'GENPASS');
    if (!isInteger(bits)) return invalid('aclGenpass() bits must be an integer');
    if (bits <= 0) return outOfRange('aclGenpass() bits must be > 0');
    return this.executeWith(TEXT, 'ACL', 'GENPASS', bits);
  }

  /** ACL GETUSER: the user's flags, passwords and rules; null for an unknown user. */
  aclGetuser(username: string): Promise<AclUser | null> {
    return this.executeWith<Reply>(TEXT, 'ACL', 'GETUSER', username).then(parseAclUser);
  }

  /** ACL LIST: every user's rules, as ACL SETUSER would take them (`user default on nopass ~* …`). */
  aclList(): Promise<string[]> {
    return this.executeWith(TEXT, 'ACL', 'LIST');
  }

  /** ACL LOAD: reloads the users from the ACL file; resolves true. */
  aclLoad(): Promise<boolean> {
    return this.execute<string>('ACL', 'LOAD').then(isOk);
  }

  /** ACL LOG: the latest refused commands and authentications, newest first (`count`: default 10). */
  aclLog(count?: number): Promise<AclLogEntry[]> {
    if (count === undefined) return this.executeWith<Reply[]>(TEXT, 'ACL', 'LOG').then(parseAclLog);
    if (!isInteger(count)) return invalid('aclLog() count must be an integer');
    if (count < 0) return outOfRange('aclLog() count must be ≥ 0');
    return this.executeWith<Reply[]>(TEXT, 'ACL', 'LOG', count).then(parseAclLog);
  }

  /** ACL LOG RESET: empties the ACL log; resolves true. */
  aclLogReset(): Promise<boolean> {
    return this.execute<string>('ACL', 'LOG', 'RESET').then(isOk);
  }

  /** ACL SAVE: writes the users to the ACL file; resolves true. */
  aclSave(): Promise<boolean> {
    return this.execute<string>('ACL', 'SAVE').then(isOk);
  }

  /** ACL SETUSER: creates or changes a user with ACL rules (`'on'`, `'>password'`, `'~key*'`, `'+@read'`…); resolves true. */
  aclSetuser(username: string, ...rules: string[]): Promise<boolean> {
    return this.execute<string>('ACL', 'SETUSER', username, ...rules).then(isOk);
  }

  /** ACL USERS: the user names. */
  aclUsers(): Promise<string[]> {
    return this.executeWith(TEXT, 'ACL', 'USERS');
  }

  /** ACL WHOAMI: the connection's user name. */
  aclWhoami(): Promise<string> {
    return this.executeWith(TEXT, 'ACL', 'WHOAMI');
  }
}
