/**
 * Loading the slot map: CLUSTER SHARDS (Redis 7.0+, falling back to CLUSTER SLOTS) asked of a few
 * nodes over their existing pools, the views compared (full coverage first, then the node that
 * sent a MOVED, then the majority), and one new immutable {@link Topology} handed on. Reloads are
 * single-flight and rate-limited with jitter, whatever asks for them: MOVED, CLUSTERDOWN, a lost
 * node, an unsolicited `sunsubscribe`, or the timer.
 *
 * @module
 */
import createDebug from 'debug';
import { ReplyError } from '../errors';
import { ClusterConnectError } from './cluster-errors';
import { type NodePools, nodeKey } from './nodes';
import type { ClusterConfig, NodeAddress } from './options';
import {
  chooseTopology,
  type MapAddress,
  parseClusterShards,
  parseClusterSlots,
  type Topology,
} from './topology';

const debug = createDebug('redmux:cluster');

/** How many nodes one reload asks at once (then every other known node, if none answered). */
const ASK_AT_ONCE = 3;
/** The longest the gap between asked-for reloads grows while they find the same map, ms. */
const UNCHANGED_GAP_CAP = 1000;

/** Loads and reloads the topology; `current` is always the last one accepted. */
export class TopologyLoader {
  readonly #config: ClusterConfig;
  readonly #pools: NodePools;
  readonly #seeds: readonly NodeAddress[];
  readonly #accept: (topology: Topology) => void;
  #current: Topology | undefined;
  /** The reload in progress, which every caller shares. */
  #loading: Promise<Topology> | undefined;
  /** A reload asked for while one runs or within minGap: runs once, later. */
  #scheduled: ReturnType<typeof setTimeout> | undefined;
  #prefer: string | undefined;
  #lastLoad = 0;
  /** Reloads in a row that found the map already in use: each doubles the next gap (see #gap). */
  #unchanged = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  /** The nodes answered "unknown subcommand" to CLUSTER SHARDS (Redis < 7): ask CLUSTER SLOTS. */
  #slotsOnly = false;
  #closed = false;
  /** How many reloads ran (tests and stats). */
  loads = 0;

  constructor(
    config: ClusterConfig,
    pools: NodePools,
    seeds: readonly NodeAddress[],
    accept: (topology: Topology) => void,
  ) {
    this.#config = config;
    this.#pools = pools;
    this.#seeds = seeds;
    this.#accept = accept;
  }

  /** The last topology accepted; undefined before the first load. */
  get current(): Topology | undefined {
    return this.#current;
  }

  /** Starts the periodic reload (when `refresh.interval` > 0). */
  startTimer(): void {
    const interval = this.#config.refreshInterval;
    if (interval === 0 || this.#timer !== undefined) return;
    this.#timer = setInterval(
      () => this.#request('timer', undefined, this.#config.refreshMinGap),
      interval,
    );
    this.#timer.unref();
  }

  /**
   * Reloads now, or joins the reload in progress; resolves with the topology it accepted. Rejects
   * with ClusterConnectError (every node's error) when no node answered.
   */
  load(prefer?: string): Promise<Topology> {
    if (prefer !== undefined) this.#prefer = prefer;
    this.#loading ??= this.#load().finally(() => {
      this.#loading = undefined;
      this.#lastLoad = performance.now();
    });
    return this.#loading;
  }

  /**
   * Asks for a reload for `reason`, coalesced with any other: at most one runs at a time, and
   * not sooner than `refresh.minGap` (plus up to half of it as jitter) after the last one; while
   * reloads keep finding the same map (a dead master not yet failed over), that gap doubles up to
   * 1 s. `prefer`: the node to believe first (a MOVED sender). Failures are logged, not thrown.
   */
  request(reason: string, prefer?: string): void {
    this.#request(reason, prefer, this.#gap());
  }

  /**
   * The gap before an asked-for reload: minGap, doubled for each reload in a row that changed
   * nothing, up to UNCHANGED_GAP_CAP (or minGap when that is longer). Every failed command of a
   * dead shard asks for one; without this they would reload at the full minGap rate for the
   * whole outage (ioredis #203).
   */
  #gap(): number {
    const base = this.#config.refreshMinGap;
    if (this.#unchanged === 0 || base >= UNCHANGED_GAP_CAP) return base;
    // The exponent is bounded so that a long quiet run cannot make it Infinity (0 × ∞ is NaN).
    return Math.min(base * 2 ** Math.min(this.#unchanged, 10), UNCHANGED_GAP_CAP);
  }

  #request(reason: string, prefer: string | undefined, gap: number): void {
    if (this.#closed) return;
    if (prefer !== undefined) this.#prefer = prefer;
    if (this.#scheduled !== undefined) return;
    const wait = Math.max(0, this.#lastLoad + gap - performance.now());
    const delay = wait === 0 && this.#loading === undefined ? 0 : wait + Math.random() * gap * 0.5;
    debug('reload asked (%s), in %d ms', reason, Math.round(delay));
    this.#scheduled = setTimeout(() => {
      this.#scheduled = undefined;
      const run = (): void => {
        this.load().catch((err: Error) => debug('reload failed: %s', err.message));
      };
      if (this.#loading === undefined) run();
      else void this.#loading.finally(run).catch(() => undefined);
    }, delay);
    this.#scheduled.unref?.();
  }

  /** Stops the timer and any scheduled reload. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    if (this.#scheduled !== undefined) clearTimeout(this.#scheduled);
    this.#timer = undefined;
    this.#scheduled = undefined;
  }

  async #load(): Promise<Topology> {
    this.loads++;
    const prefer = this.#prefer;
    this.#prefer = undefined;
    const candidates = this.#candidates(prefer);
    const errors: Array<{ address: string; error: Error }> = [];
    const views: Array<{ topology: Topology; from: string }> = [];
    for (let start = 0; start < candidates.length && views.length === 0;) {
      // The first round asks a few nodes; if none answered, the next asks every other one.
      const end = start === 0 ? ASK_AT_ONCE : candidates.length;
      const batch = candidates.slice(start, end);
      start = end;
      await Promise.all(
        batch.map(async (address) => {
          const from = nodeKey(address.host, address.port);
          try {
            views.push({ topology: await this.#ask(address), from });
          } catch (err) {
            errors.push({ address: from, error: err as Error });
          }
        }),
      );
    }
    if (this.#closed) throw new ClusterConnectError(errors);
    const chosen = chooseTopology(views, prefer);
    if (chosen === undefined) throw new ClusterConnectError(errors);
    debug('topology from %d node(s): %s', views.length, chosen.describe());
    this.#unchanged = this.#current?.sameAs(chosen) === true ? this.#unchanged + 1 : 0;
    this.#current = chosen;
    this.#accept(chosen);
    return chosen;
  }

  /** Who to ask: the preferred node, then the known masters and replicas (shuffled), then the seeds. */
  #candidates(prefer: string | undefined): NodeAddress[] {
    const seen = new Set<string>();
    const out: NodeAddress[] = [];
    const add = (address: NodeAddress): void => {
      const key = nodeKey(address.host, address.port);
      if (seen.has(key)) return;
      seen.add(key);
      out.push(address);
    };
    if (prefer !== undefined) {
      const colon = prefer.lastIndexOf(':');
      add({ host: prefer.slice(0, colon), port: Number(prefer.slice(colon + 1)) });
    }
    const known = this.#current?.nodes().filter((node) => node.health !== 'failed') ?? [];
    for (const node of shuffle([...known])) add(node);
    for (const seed of this.#seeds) add(seed);
    return out;
  }

  /** One node's view, over its pool (opened if it has none yet). */
  async #ask(address: NodeAddress): Promise<Topology> {
    const pool = this.#pools.get(address);
    const options = { timeout: this.#config.refreshTimeout, encoding: 'utf8' as const };
    const map: MapAddress = this.#config.mapAddress;
    if (!this.#slotsOnly) {
      try {
        const reply = await pool.executeWith(options, 'CLUSTER', 'SHARDS');
        return parseClusterShards(reply, address, map);
      } catch (err) {
        if (
          !(err instanceof ReplyError) ||
          !/unknown subcommand|unknown command/i.test(err.message)
        ) {
          throw err;
        }
        this.#slotsOnly = true;
      }
    }
    const reply = await pool.executeWith(options, 'CLUSTER', 'SLOTS');
    return parseClusterSlots(reply, address, map);
  }
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
