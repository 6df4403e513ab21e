import { expect } from 'chai';
import { closestKey, describe as kind, isPlainObject, optionsError } from '../../lib/strict';

describe('strict input', () => {
  describe('isPlainObject()', () => {
    it('accepts object literals and null-prototype objects only', () => {
      expect(isPlainObject({})).to.equal(true);
      expect(isPlainObject(Object.create(null))).to.equal(true);
      for (const value of [null, undefined, 1, 'x', [], Buffer.alloc(0), new Map(), new Date()]) {
        expect(isPlainObject(value), String(value)).to.equal(false);
      }
    });
  });

  describe('closestKey()', () => {
    const known = ['withScores', 'encoding', 'expire', 'exist', 'maxsize'];
    it('matches another case first', () => {
      expect(closestKey('withscores', known)).to.equal('withScores');
      expect(closestKey('maxSize', known)).to.equal('maxsize');
    });
    it('matches a prefix, then a small typo', () => {
      expect(closestKey('ex', known)).to.equal('expire');
      expect(closestKey('encodng', known)).to.equal('encoding');
    });
    it('suggests nothing for an unrelated key', () => {
      expect(closestKey('blok', known)).to.equal(undefined);
      expect(closestKey('z', known)).to.equal(undefined);
    });
  });

  describe('optionsError()', () => {
    const known = new Set(['withScores', 'encoding']);
    it('passes undefined and known keys', () => {
      expect(optionsError('zrange()', undefined, known)).to.equal(undefined);
      expect(optionsError('zrange()', { withScores: true }, known)).to.equal(undefined);
    });
    it('names an unknown key and the closest known one', () => {
      const error = optionsError('zrange()', { withscores: true }, known);
      expect(error).to.be.instanceOf(TypeError);
      expect(error?.message).to.equal(
        "zrange() has no option 'withscores'; did you mean 'withScores'?",
      );
    });
    it('lists the known keys when nothing is close', () => {
      expect(optionsError('zrange()', { zzz: 1 }, known)?.message).to.equal(
        "zrange() has no option 'zzz'; it knows 'withScores', 'encoding'",
      );
      expect(optionsError('ping()', { zzz: 1 }, new Set())?.message).to.equal(
        "ping() has no option 'zzz': it takes no options",
      );
    });
    it('prefers a hint for keys people commonly type', () => {
      const error = optionsError('set()', { ex: 60 }, new Set(['expire']), {
        ex: 'expire: seconds',
      });
      expect(error?.message).to.equal("set() has no option 'ex'; did you mean expire: seconds?");
    });
    it('refuses anything but a plain object, without quoting it', () => {
      for (const [value, text] of [
        [60, 'a number'],
        ['EX', 'a string'],
        [null, 'null'],
        [[1], 'an array'],
        [new Map(), 'a Map'],
      ] as const) {
        const error = optionsError('set()', value, known);
        expect(error?.message).to.equal(`set() options must be a plain object, not ${text}`);
      }
    });
    it('refuses an object with another prototype', () => {
      const options = Object.create({ inherited: 1 }) as object;
      expect(optionsError('x()', options, known)).to.be.instanceOf(TypeError); // not plain
      expect(kind(options)).to.equal('an Object');
    });
  });
});
