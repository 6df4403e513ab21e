import { expect } from 'chai';
import { Receiver } from '../../lib/pubsub';
import { ChannelClosedError, ConnectionClosedError } from '../../lib/errors';
import { messagesOf, notGap } from '../helpers/gap';
import { rejection, tick, track } from '../helpers/settle';

const b = (text: string): Buffer => Buffer.from(text);

describe('Receiver', () => {
  describe('#channel() and #pattern()', () => {
    it('return the same sender for a name until it is closed', () => {
      const receiver = new Receiver();
      const news = receiver.channel('news');
      expect(receiver.channel('news')).to.equal(news);
      expect(receiver.channel(b('news'))).to.equal(news);
      expect(news.name).to.equal('news');
      expect(news.isPattern).to.equal(false);
      expect(news.receiver).to.equal(receiver);

      const pattern = receiver.pattern('news.*');
      expect(receiver.pattern('news.*')).to.equal(pattern);
      expect(pattern.isPattern).to.equal(true);
      expect(receiver.pattern('news')).to.not.equal(news);

      news._close();
      const again = receiver.channel('news');
      expect(again).to.not.equal(news);
      expect(receiver.channel('news')).to.equal(again);
      expect(new Receiver().channel('news')).to.not.equal(again);
    });

    it('list the senders that are not closed in channels and patterns', () => {
      const receiver = new Receiver();
      const a = receiver.channel('a');
      const c = receiver.channel('c');
      const p = receiver.pattern('p*');
      expect([...receiver.channels.entries()]).to.deep.equal([
        ['a', a],
        ['c', c],
      ]);
      expect([...receiver.patterns.entries()]).to.deep.equal([['p*', p]]);
      a._close();
      p._close(new ConnectionClosedError('gone'));
      expect([...receiver.channels.keys()]).to.deep.equal(['c']);
      expect(receiver.patterns.size).to.equal(0);
    });
  });

  describe('#get() and #iter()', () => {
    it('queue the messages of several senders in one FIFO as [sender, message]', async () => {
      const receiver = new Receiver();
      const a = receiver.channel('a');
      const c = receiver.channel('c');
      const waiting = receiver.get();
      a._put(b('1'));
      c._put(b('2'));
      a._put(b('3'));
      c._put(b('4'));
      expect(await waiting).to.deep.equal([a, b('1')]);
      const [sender, message] = notGap(await receiver.get());
      expect(sender).to.equal(c);
      expect(Buffer.isBuffer(message)).to.equal(true);
      expect(message).to.deep.equal(b('2'));
      expect(receiver.queueLength).to.equal(2);
      expect(await take(receiver.iter(), 2)).to.deep.equal([
        [a, b('3')],
        [c, b('4')],
      ]);
      expect(receiver.queueLength).to.equal(0);
      expect(a.queueLength + c.queueLength).to.equal(0);
    });

    it('delivers a pattern message as [sender, [channelName, message]]', async () => {
      const receiver = new Receiver();
      const p = receiver.pattern('news.*');
      p._put([b('news.tech'), b('chips')]);
      expect(await receiver.get()).to.deep.equal([p, [b('news.tech'), b('chips')]]);
    });

    it('apply encoding and decoder to the message, and the encoding to a pattern channel name', async () => {
      const receiver = new Receiver();
      const a = receiver.channel('a');
      const p = receiver.pattern('p*');
      a._put(b('{"n":1}'));
      p._put([b('p1'), b('{"n":2}')]);
      a._put(b('héllo'));
      p._put([b('p2'), b('raw')]);
      // Receiver.get() takes a decoder of string | Buffer (it has no overloads as Channel.get() has).
      const parse = (message: string | Buffer): unknown => JSON.parse(String(message));
      expect(await receiver.get({ encoding: 'utf8', decoder: parse })).to.deep.equal([a, { n: 1 }]);
      expect(await receiver.get({ encoding: 'utf8', decoder: parse })).to.deep.equal([
        p,
        ['p1', { n: 2 }],
      ]);
      expect(await take(receiver.iter({ encoding: 'utf8' }), 2)).to.deep.equal([
        [a, 'héllo'],
        [p, ['p2', 'raw']],
      ]);
      a._put(b('xyz'));
      a._put(b('xyz'));
      const isBuffer = (message: string | Buffer): boolean => Buffer.isBuffer(message);
      expect(await receiver.get({ decoder: isBuffer })).to.deep.equal([a, true]);
      expect(await receiver.get({ encoding: 'latin1', decoder: isBuffer })).to.deep.equal([
        a,
        false,
      ]);
    });

    it('rejects one read with what a decoder threw, consuming only that message', async () => {
      const receiver = new Receiver();
      const a = receiver.channel('a');
      a._put(b('{bad'));
      a._put(b('{"ok":true}'));
      const decoder = (message: string | Buffer): unknown => JSON.parse(String(message));
      expect(await rejection(receiver.get({ encoding: 'utf8', decoder }))).to.be.instanceOf(
        SyntaxError,
      );
      expect(await receiver.get({ encoding: 'utf8', decoder })).to.deep.equal([a, { ok: true }]);
    });

    it('keeps queued messages for the next read after a for-await loop breaks', async () => {
      const receiver = new Receiver();
      const a = receiver.channel('a');
      for (const text of ['1', '2', '3']) a._put(b(text));
      for await (const [, message] of messagesOf(receiver.iter({ encoding: 'utf8' }))) {
        if (message === '1') break;
      }
      expect(receiver.queueLength).to.equal(2);
      expect(await receiver.get({ encoding: 'utf8' })).to.deep.equal([a, '2']);
    });
  });

  describe('senders', () => {
    it('reject get(), getJson(), waitMessage() and iteration with TypeError', async () => {
      const receiver = new Receiver();
      const a = receiver.channel('a');
      const p = receiver.pattern('p*');
      a._put(b('1'));
      p._put([b('p1'), b('2')]);
      for (const sender of [a, p]) {
        expect(await rejection(sender.get())).to.be.instanceOf(TypeError);
        expect(await rejection(sender.getJson())).to.be.instanceOf(TypeError);
        expect(await rejection(sender.waitMessage())).to.be.instanceOf(TypeError);
        expect(await rejection(sender.iter().next())).to.be.instanceOf(TypeError);
        const loop = (async () => {
          for await (const message of sender) expect.fail(`got ${String(message)}`);
        })();
        expect(await rejection(loop)).to.be.instanceOf(TypeError);
      }
      // Nothing was taken from the receiver.
      expect(receiver.queueLength).to.equal(2);
      expect(a.queueLength).to.equal(0);
    });
  });

  describe('when a sender closes', () => {
    it('forgets a sender closed normally but keeps reading from the others', async () => {
      const receiver = new Receiver();
      const a = receiver.channel('a');
      const c = receiver.channel('c');
      a._put(b('before'));
      a._close();
      a._put(b('after close'));
      expect(receiver.channels.has('a')).to.equal(false);
      expect(receiver.isActive).to.equal(true);
      expect(await receiver.get()).to.deep.equal([a, b('before')]);
      const waiting = track(receiver.get());
      await tick();
      expect(waiting.state()).to.equal('pending');
      c._put(b('from c'));
      await tick();
      expect(waiting.value()).to.deep.equal([c, b('from c')]);
      // Even with every sender closed normally, reads do not end: more may be subscribed.
      c._close();
      const later = track(receiver.get());
      await tick();
      expect(later.state()).to.equal('pending');
      const d = receiver.channel('d');
      d._put(b('new sender'));
      await tick();
      expect(later.value()).to.deep.equal([d, b('new sender')]);
    });

    it("rejects reads with a lost sender's error once the queue is drained", async () => {
      const receiver = new Receiver();
      const a = receiver.channel('a');
      const c = receiver.channel('c');
      const loss = new ConnectionClosedError('gone');
      a._put(b('1'));
      c._put(b('2'));
      a._close(loss);
      c._put(b('dropped: the receiver has ended'));
      expect(await receiver.waitMessage()).to.equal(true);
      expect(await take(receiver.iter(), 2)).to.deep.equal([
        [a, b('1')],
        [c, b('2')],
      ]);
      expect(await rejection(receiver.get())).to.equal(loss);
      expect(await rejection(receiver.waitMessage())).to.equal(loss);
      expect(await rejection(receiver.iter().next())).to.equal(loss);
      expect(receiver.isActive).to.equal(false);
    });

    it('rejects a waiting for-await loop with the loss error', async () => {
      const receiver = new Receiver();
      const p = receiver.pattern('p*');
      const loss = new ConnectionClosedError('gone');
      const received: unknown[] = [];
      setImmediate(() => {
        p._put([b('p1'), b('m')]);
        p._close(loss);
      });
      const error = await rejection(
        (async () => {
          for await (const item of receiver.iter({ encoding: 'utf8' })) received.push(item);
        })(),
      );
      expect(error).to.equal(loss);
      expect(received).to.deep.equal([[p, ['p1', 'm']]]);
    });
  });

  describe('#stop()', () => {
    it('ends the iteration once drained, and drops later messages', async () => {
      const receiver = new Receiver();
      const a = receiver.channel('a');
      a._put(b('1'));
      a._put(b('2'));
      receiver.stop();
      a._put(b('3'));
      expect(receiver.queueLength).to.equal(2);
      const received: unknown[] = [];
      for await (const item of receiver.iter({ encoding: 'utf8' })) received.push(item);
      expect(received).to.deep.equal([
        [a, '1'],
        [a, '2'],
      ]);
      expect(await rejection(receiver.get())).to.be.instanceOf(ChannelClosedError);
      expect(await receiver.waitMessage()).to.equal(false);
    });

    it('ends waiting reads: next() done, get() ChannelClosedError, waitMessage() false', async () => {
      const receiver = new Receiver();
      receiver.channel('a');
      const next = receiver.iter().next();
      const get = receiver.get();
      const wait = receiver.waitMessage();
      receiver.stop();
      expect(await next).to.deep.equal({ done: true, value: undefined });
      expect(await rejection(get)).to.be.instanceOf(ChannelClosedError);
      expect(await wait).to.equal(false);
    });

    it('keeps ending normally when a sender is lost after stop()', async () => {
      const receiver = new Receiver();
      const a = receiver.channel('a');
      receiver.stop();
      a._close(new ConnectionClosedError('gone'));
      expect(await receiver.iter().next()).to.deep.equal({ done: true, value: undefined });
    });
  });

  describe('#isActive', () => {
    it('is true while a sender is open or messages are queued, false once stopped and drained', async () => {
      const receiver = new Receiver();
      expect(receiver.isActive).to.equal(false); // no sender: nothing can arrive
      const a = receiver.channel('a');
      expect(receiver.isActive).to.equal(true);
      a._put(b('1'));
      a._close();
      expect(receiver.channels.size).to.equal(0);
      expect(receiver.isActive).to.equal(true); // a message is still queued
      await receiver.get();
      expect(receiver.isActive).to.equal(false);

      const c = receiver.channel('c');
      expect(receiver.isActive).to.equal(true);
      c._put(b('2'));
      receiver.stop();
      expect(receiver.isActive).to.equal(true); // stopped, not drained
      await receiver.get();
      expect(receiver.isActive).to.equal(false);
      expect(c.isActive).to.equal(true); // stop() does not close the senders
    });
  });
});

/** Reads `count` items from an async iterable, then leaves the loop. */
async function take<T>(iterable: AsyncIterable<T>, count: number): Promise<T[]> {
  const taken: T[] = [];
  for await (const item of iterable) {
    taken.push(item);
    if (taken.length === count) break;
  }
  return taken;
}
