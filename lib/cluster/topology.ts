/**
 * The cluster's layout, parsed from `CLUSTER SHARDS` (Redis 7.0+) or `CLUSTER SLOTS` into an
 * immutable {@link Topology}: shards (a master, its replicas, their slots) and a slot → shard
 * table. Pure: no I/O. A refresh builds a new Topology and swaps it whole, so a slot that a
 * reply no longer lists is uncovered at once instead of pointing at a stale node.
 *
 * Replies come from the network: the parsers skip whatever is malformed and never throw on any
 * reply, and no reply text is ever used as a property name (fields are read into Maps).
 *
 * @module
 */
import { isHostText } from './redirect';

/** A node's role in its shard. */
export type NodeRole = 'master' | 'replica';

/** A node's health as CLUSTER SHARDS reports it (`fail` and `failed` both read as `'failed'`). */
export type NodeHealth = 'online' | 'failed' | 'loading';

/** One node of the cluster, at its address after the address map. Frozen. */
export interface ClusterNode {
  /** The node id (40 hexadecimal characters), or `host:port` when the reply gave none. */
  readonly id: string;
  /** The host to connect to: the node's preferred endpoint, after the address map. */
  readonly host: string;
  /** The port to connect to, after the address map. */
  readonly port: number;
  /** `${host}:${port}`: what connections are keyed by. */
  readonly key: string;
  /** Whether it serves writes (master) or copies a master (replica). */
  readonly role: NodeRole;
  /** `'online'` for every node of a CLUSTER SLOTS reply, which does not say. */
  readonly health: NodeHealth;
  /** How far its replication stream has got, when CLUSTER SHARDS says. */
  readonly replicationOffset?: number;
}

/** A master with its replicas and the slots it serves. Frozen. */
export interface Shard {
  /** The master. Its health may be `'failed'`: the router decides what to do with it. */
  readonly master: ClusterNode;
  /** Its usable replicas, in reply order. */
  readonly replicas: readonly ClusterNode[];
  /** The slot ranges it serves, both ends included, ascending and merged; may be empty. */
  readonly slots: ReadonlyArray<readonly [number, number]>;
}

/**
 * Rewrites an address announced by the cluster into one this client can reach (NAT, Docker
 * port mapping); returns the address unchanged when it has no mapping.
 */
export type MapAddress = (host: string, port: number) => { host: string; port: number };

/** The number of hash slots. */
const SLOTS = 16384;
/** A slot no shard serves, in the slot → shard table. */
const UNCOVERED = 0xffff;

/**
 * An immutable snapshot of the cluster's layout: `cluster.topology`, replaced whole by each reload.
 *
 * @example
 * ```ts
 * cluster.topology.masterOf(hashSlot('foo'))?.key; // '127.0.0.1:7002'
 * ```
 */
export class Topology {
  /** Every shard with a usable master, in reply order (shards without slots included). */
  readonly shards: readonly Shard[];
  readonly #slotToShard: Uint16Array;
  readonly #covered: number;
  readonly #all: readonly ClusterNode[];
  readonly #masters: readonly ClusterNode[];
  readonly #replicas: readonly ClusterNode[];
  readonly #byKey: ReadonlyMap<string, ClusterNode>;

  /**
   * @internal Builds a topology from shards (the cluster parses CLUSTER SHARDS or CLUSTER SLOTS
   * into them). A slot claimed by two shards goes to the first; each shard's
   * `slots` is then recomputed from what it actually got, and each node's `key` from its
   * address. Throws a TypeError or RangeError on a malformed shard.
   */
  constructor(shards: readonly Shard[]) {
    if (!Array.isArray(shards)) throw new TypeError('Topology: shards must be an array');
    if (shards.length >= UNCOVERED) {
      throw new RangeError(`Topology: at most ${UNCOVERED - 1} shards, got ${shards.length}`);
    }
    const given = shards.map((shard) => (shard ?? {}) as Partial<Shard>);
    const index = new Uint16Array(SLOTS).fill(UNCOVERED);
    given.forEach((shard, i) => {
      for (const range of checkRanges(shard.slots, i)) {
        for (let slot = range[0]; slot <= range[1]; slot++) {
          if (index[slot] === UNCOVERED) index[slot] = i;
        }
      }
    });
    const owned = rangesByShard(index, shards.length);
    this.shards = Object.freeze(
      given.map((shard, i) =>
        Object.freeze({
          master: freezeNode(shard.master, 'master', `shards[${i}].master`),
          replicas: Object.freeze(
            checkArray(shard.replicas, `shards[${i}].replicas`).map((node, j) =>
              freezeNode(node, 'replica', `shards[${i}].replicas[${j}]`),
            ),
          ),
          slots: owned[i] ?? Object.freeze([]),
        }),
      ),
    );
    this.#slotToShard = index;
    this.#covered = index.reduce((count, shard) => count + (shard === UNCOVERED ? 0 : 1), 0);

    // A node listed twice (a restarted node under a new id, the old entry failed) is one
    // address: the first entry that is not failed wins it.
    const byKey = new Map<string, ClusterNode>();
    for (const shard of this.shards) {
      for (const node of [shard.master, ...shard.replicas]) {
        const seen = byKey.get(node.key);
        if (seen === undefined || (seen.health === 'failed' && node.health !== 'failed')) {
          byKey.set(node.key, node);
        }
      }
    }
    this.#byKey = byKey;
    this.#all = Object.freeze([...byKey.values()]);
    this.#masters = Object.freeze(this.#all.filter((node) => node.role === 'master'));
    this.#replicas = Object.freeze(this.#all.filter((node) => node.role === 'replica'));
  }

  /**
   * The shard serving `slot`, or undefined when none does. O(1).
   * @throws RangeError when `slot` is not an integer from 0 to 16383.
   */
  shardOf(slot: number): Shard | undefined {
    if (!Number.isInteger(slot) || slot < 0 || slot >= SLOTS) {
      throw new RangeError(`slot must be an integer from 0 to ${SLOTS - 1}, got ${String(slot)}`);
    }
    const shard = this.#slotToShard[slot] as number;
    return shard === UNCOVERED ? undefined : this.shards[shard];
  }

  /**
   * The master serving `slot`, or undefined when none does. O(1).
   * @throws RangeError when `slot` is not an integer from 0 to 16383.
   */
  masterOf(slot: number): ClusterNode | undefined {
    return this.shardOf(slot)?.master;
  }

  /** How many of the 16384 slots a shard serves. */
  get covered(): number {
    return this.#covered;
  }

  /** Every distinct node (by address), masters and replicas, or only those of `role`. */
  nodes(role?: NodeRole): readonly ClusterNode[] {
    if (role === undefined) return this.#all;
    if (role === 'master') return this.#masters;
    if (role === 'replica') return this.#replicas;
    throw new TypeError(`role must be 'master' or 'replica', got ${String(role)}`);
  }

  /** The node at `key` (`host:port`, after the address map), if the topology lists one. */
  node(key: string): ClusterNode | undefined {
    return this.#byKey.get(key);
  }

  /**
   * Whether `other` routes the same way: every slot to a master at the same address, and the
   * same addresses in the same roles. Health, ids and replication offsets are not compared.
   */
  sameAs(other: Topology): boolean {
    if (other === this) return true;
    if (this.#all.length !== other.#all.length || this.#covered !== other.#covered) return false;
    for (const node of this.#all) {
      if (other.#byKey.get(node.key)?.role !== node.role) return false;
    }
    const mine = this.shards.map((shard) => shard.master.key);
    const theirs = other.shards.map((shard) => shard.master.key);
    for (let slot = 0; slot < SLOTS; slot++) {
      const a = this.#slotToShard[slot] as number;
      const b = other.#slotToShard[slot] as number;
      if (a === UNCOVERED || b === UNCOVERED) {
        if (a !== b) return false;
      } else if (mine[a] !== theirs[b]) {
        return false;
      }
    }
    return true;
  }

  /** One line per shard (and one for uncovered slots), for debug logs. */
  describe(): string {
    const lines = this.shards.map((shard) => {
      const slots = shard.slots.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',');
      const replicas = shard.replicas.map(nodeText).join(', ');
      return `${nodeText(shard.master)} slots ${slots || 'none'} replicas ${replicas || 'none'}`;
    });
    if (this.#covered < SLOTS) lines.push(`${SLOTS - this.#covered} slots uncovered`);
    return lines.join('\n');
  }
}

function nodeText(node: ClusterNode): string {
  return `${node.key} (${node.role} ${node.id.slice(0, 8)} ${node.health})`;
}

function checkArray(value: unknown, what: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`Topology: ${what} must be an array`);
  return value;
}

function checkRanges(value: unknown, i: number): Array<readonly [number, number]> {
  return checkArray(value, `shards[${i}].slots`).map((range, j) => {
    const [start, end] = Array.isArray(range) ? (range as unknown[]) : [];
    if (!isSlot(start) || !isSlot(end) || start > end || (range as unknown[]).length !== 2) {
      throw new RangeError(
        `Topology: shards[${i}].slots[${j}] must be [start, end] with 0 <= start <= end <= ${SLOTS - 1}`,
      );
    }
    return [start, end] as const;
  });
}

/** A frozen copy of `node` holding only the known fields, with its `key` recomputed. */
function freezeNode(value: unknown, role: NodeRole, what: string): ClusterNode {
  const node = (value ?? {}) as Partial<ClusterNode>;
  const { id, host, port, health, replicationOffset } = node;
  if (typeof id !== 'string' || typeof host !== 'string' || host === '' || !isPort(port)) {
    throw new TypeError(`Topology: ${what} needs a string id, a host and a port from 1 to 65535`);
  }
  if (node.role !== role) throw new TypeError(`Topology: ${what} must have role '${role}'`);
  if (health !== 'online' && health !== 'failed' && health !== 'loading') {
    throw new TypeError(`Topology: ${what} has an unknown health ${String(health)}`);
  }
  const copy: ClusterNode = { id, host, port, key: `${host}:${port}`, role, health };
  if (replicationOffset !== undefined) {
    if (!Number.isSafeInteger(replicationOffset) || replicationOffset < 0) {
      throw new TypeError(`Topology: ${what}.replicationOffset must be a non-negative integer`);
    }
    return Object.freeze({ ...copy, replicationOffset });
  }
  return Object.freeze(copy);
}

/** Each shard's slots as merged ascending ranges, read off the slot → shard table. */
function rangesByShard(
  index: Uint16Array,
  count: number,
): Array<ReadonlyArray<readonly [number, number]>> {
  const ranges: Array<Array<readonly [number, number]>> = Array.from({ length: count }, () => []);
  let start = 0;
  for (let slot = 1; slot <= SLOTS; slot++) {
    const owner = index[start] as number;
    if (slot < SLOTS && index[slot] === owner) continue;
    if (owner !== UNCOVERED) ranges[owner]?.push(Object.freeze([start, slot - 1] as const));
    start = slot;
  }
  return ranges.map((list) => Object.freeze(list));
}

function isSlot(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) < SLOTS;
}

function isPort(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 65535;
}

// ---------------------------------------------------------------------------------------------
// Parsing replies. Every helper returns undefined for what it cannot read, and the callers skip it.

/** Where a reply came from, for empty endpoints, which mean "the host you asked". */
interface Answering {
  host: string;
  port: number;
}

/** A string or Buffer reply as text; undefined for anything else. */
function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return undefined;
}

/** An integer reply (number, bigint, or decimal text) as a safe integer; undefined otherwise. */
function integer(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'bigint') {
    return value >= 0n && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
  }
  const digits = text(value);
  if (digits === undefined || !/^[0-9]{1,15}$/.test(digits)) return undefined;
  return Number(digits);
}

/** A flat `[name, value, name, value…]` array (RESP2) or a Map (RESP3) as a Map by name. */
function fields(value: unknown): Map<string, unknown> | undefined {
  const result = new Map<string, unknown>();
  if (value instanceof Map) {
    for (const [name, field] of value) {
      const key = text(name);
      if (key !== undefined && !result.has(key)) result.set(key, field);
    }
    return result;
  }
  if (!Array.isArray(value) || value.length % 2 !== 0) return undefined;
  for (let i = 0; i < value.length; i += 2) {
    const key = text(value[i]);
    if (key !== undefined && !result.has(key)) result.set(key, value[i + 1]);
  }
  return result;
}

/**
 * The address to connect to for an announced endpoint: '' or null means the answering node's
 * host, '?' (no usable endpoint of the preferred type) means none; then the address map.
 */
function address(
  endpoint: unknown,
  port: number,
  answering: Answering,
  map: MapAddress | undefined,
): { host: string; port: number } | undefined {
  let host = endpoint === null ? '' : text(endpoint);
  if (host === undefined || host === '?') return undefined;
  if (host === '') {
    host = answering.host;
  } else {
    if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
    if (!isHostText(host)) return undefined;
  }
  if (map === undefined) return { host, port };
  const mapped: unknown = map(host, port);
  const { host: mappedHost, port: mappedPort } = (mapped ?? {}) as Partial<Answering>;
  if (typeof mappedHost !== 'string' || mappedHost === '' || !isPort(mappedPort)) {
    throw new TypeError(
      `the address map returned ${describeValue(mapped)} for ${host}:${port}; ` +
        'it must return { host: string, port: 1..65535 }',
    );
  }
  return { host: mappedHost, port: mappedPort };
}

function describeValue(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value);
  return 'an object without a valid host and port';
}

/** Slot ranges from a flat `[start, end, start, end…]` array; bad pairs are skipped. */
function slotPairs(value: unknown): Array<[number, number]> {
  if (!Array.isArray(value)) return [];
  const ranges: Array<[number, number]> = [];
  for (let i = 0; i + 1 < value.length; i += 2) {
    const start = integer(value[i]);
    const end = integer(value[i + 1]);
    if (isSlot(start) && isSlot(end) && start <= end) ranges.push([start, end]);
  }
  return ranges;
}

const HEALTH: ReadonlyMap<string, NodeHealth> = new Map([
  ['online', 'online'],
  ['loading', 'loading'],
  // Redis 7.0 answers 'fail' although its documentation says 'failed'.
  ['fail', 'failed'],
  ['failed', 'failed'],
]);

const ROLE: ReadonlyMap<string, NodeRole> = new Map([
  ['master', 'master'],
  ['primary', 'master'],
  ['replica', 'replica'],
  ['slave', 'replica'],
]);

/** One node of a CLUSTER SHARDS shard; undefined when malformed or unusable. */
function shardNode(
  value: unknown,
  answering: Answering,
  map: MapAddress | undefined,
): ClusterNode | undefined {
  const node = fields(value);
  if (node === undefined) return undefined;
  const id = text(node.get('id'));
  const role = ROLE.get(text(node.get('role')) ?? '');
  const health = HEALTH.get(text(node.get('health')) ?? '');
  // A TLS-only node announces port 0 and its tls-port.
  const plain = integer(node.get('port'));
  const port = isPort(plain) ? plain : integer(node.get('tls-port'));
  if (!id || role === undefined || health === undefined || !isPort(port)) return undefined;
  const endpoint = node.has('endpoint') ? node.get('endpoint') : node.get('ip');
  const at = address(endpoint, port, answering, map);
  if (at === undefined) return undefined;
  const offset = integer(node.get('replication-offset'));
  const base = { id, host: at.host, port: at.port, key: `${at.host}:${at.port}`, role, health };
  return offset === undefined || offset < 0 ? base : { ...base, replicationOffset: offset };
}

/**
 * Parses a CLUSTER SHARDS reply (Redis 7.0+) into a {@link Topology}. Values may be strings,
 * Buffers or numbers; a node whose endpoint is `?` is left out, a shard without a usable
 * master is left out (its slots uncovered), and so is a failed master that serves no slot. Malformed entries are skipped; never throws on any
 * reply (only a TypeError when `map` returns something that is not an address).
 *
 * @param reply - the reply, as RESP2 flat arrays or RESP3 maps.
 * @param answering - the node that answered, whose host an empty endpoint stands for.
 * @param map - applied to every address; node keys are built from its result.
 */
export function parseClusterShards(
  reply: unknown,
  answering: { host: string; port: number },
  map?: MapAddress,
): Topology {
  checkAnswering(answering, map);
  const shards: Shard[] = [];
  const seen = new Set<string>();
  for (const entry of Array.isArray(reply) ? reply : []) {
    const shard = fields(entry);
    const nodes = shard?.get('nodes');
    if (shard === undefined || !Array.isArray(nodes)) continue;
    let master: ClusterNode | undefined;
    const replicas: ClusterNode[] = [];
    for (const value of nodes) {
      const node = shardNode(value, answering, map);
      if (node === undefined || seen.has(node.id)) continue;
      seen.add(node.id);
      if (node.role === 'replica') replicas.push(node);
      else master ??= node;
    }
    const slots = slotPairs(shard.get('slots'));
    // A failed master without slots is a dead node whose replica took over (7.0 lists it as a
    // shard of its own): nothing may be sent there, and CLUSTER SLOTS does not list it either.
    if (master !== undefined && !(master.health === 'failed' && slots.length === 0))
      shards.push({ master, replicas, slots });
  }
  return new Topology(shards);
}

/** One node of a CLUSTER SLOTS range: `[host, port, id?, metadata?]`; undefined when unusable. */
function slotsNode(
  value: unknown,
  role: NodeRole,
  answering: Answering,
  map: MapAddress | undefined,
): ClusterNode | undefined {
  if (!Array.isArray(value) || value.length < 2) return undefined;
  const port = integer(value[1]);
  if (!isPort(port)) return undefined;
  const at = address(value[0], port, answering, map);
  if (at === undefined) return undefined;
  const key = `${at.host}:${at.port}`;
  // Before Redis 4 there was no id: the announced address stands in for it.
  const id = value.length > 2 ? text(value[2]) : `${text(value[0]) ?? ''}:${port}`;
  if (!id) return undefined;
  return { id, host: at.host, port: at.port, key, role, health: 'online' };
}

/**
 * Parses a CLUSTER SLOTS reply into a {@link Topology}: ranges are grouped into shards by master
 * id, every node's health is `'online'` (the reply does not say). A range whose master's host is
 * `?` is left uncovered; such replicas are left out. Never throws on any reply (only a TypeError
 * when `map` returns something that is not an address).
 *
 * @param reply - the reply: `[start, end, [host, port, id, metadata?], replica…]` per range.
 * @param answering - the node that answered, whose host an empty or null host stands for.
 * @param map - applied to every address; node keys are built from its result.
 */
export function parseClusterSlots(
  reply: unknown,
  answering: { host: string; port: number },
  map?: MapAddress,
): Topology {
  checkAnswering(answering, map);
  type Group = {
    master: ClusterNode;
    replicas: Map<string, ClusterNode>;
    slots: Array<[number, number]>;
  };
  const groups = new Map<string, Group>();
  for (const entry of Array.isArray(reply) ? reply : []) {
    if (!Array.isArray(entry) || entry.length < 3) continue;
    const [start, end] = [integer(entry[0]), integer(entry[1])];
    if (!isSlot(start) || !isSlot(end) || start > end) continue;
    const master = slotsNode(entry[2], 'master', answering, map);
    if (master === undefined) continue;
    let group = groups.get(master.id);
    if (group === undefined) {
      group = { master, replicas: new Map(), slots: [] };
      groups.set(master.id, group);
    }
    group.slots.push([start, end]);
    for (const value of entry.slice(3)) {
      const replica = slotsNode(value, 'replica', answering, map);
      if (replica !== undefined && !group.replicas.has(replica.id)) {
        group.replicas.set(replica.id, replica);
      }
    }
  }
  // A node is in one shard only: drop a "replica" that is some shard's master, or listed twice.
  const placed = new Set(groups.keys());
  const shards: Shard[] = [];
  for (const { master, replicas: listed, slots } of groups.values()) {
    const replicas = [...listed.values()].filter((node) => !placed.has(node.id));
    for (const node of replicas) placed.add(node.id);
    shards.push({ master, replicas, slots });
  }
  return new Topology(shards);
}

function checkAnswering(answering: Answering, map: MapAddress | undefined): void {
  if (typeof answering?.host !== 'string' || answering.host === '' || !isPort(answering.port)) {
    throw new TypeError('answering must be { host: string, port: 1..65535 }');
  }
  if (map !== undefined && typeof map !== 'function') {
    throw new TypeError(`map must be a function, got ${typeof map}`);
  }
}

/**
 * Picks one topology among the views several nodes gave: the one that covers the most slots;
 * among those, the one from `prefer` (the node that sent a MOVED, which knows the newest
 * layout); else the one most of them agree with ({@link Topology.sameAs}); else the first.
 *
 * @param views - each node's topology and where it came from (`host:port`).
 * @param prefer - the `host:port` of the view to prefer on equal coverage.
 * @returns undefined when `views` is empty.
 */
export function chooseTopology(
  views: ReadonlyArray<{ topology: Topology; from: string }>,
  prefer?: string,
): Topology | undefined {
  const most = Math.max(...views.map((view) => view.topology.covered));
  const best = views.filter((view) => view.topology.covered === most);
  if (best.length === 0) return undefined;
  const preferred = best.find((view) => prefer !== undefined && view.from === prefer);
  if (preferred !== undefined) return preferred.topology;
  let chosen = best[0] as { topology: Topology };
  let votes = 0;
  for (const view of best) {
    const agree = best.filter((other) => other.topology.sameAs(view.topology)).length;
    if (agree > votes) [chosen, votes] = [view, agree];
  }
  return chosen.topology;
}
