// Numbers, cursors and ids that RESP2 sends as bulk strings, on clients whose encoding does not
// keep ASCII text ('hex', 'base64', 'utf16le'): they must read right, while stored values
// (members, fields, field values) still come back in the client's encoding.
import { expect } from 'chai';
import { createRedis, type Redis } from '../../lib';
import { sharedServer } from '../helpers/hooks';
import { uniqueKey } from '../helpers/util';

/** How the client shows the stored value `text`. */
function shown(text: string, encoding: BufferEncoding): string {
  return Buffer.from(text).toString(encoding);
}

/** Every item of a SCAN-family walk, following the cursor; fails on a cursor that is not decimal. */
async function walk<T>(step: (cursor: string) => Promise<[string, T[]]>): Promise<T[]> {
  const items: T[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await step(cursor);
    expect(next).to.match(/^\d+$/);
    cursor = next;
    items.push(...batch);
  } while (cursor !== '0');
  return items;
}

for (const encoding of ['hex', 'base64', 'utf16le'] as const) {
  describe(`numbers on a client with encoding '${encoding}'`, () => {
    let redis: Redis<string>;
    let plain: Redis<string>;
    const show = (text: string): string => shown(text, encoding);

    before(async () => {
      const { url } = await sharedServer();
      redis = await createRedis(url, { encoding });
      plain = await createRedis(url, { encoding: 'utf8' });
    });

    after(async () => {
      for (const client of [redis, plain]) client.close();
      await Promise.all([redis.waitClosed(), plain.waitClosed()]);
    });

    describe('replies that are only numbers', () => {
      it('incrbyfloat() and hincrbyfloat() resolve with the new value', async () => {
        const key = uniqueKey();
        expect(await redis.incrbyfloat(key, 10.5)).to.equal(10.5);
        expect(await redis.incrbyfloat(key, -0.25)).to.equal(10.25);
        const hash = uniqueKey();
        expect(await redis.hincrbyfloat(hash, 'f', 2.5)).to.equal(2.5);
        // The value is still stored as text and read back in the client's encoding.
        expect(await redis.get(key)).to.equal(show('10.25'));
      });

      it('zincrby(), zadd() with incr, zscore() and zmscore() resolve with scores', async () => {
        const key = uniqueKey();
        expect(await redis.zadd(key, 1.5, 'a')).to.equal(1);
        expect(await redis.zincrby(key, 2, 'a')).to.equal(3.5);
        expect(await redis.zadd(key, 0.25, 'a', { incr: true })).to.equal(3.75);
        expect(await redis.zscore(key, 'a')).to.equal(3.75);
        expect(await redis.zscore(key, 'missing')).to.equal(null);
        expect(await redis.zmscore(key, ['a', 'missing'])).to.deep.equal([3.75, null]);
        await redis.zadd(key, Infinity, 'top');
        expect(await redis.zscore(key, 'top')).to.equal(Infinity);
      });

      it('lcsIdx() resolves with its matches and length', async () => {
        const [a, b] = [uniqueKey(), uniqueKey()];
        await plain.mset([
          [a, 'ohmytext'],
          [b, 'mynewtext'],
        ]);
        const idx = await redis.lcsIdx(a, b);
        expect(idx.len).to.equal(6);
        expect(idx.matches.length).to.be.greaterThan(0);
      });
    });

    describe('scores next to members', () => {
      let key: string;
      beforeEach(async () => {
        key = uniqueKey();
        await plain.zadd(key, [
          [1.5, 'alice'],
          [2, 'bob'],
          [-3.25, 'carol'],
        ]);
      });

      it('zrange() and zrangebyscore() with withScores: members in the encoding, scores as numbers', async () => {
        const expected = [
          [show('carol'), -3.25],
          [show('alice'), 1.5],
          [show('bob'), 2],
        ];
        expect(await redis.zrange(key, 0, -1, { withScores: true })).to.deep.equal(expected);
        expect(
          await redis.zrangebyscore(key, -Infinity, Infinity, { withScores: true }),
        ).to.deep.equal(expected);
        expect(await redis.zrange(key, 0, 0)).to.deep.equal([show('carol')]);
        // A call's own encoding still wins.
        expect(await redis.zrange(key, 0, 0, { withScores: true, encoding: 'utf8' })).to.deep.equal(
          [['carol', -3.25]],
        );
      });

      it('zunion() and zrandmember() with withScores', async () => {
        expect(await redis.zunion([key], { withScores: true })).to.deep.equal([
          [show('carol'), -3.25],
          [show('alice'), 1.5],
          [show('bob'), 2],
        ]);
        const [random] = await redis.zrandmember(key, { count: 1, withScores: true });
        // Keyed as the client shows the members: utf16le cannot decode odd-length text back.
        const scores = new Map([
          [show('alice'), 1.5],
          [show('bob'), 2],
          [show('carol'), -3.25],
        ]);
        const [member, score] = random as [string, number];
        expect(score).to.equal(scores.get(member));
      });

      it('zpopmin(), zpopmax(), bzpopmin() and zmpop()', async () => {
        expect(await redis.zpopmin(key)).to.deep.equal([[show('carol'), -3.25]]);
        expect(await redis.zpopmax(key)).to.deep.equal([[show('bob'), 2]]);
        expect(await redis.bzpopmin(key, 1)).to.deep.equal([show(key), show('alice'), 1.5]);
        await plain.zadd(key, 7.5, 'dave');
        expect(await redis.zmpop([key], 'MIN')).to.deep.equal([show(key), [[show('dave'), 7.5]]]);
      });

      it('zscan(): a decimal cursor and [member, score] pairs', async () => {
        const pairs = await walk((cursor) => redis.zscan(key, cursor));
        expect(pairs).to.have.deep.members([
          [show('alice'), 1.5],
          [show('bob'), 2],
          [show('carol'), -3.25],
        ]);
      });
    });

    describe('cursors', () => {
      it('scan(), sscan() and hscan() give decimal cursors and items in the encoding', async () => {
        const prefix = uniqueKey('scan');
        await plain.mset(
          Array.from({ length: 30 }, (_, i) => [`${prefix}:${i}`, 'v'] as [string, string]),
        );
        const keys = await walk((cursor) => redis.scan(cursor, { match: `${prefix}:*`, count: 5 }));
        expect(keys).to.have.length(30);
        expect(keys).to.include(show(`${prefix}:7`));

        const set = uniqueKey();
        const members = Array.from({ length: 200 }, (_, i) => `m${i}`);
        await plain.sadd(set, members[0] as string, ...members.slice(1));
        const scanned = await walk((cursor) => redis.sscan(set, cursor, { count: 20 }));
        expect(new Set(scanned)).to.deep.equal(new Set(members.map(show)));

        const hash = uniqueKey();
        await plain.hmsetDict(hash, Object.fromEntries(members.map((m) => [m, `v${m}`])));
        const fields = await walk((cursor) => redis.hscan(hash, cursor, { count: 20 }));
        expect(fields).to.have.length(200);
        expect(fields).to.deep.include([show('m5'), show('vm5')]);
      });

      it('a call with its own encoding gets a decimal cursor too (on a utf8 client)', async () => {
        const set = uniqueKey();
        const members = Array.from({ length: 200 }, (_, i) => `m${i}`);
        await plain.sadd(set, members[0] as string, ...members.slice(1));
        const scanned = await walk((cursor) => plain.sscan(set, cursor, { count: 20, encoding }));
        expect(new Set(scanned)).to.deep.equal(new Set(members.map(show)));
        const hash = uniqueKey();
        await plain.hset(hash, 'f', 'v');
        expect(await walk((cursor) => plain.hscan(hash, cursor, { encoding }))).to.deep.equal([
          [show('f'), show('v')],
        ]);
      });
    });

    describe('geo', () => {
      let key: string;
      beforeEach(async () => {
        key = uniqueKey();
        await plain.geoadd(key, 13.361389, 38.115556, 'Palermo');
        await plain.geoadd(key, 15.087269, 37.502669, 'Catania');
      });

      it('geodist() and geopos() resolve with numbers', async () => {
        const dist = await redis.geodist(key, 'Palermo', 'Catania', 'km');
        expect(dist).to.be.closeTo(166.2742, 0.001);
        const [palermo] = await redis.geopos(key, 'Palermo');
        expect(palermo?.longitude).to.be.closeTo(13.361389, 0.0001);
        expect(palermo?.latitude).to.be.closeTo(38.115556, 0.0001);
      });

      it('georadius() and geosearch() with withDist and withCoord: members in the encoding, numbers as numbers', async () => {
        const near = await redis.georadius(key, 15, 37, 200, 'km', {
          withDist: true,
          withCoord: true,
          sort: 'ASC',
        });
        expect(near.map((item) => item.member)).to.deep.equal([show('Catania'), show('Palermo')]);
        expect(near[0]?.dist).to.be.closeTo(56.4413, 0.001);
        expect(near[1]?.coord?.longitude).to.be.closeTo(13.361389, 0.0001);
        const found = await redis.geosearch(
          key,
          { fromMember: 'Palermo' },
          { byRadius: [200, 'km'] },
          { withDist: true, sort: 'ASC' },
        );
        expect(found.map((item) => item.member)).to.deep.equal([show('Palermo'), show('Catania')]);
        expect(found[1]?.dist).to.be.closeTo(166.2742, 0.001);
        expect(await redis.georadius(key, 15, 37, 200, 'km', { sort: 'ASC' })).to.deep.equal([
          show('Catania'),
          show('Palermo'),
        ]);
      });
    });

    describe('streams', () => {
      it('xadd() ids, xrange() ids with field values in the encoding, xpending() counts, xinfo', async () => {
        const key = uniqueKey();
        const id = await redis.xadd(key, { name: 'ada' }, { id: '5-1' });
        expect(id).to.equal('5-1');
        expect(await redis.xrange(key)).to.deep.equal([
          { id: '5-1', fields: { name: show('ada') } },
        ]);
        await redis.xgroupCreate(key, 'workers', '0');
        expect(await redis.xreadGroup('workers', 'w1', { [key]: '>' })).to.deep.equal([
          { stream: key, entries: [{ id: '5-1', fields: { name: show('ada') } }] },
        ]);
        const summary = await redis.xpending(key, 'workers');
        expect(summary).to.deep.equal({
          count: 1,
          minId: '5-1',
          maxId: '5-1',
          consumers: [{ name: 'w1', pending: 1 }],
        });
        const [entry] = await redis.xpendingRange(key, 'workers', '-', '+', 10);
        expect(entry).to.include({ id: '5-1', consumer: 'w1', deliveries: 1 });
        const [group] = await redis.xinfoGroups(key);
        expect(group).to.include({ name: 'workers', pending: 1, lastDeliveredId: '5-1' });
        const [consumer] = await redis.xinfoConsumers(key, 'workers');
        expect(consumer).to.include({ name: 'w1', pending: 1 });
        const info = await redis.xinfoStream(key);
        expect(info.lastGeneratedId).to.equal('5-1');
        expect(info.firstEntry).to.deep.equal({ id: '5-1', fields: { name: show('ada') } });
        const claimed = await redis.xautoclaim(key, 'workers', 'w2', 0);
        expect(claimed.next).to.equal('0-0');
        expect(claimed.entries).to.deep.equal([{ id: '5-1', fields: { name: show('ada') } }]);
      });
    });

    describe('in batches', () => {
      it('pipeline() and multiExec() read scores and cursors right, members in the encoding', async () => {
        const key = uniqueKey();
        await plain.zadd(key, 2.5, 'alice');
        for (const batch of [redis.pipeline(), redis.multiExec()]) {
          const score = batch.zscore(key, 'alice');
          const pairs = batch.zrange(key, 0, -1, { withScores: true });
          const step = batch.zscan(key, 0);
          const increment = batch.zincrby(key, 1, 'alice');
          await batch.execute();
          expect(await score).to.equal(2.5);
          expect(await pairs).to.deep.equal([[show('alice'), 2.5]]);
          expect(await step).to.deep.equal(['0', [[show('alice'), 2.5]]]);
          expect(await increment).to.equal(3.5);
          await plain.zadd(key, 2.5, 'alice');
        }
      });
    });
  });
}
