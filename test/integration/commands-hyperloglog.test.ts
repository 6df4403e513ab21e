import { expect } from 'chai';
import { createRedis, type Redis } from '../../lib';
import { sharedServer } from '../helpers/hooks';
import { expectWrongType } from '../helpers/commandstats';
import { rejectionOf, uniqueKey } from '../helpers/util';

describe('hyperloglog commands', () => {
  let redis: Redis<Buffer>;

  before(async () => {
    redis = await createRedis((await sharedServer()).url);
  });

  after(async () => {
    redis.close();
    await redis.waitClosed();
  });

  /** A new HyperLogLog that has seen `elements`. */
  async function hllOf(...elements: string[]): Promise<string> {
    const key = uniqueKey('hll');
    await redis.call('PFADD', key, ...elements);
    return key;
  }

  /** A new hash key: neither a string nor a HyperLogLog. */
  async function hashKey(): Promise<string> {
    const key = uniqueKey('hash');
    await redis.call('HSET', key, 'field', 'value');
    return key;
  }

  describe('#pfadd()', () => {
    it('resolves true when the estimate changed and false when every element was seen', async () => {
      const key = uniqueKey('hll');
      expect(await redis.pfadd(key, 'a', 'b', Buffer.from('c'))).to.equal(true);
      expect(await redis.pfadd(key, 'a', 'c')).to.equal(false);
      expect(await redis.pfadd(key, 42)).to.equal(true);
      expect(await redis.pfcount(key)).to.equal(4);
    });

    it('rejects with TypeError when no element is given and creates no key', async () => {
      const key = uniqueKey('hll');
      // @ts-expect-error at least one element
      expect(await rejectionOf(redis.pfadd(key))).to.be.instanceOf(TypeError);
      expect(await redis.call('EXISTS', key)).to.equal(0);
    });

    it('rejects with WRONGTYPE on a key of another type', async () => {
      await expectWrongType(redis.pfadd(await hashKey(), 'a'));
    });
  });

  describe('#pfcount()', () => {
    it('resolves with the number of distinct elements of one key or of the union', async () => {
      const one = await hllOf('a', 'b', 'c', 'a');
      const two = await hllOf('c', 'd');
      expect(await redis.pfcount(one)).to.equal(3);
      expect(await redis.pfcount(one, two)).to.equal(4);
      expect(await redis.pfcount(one, two, uniqueKey('missing'))).to.equal(4);
      expect(await redis.pfcount(uniqueKey('missing'))).to.equal(0);
    });

    it('estimates large cardinalities within a few percent', async () => {
      const key = uniqueKey('hll');
      await redis.pfadd(
        key,
        'element-0',
        ...Array.from({ length: 4999 }, (_, i) => `element-${i + 1}`),
      );
      const count = await redis.pfcount(key);
      expect(count).to.be.a('number');
      expect(count).to.be.within(4750, 5250);
    });

    it('rejects with WRONGTYPE on a key that is not a HyperLogLog', async () => {
      await expectWrongType(redis.pfcount(await hashKey()));
      const text = uniqueKey('string');
      await redis.set(text, 'not a HyperLogLog');
      await expectWrongType(redis.pfcount(text));
    });
  });

  describe('#pfmerge()', () => {
    it('stores the union of the sources in destkey and resolves true', async () => {
      const one = await hllOf('a', 'b');
      const two = await hllOf('b', 'c');
      const three = await hllOf('d');
      const dest = uniqueKey('hll');
      expect(await redis.pfmerge(dest, one, two, three)).to.equal(true);
      expect(await redis.pfcount(dest)).to.equal(4);
      expect(await redis.pfcount(one)).to.equal(2);
    });

    it('keeps what destkey had already seen', async () => {
      const dest = await hllOf('x', 'y');
      expect(await redis.pfmerge(dest, await hllOf('y', 'z'))).to.equal(true);
      expect(await redis.pfcount(dest)).to.equal(3);
    });

    it('rejects with TypeError without a source key and creates no key', async () => {
      const dest = uniqueKey('hll');
      // @ts-expect-error at least one source key
      expect(await rejectionOf(redis.pfmerge(dest))).to.be.instanceOf(TypeError);
      expect(await redis.call('EXISTS', dest)).to.equal(0);
    });

    it('rejects with WRONGTYPE on a source that is not a HyperLogLog', async () => {
      const dest = uniqueKey('hll');
      await expectWrongType(redis.pfmerge(dest, await hllOf('a'), await hashKey()));
      expect(await redis.call('EXISTS', dest)).to.equal(0);
    });
  });
});
