// Redirect payloads a real server never sends, from a fake cluster node: a malformed MOVED or ASK
// is a ProtocolError for that command, never a crash, a prototype change or a lost client, and a
// MOVED loop ends in TooManyRedirectionsError with its hops.
import { expect } from 'chai';
import fc from 'fast-check';
import type * as net from 'node:net';
import {
  ClusterDownError,
  createCluster,
  hashSlot,
  NoNodeForSlotError,
  ProtocolError,
  type RedisCluster,
  ReplyError,
  TooManyRedirectionsError,
} from '../../lib';
import { Reader } from '../../lib/protocol/reader';
import { type FakeServer, startFakeServer } from '../helpers/fake-server';
import { serialize } from '../helpers/resp';
import { rejectionOf } from '../helpers/util';

/** A fake node owning every slot; GET answers with what `answer` says (an error line's text). */
async function fakeNode(answer: () => string, lastSlot = 16383): Promise<FakeServer> {
  const readers = new WeakMap<net.Socket, Reader>();
  const fake: FakeServer = await startFakeServer((socket, data) => {
    let reader = readers.get(socket);
    if (reader === undefined) readers.set(socket, (reader = new Reader()));
    reader.feed(data);
    for (let command = reader.gets(); command !== false; command = reader.gets()) {
      const [name, sub] = (command as Buffer[]).map((part) => part.toString().toUpperCase());
      if (name === 'CLUSTER' && sub === 'SHARDS') {
        const node = ['id', 'f'.repeat(40), 'port', fake.port, 'ip', '127.0.0.1', 'endpoint'];
        node.push('127.0.0.1', 'role', 'master', 'replication-offset', 0, 'health', 'online');
        socket.write(serialize([['slots', [0, lastSlot], 'nodes', [node]]], { protocol: 2 }));
      } else if (name === 'GET') {
        socket.write(`-${answer().replace(/[\r\n]/g, ' ')}\r\n`);
      } else {
        socket.write('+PONG\r\n');
      }
    }
  });
  return fake;
}

describe('cluster redirect fuzzing (fake node)', function () {
  let fake: FakeServer;
  let cluster: RedisCluster;
  let next = 'MOVED 1 127.0.0.1:1';

  before(async function () {
    fake = await fakeNode(() => next);
    cluster = await createCluster([[fake.host, fake.port]], {
      refresh: { interval: 0, minGap: 0 },
      clusterDownTimeout: 200,
    });
  });

  after(async function () {
    cluster.close();
    await cluster.waitClosed();
    await fake.close();
  });

  it('rejects each malformed MOVED or ASK with a ProtocolError and keeps serving', async function () {
    const bad = [
      'MOVED',
      'MOVED 1',
      'MOVED x 127.0.0.1:1',
      'MOVED 16384 127.0.0.1:1',
      'MOVED -1 127.0.0.1:1',
      'MOVED 1 127.0.0.1:0',
      'MOVED 1 127.0.0.1:99999',
      'MOVED 1 127.0.0.1',
      'MOVED __proto__ 127.0.0.1:1',
      'MOVED 1 __proto__',
      'ASK constructor 127.0.0.1:1',
      'ASK 1 ?:1',
      'MOVED 1 127.0.0.1:1 extra',
      'MOVED 1e3 127.0.0.1:1',
    ];
    for (const payload of bad) {
      next = payload;
      const err = await rejectionOf(cluster.get('k'));
      expect(err, payload).to.be.instanceOf(ProtocolError);
    }
    expect(Object.getOwnPropertyNames(Object.prototype)).to.not.include('1');
    expect(Object.keys(Array.prototype)).to.deep.equal([]);
    next = 'ERR plain error';
    expect(await rejectionOf(cluster.get('k'))).to.be.instanceOf(ReplyError);
  });

  it('never throws or pollutes prototypes on random MOVED/ASK payloads', async function () {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('MOVED ', 'ASK '),
        fc.string({ maxLength: 40 }),
        async (kind, rest) => {
          next = kind + rest;
          const err = await rejectionOf(cluster.get('k'));
          expect(err).to.be.instanceOf(Error);
          expect(Object.keys(Object.prototype)).to.deep.equal([]);
          expect(Object.keys(Array.prototype)).to.deep.equal([]);
        },
      ),
      { numRuns: 100 },
    );
    expect(cluster.closed).to.equal(false);
  });

  it('ends a MOVED loop with TooManyRedirectionsError listing every hop', async function () {
    next = `MOVED 5 127.0.0.1:${fake.port}`;
    const err = await rejectionOf(cluster.get('k'));
    expect(err).to.be.instanceOf(TooManyRedirectionsError);
    const hops = (err as TooManyRedirectionsError).hops;
    expect(hops).to.have.length(17);
    expect(hops[0]).to.equal(`MOVED 5 127.0.0.1:${fake.port}`);
    expect((err as Error).cause).to.be.instanceOf(ReplyError);
  });
});

describe('cluster give-up errors (fake node)', function () {
  it('rejects with NoNodeForSlotError for a slot no node serves, and ClusterDownError after CLUSTERDOWN', async function () {
    const fake = await fakeNode(() => 'CLUSTERDOWN The cluster is down', 8000);
    const cluster = await createCluster([[fake.host, fake.port]], {
      refresh: { interval: 0, minGap: 10 },
      clusterDownTimeout: 300,
    });
    try {
      let uncovered = 'u0';
      for (let i = 1; hashSlot(uncovered) <= 8000; i++) uncovered = `u${i}`;
      let covered = 'c0';
      for (let i = 1; hashSlot(covered) > 8000; i++) covered = `c${i}`;
      const none = await rejectionOf(cluster.get(uncovered));
      expect(none).to.be.instanceOf(NoNodeForSlotError);
      expect((none as NoNodeForSlotError).slot).to.equal(hashSlot(uncovered));
      expect((none as NoNodeForSlotError).maybeExecuted).to.equal(false);
      const down = await rejectionOf(cluster.get(covered));
      expect(down).to.be.instanceOf(ClusterDownError);
      expect((down as ClusterDownError).maybeExecuted).to.equal(false);
      expect((down as Error).cause).to.be.instanceOf(ReplyError);
      // Both retried within clusterDownTimeout before giving up.
      expect(cluster.stats.retries).to.be.at.least(2);
    } finally {
      cluster.close();
      await cluster.waitClosed();
      await fake.close();
    }
  });
});
