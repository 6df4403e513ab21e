import { expect } from 'chai';
import { Channel } from '../../lib/pubsub';
import { ChannelClosedError, ConnectionClosedError } from '../../lib/errors';
import { messagesOf, notGap } from '../helpers/gap';
import { rejection, tick, track } from '../helpers/settle';

const b = (text: string): Buffer => Buffer.from(text);

describe('Channel', () => {
  describe('constructor', () => {
    it('keeps a string name and the pattern flag', () => {
      const channel = new Channel('news.*', true);
      expect(channel.name).to.equal('news.*');
      expect(channel.isPattern).to.equal(true);
      expect(new Channel('news', false).isPattern).to.equal(false);
    });

    it('stores a Buffer name decoded as UTF-8', () => {
      expect(new Channel(b('канал'), false).name).to.equal('канал');
    });
  });

  describe('#get()', () => {
    it('returns queued messages as Buffers in the order they were put', async () => {
      const channel = new Channel('c', false);
      channel._put(b('one'));
      channel._put(b('two'));
      channel._put(b('three'));
      const first = await channel.get();
      expect(Buffer.isBuffer(first)).to.equal(true);
      expect(first).to.deep.equal(b('one'));
      expect(await channel.get()).to.deep.equal(b('two'));
      expect(await channel.get()).to.deep.equal(b('three'));
    });

    it('waits for a message when the queue is empty', async () => {
      const channel = new Channel('c', false);
      const pending = track(channel.get());
      await tick();
      expect(pending.state()).to.equal('pending');
      channel._put(b('late'));
      await tick();
      expect(pending.value()).to.deep.equal(b('late'));
      expect(channel.queueLength).to.equal(0);
    });

    it('decodes to a string with encoding', async () => {
      const channel = new Channel('c', false);
      channel._put(b('héllo'));
      channel._put(b('hi'));
      expect(await channel.get({ encoding: 'utf8' })).to.equal('héllo');
      expect(await channel.get({ encoding: 'hex' })).to.equal('6869');
    });

    it('applies the decoder after the encoding, to waiting and queued reads alike', async () => {
      const channel = new Channel('c', false);
      const seen: unknown[] = [];
      const decoder = (message: string): string => {
        seen.push(message);
        return message.toUpperCase();
      };
      const waiting = channel.get({ encoding: 'utf8', decoder });
      channel._put(b('abc'));
      channel._put(b('def'));
      expect(await waiting).to.equal('ABC');
      expect(await channel.get({ encoding: 'utf8', decoder })).to.equal('DEF');
      expect(seen).to.deep.equal(['abc', 'def']);
    });

    it('hands the decoder a Buffer when there is no encoding', async () => {
      const channel = new Channel<false, Buffer>('c', false, { encoding: null });
      channel._put(b('xyz'));
      expect(
        await channel.get({ decoder: (message: Buffer) => Buffer.isBuffer(message) }),
      ).to.equal(true);
    });

    it('rejects one read with what a decoder threw, consuming only that message', async () => {
      const channel = new Channel('c', false);
      const boom = new Error('boom');
      const waiting = channel.get({
        decoder: () => {
          throw boom;
        },
      });
      expect(() => channel._put(b('bad'))).not.to.throw();
      expect(await rejection(waiting)).to.equal(boom);
      channel._put(b('good'));
      expect(await channel.get()).to.deep.equal(b('good'));
    });

    it('returns [channelName, message] on a pattern channel, with the encoding on both', async () => {
      const channel = new Channel('news.*', true);
      channel._put([b('news.tech'), b('{"n":1}')]);
      channel._put([b('news.art'), b('hello')]);
      channel._put([b('news.x'), b('raw')]);
      const parsed = await channel.get({ encoding: 'utf8', decoder: JSON.parse });
      expect(parsed).to.deep.equal(['news.tech', { n: 1 }]);
      expect(await channel.get({ encoding: 'utf8' })).to.deep.equal(['news.art', 'hello']);
      const raw = notGap(await channel.get());
      expect(raw).to.deep.equal([b('news.x'), b('raw')]);
      expect(Buffer.isBuffer(raw[0]) && Buffer.isBuffer(raw[1])).to.equal(true);
    });

    it('gives several waiting readers one distinct message each, in call order', async () => {
      const channel = new Channel('c', false);
      const readers = [channel.get(), channel.get({ encoding: 'utf8' }), channel.get()];
      channel._put(b('1'));
      channel._put(b('2'));
      channel._put(b('3'));
      channel._put(b('4'));
      expect(await Promise.all(readers)).to.deep.equal([b('1'), '2', b('3')]);
      expect(channel.queueLength).to.equal(1);
      expect(await channel.get()).to.deep.equal(b('4'));
    });

    it('rejects with ChannelClosedError once closed normally and drained', async () => {
      const channel = new Channel('c', false);
      channel._put(b('last'));
      channel._close();
      expect(await channel.get()).to.deep.equal(b('last'));
      const error = await rejection(channel.get());
      expect(error).to.be.instanceOf(ChannelClosedError);
      expect((error as ChannelClosedError).code).to.equal('REDMUX_ERR_CHANNEL_CLOSED');
    });

    it('rejects a waiting read with ChannelClosedError on a normal close', async () => {
      const channel = new Channel('c', false);
      const waiting = channel.get();
      channel._close();
      expect(await rejection(waiting)).to.be.instanceOf(ChannelClosedError);
    });

    it('rejects with the exact loss error after delivering what was queued', async () => {
      const channel = new Channel('c', false);
      const loss = new ConnectionClosedError('socket ended');
      channel._put(b('a'));
      channel._close(loss);
      expect(await channel.get()).to.deep.equal(b('a'));
      expect(await rejection(channel.get())).to.equal(loss);
      expect(await rejection(channel.get())).to.equal(loss);
    });

    it('rejects every waiting read with the loss error', async () => {
      const channel = new Channel('c', false);
      const loss = new ConnectionClosedError('socket ended');
      const waiting = [channel.get(), channel.get()];
      channel._close(loss);
      for (const read of waiting) expect(await rejection(read)).to.equal(loss);
    });
  });

  describe('#getJson()', () => {
    it('parses the message as UTF-8 JSON', async () => {
      const channel = new Channel('c', false);
      channel._put(b('{"a":[1,"é"]}'));
      expect(await channel.getJson()).to.deep.equal({ a: [1, 'é'] });
    });

    it('returns [channelName, value] on a pattern channel', async () => {
      const channel = new Channel('*', true);
      channel._put([b('ch'), b('42')]);
      expect(await channel.getJson()).to.deep.equal(['ch', 42]);
    });

    it('rejects with the SyntaxError on invalid JSON', async () => {
      const channel = new Channel('c', false);
      channel._put(b('{nope'));
      expect(await rejection(channel.getJson())).to.be.instanceOf(SyntaxError);
    });
  });

  describe('#waitMessage()', () => {
    it('resolves true at once when a message is queued, without taking it', async () => {
      const channel = new Channel('c', false);
      channel._put(b('m'));
      expect(await channel.waitMessage()).to.equal(true);
      expect(channel.queueLength).to.equal(1);
      expect(await channel.get()).to.deep.equal(b('m'));
    });

    it('waits, then resolves true when a message arrives', async () => {
      const channel = new Channel('c', false);
      const first = track(channel.waitMessage());
      const second = track(channel.waitMessage());
      await tick();
      expect(first.state()).to.equal('pending');
      channel._put(b('m'));
      await tick();
      expect(first.value()).to.equal(true);
      expect(second.value()).to.equal(true);
      expect(channel.queueLength).to.equal(1);
    });

    it('resolves false when closed normally and drained, true while messages remain', async () => {
      const channel = new Channel('c', false);
      const waiting = channel.waitMessage();
      channel._close();
      expect(await waiting).to.equal(false);

      const other = new Channel('c', false);
      other._put(b('m'));
      other._close();
      expect(await other.waitMessage()).to.equal(true);
      await other.get();
      expect(await other.waitMessage()).to.equal(false);
    });

    it('drives a read loop until the channel is unsubscribed', async () => {
      const channel = new Channel('c', false);
      const received: string[] = [];
      const loop = (async () => {
        while (await channel.waitMessage()) {
          received.push(notGap(await channel.get({ encoding: 'utf8' })));
        }
      })();
      channel._put(b('x'));
      await tick();
      channel._put(b('y'));
      channel._close();
      await loop;
      expect(received).to.deep.equal(['x', 'y']);
    });

    it('rejects with the loss error, waiting or after draining', async () => {
      const channel = new Channel('c', false);
      const loss = new ConnectionClosedError('reset');
      const waiting = channel.waitMessage();
      channel._close(loss);
      expect(await rejection(waiting)).to.equal(loss);

      const other = new Channel('c', false);
      other._put(b('m'));
      other._close(loss);
      expect(await other.waitMessage()).to.equal(true);
      await other.get();
      expect(await rejection(other.waitMessage())).to.equal(loss);
    });
  });

  describe('async iteration', () => {
    it('yields every message, then ends after a normal close', async () => {
      const channel = new Channel<false, Buffer>('c', false, { encoding: null });
      channel._put(b('1'));
      channel._put(b('2'));
      setImmediate(() => {
        channel._put(b('3'));
        channel._put(b('4'));
        channel._close();
        channel._put(b('after close'));
      });
      const received: Buffer[] = [];
      for await (const message of messagesOf(channel)) received.push(message);
      expect(received).to.deep.equal([b('1'), b('2'), b('3'), b('4')]);
      expect(channel.isActive).to.equal(false);
    });

    it('decodes with iter() options, pattern tuples included', async () => {
      const channel = new Channel('p*', true);
      channel._put([b('p1'), b('"a"')]);
      channel._put([b('p2'), b('"b"')]);
      channel._close();
      const received: unknown[] = [];
      for await (const message of channel.iter({ encoding: 'utf8', decoder: JSON.parse })) {
        received.push(message);
      }
      expect(received).to.deep.equal([
        ['p1', 'a'],
        ['p2', 'b'],
      ]);
    });

    it('throws the exact loss error from the loop after draining', async () => {
      const channel = new Channel<false, Buffer>('c', false, { encoding: null });
      const loss = new ConnectionClosedError('gone');
      channel._put(b('1'));
      setImmediate(() => {
        channel._put(b('2'));
        channel._close(loss);
      });
      const received: Buffer[] = [];
      const error = await rejection(
        (async () => {
          for await (const message of messagesOf(channel)) received.push(message);
        })(),
      );
      expect(error).to.equal(loss);
      expect(received).to.deep.equal([b('1'), b('2')]);
    });

    it('rejects a waiting next() with the loss error, then reports done', async () => {
      const channel = new Channel('c', false);
      const loss = new ConnectionClosedError('gone');
      const iterator = channel.iter();
      const waiting = iterator.next();
      channel._close(loss);
      expect(await rejection(waiting)).to.equal(loss);
      expect(await iterator.next()).to.deep.equal({ done: true, value: undefined });
    });

    it('resolves a waiting next() done on a normal close', async () => {
      const channel = new Channel('c', false);
      const waiting = channel.iter().next();
      channel._close();
      expect(await waiting).to.deep.equal({ done: true, value: undefined });
    });

    it('leaves queued messages for the next reader after a break', async () => {
      const channel = new Channel('c', false);
      for (const text of ['1', '2', '3', '4']) channel._put(b(text));
      const received: string[] = [];
      for await (const message of messagesOf(channel.iter({ encoding: 'utf8' }))) {
        received.push(message);
        if (message === '2') break;
      }
      expect(received).to.deep.equal(['1', '2']);
      expect(channel.queueLength).to.equal(2);
      expect(channel.isActive).to.equal(true);
      expect(await channel.get({ encoding: 'utf8' })).to.equal('3');
      expect(await channel.get({ encoding: 'utf8' })).to.equal('4');
      channel._put(b('5'));
      expect(await channel.get({ encoding: 'utf8' })).to.equal('5');
    });

    it('return() resolves a pending next() done without taking a later message', async () => {
      const channel = new Channel('c', false);
      const iterator = channel.iter();
      const pending = iterator.next();
      const other = channel.get();
      const returned = await iterator.return!();
      expect(returned).to.deep.equal({ done: true, value: undefined });
      expect(await pending).to.deep.equal({ done: true, value: undefined });
      channel._put(b('m'));
      expect(await other).to.deep.equal(b('m'));
      expect(await iterator.next()).to.deep.equal({ done: true, value: undefined });
      channel._put(b('n'));
      expect(channel.queueLength).to.equal(1);
      expect(channel.isActive).to.equal(true);
    });

    it('gives concurrent iterators distinct messages in the order they asked', async () => {
      const channel = new Channel('c', false);
      const a = channel.iter({ encoding: 'utf8' });
      const c = channel.iter({ encoding: 'utf8' });
      const reads = [a.next(), c.next(), a.next()];
      channel._put(b('1'));
      channel._put(b('2'));
      channel._put(b('3'));
      expect((await Promise.all(reads)).map((r) => r.value)).to.deep.equal(['1', '2', '3']);
    });

    it('keeps up with many messages through a for-await loop', async () => {
      const channel = new Channel<false, Buffer>('c', false, { encoding: null });
      const count = 100_000;
      let received = 0;
      let ordered = true;
      const loop = (async () => {
        for await (const message of channel) {
          if (notGap(message).readUInt32LE(0) !== received) ordered = false;
          received++;
        }
      })();
      for (let i = 0; i < count; i++) {
        const message = Buffer.alloc(4);
        message.writeUInt32LE(i, 0);
        channel._put(message);
        if (i % 1000 === 0) await tick();
      }
      channel._close();
      await loop;
      expect(received).to.equal(count);
      expect(ordered).to.equal(true);
    });
  });

  describe('#isActive and #queueLength', () => {
    it('stays active after close until the queue is drained', async () => {
      const channel = new Channel('c', false);
      expect(channel.isActive).to.equal(true);
      expect(channel.queueLength).to.equal(0);
      channel._put(b('1'));
      channel._put(b('2'));
      expect(channel.queueLength).to.equal(2);
      channel._close();
      expect(channel.isActive).to.equal(true);
      await channel.get();
      expect(channel.queueLength).to.equal(1);
      expect(channel.isActive).to.equal(true);
      await channel.get();
      expect(channel.queueLength).to.equal(0);
      expect(channel.isActive).to.equal(false);
    });

    it('is inactive at once when closed with an empty queue, normally or by a loss', () => {
      const channel = new Channel('c', false);
      channel._close();
      expect(channel.isActive).to.equal(false);
      const lost = new Channel('c', false);
      lost._close(new ConnectionClosedError());
      expect(lost.isActive).to.equal(false);
    });

    it('does not count a message handed straight to a waiting reader', async () => {
      const channel = new Channel('c', false);
      const waiting = channel.get();
      channel._put(b('m'));
      expect(channel.queueLength).to.equal(0);
      await waiting;
    });
  });

  describe('#_put() and #_close()', () => {
    it('ignores messages put after close', async () => {
      const channel = new Channel('c', false);
      channel._put(b('before'));
      channel._close();
      channel._put(b('after'));
      expect(channel.queueLength).to.equal(1);
      expect(await channel.get()).to.deep.equal(b('before'));
      expect(await rejection(channel.get())).to.be.instanceOf(ChannelClosedError);
    });

    it('keeps the first close: a later loss does not turn an end into an error', async () => {
      const channel = new Channel('c', false);
      channel._close();
      channel._close(new ConnectionClosedError());
      expect(await channel.waitMessage()).to.equal(false);
      expect(await rejection(channel.get())).to.be.instanceOf(ChannelClosedError);
    });

    it('keeps the first close: a later normal close does not hide a loss', async () => {
      const channel = new Channel('c', false);
      const loss = new ConnectionClosedError('gone');
      channel._close(loss);
      channel._close();
      expect(await rejection(channel.waitMessage())).to.equal(loss);
    });
  });
});
