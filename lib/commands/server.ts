/**
 * Server commands (aioredis 1.x `commands/server.py`, camelCase): INFO parsed into sections,
 * CONFIG, DBSIZE, FLUSHDB / FLUSHALL, persistence, replication, ROLE, SLOWLOG, SHUTDOWN, COMMAND,
 * DEBUG SLEEP / OBJECT, TIME, and what 1.x lacks: LATENCY, MEMORY, MODULE, FAILOVER, LOLWUT, and
 * MONITOR as an async iterator on a connection of its own. Replies about the server are decoded as
 * UTF-8 whatever the client's encoding; their shapes are in `server-replies.ts`. The ACL and CLIENT
 * commands have groups of their own (`acl.ts`, `client.ts`).
 *
 * Left out, with `call()` for whoever needs them: HELLO and RESET (connection state is the
 * connection's business: it tracks them when sent through `call()`), PSYNC, SYNC, REPLCONF and
 * RESTORE-ASKING (between servers), and the HELP subcommands (help text for people).
 *
 * @module
 */
import type { ExecuteOptions } from '../connection';
import { ConnectionLostError } from '../errors';
import type { Arg } from '../protocol/encoder';
import type { Reply } from '../protocol/reader';
import { Commands, invalid, isInteger, isOk, outOfRange, toNumber, toObject } from './base';
import {
  type CommandDoc,
  type CommandInfo,
  type KeyAndFlags,
  parseCommandDocs,
  parseCommandInfo,
  parseCommands,
  parseKeysAndFlags,
} from './command-replies';
import {
  type DebugObject,
  type LatencyEvent,
  type LatencyHistogram,
  type MemoryStats,
  type ModuleInfo,
  type Monitor,
  parseDebugObject,
  parseInfo,
  parseLatencyHistograms,
  parseLatencyHistory,
  parseLatencyLatest,
  parseMemoryStats,
  parseModules,
  parseRole,
  parseSlowlog,
  type Role,
  type ServerInfo,
  type SlowlogEntry,
  startMonitor,
} from './server-replies';

export type {
  DebugObject,
  InfoValue,
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
} from './server-replies';
export type {
  CommandArgumentDoc,
  CommandDoc,
  CommandInfo,
  KeyAndFlags,
  KeySpec,
  KeySpecStep,
} from './command-replies';

/** Options of {@link ServerCommands.flushdb} and {@link ServerCommands.flushall}. */
export interface FlushOptions {
  /**
   * true: free the memory in the background (ASYNC); false: before replying (SYNC, Redis 6.2).
   * Default: the server's `lazyfree-lazy-user-flush` setting.
   */
  async?: boolean;
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

export abstract class ServerCommands<S = Buffer> extends Commands<S> {
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
