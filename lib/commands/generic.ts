/**
 * Generic (keyspace) commands (aioredis 1.x `commands/generic.py`, camelCase), plus COPY
 * (Redis 6.2), SORT_RO, EXPIRETIME, PEXPIRETIME and the NX/XX/GT/LT expire conditions (Redis 7),
 * OBJECT FREQ, SCAN's TYPE filter and RESTORE's options. Keys are `S` (the client's bulk type)
 * unless the call passes an encoding. Left out: OBJECT HELP (help text for people, not programs).
 *
 * @module
 */
import type { Arg } from '../protocol/encoder';
import {
  type Bulk,
  Commands,
  cursorArgs,
  type CursorOptions,
  invalid,
  isInteger,
  isOk,
  isOne,
  outOfRange,
  type ReadOptions,
  readScan,
  walkCursor,
} from './base';

/** Options of {@link GenericCommands.expire} and its siblings (Redis 7). */
export interface ExpireOptions {
  /**
   * Set the expiry only if the key has none (`'NX'`), has one (`'XX'`), or the new one is later
   * (`'GT'`) or earlier (`'LT'`) than the current one (no expiry counts as infinite). Default: always.
   */
  condition?: 'NX' | 'XX' | 'GT' | 'LT';
}

/** Options of {@link GenericCommands.migrate} and {@link GenericCommands.migrateKeys}. */
export interface MigrateOptions {
  /** Keep the key on this server (COPY). Default false. */
  copy?: boolean;
  /** Replace an existing key on the target (REPLACE). Default false. */
  replace?: boolean;
  /**
   * Authenticate to the target with this password (AUTH, or AUTH2 with a `username`). Default: no
   * AUTH.
   */
  password?: string;
  /** Authenticate as this ACL user (AUTH2, Redis 6); needs `password`. */
  username?: string;
}

/** Options of {@link GenericCommands.restore}. `idletime` and `freq` exclude each other. */
export interface RestoreOptions {
  /** Replace an existing key (REPLACE). Default false: an existing key is a BUSYKEY error. */
  replace?: boolean;
  /** `ttl` is a Unix time in milliseconds, not a duration (ABSTTL). Default false. */
  absttl?: boolean;
  /** The key's idle time, in seconds (IDLETIME, for LRU eviction). An integer ≥ 0. */
  idletime?: number;
  /** The key's access frequency counter (FREQ, for LFU eviction). An integer 0…255. */
  freq?: number;
}

/** Options of {@link GenericCommands.copy} (Redis 6.2). */
export interface CopyOptions {
  /** Copy into this database (DB). Default: the selected one. */
  db?: number;
  /** Replace an existing destination (REPLACE). Default false: the copy is refused. */
  replace?: boolean;
}

/** Options of {@link GenericCommands.scan} and {@link GenericCommands.iscan}. */
export interface ScanOptions extends CursorOptions {
  /** Only keys of this type, e.g. `'zset'` (TYPE, Redis 6). Default: any type. */
  type?: string;
}

/** Options of {@link GenericCommands.sortRo}, and of {@link GenericCommands.sort} without `store`. */
export interface SortReadOptions extends ReadOptions {
  /**
   * Sort by the values of the keys this pattern names (`weight_*`, `hash_*->field`), or `'nosort'`.
   * Default: the elements themselves.
   */
  by?: Arg;
  /** Skip this many elements (LIMIT); needs `count`. An integer. Default 0. */
  offset?: number;
  /** Return at most this many elements (LIMIT); needs `offset`. An integer. Default: all. */
  count?: number;
  /**
   * Return the values these patterns name instead of the elements (`'#'`: the element itself).
   * Default: the elements.
   */
  get?: Arg[];
  /** true: ascending (ASC), false: descending (DESC). Default: ascending. */
  asc?: boolean;
  /** Compare as strings (ALPHA) rather than as numbers. Default false. */
  alpha?: boolean;
}

/** Options of {@link GenericCommands.sort}. */
export interface SortOptions extends SortReadOptions {
  /**
   * Store the result as a list at this key (STORE); sort() then resolves with its length. Default:
   * resolve with the elements.
   */
  store?: Arg;
}

/**
 * What SORT resolves with: the stored list's length with `store`, else the elements; those can
 * only be null (a missing key a `get` pattern named) when there are `get` patterns. (Key checks
 * rather than `O extends { store?: undefined }`: an options type sharing no property with that
 * weak type would not extend it.)
 */
export type SortReply<O, S> = O extends undefined
  ? SortElements<O, S>
  : 'store' extends keyof O
    ? O extends { store: Arg }
      ? number
      : number | SortElements<O, S>
    : SortElements<O, S>;

/** The elements SORT or SORT_RO resolves with; see {@link SortReply}. */
export type SortElements<O, S> = O extends undefined
  ? Array<Bulk<O, S>>
  : 'get' extends keyof O
    ? Array<Bulk<O, S> | null>
    : Array<Bulk<O, S>>;

const EXPIRE_CONDITIONS: ReadonlySet<unknown> = new Set(['NX', 'XX', 'GT', 'LT']);

export abstract class GenericCommands<S = Buffer> extends Commands<S> {
  /** COPY (Redis 6.2): copies `source` to `destination`; resolves whether it did. */
  copy(source: Arg, destination: Arg, options?: CopyOptions): Promise<boolean> {
    const { db, replace } = options ?? {};
    const args: Arg[] = [source, destination];
    if (db !== undefined) {
      if (!isInteger(db)) return invalid('copy() db must be an integer');
      if (db < 0) return outOfRange('copy() db must be ≥ 0');
      args.push('DB', db);
    }
    if (replace) args.push('REPLACE');
    return this.execute<number>('COPY', ...args).then(isOne);
  }

  /** DEL: deletes the keys; resolves with how many existed. */
  delete(key: Arg, ...keys: Arg[]): Promise<number> {
    return this.execute('DEL', key, ...keys);
  }

  /** DEL under its command's name, as ioredis and node-redis call it: the same as {@link delete}. */
  del(key: Arg, ...keys: Arg[]): Promise<number> {
    return this.execute('DEL', key, ...keys);
  }

  /** DUMP: the value serialized in Redis' format (always a Buffer), or null for a missing key. */
  dump(key: Arg): Promise<Buffer | null> {
    return this.executeWith({ encoding: null }, 'DUMP', key);
  }

  /** EXISTS: how many of the keys exist (a key named twice counts twice). */
  exists(key: Arg, ...keys: Arg[]): Promise<number> {
    return this.execute('EXISTS', key, ...keys);
  }

  /** EXPIRE: expires the key after `seconds`; resolves whether the expiry was set. */
  expire(key: Arg, seconds: number, options?: ExpireOptions): Promise<boolean> {
    const args = expiryArgs('expire', key, seconds, options);
    if (!Array.isArray(args)) return args;
    return this.execute<number>('EXPIRE', ...args).then(isOne);
  }

  /** EXPIREAT: expires the key at a Unix time in seconds; resolves whether the expiry was set. */
  expireat(key: Arg, timestamp: number, options?: ExpireOptions): Promise<boolean> {
    const args = expiryArgs('expireat', key, timestamp, options);
    if (!Array.isArray(args)) return args;
    return this.execute<number>('EXPIREAT', ...args).then(isOne);
  }

  /** EXPIRETIME (Redis 7): the Unix time in seconds the key expires at; -1 without expiry, -2 missing. */
  expiretime(key: Arg): Promise<number> {
    return this.execute('EXPIRETIME', key);
  }

  /** KEYS: every key matching the glob-style `pattern`. */
  keys<O extends ReadOptions | undefined = undefined>(
    pattern: Arg,
    options?: O,
  ): Promise<Array<Bulk<O, S>>> {
    return this.read(options, 'KEYS', pattern);
  }

  /**
   * MIGRATE: moves `key` to database `destDb` of another server, waiting at most `timeout`
   * milliseconds for it; resolves true, or false when the key does not exist (NOKEY).
   */
  migrate(
    host: string,
    port: number,
    key: Arg,
    destDb: number,
    timeout: number,
    options?: MigrateOptions,
  ): Promise<boolean> {
    const args = migrateArgs('migrate', host, port, key, destDb, timeout, options);
    if (!Array.isArray(args)) return args;
    return this.execute<string>('MIGRATE', ...args).then(isOk);
  }

  /** MIGRATE … KEYS: {@link migrate} for several keys at once; false when none exists (NOKEY). */
  migrateKeys(
    host: string,
    port: number,
    keys: Arg[],
    destDb: number,
    timeout: number,
    options?: MigrateOptions,
  ): Promise<boolean> {
    if (!Array.isArray(keys) || keys.length === 0) {
      return invalid('migrateKeys() needs a non-empty array of keys');
    }
    const args = migrateArgs('migrateKeys', host, port, '', destDb, timeout, options);
    if (!Array.isArray(args)) return args;
    return this.execute<string>('MIGRATE', ...args, 'KEYS', ...keys).then(isOk);
  }

  /** MOVE: moves the key to database `db`; resolves whether it did. */
  move(key: Arg, db: number): Promise<boolean> {
    if (!isInteger(db)) return invalid('move() db must be an integer');
    if (db < 0) return outOfRange('move() db must be ≥ 0');
    return this.execute<number>('MOVE', key, db).then(isOne);
  }

  /** OBJECT ENCODING: the internal representation (`'listpack'`, `'int'`…), null for a missing key. */
  objectEncoding(key: Arg): Promise<string | null> {
    return this.executeWith({ encoding: 'utf8' }, 'OBJECT', 'ENCODING', key);
  }

  /**
   * OBJECT FREQ (Redis 4): the key's access frequency counter, null for a missing key. Fails
   * unless `maxmemory-policy` is an LFU one.
   */
  objectFreq(key: Arg): Promise<number | null> {
    return this.execute('OBJECT', 'FREQ', key);
  }

  /** OBJECT IDLETIME: seconds since the key was last read or written, null for a missing key. */
  objectIdletime(key: Arg): Promise<number | null> {
    return this.execute('OBJECT', 'IDLETIME', key);
  }

  /** OBJECT REFCOUNT: the value's reference count, null for a missing key. */
  objectRefcount(key: Arg): Promise<number | null> {
    return this.execute('OBJECT', 'REFCOUNT', key);
  }

  /** PERSIST: removes the key's expiry; resolves whether it had one. */
  persist(key: Arg): Promise<boolean> {
    return this.execute<number>('PERSIST', key).then(isOne);
  }

  /** PEXPIRE: expires the key after `milliseconds`; resolves whether the expiry was set. */
  pexpire(key: Arg, milliseconds: number, options?: ExpireOptions): Promise<boolean> {
    const args = expiryArgs('pexpire', key, milliseconds, options);
    if (!Array.isArray(args)) return args;
    return this.execute<number>('PEXPIRE', ...args).then(isOne);
  }

  /** PEXPIREAT: expires the key at a Unix time in milliseconds; resolves whether the expiry was set. */
  pexpireat(key: Arg, timestamp: number, options?: ExpireOptions): Promise<boolean> {
    const args = expiryArgs('pexpireat', key, timestamp, options);
    if (!Array.isArray(args)) return args;
    return this.execute<number>('PEXPIREAT', ...args).then(isOne);
  }

  /** PEXPIRETIME (Redis 7): the Unix time in milliseconds the key expires at; -1 without expiry, -2 missing. */
  pexpiretime(key: Arg): Promise<number> {
    return this.execute('PEXPIRETIME', key);
  }

  /** PTTL: the time to live in milliseconds; -1 without expiry, -2 for a missing key. */
  pttl(key: Arg): Promise<number> {
    return this.execute('PTTL', key);
  }

  /** RANDOMKEY: a random key of the database, or null when it is empty. */
  randomkey<O extends ReadOptions | undefined = undefined>(
    options?: O,
  ): Promise<Bulk<O, S> | null> {
    return this.read(options, 'RANDOMKEY');
  }

  /** RENAME: renames `key` to `newkey`, replacing it; resolves true. */
  rename(key: Arg, newkey: Arg): Promise<boolean> {
    return this.execute<string>('RENAME', key, newkey).then(isOk);
  }

  /** RENAMENX: renames `key` only if `newkey` does not exist; resolves whether it did. */
  renamenx(key: Arg, newkey: Arg): Promise<boolean> {
    return this.execute<number>('RENAMENX', key, newkey).then(isOne);
  }

  /**
   * RESTORE: creates `key` from a {@link dump} of a value, expiring after `ttl` milliseconds
   * (0: never; a Unix time with `absttl`). Resolves true.
   */
  restore(key: Arg, ttl: number, value: Buffer, options?: RestoreOptions): Promise<boolean> {
    const { replace, absttl, idletime, freq } = options ?? {};
    if (!isInteger(ttl)) return invalid('restore() ttl must be an integer');
    if (ttl < 0) return outOfRange('restore() ttl must be ≥ 0');
    const args: Arg[] = [key, ttl, value];
    if (replace) args.push('REPLACE');
    if (absttl) args.push('ABSTTL');
    if (idletime !== undefined && freq !== undefined) {
      return invalid('restore() takes one of idletime and freq');
    }
    if (idletime !== undefined) {
      if (!isInteger(idletime)) return invalid('restore() idletime must be an integer');
      if (idletime < 0) return outOfRange('restore() idletime must be ≥ 0');
      args.push('IDLETIME', idletime);
    }
    if (freq !== undefined) {
      if (!isInteger(freq)) return invalid('restore() freq must be an integer');
      if (freq < 0 || freq > 255) return outOfRange('restore() freq must be 0…255');
      args.push('FREQ', freq);
    }
    return this.execute<string>('RESTORE', ...args).then(isOk);
  }

  /**
   * SCAN: one step of a walk over the keys; resolves with the next cursor (`'0'` when the walk is
   * done) and a batch of keys. Start with cursor 0; {@link iscan} does the walk for you.
   */
  scan<O extends ScanOptions | undefined = undefined>(
    cursor: string | number,
    options?: O,
  ): Promise<[cursor: string, keys: Array<Bulk<O, S>>]> {
    const args = cursorArgs('scan', cursor, options);
    if (!Array.isArray(args)) return args;
    if (options?.type !== undefined) {
      if (typeof options.type !== 'string') return invalid('scan() type must be a string');
      args.push('TYPE', options.type);
    }
    return readScan<Bulk<O, S>>(this, options, 'SCAN', ...args);
  }

  /**
   * Every key matching the options, walking SCAN's cursor lazily: one SCAN whenever the last
   * batch is used up. Keys changed during the walk may be missed or seen twice, as with SCAN.
   *
   * ```ts
   * for await (const key of redis.iscan({ match: 'session:*', count: 100 })) console.log(key);
   * ```
   */
  iscan<O extends ScanOptions | undefined = undefined>(
    options?: O,
  ): AsyncIterableIterator<Bulk<O, S>> {
    return walkCursor((cursor) => this.scan(cursor, options));
  }

  /** SORT: the elements of a list, set or sorted set, sorted; with `store`, the stored list's length. */
  sort<O extends SortOptions | undefined = undefined>(
    key: Arg,
    options?: O,
  ): Promise<SortReply<O, S>> {
    const args = sortArgs('sort', options);
    if (!Array.isArray(args)) return args;
    if (options?.store !== undefined) args.push('STORE', options.store);
    return this.read(options, 'SORT', key, ...args);
  }

  /** SORT_RO (Redis 7): {@link sort} without `store`, so that it can run on a read-only replica. */
  sortRo<O extends SortReadOptions | undefined = undefined>(
    key: Arg,
    options?: O,
  ): Promise<SortElements<O, S>> {
    const args = sortArgs('sortRo', options);
    if (!Array.isArray(args)) return args;
    return this.read(options, 'SORT_RO', key, ...args);
  }

  /** TOUCH: updates the keys' last access time; resolves with how many exist. */
  touch(key: Arg, ...keys: Arg[]): Promise<number> {
    return this.execute('TOUCH', key, ...keys);
  }

  /** TTL: the time to live in seconds; -1 without expiry, -2 for a missing key. */
  ttl(key: Arg): Promise<number> {
    return this.execute('TTL', key);
  }

  /** TYPE: the value's type (`'string'`, `'list'`, `'set'`, `'zset'`, `'hash'`, `'stream'`), `'none'` if missing. */
  type(key: Arg): Promise<string> {
    return this.execute('TYPE', key);
  }

  /** UNLINK: deletes the keys, freeing memory in the background; resolves with how many existed. */
  unlink(key: Arg, ...keys: Arg[]): Promise<number> {
    return this.execute('UNLINK', key, ...keys);
  }

  /**
   * WAIT: blocks until `numreplicas` replicas acknowledged the writes so far, or `timeout`
   * milliseconds pass (0: forever); resolves with how many did. It counts the writes of its own
   * connection, so on a pool call it on a client from `redis.acquire()`.
   */
  wait(numreplicas: number, timeout: number): Promise<number> {
    if (!isInteger(numreplicas) || !isInteger(timeout)) {
      return invalid('wait() numreplicas and timeout must be integers');
    }
    if (numreplicas < 0 || timeout < 0) return outOfRange('wait() arguments must be ≥ 0');
    return this.execute('WAIT', numreplicas, timeout);
  }
}

/** EXPIRE's, PEXPIRE's, EXPIREAT's or PEXPIREAT's arguments, or a rejection saying what is wrong. */
function expiryArgs(
  name: string,
  key: Arg,
  time: number,
  options: ExpireOptions | undefined,
): Arg[] | Promise<never> {
  if (!isInteger(time)) return invalid(`${name}() time must be an integer`);
  if (options?.condition === undefined) return [key, time];
  if (!EXPIRE_CONDITIONS.has(options.condition)) {
    return invalid(`${name}() condition must be 'NX', 'XX', 'GT' or 'LT'`);
  }
  return [key, time, options.condition];
}

/** MIGRATE's arguments but KEYS, or a rejection saying what is wrong. */
function migrateArgs(
  name: string,
  host: string,
  port: number,
  key: Arg,
  destDb: number,
  timeout: number,
  options: MigrateOptions | undefined,
): Arg[] | Promise<never> {
  if (typeof host !== 'string') return invalid(`${name}() host must be a string`);
  if (host.length === 0) return outOfRange(`${name}() host must not be empty`);
  if (!isInteger(port) || !isInteger(destDb) || !isInteger(timeout)) {
    return invalid(`${name}() port, destDb and timeout must be integers`);
  }
  if (port < 1 || port > 65535) return outOfRange(`${name}() port must be 1…65535`);
  if (destDb < 0 || timeout < 0) return outOfRange(`${name}() destDb and timeout must be ≥ 0`);
  const { copy, replace, password, username } = options ?? {};
  const args: Arg[] = [host, port, key, destDb, timeout];
  if (copy) args.push('COPY');
  if (replace) args.push('REPLACE');
  if (username !== undefined) {
    if (password === undefined) return invalid(`${name}() username needs a password`);
    args.push('AUTH2', username, password);
  } else if (password !== undefined) {
    args.push('AUTH', password);
  }
  return args;
}

/** SCAN's MATCH, COUNT and TYPE arguments, or a rejection saying what is wrong. */
/** SORT's and SORT_RO's arguments but STORE, or a rejection saying what is wrong. */
function sortArgs(name: string, options: SortReadOptions | undefined): Arg[] | Promise<never> {
  const args: Arg[] = [];
  if (options === undefined) return args;
  const { by, offset, count, get, asc, alpha } = options;
  if (by !== undefined) args.push('BY', by);
  if ((offset === undefined) !== (count === undefined)) {
    return invalid(`${name}() offset and count go together`);
  }
  if (offset !== undefined) {
    if (!isInteger(offset) || !isInteger(count)) {
      return invalid(`${name}() offset and count must be integers`);
    }
    args.push('LIMIT', offset, count);
  }
  if (get !== undefined) {
    if (!Array.isArray(get)) return invalid(`${name}() get must be an array of patterns`);
    for (const pattern of get) args.push('GET', pattern);
  }
  if (asc !== undefined) {
    if (typeof asc !== 'boolean') return invalid(`${name}() asc must be a boolean`);
    args.push(asc ? 'ASC' : 'DESC');
  }
  if (alpha) args.push('ALPHA');
  return args;
}
