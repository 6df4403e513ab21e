// Option-taking methods of clients reject what they do not understand (DESIGN.md invariant 2):
// a non-object or an unknown key is a TypeError naming the closest known key, and nothing is sent.
import { expect } from 'chai';
import { type AcquireOptions, createRedis, createRedisPool, type Redis } from '../../lib';
import { sharedServer } from '../helpers/hooks';
import { rejectionOf, uniqueKey } from '../helpers/util';

describe('strict options of Redis clients', () => {
  const clients: Array<Redis<Buffer>> = [];

  before(async () => {
    const { url } = await sharedServer();
    clients.push(await createRedis(url), await createRedisPool(url, { minsize: 0 }));
  });

  after(async () => {
    for (const client of clients) client.close();
    await Promise.all(clients.map((client) => client.waitClosed()));
  });

  for (const kind of ['a single connection', 'a pool']) {
    describe(`on ${kind}`, () => {
      const client = (): Redis<Buffer> => clients[kind === 'a pool' ? 1 : 0] as Redis<Buffer>;

      it('acquire() rejects an unknown key and a non-object with TypeError', async () => {
        const err = await rejectionOf(client().acquire({ timeOut: 5 } as AcquireOptions));
        expect(err).to.be.instanceOf(TypeError);
        expect(err.message).to.equal("acquire() has no option 'timeOut'; did you mean 'timeout'?");
        const notObject = await rejectionOf(client().acquire(5 as unknown as AcquireOptions));
        expect(notObject).to.be.instanceOf(TypeError);
        expect(client().pool?.size ?? 0).to.equal(0);
      });

      it('executeWith() rejects an unknown key with TypeError and sends nothing', async () => {
        const key = uniqueKey();
        const err = await rejectionOf(
          client().executeWith({ encodng: 'utf8' } as object, 'SET', key, 'v'),
        );
        expect(err).to.be.instanceOf(TypeError);
        expect(err.message).to.equal(
          "executeWith() has no option 'encodng'; did you mean 'encoding'?",
        );
        expect(await client().call('EXISTS', key)).to.equal(0);
      });
    });
  }
});
