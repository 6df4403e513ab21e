// Pure parsing and judging of what cluster nodes report (CLUSTER SHARDS, CLUSTER INFO), for the
// test cluster of cluster.ts. No sockets here.

/** How many hash slots a Redis Cluster has. */
export const SLOT_COUNT = 16384;

/** One node of a shard, as CLUSTER SHARDS lists it. */
export interface ShardNode {
  readonly id: string;
  readonly port: number;
  readonly role: string; // 'master' | 'replica'
  /** `'online'`, `'loading'` (a replica at replication offset 0: clients are not sent to it) or `'fail'`. */
  readonly health: string;
}

/** A master and its replicas, as CLUSTER SHARDS lists them. */
export interface Shard {
  /** Inclusive slot ranges, in the order the node listed them; empty for a master without slots. */
  readonly ranges: ReadonlyArray<readonly [number, number]>;
  /** Id of the node with role master; '' when the shard has none. */
  readonly masterId: string;
  readonly nodes: readonly ShardNode[];
}

/** What one node said about the cluster, or why it said nothing. */
export type ClusterView =
  | { readonly port: number; readonly state: string; readonly shards: readonly Shard[] }
  | { readonly port: number; readonly error: string };

/** Returns `slot` if it is a slot number (an integer 0-16383), else throws a RangeError. */
export function checkSlot(slot: number): number {
  if (!Number.isInteger(slot) || slot < 0 || slot >= SLOT_COUNT) {
    throw new RangeError(`a slot is an integer from 0 to ${SLOT_COUNT - 1}, got ${slot}`);
  }
  return slot;
}

/** Parses a CLUSTER SHARDS reply (RESP2, utf8): each shard and node is a flat field/value list. */
export function parseShards(reply: unknown): Shard[] {
  if (!Array.isArray(reply))
    throw new TypeError(`CLUSTER SHARDS: expected an array, got ${typeof reply}`);
  return reply.map((entry) => {
    const shard = fields(entry);
    const flatSlots = asArray(shard.get('slots')).map(Number);
    const ranges: Array<[number, number]> = [];
    for (let i = 0; i + 1 < flatSlots.length; i += 2) {
      ranges.push([flatSlots[i] as number, flatSlots[i + 1] as number]);
    }
    const nodes = asArray(shard.get('nodes')).map((item): ShardNode => {
      const node = fields(item);
      return {
        id: String(node.get('id')),
        port: Number(node.get('port')),
        role: String(node.get('role')),
        health: String(node.get('health')),
      };
    });
    return { ranges, masterId: nodes.find((n) => n.role === 'master')?.id ?? '', nodes };
  });
}

/** Parses CLUSTER INFO's `field:value` lines. */
export function parseClusterInfo(info: string): Map<string, string> {
  const result = new Map<string, string>();
  for (const line of info.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) result.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return result;
}

/**
 * Why the cluster is not stable yet, or undefined when it is: every view answered with
 * `cluster_state:ok` and the same picture (slot ranges per master, online replicas per master),
 * the ranges cover every slot, every node in the picture is in `live`, and every node of `live`
 * is in the picture (a master with slots or an online replica).
 */
export function unstableReason(
  views: readonly ClusterView[],
  live: ReadonlySet<string>,
): string | undefined {
  let first: { port: number; shards: readonly Shard[]; picture: string } | undefined;
  for (const view of views) {
    if ('error' in view) return `:${view.port} did not answer: ${view.error}`;
    if (view.state !== 'ok') return `:${view.port} reports cluster_state:${view.state}`;
    const picture = describeShards(view.shards);
    first ??= { port: view.port, shards: view.shards, picture };
    if (picture !== first.picture) return `:${view.port} sees another picture than :${first.port}`;
  }
  if (first === undefined) return 'no node is running';
  const owners = first.shards.filter((shard) => shard.ranges.length > 0);
  const covered = owners.reduce(
    (sum, shard) => sum + shard.ranges.reduce((n, [start, end]) => n + end - start + 1, 0),
    0,
  );
  if (covered !== SLOT_COUNT) return `the masters own ${covered} of ${SLOT_COUNT} slots`;
  const pictured = new Set<string>();
  for (const shard of owners) {
    if (!live.has(shard.masterId)) return `master ${shard.masterId} owns slots but is not running`;
    pictured.add(shard.masterId);
    for (const replica of onlineReplicas(shard)) {
      if (!live.has(replica)) return `replica ${replica} is listed online but is not running`;
      pictured.add(replica);
    }
  }
  const missing = [...live].filter((id) => !pictured.has(id));
  if (missing.length > 0) return `running nodes not yet serving: ${missing.join(', ')}`;
  return undefined;
}

/** One line per view, for error messages. */
export function describeView(view: ClusterView): string {
  if ('error' in view) return `  :${view.port} error: ${view.error}`;
  const shards = view.shards.map((shard) => {
    const ranges = shard.ranges.map(([start, end]) => `${start}-${end}`).join(',') || 'no slots';
    const nodes = shard.nodes.map((n) => `:${n.port} ${n.role} ${n.health}`).join(', ');
    return `[${ranges}: ${nodes}]`;
  });
  return `  :${view.port} cluster_state:${view.state} ${shards.join(' ')}`;
}

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A canonical string of the slot owners and their online replicas. */
function describeShards(shards: readonly Shard[]): string {
  return shards
    .filter((shard) => shard.ranges.length > 0)
    .map((shard) => {
      const ranges = [...shard.ranges].sort((a, b) => a[0] - b[0]);
      return {
        start: ranges[0]?.[0] ?? 0,
        text: `${shard.masterId} ${ranges.join(' ')} [${onlineReplicas(shard).sort().join(' ')}]`,
      };
    })
    .sort((a, b) => a.start - b.start)
    .map((entry) => entry.text)
    .join('\n');
}

function onlineReplicas(shard: Shard): string[] {
  return shard.nodes.filter((n) => n.role === 'replica' && n.health === 'online').map((n) => n.id);
}

/** A flat `[name, value, name, value…]` list as a Map. */
function fields(list: unknown): Map<string, unknown> {
  const items = asArray(list);
  const result = new Map<string, unknown>();
  for (let i = 0; i + 1 < items.length; i += 2) result.set(String(items[i]), items[i + 1]);
  return result;
}

function asArray(value: unknown): unknown[] {
  if (!Array.isArray(value))
    throw new TypeError(`CLUSTER SHARDS: expected a list, got ${typeof value}`);
  return value;
}
