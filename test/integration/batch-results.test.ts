// execute(build) on Pipeline and MultiExec (lib/transaction.ts): the batch runs as with execute(),
// and resolves with what `build` returned, in order, each item shaped by its own method.
import { expect } from 'chai';
import {
  type Batch,
  createRedisPool,
  MultiExecError,
  PipelineError,
  type Redis,
  RedisError,
  ReplyError,
} from '../../lib';
import { commandCalls } from '../helpers/commandstats';
import { useSharedClients } from '../helpers/connection';
import { sharedServer } from '../helpers/hooks';
import { rejectionOf, uniqueKey } from '../helpers/util';

describe('execute(build): typed batch results', () => {
  let buffers: Redis<Buffer>;
  let strings: Redis<string>;
  useSharedClients((b, s) => {
    buffers = b;
    strings = s;
  });

  for (const kind of ['pipeline', 'multiExec'] as const) {
    describe(`#${kind}()`, () => {
      it('resolves with each item of build’s array in order, shaped by its method', async () => {
        const [key, counter, board, hash] = [uniqueKey(), uniqueKey(), uniqueKey(), uniqueKey()];
        await strings.zadd(board, [
          [2, 'bob'],
          [1, 'ada'],
        ]);
        await strings.hmsetDict(hash, { name: 'Ada' });
        const results = await strings[kind]().execute((b) => [
          b.set(key, 'hello'),
          b.get(key),
          b.incr(counter),
          b.incrbyfloat(counter, 0.5),
          b.zrange(board, 0, -1, { withScores: true }),
          b.zrange(board, 0, -1),
          b.hgetall(hash),
          b.get(key, { encoding: null }),
        ]);
        expect(results).to.deep.equal([
          true,
          'hello',
          1,
          1.5,
          [
            ['ada', 1],
            ['bob', 2],
          ],
          ['ada', 'bob'],
          { name: 'Ada' },
          Buffer.from('hello'),
        ]);
      });

      it('resolves with what build returned only, after running every queued command', async () => {
        const [before, key] = [uniqueKey(), uniqueKey()];
        const batch = buffers[kind]();
        const earlier = batch.set(before, 'queued first');
        const [value] = await batch.execute((b) => [b.get(before), b.set(key, 'x')] as const);
        expect(await earlier).to.equal(true);
        expect(value).to.deep.equal(Buffer.from('queued first'));
        expect(await strings.get(key)).to.equal('x');
      });

      it('an error reply in the middle rejects with the batch error; returnExceptions puts it in place', async () => {
        const key = uniqueKey();
        const failing = await rejectionOf(
          strings[kind]().execute((b) => [b.set(key, 'text'), b.incr(key), b.get(key)]),
        );
        expect(failing).to.be.instanceOf(kind === 'pipeline' ? PipelineError : MultiExecError);
        const { errors, replies } = failing as PipelineError;
        expect(errors).to.have.length(1);
        expect(replies[0]).to.equal(true);
        expect(replies[1]).to.be.instanceOf(ReplyError);
        expect(replies[2]).to.equal('text');

        const settled = await strings[kind]().execute(
          (b) => [b.set(key, 'again'), b.incr(key), b.get(key)],
          { returnExceptions: true },
        );
        expect(settled[0]).to.equal(true);
        expect(settled[1]).to.be.instanceOf(ReplyError);
        expect((settled[1] as ReplyError).message).to.match(/not an integer/);
        expect(settled[2]).to.equal('again');
      });

      it('a build that throws rejects with its error, sends nothing and rejects every queued command', async () => {
        const batch = strings[kind]();
        const earlier = batch.set(uniqueKey(), 'v');
        const sets = await commandCalls(strings, 'set');
        const oops = new Error('oops');
        let inside: Promise<unknown> | undefined;
        const err = await rejectionOf(
          batch.execute((b) => {
            inside = b.set(uniqueKey(), 'w');
            throw oops;
          }),
        );
        expect(err).to.equal(oops);
        expect(await rejectionOf(earlier)).to.equal(oops);
        expect(await rejectionOf(inside as Promise<unknown>)).to.equal(oops);
        expect(await commandCalls(strings, 'set')).to.equal(sets);
        // The batch is done: running it again is refused.
        const again = await rejectionOf(batch.execute());
        expect(again).to.be.instanceOf(RedisError);
        expect((again as RedisError).code).to.equal('REDMUX_ERR_BATCH_DONE');
      });

      it('a build that does not return an array rejects with TypeError and sends nothing', async () => {
        const batch = strings[kind]();
        const sets = await commandCalls(strings, 'set');
        let queued: Promise<unknown> | undefined;
        const notArray = (b: Batch<string>): never => {
          queued = b.set(uniqueKey(), 'v');
          return queued as never;
        };
        expect(await rejectionOf(batch.execute(notArray))).to.be.instanceOf(TypeError);
        expect(await rejectionOf(queued as Promise<unknown>)).to.be.instanceOf(TypeError);
        expect(await commandCalls(strings, 'set')).to.equal(sets);
      });
    });
  }

  describe('options of execute()', () => {
    for (const kind of ['pipeline', 'multiExec'] as const) {
      it(`${kind}: an unknown key, a non-object or an extra argument rejects with TypeError, sends nothing and keeps the batch`, async () => {
        const key = uniqueKey();
        const batch = strings[kind]();
        const set = batch.set(key, 'kept');
        const sets = await commandCalls(strings, 'set');
        const misspelt = await rejectionOf(batch.execute({ returnexceptions: true } as never));
        expect(misspelt).to.be.instanceOf(TypeError);
        expect(misspelt.message).to.equal(
          "execute() has no option 'returnexceptions'; did you mean 'returnExceptions'?",
        );
        let called = false;
        const build = (b: Batch<string>): [Promise<string | null>] => {
          called = true;
          return [b.get(key)];
        };
        const refusals = [
          batch.execute(build, { retrunExceptions: true } as never),
          batch.execute(null as never),
          batch.execute(true as never),
          (batch.execute as (...args: unknown[]) => Promise<unknown>).call(batch, {}, 'extra'),
          (batch.execute as (...args: unknown[]) => Promise<unknown>).call(
            batch,
            build,
            {},
            'extra',
          ),
        ];
        for (const refusal of refusals)
          expect(await rejectionOf(refusal)).to.be.instanceOf(TypeError);
        expect(called).to.equal(false);
        expect(await commandCalls(strings, 'set')).to.equal(sets);
        // Nothing queued was lost: the batch runs with right options.
        expect(await batch.execute({ returnExceptions: false })).to.deep.equal([true]);
        expect(await set).to.equal(true);
      });
    }
  });

  it('runs on a pool too', async () => {
    const { url } = await sharedServer();
    const pool = await createRedisPool(url, { encoding: 'utf8' });
    try {
      const key = uniqueKey();
      const results = await pool.multiExec().execute((t) => [t.set(key, '1'), t.incr(key)]);
      expect(results).to.deep.equal([true, 2]);
    } finally {
      pool.close();
      await pool.waitClosed();
    }
  });
});
