// The hooks a cluster's sharded subscribers put on a connection's Subscriptions: an unsolicited
// `sunsubscribe` a hook claims leaves its Channel open, and a due gap shows once, on confirmation.
import { expect } from 'chai';
import { Channel } from '../../lib/pubsub';
import { isGap } from '../../lib/pubsub-gap';
import { type DueGap, gapOnConfirm, onShardDropped, Subscriptions } from '../../lib/subscriptions';

const b = (text: string): Buffer => Buffer.from(text);

/** Subscriptions with `names` confirmed as sharded channels, each its own Channel. */
function subscribed(...names: string[]): { subs: Subscriptions; channels: Channel[] } {
  const subs = new Subscriptions();
  const channels = names.map((name) => new Channel(name, false, { encoding: 'utf8' }));
  channels.forEach((channel, i) => {
    subs.confirm(
      'ssubscribe',
      [b('ssubscribe'), b(channel.name), i + 1],
      new Map([[channel.name, channel]]),
    );
  });
  return { subs, channels };
}

describe('Subscriptions (sharded hooks)', () => {
  describe('onShardDropped()', () => {
    it('a claimed sunsubscribe answers no command, leaves the Channel open and out of the registry', () => {
      const { subs, channels } = subscribed('a', 'b');
      const [a] = channels as [Channel];
      const claimed: Channel[] = [];
      onShardDropped(a, (channel) => claimed.push(channel) > 0);
      expect(subs.deliver('sunsubscribe', [b('sunsubscribe'), b('a'), 1])).to.equal(true);
      expect(claimed).to.deep.equal([a]);
      expect(a._closed).to.equal(false);
      expect(subs.shards.has('a')).to.equal(false);
      expect(subs.count).to.equal(1);
    });

    it('a sunsubscribe the hook does not claim (our own SUNSUBSCRIBE) goes on to confirmation', () => {
      const { subs, channels } = subscribed('a');
      onShardDropped(channels[0] as Channel, () => false);
      expect(subs.deliver('sunsubscribe', [b('sunsubscribe'), b('a'), 0])).to.equal(false);
      subs.confirm('sunsubscribe', [b('sunsubscribe'), b('a'), 0], null);
      expect((channels[0] as Channel)._closed).to.equal(true);
    });

    it('without a hook, or once removed, a sunsubscribe is a confirmation as before', () => {
      const { subs, channels } = subscribed('a');
      onShardDropped(channels[0] as Channel, () => true);
      onShardDropped(channels[0] as Channel, undefined);
      expect(subs.deliver('sunsubscribe', [b('sunsubscribe'), b('a'), 0])).to.equal(false);
      expect(subs.deliver('sunsubscribe', [b('sunsubscribe'), b('unknown'), 0])).to.equal(false);
    });
  });

  describe('gapOnConfirm()', () => {
    it('shows one marker, shared by the channels of one loss, before their first message', async () => {
      const subs = new Subscriptions();
      const x = new Channel('x', false, { encoding: 'utf8' });
      const y = new Channel('y', false, { encoding: 'utf8' });
      const due: DueGap = {
        channels: ['x', 'y'],
        lostAt: 1000,
        cause: new Error('moved'),
        epoch: 1,
      };
      gapOnConfirm(x, due);
      gapOnConfirm(y, due);
      const before = Date.now();
      subs.confirm('ssubscribe', [b('ssubscribe'), b('x'), 1], new Map([['x', x]]));
      subs.confirm('ssubscribe', [b('ssubscribe'), b('y'), 2], new Map([['y', y]]));
      subs.deliver('smessage', [b('smessage'), b('x'), b('hello')]);
      const gap = await x.get();
      expect(isGap(gap)).to.equal(true);
      expect(await y.get()).to.equal(gap);
      if (!isGap(gap)) return;
      expect(gap.channels).to.deep.equal(['x', 'y']);
      expect(gap.resumedAt).to.be.at.least(before);
      expect(await x.get()).to.equal('hello');
      // Shown once: confirmed again on another connection, the Channel shows no second marker.
      const again = new Subscriptions();
      again.confirm('ssubscribe', [b('ssubscribe'), b('x'), 1], new Map([['x', x]]));
      again.deliver('smessage', [b('smessage'), b('x'), b('plain')]);
      expect(await x.get()).to.equal('plain');
    });
  });
});
