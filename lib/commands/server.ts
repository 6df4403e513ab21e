/**
 * Server and connection commands (aioredis 1.x `commands/server.py`, camelCase): INFO parsed into
 * sections, CONFIG, DBSIZE, FLUSHDB / FLUSHALL, persistence, replication, ROLE, SLOWLOG, SHUTDOWN,
 * CLIENT (its list parsed), COMMAND, DEBUG SLEEP / OBJECT, TIME, and what 1.x lacks: ACL, LATENCY,
 * MEMORY, MODULE, FAILOVER, LOLWUT, CLIENT INFO / KILL filters / NO-EVICT / TRACKING / UNBLOCK…,
 * and MONITOR as an async iterator on a connection of its own. Replies about the server are
 * decoded as UTF-8 whatever the client's encoding; their shapes are in `server-replies.ts`.
 *
 * The CLIENT commands that change the connection they run on (SETNAME, TRACKING, CACHING, NO-EVICT)
 * act on whichever connection a pool picks: `acquire()` one first. Left out, with `call()` for
 * whoever needs them: CLIENT REPLY (OFF and SKIP make the server leave commands unanswered, which
 * would hand later replies to the wrong commands), HELLO and RESET (connection state is the
 * connection's business: it tracks them when sent through `call()`), PSYNC, SYNC, REPLCONF and
 * RESTORE-ASKING (between servers), and the HELP subcommands (help text for people).
 *
 * @module
 */
import type { ExecuteOptions } from '../connection';
import { ConnectionLostError } from '../errors';
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
  toNumber,
  toObject,
} from './base';
import {
  type AclLogEntry,
  type AclUser,
  type ClientInfo,
  type CommandDoc,
  type CommandInfo,
  type KeyAndFlags,
  type DebugObject,
  type LatencyEvent,
  type LatencyHistogram,
  type MemoryStats,
  type ModuleInfo,
  type Monitor,
  parseAclLog,
  parseAclUser,
  parseClientInfo,
  parseClientList,
  parseCommandDocs,
  parseCommandInfo,
  parseCommands,
  parseDebugObject,
  parseInfo,
  parseKeysAndFlags,
  parseLatencyHistograms,
  parseLatencyHistory,
  parseLatencyLatest,
  parseMemoryStats,
  parseModules,
  parseRole,
  parseSlowlog,
  parseTrackingInfo,
  type Role,
  type ServerInfo,
  type SlowlogEntry,
  startMonitor,
  type TrackingInfo,
} from './server-replies';

export type {
  AclLogEntry,
  AclUser,
  ClientInfo,
  CommandArgumentDoc,
  CommandDoc,
  CommandInfo,
  DebugObject,
  InfoValue,
  KeyAndFlags,
  KeySpec,
  KeySpecStep,
  LatencyEvent,
  LatencyHistogram,
  MasterRole,
  MemoryStats,
  ModuleInfo,
  Monitor,
  MonitorLine,
  ReplicaRole,
  Role,
  SentinelRole,
  ServerInfo,
  SlowlogEntry,
  TrackingInfo,
} from './server-replies';

/** A kind of client, for CLIENT LIST and CLIENT KILL. */
export type ClientType = 'normal' | 'master' | 'replica' | 'pubsub';

/** Options of {@link ServerCommands.flushdb} and {@link ServerCommands.flushall}. */
export interface FlushOptions {
  /**
   * true: free the memory in the background (ASYNC); false: before replying (SYNC, Redis 6.2).
   * Default: the server's `lazyfree-lazy-user-flush` setting.
   */
  async?: boolean;
}

/** Options of {@link ServerCommands.clientList}: at most one of them. */
export interface ClientListOptions {
  /** Only clients of this type (TYPE). Default: every type. */
  type?: ClientType;
  /**
   * Only the clients with these ids (ID, Redis 6.2). Integers, at least one. Default: every client.
   */
  ids?: number[];
}

/** The filters of {@link ServerCommands.clientKill}: clients matching all of them are killed. */
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

/** Options of {@link ServerCommands.clientPause}. */
export interface ClientPauseOptions {
  /** `'ALL'`: pause every command; `'WRITE'`: only those that write (Redis 6.2). Default `'ALL'`. */
  mode?: 'WRITE' | 'ALL';
}

/** Options of {@link ServerCommands.clientTracking}. */
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

/** Options of {@link ServerCommands.clientUnblock}. */
export interface ClientUnblockOptions {
  /** Unblock with an UNBLOCKED error reply instead of as if the timeout passed (ERROR). Default false. */
  error?: boolean;
}

/** Options of {@link ServerCommands.commandList} (Redis 7). */
export interface CommandListOptions {
  /**
   * Only the commands of a module, of an ACL category, or matching a glob-style pattern (FILTERBY).
   * Default: every command.
   */
  filterBy?: { module: string } | { aclcat: string } | { pattern: string };
}

/** Options of {@link ServerCommands.memoryUsage}. */
export interface MemoryUsageOptions {
  /** How many elements of an aggregate to sample (SAMPLES); 0 counts them all. Default: the server's (5). */
  samples?: number;
}

/** Options of {@link ServerCommands.bgsave}. */
export interface BgsaveOptions {
  /**
   * While a rewrite of the append-only file runs, schedule the save for after it instead of failing
   * (SCHEDULE). Default false.
   */
  schedule?: boolean;
}

/** Options of {@link ServerCommands.shutdown}. */
export interface ShutdownOptions {
  /** true: save even without save points (SAVE); false: do not save (NOSAVE). Default: save if save points are configured. */
  save?: boolean;
  /** Do not wait for lagging replicas (NOW, Redis 7). Default false. */
  now?: boolean;
  /** Exit even when saving fails (FORCE, Redis 7). Default false. */
  force?: boolean;
  /** Cancel a shutdown in progress (ABORT, Redis 7); excludes the other options. Default false. */
  abort?: boolean;
}

/** Options of {@link ServerCommands.failover} (Redis 6.2). */
export interface FailoverOptions {
  /** The replica to hand over to (TO); `force` fails over after `timeout` even if it lags. Default: any replica. */
  to?: { host: string; port: number; force?: boolean };
  /** Cancel a failover in progress (ABORT); excludes the other options. Default false. */
  abort?: boolean;
  /**
   * Give up (or, with `to.force`, force it) after this many milliseconds (TIMEOUT). An integer > 0.
   * Default: no limit.
   */
  timeout?: number;
}

/** Options of {@link ServerCommands.lolwut}. */
export interface LolwutOptions {
  /** Which version's art (VERSION). An integer. Default: the server's version. */
  version?: number;
}

/** Options of {@link ServerCommands.moduleLoadex} (Redis 7). */
export interface ModuleLoadexOptions {
  /** Module configuration values (CONFIG name value…). */
  configs?: Record<string, Arg>;
  /** Arguments for the module (ARGS). */
  args?: Arg[];
}

/** Replies about the server are text, whatever the client's encoding. */
const TEXT: ExecuteOptions = { encoding: 'utf8' };

const CLIENT_TYPES: ReadonlySet<unknown> = new Set(['normal', 'master', 'replica', 'pubsub']);

export abstract class ServerCommands<S = Buffer> extends Commands<S> {
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

  /** BGREWRITEAOF: starts (or schedules) a rewrite of the append-only file; resolves with the server's status text. */
  bgrewriteaof(): Promise<string> {
    return this.executeWith(TEXT, 'BGREWRITEAOF');
  }

  /** BGSAVE: starts a background save; resolves with the status, `'Background saving started'` or `'… scheduled'`. */
  bgsave(options?: BgsaveOptions): Promise<string> {
    return options?.schedule
      ? this.executeWith(TEXT, 'BGSAVE', 'SCHEDULE')
      : this.executeWith(TEXT, 'BGSAVE');
  }

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

  /** COMMAND: every command the server has, described. */
  command(): Promise<CommandInfo[]> {
    return this.executeWith<Reply[]>(TEXT, 'COMMAND').then(parseCommands);
  }

  /** COMMAND COUNT: how many commands the server has. */
  commandCount(): Promise<number> {
    return this.execute('COMMAND', 'COUNT');
  }

  /** COMMAND DOCS (Redis 7): the documentation of the commands (all without names), by name. */
  commandDocs(...names: string[]): Promise<Record<string, CommandDoc>> {
    return this.executeWith<Reply>(TEXT, 'COMMAND', 'DOCS', ...names).then(parseCommandDocs);
  }

  /** COMMAND GETKEYS: the keys in a full command (`'SET', 'k', 'v'` → `['k']`). */
  commandGetkeys(command: Arg, ...args: Arg[]): Promise<S[]> {
    return this.execute('COMMAND', 'GETKEYS', command, ...args);
  }

  /** COMMAND GETKEYSANDFLAGS (Redis 7): the keys in a full command, each with its flags (`RW`, `access`…). */
  commandGetkeysandflags(command: Arg, ...args: Arg[]): Promise<Array<KeyAndFlags<S>>> {
    return this.execute<Array<[S, Reply[]]>>('COMMAND', 'GETKEYSANDFLAGS', command, ...args).then(
      parseKeysAndFlags,
    );
  }

  /** COMMAND INFO: the commands described, null for an unknown one. */
  commandInfo(name: string, ...names: string[]): Promise<Array<CommandInfo | null>> {
    return this.executeWith<Reply[]>(TEXT, 'COMMAND', 'INFO', name, ...names).then((reply) =>
      reply.map(parseCommandInfo),
    );
  }

  /** COMMAND LIST (Redis 7): the command names, all or filtered. */
  commandList(options?: CommandListOptions): Promise<string[]> {
    const filter = options?.filterBy;
    if (filter === undefined) return this.executeWith(TEXT, 'COMMAND', 'LIST');
    const given = filter === null || typeof filter !== 'object' ? [] : Object.entries(filter);
    const [entry] = given;
    if (
      given.length !== 1 ||
      entry === undefined ||
      !['module', 'aclcat', 'pattern'].includes(entry[0])
    ) {
      return invalid('commandList() filterBy takes one of module, aclcat and pattern');
    }
    const [by, value] = entry as [string, string];
    return this.executeWith(TEXT, 'COMMAND', 'LIST', 'FILTERBY', by.toUpperCase(), value);
  }

  /** CONFIG GET: the parameters matching the glob-style patterns (default all), by name. */
  configGet(parameter = '*', ...parameters: string[]): Promise<Record<string, string>> {
    return this.executeWith<string[] | Map<Reply, string>>(
      TEXT,
      'CONFIG',
      'GET',
      parameter,
      ...parameters,
    ).then(toObject);
  }

  /** CONFIG RESETSTAT: resets the statistics INFO reports; resolves true. */
  configResetstat(): Promise<boolean> {
    return this.execute<string>('CONFIG', 'RESETSTAT').then(isOk);
  }

  /** CONFIG REWRITE: writes the running configuration to the config file; resolves true. */
  configRewrite(): Promise<boolean> {
    return this.execute<string>('CONFIG', 'REWRITE').then(isOk);
  }

  /** CONFIG SET: sets one parameter, or several at once (Redis 7), atomically; resolves true. */
  configSet(parameter: string, value: Arg): Promise<boolean>;
  configSet(parameters: Record<string, Arg>): Promise<boolean>;
  configSet(parameter: string | Record<string, Arg>, value?: Arg): Promise<boolean> {
    if (typeof parameter === 'string') {
      return this.execute<string>('CONFIG', 'SET', parameter, value as Arg).then(isOk);
    }
    const pairs =
      parameter === null || typeof parameter !== 'object' ? [] : Object.entries(parameter);
    if (pairs.length === 0 || value !== undefined) {
      return invalid('configSet() takes a parameter and a value, or a non-empty object of them');
    }
    return this.execute<string>('CONFIG', 'SET', ...pairs.flat()).then(isOk);
  }

  /** DBSIZE: how many keys the selected database holds. */
  dbsize(): Promise<number> {
    return this.execute('DBSIZE');
  }

  /** DEBUG OBJECT: the key's internals (`refcount`, `encoding`, `serializedlength`, `lru`…), parsed. */
  debugObject(key: Arg): Promise<DebugObject> {
    return this.executeWith<string>(TEXT, 'DEBUG', 'OBJECT', key).then(parseDebugObject);
  }

  /** DEBUG SLEEP: blocks the server for `seconds` (fractions allowed); resolves true. Needs `enable-debug-command` (Redis 7). */
  debugSleep(seconds: number): Promise<boolean> {
    if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
      return invalid('debugSleep() seconds must be a finite number');
    }
    if (seconds < 0) return outOfRange('debugSleep() seconds must be ≥ 0');
    return this.execute<string>('DEBUG', 'SLEEP', seconds).then(isOk);
  }

  /** FAILOVER (Redis 6.2): hands the master role to a replica in sync; resolves true once it started. */
  failover(options?: FailoverOptions): Promise<boolean> {
    const { to, abort, timeout } = options ?? {};
    if (abort) {
      if (to !== undefined || timeout !== undefined) {
        return invalid('failover() abort excludes to and timeout');
      }
      return this.execute<string>('FAILOVER', 'ABORT').then(isOk);
    }
    const args: Arg[] = [];
    if (to !== undefined) {
      if (to === null || typeof to !== 'object' || typeof to.host !== 'string') {
        return invalid('failover() to must be { host, port }');
      }
      if (!isInteger(to.port)) return invalid('failover() to.port must be an integer');
      args.push('TO', to.host, to.port);
      if (to.force) args.push('FORCE');
    }
    if (timeout !== undefined) {
      if (!isInteger(timeout)) return invalid('failover() timeout must be an integer');
      if (timeout <= 0) return outOfRange('failover() timeout must be > 0');
      args.push('TIMEOUT', timeout);
    }
    return this.execute<string>('FAILOVER', ...args).then(isOk);
  }

  /** FLUSHALL: deletes every key of every database; resolves true. */
  flushall(options?: FlushOptions): Promise<boolean> {
    const mode = flushMode('flushall()', options);
    if (!Array.isArray(mode)) return mode;
    return this.execute<string>('FLUSHALL', ...mode).then(isOk);
  }

  /** FLUSHDB: deletes every key of the selected database; resolves true. */
  flushdb(options?: FlushOptions): Promise<boolean> {
    const mode = flushMode('flushdb()', options);
    if (!Array.isArray(mode)) return mode;
    return this.execute<string>('FLUSHDB', ...mode).then(isOk);
  }

  /**
   * INFO: the server's information and statistics, parsed per section (`'server'`, `'clients'`,
   * `'keyspace'`…); the default sections without `sections`, several at once with Redis 7.
   */
  info(...sections: string[]): Promise<ServerInfo> {
    if (!sections.every((section) => typeof section === 'string' && section !== '')) {
      return invalid('info() sections must be non-empty strings');
    }
    return this.executeWith<string>(TEXT, 'INFO', ...sections).then(parseInfo);
  }

  /** LASTSAVE: when the last save to disk succeeded, in Unix seconds. */
  lastsave(): Promise<number> {
    return this.execute('LASTSAVE');
  }

  /** LATENCY DOCTOR: the latency monitor's analysis, for people. */
  latencyDoctor(): Promise<string> {
    return this.executeWith(TEXT, 'LATENCY', 'DOCTOR');
  }

  /** LATENCY GRAPH: an ASCII-art graph of an event's latency samples. */
  latencyGraph(event: string): Promise<string> {
    return this.executeWith(TEXT, 'LATENCY', 'GRAPH', event);
  }

  /** LATENCY HISTOGRAM (Redis 7): the commands' latency distributions (all commands called, without names). */
  latencyHistogram(...commands: string[]): Promise<Record<string, LatencyHistogram>> {
    return this.executeWith<Reply>(TEXT, 'LATENCY', 'HISTOGRAM', ...commands).then(
      parseLatencyHistograms,
    );
  }

  /** LATENCY HISTORY: an event's `[timestamp (Unix seconds), latency (milliseconds)]` samples. */
  latencyHistory(event: string): Promise<Array<[timestamp: number, latency: number]>> {
    return this.executeWith<Reply[][]>(TEXT, 'LATENCY', 'HISTORY', event).then(parseLatencyHistory);
  }

  /** LATENCY LATEST: the latest and highest latency of each event. */
  latencyLatest(): Promise<LatencyEvent[]> {
    return this.executeWith<Reply[][]>(TEXT, 'LATENCY', 'LATEST').then(parseLatencyLatest);
  }

  /** LATENCY RESET: forgets the samples of the events (all without names); resolves with how many events were reset. */
  latencyReset(...events: string[]): Promise<number> {
    return this.execute('LATENCY', 'RESET', ...events);
  }

  /** LOLWUT: a piece of generative art and the server's version. */
  lolwut(options?: LolwutOptions): Promise<string> {
    const version = options?.version;
    if (version === undefined) return this.executeWith(TEXT, 'LOLWUT');
    if (!isInteger(version)) return invalid('lolwut() version must be an integer');
    return this.executeWith(TEXT, 'LOLWUT', 'VERSION', version);
  }

  /** MEMORY DOCTOR: the memory analysis, for people. */
  memoryDoctor(): Promise<string> {
    return this.executeWith(TEXT, 'MEMORY', 'DOCTOR');
  }

  /** MEMORY MALLOC-STATS: the allocator's statistics, as text. */
  memoryMallocStats(): Promise<string> {
    return this.executeWith(TEXT, 'MEMORY', 'MALLOC-STATS');
  }

  /** MEMORY PURGE: asks the allocator to release dirty pages; resolves true. */
  memoryPurge(): Promise<boolean> {
    return this.execute<string>('MEMORY', 'PURGE').then(isOk);
  }

  /** MEMORY STATS: the memory usage figures, parsed (numbers; one object per database with keys). */
  memoryStats(): Promise<MemoryStats> {
    return this.executeWith<Reply>(TEXT, 'MEMORY', 'STATS').then(parseMemoryStats);
  }

  /** MEMORY USAGE: the bytes a key and its value take, or null for a missing key. */
  memoryUsage(key: Arg, options?: MemoryUsageOptions): Promise<number | null> {
    const samples = options?.samples;
    if (samples === undefined) return this.execute('MEMORY', 'USAGE', key);
    if (!isInteger(samples)) return invalid('memoryUsage() samples must be an integer');
    if (samples < 0) return outOfRange('memoryUsage() samples must be ≥ 0');
    return this.execute('MEMORY', 'USAGE', key, 'SAMPLES', samples);
  }

  /** MODULE LIST: the loaded modules. */
  moduleList(): Promise<ModuleInfo[]> {
    return this.executeWith<Reply[]>(TEXT, 'MODULE', 'LIST').then(parseModules);
  }

  /** MODULE LOAD: loads a module from a path on the server, with its arguments; resolves true. */
  moduleLoad(path: string, ...args: Arg[]): Promise<boolean> {
    return this.execute<string>('MODULE', 'LOAD', path, ...args).then(isOk);
  }

  /** MODULE LOADEX (Redis 7): loads a module with configuration values and arguments; resolves true. */
  moduleLoadex(path: string, options?: ModuleLoadexOptions): Promise<boolean> {
    const { configs, args } = options ?? {};
    const extra: Arg[] = [];
    if (configs !== undefined) {
      if (configs === null || typeof configs !== 'object') {
        return invalid('moduleLoadex() configs must be an object');
      }
      for (const [name, value] of Object.entries(configs)) extra.push('CONFIG', name, value);
    }
    if (args !== undefined) {
      if (!Array.isArray(args)) return invalid('moduleLoadex() args must be an array');
      extra.push('ARGS', ...args);
    }
    return this.execute<string>('MODULE', 'LOADEX', path, ...extra).then(isOk);
  }

  /** MODULE UNLOAD: unloads a module by name; resolves true. */
  moduleUnload(name: string): Promise<boolean> {
    return this.execute<string>('MODULE', 'UNLOAD', name).then(isOk);
  }

  /**
   * MONITOR: every command the server receives, as an async iterator of parsed lines, on a new
   * connection of its own (never the client's). Leaving the loop, `return()` or `stop()` closes
   * that connection; losing it rejects the iteration. Lines queue up until read.
   *
   * ```ts
   * const monitor = await redis.monitor();
   * for await (const { db, args } of monitor) {
   *   console.log(db, args); // 0 [ 'SET', 'greeting', 'hello' ]
   *   if (args[0] === 'QUIT') break;
   * }
   * ```
   */
  monitor(): Promise<Monitor> {
    return this.dedicatedConnection().then(startMonitor);
  }

  /** REPLICAOF host port: makes the server a replica of another; without arguments (NO ONE), a master again. Resolves true. */
  replicaof(host?: string, port?: number): Promise<boolean> {
    const args = replicaofArgs('replicaof()', host, port);
    if (!Array.isArray(args)) return args;
    return this.execute<string>('REPLICAOF', ...args).then(startsWithOk);
  }

  /** ROLE: the server's role in replication, structured (master, replica or sentinel). */
  role(): Promise<Role> {
    return this.executeWith<Reply[]>(TEXT, 'ROLE').then(parseRole);
  }

  /** SAVE: saves the dataset to disk before replying (blocking the server); resolves true. */
  save(): Promise<boolean> {
    return this.execute<string>('SAVE').then(isOk);
  }

  /**
   * SHUTDOWN: stops the server, saving first unless `save: false`. Resolves true once the server
   * closed the connection (it does not reply when it stops), or when `abort` cancelled a shutdown.
   */
  shutdown(options?: ShutdownOptions): Promise<boolean> {
    const { save, now, force, abort } = options ?? {};
    if (save !== undefined && typeof save !== 'boolean') {
      return invalid('shutdown() save must be a boolean');
    }
    if (abort && (save !== undefined || now || force)) {
      return invalid('shutdown() abort excludes the other options');
    }
    const args: Arg[] = save === undefined ? [] : [save ? 'SAVE' : 'NOSAVE'];
    if (now) args.push('NOW');
    if (force) args.push('FORCE');
    if (abort) args.push('ABORT');
    return this.execute<string>('SHUTDOWN', ...args).then(isOk, serverWentAway);
  }

  /** SLAVEOF: the deprecated name of {@link replicaof}. */
  slaveof(host?: string, port?: number): Promise<boolean> {
    const args = replicaofArgs('slaveof()', host, port);
    if (!Array.isArray(args)) return args;
    return this.execute<string>('SLAVEOF', ...args).then(startsWithOk);
  }

  /** SLOWLOG GET: the latest slow commands, newest first (`count`: default 10, -1 for all). */
  slowlogGet(count?: number): Promise<SlowlogEntry[]> {
    if (count === undefined) {
      return this.executeWith<Reply[][]>(TEXT, 'SLOWLOG', 'GET').then(parseSlowlog);
    }
    if (!isInteger(count)) return invalid('slowlogGet() count must be an integer');
    if (count < -1) return outOfRange('slowlogGet() count must be ≥ -1');
    return this.executeWith<Reply[][]>(TEXT, 'SLOWLOG', 'GET', count).then(parseSlowlog);
  }

  /** SLOWLOG LEN: how many entries the slow log holds. */
  slowlogLen(): Promise<number> {
    return this.execute('SLOWLOG', 'LEN');
  }

  /** SLOWLOG RESET: empties the slow log; resolves true. */
  slowlogReset(): Promise<boolean> {
    return this.execute<string>('SLOWLOG', 'RESET').then(isOk);
  }

  /** TIME: the server's clock, in Unix seconds with a fraction (microsecond resolution), as aioredis 1.x. */
  time(): Promise<number> {
    return this.executeWith<[string, string]>(TEXT, 'TIME').then(toSeconds);
  }
}

function types(): string {
  return [...CLIENT_TYPES].map((type) => `'${String(type)}'`).join(', ');
}

/** FLUSHDB / FLUSHALL's ASYNC or SYNC argument, or a rejection. */
function flushMode(name: string, options: FlushOptions | undefined): Arg[] | Promise<never> {
  const mode = options?.async;
  if (mode === undefined) return [];
  if (typeof mode !== 'boolean') return invalid(`${name} async must be a boolean`);
  return [mode ? 'ASYNC' : 'SYNC'];
}

/** REPLICAOF / SLAVEOF's `host port` or `NO ONE`, or a rejection. */
function replicaofArgs(
  name: string,
  host: string | undefined,
  port: number | undefined,
): Arg[] | Promise<never> {
  if (host === undefined && port === undefined) return ['NO', 'ONE'];
  if (typeof host !== 'string' || host === '') return invalid(`${name} needs a host and a port`);
  if (!isInteger(port)) return invalid(`${name} port must be an integer`);
  if (port < 1 || port > 65535) return outOfRange(`${name} port must be 1…65535`);
  return [host, port];
}

/** REPLICAOF's `OK`, or `OK Already connected to specified master`. */
function startsWithOk(reply: string): boolean {
  return reply.startsWith('OK');
}

/** TIME's `[seconds, microseconds]` as seconds. */
function toSeconds([seconds, microseconds]: [string, string]): number {
  return toNumber(seconds) + toNumber(microseconds) / 1e6;
}

/**
 * SHUTDOWN's success: the server closes the connection instead of replying, so SHUTDOWN rejects
 * with a ConnectionLostError that says it may have run. A connection closed before SHUTDOWN was
 * written, or closed by us, is a failure.
 */
function serverWentAway(err: unknown): true {
  // SHUTDOWN was written and then the server closed the connection: what success looks like.
  if (err instanceof ConnectionLostError && err.maybeExecuted) return true;
  throw err;
}
