import { expect } from 'chai';
import { ConnectionLostError, QueueFullError, TimeoutError } from '../../../lib/errors';
import { OfflineQueue, type QueueBounds } from '../../../lib/link/queue';
import { commandName, encodedLength } from '../../../lib/protocol/encoder';
import { rejectionOf } from '../../helpers/util';

const BOUNDS: QueueBounds = {
  maxQueued: 10,
  maxQueuedBytes: 1024,
  offlineTimeout: 5000,
  offlineQueue: true,
  label: 'test:6379',
};

function queue(bounds: Partial<QueueBounds> = {}): OfflineQueue<string> {
  return new OfflineQueue<string>({ ...BOUNDS, ...bounds });
}

describe('link/queue', () => {
  describe('OfflineQueue', () => {
    it('drains in order, handing each entry the target and settling it as its send does', async () => {
      const q = queue();
      const seen: string[] = [];
      const first = q.push('GET', ['a'], async (target) => (seen.push(`1:${target}`), 'one'));
      const second = q.push('GET', ['b'], async (target) => (seen.push(`2:${target}`), 'two'));
      const failing = q.push('GET', ['c'], () => Promise.reject(new Error('boom')));
      expect(q.length).to.equal(3);
      q.drain('conn');
      expect(seen).to.deep.equal(['1:conn', '2:conn']);
      expect(await first).to.equal('one');
      expect(await second).to.equal('two');
      expect((await rejectionOf(failing)).message).to.equal('boom');
      expect(q.length).to.equal(0);
      expect(q.bytes).to.equal(0);
    });

    it('counts the encoded bytes of each command and gives them back when it leaves', () => {
      const q = queue();
      void q.push('SET', ['k', 'value'], async () => undefined);
      void q.push('acquire()', undefined, async () => undefined); // no command: no bytes
      expect(q.bytes).to.equal(encodedLength(commandName('SET'), ['k', 'value']));
      expect(q.accepted).to.equal(2);
      q.drain('conn');
      expect(q.bytes).to.equal(0);
    });

    it('refuses past maxQueued and past maxQueuedBytes with QueueFullError, queueing nothing', async () => {
      const q = queue({ maxQueued: 1, maxQueuedBytes: 100 });
      const kept = q.push('GET', ['a'], async () => 'ok');
      const full = await rejectionOf(q.push('GET', ['b'], async () => 'no'));
      expect(full).to.be.instanceOf(QueueFullError);
      expect(q.accepted).to.equal(1);
      const bytes = queue({ maxQueuedBytes: 30 });
      const big = await rejectionOf(bytes.push('SET', ['k', 'x'.repeat(40)], async () => 'no'));
      expect(big).to.be.instanceOf(QueueFullError);
      expect(bytes.length).to.equal(0);
      q.drain('conn');
      expect(await kept).to.equal('ok');
    });

    it('times out after offlineTimeout, or the call’s own shorter timeout, with maybeExecuted false', async () => {
      const q = queue({ offlineTimeout: 30 });
      const started = Date.now();
      const own = rejectionOf(q.push('GET', ['a'], async () => 'no', { timeout: 10 }));
      const bound = rejectionOf(q.push('GET', ['b'], async () => 'no', { timeout: 10_000 }));
      const early = await own;
      expect(early).to.be.instanceOf(TimeoutError);
      expect((early as TimeoutError).maybeExecuted).to.equal(false);
      const late = await bound;
      expect(late).to.be.instanceOf(TimeoutError);
      expect(Date.now() - started).to.be.within(25, 1000);
      expect(q.length).to.equal(0);
    });

    it('takes an entry out at once when its signal aborts; an aborted signal is refused', async () => {
      const q = queue();
      const controller = new AbortController();
      const reason = new Error('gave up');
      const aborted = rejectionOf(q.push('GET', ['a'], async () => 'no', controller));
      const kept = q.push('GET', ['b'], async () => 'kept');
      controller.abort(reason);
      expect(await aborted).to.equal(reason);
      expect(q.length).to.equal(1);
      expect(await rejectionOf(q.push('GET', ['c'], async () => 'no', controller))).to.equal(
        reason,
      );
      q.drain('conn');
      expect(await kept).to.equal('kept');
    });

    it('fails fast with offlineQueue: false, and refuses bad arguments at once', async () => {
      const off = await rejectionOf(
        queue({ offlineQueue: false }).push('GET', ['a'], async () => 1),
      );
      expect(off).to.be.instanceOf(ConnectionLostError);
      expect((off as ConnectionLostError).maybeExecuted).to.equal(false);
      const q = queue();
      const bad = await rejectionOf(q.push('GET', [undefined], async () => 1));
      expect(bad).to.be.instanceOf(TypeError);
      expect(q.length).to.equal(0);
    });

    it('rejectAll: every entry rejects unsent with the cause, and none is sent later', async () => {
      const q = queue();
      let sent = 0;
      const waiting = [
        rejectionOf(q.push('GET', ['a'], async () => sent++)),
        rejectionOf(q.push('acquire()', undefined, async () => sent++)),
      ];
      const cause = new Error('gone for good');
      q.rejectAll(cause);
      q.drain('conn');
      for (const error of await Promise.all(waiting)) {
        expect(error).to.be.instanceOf(ConnectionLostError);
        expect((error as ConnectionLostError).maybeExecuted).to.equal(false);
        expect(error.cause).to.equal(cause);
      }
      expect(sent).to.equal(0);
    });

    it('an entry pushed by a send during drain waits for the next drain', async () => {
      const q = queue();
      let inner: Promise<unknown> | undefined;
      void q.push('GET', ['a'], async () => {
        inner = q.push('GET', ['b'], async (target) => target);
        return 'outer';
      });
      q.drain('first');
      expect(q.length).to.equal(1);
      q.drain('second');
      expect(await inner).to.equal('second');
    });
  });
});
