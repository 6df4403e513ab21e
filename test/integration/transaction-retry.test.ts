// redis.transaction(fn): an optimistic transaction that runs again only when it had no effect.
import { expect } from 'chai';
import {
  ConnectionLostError,
  createRedis,
  createRedisPool,
  type Redis,
  WatchVariableError,
} from '../../lib';
import { sharedServer } from '../helpers/hooks';
import { rejectionOf, uniqueKey } from '../helpers/util';

describe('Redis#transaction()', () => {
  let redis: Redis<string>;
  let other: Redis<string>;

  before(async () => {
    const { url } = await sharedServer();
    redis = await createRedisPool(url, { encoding: 'utf8', maxsize: 3 });
    other = await createRedis(url, { encoding: 'utf8' });
  });

  after(() => {
    redis.close();
    other.close();
  });

  /** A transfer that a competing writer disturbs on its first `disturbed` attempts. */
  function transfer(key: string, disturbed: number, runs: { count: number }) {
    return redis.transaction(async (r) => {
      runs.count++;
      await r.watch(key);
      const balance = Number(await r.get(key));
      if (runs.count <= disturbed) await other.incrby(key, 1000); // someone else writes meanwhile
      const tx = r.multiExec();
      void tx.set(key, balance - 10);
      await tx.execute();
      return balance - 10;
    });
  }

  it('runs fn again after a WATCH abort, and resolves with its result', async () => {
    const key = uniqueKey('balance');
    await other.set(key, 100);
    const runs = { count: 0 };
    expect(await transfer(key, 1, runs)).to.equal(1090);
    expect(runs.count).to.equal(2);
    expect(await other.get(key)).to.equal('1090');
  });

  it('gives up after `attempts` runs with the last WatchVariableError', async () => {
    const key = uniqueKey('balance');
    await other.set(key, 100);
    const runs = { count: 0 };
    const error = await rejectionOf(transfer(key, 10, runs));
    expect(error).to.be.instanceOf(WatchVariableError);
    expect(runs.count).to.equal(3);
    expect(await other.get(key)).to.equal('3100'); // only the competitor's writes landed
  });

  it('never runs fn again after a failure that may have run', async () => {
    let runs = 0;
    const lost = new ConnectionLostError('EXEC may have run: lost', true);
    const error = await rejectionOf(
      redis.transaction(async () => {
        runs++;
        throw lost;
      }),
    );
    expect(error).to.equal(lost);
    expect(runs).to.equal(1);
  });

  it('runs fn again after a failure that proves nothing ran', async () => {
    let runs = 0;
    const result = await redis.transaction(
      async () => {
        runs++;
        if (runs < 3) throw new ConnectionLostError('MULTI was not sent: reconnecting', false);
        return 'done';
      },
      { attempts: 5 },
    );
    expect(result).to.equal('done');
    expect(runs).to.equal(3);
  });

  it('gives each attempt an exclusive connection and releases it', async () => {
    const pool = redis.pool;
    const before = pool?.freesize;
    await redis.transaction(async (r) => {
      expect(pool?.freesize).to.be.lessThan(before as number);
      return r.ping();
    });
    expect(pool?.freesize).to.equal(before);
  });

  it('refuses bad options and a non-function, running nothing', async () => {
    let runs = 0;
    const fn = async (): Promise<void> => void runs++;
    expect(await rejectionOf(redis.transaction(fn, { attemps: 2 } as never))).to.be.instanceOf(
      TypeError,
    );
    expect(await rejectionOf(redis.transaction(fn, { attempts: 0 }))).to.be.instanceOf(RangeError);
    expect(await rejectionOf(redis.transaction('fn' as never))).to.be.instanceOf(TypeError);
    expect(runs).to.equal(0);
  });
});
