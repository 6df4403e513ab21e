// Every typed method refuses what it does not understand before anything is sent: one positional
// argument too many, an options argument that is not a plain object, an option key it does not
// know. The sweep reads each method's parameters from its own source text, not from the generated
// table that the check uses, so a table row that lost its check fails here.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { createRedis, type Redis, TimeoutError } from '../../lib';
import { Commands } from '../../lib/commands/base';
import { unguarded } from '../../lib/commands/guard';
import { COMMAND_GROUPS } from '../../lib/redis';
import { type RedisServer, startRedis } from '../helpers/redis-server';
import { rejectionOf } from '../helpers/util';

/**
 * Methods that take any command (nothing to check), answer synchronously (batches, close), or are
 * the protected hooks of the Commands base.
 */
const NOT_CHECKED = new Set([
  'constructor',
  'execute',
  'executeWith',
  'call',
  'pipeline',
  'multiExec',
  'close',
  ...Object.getOwnPropertyNames(Commands.prototype),
]);

interface Params {
  /** Positional parameters, rest excluded. */
  names: string[];
  rest: boolean;
}

/** The parameter list of a method as written (its compiled source), split at top-level commas. */
function paramsOf(method: object): Params {
  const source = Function.prototype.toString.call(unguarded(method));
  const open = source.indexOf('(');
  let depth = 0;
  let end = open;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    if (c === ')' || c === ']' || c === '}') depth--;
    if (depth === 0) {
      end = i;
      break;
    }
  }
  const list = source.slice(open + 1, end);
  const parts: string[] = [];
  let current = '';
  depth = 0;
  for (const c of list) {
    if (c === '(' || c === '[' || c === '{') depth++;
    if (c === ')' || c === ']' || c === '}') depth--;
    if (c === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += c;
  }
  if (current.trim() !== '') parts.push(current.trim());
  const rest = parts.length > 0 && (parts[parts.length - 1] as string).startsWith('...');
  const names = (rest ? parts.slice(0, -1) : parts).map((p) => p.split('=')[0]?.trim() ?? p);
  return { names, rest };
}

/** Every public method of `prototype`, own and inherited below the Commands base, by name. */
function methodsOf(prototype: object): Map<string, object> {
  const methods = new Map<string, object>();
  const stop = [Object.prototype, Commands.prototype];
  for (let proto = prototype; !stop.includes(proto); proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (methods.has(name) || NOT_CHECKED.has(name) || name.startsWith('_')) continue;
      const descriptor = Object.getOwnPropertyDescriptor(proto, name) as PropertyDescriptor;
      if (typeof descriptor.value !== 'function') continue;
      methods.set(name, descriptor.value as object);
    }
  }
  return methods;
}

/** How many commands of any kind but INFO the server has received. */
async function commandsReceived(redis: Redis<string>): Promise<number> {
  const info = await redis.call<string>('INFO', 'commandstats');
  let total = 0;
  for (const line of info.split('\r\n')) {
    if (!line.startsWith('cmdstat_') || line.startsWith('cmdstat_info:')) continue;
    total += Number(/calls=(\d+)/.exec(line)?.[1] ?? 0);
    total += Number(/rejected_calls=(\d+)/.exec(line)?.[1] ?? 0);
  }
  return total;
}

/** What a call rejects with (its iterator's first next() for an iterator), or a note that it did not. */
async function refusalOf(call: () => unknown): Promise<unknown> {
  try {
    let result = call();
    const iterator = result as AsyncIterator<unknown> | undefined;
    if (!(result instanceof Promise) && typeof iterator?.next === 'function') {
      result = iterator.next();
    }
    return `no rejection: ${String(await result)}`;
  } catch (err) {
    return err;
  }
}

type Target = Record<string, (...args: unknown[]) => unknown>;

/** Calls every method with one argument too many and with an unknown option; collects what went wrong. */
async function sweep(
  target: Target,
  methods: Map<string, object>,
  skip: (name: string) => boolean,
): Promise<{ checked: number; options: number; failures: string[] }> {
  const failures: string[] = [];
  let checked = 0;
  let options = 0;
  for (const [name, method] of methods) {
    if (skip(name)) continue;
    const { names, rest } = paramsOf(method);
    if (!rest) {
      checked++;
      const args: unknown[] = [...names.map(() => undefined), 'one too many'];
      const error = await refusalOf(() => target[name]?.(...args));
      const expected = `${name}() takes at most ${names.length} argument`;
      if (!(error instanceof TypeError) || !error.message.startsWith(expected)) {
        failures.push(`${name}(${names.length + 1} args): ${String(error)}`);
      }
    }
    for (const [index, param] of names.entries()) {
      if (!/options$/i.test(param)) continue;
      options++;
      const args: unknown[] = names.slice(0, index).map(() => undefined);
      args.push({ notAnOption: 1 });
      const error = await refusalOf(() => target[name]?.(...args));
      if (!(error instanceof TypeError) || !error.message.includes("no option 'notAnOption'")) {
        failures.push(`${name}(${param}: { notAnOption }): ${String(error)}`);
      }
      const notObject = await refusalOf(() => target[name]?.(...args.slice(0, -1), true));
      if (!(notObject instanceof TypeError) || !/must be a plain object/.test(notObject.message)) {
        failures.push(`${name}(${param}: true): ${String(notObject)}`);
      }
    }
  }
  return { checked, options, failures };
}

describe('strict input', function () {
  let server: RedisServer;
  let redis: Redis<string>;

  // A server of its own: should a check be missing, the sweep could reach commands such as SHUTDOWN.
  before(async function () {
    this.timeout(20_000);
    server = await startRedis();
    redis = await createRedis(server.url, { encoding: 'utf8' });
  });

  after(async () => {
    redis?.close();
    await server?.stop();
  });

  describe('the signature table', () => {
    it('is what scripts/gen-signatures.ts makes from the declarations today', function () {
      this.timeout(60_000);
      const root = path.resolve(__dirname, '../..');
      const tsNode = path.join(root, 'node_modules/.bin/ts-node');
      const out = execFileSync(
        tsNode,
        ['--transpile-only', 'scripts/gen-signatures.ts', '--check'],
        { cwd: root, encoding: 'utf8' },
      );
      expect(out).to.include('up to date');
    });
  });

  describe('every method of Redis', () => {
    it('rejects one argument too many and an unknown option with TypeError, sending nothing', async function () {
      this.timeout(20_000);
      const methods = methodsOf(Object.getPrototypeOf(redis) as object);
      const before = await commandsReceived(redis);
      const { checked, options, failures } = await sweep(
        redis as unknown as Target,
        methods,
        () => false,
      );
      expect(failures, failures.join('\n')).to.deep.equal([]);
      expect(await commandsReceived(redis)).to.equal(before);
      // The sweep really walked the client: hundreds of fixed-arity methods, scores of options.
      expect(checked).to.be.greaterThan(250);
      expect(options).to.be.greaterThan(80);
      expect(redis.closed).to.equal(false);
    });
  });

  for (const kind of ['pipeline', 'multiExec'] as const) {
    describe(`every method of ${kind === 'pipeline' ? 'a pipeline' : 'a transaction'}`, () => {
      it('rejects each bad call with TypeError; the batch queues none of them', async function () {
        this.timeout(20_000);
        const batch = redis[kind]();
        const groupMethods = new Map<string, object>();
        for (const group of COMMAND_GROUPS) {
          for (const [name, method] of methodsOf(group.prototype as object)) {
            groupMethods.set(name, method);
          }
        }
        const before = await commandsReceived(redis);
        // Iterators (iscan…) are refused by batches whatever their arguments: see transaction.ts.
        const iterators = new Set(['iscan', 'ihscan', 'isscan', 'izscan', 'monitor']);
        const { checked, failures } = await sweep(
          batch as unknown as Target,
          groupMethods,
          (name) => iterators.has(name),
        );
        expect(failures, failures.join('\n')).to.deep.equal([]);
        expect(checked).to.be.greaterThan(250);
        expect(await commandsReceived(redis)).to.equal(before);
      });
    });
  }

  describe('timeout and signal on typed methods', () => {
    // A second client pauses every client for 400 ms and waits for the server to confirm it, so
    // the calls below cannot be answered in time (DEBUG SLEEP sent from elsewhere could race them).
    async function whileServerPaused(run: () => Promise<void>): Promise<void> {
      const pauser = await createRedis(server.url);
      try {
        await pauser.clientPause(400, { mode: 'ALL' });
        await run();
      } finally {
        pauser.close();
      }
    }

    const shapes: Array<[string, (r: Redis<string>, o: object) => Promise<unknown>]> = [
      ['get (a plain read)', (r, o) => r.get('strict:t', o)],
      ['zrange (members)', (r, o) => r.zrange('strict:z', 0, -1, o)],
      [
        'zrange withScores (a shaped reply)',
        (r, o) => r.zrange('strict:z', 0, -1, { ...o, withScores: true }),
      ],
      [
        'zrange withScores and its own encoding',
        (r, o) => r.zrange('strict:z', 0, -1, { ...o, withScores: true, encoding: 'latin1' }),
      ],
      ['hgetall', (r, o) => r.hgetall('strict:h', o)],
      [
        'georadius with store',
        (r, o) => r.georadius('strict:g', 0, 0, 1, 'km', { ...o, store: 'strict:gs' }),
      ],
    ];
    for (const [label, call] of shapes) {
      it(`${label}: timeout rejects with TimeoutError, and the next call gets its own reply`, async () => {
        await redis.set('strict:t', 'value');
        await whileServerPaused(async () => {
          const error = await rejectionOf(call(redis, { timeout: 50 }));
          expect(error).to.be.instanceOf(TimeoutError);
        });
        expect(await redis.get('strict:t')).to.equal('value');
      });

      it(`${label}: an abort signal rejects with its reason`, async () => {
        const controller = new AbortController();
        const reason = new Error('caller gave up');
        await whileServerPaused(async () => {
          const pending = call(redis, { signal: controller.signal });
          controller.abort(reason);
          expect(await rejectionOf(pending)).to.equal(reason);
        });
        expect(await redis.get('strict:t')).to.equal('value');
      });
    }

    it('a timeout that is not a positive number rejects with RangeError and sends nothing', async () => {
      const before = await commandsReceived(redis);
      expect(await rejectionOf(redis.get('strict:t', { timeout: -1 }))).to.be.instanceOf(
        RangeError,
      );
      expect(await commandsReceived(redis)).to.equal(before);
    });
  });

  describe('the cases users hit', () => {
    const cases: Array<[string, (r: Redis<string>) => Promise<unknown>, RegExp]> = [
      [
        'set(k, v, { ex: 60 })',
        (r) => r.set('k', 'v', { ex: 60 } as never),
        /did you mean expire: seconds\?/,
      ],
      [
        'set(k, v, { EX: 60 })',
        (r) => r.set('k', 'v', { EX: 60 } as never),
        /did you mean expire: seconds\?/,
      ],
      [
        'set(k, v, 60)',
        (r) => r.set('k', 'v', 60 as never),
        /options must be a plain object, not a number; write expiry/,
      ],
      [
        'set(k, v, "EX", 60)',
        (r) => (r.set as (...a: unknown[]) => Promise<unknown>)('k', 'v', 'EX', 60),
        /takes at most 3 arguments, got 4/,
      ],
      [
        'set(k, v, { nx: true })',
        (r) => r.set('k', 'v', { nx: true } as never),
        /did you mean exist: 'NX'\?/,
      ],
      [
        'zadd(k, 5, m, { nx: true })',
        (r) => r.zadd('k', 5, 'm', { nx: true } as never),
        /did you mean exist: 'NX'\?/,
      ],
      ['lpop(k, 2)', (r) => r.lpop('k', 2 as never), /lpop\(key, \{ count: 2 \}\)/],
      [
        'get(k, extra)',
        (r) => r.get('k', 'extra' as never),
        /get\(\) options must be a plain object, not a string/,
      ],
      [
        'geoadd with two members',
        (r) =>
          (r.geoadd as (...a: unknown[]) => Promise<unknown>)(
            'k',
            13.3,
            38.1,
            'a',
            15.0,
            37.5,
            'b',
          ),
        /takes at most 5 arguments, got 7; add several members as an array/,
      ],
      [
        'zrange withscores',
        (r) => r.zrange('k', 0, -1, { withscores: true } as never),
        /zrange\(\) has no option 'withscores'; did you mean 'withScores'\?/,
      ],
      [
        'iscan({ pattern })',
        (r) => r.iscan({ pattern: 'a*' } as never).next(),
        /iscan\(\) has no option 'pattern'; did you mean match/,
      ],
      [
        'xadd maxLen',
        (r) => r.xadd('s', { a: '1' }, { maxLen: 5 } as never),
        /xadd\(\) has no option 'maxLen'; did you mean 'maxlen'\?/,
      ],
      [
        'xreadGroup blok',
        (r) => r.xreadGroup('g', 'c', { s: '>' }, { blok: 500 } as never),
        /xreadGroup\(\) has no option 'blok'; did you mean 'block'\?/,
      ],
    ];
    for (const [label, call, message] of cases) {
      it(`${label} rejects with a TypeError that says what to write`, async () => {
        const before = await commandsReceived(redis);
        const error = await rejectionOf(call(redis));
        expect(error).to.be.instanceOf(TypeError);
        expect(error.message).to.match(message);
        expect(await commandsReceived(redis)).to.equal(before);
      });
    }
  });
});
