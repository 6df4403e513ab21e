// createConnection, createPool, createRedis and createRedisPool refuse options they do not
// understand (DESIGN.md invariant 2): a rejected promise with a TypeError naming the function and
// the closest known key, before any socket is opened.
import net from 'node:net';
import tls from 'node:tls';
import { expect } from 'chai';
import { createConnection, createPool, createRedis, createRedisPool } from '../../lib';
import { rejectionOf } from '../helpers/util';

type Create = (address: unknown, options?: unknown) => Promise<unknown>;

const FUNCTIONS: Array<[string, Create]> = [
  ['createConnection()', createConnection as Create],
  ['createPool()', createPool as Create],
  ['createRedis()', createRedis as Create],
  ['createRedisPool()', createRedisPool as Create],
];
const POOLS = new Set(['createPool()', 'createRedisPool()']);

describe('options of createConnection, createPool, createRedis and createRedisPool', () => {
  // Counts the sockets the calls try to open; none of them should.
  let sockets = 0;
  const { connect: netConnect } = net;
  const { connect: tlsConnect } = tls;
  beforeEach(() => {
    sockets = 0;
    (net as { connect: unknown }).connect = (...args: unknown[]) => {
      sockets++;
      return (netConnect as (...a: unknown[]) => net.Socket)(...args);
    };
    (tls as { connect: unknown }).connect = (...args: unknown[]) => {
      sockets++;
      return (tlsConnect as (...a: unknown[]) => tls.TLSSocket)(...args);
    };
  });
  afterEach(() => {
    (net as { connect: unknown }).connect = netConnect;
    (tls as { connect: unknown }).connect = tlsConnect;
    expect(sockets, 'sockets opened').to.equal(0);
  });

  for (const [where, create] of FUNCTIONS) {
    describe(where, () => {
      it('rejects options that are not a plain object with TypeError, never throwing', async () => {
        for (const [options, kind] of [
          [null, 'null'],
          ['utf8', 'a string'],
          [6379, 'a number'],
          [true, 'a boolean'],
          [[{ db: 1 }], 'an array'],
          [new Map([['db', 1]]), 'a Map'],
          [() => ({}), 'a function'],
        ] as const) {
          let promise: Promise<unknown> | undefined;
          expect(() => (promise = create(['127.0.0.1', 1], options)), kind).not.to.throw();
          const err = await rejectionOf(promise as Promise<unknown>);
          expect(err, kind).to.be.instanceOf(TypeError);
          expect(err.message, kind).to.equal(
            `${where} options must be a plain object, not ${kind}`,
          );
        }
      });

      it('rejects each key it does not know, suggesting the closest known one', async () => {
        const cases: Array<[Record<string, unknown>, string]> = [
          [{ encodng: 'utf8' }, `${where} has no option 'encodng'; did you mean 'encoding'?`],
          [{ Password: 'x' }, `${where} has no option 'Password'; did you mean 'password'?`],
          [{ timeOut: 5 }, `${where} has no option 'timeOut'; did you mean 'timeout'?`],
          [
            { commandTimout: 5 },
            `${where} has no option 'commandTimout'; did you mean 'commandTimeout'?`,
          ],
          [{ sl: true }, `${where} has no option 'sl'; did you mean 'ssl'?`],
          [{ db: 0, nam: 'x' }, `${where} has no option 'nam'; did you mean 'name'?`],
        ];
        for (const [options, message] of cases) {
          const err = await rejectionOf(create(['127.0.0.1', 1], options));
          expect(err, message).to.be.instanceOf(TypeError);
          expect(err.message).to.equal(message);
        }
      });

      it('never puts a value in the message', async () => {
        const err = await rejectionOf(create(['127.0.0.1', 1], { pasword: 'hunter2' }));
        expect(err.message).to.equal(`${where} has no option 'pasword'; did you mean 'password'?`);
      });

      if (POOLS.has(where)) {
        it("knows minsize and maxsize, and suggests them: { maxSize: 2 } → 'maxsize'", async () => {
          const err = await rejectionOf(create(['127.0.0.1', 1], { maxSize: 2 }));
          expect(err).to.be.instanceOf(TypeError);
          expect(err.message).to.equal(`${where} has no option 'maxSize'; did you mean 'maxsize'?`);
          const min = await rejectionOf(create(['127.0.0.1', 1], { min_size: 2 }));
          expect(min.message).to.equal(
            `${where} has no option 'min_size'; did you mean 'minsize'?`,
          );
        });

        it('names itself when a size is wrong', async () => {
          const err = await rejectionOf(create(['127.0.0.1', 1], { maxsize: '2' }));
          expect(err).to.be.instanceOf(TypeError);
          expect(err.message).to.equal(`${where} option 'maxsize' must be an integer`);
          const range = await rejectionOf(create(['127.0.0.1', 1], { minsize: 3, maxsize: 2 }));
          expect(range).to.be.instanceOf(RangeError);
        });
      } else {
        it("refuses a pool's minsize and maxsize", async () => {
          for (const key of ['minsize', 'maxsize']) {
            const err = await rejectionOf(create(['127.0.0.1', 1], { [key]: 1 }));
            expect(err).to.be.instanceOf(TypeError);
            expect(err.message).to.match(
              new RegExp(`^${where.replace(/[()]/g, '\\$&')} has no option '${key}'`),
            );
          }
        });
      }

      it('still refuses an encoding that is not a Buffer encoding', async () => {
        const err = await rejectionOf(create(['127.0.0.1', 1], { encoding: 'utf9' }));
        expect(err).to.be.instanceOf(TypeError);
        expect(err.message).to.include('options.encoding');
      });

      it('refuses a commandTimeout that is not a positive finite number', async () => {
        for (const commandTimeout of [0, -1, Infinity, NaN]) {
          const err = await rejectionOf(create(['127.0.0.1', 1], { commandTimeout }));
          expect(err, String(commandTimeout)).to.be.instanceOf(RangeError);
        }
        const err = await rejectionOf(create(['127.0.0.1', 1], { commandTimeout: '5' }));
        expect(err).to.be.instanceOf(TypeError);
      });
    });
  }
});
