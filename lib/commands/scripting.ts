/**
 * Scripting commands (aioredis 1.x `commands/scripting.py`, camelCase): EVAL / EVALSHA and the
 * script cache, their read-only forms EVAL_RO / EVALSHA_RO (Redis 7), and Redis 7 functions
 * (FCALL, FUNCTION LOAD / LIST / DUMP / RESTORE…). A script's reply is returned as the server
 * sends it ({@link Reply}, or the type you name: `redis.eval<number>(…)`), with stored values in
 * the client's bulk type unless the call passes an encoding. To run a script by its SHA1 with a
 * fallback to its source, see `Script` (lib/script.ts).
 *
 * @module
 */
import type { Arg } from '../protocol/encoder';
import type { Reply } from '../protocol/reader';
import { Commands, invalid, isOk, isOne, type ReadOptions, toObject } from './base';

/** Options of {@link ScriptingCommands.scriptFlush} and {@link ScriptingCommands.functionFlush}. */
export interface FlushModeOptions {
  /**
   * `'ASYNC'`: free the memory in the background; `'SYNC'`: before replying (Redis 6.2).
   * Default: the server's `lazyfree-lazy-user-flush` setting (synchronous unless changed).
   */
  mode?: 'ASYNC' | 'SYNC';
}

/** Options of {@link ScriptingCommands.functionLoad}. */
export interface FunctionLoadOptions {
  /** Replace a library of the same name instead of failing (REPLACE). Default false. */
  replace?: boolean;
}

/** Options of {@link ScriptingCommands.functionList}. */
export interface FunctionListOptions {
  /** Only libraries whose names match this glob-style pattern (LIBRARYNAME). Default: all. */
  libraryName?: string | Buffer;
  /** Also return each library's source code, as `libraryCode` (WITHCODE). Default false. */
  withCode?: boolean;
}

/** Options of {@link ScriptingCommands.functionRestore}. */
export interface FunctionRestoreOptions {
  /**
   * What to do with the libraries already loaded: `'APPEND'` (keep them; fail on a name clash),
   * `'REPLACE'` (keep them, replacing clashing ones) or `'FLUSH'` (delete them all first).
   * Default `'APPEND'`.
   */
  policy?: 'FLUSH' | 'APPEND' | 'REPLACE';
}

/** One function of a library, as {@link ScriptingCommands.functionList} describes it. */
export interface FunctionInfo {
  /** The function's name, as FCALL takes it. */
  name: string;
  /** The description given at registration, or null. */
  description: string | null;
  /** Its flags (`'no-writes'`, `'allow-oom'`…), empty when none. */
  flags: string[];
}

/** One library, as {@link ScriptingCommands.functionList} describes it. */
export interface FunctionLibrary {
  /** The library's name. */
  libraryName: string;
  /** The engine that runs it: `'LUA'`. */
  engine: string;
  /** The functions it registers. */
  functions: FunctionInfo[];
  /** The library's source, with `withCode` only. */
  libraryCode?: string;
}

/** What {@link ScriptingCommands.functionStats} resolves with. */
export interface FunctionStats {
  /** The function running right now, or null when none is. */
  runningScript: {
    /** The function's name. */
    name: string;
    /** The calling command and its arguments as the client sent them: `['FCALL', 'spin', '0']`. */
    command: string[];
    /** How long it has been running, in milliseconds. */
    durationMs: number;
  } | null;
  /** Per engine (`LUA`), how many libraries and functions it holds. */
  engines: Record<string, { librariesCount: number; functionsCount: number }>;
}

export abstract class ScriptingCommands<S = Buffer> extends Commands<S> {
  /** EVAL: runs the Lua `script` with `keys` (KEYS) and `args` (ARGV); resolves with its reply. */
  eval<T = Reply>(
    script: string | Buffer,
    keys: Arg[] = [],
    args: Arg[] = [],
    options?: ReadOptions,
  ): Promise<T> {
    const rest = scriptArgs('eval()', keys, args);
    return Array.isArray(rest) ? this.read<T>(options, 'EVAL', script, ...rest) : rest;
  }

  /** EVAL_RO (Redis 7): EVAL of a script that must not write; allowed on read-only replicas. */
  evalRo<T = Reply>(
    script: string | Buffer,
    keys: Arg[] = [],
    args: Arg[] = [],
    options?: ReadOptions,
  ): Promise<T> {
    const rest = scriptArgs('evalRo()', keys, args);
    return Array.isArray(rest) ? this.read<T>(options, 'EVAL_RO', script, ...rest) : rest;
  }

  /**
   * EVALSHA: runs the cached script whose SHA1 (hex) is `sha`; resolves with its reply. Rejects
   * with NoScriptError when the server does not have it.
   */
  evalsha<T = Reply>(
    sha: string | Buffer,
    keys: Arg[] = [],
    args: Arg[] = [],
    options?: ReadOptions,
  ): Promise<T> {
    const rest = scriptArgs('evalsha()', keys, args);
    return Array.isArray(rest) ? this.read<T>(options, 'EVALSHA', sha, ...rest) : rest;
  }

  /** EVALSHA_RO (Redis 7): EVALSHA of a script that must not write. */
  evalshaRo<T = Reply>(
    sha: string | Buffer,
    keys: Arg[] = [],
    args: Arg[] = [],
    options?: ReadOptions,
  ): Promise<T> {
    const rest = scriptArgs('evalshaRo()', keys, args);
    return Array.isArray(rest) ? this.read<T>(options, 'EVALSHA_RO', sha, ...rest) : rest;
  }

  /** FCALL (Redis 7): calls the function `fn` with `keys` and `args`; resolves with its reply. */
  fcall<T = Reply>(
    fn: string | Buffer,
    keys: Arg[] = [],
    args: Arg[] = [],
    options?: ReadOptions,
  ): Promise<T> {
    const rest = scriptArgs('fcall()', keys, args);
    return Array.isArray(rest) ? this.read<T>(options, 'FCALL', fn, ...rest) : rest;
  }

  /** FCALL_RO (Redis 7): FCALL of a function flagged `no-writes`. */
  fcallRo<T = Reply>(
    fn: string | Buffer,
    keys: Arg[] = [],
    args: Arg[] = [],
    options?: ReadOptions,
  ): Promise<T> {
    const rest = scriptArgs('fcallRo()', keys, args);
    return Array.isArray(rest) ? this.read<T>(options, 'FCALL_RO', fn, ...rest) : rest;
  }

  /** FUNCTION DELETE (Redis 7): deletes the library and its functions; resolves true. */
  functionDelete(libraryName: string | Buffer): Promise<boolean> {
    return this.execute<string>('FUNCTION', 'DELETE', libraryName).then(isOk);
  }

  /** FUNCTION DUMP (Redis 7): every library, serialized for {@link functionRestore}; a Buffer. */
  functionDump(): Promise<Buffer> {
    return this.executeWith({ encoding: null }, 'FUNCTION', 'DUMP');
  }

  /** FUNCTION FLUSH (Redis 7): deletes every library; resolves true. */
  functionFlush(options?: FlushModeOptions): Promise<boolean> {
    const mode = flushMode('functionFlush()', options);
    return Array.isArray(mode)
      ? this.execute<string>('FUNCTION', 'FLUSH', ...mode).then(isOk)
      : mode;
  }

  /**
   * FUNCTION KILL (Redis 7): stops the running function, if it has not written; resolves true.
   * Rejects with a ReplyError coded NOTBUSY when none runs.
   */
  functionKill(): Promise<boolean> {
    return this.execute<string>('FUNCTION', 'KILL').then(isOk);
  }

  /** FUNCTION LIST (Redis 7): the libraries loaded, with their functions. */
  functionList(options?: FunctionListOptions): Promise<FunctionLibrary[]> {
    const args: Arg[] = [];
    const { libraryName, withCode } = options ?? {};
    if (libraryName !== undefined) {
      if (typeof libraryName !== 'string' && !Buffer.isBuffer(libraryName)) {
        return invalid('functionList() libraryName must be a string or Buffer');
      }
      args.push('LIBRARYNAME', libraryName);
    }
    if (withCode) args.push('WITHCODE');
    return this.executeWith<RawMap[]>({ encoding: 'utf8' }, 'FUNCTION', 'LIST', ...args).then(
      toFunctionLibraries,
    );
  }

  /**
   * FUNCTION LOAD (Redis 7): loads a library (its `code` starts with `#!lua name=<library>`);
   * resolves with the library's name.
   */
  functionLoad(code: string | Buffer, options?: FunctionLoadOptions): Promise<string> {
    const replace: Arg[] = options?.replace ? ['REPLACE'] : [];
    return this.executeWith({ encoding: 'utf8' }, 'FUNCTION', 'LOAD', ...replace, code);
  }

  /** FUNCTION RESTORE (Redis 7): loads the libraries of a {@link functionDump}; resolves true. */
  functionRestore(payload: Buffer, options?: FunctionRestoreOptions): Promise<boolean> {
    const policy = options?.policy;
    if (policy !== undefined && policy !== 'FLUSH' && policy !== 'APPEND' && policy !== 'REPLACE') {
      return invalid("functionRestore() policy must be 'FLUSH', 'APPEND' or 'REPLACE'");
    }
    const args: Arg[] = policy === undefined ? [payload] : [payload, policy];
    return this.execute<string>('FUNCTION', 'RESTORE', ...args).then(isOk);
  }

  /** FUNCTION STATS (Redis 7): the function running now, if any, and the libraries per engine. */
  functionStats(): Promise<FunctionStats> {
    return this.executeWith<RawMap>({ encoding: 'utf8' }, 'FUNCTION', 'STATS').then(
      toFunctionStats,
    );
  }

  /** SCRIPT EXISTS: for each SHA1, whether the script cache has it. */
  scriptExists(sha: string | Buffer, ...shas: Array<string | Buffer>): Promise<boolean[]> {
    return this.execute<number[]>('SCRIPT', 'EXISTS', sha, ...shas).then(allOnes);
  }

  /** SCRIPT FLUSH: empties the script cache; resolves true. */
  scriptFlush(options?: FlushModeOptions): Promise<boolean> {
    const mode = flushMode('scriptFlush()', options);
    return Array.isArray(mode) ? this.execute<string>('SCRIPT', 'FLUSH', ...mode).then(isOk) : mode;
  }

  /**
   * SCRIPT KILL: stops the running EVAL script, if it has not written; resolves true. Rejects
   * with a ReplyError coded NOTBUSY when none runs.
   */
  scriptKill(): Promise<boolean> {
    return this.execute<string>('SCRIPT', 'KILL').then(isOk);
  }

  /** SCRIPT LOAD: caches `script` without running it; resolves with its SHA1 (hex). */
  scriptLoad(script: string | Buffer): Promise<string> {
    return this.executeWith({ encoding: 'utf8' }, 'SCRIPT', 'LOAD', script);
  }
}

/** `numkeys key… arg…` of EVAL-like commands, or a rejection when keys or args is no array. */
function scriptArgs(name: string, keys: Arg[], args: Arg[]): Arg[] | Promise<never> {
  if (!Array.isArray(keys)) return invalid(`${name} keys must be an array`);
  if (!Array.isArray(args)) return invalid(`${name} args must be an array`);
  return [keys.length, ...keys, ...args];
}

/** The ASYNC / SYNC argument of a flush, or a rejection. */
function flushMode(name: string, options: FlushModeOptions | undefined): Arg[] | Promise<never> {
  const mode = options?.mode;
  if (mode === undefined) return [];
  if (mode !== 'ASYNC' && mode !== 'SYNC') return invalid(`${name} mode must be 'ASYNC' or 'SYNC'`);
  return [mode];
}

function allOnes(reply: number[]): boolean[] {
  return reply.map(isOne);
}

/** A RESP2 `[k1, v1…]` array or a RESP3 map, as the server sends FUNCTION LIST / STATS parts. */
type RawMap = Reply[] | Map<Reply, Reply>;

function toFunctionLibraries(reply: RawMap[]): FunctionLibrary[] {
  return reply.map((raw) => {
    const library = toObject(raw);
    const result: FunctionLibrary = {
      libraryName: String(library.library_name),
      engine: String(library.engine),
      functions: (library.functions as RawMap[]).map((rawFunction) => {
        const fn = toObject(rawFunction);
        return {
          name: String(fn.name),
          description: fn.description == null ? null : String(fn.description),
          flags: (fn.flags as Reply[]).map(String),
        };
      }),
    };
    if (library.library_code !== undefined) result.libraryCode = String(library.library_code);
    return result;
  });
}

function toFunctionStats(reply: RawMap): FunctionStats {
  const stats = toObject(reply);
  const running = stats.running_script as RawMap | null;
  const engines: FunctionStats['engines'] = {};
  for (const [engine, counts] of Object.entries(toObject(stats.engines as RawMap))) {
    const { libraries_count, functions_count } = toObject(counts as RawMap);
    engines[engine] = {
      librariesCount: Number(libraries_count),
      functionsCount: Number(functions_count),
    };
  }
  if (running == null) return { runningScript: null, engines };
  const { name, command, duration_ms } = toObject(running);
  return {
    runningScript: {
      name: String(name),
      command: (command as Reply[]).map(String),
      durationMs: Number(duration_ms),
    },
    engines,
  };
}
