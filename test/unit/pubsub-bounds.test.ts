import { expect } from 'chai';
import diagnostics from 'node:diagnostics_channel';
import { Channel, Receiver } from '../../lib/pubsub';
import { DEFAULT_QUEUE_LIMITS, isGap } from '../../lib/pubsub-gap';
import { QueueFullError, type SubscriptionGap, SubscriptionGapError } from '../../lib/errors';
import { rejection } from '../helpers/settle';

const b = (text: string): Buffer => Buffer.from(text);

/** Reads everything queued in a closed channel or receiver: messages, markers, errors. */
async function drainAll(queue: {
  get(options?: { encoding: 'utf8' }): Promise<unknown>;
  queueLength: number;
}): Promise<unknown[]> {
  const seen: unknown[] = [];
  while (queue.queueLength > 0) {
    seen.push(await queue.get({ encoding: 'utf8' }).catch((error: unknown) => error));
  }
  return seen;
}

/** What a read list looks like with markers named: 'gap(n)' for a marker of n dropped messages. */
function describeReads(reads: unknown[]): unknown[] {
  return reads.map((read) => {
    if (!isGap(read)) return read instanceof Error ? read.name : read;
    const dropped = /(\d+) message/.exec(read.cause.message)?.[1];
    return read.cause instanceof QueueFullError ? `dropped(${dropped})` : `loss(${read.epoch})`;
  });
}

describe('pub/sub queue bounds', () => {
  describe('the defaults', () => {
    it('are 100,000 messages, 64 MiB, drop-oldest and markers', () => {
      expect(DEFAULT_QUEUE_LIMITS).to.deep.equal({
        gaps: 'marker',
        maxQueued: 100_000,
        maxQueuedBytes: 64 * 1024 * 1024,
        overflow: 'drop-oldest',
      });
    });

    it('hold 100,000 messages and drop the oldest for the next one', async () => {
      const channel = new Channel('c', false, { encoding: 'utf8' });
      for (let i = 0; i < 100_000; i++) channel._put(b(String(i)));
      expect(channel.queueLength).to.equal(100_000);
      channel._put(b('100000'));
      expect(channel.queueLength).to.equal(100_001); // 99,999 + the new one + the marker
      const marker = await channel.get();
      expect(isGap(marker)).to.equal(true);
      expect(await channel.get()).to.equal('1');
    });
  });

  describe("overflow: 'drop-oldest'", () => {
    it('drops the oldest messages by count and puts one marker where they were', async () => {
      const channel = new Channel('news', false, { encoding: 'utf8', maxQueued: 3 });
      const before = Date.now();
      for (const text of ['1', '2', '3', '4', '5']) channel._put(b(text));
      expect(channel.queueLength).to.equal(4);
      const marker = (await channel.get()) as SubscriptionGap;
      expect(isGap(marker)).to.equal(true);
      expect(marker.kind).to.equal('gap');
      expect(marker.channels).to.deep.equal(['news']);
      expect(marker.epoch).to.equal(0);
      expect(marker.lostAt).to.be.within(before, Date.now());
      expect(marker.resumedAt).to.be.within(marker.lostAt, Date.now());
      expect(marker.cause).to.be.instanceOf(QueueFullError);
      expect(marker.cause.message).to.match(/too slow: 2 message\(s\), the oldest, were dropped/);
      expect(marker.cause.message).to.include('maxQueued 3');
      expect(await drainAll(channel)).to.deep.equal(['3', '4', '5']);
    });

    it('grows the same marker while it is unread, and starts a new one after it is read', async () => {
      const channel = new Channel('c', false, { encoding: 'utf8', maxQueued: 2 });
      for (const text of ['1', '2', '3']) channel._put(b(text));
      channel._put(b('4'));
      channel._put(b('5'));
      expect(describeReads(await drainAll(channel))).to.deep.equal(['dropped(3)', '4', '5']);
      for (const text of ['6', '7', '8']) channel._put(b(text));
      expect(describeReads(await drainAll(channel))).to.deep.equal(['dropped(1)', '7', '8']);
    });

    it('keeps a loss marker in place and never drops it; later drops carry its epoch', async () => {
      const channel = new Channel('c', false, { encoding: 'utf8', maxQueued: 2 });
      const gap: SubscriptionGap = {
        kind: 'gap',
        channels: ['c'],
        lostAt: 1,
        resumedAt: 2,
        cause: new Error('reset'),
        epoch: 5,
      };
      for (const text of ['1', '2', '3']) channel._put(b(text)); // drops 1, before the loss
      channel._gap(gap);
      channel._put(b('4')); // drops 2: the run before the loss grows
      channel._put(b('5')); // drops 3: likewise
      channel._put(b('6')); // drops 4, which came after the loss: a new run, after it
      const reads = await drainAll(channel);
      expect(describeReads(reads)).to.deep.equal(['dropped(3)', 'loss(5)', 'dropped(1)', '5', '6']);
      expect((reads[0] as SubscriptionGap).epoch).to.equal(0);
      expect(reads[1]).to.equal(gap);
      expect((reads[2] as SubscriptionGap).epoch).to.equal(5);
    });

    it('bounds bytes of payload, counting both parts of a pattern message', async () => {
      const channel = new Channel('p*', true, { encoding: 'utf8', maxQueuedBytes: 10 });
      channel._put([b('p1'), b('aaa')]); // 5 bytes
      channel._put([b('p2'), b('bbb')]); // 10
      channel._put([b('p3'), b('c')]); // 13: drops the first
      expect(describeReads(await drainAll(channel))).to.deep.equal([
        'dropped(1)',
        ['p2', 'bbb'],
        ['p3', 'c'],
      ]);
      const plain = new Channel('c', false, { encoding: 'utf8', maxQueuedBytes: 8 });
      for (const text of ['aaaa', 'bbbb', 'cccc', 'dd']) plain._put(b(text));
      expect(describeReads(await drainAll(plain))).to.deep.equal(['dropped(2)', 'cccc', 'dd']);
    });

    it('drops a message larger than maxQueuedBytes alone, marking it where it would have been', async () => {
      const channel = new Channel('c', false, { encoding: 'utf8', maxQueuedBytes: 4 });
      channel._put(b('ab'));
      channel._put(b('too big'));
      channel._put(b('cd'));
      expect(describeReads(await drainAll(channel))).to.deep.equal(['ab', 'dropped(1)', 'cd']);
    });

    it("goes through the gaps policy: 'throw' rejects with the drop as the gap's cause", async () => {
      const channel = new Channel('c', false, { encoding: 'utf8', maxQueued: 1, gaps: 'throw' });
      channel._put(b('1'));
      channel._put(b('2'));
      const error = await rejection(channel.get());
      expect(error).to.be.instanceOf(SubscriptionGapError);
      expect((error as SubscriptionGapError).gap.cause).to.be.instanceOf(QueueFullError);
      expect(await channel.get()).to.equal('2');
    });

    it("with gaps: 'ignore' drops without a marker", async () => {
      const channel = new Channel('c', false, { encoding: 'utf8', maxQueued: 2, gaps: 'ignore' });
      for (const text of ['1', '2', '3', '4']) channel._put(b(text));
      expect(await drainAll(channel)).to.deep.equal(['3', '4']);
    });

    it('bounds a Receiver across its channels; its marker lists the channels that lost messages', async () => {
      const receiver = new Receiver({ encoding: 'utf8', maxQueued: 2 });
      const a = receiver.channel('a');
      const p = receiver.pattern('p*');
      const c = receiver.channel('c');
      a._put(b('1'));
      p._put([b('p1'), b('2')]);
      c._put(b('3'));
      c._put(b('4'));
      const reads = await drainAll(receiver);
      expect(describeReads(reads)[0]).to.equal('dropped(2)');
      expect((reads[0] as SubscriptionGap).channels).to.deep.equal(['a', 'p*']);
      expect(reads.slice(1)).to.deep.equal([
        [c, '3'],
        [c, '4'],
      ]);
    });
  });

  describe("overflow: 'error'", () => {
    it('drops new messages; the read that reaches them rejects with QueueFullError', async () => {
      const channel = new Channel('c', false, {
        encoding: 'utf8',
        maxQueued: 2,
        overflow: 'error',
      });
      for (const text of ['1', '2', '3', '4']) channel._put(b(text));
      expect(await channel.get()).to.equal('1');
      expect(await channel.get()).to.equal('2');
      const error = await rejection(channel.get());
      expect(error).to.be.instanceOf(QueueFullError);
      expect((error as Error).message).to.match(/too slow: 2 new message\(s\) were dropped/);
      channel._put(b('5'));
      expect(await channel.get()).to.equal('5');
      expect(channel.isActive).to.equal(true);
    });

    it('keeps the point of loss in order: messages queued after room was made come after it', async () => {
      const receiver = new Receiver({ encoding: 'utf8', maxQueuedBytes: 3, overflow: 'error' });
      const a = receiver.channel('a');
      a._put(b('12'));
      a._put(b('34')); // does not fit
      expect(await receiver.get()).to.deep.equal([a, '12']);
      a._put(b('56')); // fits again, after the point of loss
      expect(describeReads(await drainAll(receiver))).to.deep.equal(['QueueFullError', [a, '56']]);
    });
  });

  describe('the redmux:gap event of a full queue', () => {
    it('is published once when a run of drops starts, without any payload', async () => {
      const events: unknown[] = [];
      const listener = (event: unknown): void => {
        events.push(event);
      };
      diagnostics.subscribe('redmux:gap', listener);
      try {
        const channel = new Channel('c', false, { maxQueued: 1 });
        for (const text of ['secret-1', 'secret-2', 'secret-3']) channel._put(b(text));
        expect(events).to.have.length(1);
        const event = events[0] as Record<string, unknown>;
        expect(Object.keys(event).sort()).to.deep.equal([
          'cause',
          'channels',
          'epoch',
          'lostAt',
          'resumedAt',
        ]);
        expect(event.channels).to.deep.equal(['c']);
        expect(event.cause).to.be.instanceOf(QueueFullError);
        expect(JSON.stringify(event) + String(event.cause)).not.to.include('secret');
        await channel.get(); // the marker: the next drop starts a new run
        channel._put(b('secret-4'));
        expect(events).to.have.length(2);
        const ignoring = new Channel('i', false, { maxQueued: 1, gaps: 'ignore' });
        for (const text of ['1', '2', '3']) ignoring._put(b(text));
        const refusing = new Channel('r', false, { maxQueued: 1, overflow: 'error' });
        for (const text of ['1', '2', '3']) refusing._put(b(text));
        expect(events).to.have.length(4);
      } finally {
        diagnostics.unsubscribe('redmux:gap', listener);
      }
    });
  });

  describe('option checks', () => {
    type Loose = new (...args: unknown[]) => unknown;
    const LooseChannel = Channel as unknown as Loose;
    const LooseReceiver = Receiver as unknown as Loose;
    const make = {
      Channel: (options: unknown) => new LooseChannel('c', false, options),
      Receiver: (options: unknown) => new LooseReceiver(options),
    };

    for (const [kind, construct] of Object.entries(make)) {
      it(`new ${kind}() throws TypeError for a policy or bound of the wrong kind`, () => {
        expect(() => construct({ gaps: 'skip' })).to.throw(TypeError, /'gaps' must be/);
        expect(() => construct({ overflow: 'drop-newest' })).to.throw(TypeError, /'overflow'/);
        expect(() => construct({ maxQueued: '10' })).to.throw(
          TypeError,
          /'maxQueued' must be a number/,
        );
        expect(() => construct({ maxQueuedBytes: null })).to.throw(TypeError, /'maxQueuedBytes'/);
        expect(() => construct({ maxQueue: 10 })).to.throw(TypeError, /did you mean 'maxQueued'/);
      });

      it(`new ${kind}() throws RangeError for a bound that is not a whole number ≥ 1`, () => {
        for (const bad of [0, -1, 1.5, Infinity, NaN, 2 ** 53]) {
          expect(() => construct({ maxQueued: bad })).to.throw(RangeError, /'maxQueued'/);
          expect(() => construct({ maxQueuedBytes: bad })).to.throw(RangeError, /'maxQueuedBytes'/);
        }
        expect(() =>
          construct({ maxQueued: 1, maxQueuedBytes: 1, gaps: 'ignore', overflow: 'error' }),
        ).not.to.throw();
      });
    }
  });
});
