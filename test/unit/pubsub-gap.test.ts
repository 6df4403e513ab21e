import { expect } from 'chai';
import diagnostics from 'node:diagnostics_channel';
import { Channel, Receiver } from '../../lib/pubsub';
import { isGap, publishGap } from '../../lib/pubsub-gap';
import { ChannelClosedError, type SubscriptionGap, SubscriptionGapError } from '../../lib/errors';
import { rejection, tick, track } from '../helpers/settle';

const b = (text: string): Buffer => Buffer.from(text);

/** A gap as the Link hands it to every Channel it resubscribed after one loss. */
function loss(channels: string[], epoch = 2): SubscriptionGap {
  const cause = new Error('read ECONNRESET');
  return { kind: 'gap', channels, lostAt: 1_000, resumedAt: 1_250, cause, epoch };
}

/** Collects what is published on `redmux:gap` while the test runs. */
function recordGapEvents(): { events: unknown[]; stop: () => void } {
  const events: unknown[] = [];
  const listener = (event: unknown): void => {
    events.push(event);
  };
  diagnostics.subscribe('redmux:gap', listener);
  return { events, stop: () => diagnostics.unsubscribe('redmux:gap', listener) };
}

describe('pub/sub gap markers', () => {
  describe('isGap()', () => {
    it('is true for a marker a Channel yielded and false for every kind of message', async () => {
      const channel = new Channel('c', true);
      channel._put([b('c1'), b('m')]);
      channel._gap(loss(['c']));
      const message = await channel.get();
      const marker = await channel.get();
      expect(isGap(marker)).to.equal(true);
      for (const value of [message, b('x'), 'x', 7, null, undefined, [b('c'), b('m')]]) {
        expect(isGap(value)).to.equal(false);
      }
    });

    it('is false for a message that merely looks like a marker', async () => {
      const channel = new Channel('c', false);
      channel._put(b(JSON.stringify({ kind: 'gap', channels: ['c'], epoch: 1 })));
      const parsed = await channel.getJson();
      expect(parsed).to.deep.include({ kind: 'gap' });
      expect(isGap(parsed)).to.equal(false);
      expect(isGap(loss(['c']))).to.equal(false);
    });
  });

  describe("gaps: 'marker' (the default)", () => {
    it('queues the gap in order with the messages, the same object for get()', async () => {
      const channel = new Channel('c', false, { encoding: 'utf8' });
      const gap = loss(['c', 'd']);
      channel._put(b('before'));
      channel._gap(gap);
      channel._put(b('after'));
      expect(channel.queueLength).to.equal(3);
      expect(await channel.get()).to.equal('before');
      expect(await channel.get()).to.equal(gap);
      expect(await channel.get()).to.equal('after');
    });

    it('yields the marker from for await and iter(), and getJson() resolves it unparsed', async () => {
      const channel = new Channel('c', false, { encoding: 'utf8' });
      const gap = loss(['c']);
      channel._put(b('1'));
      channel._gap(gap);
      channel._put(b('2'));
      channel._close();
      const seen: unknown[] = [];
      for await (const item of channel) seen.push(item);
      expect(seen).to.deep.equal(['1', gap, '2']);
      expect(seen[1]).to.equal(gap);

      const other = new Channel('o', false);
      other._gap(gap);
      other._put(b('{"n":1}'));
      other._close();
      const viaIter: unknown[] = [];
      for await (const item of other.iter({ encoding: 'hex' })) viaIter.push(item);
      expect(viaIter[0]).to.equal(gap);
      const third = new Channel('t', false);
      third._gap(gap);
      expect(await third.getJson()).to.equal(gap);
    });

    it('resolves a waiting get() and waitMessage() with the marker', async () => {
      const channel = new Channel('c', false);
      const gap = loss(['c']);
      const waiting = track(channel.get());
      await tick();
      channel._gap(gap);
      await tick();
      expect(waiting.value()).to.equal(gap);
      const watching = track(channel.waitMessage());
      await tick();
      expect(watching.state()).to.equal('pending');
      channel._gap(loss(['c'], 3));
      await tick();
      expect(watching.value()).to.equal(true);
    });
  });

  describe("gaps: 'throw'", () => {
    it('rejects the read that reaches the gap with SubscriptionGapError, then reads on', async () => {
      const channel = new Channel('c', false, { encoding: 'utf8', gaps: 'throw' });
      const gap = loss(['c']);
      channel._put(b('before'));
      channel._gap(gap);
      channel._put(b('after'));
      expect(await channel.get()).to.equal('before');
      const error = await rejection(channel.get());
      expect(error).to.be.instanceOf(SubscriptionGapError);
      expect((error as SubscriptionGapError).gap).to.equal(gap);
      expect((error as SubscriptionGapError).cause).to.equal(gap.cause);
      expect(await channel.get()).to.equal('after');
      expect(channel.isActive).to.equal(true);
    });

    it('throws out of a for await loop, which can be entered again for the next message', async () => {
      const channel = new Channel('c', false, { encoding: 'utf8', gaps: 'throw' });
      channel._put(b('1'));
      channel._gap(loss(['c']));
      channel._put(b('2'));
      channel._close();
      const first: unknown[] = [];
      const error = await rejection(
        (async () => {
          for await (const item of channel) first.push(item);
        })(),
      );
      expect(error).to.be.instanceOf(SubscriptionGapError);
      expect(first).to.deep.equal(['1']);
      const rest: unknown[] = [];
      for await (const item of channel) rest.push(item);
      expect(rest).to.deep.equal(['2']);
    });

    it('rejects a read that was already waiting', async () => {
      const channel = new Channel('c', false, { gaps: 'throw' });
      const waiting = track(channel.get());
      channel._gap(loss(['c']));
      await tick();
      expect(waiting.error()).to.be.instanceOf(SubscriptionGapError);
    });
  });

  describe("gaps: 'ignore'", () => {
    it('queues nothing: reads go from the message before to the message after', async () => {
      const channel = new Channel('c', false, { encoding: 'utf8', gaps: 'ignore' });
      channel._put(b('before'));
      channel._gap(loss(['c']));
      channel._put(b('after'));
      expect(channel.queueLength).to.equal(2);
      expect(await channel.get()).to.equal('before');
      expect(await channel.get()).to.equal('after');
    });
  });

  describe('a closed Channel', () => {
    it('ignores _gap(), whether unsubscribed or lost, and publishes nothing', async () => {
      const recorder = recordGapEvents();
      try {
        const unsubscribed = new Channel('u', false);
        unsubscribed._close();
        unsubscribed._gap(loss(['u']));
        expect(unsubscribed.queueLength).to.equal(0);
        expect(await rejection(unsubscribed.get())).to.be.instanceOf(ChannelClosedError);
        const lost = new Channel('l', false);
        const cause = new Error('gone');
        lost._close(cause);
        lost._gap(loss(['l']));
        expect(await rejection(lost.get())).to.equal(cause);
        expect(recorder.events).to.deep.equal([]);
      } finally {
        recorder.stop();
      }
    });
  });

  describe('on a Receiver', () => {
    it('yields one marker per loss, listing its own affected channels and patterns', async () => {
      const receiver = new Receiver({ encoding: 'utf8' });
      const a = receiver.channel('a');
      const bee = receiver.channel('b');
      const p = receiver.pattern('p*');
      receiver.channel('untouched');
      const gap = loss(['a', 'b', 'p*', 'someone-else']);
      a._put(b('before'));
      a._gap(gap);
      bee._gap(gap);
      p._gap(gap);
      a._put(b('after'));
      expect(receiver.queueLength).to.equal(3);
      expect(await receiver.get()).to.deep.equal([a, 'before']);
      const marker = await receiver.get();
      expect(isGap(marker)).to.equal(true);
      expect(marker).to.deep.include({ kind: 'gap', lostAt: 1_000, resumedAt: 1_250, epoch: 2 });
      expect((marker as SubscriptionGap).cause).to.equal(gap.cause);
      expect([...(marker as SubscriptionGap).channels].sort()).to.deep.equal(['a', 'b', 'p*']);
      expect(await receiver.get()).to.deep.equal([a, 'after']);
      const next = loss(['a'], 3);
      a._gap(next);
      expect(receiver.queueLength).to.equal(1);
      expect(await receiver.get()).to.deep.include({ epoch: 3, channels: ['a'] });
    });

    it('hands a waiting read the marker with every channel of the gap', async () => {
      const receiver = new Receiver();
      const a = receiver.channel('a');
      const c = receiver.channel('c');
      const waiting = track(receiver.get());
      const gap = loss(['a', 'c']);
      c._gap(gap);
      a._gap(gap);
      await tick();
      expect([...(waiting.value() as SubscriptionGap).channels].sort()).to.deep.equal(['a', 'c']);
      expect(receiver.queueLength).to.equal(0);
    });

    it('adds a channel the gap did not name when it brings the same gap', async () => {
      const receiver = new Receiver();
      const a = receiver.channel('a');
      const late = receiver.channel('late');
      const gap = loss(['a']);
      a._gap(gap);
      late._gap(gap);
      expect(receiver.queueLength).to.equal(1);
      expect((await receiver.get()) as SubscriptionGap).to.deep.include({
        channels: ['a', 'late'],
      });
    });

    it("applies the Receiver's policy: 'throw' rejects once, 'ignore' queues nothing", async () => {
      const throwing = new Receiver({ gaps: 'throw' });
      const a = throwing.channel('a');
      const z = throwing.channel('z');
      const gap = loss(['a', 'z']);
      a._gap(gap);
      z._gap(gap);
      a._put(b('next'));
      const error = await rejection(throwing.get());
      expect(error).to.be.instanceOf(SubscriptionGapError);
      expect((error as SubscriptionGapError).gap.channels).to.deep.equal(['a', 'z']);
      expect(await throwing.get({ encoding: 'utf8' })).to.deep.equal([a, 'next']);

      const ignoring = new Receiver({ gaps: 'ignore' });
      const i = ignoring.channel('i');
      i._gap(loss(['i']));
      expect(ignoring.queueLength).to.equal(0);
    });

    it('ignores a gap once stopped', () => {
      const receiver = new Receiver();
      const a = receiver.channel('a');
      receiver.stop();
      a._gap(loss(['a']));
      expect(receiver.queueLength).to.equal(0);
    });
  });

  describe('the redmux:gap diagnostics event', () => {
    it('is published once per loss, whichever Channels and policies the gap reaches', () => {
      const recorder = recordGapEvents();
      try {
        const gap = loss(['a', 'b', 'r']);
        const a = new Channel('a', false);
        const ignoring = new Channel('b', false, { gaps: 'ignore' });
        const receiver = new Receiver();
        const r = receiver.channel('r');
        a._gap(gap);
        ignoring._gap(gap);
        r._gap(gap);
        publishGap(gap); // the Link may publish it too
        expect(recorder.events).to.have.length(1);
        expect(recorder.events[0]).to.deep.equal({
          channels: ['a', 'b', 'r'],
          lostAt: 1_000,
          resumedAt: 1_250,
          cause: gap.cause,
          epoch: 2,
        });
        ignoring._gap(loss(['b'], 3));
        expect(recorder.events).to.have.length(2);
      } finally {
        recorder.stop();
      }
    });
  });
});
