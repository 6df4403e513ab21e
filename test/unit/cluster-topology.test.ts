import { expect } from 'chai';
import fc from 'fast-check';
import {
  chooseTopology,
  type ClusterNode,
  type MapAddress,
  parseClusterShards,
  parseClusterSlots,
  type Shard,
  Topology,
} from '../../lib/cluster/topology';
import {
  ANSWERING,
  asBuffers,
  ID1,
  ID2,
  ID3,
  ID4,
  shardsReply,
  slotsReply,
} from './fixtures/cluster-replies';

const K1 = '127.0.0.1:17311';
const K2 = '127.0.0.1:17312';
const K3 = '127.0.0.1:17313';
const K4 = '127.0.0.1:17314';

/** A node for hand-built topologies. */
function node(port: number, role: ClusterNode['role'] = 'master', host = '10.0.0.1'): ClusterNode {
  return { id: `id-${host}-${port}`, host, port, key: `${host}:${port}`, role, health: 'online' };
}

/** A hand-built shard. */
function shard(port: number, slots: Array<[number, number]>, replicas: number[] = []): Shard {
  return { master: node(port), replicas: replicas.map((p) => node(p, 'replica')), slots };
}

/** The master key of every slot, run-length encoded: what routing depends on. */
function slotMap(topology: Topology): string[] {
  const runs: string[] = [];
  let last: string | undefined;
  let start = 0;
  for (let slot = 0; slot <= 16384; slot++) {
    const key = slot < 16384 ? (topology.masterOf(slot)?.key ?? 'none') : undefined;
    if (slot > 0 && key !== last) {
      runs.push(`${start}-${slot - 1} ${last}`);
      start = slot;
    }
    last = key;
  }
  return runs;
}

describe('parseClusterShards()', () => {
  it('reads a captured reply: shards, slots, roles, health and replication offsets', () => {
    const topology = parseClusterShards(shardsReply(), ANSWERING);
    expect(
      topology.shards.map((s) => [s.master.key, s.slots, s.replicas.map((r) => r.key)]),
    ).to.deep.equal([
      [K2, [[5461, 10922]], []],
      [K3, [[10923, 16383]], []],
      [K1, [[0, 5460]], [K4]],
    ]);
    expect(topology.covered).to.equal(16384);
    expect(topology.node(K1)).to.deep.equal({
      id: ID1,
      host: '127.0.0.1',
      port: 17311,
      key: K1,
      role: 'master',
      health: 'online',
      replicationOffset: 14,
    });
    expect(topology.node(K4)).to.include({ id: ID4, role: 'replica', replicationOffset: 14 });
    expect(topology.masterOf(12182)?.id).to.equal(ID3);
    expect(topology.masterOf(0)?.id).to.equal(ID1);
    expect(topology.masterOf(5461)?.id).to.equal(ID2);
  });

  it('reads Buffers exactly as strings', () => {
    const fromText = parseClusterShards(shardsReply(), ANSWERING);
    const fromBuffers = parseClusterShards(asBuffers(shardsReply()), ANSWERING);
    expect(fromBuffers.shards).to.deep.equal(fromText.shards);
  });

  it('reads numbers given as text or bigint', () => {
    const reply = shardsReply() as unknown[][];
    const first = reply[0] as unknown[];
    first[1] = ['5461', 10922n];
    const nodeFields = (first[3] as unknown[][])[0] as unknown[];
    nodeFields[3] = '17312';
    const topology = parseClusterShards(reply, ANSWERING);
    expect(topology.masterOf(5461)?.key).to.equal(K2);
    expect(topology.covered).to.equal(16384);
  });

  it('takes an empty or null endpoint (unknown-endpoint) as the answering host', () => {
    const answering = { host: 'seed.example', port: 17311 };
    const empty = parseClusterShards(shardsReply({ endpoint: () => '' }), answering);
    expect(empty.nodes().map((n) => n.key)).to.deep.equal([
      'seed.example:17312',
      'seed.example:17313',
      'seed.example:17311',
      'seed.example:17314',
    ]);
    const nul = parseClusterShards(shardsReply({ endpoint: () => null }), answering);
    expect(nul.sameAs(empty)).to.equal(true);
  });

  it('falls back to ip when there is no endpoint field', () => {
    const reply = [
      [
        'slots',
        [0, 16383],
        'nodes',
        [['id', 'x', 'port', 7000, 'ip', '10.1.1.1', 'role', 'master', 'health', 'online']],
      ],
    ];
    expect(parseClusterShards(reply, ANSWERING).masterOf(0)?.key).to.equal('10.1.1.1:7000');
  });

  it('leaves out "?" endpoints and leaves the slots of a shard without a usable master uncovered', () => {
    // cluster-preferred-endpoint-type hostname, where only 17311 announces one (as captured).
    const endpoint = (port: number) => (port === 17311 ? 'n1.test' : '?');
    const topology = parseClusterShards(shardsReply({ endpoint }), ANSWERING);
    expect(topology.shards.map((s) => s.master.key)).to.deep.equal(['n1.test:17311']);
    expect(topology.shards[0]?.replicas).to.deep.equal([]);
    expect(topology.covered).to.equal(5461);
    expect(topology.masterOf(12182)).to.equal(undefined);
    expect(topology.masterOf(5460)?.key).to.equal('n1.test:17311');
  });

  it("keeps a failed master (health 'fail' from 7.0, 'failed' from the docs) with its slots", () => {
    const topology = parseClusterShards(shardsReply({ fail3: true }), ANSWERING);
    expect(topology.masterOf(12182)).to.include({ key: K3, health: 'failed' });
    expect(topology.covered).to.equal(16384);
    const reply = [
      [
        'slots',
        [0, 1],
        'nodes',
        [
          ['id', 'm', 'port', 1, 'endpoint', 'h', 'role', 'master', 'health', 'failed'],
          ['id', 'r', 'port', 2, 'endpoint', 'h', 'role', 'replica', 'health', 'failed'],
        ],
      ],
    ];
    const allFailed = parseClusterShards(reply, ANSWERING);
    expect(allFailed.shards[0]?.master.health).to.equal('failed');
    expect(allFailed.shards[0]?.replicas.map((r) => r.health)).to.deep.equal(['failed']);
  });

  it('leaves out a failed master without slots (a crashed master whose replica took over)', () => {
    const reply = [
      [
        'slots',
        [0, 16383],
        'nodes',
        [['id', 'new', 'port', 2, 'endpoint', 'h', 'role', 'master', 'health', 'online']],
      ],
      [
        'slots',
        [],
        'nodes',
        [['id', 'old', 'port', 1, 'endpoint', 'h', 'role', 'master', 'health', 'fail']],
      ],
      [
        'slots',
        [],
        'nodes',
        [['id', 'empty', 'port', 3, 'endpoint', 'h', 'role', 'master', 'health', 'online']],
      ],
    ];
    const topology = parseClusterShards(reply, ANSWERING);
    expect(topology.nodes('master').map((n) => n.id)).to.deep.equal(['new', 'empty']);
    expect(topology.node('h:1')).to.equal(undefined);
  });

  it('reads loading nodes and lists a shard without slots', () => {
    const reply = [
      [
        'slots',
        [0, 16383],
        'nodes',
        [['id', 'a', 'port', 1, 'endpoint', 'h', 'role', 'master', 'health', 'online']],
      ],
      [
        'slots',
        [],
        'nodes',
        [['id', 'b', 'port', 2, 'endpoint', 'h', 'role', 'master', 'health', 'loading']],
      ],
    ];
    const topology = parseClusterShards(reply, ANSWERING);
    expect(topology.shards.map((s) => [s.master.key, s.master.health, s.slots])).to.deep.equal([
      ['h:1', 'online', [[0, 16383]]],
      ['h:2', 'loading', []],
    ]);
    expect(topology.nodes('master')).to.have.length(2);
  });

  it('uses tls-port when a TLS-only node announces port 0', () => {
    const reply = [
      [
        'slots',
        [0, 1],
        'nodes',
        [
          [
            'id',
            'a',
            'port',
            0,
            'tls-port',
            6380,
            'endpoint',
            'h',
            'role',
            'master',
            'health',
            'online',
          ],
        ],
      ],
    ];
    expect(parseClusterShards(reply, ANSWERING).masterOf(0)?.port).to.equal(6380);
  });

  it('reads RESP3 maps', () => {
    const nodeMap = new Map<unknown, unknown>([
      ['id', 'a'],
      ['port', 7000],
      ['endpoint', 'h'],
      ['role', 'master'],
      ['health', 'online'],
    ]);
    const reply = [
      new Map<unknown, unknown>([
        ['slots', [0, 100]],
        ['nodes', [nodeMap]],
      ]),
    ];
    expect(parseClusterShards(reply, ANSWERING).masterOf(100)?.key).to.equal('h:7000');
  });

  it('applies the address map to every node and keys nodes by the mapped address', () => {
    const calls: string[] = [];
    const map: MapAddress = (host, port) => {
      calls.push(`${host}:${port}`);
      return { host: 'public.example', port: port + 1000 };
    };
    const topology = parseClusterShards(shardsReply(), ANSWERING, map);
    expect(calls).to.have.members([K1, K2, K3, K4]);
    expect(topology.node('public.example:18314')).to.include({
      id: ID4,
      host: 'public.example',
      port: 18314,
    });
    expect(topology.node(K4)).to.equal(undefined);
  });

  it('rejects an address map result that is not an address with a TypeError', () => {
    for (const result of [
      undefined,
      null,
      {},
      { host: '', port: 1 },
      { host: 'h', port: 0 },
      { host: 'h', port: '1' },
    ]) {
      const map = (() => result) as unknown as MapAddress;
      expect(() => parseClusterShards(shardsReply(), ANSWERING, map)).to.throw(
        TypeError,
        /address map/,
      );
    }
  });

  it('rejects a bad answering address or map with a TypeError', () => {
    expect(() => parseClusterShards([], { host: '', port: 1 })).to.throw(TypeError);
    expect(() => parseClusterShards([], { host: 'h', port: 0 })).to.throw(TypeError);
    expect(() => parseClusterSlots([], ANSWERING, 'x' as unknown as MapAddress)).to.throw(
      TypeError,
    );
  });

  it('skips malformed entries and keeps the good ones', () => {
    const good: unknown[] = [
      'id',
      'g',
      'port',
      7000,
      'endpoint',
      'h',
      'role',
      'master',
      'health',
      'online',
    ];
    const withField = (name: string, value: unknown) => {
      const copy = [...good];
      copy[copy.indexOf(name) + 1] = value;
      return copy;
    };
    const reply = [
      null,
      42,
      'slots',
      ['slots', [0, 1], 'nodes'], // odd length
      ['slots', [2, 3], 'nodes', 'not an array'],
      ['slots', [4, 5], 'nodes', [withField('id', '')]],
      ['slots', [6, 7], 'nodes', [withField('port', 70000)]],
      ['slots', [8, 9], 'nodes', [withField('port', -1)]],
      ['slots', [10, 11], 'nodes', [withField('role', 'boss')]],
      ['slots', [12, 13], 'nodes', [withField('health', 'sick')]],
      ['slots', [14, 15], 'nodes', [withField('endpoint', 'bad host')]],
      ['slots', [16, 17], 'nodes', [withField('endpoint', 42)]],
      ['slots', [16383, 16384, 5, 4, -1, 3, 1.5, 2, 'x', 9, 100, 200, 300], 'nodes', [good]],
      ['slots', [300, 400], 'nodes', [withField('role', 'replica')]], // no master
      ['slots', [500, 600], 'nodes', [good]], // the same id again
    ];
    const topology = parseClusterShards(reply, ANSWERING);
    expect(topology.shards).to.have.length(1);
    expect(topology.shards[0]?.slots).to.deep.equal([[100, 200]]);
    expect(topology.covered).to.equal(101);
  });

  it('never throws on arbitrary nested arrays, and what it returns is consistent', () => {
    const leaf = fc.oneof(
      fc.constantFrom(
        'slots',
        'nodes',
        'id',
        'port',
        'ip',
        'endpoint',
        'role',
        'health',
        'master',
        'replica',
        'online',
        'fail',
        '?',
        '',
        '__proto__',
        'constructor',
        'tls-port',
        'replication-offset',
        'h',
      ),
      fc.integer({ min: -2, max: 17000 }),
      fc.string({ maxLength: 6 }),
      fc.constantFrom(null, undefined, 1.5, NaN, 2n ** 70n, Buffer.from('id'), {}),
    );
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.array(tie('tree'), { maxLength: 12 }),
      ),
    }));
    fc.assert(
      fc.property(tree, (reply) => {
        for (const parse of [parseClusterShards, parseClusterSlots]) {
          const topology = parse(reply, ANSWERING);
          expectConsistent(topology);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('never throws when any part of a captured reply is replaced', () => {
    const paths = leafPaths(shardsReply());
    const junk = fc.oneof(
      fc.anything(),
      fc.constantFrom('?', '', '__proto__', -1, 16384, 65536, null),
    );
    fc.assert(
      fc.property(fc.constantFrom(...paths), junk, (path, value) => {
        const reply = shardsReply();
        setAt(reply, path, value);
        expectConsistent(parseClusterShards(reply, ANSWERING));
      }),
      { numRuns: 1500 },
    );
  });

  it('leaves Object and Array prototypes untouched by __proto__ field names', () => {
    const objectKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    const arrayKeys = Object.getOwnPropertyNames(Array.prototype).sort();
    const evil = [
      '__proto__',
      { polluted: true },
      'constructor',
      { prototype: { polluted: true } },
    ];
    const reply = [
      [
        ...evil,
        'slots',
        [0, 1],
        'nodes',
        [
          [
            ...evil,
            'id',
            '__proto__',
            'port',
            1,
            'endpoint',
            '__proto__',
            'role',
            'master',
            'health',
            'online',
          ],
        ],
      ],
    ];
    const topology = parseClusterShards(reply, ANSWERING);
    parseClusterSlots([[0, 1, ['__proto__', 1, '__proto__', ['__proto__', 'x']]]], ANSWERING);
    expect(topology.masterOf(0)).to.include({ id: '__proto__', key: '__proto__:1' });
    expect(topology.node('__proto__:1')?.id).to.equal('__proto__');
    expect(topology.node('constructor')).to.equal(undefined);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).to.deep.equal(objectKeys);
    expect(Object.getOwnPropertyNames(Array.prototype).sort()).to.deep.equal(arrayKeys);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });
});

describe('parseClusterSlots()', () => {
  it('gives the same slot map and node set as CLUSTER SHARDS for the captured cluster', () => {
    const slots = parseClusterSlots(slotsReply(), ANSWERING);
    const shards = parseClusterShards(shardsReply(), ANSWERING);
    expect(slots.sameAs(shards)).to.equal(true);
    expect(slotMap(slots)).to.deep.equal(slotMap(shards));
    expect(slots.nodes().map((n) => [n.key, n.id, n.role, n.health])).to.deep.equal([
      [K1, ID1, 'master', 'online'],
      [K4, ID4, 'replica', 'online'],
      [K2, ID2, 'master', 'online'],
      [K3, ID3, 'master', 'online'],
    ]);
  });

  it('groups the ranges of one master into one shard, replicas once', () => {
    const reply = [
      [0, 99, ['h', 1, 'A'], ['h', 2, 'R']],
      [100, 199, ['h', 3, 'B']],
      [200, 16383, ['h', 1, 'A'], ['h', 2, 'R']],
    ];
    const topology = parseClusterSlots(reply, ANSWERING);
    expect(
      topology.shards.map((s) => [s.master.id, s.slots, s.replicas.map((r) => r.id)]),
    ).to.deep.equal([
      [
        'A',
        [
          [0, 99],
          [200, 16383],
        ],
        ['R'],
      ],
      ['B', [[100, 199]], []],
    ]);
  });

  it('takes a null or empty host as the answering host and leaves "?" ranges uncovered', () => {
    const answering = { host: 'seed.example', port: 17311 };
    const nul = parseClusterSlots(slotsReply({ host: () => null }), answering);
    expect(nul.masterOf(0)?.key).to.equal('seed.example:17311');
    expect(nul.node('seed.example:17314')?.role).to.equal('replica');
    expect(parseClusterSlots(slotsReply({ host: () => '' }), answering).sameAs(nul)).to.equal(true);
    const unknown = parseClusterSlots(
      slotsReply({ host: (p) => (p === 17311 ? 'n1.test' : '?') }),
      answering,
    );
    expect(unknown.covered).to.equal(5461);
    expect(unknown.nodes().map((n) => n.key)).to.deep.equal(['n1.test:17311']);
  });

  it('applies the address map', () => {
    const topology = parseClusterSlots(slotsReply(), ANSWERING, (host, port) => ({
      host: `nat-${host}`,
      port,
    }));
    expect(topology.masterOf(12182)?.key).to.equal('nat-127.0.0.1:17313');
  });

  it('uses the address as id when a (pre-4.0) reply has none, and skips malformed ranges', () => {
    const reply = [
      [0, 10, ['h', 1]],
      [11, 5, ['h', 2]],
      [20, 30, ['h', 0, 'x']],
      [40, 50],
      [60, 70, 'h:1'],
      [16000, 17000, ['h', 3, 'y']],
    ];
    const topology = parseClusterSlots(reply, ANSWERING);
    expect(topology.shards.map((s) => [s.master.id, s.slots])).to.deep.equal([['h:1', [[0, 10]]]]);
  });
});

describe('Topology', () => {
  const three = () =>
    new Topology([
      shard(1, [[0, 5460]], [4]),
      shard(2, [[5461, 10922]]),
      shard(3, [[10923, 16383]]),
    ]);

  it('maps every slot to its shard, and uncovered slots to undefined', () => {
    const topology = new Topology([
      shard(1, [
        [0, 9],
        [20, 29],
      ]),
      shard(2, [[10, 10]]),
    ]);
    expect(topology.shardOf(0)?.master.port).to.equal(1);
    expect(topology.shardOf(29)?.master.port).to.equal(1);
    expect(topology.masterOf(10)?.port).to.equal(2);
    expect(topology.masterOf(11)).to.equal(undefined);
    expect(topology.masterOf(16383)).to.equal(undefined);
    expect(topology.covered).to.equal(21);
  });

  it('throws a RangeError for a slot that is not an integer from 0 to 16383', () => {
    const topology = three();
    for (const slot of [-1, 16384, 1.5, NaN, Infinity, '1' as unknown as number]) {
      expect(() => topology.shardOf(slot), String(slot)).to.throw(RangeError);
      expect(() => topology.masterOf(slot), String(slot)).to.throw(RangeError);
    }
  });

  it('gives a slot claimed twice to the first shard and merges adjacent ranges', () => {
    const topology = new Topology([
      shard(1, [
        [0, 9],
        [10, 19],
      ]),
      shard(2, [[5, 30]]),
    ]);
    expect(topology.shards.map((s) => s.slots)).to.deep.equal([[[0, 19]], [[20, 30]]]);
    expect(topology.masterOf(5)?.port).to.equal(1);
  });

  it('lists nodes by role, once per address, and finds them by key', () => {
    const topology = three();
    expect(topology.nodes().map((n) => n.port)).to.deep.equal([1, 4, 2, 3]);
    expect(topology.nodes('master').map((n) => n.port)).to.deep.equal([1, 2, 3]);
    expect(topology.nodes('replica').map((n) => n.port)).to.deep.equal([4]);
    expect(topology.node('10.0.0.1:4')?.role).to.equal('replica');
    expect(topology.node('10.0.0.1:5')).to.equal(undefined);
    expect(() => topology.nodes('primary' as never)).to.throw(TypeError);
  });

  it('prefers the entry that is not failed when two nodes share an address', () => {
    const stale: ClusterNode = { ...node(1), id: 'old', health: 'failed' };
    const fresh: ClusterNode = { ...node(1), id: 'new' };
    const topology = new Topology([
      { master: stale, replicas: [], slots: [[0, 1]] },
      { master: fresh, replicas: [], slots: [] },
    ]);
    expect(topology.node('10.0.0.1:1')?.id).to.equal('new');
    expect(topology.nodes()).to.have.length(1);
  });

  it('is immutable', () => {
    const topology = three();
    expect(Object.isFrozen(topology.shards)).to.equal(true);
    const first = topology.shards[0] as Shard;
    for (const part of [
      first,
      first.master,
      first.replicas,
      first.slots,
      first.slots[0],
      topology.nodes(),
      topology.nodes('master'),
    ]) {
      expect(Object.isFrozen(part)).to.equal(true);
    }
    const input = [shard(1, [[0, 9]])];
    const built = new Topology(input);
    (input[0]?.slots as Array<[number, number]>).push([10, 20]);
    expect(built.covered).to.equal(10);
  });

  it('recomputes each key from the address', () => {
    const topology = new Topology([
      { master: { ...node(1), key: 'wrong' }, replicas: [], slots: [] },
    ]);
    expect(topology.shards[0]?.master.key).to.equal('10.0.0.1:1');
  });

  it('rejects malformed shards with a TypeError or RangeError', () => {
    const bad: unknown[] = [
      [{ master: node(1), replicas: [], slots: [[0, 16384]] }],
      [{ master: node(1), replicas: [], slots: [[5, 4]] }],
      [{ master: node(1), replicas: [], slots: [[1.5, 4]] }],
      [{ master: node(1), replicas: [], slots: [[1, 2, 3]] }],
    ];
    for (const shards of bad) expect(() => new Topology(shards as Shard[])).to.throw(RangeError);
    const badType: unknown[] = [
      'x',
      [null],
      [{ master: node(1), replicas: [], slots: 'all' }],
      [{ master: node(1, 'replica'), replicas: [], slots: [] }],
      [{ master: { ...node(1), port: 0 }, replicas: [], slots: [] }],
      [{ master: { ...node(1), health: 'ok' }, replicas: [], slots: [] }],
      [{ master: node(1), replicas: [node(2)], slots: [] }],
      [{ master: { ...node(1), replicationOffset: -1 }, replicas: [], slots: [] }],
    ];
    for (const shards of badType) expect(() => new Topology(shards as Shard[])).to.throw(TypeError);
  });

  describe('#sameAs()', () => {
    it('is true for the same routing, whatever the health, ids or shard order', () => {
      const a = three();
      const shards = [...a.shards]
        .reverse()
        .map((s) => ({ ...s, master: { ...s.master, id: 'other', health: 'failed' as const } }));
      expect(a.sameAs(new Topology(shards))).to.equal(true);
      expect(a.sameAs(a)).to.equal(true);
    });

    it('is false when a slot moves, a slot is uncovered, a node is added or a role changes', () => {
      const a = three();
      const moved = new Topology([
        shard(1, [[0, 5459]], [4]),
        shard(2, [[5460, 10922]]),
        shard(3, [[10923, 16383]]),
      ]);
      const hole = new Topology([
        shard(1, [[0, 5459]], [4]),
        shard(2, [[5461, 10922]]),
        shard(3, [[10923, 16383]]),
      ]);
      const added = new Topology([
        shard(1, [[0, 5460]], [4, 5]),
        shard(2, [[5461, 10922]]),
        shard(3, [[10923, 16383]]),
      ]);
      const swapped = new Topology([
        { master: node(4), replicas: [node(1, 'replica')], slots: [[0, 5460]] },
        shard(2, [[5461, 10922]]),
        shard(3, [[10923, 16383]]),
      ]);
      for (const other of [moved, hole, added, swapped]) {
        expect(a.sameAs(other)).to.equal(false);
        expect(other.sameAs(a)).to.equal(false);
      }
    });
  });

  it('#describe() gives one line per shard and counts uncovered slots', () => {
    const topology = new Topology([
      shard(
        1,
        [
          [0, 9],
          [11, 11],
        ],
        [4],
      ),
      shard(2, []),
    ]);
    expect(topology.describe().split('\n')).to.deep.equal([
      '10.0.0.1:1 (master id-10.0. online) slots 0-9,11 replicas 10.0.0.1:4 (replica id-10.0. online)',
      '10.0.0.1:2 (master id-10.0. online) slots none replicas none',
      '16373 slots uncovered',
    ]);
  });
});

describe('chooseTopology()', () => {
  const full = (port: number) => new Topology([shard(port, [[0, 16383]])]);
  const partial = new Topology([shard(9, [[0, 100]])]);

  it('returns undefined for no views', () => {
    expect(chooseTopology([])).to.equal(undefined);
  });

  it('prefers the view that covers the most slots, even over the preferred node', () => {
    const best = full(1);
    expect(
      chooseTopology(
        [
          { topology: partial, from: 'a' },
          { topology: best, from: 'b' },
        ],
        'a',
      ),
    ).to.equal(best);
  });

  it('among equal coverage prefers the view from `prefer`', () => {
    const [a, b, c] = [full(1), full(1), full(2)];
    const views = [
      { topology: a, from: 'a' },
      { topology: b, from: 'b' },
      { topology: c, from: 'c' },
    ];
    expect(chooseTopology(views, 'c')).to.equal(c);
  });

  it('then the view most others agree with, then the first', () => {
    const [a, b, c] = [full(2), full(1), full(1)];
    const views = [
      { topology: a, from: 'a' },
      { topology: b, from: 'b' },
      { topology: c, from: 'c' },
    ];
    expect(chooseTopology(views, 'nobody')).to.equal(b);
    const [d, e] = [full(3), full(4)];
    expect(
      chooseTopology([
        { topology: d, from: 'd' },
        { topology: e, from: 'e' },
      ]),
    ).to.equal(d);
  });
});

/** Invariants every parsed topology keeps, whatever the reply. */
function expectConsistent(topology: Topology): void {
  expect(topology).to.be.instanceOf(Topology);
  let covered = 0;
  for (const s of topology.shards) {
    expect(s.master.role).to.equal('master');
    for (const n of [s.master, ...s.replicas]) {
      expect(n.key).to.equal(`${n.host}:${n.port}`);
      expect(n.host).to.not.equal('');
      expect(n.port >= 1 && n.port <= 65535).to.equal(true);
    }
    for (const [start, end] of s.slots) {
      covered += end - start + 1;
      expect(topology.shardOf(start)).to.equal(s);
      expect(topology.shardOf(end)).to.equal(s);
    }
  }
  expect(topology.covered).to.equal(covered);
}

type Path = number[];

/** The index path of every non-array value of a nested array. */
function leafPaths(value: unknown, path: Path = []): Path[] {
  if (!Array.isArray(value)) return [path];
  return [path, ...value.flatMap((item, i) => leafPaths(item, [...path, i]))];
}

function setAt(root: unknown[], path: Path, value: unknown): void {
  if (path.length === 0) return;
  let parent: unknown = root;
  for (const i of path.slice(0, -1)) parent = (parent as unknown[])[i];
  (parent as unknown[])[path[path.length - 1] as number] = value;
}
