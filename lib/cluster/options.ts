/**
 * The options of {@link createCluster}, checked and with defaults applied. Pure: no I/O.
 *
 * @module
 */
import {
  type Address,
  CONNECTION_OPTION_KEYS,
  type ConnectionConfig,
  type ConnectionOptions,
  keySet,
  resolveConfig,
} from '../options';
import { isPlainObject, optionsError } from '../strict';

/** A node's address as the cluster names it (after `addressMap`). */
export interface NodeAddress {
  /** Host name or IP address. */
  host: string;
  /** TCP port. */
  port: number;
}

/**
 * Where an address the cluster announces is reached from here (NAT, Docker): an object keyed by
 * `'host:port'` (values `'host:port'` or `{ host, port }`), or a function. Addresses it does not
 * map are used as announced.
 */
export type AddressMap =
  Readonly<Record<string, string | NodeAddress>> | ((host: string, port: number) => NodeAddress);

/** Which nodes serve read-only commands. */
export type ReadFrom = 'master' | 'replica' | 'any';

/** When the slot map is loaded again besides on MOVED, CLUSTERDOWN and node loss. */
export interface RefreshOptions {
  /** Reload every this many milliseconds (0: never on a timer). Default 30,000. */
  interval?: number;
  /**
   * At least this many milliseconds between two reloads (jittered up to 50% more); while reloads
   * asked for by failing commands find the same map, the gap doubles up to 1000 ms. Default 1000.
   */
  minGap?: number;
  /** How long one node may take to answer CLUSTER SHARDS, ms. Default 1000. */
  timeout?: number;
}

/**
 * Options of {@link createCluster}: every connection option, applied to each node (auth, TLS,
 * encoding, timeouts; `db` must be 0, the only database a cluster has), plus how the cluster is
 * followed. Every field is optional; an unknown key rejects with TypeError.
 */
export interface ClusterOptions extends ConnectionOptions {
  /** Per-node connection options, merged over the shared ones (a password per node…). */
  nodeOptions?: (address: NodeAddress) => ConnectionOptions | undefined;
  /** Maps announced addresses to reachable ones. Default: none. */
  addressMap?: AddressMap;
  /**
   * `'master'` (default): every command goes to the slot's master. `'replica'`: read-only commands
   * go to a healthy replica of the slot (READONLY is sent when its connection opens), the master
   * when it has none. `'any'`: master and replicas in turn.
   */
  readFrom?: ReadFrom;
  /** At most this many MOVED/ASK hops and retries per command; then TooManyRedirectionsError. Default 16. */
  maxRedirections?: number;
  /** When the slot map is reloaded. */
  refresh?: RefreshOptions;
  /**
   * How long a command waits, retrying with backoff, while the cluster says it cannot serve its
   * slot (CLUSTERDOWN, TRYAGAIN, MASTERDOWN, LOADING) or its node is unreachable, ms. Default 5000.
   */
  clusterDownTimeout?: number;
  /** At most this many commands wait for a topology reload at once; more reject with QueueFullError. Default 10,000. */
  maxQueued?: number;
  /** Connections per node at most (commands are multiplexed; blocking ones take their own). Default 10. */
  maxConnectionsPerNode?: number;
}

/** {@link ClusterOptions} checked, with defaults. */
export interface ClusterConfig {
  /** The connection options every node shares (without the cluster's own keys). */
  readonly connection: ConnectionOptions;
  readonly nodeOptions: ((address: NodeAddress) => ConnectionOptions | undefined) | undefined;
  readonly mapAddress: (host: string, port: number) => NodeAddress;
  readonly readFrom: ReadFrom;
  readonly maxRedirections: number;
  readonly refreshInterval: number;
  readonly refreshMinGap: number;
  readonly refreshTimeout: number;
  readonly clusterDownTimeout: number;
  readonly maxQueued: number;
  readonly maxConnectionsPerNode: number;
  readonly encoding: BufferEncoding | null;
}

const CLUSTER_OPTION_KEYS: Readonly<Record<keyof ClusterOptions, true>> = {
  ...CONNECTION_OPTION_KEYS,
  nodeOptions: true,
  addressMap: true,
  readFrom: true,
  maxRedirections: true,
  refresh: true,
  clusterDownTimeout: true,
  maxQueued: true,
  maxConnectionsPerNode: true,
};
const CLUSTER_KEYS = keySet(CLUSTER_OPTION_KEYS);
const OWN_KEYS = new Set(
  [...CLUSTER_KEYS].filter((key) => !(key in CONNECTION_OPTION_KEYS) || key === 'db'),
);
const REFRESH_KEYS = keySet({ interval: true, minGap: true, timeout: true });

/**
 * Checks createCluster's options (`where` names the call) and applies the defaults.
 * @throws TypeError or RangeError naming the option.
 */
export function checkClusterOptions(
  where: string,
  options: ClusterOptions | undefined,
): ClusterConfig {
  const refusal = optionsError(where, options, CLUSTER_KEYS);
  if (refusal !== undefined) throw refusal;
  const given = options ?? {};
  const connection: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(given)) {
    if (!OWN_KEYS.has(key)) connection[key] = value;
  }
  if (given.db !== undefined && given.db !== 0) {
    throw new RangeError(`${where} db must be 0: a cluster has only database 0`);
  }
  // The shared connection options are checked now, not when the first node opens.
  resolveConfig(['127.0.0.1', 1], connection as ConnectionOptions, where);
  const { nodeOptions, readFrom = 'master', refresh = {} } = given;
  if (nodeOptions !== undefined && typeof nodeOptions !== 'function') {
    throw new TypeError(`${where} nodeOptions must be a function of a node's address`);
  }
  if (readFrom !== 'master' && readFrom !== 'replica' && readFrom !== 'any') {
    throw new TypeError(`${where} readFrom must be 'master', 'replica' or 'any'`);
  }
  const refreshRefusal = optionsError(`${where} refresh`, refresh, REFRESH_KEYS);
  if (refreshRefusal !== undefined) throw refreshRefusal;
  return {
    connection: connection as ConnectionOptions,
    nodeOptions,
    mapAddress: addressMapper(where, given.addressMap),
    readFrom,
    maxRedirections: count(where, 'maxRedirections', given.maxRedirections, 16, 0),
    refreshInterval: millis(where, 'refresh.interval', refresh.interval, 30_000, true),
    refreshMinGap: millis(where, 'refresh.minGap', refresh.minGap, 1000, true),
    refreshTimeout: millis(where, 'refresh.timeout', refresh.timeout, 1000, false),
    clusterDownTimeout: millis(where, 'clusterDownTimeout', given.clusterDownTimeout, 5000, true),
    maxQueued: count(where, 'maxQueued', given.maxQueued, 10_000, 0),
    maxConnectionsPerNode: count(
      where,
      'maxConnectionsPerNode',
      given.maxConnectionsPerNode,
      10,
      1,
    ),
    encoding: given.encoding ?? null,
  };
}

/** The connection config of one node: the shared options, its own over them, its address. */
export function nodeConfig(config: ClusterConfig, address: NodeAddress): ConnectionConfig {
  const own = config.nodeOptions?.(address);
  if (own !== undefined && !isPlainObject(own)) {
    throw new TypeError('createCluster() nodeOptions must return a plain object or undefined');
  }
  const options = own === undefined ? config.connection : { ...config.connection, ...own };
  return resolveConfig([address.host, address.port], options, 'createCluster() nodeOptions');
}

/** A seed address as host and port (a URL's own options are not taken: pass them as options). */
export function seedAddress(address: Address, where: string): NodeAddress {
  const config = resolveConfig(address, undefined, where);
  if (config.path !== undefined) {
    throw new TypeError(
      `${where} seeds must be TCP addresses: a cluster does not use unix sockets`,
    );
  }
  const { password, username, db, tls, name, timeout } = config;
  if (password !== undefined || username !== undefined || db !== 0 || tls !== null) {
    // Every node shares one set of options: a seed URL's credentials would reach only that seed.
    throw new TypeError(
      `${where} seeds are addresses only: pass credentials, TLS and db in options`,
    );
  }
  if (name !== undefined || timeout !== undefined || config.encoding !== null) {
    throw new TypeError(`${where} seeds are addresses only: pass connection settings in options`);
  }
  return { host: config.host ?? 'localhost', port: config.port ?? 6379 };
}

function addressMapper(
  where: string,
  map: AddressMap | undefined,
): (host: string, port: number) => NodeAddress {
  if (map === undefined) return (host, port) => ({ host, port });
  if (typeof map === 'function') {
    return (host, port) => {
      const mapped = map(host, port);
      if (!isPlainObject(mapped) || typeof mapped.host !== 'string' || !validPort(mapped.port)) {
        throw new TypeError(`${where} addressMap must return { host, port }`);
      }
      return { host: mapped.host, port: mapped.port };
    };
  }
  if (!isPlainObject(map)) {
    throw new TypeError(`${where} addressMap must be an object or a function`);
  }
  const table = new Map<string, NodeAddress>();
  for (const [from, to] of Object.entries(map)) {
    table.set(from, parseTarget(where, to));
  }
  return (host, port) => table.get(`${host}:${port}`) ?? { host, port };
}

function parseTarget(where: string, to: string | NodeAddress): NodeAddress {
  if (typeof to === 'string') {
    const colon = to.lastIndexOf(':');
    const port = Number(to.slice(colon + 1));
    if (colon > 0 && validPort(port)) return { host: to.slice(0, colon), port };
  } else if (isPlainObject(to) && typeof to.host === 'string' && validPort(to.port)) {
    return { host: to.host, port: to.port };
  }
  throw new TypeError(`${where} addressMap values must be 'host:port' or { host, port }`);
}

function validPort(port: unknown): port is number {
  return Number.isInteger(port) && (port as number) > 0 && (port as number) < 65536;
}

function count(where: string, name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value)) throw new TypeError(`${where} ${name} must be an integer`);
  if ((value as number) < min) throw new RangeError(`${where} ${name} must be ≥ ${min}`);
  return value as number;
}

function millis(
  where: string,
  name: string,
  value: unknown,
  fallback: number,
  zero: boolean,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`${where} ${name} must be a number of milliseconds`);
  }
  if (!Number.isFinite(value) || value < 0 || (!zero && value === 0)) {
    throw new RangeError(`${where} ${name} must be a finite number ${zero ? '≥ 0' : '> 0'}`);
  }
  return value;
}
