// The slot migration of the test cluster (cluster.ts): IMPORTING/MIGRATING are set by
// TestCluster.startMigration; this moves the keys and hands the slot over.
import type { Migration, TestCluster, TestClusterNode } from './cluster';

const MIGRATE_TIMEOUT_MS = 5000;
const KEYS_PER_BATCH = 100;

/** A begun migration of `slot` from `source` to `target`; see {@link Migration}. */
export class SlotMigration implements Migration {
  readonly #cluster: TestCluster;

  constructor(
    cluster: TestCluster,
    readonly slot: number,
    readonly source: TestClusterNode,
    readonly target: TestClusterNode,
  ) {
    this.#cluster = cluster;
  }
  async moveKeys(keys?: string[]): Promise<number> {
    if (keys === undefined) return this.#drain();
    if (!Array.isArray(keys) || keys.some((key) => typeof key !== 'string')) {
      throw new TypeError('keys must be an array of strings');
    }
    const cluster = this.#cluster;
    const slots = await Promise.all(
      keys.map((key) => cluster.command(this.source, 'CLUSTER', 'KEYSLOT', key)),
    );
    const stray = keys.find((_, i) => Number(slots[i]) !== this.slot);
    if (stray !== undefined) throw new RangeError(`key ${stray} is not in slot ${this.slot}`);
    // One MIGRATE per key, so that each reply (OK or NOKEY) says whether that key moved.
    const replies = await Promise.all([...new Set(keys)].map((key) => this.#migrate([key])));
    return replies.filter((reply) => reply === 'OK').length;
  }

  async finish(): Promise<void> {
    const cluster = this.#cluster;
    const { slot, source, target } = this;
    // Drain first: a source told NODE while it still holds keys of the slot refuses at first, but
    // once the target's gossip claims the slot it gives in and deletes them.
    await this.#drain();
    await cluster.command(target, 'CLUSTER', 'SETSLOT', slot, 'NODE', target.id);
    for (let attempt = 1; ; attempt++) {
      try {
        await cluster.command(source, 'CLUSTER', 'SETSLOT', slot, 'NODE', target.id);
        break;
      } catch (err) {
        // A key written before the MIGRATING state reached the source: move it too, then retry.
        if (!/still hold keys/.test(String(err)) || attempt >= 3) throw err;
        await this.#drain();
      }
    }
    const others = (await cluster.masters()).filter((node) => node !== source && node !== target);
    await Promise.all(
      others.map((node) => cluster.command(node, 'CLUSTER', 'SETSLOT', slot, 'NODE', target.id)),
    );
    await cluster.waitStable();
    const owner = await cluster.ownerOf(slot);
    if (owner !== target) {
      throw new Error(`slot ${slot} settled on :${owner.port}, not on the target :${target.port}`);
    }
  }

  /** Migrates every key the source holds in the slot, a batch at a time; returns the count. */
  async #drain(): Promise<number> {
    let moved = 0;
    for (;;) {
      const keys = (await this.#cluster.command(
        this.source,
        'CLUSTER',
        'GETKEYSINSLOT',
        this.slot,
        KEYS_PER_BATCH,
      )) as string[];
      if (keys.length === 0) return moved;
      if ((await this.#migrate(keys)) === 'OK') moved += keys.length;
    }
  }

  #migrate(keys: string[]): Promise<unknown> {
    const { source, target } = this;
    // prettier-ignore
    return this.#cluster.command(source, 'MIGRATE', target.host, target.port, '', 0,
      MIGRATE_TIMEOUT_MS, 'KEYS', ...keys);
  }
}
