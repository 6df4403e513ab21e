// hashSlot() against the server's own CLUSTER KEYSLOT, on a cluster-enabled redis-server (a
// cluster of one node that owns no slots: KEYSLOT only hashes, it needs no slots assigned).
import { expect } from 'chai';
import fc from 'fast-check';
import { createConnection, type RedisConnection } from '../../lib';
import { hashSlot } from '../../lib/cluster/slot';
import { startRedis, type RedisServer } from '../helpers/redis-server';

describe('hashSlot() against CLUSTER KEYSLOT', () => {
  let server: RedisServer;
  let conn: RedisConnection;

  before(async () => {
    server = await startRedis({ args: ['--cluster-enabled', 'yes'] });
    conn = await createConnection(server.url);
  });

  after(async () => {
    conn?.close();
    await server?.stop();
  });

  /** Asks the server for the slot of every key, pipelined. */
  function serverSlots(keys: readonly (string | Buffer)[]): Promise<unknown[]> {
    return Promise.all(keys.map((key) => conn.execute('CLUSTER', 'KEYSLOT', key)));
  }

  it('agrees on the documented examples', async () => {
    const keys = ['foo', '{foo}a', 'bar', '{user1000}.following', 'foo{}{bar}', 'foo{{bar}}zap'];
    expect(await serverSlots(keys)).to.deep.equal(keys.map(hashSlot));
  });

  it('agrees on 200 random keys with braces, non-ASCII text and raw bytes', async () => {
    const piece = fc.oneof(
      fc.constantFrom('{', '}', '{}', 'é', 'ключ', '😀', 'user:', '1000'),
      fc.string({ maxLength: 4 }),
    );
    const text = fc.array(piece, { maxLength: 8 }).map((pieces) => pieces.join(''));
    const bytes = fc
      .array(fc.oneof(fc.constantFrom(0x7b, 0x7d), fc.integer({ min: 0, max: 255 })), {
        maxLength: 16,
      })
      .map((values) => Buffer.from(values));
    // A fixed seed: a failure names keys that fail again on the next run.
    const keys = fc.sample(fc.oneof(text, bytes), { numRuns: 200, seed: 1302 });
    expect(keys.filter((key) => String(key).includes('{'))).to.have.length.above(20);

    const slots = await serverSlots(keys);
    keys.forEach((key, i) => {
      expect(hashSlot(key), `slot of ${JSON.stringify(String(key))}`).to.equal(slots[i]);
    });
  });
});
