import { expect } from 'chai';
import { DEFAULT_BACKOFF, nextDelay, toBackoff } from '../../../lib/link/backoff';

const cause = new Error('ECONNREFUSED');

describe('link/backoff', () => {
  describe('nextDelay()', () => {
    it('draws from random(0, min(cap, base·2^attempt)): full jitter', () => {
      const top = () => 0.999999;
      const bounds = [0, 1, 2, 3, 4, 5, 6, 10].map((attempt) =>
        nextDelay(DEFAULT_BACKOFF, attempt, cause, top),
      );
      expect(bounds).to.deep.equal([99, 199, 399, 799, 1599, 3199, 4999, 4999]);
      expect(nextDelay(DEFAULT_BACKOFF, 3, cause, () => 0)).to.equal(0);
      expect(nextDelay(DEFAULT_BACKOFF, 3, cause, () => 0.5)).to.equal(400);
    });

    it('waits even before the first attempt, so clients that lost one server spread out', () => {
      const delays = new Set<number>();
      for (let i = 0; i < 200; i++) delays.add(nextDelay(DEFAULT_BACKOFF, 0, cause) as number);
      for (const delay of delays) expect(delay).to.be.within(0, 99);
      expect(delays.size).to.be.greaterThan(50);
    });

    it('stays finite however many attempts failed', () => {
      expect(nextDelay(DEFAULT_BACKOFF, 5000, cause, () => 0.5)).to.equal(2500);
    });

    it('stops after maxAttempts attempts', () => {
      const backoff = toBackoff({ maxAttempts: 2 });
      if (backoff instanceof Error) throw backoff;
      expect(nextDelay(backoff, 1, cause, () => 0)).to.equal(0);
      expect(nextDelay(backoff, 2, cause, () => 0)).to.equal(false);
    });

    it('asks a user delay() with the attempt and the cause, and stops on false', () => {
      const asked: Array<[number, Error]> = [];
      const backoff = toBackoff({
        delay: (attempt, why) => {
          asked.push([attempt, why]);
          return attempt < 2 ? attempt * 10 : false;
        },
      });
      if (backoff instanceof Error) throw backoff;
      expect([0, 1, 2].map((a) => nextDelay(backoff, a, cause))).to.deep.equal([0, 10, false]);
      expect(asked).to.deep.equal([
        [0, cause],
        [1, cause],
        [2, cause],
      ]);
    });

    it('stops when a user delay() returns something that is not a delay', () => {
      for (const bad of [-1, NaN, Infinity, '100', undefined]) {
        const backoff = toBackoff({ delay: () => bad as number });
        if (backoff instanceof Error) throw backoff;
        expect(nextDelay(backoff, 0, cause), String(bad)).to.equal(false);
      }
    });
  });

  describe('toBackoff()', () => {
    it('applies the defaults: base 100 ms, cap 5 s, never give up', () => {
      expect(toBackoff({})).to.deep.equal(DEFAULT_BACKOFF);
    });

    it('refuses values of the wrong type or out of range, naming the field', () => {
      const cases: Array<[object, typeof TypeError | typeof RangeError, RegExp]> = [
        [{ base: '100' }, TypeError, /reconnect\.base/],
        [{ cap: -1 }, RangeError, /reconnect\.cap/],
        [{ cap: Infinity }, RangeError, /reconnect\.cap/],
        [{ maxAttempts: 1.5 }, TypeError, /reconnect\.maxAttempts/],
        [{ maxAttempts: -1 }, RangeError, /reconnect\.maxAttempts/],
        [{ delay: 5 }, TypeError, /reconnect\.delay/],
      ];
      for (const [options, type, message] of cases) {
        const result = toBackoff(options);
        expect(result, JSON.stringify(options)).to.be.instanceOf(type);
        expect((result as Error).message).to.match(message);
      }
    });
  });
});
