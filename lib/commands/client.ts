/**
 * CLIENT commands (aioredis 1.x `commands/server.py`, camelCase, its CLIENT LIST parsed) and what
 * 1.x lacks: CLIENT INFO / KILL filters / NO-EVICT / TRACKING / UNBLOCK…. Replies describing
 * clients are decoded as UTF-8 whatever the client's encoding; their shapes are in
 * `client-replies.ts`.
 *
 * The CLIENT commands that change the connection they run on (SETNAME, TRACKING, CACHING, NO-EVICT)
 * act on whichever connection a pool picks: `acquire()` one first. CLIENT REPLY is left out, with
 * `call()` for whoever needs it: OFF and SKIP make the server leave commands unanswered, which
 * would hand later replies to the wrong commands.
 *
 * @module
 */
import type { ExecuteOptions } from '../connection';
import type { Arg } from '../protocol/encoder';
import type { Reply } from '../protocol/reader';
import {
  type Bulk,
  Commands,
  invalid,
  isInteger,
  isOk,
  isOne,
  outOfRange,
  type ReadOptions,
} from './base';
import {
  type ClientInfo,
  parseClientInfo,
  parseClientList,
  parseTrackingInfo,
  type TrackingInfo,
} from './client-replies';

export type { ClientInfo, TrackingInfo } from './client-replies';

/** A kind of client, for CLIENT LIST and CLIENT KILL. */
export type ClientType = 'normal' | 'master' | 'replica' | 'pubsub';

/** Options of {@link ClientCommands.clientList}: at most one of them. */
export interface ClientListOptions {
  /** Only clients of this type (TYPE). Default: every type. */
  type?: ClientType;
  /**
   * Only the clients with these ids (ID, Redis 6.2). Integers, at least one. Default: every client.
   */
  ids?: number[];
}

/** The filters of {@link ClientCommands.clientKill}: clients matching all of them are killed. */
export interface ClientKillFilters {
  /** The client with this id (ID). */
  id?: number;
  /** The client connected from this `ip:port` (ADDR). */
  addr?: string;
  /** Clients connected to this local `ip:port` of the server (LADDR, Redis 6.2). */
  laddr?: string;
  /** Clients authenticated as this ACL user (USER). */
  user?: string;
  /** Clients of this type (TYPE). */
  type?: ClientType;
  /** Whether the calling client may be killed too: false kills it when it matches (SKIPME). Default: true, it is spared. */
  skipme?: boolean;
  /** Clients older than this many seconds (MAXAGE, Redis 7.4). An integer > 0. */
  maxage?: number;
}

/** Options of {@link ClientCommands.clientPause}. */
export interface ClientPauseOptions {
  /** `'ALL'`: pause every command; `'WRITE'`: only those that write (Redis 6.2). Default `'ALL'`. */
  mode?: 'WRITE' | 'ALL';
}

/** Options of {@link ClientCommands.clientTracking}. */
export interface ClientTrackingOptions {
  /**
   * Send invalidations to this client id (REDIRECT), e.g. a connection subscribed to
   * `__redis__:invalidate`; needed with RESP2. An integer. Default: this connection (RESP3 only).
   */
  redirect?: number;
  /** Broadcast mode: invalidations for every key with one of these prefixes (BCAST). Default false. */
  bcast?: boolean;
  /** The BCAST prefixes (PREFIX); needs `bcast`. Default: every key. */
  prefixes?: Array<string | Buffer>;
  /** Track only the keys read right after CLIENT CACHING YES (OPTIN). Default false. */
  optin?: boolean;
  /** Track every key read except right after CLIENT CACHING NO (OPTOUT). Default false. */
  optout?: boolean;
  /** No invalidations for keys this connection changed itself (NOLOOP). Default false. */
  noloop?: boolean;
}

/** Options of {@link ClientCommands.clientUnblock}. */
export interface ClientUnblockOptions {
  /** Unblock with an UNBLOCKED error reply instead of as if the timeout passed (ERROR). Default false. */
  error?: boolean;
}

/** Replies describing clients are text, whatever the client's encoding. */
const TEXT: ExecuteOptions = { encoding: 'utf8' };

const CLIENT_TYPES: ReadonlySet<unknown> = new Set(['normal', 'master', 'replica', 'pubsub']);

export abstract class ClientCommands<S = Buffer> extends Commands<S> {
  /** CLIENT CACHING: whether to track the keys of the next command (after OPTIN / OPTOUT tracking); resolves true. */
  clientCaching(yes: boolean): Promise<boolean> {
    if (typeof yes !== 'boolean') return invalid('clientCaching() takes a boolean');
    return this.execute<string>('CLIENT', 'CACHING', yes ? 'YES' : 'NO').then(isOk);
  }

  /** CLIENT GETNAME: the connection's name, or null when it has none. */
  clientGetname<O extends ReadOptions | undefined = undefined>(
    options?: O,
  ): Promise<Bulk<O, S> | null> {
    return this.read(options, 'CLIENT', 'GETNAME');
  }

  /** CLIENT GETREDIR: the client id invalidations go to; -1 when tracking is off, 0 without REDIRECT. */
  clientGetredir(): Promise<number> {
    return this.execute('CLIENT', 'GETREDIR');
  }

  /** CLIENT ID: the connection's client id. */
  clientId(): Promise<number> {
    return this.execute('CLIENT', 'ID');
  }

  /** CLIENT INFO (Redis 6.2): the connection as CLIENT LIST describes clients, parsed. */
  clientInfo(): Promise<ClientInfo> {
    return this.executeWith<string>(TEXT, 'CLIENT', 'INFO').then(parseClientInfo);
  }

  /**
   * CLIENT KILL with filters: closes the clients matching all of them; resolves with how many.
   * The old `CLIENT KILL ip:port` form is not supported: use `{ addr }`.
   */
  clientKill(filters: ClientKillFilters): Promise<number> {
    if (filters === null || typeof filters !== 'object') {
      return invalid('clientKill() takes filters such as { id } or { addr }');
    }
    const { id, addr, laddr, user, type, skipme, maxage } = filters;
    const args: Arg[] = [];
    if (id !== undefined) {
      if (!isInteger(id)) return invalid('clientKill() id must be an integer');
      args.push('ID', id);
    }
    for (const [token, value] of [
      ['ADDR', addr],
      ['LADDR', laddr],
      ['USER', user],
    ] as const) {
      if (value === undefined) continue;
      if (typeof value !== 'string') return invalid(`clientKill() ${token} must be a string`);
      args.push(token, value);
    }
    if (type !== undefined) {
      if (!CLIENT_TYPES.has(type)) return invalid(`clientKill() type must be one of ${types()}`);
      args.push('TYPE', type);
    }
    if (skipme !== undefined) {
      if (typeof skipme !== 'boolean') return invalid('clientKill() skipme must be a boolean');
      args.push('SKIPME', skipme ? 'YES' : 'NO');
    }
    if (maxage !== undefined) {
      if (!isInteger(maxage)) return invalid('clientKill() maxage must be an integer');
      if (maxage <= 0) return outOfRange('clientKill() maxage must be > 0');
      args.push('MAXAGE', maxage);
    }
    if (args.length === 0) return invalid('clientKill() needs at least one filter');
    return this.execute('CLIENT', 'KILL', ...args);
  }

  /** CLIENT LIST: every client (or those of a type, or with given ids), parsed. */
  clientList(options?: ClientListOptions): Promise<ClientInfo[]> {
    const { type, ids } = options ?? {};
    const args: Arg[] = [];
    if (type !== undefined && ids !== undefined) {
      return invalid('clientList() takes type or ids, not both');
    }
    if (type !== undefined) {
      if (!CLIENT_TYPES.has(type)) return invalid(`clientList() type must be one of ${types()}`);
      args.push('TYPE', type);
    }
    if (ids !== undefined) {
      if (!Array.isArray(ids) || ids.length === 0 || !ids.every(isInteger)) {
        return invalid('clientList() ids must be a non-empty array of integers');
      }
      args.push('ID', ...ids);
    }
    return this.executeWith<string>(TEXT, 'CLIENT', 'LIST', ...args).then(parseClientList);
  }

  /** CLIENT NO-EVICT (Redis 7): whether the connection is spared by client eviction; resolves true. */
  clientNoEvict(on: boolean): Promise<boolean> {
    if (typeof on !== 'boolean') return invalid('clientNoEvict() takes a boolean');
    return this.execute<string>('CLIENT', 'NO-EVICT', on ? 'ON' : 'OFF').then(isOk);
  }

  /** CLIENT PAUSE: suspends the clients' commands (all, or only writes) for `timeout` milliseconds; resolves true. */
  clientPause(timeout: number, options?: ClientPauseOptions): Promise<boolean> {
    if (!isInteger(timeout)) return invalid('clientPause() timeout must be an integer');
    if (timeout < 0) return outOfRange('clientPause() timeout must be ≥ 0');
    const mode = options?.mode;
    if (mode === undefined) return this.execute<string>('CLIENT', 'PAUSE', timeout).then(isOk);
    if (mode !== 'WRITE' && mode !== 'ALL')
      return invalid("clientPause() mode must be 'WRITE' or 'ALL'");
    return this.execute<string>('CLIENT', 'PAUSE', timeout, mode).then(isOk);
  }

  /** CLIENT SETNAME: names the connection (no spaces); resolves true. */
  clientSetname(name: Arg): Promise<boolean> {
    return this.execute<string>('CLIENT', 'SETNAME', name).then(isOk);
  }

  /**
   * CLIENT TRACKING: turns server-assisted client-side caching on or off for this connection;
   * resolves true. With RESP2, invalidations go to the `redirect` client, subscribed to
   * `__redis__:invalidate`.
   */
  clientTracking(on: boolean, options?: ClientTrackingOptions): Promise<boolean> {
    if (typeof on !== 'boolean') return invalid('clientTracking() on must be a boolean');
    const { redirect, bcast, prefixes, optin, optout, noloop } = options ?? {};
    const args: Arg[] = [on ? 'ON' : 'OFF'];
    if (redirect !== undefined) {
      if (!isInteger(redirect)) return invalid('clientTracking() redirect must be a client id');
      args.push('REDIRECT', redirect);
    }
    if (prefixes !== undefined) {
      if (!Array.isArray(prefixes)) return invalid('clientTracking() prefixes must be an array');
      if (!bcast) return invalid('clientTracking() prefixes need bcast');
      for (const prefix of prefixes) args.push('PREFIX', prefix);
    }
    if (optin && optout) return invalid('clientTracking() takes optin or optout, not both');
    if (bcast) args.push('BCAST');
    if (optin) args.push('OPTIN');
    if (optout) args.push('OPTOUT');
    if (noloop) args.push('NOLOOP');
    return this.execute<string>('CLIENT', 'TRACKING', ...args).then(isOk);
  }

  /** CLIENT TRACKINGINFO (Redis 6.2): the connection's tracking flags, redirect and prefixes. */
  clientTrackinginfo(): Promise<TrackingInfo> {
    return this.executeWith<Reply>(TEXT, 'CLIENT', 'TRACKINGINFO').then(parseTrackingInfo);
  }

  /**
   * CLIENT UNBLOCK: ends another client's blocking command, as if its timeout passed (or with an
   * UNBLOCKED error); resolves whether that client was blocked.
   */
  clientUnblock(id: number, options?: ClientUnblockOptions): Promise<boolean> {
    if (!isInteger(id)) return invalid('clientUnblock() id must be an integer');
    const args: Arg[] = options?.error ? ['ERROR'] : [];
    return this.execute<number>('CLIENT', 'UNBLOCK', id, ...args).then(isOne);
  }

  /** CLIENT UNPAUSE (Redis 6.2): ends a CLIENT PAUSE; resolves true. */
  clientUnpause(): Promise<boolean> {
    return this.execute<string>('CLIENT', 'UNPAUSE').then(isOk);
  }
}

function types(): string {
  return [...CLIENT_TYPES].map((type) => `'${String(type)}'`).join(', ');
}
