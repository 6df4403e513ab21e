/**
 * Addresses, Redis URLs and connection options: everything a connection needs to know before it
 * opens a socket, checked and with defaults applied, in one {@link ConnectionConfig}. Pure: no I/O.
 *
 * Errors are plain `TypeError` (wrong type, malformed or unknown value) and `RangeError` (a number
 * out of range), following Node's own convention. Their messages name the option or URL part at
 * fault but never quote a value given by the user, so no password (nor a URL holding one) can reach
 * a log through them.
 *
 * @module
 */
import { isIP } from 'node:net';
import type * as tls from 'node:tls';
import { MAX_TIMER_DELAY } from './liveness';
import type { ReaderConstructor } from './protocol/reader';
import { optionsError } from './strict';

/**
 * Where the server is. One of:
 *
 * - a `[host, port]` tuple: `['localhost', 6379]`, `['::1', 6379]`;
 * - a Redis URL (any string containing `://`):
 *   - `redis://[[user]:[pass]@]host[:port][/db][?db=&password=&username=&encoding=&timeout=&commandTimeout=&name=&healthCheckInterval=&healthCheckTimeout=&stallTimeout=]`
 *   - `rediss://…` — the same over TLS;
 *   - `unix://[[user]:[pass]@]/path/to.sock[?db=…]`;
 * - a `'host:port'` string, as ioredis and node-redis users write it: `'localhost:6379'`,
 *   `'10.0.0.5:6380'`, `'[::1]:6379'` (an IPv6 address in brackets). The host is a name or an
 *   IPv4 address (letters, digits, `.`, `-`, `_`), the port an integer from 1 to 65535; such a
 *   string is TCP, never a file;
 * - any other non-empty string: the path of a unix socket, absolute (`'/var/run/redis/redis.sock'`)
 *   or relative (`'redis.sock'`, `'run:1/redis.sock'`). A relative socket file whose name itself
 *   looks like `host:port` needs a `./` in front (`'./cache:1'`).
 *
 * In a URL the host defaults to `localhost` and the port to 6379; user name, password, host, path
 * and query values are percent-decoded (in the query, `+` also means a space). The database is taken
 * from `?db=`, else from the `/db` path (`redis:`/`rediss:` only), else from
 * {@link ConnectionOptions.db}. Every value in the URL wins over the same option, an empty user name
 * or password counts as absent, and an unknown query parameter is an error, so typos don't pass
 * silently.
 */
export type Address = readonly [host: string, port: number] | string;

/** Options of one connection; every field is optional. */
export interface ConnectionOptions {
  /** Database selected on connect (`SELECT`). A non-negative integer. Default 0. */
  db?: number;
  /**
   * ACL user name sent with the password (`AUTH username password`, Redis 6+). Ignored without a
   * password. An empty string counts as absent. Default: none (the `default` user).
   */
  username?: string;
  /** Password sent with `AUTH` on connect. An empty string counts as absent. Default: none. */
  password?: string;
  /**
   * Use TLS: `true` for Node's defaults (certificates verified against the system CAs, SNI set to
   * the host name), or the options passed to `tls.connect()` (`ca`, `cert`, `key`, `servername`,
   * …). A `rediss://` URL implies it. Default `false`.
   */
  ssl?: boolean | tls.ConnectionOptions;
  /**
   * How bulk-string replies are decoded: a Buffer encoding such as `'utf8'`, or `null` to get them
   * as Buffers. Can be overridden per command. Default `null` (Buffers).
   */
  encoding?: BufferEncoding | null;
  /** The reply parser class (the hiredis.Reader contract). Default: the built-in `Reader`. */
  parser?: ReaderConstructor;
  /**
   * Connect timeout in milliseconds: how long connecting may take as a whole, until the connection
   * is ready (the DNS lookup, the socket, the TLS handshake, and the AUTH / CLIENT SETNAME / SELECT
   * steps; on a pool also its PING, for every connection the pool opens, later ones included).
   * Past it, TimeoutError and the socket is closed.
   * A finite number greater than 0. Default: none (wait as long as the OS does).
   */
  timeout?: number;
  /**
   * Client-wide command deadline in milliseconds: every command sent without a `timeout` of its
   * own rejects with TimeoutError when its reply has not come this long after it was sent (on a
   * pool: after it was called, the wait for a free connection included). Its reply is still read
   * and dropped, so later replies never shift. Blocking commands (see `BLOCKING_COMMANDS`, and
   * XREAD/XREADGROUP with BLOCK) are exempt unless the call passes its own `timeout`: their wait is
   * the point. A finite number greater than 0. Default: none (commands wait for their reply).
   */
  commandTimeout?: number;
  /**
   * Client name set with `CLIENT SETNAME` on connect: printable ASCII without spaces, as the server
   * requires. Default: none.
   */
  name?: string;
  /**
   * Health check, in milliseconds: a connection that has had nothing pending and has read nothing
   * for this long is sent a PING (also while subscribed; never under MONITOR or inside MULTI). The
   * PING is internal: it never takes a reply of yours, and commands sent meanwhile queue behind it.
   * A finite number from 0 to 2^31−1; `0` turns the check off. Default 5000.
   */
  healthCheckInterval?: number;
  /**
   * How long a health-check PING may wait for its reply, in milliseconds. Past it the socket is
   * destroyed: the connection closes with a ConnectionClosedError whose `cause` (a TimeoutError)
   * says the health check failed, and every pending command rejects with it. A finite number
   * greater than 0, at most 2^31−1. Default 2000.
   */
  healthCheckTimeout?: number;
  /**
   * Stall detector, in milliseconds: when commands are pending and nothing at all has been read
   * for this long, the socket is destroyed as for a failed health check (the `cause` says it
   * stalled). A longer `timeout` of a pending command, or a longer client-wide `commandTimeout`,
   * stretches it, and so does a blocking command's own server timeout plus 1 s (BLPOP … 20: 21 s;
   * timeout 0, blocking forever, exempts the connection while it is pending). It also bounds slow
   * commands sent without a timeout (DEBUG SLEEP, a long Lua script…): raise it if yours are
   * legitimately slower. A finite number from 0 to 2^31−1; `0` turns it off. Default 15000.
   */
  stallTimeout?: number;
}

/** Everything a connection needs, validated and with defaults applied. */
export interface ConnectionConfig {
  /** TCP host (name or IP address, IPv6 without brackets); set together with `port`. */
  host?: string;
  /** TCP port, 1–65535; set together with `host`. */
  port?: number;
  /** Path of a unix socket; set instead of `host` and `port`. */
  path?: string;
  /**
   * Options for `tls.connect()`, or `null` for a plain socket. A copy: never the caller's object.
   * `rejectUnauthorized` is never set here, so certificates are verified unless the caller said
   * otherwise. Over TCP to a host name, `servername` (SNI) defaults to the host.
   */
  tls: tls.ConnectionOptions | null;
  /** Database to select on connect; 0 needs no `SELECT`. */
  db: number;
  /** ACL user name for `AUTH`; only meaningful with `password`. */
  username?: string;
  /** Password for `AUTH` on connect; absent: no `AUTH`. */
  password?: string;
  /** Encoding of bulk-string replies; `null`: Buffers. */
  encoding: BufferEncoding | null;
  /** Reply parser class; absent: the built-in `Reader`. */
  parser?: ReaderConstructor;
  /** Connect timeout in milliseconds; absent: none. */
  timeout?: number;
  /** Default command deadline in milliseconds; absent: none. */
  commandTimeout?: number;
  /** Client name to set with `CLIENT SETNAME` on connect; absent: none. */
  name?: string;
  /** Idle time before a health PING, in milliseconds (0: off); absent: the default, 5000. */
  healthCheckInterval?: number;
  /** How long a health PING may wait for its reply, in milliseconds; absent: the default, 2000. */
  healthCheckTimeout?: number;
  /** Silence with commands pending that counts as a dead socket, in milliseconds (0: off); absent: the default, 15000. */
  stallTimeout?: number;
  /** Send READONLY in the handshake (a cluster replica that serves reads); absent: no. */
  readonly?: boolean;
  /**
   * Write what a turn queued once the event loop has read every socket (setImmediate) rather than
   * at the end of the current callback (process.nextTick): for a cluster's node connections, whose
   * commands come from replies read on other sockets. Absent: at the end of the callback.
   */
  writeAfterIo?: boolean;
  /**
   * Where to connect, asked before every connect (Sentinel discovery): its address replaces
   * `host` and `port`. A rejection fails the connect, nothing sent. Absent: `host` and `port`.
   */
  locate?: () => Promise<{ host: string; port: number }>;
  /**
   * Checked after the handshake (Sentinel: ROLE is master); a rejection closes the connection and
   * fails the connect. Absent: no check.
   */
  verify?: (conn: import('./connection').RedisConnection) => Promise<void>;
}

/**
 * The keys of {@link ConnectionOptions}: one entry per key, or this does not compile, so the check
 * of unknown keys cannot drift from the interface.
 */
export const CONNECTION_OPTION_KEYS: Readonly<Record<keyof ConnectionOptions, true>> = {
  db: true,
  username: true,
  password: true,
  ssl: true,
  encoding: true,
  parser: true,
  timeout: true,
  commandTimeout: true,
  name: true,
  healthCheckInterval: true,
  healthCheckTimeout: true,
  stallTimeout: true,
};

/** The keys of an option interface, from its compile-time-checked key record, as a Set. */
export function keySet(keys: Readonly<Record<string, true>>): ReadonlySet<string> {
  return new Set(Object.keys(keys));
}

const CONNECTION_KEYS = keySet(CONNECTION_OPTION_KEYS);

const DEFAULT_HOST = 'localhost';
const DEFAULT_PORT = 6379;
const URL_PARAMS = [
  'db',
  'password',
  'username',
  'encoding',
  'timeout',
  'commandTimeout',
  'name',
  'healthCheckInterval',
  'healthCheckTimeout',
  'stallTimeout',
] as const;
type UrlParam = (typeof URL_PARAMS)[number];
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
// The server refuses client names with any byte outside '!'..'~' (spaces, newlines, non-ASCII).
const CLIENT_NAME = /^[!-~]+$/;
// 'localhost:6379', '10.0.0.5:6380', '[::1]:6379': a host name or IPv4 address (no '/'), or an
// IPv6 address in brackets, then a decimal port.
const HOST_PORT = /^(\[[0-9A-Fa-f:.]+(?:%[\w.-]+)?\]|[A-Za-z0-9._-]+):(\d+)$/;

/** What a URL says; absent fields leave the options (or the defaults) in charge. */
interface UrlSettings {
  tls: boolean;
  host?: string;
  port?: number;
  path?: string;
  db?: number;
  username?: string;
  password?: string;
  encoding?: BufferEncoding;
  timeout?: number;
  commandTimeout?: number;
  name?: string;
  healthCheckInterval?: number;
  healthCheckTimeout?: number;
  stallTimeout?: number;
}

/**
 * Turns an address and options into the {@link ConnectionConfig} a connection opens with. Values
 * given in a URL win over the options. The `ssl` object, if any, is copied, not modified.
 *
 * @param where - the call to name in an error about the options argument, `'createConnection()'`.
 * @throws TypeError when the options are not a plain object or hold a key {@link ConnectionOptions}
 *   does not have (naming the closest known key), when the address or an option has the wrong type
 *   or a malformed value, the URL scheme or a query parameter is unknown; RangeError when a number
 *   is out of range (port, db, timeouts). Messages never contain the password.
 *
 * @example
 * resolveConfig('rediss://:s3cret@cache.example.com:6380/2?name=worker-1', { encoding: 'utf8' });
 * // → { host: 'cache.example.com', port: 6380, tls: { servername: 'cache.example.com' }, db: 2,
 * //     password: 's3cret', name: 'worker-1', encoding: 'utf8' }
 */
export function resolveConfig(
  address: Address,
  options?: ConnectionOptions,
  where = 'createConnection()',
): ConnectionConfig {
  const refusal = optionsError(where, options, CONNECTION_KEYS);
  if (refusal !== undefined) throw refusal;
  const opts = checkOptions(options);
  const url = parseAddress(address);

  const config: ConnectionConfig = {
    tls: null,
    db: url.db ?? opts.db ?? 0,
    encoding: url.encoding ?? opts.encoding ?? null,
  };
  if (url.path !== undefined) {
    config.path = url.path;
  } else {
    config.host = url.host;
    config.port = url.port;
  }
  if (url.tls || (opts.ssl !== undefined && opts.ssl !== false)) {
    config.tls = tlsOptions(opts.ssl, config.host);
  }
  setIfDefined(config, 'username', url.username ?? opts.username);
  setIfDefined(config, 'password', url.password ?? opts.password);
  setIfDefined(config, 'parser', opts.parser);
  setIfDefined(config, 'timeout', url.timeout ?? opts.timeout);
  setIfDefined(config, 'commandTimeout', url.commandTimeout ?? opts.commandTimeout);
  setIfDefined(config, 'name', url.name ?? opts.name);
  setIfDefined(config, 'healthCheckInterval', url.healthCheckInterval ?? opts.healthCheckInterval);
  setIfDefined(config, 'healthCheckTimeout', url.healthCheckTimeout ?? opts.healthCheckTimeout);
  setIfDefined(config, 'stallTimeout', url.stallTimeout ?? opts.stallTimeout);
  return config;
}

/**
 * A short label of where a config points, for logs and error messages: `'host:port'`,
 * `'[::1]:6379'` or `'unix:/path/to.sock'`. Never includes credentials.
 */
export function describeAddress(config: ConnectionConfig): string {
  if (config.path !== undefined) return `unix:${config.path}`;
  const host = config.host ?? DEFAULT_HOST;
  const port = config.port ?? DEFAULT_PORT;
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function setIfDefined<K extends keyof ConnectionConfig>(
  config: ConnectionConfig,
  key: K,
  value: ConnectionConfig[K] | undefined,
): void {
  // Absent keys stay absent (not `undefined`) so configs compare and print cleanly.
  if (value !== undefined) config[key] = value;
}

function tlsOptions(
  ssl: boolean | tls.ConnectionOptions | undefined,
  host: string | undefined,
): tls.ConnectionOptions {
  const options: tls.ConnectionOptions = typeof ssl === 'object' ? { ...ssl } : {};
  // SNI carries host names only (RFC 6066); Node warns when given an IP address.
  if (host !== undefined && options.servername === undefined && isIP(host) === 0) {
    options.servername = host;
  }
  return options;
}

// ─── Addresses and URLs ────────────────────────────────────────────────────────────────────────

function parseAddress(address: unknown): UrlSettings {
  if (typeof address === 'string') {
    if (address.includes('://')) return parseUrl(address);
    if (address === '') {
      throw new TypeError(`${ADDRESS_FORMS}, got an empty string`);
    }
    const hostPort = HOST_PORT.exec(address);
    if (hostPort !== null) {
      const port = checkPort(Number(hostPort[2]), 'the port of a "host:port" address');
      return { tls: false, host: unbracket(hostPort[1] as string), port };
    }
    return { tls: false, path: address };
  }
  if (Array.isArray(address)) {
    if (address.length !== 2) {
      throw new TypeError(`${ADDRESS_FORMS}, got an array of length ${address.length}`);
    }
    const [host, port]: unknown[] = address;
    if (typeof host !== 'string' || host === '') {
      throw new TypeError(`address[0] (host) must be a non-empty string, got ${typeName(host)}`);
    }
    if (typeof port !== 'number') {
      throw new TypeError(`address[1] (port) must be a number, got ${typeName(port)}`);
    }
    return { tls: false, host: unbracket(host), port: checkPort(port, 'address[1] (port)') };
  }
  throw new TypeError(`${ADDRESS_FORMS}, got ${typeName(address)}`);
}

const ADDRESS_FORMS =
  'address must be a [host, port] tuple, a "host:port" string, a unix socket path or a ' +
  'redis://, rediss:// or unix:// URL';

function parseUrl(url: string): UrlSettings {
  const match = SCHEME.exec(url);
  const scheme = match?.[1]?.toLowerCase();
  if (match === null || scheme === undefined) {
    throw new TypeError('address contains "://" but does not start with a URL scheme');
  }
  if (scheme !== 'redis' && scheme !== 'rediss' && scheme !== 'unix') {
    throw new TypeError(`unsupported URL scheme "${scheme}:" (use redis:, rediss: or unix:)`);
  }

  // The credentials are split off by hand, as the URL parser itself would (everything before the
  // last '@' of the authority): WHATWG URL refuses credentials without a host, which is exactly
  // unix://user:pass@/path, and this way no URL error can ever hold the password.
  const rest = url.slice(match[0].length);
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
  const at = authority.lastIndexOf('@');
  let parsed: URL;
  try {
    parsed = new URL(`${scheme}://${rest.slice(at + 1)}`);
  } catch {
    throw new TypeError(
      `invalid ${scheme}:// URL (in the user name and password, characters such as ` +
        `"@", ":", "/", "?" and "#" must be percent-encoded)`,
    );
  }
  if (parsed.hash !== '') {
    throw new TypeError('a Redis URL takes no fragment: percent-encode "#" (as %23)');
  }

  const settings: UrlSettings = { tls: scheme === 'rediss' };
  if (at !== -1) {
    const userinfo = authority.slice(0, at);
    const colon = userinfo.indexOf(':');
    const user = decode(colon === -1 ? userinfo : userinfo.slice(0, colon), 'the URL user name');
    const pass = colon === -1 ? '' : decode(userinfo.slice(colon + 1), 'the URL password');
    if (user !== '') settings.username = user;
    if (pass !== '') settings.password = pass;
  }

  if (scheme === 'unix') {
    if (parsed.host !== '') {
      throw new TypeError('a unix:// URL takes no host: write unix:///path/to.sock');
    }
    const path = decode(parsed.pathname, 'the URL socket path');
    if (path === '') throw new TypeError('the unix:// URL has no socket path');
    settings.path = path;
  } else {
    settings.host =
      parsed.hostname === '' ? DEFAULT_HOST : unbracket(decode(parsed.hostname, 'the URL host'));
    settings.port =
      parsed.port === '' ? DEFAULT_PORT : checkPort(Number(parsed.port), 'the URL port');
    const path = decode(parsed.pathname, 'the URL path');
    if (path !== '' && path !== '/') settings.db = castDb(path.slice(1), 'the db in the URL path');
  }

  for (const [key, value] of parseQuery(parsed.search)) {
    const label = `the URL query parameter "${key}"`;
    switch (key) {
      case 'db':
        settings.db = castDb(value, label); // wins over the /db path
        break;
      case 'timeout':
        settings.timeout = castTimeout(value, label);
        break;
      case 'commandTimeout':
        settings.commandTimeout = castTimeout(value, label);
        break;
      case 'healthCheckInterval':
      case 'stallTimeout':
        settings[key] = castMillis(value, label, 0);
        break;
      case 'healthCheckTimeout':
        settings[key] = castMillis(value, label, 1);
        break;
      case 'encoding':
        settings.encoding = checkEncoding(value, label);
        break;
      case 'name':
        settings.name = checkName(value, label);
        break;
      case 'username':
      case 'password':
        if (value === '') break;
        // Only the userinfo can have set it: a repeated query parameter was refused already.
        if (settings[key] !== undefined) {
          throw new TypeError(`the URL gives the ${key} twice: before "@" and in its query`);
        }
        settings[key] = value;
        break;
    }
  }
  return settings;
}

/** Query pairs, percent-decoded ('+' is a space, as in forms); rejects unknown and repeated keys. */
function parseQuery(search: string): Map<UrlParam, string> {
  const params = new Map<UrlParam, string>();
  for (const pair of search.slice(1).split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    const key = decode(rawKey.replace(/\+/g, ' '), 'a URL query parameter name');
    if (!isUrlParam(key)) {
      // The unknown name is not quoted: it could be a misplaced password.
      throw new TypeError(`unknown URL query parameter (known: ${URL_PARAMS.join(', ')})`);
    }
    if (params.has(key)) {
      throw new TypeError(`the URL query parameter "${key}" is given more than once`);
    }
    params.set(key, decode(rawValue.replace(/\+/g, ' '), `the URL query parameter "${key}"`));
  }
  return params;
}

function isUrlParam(key: string): key is UrlParam {
  return (URL_PARAMS as readonly string[]).includes(key);
}

function decode(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new TypeError(`${what} has an invalid percent-escape (write "%" itself as %25)`);
  }
}

/** `[::1]` → `::1`: sockets and SNI take IPv6 addresses without the brackets of URLs. */
function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function castDb(text: string, label: string): number {
  if (!INTEGER.test(text)) throw new TypeError(`${label} must be an integer`);
  const db = Number(text);
  return checkDb(db === 0 ? 0 : db, label); // `=== 0` also turns "-0" into 0
}

function castTimeout(text: string, label: string): number {
  if (!DECIMAL.test(text)) throw new TypeError(`${label} must be a number of milliseconds`);
  return checkTimeout(Number(text), label);
}

function castMillis(text: string, label: string, min: 0 | 1): number {
  if (!DECIMAL.test(text)) throw new TypeError(`${label} must be a number of milliseconds`);
  return checkMillis(Number(text), label, min);
}

// ─── Options ───────────────────────────────────────────────────────────────────────────────────

/** Checks the value of each option; resolveConfig has already refused unknown keys. */
function checkOptions(options: ConnectionOptions | undefined): ConnectionOptions {
  if (options === undefined) return {};
  const { db, username, password, ssl, encoding, parser, timeout, commandTimeout, name } =
    options as Record<keyof ConnectionOptions, unknown>;
  const { healthCheckInterval, healthCheckTimeout, stallTimeout } = options as Record<
    keyof ConnectionOptions,
    unknown
  >;
  const checked: ConnectionOptions = {};
  if (db !== undefined) checked.db = checkDb(expectNumber(db, 'options.db'), 'options.db');
  if (username !== undefined) {
    const value = expectString(username, 'options.username');
    if (value !== '') checked.username = value;
  }
  if (password !== undefined) {
    const value = expectString(password, 'options.password');
    if (value !== '') checked.password = value;
  }
  if (ssl !== undefined) {
    if (typeof ssl !== 'boolean' && !isObject(ssl)) {
      throw new TypeError(
        `options.ssl must be a boolean or an object of TLS options, got ${typeName(ssl)}`,
      );
    }
    checked.ssl = ssl;
  }
  if (encoding === null) {
    checked.encoding = null;
  } else if (encoding !== undefined) {
    checked.encoding = checkEncoding(
      expectString(encoding, 'options.encoding'),
      'options.encoding',
    );
  }
  if (parser !== undefined) {
    if (typeof parser !== 'function') {
      throw new TypeError(`options.parser must be a class (a function), got ${typeName(parser)}`);
    }
    checked.parser = parser as ReaderConstructor;
  }
  if (timeout !== undefined) {
    checked.timeout = checkTimeout(expectNumber(timeout, 'options.timeout'), 'options.timeout');
  }
  if (commandTimeout !== undefined) {
    const label = 'options.commandTimeout';
    checked.commandTimeout = checkTimeout(expectNumber(commandTimeout, label), label);
  }
  if (name !== undefined)
    checked.name = checkName(expectString(name, 'options.name'), 'options.name');
  // 1: a health PING needs some time for its reply; 0 turns the other two off.
  const millis = { healthCheckInterval: 0, healthCheckTimeout: 1, stallTimeout: 0 } as const;
  const given = { healthCheckInterval, healthCheckTimeout, stallTimeout };
  for (const key of Object.keys(millis) as Array<keyof typeof millis>) {
    if (given[key] === undefined) continue;
    const label = `options.${key}`;
    checked[key] = checkMillis(expectNumber(given[key], label), label, millis[key]);
  }
  return checked;
}

function checkPort(port: number, label: string): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RangeError(`${label} must be an integer from 1 to 65535`);
  }
  return port;
}

function checkDb(db: number, label: string): number {
  if (!Number.isSafeInteger(db) || db < 0) {
    throw new RangeError(`${label} must be a non-negative safe integer`);
  }
  return db;
}

function checkTimeout(timeout: number, label: string): number {
  if (!Number.isFinite(timeout) || timeout <= 0) {
    throw new RangeError(`${label} must be a finite number of milliseconds greater than 0`);
  }
  return timeout;
}

/** A liveness setting: a finite number of milliseconds from `min` (0: the check is off) to MAX_TIMER_DELAY. */
function checkMillis(ms: number, label: string, min: 0 | 1): number {
  if (!Number.isFinite(ms) || (min === 0 ? ms < 0 : ms <= 0) || ms > MAX_TIMER_DELAY) {
    const range = min === 0 ? 'from 0 (off)' : 'greater than 0 and';
    throw new RangeError(
      `${label} must be a number of milliseconds ${range} up to ${MAX_TIMER_DELAY}`,
    );
  }
  return ms;
}

function checkEncoding(encoding: string, label: string): BufferEncoding {
  if (!Buffer.isEncoding(encoding)) {
    throw new TypeError(`${label} must be a Buffer encoding such as "utf8"`);
  }
  return encoding;
}

function checkName(name: string, label: string): string {
  if (!CLIENT_NAME.test(name)) {
    throw new TypeError(
      `${label} must be non-empty printable ASCII without spaces or newlines (the server refuses others)`,
    );
  }
  return name;
}

function expectNumber(value: unknown, label: string): number {
  if (typeof value !== 'number')
    throw new TypeError(`${label} must be a number, got ${typeName(value)}`);
  return value;
}

function expectString(value: unknown, label: string): string {
  if (typeof value !== 'string')
    throw new TypeError(`${label} must be a string, got ${typeName(value)}`);
  return value;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The type of a value, for messages: never the value itself, which might be a secret. */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
