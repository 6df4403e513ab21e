/**
 * Cluster commands (aioredis 1.x `commands/cluster.py`, camelCase, named after the server's
 * subcommands): what a node knows about its cluster, parsed (CLUSTER INFO, NODES, SLOTS, SHARDS,
 * LINKS…), and the thin administrative commands (ADDSLOTS, MEET, SETSLOT, FAILOVER…). They need a
 * server started with `cluster-enabled yes`; any other rejects with a ReplyError.
 *
 * READONLY, READWRITE and ASKING change how the server treats the connection, so they have no
 * method here: they belong to a cluster client, or to `call()` on an acquired connection.
 *
 * @module
 */
import type { Arg } from '../protocol/encoder';
import type { Reply } from '../protocol/reader';
import {
  type Bulk,
  Commands,
  invalid,
  isInteger,
  isOk,
  outOfRange,
  type ReadOptions,
  toObject,
} from './base';

/** The number of hash slots of a Redis cluster: slots are 0 to 16383. */
const SLOTS = 16384;

/** A range of hash slots, both ends included. */
export type SlotRange = [start: number, end: number];

/**
 * What {@link ClusterCommands.clusterInfo} resolves with: the fields of CLUSTER INFO by their
 * server names, integers as numbers.
 */
export interface ClusterInfo {
  /** 'ok' when the node can serve queries, 'fail' when some slot is unassigned or failing. */
  cluster_state: 'ok' | 'fail';
  /** How many slots are assigned to a node (16384 when all are). */
  cluster_slots_assigned: number;
  /** How many assigned slots are served by a node that is not failing. */
  cluster_slots_ok: number;
  /** How many are served by a node this one suspects of failing (PFAIL). */
  cluster_slots_pfail: number;
  /** How many are served by a node the cluster agrees has failed (FAIL). */
  cluster_slots_fail: number;
  /** How many nodes this node knows, handshaking ones included. */
  cluster_known_nodes: number;
  /** The number of masters serving at least one slot. */
  cluster_size: number;
  /** The highest configuration epoch in the cluster, as this node knows it. */
  cluster_current_epoch: number;
  /** The configuration epoch of this node (or of its master, for a replica). */
  cluster_my_epoch: number;
  [field: string]: string | number;
}

/** Where a node listens, as CLUSTER NODES gives it. */
export interface ClusterNodeAddress {
  /** The IP address; '' while the node does not know its own (no other node told it yet). */
  host: string;
  /** The TCP port clients connect to. */
  port: number;
  /** The cluster bus port; 0 when the server does not say (before Redis 4). */
  busPort: number;
}

/** One node as {@link ClusterCommands.clusterNodes} resolves with it (a line of CLUSTER NODES). */
export interface ClusterNode {
  /** The node id: 40 hexadecimal characters. */
  id: string;
  /** Where it listens. */
  address: ClusterNodeAddress;
  /** The hostname it announces (`cluster-announce-hostname`, Redis 7), when it has one. */
  hostname?: string;
  /** `myself`, `master`, `slave`, `fail?`, `fail`, `handshake`, `noaddr`, `nofailover`, `noflags`. */
  flags: string[];
  /** The id of its master, for a replica; null for a master. */
  master: string | null;
  /** When the last unanswered PING was sent, in Unix milliseconds; 0 when none is pending. */
  pingSent: number;
  /** When the last PONG arrived, in Unix milliseconds. */
  pongRecv: number;
  /** Its configuration epoch: of two nodes that claim the same slots, the higher one wins. */
  configEpoch: number;
  /** The state of the cluster bus link to it. */
  linkState: 'connected' | 'disconnected';
  /** The slots it serves, as ranges (a single slot is `[n, n]`). */
  slots: SlotRange[];
  /** Slots this node is moving out: `[slot, id of the node they go to]`. */
  migrating: Array<[slot: number, nodeId: string]>;
  /** Slots this node is taking in: `[slot, id of the node they come from]`. */
  importing: Array<[slot: number, nodeId: string]>;
}

/** A node serving a slot range, as {@link ClusterCommands.clusterSlots} gives it. */
export interface ClusterSlotNode {
  /** The preferred endpoint (an IP by default); '' or '?' when unknown. */
  host: string;
  /** Its TCP port. */
  port: number;
  /** Its node id. */
  id: string;
  /** Its IP, when the preferred endpoint is something else (Redis 7). */
  ip?: string;
  /** Its announced hostname, when it has one (Redis 7). */
  hostname?: string;
}

/** One range of {@link ClusterCommands.clusterSlots}. */
export interface ClusterSlots {
  /** The range's first slot. */
  start: number;
  /** The range's last slot, included. */
  end: number;
  /** The master serving it. */
  master: ClusterSlotNode;
  /** The replicas able to serve reads. */
  replicas: ClusterSlotNode[];
}

/** A node of a shard, as {@link ClusterCommands.clusterShards} gives it (CLUSTER SHARDS fields in camelCase). */
export interface ClusterShardNode {
  /** The node id. */
  id: string;
  /** The plain TCP port, when it has one. */
  port?: number;
  /** The TLS port, when it has one. */
  tlsPort?: number;
  /** Its IP address. */
  ip: string;
  /** The preferred endpoint: what a client should connect to. */
  endpoint: string;
  /** Its announced hostname, when it has one. */
  hostname?: string;
  /** Its role in the shard. */
  role: 'master' | 'replica';
  /** Its replication offset. */
  replicationOffset: number;
  /** Whether it can serve: `'loading'` while it loads its dataset. */
  health: 'online' | 'failed' | 'loading';
}

/** One shard of {@link ClusterCommands.clusterShards}: a master, its replicas and their slots. */
export interface ClusterShard {
  /** The slots the shard serves, as ranges. */
  slots: SlotRange[];
  /** Its master and replicas. */
  nodes: ClusterShardNode[];
}

/** One cluster bus link of {@link ClusterCommands.clusterLinks} (CLUSTER LINKS fields in camelCase). */
export interface ClusterLink {
  /** 'to': this node opened it; 'from': the peer did. */
  direction: 'to' | 'from';
  /** The peer's node id. */
  node: string;
  /** When it was made, in Unix milliseconds. */
  createTime: number;
  /** 'r' and / or 'w': the events the link waits for. */
  events: string;
  /** Bytes allocated for its send buffer. */
  sendBufferAllocated: number;
  /** Bytes of its send buffer in use. */
  sendBufferUsed: number;
}

/** What {@link ClusterCommands.clusterBumpepoch} resolves with. */
export interface ClusterEpoch {
  /** Whether the node took a new config epoch (BUMPED) or kept its own, already unique (STILL). */
  bumped: boolean;
  /** Its config epoch now. */
  epoch: number;
}

export abstract class ClusterCommands<S = Buffer> extends Commands<S> {
  /** CLUSTER ADDSLOTS: assigns the slots to this node; resolves true. */
  clusterAddslots(slot: number, ...slots: number[]): Promise<boolean> {
    const bad = badSlots('clusterAddslots', [slot, ...slots]);
    if (bad !== undefined) return bad;
    return this.execute<string>('CLUSTER', 'ADDSLOTS', slot, ...slots).then(isOk);
  }

  /** CLUSTER ADDSLOTSRANGE (Redis 7): assigns the slot ranges (ends included) to this node; resolves true. */
  clusterAddslotsrange(range: SlotRange, ...ranges: SlotRange[]): Promise<boolean> {
    const args = rangeArgs('clusterAddslotsrange', [range, ...ranges]);
    if (!Array.isArray(args)) return args;
    return this.execute<string>('CLUSTER', 'ADDSLOTSRANGE', ...args).then(isOk);
  }

  /** CLUSTER BUMPEPOCH: gives this node a new config epoch unless its own is already unique. */
  clusterBumpepoch(): Promise<ClusterEpoch> {
    return this.execute<string>('CLUSTER', 'BUMPEPOCH').then(toEpoch);
  }

  /** CLUSTER COUNT-FAILURE-REPORTS: how many nodes currently report `nodeId` as failing. */
  clusterCountFailureReports(nodeId: Arg): Promise<number> {
    return this.execute('CLUSTER', 'COUNT-FAILURE-REPORTS', nodeId);
  }

  /** CLUSTER COUNTKEYSINSLOT: the number of keys in `slot` on this node. */
  clusterCountkeysinslot(slot: number): Promise<number> {
    const bad = badSlots('clusterCountkeysinslot', [slot]);
    if (bad !== undefined) return bad;
    return this.execute('CLUSTER', 'COUNTKEYSINSLOT', slot);
  }

  /** CLUSTER DELSLOTS: makes this node forget that it serves the slots; resolves true. */
  clusterDelslots(slot: number, ...slots: number[]): Promise<boolean> {
    const bad = badSlots('clusterDelslots', [slot, ...slots]);
    if (bad !== undefined) return bad;
    return this.execute<string>('CLUSTER', 'DELSLOTS', slot, ...slots).then(isOk);
  }

  /** CLUSTER DELSLOTSRANGE (Redis 7): {@link clusterDelslots} for slot ranges (ends included). */
  clusterDelslotsrange(range: SlotRange, ...ranges: SlotRange[]): Promise<boolean> {
    const args = rangeArgs('clusterDelslotsrange', [range, ...ranges]);
    if (!Array.isArray(args)) return args;
    return this.execute<string>('CLUSTER', 'DELSLOTSRANGE', ...args).then(isOk);
  }

  /**
   * CLUSTER FAILOVER, sent to a replica: it takes over from its master, with the master's
   * agreement; `'FORCE'` without it, `'TAKEOVER'` without the cluster's either. Resolves true once
   * started (the switch itself happens afterwards).
   */
  clusterFailover(mode?: 'FORCE' | 'TAKEOVER'): Promise<boolean> {
    if (mode === undefined) return this.execute<string>('CLUSTER', 'FAILOVER').then(isOk);
    if (mode !== 'FORCE' && mode !== 'TAKEOVER') {
      return invalid("clusterFailover() mode must be 'FORCE' or 'TAKEOVER'");
    }
    return this.execute<string>('CLUSTER', 'FAILOVER', mode).then(isOk);
  }

  /** CLUSTER FLUSHSLOTS: forgets every slot of this node (its database must be empty); resolves true. */
  clusterFlushslots(): Promise<boolean> {
    return this.execute<string>('CLUSTER', 'FLUSHSLOTS').then(isOk);
  }

  /** CLUSTER FORGET: removes `nodeId` from this node's table (and bans it for 60 s); resolves true. */
  clusterForget(nodeId: Arg): Promise<boolean> {
    return this.execute<string>('CLUSTER', 'FORGET', nodeId).then(isOk);
  }

  /** CLUSTER GETKEYSINSLOT: up to `count` keys of `slot` on this node. */
  clusterGetkeysinslot<O extends ReadOptions | undefined = undefined>(
    slot: number,
    count: number,
    options?: O,
  ): Promise<Array<Bulk<O, S>>> {
    const bad = badSlots('clusterGetkeysinslot', [slot]);
    if (bad !== undefined) return bad;
    if (!isInteger(count)) return invalid('clusterGetkeysinslot() count must be an integer');
    if (count < 0) return outOfRange('clusterGetkeysinslot() count must be ≥ 0');
    return this.read(options, 'CLUSTER', 'GETKEYSINSLOT', slot, count);
  }

  /** CLUSTER INFO: the node's view of the cluster, parsed (integers as numbers). */
  clusterInfo(): Promise<ClusterInfo> {
    return this.executeWith<string>({ encoding: 'utf8' }, 'CLUSTER', 'INFO').then(toClusterInfo);
  }

  /** CLUSTER KEYSLOT: the hash slot of `key` (of its `{hash tag}` if it has one). */
  clusterKeyslot(key: Arg): Promise<number> {
    return this.execute('CLUSTER', 'KEYSLOT', key);
  }

  /** CLUSTER LINKS (Redis 7): this node's cluster bus links, one per direction and peer. */
  clusterLinks(): Promise<ClusterLink[]> {
    return this.executeWith<PairsReply[]>({ encoding: 'utf8' }, 'CLUSTER', 'LINKS').then((links) =>
      links.map((link) => camelFields(link) as unknown as ClusterLink),
    );
  }

  /** CLUSTER MEET: joins the node at `host`:`port` (cluster bus at `busPort`, default port + 10000); resolves true. */
  clusterMeet(host: string, port: number, busPort?: number): Promise<boolean> {
    const ports = busPort === undefined ? [port] : [port, busPort];
    if (!ports.every(isInteger)) return invalid('clusterMeet() ports must be integers');
    if (!ports.every((n) => n >= 0 && n <= 65535)) {
      return outOfRange('clusterMeet() ports must be 0 to 65535');
    }
    return this.execute<string>('CLUSTER', 'MEET', host, ...ports).then(isOk);
  }

  /** CLUSTER MYID: this node's id. */
  clusterMyid(): Promise<string> {
    return this.executeWith({ encoding: 'utf8' }, 'CLUSTER', 'MYID');
  }

  /** CLUSTER MYSHARDID (Redis 7.2): the id of this node's shard. */
  clusterMyshardid(): Promise<string> {
    return this.executeWith({ encoding: 'utf8' }, 'CLUSTER', 'MYSHARDID');
  }

  /** CLUSTER NODES: every node this node knows, parsed, itself included (flag `myself`). */
  clusterNodes(): Promise<ClusterNode[]> {
    return this.executeWith<string>({ encoding: 'utf8' }, 'CLUSTER', 'NODES').then(toClusterNodes);
  }

  /** CLUSTER REPLICAS: the replicas of the master `nodeId`, parsed as by {@link clusterNodes}. */
  clusterReplicas(nodeId: Arg): Promise<ClusterNode[]> {
    return this.executeWith<string[]>({ encoding: 'utf8' }, 'CLUSTER', 'REPLICAS', nodeId).then(
      (lines) => lines.map(toClusterNode),
    );
  }

  /** CLUSTER REPLICATE: makes this node a replica of the master `nodeId`; resolves true. */
  clusterReplicate(nodeId: Arg): Promise<boolean> {
    return this.execute<string>('CLUSTER', 'REPLICATE', nodeId).then(isOk);
  }

  /**
   * CLUSTER RESET: makes this node forget the cluster (a replica becomes an empty master);
   * `'HARD'` also gives it a new id and zeroes its epochs. Default `'SOFT'`. Resolves true.
   */
  clusterReset(mode?: 'SOFT' | 'HARD'): Promise<boolean> {
    if (mode === undefined) return this.execute<string>('CLUSTER', 'RESET').then(isOk);
    if (mode !== 'SOFT' && mode !== 'HARD') {
      return invalid("clusterReset() mode must be 'SOFT' or 'HARD'");
    }
    return this.execute<string>('CLUSTER', 'RESET', mode).then(isOk);
  }

  /** CLUSTER SAVECONFIG: writes the node's cluster configuration (nodes.conf) to disk; resolves true. */
  clusterSaveconfig(): Promise<boolean> {
    return this.execute<string>('CLUSTER', 'SAVECONFIG').then(isOk);
  }

  /** CLUSTER SET-CONFIG-EPOCH: sets a new node's config epoch (an integer ≥ 0); resolves true. */
  clusterSetConfigEpoch(epoch: number): Promise<boolean> {
    if (!isInteger(epoch)) return invalid('clusterSetConfigEpoch() epoch must be an integer');
    if (epoch < 0) return outOfRange('clusterSetConfigEpoch() epoch must be ≥ 0');
    return this.execute<string>('CLUSTER', 'SET-CONFIG-EPOCH', epoch).then(isOk);
  }

  /**
   * CLUSTER SETSLOT: marks `slot` as moving to (`'MIGRATING'`) or from (`'IMPORTING'`) the node
   * `nodeId`, assigns it to that node (`'NODE'`), or clears the move (`'STABLE'`). Resolves true.
   */
  clusterSetslot(slot: number, state: 'STABLE'): Promise<boolean>;
  clusterSetslot(
    slot: number,
    state: 'IMPORTING' | 'MIGRATING' | 'NODE',
    nodeId: Arg,
  ): Promise<boolean>;
  clusterSetslot(
    slot: number,
    state: 'IMPORTING' | 'MIGRATING' | 'NODE' | 'STABLE',
    nodeId?: Arg,
  ): Promise<boolean> {
    const bad = badSlots('clusterSetslot', [slot]);
    if (bad !== undefined) return bad;
    if (state === 'STABLE') {
      if (nodeId !== undefined) return invalid('clusterSetslot() STABLE takes no node id');
      return this.execute<string>('CLUSTER', 'SETSLOT', slot, state).then(isOk);
    }
    if (state !== 'IMPORTING' && state !== 'MIGRATING' && state !== 'NODE') {
      return invalid("clusterSetslot() state must be 'IMPORTING', 'MIGRATING', 'NODE' or 'STABLE'");
    }
    if (nodeId === undefined) return invalid(`clusterSetslot() ${state} needs a node id`);
    return this.execute<string>('CLUSTER', 'SETSLOT', slot, state, nodeId).then(isOk);
  }

  /** CLUSTER SHARDS (Redis 7): the shards of the cluster, each with its slot ranges and nodes. */
  clusterShards(): Promise<ClusterShard[]> {
    return this.executeWith<PairsReply[]>({ encoding: 'utf8' }, 'CLUSTER', 'SHARDS').then(
      (shards) => shards.map(toShard),
    );
  }

  /**
   * CLUSTER SLOTS: which node serves each slot range, with its replicas. (Redis 7 prefers
   * {@link clusterShards}; this one works on every version.)
   */
  clusterSlots(): Promise<ClusterSlots[]> {
    return this.executeWith<SlotsReply[]>({ encoding: 'utf8' }, 'CLUSTER', 'SLOTS').then((ranges) =>
      ranges.map(toSlots),
    );
  }
}

/** A RESP2 `[k1, v1…]` array or a RESP3 map. */
type PairsReply = Reply[] | Map<Reply, Reply>;

/** A CLUSTER SLOTS entry: start, end, the master, then the replicas. */
type SlotsReply = [start: number, end: number, ...nodes: SlotNodeReply[]];
/** host, port, id and, since Redis 7, a map of more fields. */
type SlotNodeReply = [host: string, port: number, id: string, metadata?: PairsReply];

/** A rejection naming the first value that is not a slot (an integer 0 to 16383), if any. */
function badSlots(name: string, slots: unknown[]): Promise<never> | undefined {
  for (const slot of slots) {
    if (!isInteger(slot)) return invalid(`${name}() slots must be integers`);
    if (slot < 0 || slot >= SLOTS) return outOfRange(`${name}() slots must be 0 to ${SLOTS - 1}`);
  }
  return undefined;
}

/** The flat `start end…` arguments of slot ranges, or a rejection naming what is wrong. */
function rangeArgs(name: string, ranges: unknown[]): number[] | Promise<never> {
  const args: number[] = [];
  for (const range of ranges) {
    if (!Array.isArray(range) || range.length !== 2) {
      return invalid(`${name}() takes [start, end] slot ranges`);
    }
    const bad = badSlots(name, range);
    if (bad !== undefined) return bad;
    const [start, end] = range as SlotRange;
    if (start > end) return outOfRange(`${name}() range start must be ≤ end`);
    args.push(start, end);
  }
  return args;
}

function toEpoch(reply: string): ClusterEpoch {
  const [word, epoch] = reply.split(' ');
  return { bumped: word === 'BUMPED', epoch: Number(epoch) };
}

/** `field:value` lines as an object, integers as numbers. */
function toClusterInfo(text: string): ClusterInfo {
  const info: Record<string, string | number> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    const value = line.slice(colon + 1);
    info[line.slice(0, colon)] = /^-?\d+$/.test(value) ? Number(value) : value;
  }
  return info as ClusterInfo;
}

function toClusterNodes(text: string): ClusterNode[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(toClusterNode);
}

/**
 * One line of CLUSTER NODES: `id ip:port@busport[,hostname] flags master ping-sent pong-recv
 * config-epoch link-state slot…`, where a slot is `n`, `start-end`, `[n->-id]` (migrating) or
 * `[n-<-id]` (importing).
 */
function toClusterNode(line: string): ClusterNode {
  const [id = '', endpoint = '', flags = '', master = '-', ping = '0', pong = '0', ...rest] = line
    .trim()
    .split(' ');
  const [epoch = '0', linkState = 'connected', ...slotFields] = rest;
  const [address = '', hostname = ''] = endpoint.split(',');
  const at = address.indexOf('@');
  const hostPort = at === -1 ? address : address.slice(0, at);
  // The last colon: an IPv6 address has colons of its own.
  const colon = hostPort.lastIndexOf(':');
  const node: ClusterNode = {
    id,
    address: {
      host: hostPort.slice(0, colon),
      port: Number(hostPort.slice(colon + 1)),
      busPort: at === -1 ? 0 : Number(address.slice(at + 1)),
    },
    flags: flags.split(','),
    master: master === '-' ? null : master,
    pingSent: Number(ping),
    pongRecv: Number(pong),
    configEpoch: Number(epoch),
    linkState: linkState as ClusterNode['linkState'],
    slots: [],
    migrating: [],
    importing: [],
  };
  // Later servers may add `key=value` fields after the hostname: not a hostname.
  if (hostname !== '' && !hostname.includes('=')) node.hostname = hostname;
  for (const field of slotFields) {
    const moving = /^\[(\d+)-([<>])-(\w+)\]$/.exec(field);
    if (moving !== null) {
      const entry: [number, string] = [Number(moving[1]), moving[3] as string];
      (moving[2] === '>' ? node.migrating : node.importing).push(entry);
      continue;
    }
    const [start, end = start] = field.split('-');
    node.slots.push([Number(start), Number(end)]);
  }
  return node;
}

function toSlots([start, end, master, ...replicas]: SlotsReply): ClusterSlots {
  return {
    start,
    end,
    master: toSlotNode(master as SlotNodeReply),
    replicas: (replicas as SlotNodeReply[]).map(toSlotNode),
  };
}

function toSlotNode([host, port, id, metadata]: SlotNodeReply): ClusterSlotNode {
  const node: ClusterSlotNode = { host, port, id };
  const more = metadata === undefined ? {} : toObject<Reply>(metadata);
  if (typeof more.ip === 'string') node.ip = more.ip;
  if (typeof more.hostname === 'string') node.hostname = more.hostname;
  return node;
}

function toShard(shard: PairsReply): ClusterShard {
  const { slots = [], nodes = [] } = toObject<Reply>(shard) as {
    slots?: number[];
    nodes?: PairsReply[];
  };
  const ranges: SlotRange[] = [];
  for (let i = 0; i + 1 < slots.length; i += 2) {
    ranges.push([slots[i] as number, slots[i + 1] as number]);
  }
  return {
    slots: ranges,
    nodes: nodes.map((node) => camelFields(node) as unknown as ClusterShardNode),
  };
}

/** A RESP2 `[k1, v1…]` array or a RESP3 map as an object, `dashed-keys` in camelCase. */
function camelFields(reply: PairsReply): Record<string, Reply> {
  const fields: Record<string, Reply> = {};
  for (const [key, value] of Object.entries(toObject<Reply>(reply))) {
    fields[key.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase())] = value;
  }
  return fields;
}
