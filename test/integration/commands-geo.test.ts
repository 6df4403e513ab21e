import { expect } from 'chai';
import { type GeoSearchFrom, type Redis, ReplyError } from '../../lib';
import { useSharedClients } from '../helpers/connection';
import { expectRefused as refusedOn, expectWrongType } from '../helpers/commandstats';
import { rejectionOf, uniqueKey } from '../helpers/util';

// The examples of the Redis documentation: Palermo and Catania, plus two points on the edge of a
// 400 km box around (15, 37). Expected values are the server's, rounded as the docs print them.
const PALERMO: [number, number, string] = [13.361389, 38.115556, 'Palermo'];
const CATANIA: [number, number, string] = [15.087269, 37.502669, 'Catania'];
const EDGE1: [number, number, string] = [12.758489, 38.788135, 'edge1'];
const EDGE2: [number, number, string] = [17.24151, 38.788135, 'edge2'];
const PALERMO_HASH = 3479099956230698;
const CATANIA_HASH = 3479447370796909;

describe('geo commands', () => {
  let redis: Redis<Buffer>;
  let text: Redis<string>;
  useSharedClients((buffers, strings) => {
    redis = buffers;
    text = strings;
  });

  /** A new geo set holding Palermo and Catania (and the edge points with `edges`). */
  async function sicily(edges = false): Promise<string> {
    const key = uniqueKey('sicily');
    await text.call('GEOADD', key, ...PALERMO, ...CATANIA, ...(edges ? [...EDGE1, ...EDGE2] : []));
    return key;
  }

  /** A new string key, for WRONGTYPE. */
  async function stringKey(): Promise<string> {
    const key = uniqueKey('string');
    await text.set(key, 'not a geo set');
    return key;
  }

  /** `value` rounded to 4 decimals, as the server prints distances. */
  function round4(value: number | undefined): number {
    return Math.round((value as number) * 1e4) / 1e4;
  }

  const expectRefused = (
    command: string,
    type: typeof TypeError | typeof RangeError,
    call: () => Promise<unknown>,
  ): Promise<void> => refusedOn(text, command, type, call);

  describe('#geoadd()', () => {
    it('adds [longitude, latitude, member] entries and resolves with how many are new', async () => {
      const key = uniqueKey('geo');
      expect(await redis.geoadd(key, [PALERMO, CATANIA])).to.equal(2);
      expect(await redis.geoadd(key, [PALERMO, EDGE1])).to.equal(1);
      const members = await text.call<string[]>('ZRANGE', key, 0, -1);
      expect(members).to.have.members(['Palermo', 'Catania', 'edge1']);
      expect(await text.call('ZSCORE', key, 'Palermo')).to.equal(String(PALERMO_HASH));
    });

    it('takes one entry as longitude, latitude and member arguments', async () => {
      const key = uniqueKey('geo');
      expect(await redis.geoadd(key, ...PALERMO)).to.equal(1);
      expect(await redis.geoadd(key, ...PALERMO)).to.equal(0);
      expect(await text.call('ZSCORE', key, 'Palermo')).to.equal(String(PALERMO_HASH));
    });

    it('adds with NX only new members, leaving existing ones where they are', async () => {
      const key = await sicily();
      expect(await redis.geoadd(key, [[1, 2, 'Palermo'], EDGE1], { exist: 'NX' })).to.equal(1);
      expect(await text.call('ZSCORE', key, 'Palermo')).to.equal(String(PALERMO_HASH));
      expect(await text.call('ZCARD', key)).to.equal(3);
    });

    it('moves with XX only existing members and adds none', async () => {
      const key = await sicily();
      expect(await redis.geoadd(key, [[1, 2, 'Palermo'], EDGE1], { exist: 'XX' })).to.equal(0);
      expect(await text.call('ZSCORE', key, 'edge1')).to.equal(null);
      const [position] = await redis.geopos(key, 'Palermo');
      expect(position?.longitude).to.be.closeTo(1, 1e-5);
      expect(position?.latitude).to.be.closeTo(2, 1e-5);
    });

    it('counts moved members too with changed (CH)', async () => {
      const key = await sicily();
      expect(
        await redis.geoadd(key, [[1, 2, 'Palermo'], CATANIA, EDGE1], { changed: true }),
      ).to.equal(2);
      expect(await redis.geoadd(key, 3, 4, 'Catania', { exist: 'XX', changed: true })).to.equal(1);
    });

    it('rejects with WRONGTYPE on a string key', async () => {
      await expectWrongType(redis.geoadd(await stringKey(), [PALERMO]));
    });

    it('rejects bad entries and options with TypeError or RangeError and sends nothing', async () => {
      const key = uniqueKey('geo');
      await expectRefused('geoadd', TypeError, () => redis.geoadd(key, []));
      await expectRefused('geoadd', TypeError, () =>
        redis.geoadd(key, [[1, 2] as unknown as [number, number, string]]),
      );
      await expectRefused('geoadd', TypeError, () =>
        redis.geoadd(key, [['1', 2, 'm'] as unknown as [number, number, string]]),
      );
      await expectRefused('geoadd', RangeError, () => redis.geoadd(key, [PALERMO, [181, 0, 'x']]));
      await expectRefused('geoadd', RangeError, () => redis.geoadd(key, 0, 85.1, 'pole'));
      await expectRefused('geoadd', RangeError, () => redis.geoadd(key, NaN, 0, 'nowhere'));
      await expectRefused('geoadd', TypeError, () =>
        redis.geoadd(key, [PALERMO], { exist: 'nx' as 'NX' }),
      );
      await expectRefused('geoadd', TypeError, () =>
        redis.geoadd(key, 1, 2, undefined as unknown as string),
      );
      expect(await redis.exists(key)).to.equal(0);
    });
  });

  describe('#geodist()', () => {
    it('resolves with the distance in meters by default', async () => {
      const key = await sicily();
      expect(round4((await redis.geodist(key, 'Palermo', 'Catania')) ?? undefined)).to.equal(
        166274.1516,
      );
    });

    it('converts to km, mi and ft', async () => {
      const key = await sicily();
      expect(round4((await redis.geodist(key, 'Palermo', 'Catania', 'km')) ?? undefined)).to.equal(
        166.2742,
      );
      expect(round4((await redis.geodist(key, 'Palermo', 'Catania', 'mi')) ?? undefined)).to.equal(
        103.3182,
      );
      expect(round4((await redis.geodist(key, 'Palermo', 'Catania', 'ft')) ?? undefined)).to.equal(
        545518.87,
      );
    });

    it('resolves with null when a member is missing', async () => {
      const key = await sicily();
      expect(await text.geodist(key, 'Palermo', 'Rome')).to.equal(null);
      expect(await text.geodist(uniqueKey('missing'), 'a', 'b')).to.equal(null);
    });

    it('rejects with WRONGTYPE on a string key', async () => {
      await expectWrongType(redis.geodist(await stringKey(), 'a', 'b'));
    });

    it('rejects an unknown unit with TypeError and sends nothing', async () => {
      await expectRefused('geodist', TypeError, () =>
        redis.geodist(uniqueKey(), 'a', 'b', 'yd' as 'm'),
      );
      await expectRefused('geodist', TypeError, () =>
        redis.geodist(uniqueKey(), 'a', 'b', 'KM' as 'km'),
      );
    });
  });

  describe('#geohash()', () => {
    it('resolves with geohash strings, null for a missing member, even on a Buffer client', async () => {
      const key = await sicily();
      expect(await redis.geohash(key, 'Palermo', 'Rome', 'Catania')).to.deep.equal([
        'sqc8b49rny0',
        null,
        'sqdtr74hyu0',
      ]);
    });

    it('rejects with WRONGTYPE on a string key', async () => {
      await expectWrongType(redis.geohash(await stringKey(), 'a'));
    });

    it('rejects a missing member with TypeError and sends nothing', async () => {
      await expectRefused('geohash', TypeError, () =>
        redis.geohash(uniqueKey(), undefined as unknown as string),
      );
    });
  });

  describe('#geopos()', () => {
    it('resolves with { longitude, latitude } objects, null for a missing member', async () => {
      const key = await sicily();
      const [palermo, rome, catania] = await redis.geopos(key, 'Palermo', 'Rome', 'Catania');
      expect(palermo?.longitude).to.be.closeTo(13.361389, 1e-5);
      expect(palermo?.latitude).to.be.closeTo(38.115556, 1e-5);
      expect(rome).to.equal(null);
      expect(catania?.longitude).to.be.closeTo(15.087269, 1e-5);
      expect(catania?.latitude).to.be.closeTo(37.502669, 1e-5);
      expect(Object.keys(palermo as object)).to.deep.equal(['longitude', 'latitude']);
    });

    it('resolves with nulls on a missing key', async () => {
      expect(await text.geopos(uniqueKey('missing'), 'a', 'b')).to.deep.equal([null, null]);
    });

    it('rejects with WRONGTYPE on a string key', async () => {
      await expectWrongType(redis.geopos(await stringKey(), 'a'));
    });
  });

  describe('#georadius()', () => {
    it('resolves with the members within the radius, as the client encodes them', async () => {
      const key = await sicily();
      const members = await redis.georadius(key, 15, 37, 200, 'km', { sort: 'ASC' });
      expect(members).to.deep.equal([Buffer.from('Catania'), Buffer.from('Palermo')]);
      expect(await text.georadius(key, 15, 37, 100, 'km')).to.deep.equal(['Catania']);
      expect(await text.georadius(key, 15, 37, 100, 'm')).to.deep.equal([]);
    });

    it('decodes members with a per-call encoding', async () => {
      const key = await sicily();
      expect(await redis.georadius(key, 15, 37, 100, 'km', { encoding: 'utf8' })).to.deep.equal([
        'Catania',
      ]);
      const [withDist] = await text.georadius(key, 15, 37, 100, 'km', {
        withDist: true,
        encoding: null,
      });
      expect(withDist?.member).to.deep.equal(Buffer.from('Catania'));
      expect(round4(withDist?.dist)).to.equal(56.4413);
    });

    it('resolves with GeoMember objects with withDist, withHash and withCoord', async () => {
      const key = await sicily();
      const results = await text.georadius(key, 15, 37, 200, 'km', {
        withDist: true,
        withHash: true,
        withCoord: true,
        sort: 'ASC',
      });
      expect(results.map((r) => [r.member, round4(r.dist), r.hash])).to.deep.equal([
        ['Catania', 56.4413, CATANIA_HASH],
        ['Palermo', 190.4424, PALERMO_HASH],
      ]);
      expect(results[0]?.coord.longitude).to.be.closeTo(15.087269, 1e-5);
      expect(results[0]?.coord.latitude).to.be.closeTo(37.502669, 1e-5);
      expect(Object.keys(results[1] as object)).to.deep.equal(['member', 'dist', 'hash', 'coord']);
    });

    it('puts in each GeoMember only the fields asked for', async () => {
      const key = await sicily();
      const [hashOnly] = await text.georadius(key, 15, 37, 100, 'km', { withHash: true });
      expect(hashOnly).to.deep.equal({ member: 'Catania', hash: CATANIA_HASH });
      const [coordOnly] = await text.georadius(key, 15, 37, 100, 'km', { withCoord: true });
      expect(Object.keys(coordOnly as object)).to.deep.equal(['member', 'coord']);
      const [distCoord] = await text.georadius(key, 15, 37, 100, 'km', {
        withCoord: true,
        withDist: true,
      });
      expect(Object.keys(distCoord as object)).to.deep.equal(['member', 'dist', 'coord']);
      expect(round4(distCoord?.dist)).to.equal(56.4413);
    });

    it('sorts with ASC and DESC and limits with count', async () => {
      const key = await sicily(true);
      expect(await text.georadius(key, 15, 37, 500, 'km', { sort: 'ASC' })).to.deep.equal([
        'Catania',
        'Palermo',
        'edge2',
        'edge1',
      ]);
      expect(
        await text.georadius(key, 15, 37, 500, 'km', { sort: 'DESC', count: 2 }),
      ).to.deep.equal(['edge1', 'edge2']);
      expect(await text.georadius(key, 15, 37, 500, 'km', { count: 1 })).to.deep.equal(['Catania']);
    });

    it('stops at the first count matches with any', async () => {
      const key = await sicily(true);
      // The server's walk finds Palermo first, though Catania is nearer (what count alone gives).
      expect(await text.georadius(key, 15, 37, 500, 'km', { count: 1, any: true })).to.deep.equal([
        'Palermo',
      ]);
      expect(await text.georadius(key, 15, 37, 500, 'km', { count: 1 })).to.deep.equal(['Catania']);
    });

    it('stores the members with store and resolves with their number', async () => {
      const key = await sicily(true);
      const dest = uniqueKey('dest');
      expect(await redis.georadius(key, 15, 37, 200, 'km', { store: dest })).to.equal(2);
      expect(await text.call('ZSCORE', dest, 'Palermo')).to.equal(String(PALERMO_HASH));
      expect(await text.call('ZCARD', dest)).to.equal(2);
    });

    it('stores the distances with storeDist', async () => {
      const key = await sicily(true);
      const dest = uniqueKey('dest');
      expect(
        await redis.georadius(key, 15, 37, 200, 'km', { storeDist: dest, sort: 'ASC', count: 1 }),
      ).to.equal(1);
      expect(await text.call<string[]>('ZRANGE', dest, 0, -1)).to.deep.equal(['Catania']);
      expect(round4(Number(await text.call('ZSCORE', dest, 'Catania')))).to.equal(56.4413);
    });

    it('resolves with an empty array on a missing key', async () => {
      expect(await redis.georadius(uniqueKey('missing'), 15, 37, 200, 'km')).to.deep.equal([]);
    });

    it('takes null options (plain JavaScript) as none', async () => {
      const key = await sicily();
      expect(await text.georadius(key, 15, 37, 100, 'km', null as never)).to.deep.equal([
        'Catania',
      ]);
      expect(
        await text.geosearch(key, { fromMember: 'Catania' }, { byRadius: [1, 'm'] }, null as never),
      ).to.deep.equal(['Catania']);
      expect(await redis.geoadd(key, [EDGE1], null as never)).to.equal(1);
    });

    it('rejects with WRONGTYPE on a string key', async () => {
      await expectWrongType(redis.georadius(await stringKey(), 15, 37, 200, 'km'));
    });

    it('rejects bad input with TypeError or RangeError and sends nothing', async () => {
      const key = await sicily();
      const dest = uniqueKey('dest');
      const refuse = (type: typeof TypeError, call: () => Promise<unknown>) =>
        expectRefused('georadius', type, call);
      await refuse(RangeError, () => redis.georadius(key, 181, 37, 200, 'km'));
      await refuse(TypeError, () => redis.georadius(key, '15' as unknown as number, 37, 1, 'km'));
      await refuse(RangeError, () => redis.georadius(key, 15, 37, -1, 'km'));
      await refuse(RangeError, () => redis.georadius(key, 15, 37, Infinity, 'km'));
      await refuse(RangeError, () => redis.georadius(key, 15, 37, NaN, 'km'));
      await refuse(TypeError, () => redis.georadius(key, 15, 37, 200, 'yd' as 'm'));
      await refuse(RangeError, () => redis.georadius(key, 15, 37, 200, 'km', { count: 0 }));
      await refuse(RangeError, () => redis.georadius(key, 15, 37, 200, 'km', { count: 1.5 }));
      await refuse(TypeError, () => redis.georadius(key, 15, 37, 200, 'km', { any: true }));
      await refuse(TypeError, () =>
        redis.georadius(key, 15, 37, 200, 'km', { sort: 'asc' as 'ASC' }),
      );
      await refuse(TypeError, () =>
        redis.georadius(key, 15, 37, 200, 'km', { store: dest, storeDist: dest }),
      );
      await refuse(TypeError, () =>
        redis.georadius(key, 15, 37, 200, 'km', { store: dest, withDist: true }),
      );
      expect(await redis.exists(dest)).to.equal(0);
    });
  });

  describe('#georadiusRo()', () => {
    it('resolves with members or GeoMembers like georadius', async () => {
      const key = await sicily();
      expect(await text.georadiusRo(key, 15, 37, 200, 'km', { sort: 'DESC' })).to.deep.equal([
        'Palermo',
        'Catania',
      ]);
      const [first] = await redis.georadiusRo(key, 15, 37, 100, 'km', {
        withDist: true,
        encoding: 'utf8',
      });
      expect(first?.member).to.equal('Catania');
      expect(round4(first?.dist)).to.equal(56.4413);
    });

    it('rejects with WRONGTYPE on a string key', async () => {
      await expectWrongType(redis.georadiusRo(await stringKey(), 15, 37, 200, 'km'));
    });

    it('rejects bad input with TypeError or RangeError and sends nothing', async () => {
      await expectRefused('georadius_ro', RangeError, () =>
        redis.georadiusRo(uniqueKey(), 15, 90, 200, 'km'),
      );
      await expectRefused('georadius_ro', RangeError, () =>
        redis.georadiusRo(uniqueKey(), 15, 37, 200, 'km', { count: -1 }),
      );
    });
  });

  describe('#georadiusbymember()', () => {
    it('resolves with the members within the radius of a member, itself included', async () => {
      const key = await sicily(true);
      expect(
        await text.georadiusbymember(key, 'Palermo', 200, 'km', { sort: 'ASC' }),
      ).to.deep.equal(['Palermo', 'edge1', 'Catania']);
      expect(await redis.georadiusbymember(key, 'Palermo', 1, 'm')).to.deep.equal([
        Buffer.from('Palermo'),
      ]);
    });

    it('resolves with GeoMembers and decodes with a per-call encoding', async () => {
      const key = await sicily();
      const results = await redis.georadiusbymember(key, 'Palermo', 200, 'km', {
        withDist: true,
        withCoord: true,
        sort: 'DESC',
        encoding: 'utf8',
      });
      expect(results.map((r) => [r.member, round4(r.dist)])).to.deep.equal([
        ['Catania', 166.2742],
        ['Palermo', 0],
      ]);
      expect(results[1]?.coord.latitude).to.be.closeTo(38.115556, 1e-5);
    });

    it('stores with store and storeDist', async () => {
      const key = await sicily(true);
      const dest = uniqueKey('dest');
      expect(await redis.georadiusbymember(key, 'Palermo', 200, 'km', { store: dest })).to.equal(3);
      expect(await text.call('ZSCORE', dest, 'Palermo')).to.equal(String(PALERMO_HASH));
      expect(
        await redis.georadiusbymember(key, 'Palermo', 200, 'km', {
          storeDist: dest,
          count: 2,
          sort: 'ASC',
        }),
      ).to.equal(2);
      expect(await text.call('ZSCORE', dest, 'Palermo')).to.equal('0');
      expect(await text.call('ZCARD', dest)).to.equal(2);
    });

    it('rejects with an error reply for a missing member', async () => {
      const key = await sicily();
      const err = await rejectionOf(redis.georadiusbymember(key, 'Rome', 200, 'km'));
      expect(err).to.be.instanceOf(ReplyError);
      expect((err as ReplyError).code).to.equal('ERR');
    });

    it('rejects with WRONGTYPE on a string key', async () => {
      await expectWrongType(redis.georadiusbymember(await stringKey(), 'a', 200, 'km'));
    });

    it('rejects bad input with TypeError or RangeError and sends nothing', async () => {
      const key = await sicily();
      const dest = uniqueKey('dest');
      await expectRefused('georadiusbymember', RangeError, () =>
        redis.georadiusbymember(key, 'Palermo', -5, 'km'),
      );
      await expectRefused('georadiusbymember', TypeError, () =>
        redis.georadiusbymember(key, 'Palermo', 5, 'miles' as 'mi'),
      );
      await expectRefused('georadiusbymember', TypeError, () =>
        redis.georadiusbymember(key, 'Palermo', 5, 'km', { storeDist: dest, withHash: true }),
      );
      expect(await redis.exists(dest)).to.equal(0);
    });
  });

  describe('#georadiusbymemberRo()', () => {
    it('resolves with members or GeoMembers like georadiusbymember', async () => {
      const key = await sicily();
      expect(
        await text.georadiusbymemberRo(key, 'Catania', 200, 'km', { sort: 'ASC' }),
      ).to.deep.equal(['Catania', 'Palermo']);
      const results = await text.georadiusbymemberRo(key, 'Catania', 200, 'km', {
        withHash: true,
        count: 1,
        sort: 'ASC',
      });
      expect(results).to.deep.equal([{ member: 'Catania', hash: CATANIA_HASH }]);
    });

    it('rejects with WRONGTYPE on a string key', async () => {
      await expectWrongType(redis.georadiusbymemberRo(await stringKey(), 'a', 200, 'km'));
    });

    it('rejects bad input with TypeError and sends nothing', async () => {
      await expectRefused('georadiusbymember_ro', TypeError, () =>
        redis.georadiusbymemberRo(uniqueKey(), 'a', 200, 'km', { any: true }),
      );
    });
  });

  describe('#geosearch()', () => {
    it('searches a box around a position, sorted, with coordinates and distances', async () => {
      const key = await sicily(true);
      const results = await text.geosearch(
        key,
        { fromLonLat: [15, 37] },
        { byBox: [400, 400, 'km'] },
        { sort: 'ASC', withCoord: true, withDist: true },
      );
      expect(results.map((r) => [r.member, round4(r.dist)])).to.deep.equal([
        ['Catania', 56.4413],
        ['Palermo', 190.4424],
        ['edge2', 279.7403],
        ['edge1', 279.7405],
      ]);
      expect(results[2]?.coord.longitude).to.be.closeTo(17.24151, 1e-5);
      expect(results[2]?.coord.latitude).to.be.closeTo(38.788135, 1e-5);
    });

    it('searches a circle around a member, as plain members', async () => {
      const key = await sicily(true);
      expect(
        await text.geosearch(
          key,
          { fromMember: 'Palermo' },
          { byRadius: [200, 'km'] },
          { sort: 'ASC' },
        ),
      ).to.deep.equal(['Palermo', 'edge1', 'Catania']);
      expect(
        await redis.geosearch(
          key,
          { fromLonLat: [15, 37] },
          { byRadius: [200, 'km'] },
          { sort: 'DESC' },
        ),
      ).to.deep.equal([Buffer.from('Palermo'), Buffer.from('Catania')]);
    });

    it('limits with count (and any), sorts and adds hashes', async () => {
      const key = await sicily(true);
      expect(
        await text.geosearch(
          key,
          { fromLonLat: [15, 37] },
          { byBox: [400, 400, 'km'] },
          { sort: 'DESC', count: 1, withHash: true },
        ),
      ).to.deep.equal([
        { member: 'edge1', hash: await text.call('ZSCORE', key, 'edge1').then(Number) },
      ]);
      const any = await text.geosearch(
        key,
        { fromLonLat: [15, 37] },
        { byBox: [400, 400, 'km'] },
        { count: 2, any: true },
      );
      expect(any).to.deep.equal(['Palermo', 'edge1']); // the first found, not the nearest
    });

    it('decodes members with a per-call encoding', async () => {
      const key = await sicily();
      expect(
        await redis.geosearch(
          key,
          { fromMember: 'Catania' },
          { byRadius: [1, 'mi'] },
          { encoding: 'utf8' },
        ),
      ).to.deep.equal(['Catania']);
      expect(
        await text.geosearch(
          key,
          { fromMember: 'Catania' },
          { byRadius: [1, 'ft'] },
          { encoding: null },
        ),
      ).to.deep.equal([Buffer.from('Catania')]);
    });

    it('rejects with WRONGTYPE on a string key', async () => {
      await expectWrongType(
        redis.geosearch(await stringKey(), { fromLonLat: [0, 0] }, { byRadius: [1, 'm'] }),
      );
    });

    it('rejects bad centers, areas and options with TypeError or RangeError and sends nothing', async () => {
      const key = await sicily();
      const refuse = (type: typeof TypeError, call: () => Promise<unknown>) =>
        expectRefused('geosearch', type, call);
      const here: GeoSearchFrom = { fromLonLat: [15, 37] };
      await refuse(TypeError, () =>
        redis.geosearch(key, { fromMember: 'a', fromLonLat: [1, 2] } as never, {
          byRadius: [1, 'km'],
        }),
      );
      await refuse(TypeError, () => redis.geosearch(key, {} as never, { byRadius: [1, 'km'] }));
      await refuse(TypeError, () => redis.geosearch(key, null as never, { byRadius: [1, 'km'] }));
      await refuse(TypeError, () =>
        redis.geosearch(
          key,
          { fromLonLat: [1] as unknown as [number, number] },
          { byRadius: [1, 'km'] },
        ),
      );
      await refuse(RangeError, () =>
        redis.geosearch(key, { fromLonLat: [200, 0] }, { byRadius: [1, 'km'] }),
      );
      await refuse(TypeError, () =>
        redis.geosearch(key, here, { byRadius: [1, 'km'], byBox: [1, 1, 'km'] } as never),
      );
      await refuse(TypeError, () => redis.geosearch(key, here, {} as never));
      await refuse(TypeError, () => redis.geosearch(key, here, undefined as never));
      await refuse(TypeError, () => redis.geosearch(key, here, { byBox: [1, 'km'] } as never));
      await refuse(TypeError, () => redis.geosearch(key, here, { byRadius: [1, 'yd' as 'm'] }));
      await refuse(RangeError, () => redis.geosearch(key, here, { byBox: [1, -1, 'km'] }));
      await refuse(RangeError, () => redis.geosearch(key, here, { byRadius: [NaN, 'km'] }));
      await refuse(RangeError, () =>
        redis.geosearch(key, here, { byRadius: [1, 'km'] }, { count: 0 }),
      );
      await refuse(TypeError, () =>
        redis.geosearch(key, here, { byRadius: [1, 'km'] }, { any: true }),
      );
      await refuse(TypeError, () =>
        redis.geosearch(key, here, { byRadius: [1, 'km'] }, { sort: 'up' as 'ASC' }),
      );
    });
  });

  describe('#geosearchstore()', () => {
    it('stores the members found, scored by geohash, and resolves with their number', async () => {
      const key = await sicily(true);
      const dest = uniqueKey('dest');
      expect(
        await redis.geosearchstore(
          dest,
          key,
          { fromLonLat: [15, 37] },
          { byBox: [400, 400, 'km'] },
        ),
      ).to.equal(4);
      expect(await text.call('ZSCORE', dest, 'Palermo')).to.equal(String(PALERMO_HASH));
      expect(await text.geopos(dest, 'Catania').then((p) => p[0]?.longitude)).to.be.closeTo(
        15.087269,
        1e-5,
      );
    });

    it('scores by distance with storeDist and limits with sort and count', async () => {
      const key = await sicily(true);
      const dest = uniqueKey('dest');
      expect(
        await redis.geosearchstore(
          dest,
          key,
          { fromMember: 'Catania' },
          { byRadius: [200, 'km'] },
          { storeDist: true, sort: 'DESC', count: 1 },
        ),
      ).to.equal(1);
      expect(
        await text
          .call<string[]>('ZRANGE', dest, 0, -1, 'WITHSCORES')
          .then((r) => [r[0], round4(Number(r[1]))]),
      ).to.deep.equal(['Palermo', 166.2742]);
    });

    it('resolves with 0 when nothing is found, removing the destination', async () => {
      const key = await sicily();
      const dest = uniqueKey('dest');
      await text.set(dest, 'old');
      expect(
        await redis.geosearchstore(dest, key, { fromLonLat: [0, 0] }, { byRadius: [1, 'km'] }),
      ).to.equal(0);
      expect(await redis.exists(dest)).to.equal(0);
    });

    it('rejects with WRONGTYPE on a string source', async () => {
      await expectWrongType(
        redis.geosearchstore(
          uniqueKey(),
          await stringKey(),
          { fromLonLat: [0, 0] },
          { byRadius: [1, 'm'] },
        ),
      );
    });

    it('rejects bad input with TypeError or RangeError and sends nothing', async () => {
      const key = await sicily();
      const dest = uniqueKey('dest');
      await expectRefused('geosearchstore', TypeError, () =>
        redis.geosearchstore(dest, key, { fromMember: 'Palermo' }, { byBox: [1, 2, 'yd' as 'm'] }),
      );
      await expectRefused('geosearchstore', RangeError, () =>
        redis.geosearchstore(
          dest,
          key,
          { fromMember: 'Palermo' },
          { byBox: [1, 2, 'km'] },
          { count: 0.5 },
        ),
      );
      await expectRefused('geosearchstore', TypeError, () =>
        redis.geosearchstore(
          dest,
          key,
          { fromMember: 'Palermo' },
          { byBox: [1, 2, 'km'] },
          { any: true },
        ),
      );
      expect(await redis.exists(dest)).to.equal(0);
    });
  });
});
