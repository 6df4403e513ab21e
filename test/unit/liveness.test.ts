// The pure rules of lib/liveness.ts (when to PING, when a socket counts as dead, how long a
// blocking command may be silent) and the checks of the three liveness options.
import { expect } from 'chai';
import { createConnection, createPool, createRedis, createRedisPool } from '../../lib';
import {
  BLOCKING_COMMANDS,
  BLOCKING_WITH_OPTION,
  isBlocking,
  SERVER_WAIT,
  serverWait,
} from '../../lib/command-flags';
import {
  decide,
  Due,
  livenessSettings,
  type LivenessSettings,
  type Observed,
} from '../../lib/liveness';
import { resolveConfig } from '../../lib/options';
import { rejectionOf } from '../helpers/util';

const SETTINGS: LivenessSettings = { interval: 100, timeout: 50, stall: 1000 };

/** An idle connection last heard from at 0, seen at `now`; `over` changes any field. */
function seen(now: number, over: Partial<Observed> = {}): Observed {
  return {
    now,
    quietSince: 0,
    pingAt: -1,
    pending: 0,
    mayPing: true,
    stretched: () => -Infinity,
    ...over,
  };
}

describe('liveness', () => {
  describe('decide()', () => {
    it('waits until the connection has been idle for the interval, then PINGs', () => {
      expect(decide(SETTINGS, seen(99))).to.deep.equal({ due: Due.Wait, at: 100 });
      expect(decide(SETTINGS, seen(100)).due).to.equal(Due.Ping);
      expect(decide(SETTINGS, seen(5000)).due).to.equal(Due.Ping);
    });

    it('counts idleness from the last read', () => {
      expect(decide(SETTINGS, seen(150, { quietSince: 80 }))).to.deep.equal({
        due: Due.Wait,
        at: 180,
      });
    });

    it('never PINGs when the interval is 0, and sets no timer while idle', () => {
      const off = { ...SETTINGS, interval: 0 };
      expect(decide(off, seen(1e9))).to.deep.equal({ due: Due.Wait, at: Infinity });
    });

    it('does not PING when it may not (MONITOR, inside MULTI) but looks again an interval later', () => {
      expect(decide(SETTINGS, seen(500, { mayPing: false }))).to.deep.equal({
        due: Due.Wait,
        at: 600,
      });
    });

    it('fails the health check when the PING has no reply within the timeout, commands queued behind it or not', () => {
      for (const pending of [1, 5]) {
        const out = { pingAt: 200, quietSince: 200, pending };
        expect(decide(SETTINGS, seen(249, out))).to.deep.equal({ due: Due.Wait, at: 250 });
        expect(decide(SETTINGS, seen(250, out)).due).to.equal(Due.HealthFailed);
      }
    });

    it('a PING out is judged by its own timeout, not by the (longer) stall timeout nor a stretch', () => {
      const out = { pingAt: 0, pending: 2, stretched: () => Infinity };
      expect(decide({ ...SETTINGS, stall: Infinity }, seen(60, out)).due).to.equal(
        Due.HealthFailed,
      );
    });

    it('declares a stall when commands are pending and nothing was read for stallTimeout', () => {
      const busy = { pending: 3, quietSince: 10 };
      expect(decide(SETTINGS, seen(1009, busy))).to.deep.equal({ due: Due.Wait, at: 1010 });
      expect(decide({ ...SETTINGS, interval: 0 }, seen(9, busy)).at).to.equal(1010);
      expect(decide(SETTINGS, seen(1010, busy)).due).to.equal(Due.Stalled);
    });

    it('does not PING a busy connection, but looks again an interval later to catch it idle', () => {
      expect(decide(SETTINGS, seen(500, { pending: 1 }))).to.deep.equal({ due: Due.Wait, at: 600 });
    });

    it('never declares a stall when stallTimeout is off, but polls for idleness', () => {
      const off = { ...SETTINGS, stall: Infinity };
      expect(decide(off, seen(1e9, { pending: 1 }))).to.deep.equal({
        due: Due.Wait,
        at: 1e9 + 100,
      });
      expect(decide({ ...off, interval: 0 }, seen(1e9, { pending: 1 })).at).to.equal(Infinity);
    });

    it('lets a pending command with a longer own time stretch the stall timeout, and no further', () => {
      const busy = { pending: 2, stretched: () => 21_000 };
      const early = decide(SETTINGS, seen(1500, busy));
      expect(early.due).to.equal(Due.Wait);
      expect(early.at).to.be.within(1501, 21_000);
      expect(decide(SETTINGS, seen(21_000, busy)).due).to.equal(Due.Stalled);
    });

    it('exempts a connection whose pending command may block forever, looking again later', () => {
      const result = decide(SETTINGS, seen(1e7, { pending: 1, stretched: () => Infinity }));
      expect(result.due).to.equal(Due.Wait);
      expect(result.at).to.be.above(1e7).and.below(Infinity);
    });

    it('only scans for stretches once the plain stall timeout has passed', () => {
      let scans = 0;
      const stretched = (): number => (scans++, Infinity);
      decide(SETTINGS, seen(999, { pending: 1, stretched }));
      expect(scans).to.equal(0);
      decide(SETTINGS, seen(1000, { pending: 1, stretched }));
      expect(scans).to.equal(1);
    });
  });

  describe('serverWait()', () => {
    it('knows every blocking command of command-flags.ts', () => {
      for (const name of [...BLOCKING_COMMANDS, ...BLOCKING_WITH_OPTION.keys()]) {
        expect(SERVER_WAIT.has(name), name).to.equal(true);
      }
      expect(SERVER_WAIT.size).to.equal(BLOCKING_COMMANDS.size + BLOCKING_WITH_OPTION.size);
    });

    it('reads each command’s own timeout, in seconds or milliseconds as the server does', () => {
      const cases: Array<[string, Array<string | number | Buffer>, number | undefined]> = [
        ['BLPOP', ['a', 'b', 20], 20_000],
        ['BRPOP', ['a', '0.5'], 500],
        ['BRPOPLPUSH', ['a', 'b', Buffer.from('3')], 3000],
        ['BLMOVE', ['a', 'b', 'LEFT', 'RIGHT', 2], 2000],
        ['BZPOPMIN', ['z', 1], 1000],
        ['BZPOPMAX', ['z', 4], 4000],
        ['BLMPOP', [5, 1, 'a', 'LEFT'], 5000],
        ['BZMPOP', ['0.25', 1, 'z', 'MIN'], 250],
        ['WAIT', [1, 300], 300],
        ['WAITAOF', [1, 0, 700], 700],
        ['XREAD', ['COUNT', 1, 'BLOCK', 1500, 'STREAMS', 's', '$'], 1500],
        ['XREADGROUP', ['GROUP', 'g', 'c', 'block', '40', 'STREAMS', 's', '>'], 40],
        ['GET', ['k'], undefined],
      ];
      for (const [command, args, ms] of cases) {
        expect(serverWait(command, args), command).to.equal(ms);
      }
    });

    it('0 means blocking forever: Infinity', () => {
      expect(serverWait('BLPOP', ['a', 0])).to.equal(Infinity);
      expect(serverWait('XREAD', ['BLOCK', '0', 'STREAMS', 's', '$'])).to.equal(Infinity);
      expect(serverWait('WAIT', [1, 0])).to.equal(Infinity);
    });

    it('XREAD without BLOCK, or with a stream named "block", does not block', () => {
      expect(serverWait('XREAD', ['STREAMS', 's', '0'])).to.equal(undefined);
      expect(serverWait('XREAD', ['STREAMS', 'block', '0'])).to.equal(undefined);
      // isBlocking is the same rule: the pool and the blocking abort never disagree with it.
      expect(isBlocking('XREAD', ['STREAMS', 'block', '0'])).to.equal(false);
      expect(isBlocking('XREAD', ['BLOCK', 0, 'STREAMS', 's', '$'])).to.equal(true);
      expect(isBlocking('BLPOP', ['a', 1])).to.equal(true);
      expect(isBlocking('GET', ['a'])).to.equal(false);
    });

    it('a timeout the server will refuse counts as unbounded rather than as a stall', () => {
      expect(serverWait('BLPOP', ['a', 'soon'])).to.equal(Infinity);
      expect(serverWait('BLPOP', ['a', -1])).to.equal(Infinity);
    });
  });

  describe('livenessSettings()', () => {
    it('applies the defaults: 5000 ms interval, 2000 ms timeout, 15000 ms stall', () => {
      expect(livenessSettings(resolveConfig(['h', 1]))).to.deep.equal({
        interval: 5000,
        timeout: 2000,
        stall: 15_000,
      });
    });

    it('turns stallTimeout 0 into never, and a longer commandTimeout stretches it', () => {
      const config = resolveConfig(['h', 1], { stallTimeout: 0, healthCheckInterval: 0 });
      expect(livenessSettings(config)).to.deep.equal({
        interval: 0,
        timeout: 2000,
        stall: Infinity,
      });
      expect(livenessSettings(resolveConfig(['h', 1], { commandTimeout: 60_000 })).stall).to.equal(
        60_000,
      );
      expect(livenessSettings(resolveConfig(['h', 1], { commandTimeout: 50 })).stall).to.equal(
        15_000,
      );
    });
  });

  describe('options', () => {
    it('are taken from the options and from the URL, the URL winning', () => {
      const options = { healthCheckInterval: 100, healthCheckTimeout: 200, stallTimeout: 300 };
      expect(resolveConfig(['h', 1], options)).to.include(options);
      const url = 'redis://h?healthCheckInterval=0&healthCheckTimeout=2.5&stallTimeout=0';
      expect(resolveConfig(url, options)).to.include({
        healthCheckInterval: 0,
        healthCheckTimeout: 2.5,
        stallTimeout: 0,
      });
    });

    it('stay absent from the config when not given (the defaults apply)', () => {
      const config = resolveConfig(['h', 1]);
      for (const key of ['healthCheckInterval', 'healthCheckTimeout', 'stallTimeout']) {
        expect(config).not.to.have.property(key);
      }
    });

    const create = [createConnection, createPool, createRedis, createRedisPool] as Array<
      (address: unknown, options?: unknown) => Promise<unknown>
    >;

    it('refuse a value that is not a number with TypeError, and one out of range with RangeError, never throwing', async () => {
      const bad: Array<[string, unknown, ErrorConstructor]> = [
        ['healthCheckInterval', '5000', TypeError],
        ['healthCheckInterval', -1, RangeError],
        ['healthCheckInterval', Infinity, RangeError],
        ['healthCheckInterval', NaN, RangeError],
        ['healthCheckInterval', 2 ** 31, RangeError],
        ['healthCheckTimeout', 0, RangeError],
        ['healthCheckTimeout', null, TypeError],
        ['healthCheckTimeout', 2 ** 31, RangeError],
        ['stallTimeout', -5, RangeError],
        ['stallTimeout', true, TypeError],
        ['stallTimeout', 2 ** 31, RangeError],
      ];
      for (const fn of create) {
        for (const [key, value, kind] of bad) {
          let promise: Promise<unknown> | undefined;
          expect(() => (promise = fn(['127.0.0.1', 1], { [key]: value }))).not.to.throw();
          const err = await rejectionOf(promise as Promise<unknown>);
          expect(err, `${fn.name} ${key}=${String(value)}`).to.be.instanceOf(kind);
          expect(err.message).to.include(`options.${key}`);
        }
      }
    });

    it('accept 0 (off) for the interval and the stall timeout, and 2^31−1 for all', () => {
      for (const key of ['healthCheckInterval', 'stallTimeout']) {
        expect(resolveConfig(['h', 1], { [key]: 0 })).to.have.property(key, 0);
      }
      for (const key of ['healthCheckInterval', 'healthCheckTimeout', 'stallTimeout']) {
        expect(resolveConfig(['h', 1], { [key]: 2 ** 31 - 1 })).to.have.property(key, 2 ** 31 - 1);
      }
    });

    it('refuse a misspelt key, naming the right one', async () => {
      const err = await rejectionOf(
        createConnection(['127.0.0.1', 1], { healthCheckIntreval: 5 } as never),
      );
      expect(err).to.be.instanceOf(TypeError);
      expect(err.message).to.include("did you mean 'healthCheckInterval'?");
    });

    it('refuse bad URL values without quoting them', () => {
      const cases: Array<[string, ErrorConstructor]> = [
        ['healthCheckInterval=soon', TypeError],
        ['healthCheckInterval=-17', RangeError],
        ['healthCheckTimeout=0', RangeError],
        ['stallTimeout=98765432109', RangeError],
      ];
      for (const [query, kind] of cases) {
        let err: unknown;
        try {
          resolveConfig(`redis://h?${query}`);
        } catch (caught) {
          err = caught;
        }
        expect(err, query).to.be.instanceOf(kind);
        expect((err as Error).message).to.include('the URL query parameter');
        const value = query.split('=')[1] as string;
        if (value !== '0') expect((err as Error).message).not.to.include(value);
      }
    });
  });
});
