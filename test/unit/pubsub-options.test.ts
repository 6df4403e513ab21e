import { expect } from 'chai';
import { Channel, Receiver } from '../../lib/pubsub';
import { rejection } from '../helpers/settle';

const b = (text: string): Buffer => Buffer.from(text);

/** A method called as plain JavaScript may call it, with arguments its types don't allow. */
type Variadic = (...args: unknown[]) => unknown;

describe('Channel and Receiver options', () => {
  describe('the default encoding', () => {
    it('is Buffers until the Channel learns its connection’s encoding, which a read may override', async () => {
      const channel = new Channel('c', false);
      channel._put(b('before'));
      expect(await channel.get()).to.deep.equal(b('before'));
      channel._bind('utf8');
      channel._put(b('after'));
      channel._put(b('raw'));
      channel._put(b('hi'));
      expect(await channel.get()).to.equal('after');
      expect(await channel.get({ encoding: null })).to.deep.equal(b('raw'));
      expect(await channel.get({ encoding: 'hex' })).to.equal('6869');
    });

    it('decodes a waiting read with the encoding the Channel has when the message arrives', async () => {
      const channel = new Channel('p*', true);
      const waiting = channel.get();
      channel._bind('utf8');
      channel._put([b('p1'), b('message')]);
      expect(await waiting).to.deep.equal(['p1', 'message']);
    });

    it('keeps the first encoding: one given to the constructor, or the first connection’s', () => {
      const given = new Channel('c', false, { encoding: null });
      given._bind('utf8');
      expect(given.encoding).to.equal(null);
      const learnt = new Channel('c', false);
      learnt._bind('latin1');
      learnt._bind('utf8');
      expect(learnt.encoding).to.equal('latin1');
    });

    it('hands a decoder the message in the default encoding', async () => {
      const channel = new Channel<false, string>('c', false, { encoding: 'utf8' });
      channel._put(b('héllo'));
      expect(await channel.get({ decoder: (message: string) => message.length })).to.equal(5);
    });

    it('gives a Receiver’s channels the Receiver’s encoding, or lets each learn its own', async () => {
      const strings = new Receiver<string>({ encoding: 'utf8' });
      const learning = new Receiver();
      const a = strings.channel('a');
      const c = learning.channel('c');
      const p = learning.pattern('p*');
      expect([strings.encoding, a.encoding, c.encoding]).to.deep.equal(['utf8', 'utf8', undefined]);
      c._bind(null);
      p._bind('utf8');
      a._put(b('text'));
      c._put(b('bytes'));
      p._put([b('p1'), b('text')]);
      expect(await strings.get()).to.deep.equal([a, 'text']);
      expect(await learning.get()).to.deep.equal([c, b('bytes')]);
      expect(await learning.get()).to.deep.equal([p, ['p1', 'text']]);
    });
  });

  describe('refusing what they do not understand', () => {
    it('throws TypeError from the constructors for unknown keys, non-object options and bad encodings', () => {
      expect(() => new Channel('c', false, { encodng: 'utf8' } as never)).to.throw(
        TypeError,
        "new Channel() has no option 'encodng'; did you mean 'encoding'?",
      );
      expect(() => new Channel('c', false, 'utf8' as never)).to.throw(TypeError, /plain object/);
      expect(() => new Channel('c', false, { encoding: 'utf9' } as never)).to.throw(
        TypeError,
        /option 'encoding'/,
      );
      expect(() => new Receiver({ decoder: JSON.parse } as never)).to.throw(
        TypeError,
        "new Receiver() has no option 'decoder'",
      );
    });

    it('returns an iterator from iter() whose next() rejects, never a synchronous throw', async () => {
      const channel = new Channel('c', false);
      const receiver = new Receiver();
      for (const iterate of [
        () => channel.iter({ encodng: 'utf8' } as never),
        () => (channel.iter as Variadic).call(channel, {}, 'extra') as AsyncIterator<unknown>,
        () => receiver.iter(new Map() as never),
      ]) {
        const iterator = iterate();
        expect(await rejection(iterator.next())).to.be.instanceOf(TypeError);
        expect(await rejection(iterator.next())).to.be.instanceOf(TypeError);
        expect(await iterator.return?.()).to.deep.equal({ done: true, value: undefined });
      }
    });

    it('accepts undefined options and { encoding: undefined } as the defaults', async () => {
      const channel = new Channel('c', false, { encoding: 'utf8' });
      channel._put(b('one'));
      channel._put(b('two'));
      expect(await channel.get(undefined)).to.equal('one');
      expect(await channel.get({ encoding: undefined })).to.equal('two');
    });
  });
});
