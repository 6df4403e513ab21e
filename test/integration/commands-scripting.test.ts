import { createHash } from 'node:crypto';
import { expect } from 'chai';
import {
  BusyError,
  createRedis,
  createRedisPool,
  NoScriptError,
  type Redis,
  ReplyError,
  Script,
} from '../../lib';
import { commandCalls, expectRefused as refusedOn, expectWrongType } from '../helpers/commandstats';
import { sharedServer } from '../helpers/hooks';
import { useSharedClients } from '../helpers/connection';
import { type RedisServer, startRedis } from '../helpers/redis-server';
import { eventually, rejectionOf, uniqueKey } from '../helpers/util';

describe('scripting commands', () => {
  let redis: Redis<Buffer>;
  let text: Redis<string>;
  /** A utf8 client switched to RESP3 with HELLO 3: FUNCTION LIST / STATS come as maps. */
  let resp3: Redis<string>;

  before(async () => {
    const { url } = await sharedServer();
    redis = await createRedis(url);
    text = await createRedis(url, { encoding: 'utf8' });
    resp3 = await createRedis(url, { encoding: 'utf8' });
    await resp3.execute('HELLO', 3);
  });

  after(async () => {
    for (const client of [redis, text, resp3]) client.close();
    await Promise.all([redis, text, resp3].map((client) => client.waitClosed()));
  });

  /** A Lua source no other test uses, so that the server's script cache does not have it yet. */
  function fresh(body: string): string {
    return `-- ${uniqueKey('script')}\n${body}`;
  }

  function sha1(source: string): string {
    return createHash('sha1').update(source).digest('hex');
  }

  let libraries = 0;
  /**
   * Loads a new library with three functions: `<lib>_echo` (args[1]), `<lib>_get` (GET keys[1],
   * no-writes, with a description) and `<lib>_set` (SET keys[1] args[1]). Function names are
   * global to the server, hence the prefix.
   */
  async function loadLibrary(): Promise<string> {
    libraries += 1;
    const name = `lib_${process.pid}_${libraries}`;
    await text.call('FUNCTION', 'LOAD', libraryCode(name));
    return name;
  }

  function libraryCode(name: string): string {
    return [
      `#!lua name=${name}`,
      `redis.register_function('${name}_echo', function(keys, args) return args[1] end)`,
      `redis.register_function{function_name='${name}_get', description='reads a key',`,
      `  callback=function(keys, args) return redis.call('GET', keys[1]) end, flags={'no-writes'}}`,
      `redis.register_function('${name}_set', function(keys, args)`,
      `  return redis.call('SET', keys[1], args[1]) end)`,
    ].join('\n');
  }

  /** A new hash key, for WRONGTYPE. */
  async function hashKey(): Promise<string> {
    const key = uniqueKey('hash');
    await text.call('HSET', key, 'f', 'v');
    return key;
  }

  async function expectReplyError(promise: Promise<unknown>, code: string): Promise<ReplyError> {
    const err = await rejectionOf(promise);
    expect(err).to.be.instanceOf(ReplyError);
    expect((err as ReplyError).code).to.equal(code);
    return err as ReplyError;
  }

  const expectRefused = (
    command: string,
    type: typeof TypeError | typeof RangeError,
    call: () => Promise<unknown>,
  ): Promise<void> => refusedOn(text, command, type, call);

  describe('#eval()', () => {
    it('runs the script with KEYS and ARGV and resolves with its reply', async () => {
      const key = uniqueKey();
      const reply = await redis.eval(
        "redis.call('SET', KEYS[1], ARGV[1]); return {KEYS[1], redis.call('GET', KEYS[1]), 42, redis.status_reply('fine')}",
        [key],
        ['é'],
      );
      expect(reply).to.deep.equal([Buffer.from(key), Buffer.from('é'), 42, 'fine']);
      expect(await text.get(key)).to.equal('é');
      expect(await text.eval('return {KEYS[1], ARGV[1], ARGV[2]}', [key], ['a', 2])).to.deep.equal([
        key,
        'a',
        '2',
      ]);
    });

    it('passes no keys and no arguments by default', async () => {
      expect(await redis.eval('return #KEYS * 10 + #ARGV')).to.equal(0);
      expect(await redis.eval('return #KEYS * 10 + #ARGV', ['k1', 'k2'], ['a'])).to.equal(21);
      expect(await redis.eval('return #KEYS * 10 + #ARGV', [], ['a', 'b', 'c'])).to.equal(3);
    });

    it('converts Lua values as the server does (nil and false as null, true as 1)', async () => {
      expect(await redis.eval('return nil')).to.equal(null);
      expect(await redis.eval('return false')).to.equal(null);
      expect(await redis.eval('return true')).to.equal(1);
      expect(await redis.eval('return 3.99')).to.equal(3); // Lua numbers become integers
      const typed: number = await redis.eval<number>('return 7');
      expect(typed).to.equal(7);
    });

    it("decodes with the call's encoding", async () => {
      const asText = await redis.eval('return ARGV[1]', [], ['één'], { encoding: 'utf8' });
      const asBuffer = await text.eval('return ARGV[1]', [], ['één'], { encoding: null });
      expect(asText).to.equal('één');
      expect(asBuffer).to.deep.equal(Buffer.from('één'));
      expect(await redis.eval('return ARGV[1]', [], ['hi'], { encoding: 'hex' })).to.equal('6869');
    });

    it('rejects with the error of a failing redis.call (WRONGTYPE)', async () => {
      await expectWrongType(redis.eval("return redis.call('GET', KEYS[1])", [await hashKey()]));
    });

    it('rejects with an ERR ReplyError on a script that does not compile', async () => {
      await expectReplyError(redis.eval('return +'), 'ERR');
    });

    it('rejects keys or args that are not arrays with TypeError and sends nothing', async () => {
      await expectRefused('eval', TypeError, () => redis.eval('return 1', 'k' as never));
      await expectRefused('eval', TypeError, () => redis.eval('return 1', [], 'a' as never));
      await expectRefused('eval', TypeError, () => redis.eval('return 1', null as never));
    });
  });

  describe('#evalRo()', () => {
    it('runs a read-only script', async () => {
      const key = uniqueKey();
      await text.set(key, 'v');
      expect(await redis.evalRo("return redis.call('GET', KEYS[1])", [key])).to.deep.equal(
        Buffer.from('v'),
      );
      expect(await redis.evalRo('return ARGV[1]', [], ['x'], { encoding: 'utf8' })).to.equal('x');
      expect(await redis.evalRo('return #KEYS + #ARGV')).to.equal(0);
    });

    it('rejects a write and leaves the key alone', async () => {
      const key = uniqueKey();
      await expectReplyError(redis.evalRo("return redis.call('SET', KEYS[1], 'x')", [key]), 'ERR');
      expect(await text.exists(key)).to.equal(0);
    });

    it('rejects with WRONGTYPE on a hash key', async () => {
      await expectWrongType(redis.evalRo("return redis.call('GET', KEYS[1])", [await hashKey()]));
    });

    it('rejects keys that are not an array with TypeError and sends nothing', async () => {
      await expectRefused('eval_ro', TypeError, () => redis.evalRo('return 1', 'k' as never));
    });
  });

  describe('#evalsha()', () => {
    it('runs a cached script by its SHA1', async () => {
      const source = fresh('return {KEYS[1], ARGV[1]}');
      const sha = await text.scriptLoad(source);
      expect(await redis.evalsha(sha, ['k'], ['a'])).to.deep.equal([
        Buffer.from('k'),
        Buffer.from('a'),
      ]);
      expect(await redis.evalsha(sha, ['k'], ['a'], { encoding: 'utf8' })).to.deep.equal([
        'k',
        'a',
      ]);
      expect(await text.evalsha(Buffer.from(sha), ['k'], ['a'])).to.deep.equal(['k', 'a']);
    });

    it('rejects with NoScriptError (code NOSCRIPT) on an unknown SHA1', async () => {
      const err = await rejectionOf(redis.evalsha(sha1(fresh('return 1'))));
      expect(err).to.be.instanceOf(NoScriptError);
      expect((err as NoScriptError).code).to.equal('NOSCRIPT');
    });

    it('rejects with WRONGTYPE on a hash key', async () => {
      const sha = await text.scriptLoad("return redis.call('GET', KEYS[1])");
      await expectWrongType(redis.evalsha(sha, [await hashKey()]));
    });

    it('rejects args that are not an array with TypeError and sends nothing', async () => {
      await expectRefused('evalsha', TypeError, () =>
        redis.evalsha('0'.repeat(40), [], {} as never),
      );
    });
  });

  describe('#evalshaRo()', () => {
    it('runs a cached read-only script by its SHA1 and refuses writes', async () => {
      const key = uniqueKey();
      await text.set(key, 'v');
      const get = await text.scriptLoad("return redis.call('GET', KEYS[1])");
      expect(await text.evalshaRo(get, [key])).to.equal('v');
      expect(await redis.evalshaRo(get, [key], [], { encoding: 'hex' })).to.equal('76');
      const set = await text.scriptLoad("return redis.call('SET', KEYS[1], 'x')");
      await expectReplyError(redis.evalshaRo(set, [key]), 'ERR');
      expect(await text.get(key)).to.equal('v');
    });

    it('rejects with NoScriptError on an unknown SHA1', async () => {
      expect(await rejectionOf(redis.evalshaRo(sha1(fresh('return 1'))))).to.be.instanceOf(
        NoScriptError,
      );
    });

    it('rejects keys that are not an array with TypeError and sends nothing', async () => {
      await expectRefused('evalsha_ro', TypeError, () =>
        redis.evalshaRo('0'.repeat(40), 1 as never),
      );
    });
  });

  describe('#scriptLoad()', () => {
    it('caches the script and resolves with its SHA1 as text, on any client', async () => {
      const source = fresh('return 1');
      const sha: string = await redis.scriptLoad(source);
      expect(sha).to.equal(sha1(source));
      expect(await redis.scriptExists(sha)).to.deep.equal([true]);
      expect(await text.scriptLoad(Buffer.from(source))).to.equal(sha);
    });

    it('rejects a script that does not compile and caches nothing', async () => {
      const source = fresh('return +');
      await expectReplyError(redis.scriptLoad(source), 'ERR');
      expect(await redis.scriptExists(sha1(source))).to.deep.equal([false]);
    });
  });

  describe('#scriptExists()', () => {
    it('resolves with one boolean per SHA1, in order', async () => {
      const a = await text.scriptLoad(fresh('return 1'));
      const b = await text.scriptLoad(fresh('return 2'));
      const missing = sha1(fresh('return 3'));
      expect(await redis.scriptExists(a, missing, b)).to.deep.equal([true, false, true]);
      expect(await redis.scriptExists(missing)).to.deep.equal([false]);
    });
  });

  describe('#scriptFlush()', () => {
    it('empties the script cache and resolves true, in either mode', async () => {
      for (const options of [undefined, { mode: 'SYNC' as const }, { mode: 'ASYNC' as const }]) {
        const sha = await text.scriptLoad(fresh('return 1'));
        expect(await redis.scriptFlush(options)).to.equal(true);
        expect(await redis.scriptExists(sha)).to.deep.equal([false]);
      }
    });

    it('rejects a bad mode with TypeError and flushes nothing', async () => {
      const sha = await text.scriptLoad(fresh('return 1'));
      await expectRefused('script|flush', TypeError, () =>
        redis.scriptFlush({ mode: 'LATER' as never }),
      );
      expect(await redis.scriptExists(sha)).to.deep.equal([true]);
    });
  });

  describe('#scriptKill()', () => {
    it('rejects with NOTBUSY when no script runs', async () => {
      await expectReplyError(redis.scriptKill(), 'NOTBUSY');
    });
  });

  describe('#functionLoad()', () => {
    it('loads a library and resolves with its name as text', async () => {
      const name = `lib_${process.pid}_load`;
      try {
        const loaded: string = await redis.functionLoad(libraryCode(name));
        expect(loaded).to.equal(name);
        expect(await text.fcall(`${name}_echo`, [], ['hi'])).to.equal('hi');
      } finally {
        await text.call('FUNCTION', 'DELETE', name).catch(() => {});
      }
    });

    it('refuses a library of the same name, unless replace', async () => {
      const name = await loadLibrary();
      await expectReplyError(redis.functionLoad(libraryCode(name)), 'ERR');
      const replaced = libraryCode(name).replace('return args[1]', "return 'replaced'");
      expect(await redis.functionLoad(replaced, { replace: true })).to.equal(name);
      expect(await text.fcall(`${name}_echo`, [], ['hi'])).to.equal('replaced');
    });

    it('rejects code that does not compile and loads nothing', async () => {
      const name = `lib_${process.pid}_broken`;
      await expectReplyError(redis.functionLoad(`#!lua name=${name}\nreturn +`), 'ERR');
      expect(await redis.functionList({ libraryName: name })).to.deep.equal([]);
    });
  });

  describe('#fcall()', () => {
    it('calls a function with keys and args and resolves with its reply', async () => {
      const name = await loadLibrary();
      const key = uniqueKey();
      expect(await redis.fcall(`${name}_echo`, [], ['é'])).to.deep.equal(Buffer.from('é'));
      expect(await redis.fcall(`${name}_set`, [key], ['v'])).to.equal('OK');
      expect(await text.get(key)).to.equal('v');
      expect(await text.fcall(`${name}_get`, [key])).to.equal('v');
    });

    it("decodes with the call's encoding", async () => {
      const name = await loadLibrary();
      expect(await redis.fcall(`${name}_echo`, [], ['é'], { encoding: 'utf8' })).to.equal('é');
      expect(await text.fcall(`${name}_echo`, [], ['é'], { encoding: null })).to.deep.equal(
        Buffer.from('é'),
      );
    });

    it('rejects with WRONGTYPE on a hash key, and ERR on an unknown function', async () => {
      const name = await loadLibrary();
      await expectWrongType(redis.fcall(`${name}_get`, [await hashKey()]));
      await expectReplyError(redis.fcall(`${name}_nosuch`), 'ERR');
    });

    it('rejects keys that are not an array with TypeError and sends nothing', async () => {
      await expectRefused('fcall', TypeError, () => redis.fcall('f', 'k' as never));
    });
  });

  describe('#fcallRo()', () => {
    it('calls a no-writes function and refuses one that may write', async () => {
      const name = await loadLibrary();
      const key = uniqueKey();
      await text.set(key, 'v');
      expect(await redis.fcallRo(`${name}_get`, [key])).to.deep.equal(Buffer.from('v'));
      expect(await redis.fcallRo(`${name}_get`, [key], [], { encoding: 'utf8' })).to.equal('v');
      await expectReplyError(redis.fcallRo(`${name}_set`, [key], ['x']), 'ERR');
      expect(await text.get(key)).to.equal('v');
    });

    it('rejects with WRONGTYPE on a hash key', async () => {
      const name = await loadLibrary();
      await expectWrongType(redis.fcallRo(`${name}_get`, [await hashKey()]));
    });

    it('rejects args that are not an array with TypeError and sends nothing', async () => {
      await expectRefused('fcall_ro', TypeError, () => redis.fcallRo('f', [], 'a' as never));
    });
  });

  describe('#functionList()', () => {
    it('describes the libraries and their functions', async () => {
      const name = await loadLibrary();
      const libraries = await redis.functionList({ libraryName: name });
      expect(libraries).to.have.length(1);
      const [library] = libraries;
      expect(library?.libraryName).to.equal(name);
      expect(library?.engine).to.equal('LUA');
      expect(library).not.to.have.property('libraryCode');
      const functions = [...(library?.functions ?? [])].sort((a, b) =>
        a.name.localeCompare(b.name),
      );
      expect(functions).to.deep.equal([
        { name: `${name}_echo`, description: null, flags: [] },
        { name: `${name}_get`, description: 'reads a key', flags: ['no-writes'] },
        { name: `${name}_set`, description: null, flags: [] },
      ]);
    });

    it('gives the code withCode, and filters by a glob-style pattern', async () => {
      const a = await loadLibrary();
      const b = await loadLibrary();
      const [library] = await text.functionList({ libraryName: a, withCode: true });
      expect(library?.libraryCode).to.equal(libraryCode(a));
      const both = await redis.functionList({ libraryName: `lib_${process.pid}_*` });
      expect(both.map((l) => l.libraryName)).to.include.members([a, b]);
      const all = await redis.functionList();
      expect(all.map((l) => l.libraryName)).to.include.members([a, b]);
      expect(await redis.functionList({ libraryName: 'no_such_library_*' })).to.deep.equal([]);
    });

    it('makes the same objects of a RESP3 reply', async () => {
      const name = await loadLibrary();
      expect(await resp3.call('FUNCTION', 'LIST', 'LIBRARYNAME', name)).to.satisfy(
        (reply: unknown[]) => reply[0] instanceof Map,
      );
      for (const withCode of [false, true]) {
        const options = { libraryName: name, withCode };
        expect(await resp3.functionList(options)).to.deep.equal(await text.functionList(options));
      }
    });

    it('rejects a libraryName that is not text with TypeError and sends nothing', async () => {
      await expectRefused('function|list', TypeError, () =>
        redis.functionList({ libraryName: 1 as never }),
      );
    });
  });

  describe('#functionDelete()', () => {
    it('deletes the library and its functions and resolves true', async () => {
      const name = await loadLibrary();
      expect(await redis.functionDelete(name)).to.equal(true);
      expect(await redis.functionList({ libraryName: name })).to.deep.equal([]);
      await expectReplyError(redis.fcall(`${name}_echo`, [], ['x']), 'ERR');
    });

    it('rejects with ERR for a library that does not exist', async () => {
      await expectReplyError(redis.functionDelete('no_such_library'), 'ERR');
    });
  });

  describe('#functionDump() and #functionRestore()', () => {
    it('round-trips the libraries through a Buffer payload', async () => {
      await redis.functionFlush();
      const name = await loadLibrary();
      const payload: Buffer = await text.functionDump(); // a Buffer even on a utf8 client
      expect(payload).to.be.instanceOf(Buffer);
      await redis.functionDelete(name);
      expect(await redis.functionList()).to.deep.equal([]);
      expect(await redis.functionRestore(payload)).to.equal(true);
      expect((await redis.functionList()).map((library) => library.libraryName)).to.deep.equal([
        name,
      ]);
      expect(await text.fcall(`${name}_echo`, [], ['back'])).to.equal('back');
    });

    it('applies the policy: APPEND fails on a clash, REPLACE replaces, FLUSH deletes the others', async () => {
      const name = await loadLibrary();
      const payload = await redis.functionDump();
      await expectReplyError(redis.functionRestore(payload, { policy: 'APPEND' }), 'ERR');
      await redis.functionLoad(libraryCode(name).replace('return args[1]', "return 'v2'"), {
        replace: true,
      });
      expect(await redis.functionRestore(payload, { policy: 'REPLACE' })).to.equal(true);
      expect(await text.fcall(`${name}_echo`, [], ['v1'])).to.equal('v1');
      const later = await loadLibrary();
      expect(await redis.functionRestore(payload, { policy: 'FLUSH' })).to.equal(true);
      expect(await redis.functionList({ libraryName: later })).to.deep.equal([]);
      expect(await redis.functionList({ libraryName: name })).to.have.length(1);
    });

    it('rejects a payload that is not a dump with ERR', async () => {
      await expectReplyError(redis.functionRestore(Buffer.from('not a dump')), 'ERR');
    });

    it('rejects a bad policy with TypeError and sends nothing', async () => {
      const payload = await redis.functionDump();
      await expectRefused('function|restore', TypeError, () =>
        redis.functionRestore(payload, { policy: 'MERGE' as never }),
      );
    });
  });

  describe('#functionFlush()', () => {
    it('deletes every library and resolves true, in either mode', async () => {
      for (const options of [undefined, { mode: 'SYNC' as const }, { mode: 'ASYNC' as const }]) {
        await loadLibrary();
        expect(await redis.functionFlush(options)).to.equal(true);
        expect(await redis.functionList()).to.deep.equal([]);
      }
    });

    it('rejects a bad mode with TypeError and deletes nothing', async () => {
      const name = await loadLibrary();
      await expectRefused('function|flush', TypeError, () =>
        redis.functionFlush({ mode: 'async' as never }),
      );
      expect(await redis.functionList({ libraryName: name })).to.have.length(1);
    });
  });

  describe('#functionStats()', () => {
    it('resolves with no running function and the counts per engine, over RESP2 and RESP3', async () => {
      await loadLibrary();
      const libraries = await redis.functionList();
      const functions = libraries.reduce((sum, library) => sum + library.functions.length, 0);
      const expected = {
        runningScript: null,
        engines: { LUA: { librariesCount: libraries.length, functionsCount: functions } },
      };
      expect(await redis.functionStats()).to.deep.equal(expected);
      expect(await resp3.functionStats()).to.deep.equal(expected);
    });
  });

  describe('#functionKill()', () => {
    it('rejects with NOTBUSY when no function runs', async () => {
      await expectReplyError(redis.functionKill(), 'NOTBUSY');
    });
  });

  describe('while a script runs (own server)', () => {
    // A busy script blocks the whole server: these tests get a server of their own, which
    // answers BUSY after 50 ms instead of the default 5 s.
    let server: RedisServer;
    let runner: Redis<string>;
    let other: Redis<string>;
    /** Busy-waits for ARGV[1] microseconds (a bound, so that a failed kill cannot hang the server). */
    const SPIN = [
      "local s = redis.call('TIME')",
      'while true do',
      "  local n = redis.call('TIME')",
      '  if (n[1] - s[1]) * 1000000 + (n[2] - s[2]) > tonumber(ARGV[1]) then break end',
      'end',
      "return 'done'",
    ].join('\n');

    before(async () => {
      server = await startRedis({ args: ['--busy-reply-threshold', '50'] });
      runner = await createRedis(server.url, { encoding: 'utf8' });
      other = await createRedis(server.url, { encoding: 'utf8' });
      await other.functionLoad(
        `#!lua name=busy\nredis.register_function('spin', function(keys, ARGV)\n${SPIN}\nend)`,
      );
    });

    after(async function () {
      this.timeout(10_000); // a script left running by a failed test delays the shutdown
      runner.close();
      other.close();
      await server.stop();
    });

    /** Resolves once the server answers BUSY to `other`. */
    async function untilBusy(): Promise<void> {
      await eventually(
        () =>
          other.get('k').then(
            () => false, // the script has not started yet
            (err: unknown) => err instanceof BusyError,
          ),
        3000,
      );
    }

    it('scriptKill() stops a running EVAL script; meanwhile others get BusyError', async () => {
      const running = runner.executeWith({ timeout: 10_000 }, 'EVAL', SPIN, 0, 5_000_000);
      running.catch(() => {});
      await untilBusy();
      expect(await rejectionOf(other.functionKill())).to.be.instanceOf(BusyError); // not a function
      expect(await other.scriptKill()).to.equal(true);
      const err = await expectReplyError(running, 'ERR');
      expect(err.message).to.match(/killed/i);
      expect(await other.get('k')).to.equal(null);
      await expectReplyError(other.scriptKill(), 'NOTBUSY');
    });

    it('functionKill() stops a running function, which functionStats() shows', async () => {
      const running = runner.executeWith({ timeout: 10_000 }, 'FCALL', 'spin', 0, 5_000_000);
      running.catch(() => {});
      await untilBusy();
      const stats = await other.functionStats();
      expect(stats.runningScript?.name).to.equal('spin');
      expect(stats.runningScript?.command).to.deep.equal(['FCALL', 'spin', '0', '5000000']);
      expect(stats.runningScript?.durationMs).to.be.a('number').and.at.least(0);
      expect(stats.engines).to.deep.equal({ LUA: { librariesCount: 1, functionsCount: 1 } });
      expect(await rejectionOf(other.scriptKill())).to.be.instanceOf(BusyError); // a function
      expect(await other.functionKill()).to.equal(true);
      expect((await rejectionOf(running)).message).to.match(/killed/i);
      expect((await other.functionStats()).runningScript).to.equal(null);
    });
  });
});

describe('Script', () => {
  let redis: Redis<Buffer>;
  let text: Redis<string>;
  useSharedClients((buffers, strings) => {
    redis = buffers;
    text = strings;
  });

  /** A Lua source the server's script cache does not have yet. */
  function fresh(body: string): string {
    return `-- ${uniqueKey('script')}\n${body}`;
  }

  const received = (command: string): Promise<number> => commandCalls(text, command);

  /** Runs `body`; resolves with how many EVAL and EVALSHA the server received meanwhile. */
  async function counting(
    body: () => Promise<unknown>,
  ): Promise<{ eval: number; evalsha: number }> {
    const [eval0, evalsha0] = [await received('eval'), await received('evalsha')];
    await body();
    return {
      eval: (await received('eval')) - eval0,
      evalsha: (await received('evalsha')) - evalsha0,
    };
  }

  describe('new Script()', () => {
    it('computes the SHA1 the server gives the source', async () => {
      const source = fresh('return 1');
      const script = new Script(source);
      expect(script.sha).to.match(/^[0-9a-f]{40}$/);
      expect(script.sha).to.equal(await text.scriptLoad(source));
      expect(new Script(Buffer.from(source)).sha).to.equal(script.sha);
      expect(new Script('return "é"').sha).to.equal(await text.scriptLoad('return "é"'));
    });

    it('keeps its own copy of a Buffer source', () => {
      const source = Buffer.from('return 1');
      const script = new Script(source);
      source.write('x');
      expect(String(script.source)).to.equal('return 1');
    });

    it('throws TypeError on a source that is not text and on a bad numberOfKeys', () => {
      expect(() => new Script(1 as never)).to.throw(TypeError);
      expect(() => new Script('return 1', { numberOfKeys: -1 })).to.throw(TypeError);
      expect(() => new Script('return 1', { numberOfKeys: 1.5 })).to.throw(TypeError);
      expect(new Script('return 1', { numberOfKeys: 2 }).numberOfKeys).to.equal(2);
    });
  });

  describe('#run()', () => {
    it('falls back to EVAL on NOSCRIPT, which caches the script for EVALSHA next time', async () => {
      const script = new Script('return {KEYS[1], ARGV[1]}', { numberOfKeys: 1 });
      await text.scriptFlush();
      expect(await text.scriptExists(script.sha)).to.deep.equal([false]);
      let reply: unknown;
      const first = await counting(async () => {
        reply = await script.run(text, ['k'], ['a']);
      });
      expect(reply).to.deep.equal(['k', 'a']);
      expect(first).to.deep.equal({ eval: 1, evalsha: 1 });
      expect(await text.scriptExists(script.sha)).to.deep.equal([true]);
      const second = await counting(async () => {
        reply = await script.run(text, ['k'], ['b']);
      });
      expect(reply).to.deep.equal(['k', 'b']);
      expect(second).to.deep.equal({ eval: 0, evalsha: 1 });
    });

    it('passes no keys and no arguments by default, and the encoding through', async () => {
      const script = new Script(fresh("return {#KEYS, #ARGV, 'é'}"));
      expect(await script.run(redis)).to.deep.equal([0, 0, Buffer.from('é')]);
      expect(await script.run(redis, [], [], { encoding: 'utf8' })).to.deep.equal([0, 0, 'é']);
      const typed: string = await new Script('return ARGV[1]').run<string>(text, [], ['x']);
      expect(typed).to.equal('x');
    });

    it('rejects with the error of EVAL itself, not NoScriptError, and tries once', async () => {
      const key = uniqueKey('hash');
      await text.call('HSET', key, 'f', 'v');
      const script = new Script(fresh("return redis.call('GET', KEYS[1])"));
      let err: Error | undefined;
      const sent = await counting(async () => {
        err = await rejectionOf(script.run(redis, [key]));
      });
      expect(err).to.be.instanceOf(ReplyError).and.not.instanceOf(NoScriptError);
      expect((err as ReplyError).code).to.equal('WRONGTYPE');
      expect(sent).to.deep.equal({ eval: 1, evalsha: 1 });
      const broken = new Script(fresh('return +'));
      const compile = await rejectionOf(broken.run(redis));
      expect(compile).to.be.instanceOf(ReplyError).and.not.instanceOf(NoScriptError);
      expect((compile as ReplyError).code).to.equal('ERR');
    });

    it('does not fall back on other EVALSHA errors', async () => {
      const key = uniqueKey('hash');
      await text.call('HSET', key, 'f', 'v');
      const script = new Script(fresh("return redis.call('GET', KEYS[1])"));
      await text.scriptLoad(script.source);
      let err: Error | undefined;
      const sent = await counting(async () => {
        err = await rejectionOf(script.run(redis, [key]));
      });
      expect((err as ReplyError).code).to.equal('WRONGTYPE');
      expect(sent).to.deep.equal({ eval: 0, evalsha: 1 });
    });

    it('runs on a pool client too', async () => {
      const pool = await createRedisPool((await sharedServer()).url, {
        encoding: 'utf8',
        maxsize: 2,
      });
      try {
        const script = new Script(fresh('return ARGV[1]'));
        expect(await script.run(pool, [], ['one'])).to.equal('one');
        expect(await script.run(pool, [], ['two'])).to.equal('two');
      } finally {
        pool.close();
        await pool.waitClosed();
      }
    });

    it('sends EVAL straight away between a hand-written MULTI and EXEC', async () => {
      const script = new Script(fresh('return ARGV[1]'));
      const own = await createRedis((await sharedServer()).url, { encoding: 'utf8' });
      try {
        let reply: Promise<unknown> | undefined;
        const sent = await counting(async () => {
          await own.execute('MULTI');
          expect(own.inTransaction).to.equal(true);
          // Between MULTI and EXEC a command resolves with QUEUED; its result is EXEC's item.
          reply = script.run(own, [], ['queued']);
          expect(await own.execute('EXEC')).to.deep.equal(['queued']);
        });
        expect(await reply).to.equal('QUEUED');
        expect(sent).to.deep.equal({ eval: 1, evalsha: 0 });
      } finally {
        own.close();
      }
    });

    it('rejects a wrong number of keys with TypeError and sends nothing', async () => {
      const script = new Script('return 1', { numberOfKeys: 1 });
      let err: Error | undefined;
      const sent = await counting(async () => {
        err = await rejectionOf(script.run(redis, ['a', 'b']));
      });
      expect(err).to.be.instanceOf(TypeError);
      expect(sent).to.deep.equal({ eval: 0, evalsha: 0 });
      expect(await rejectionOf(script.run(redis))).to.be.instanceOf(TypeError);
    });

    it('rejects with TypeError without a client, and on keys that are not an array', async () => {
      const script = new Script('return 1');
      expect(await rejectionOf(script.run(undefined as never))).to.be.instanceOf(TypeError);
      expect(await rejectionOf(script.run({} as never))).to.be.instanceOf(TypeError);
      const sent = await counting(async () => {
        expect(await rejectionOf(script.run(redis, 'k' as never))).to.be.instanceOf(TypeError);
      });
      expect(sent).to.deep.equal({ eval: 0, evalsha: 0 });
    });

    it('sends EVAL in a pipeline, so that the batch never holds a NOSCRIPT', async () => {
      const script = new Script(fresh('return ARGV[1]'));
      const key = uniqueKey();
      let results: unknown[] = [];
      const sent = await counting(async () => {
        const pipe = text.pipeline();
        const reply = script.run(pipe, [], ['piped']);
        void pipe.set(key, 'v');
        const second = script.run(pipe, [], ['again']);
        results = await pipe.execute();
        expect(await reply).to.equal('piped');
        expect(await second).to.equal('again');
      });
      expect(results).to.deep.equal(['piped', true, 'again']);
      expect(sent).to.deep.equal({ eval: 2, evalsha: 0 });
    });

    it('sends EVAL in a transaction, each run resolving with its EXEC item', async () => {
      const script = new Script("return redis.call('INCR', KEYS[1])", { numberOfKeys: 1 });
      await text.scriptLoad(script.source); // even when cached: the batch cannot retry
      const key = uniqueKey();
      let results: unknown[] = [];
      const sent = await counting(async () => {
        const multi = text.multiExec();
        const first = script.run(multi, [key]);
        const second = script.run(multi, [key]);
        results = await multi.execute();
        expect([await first, await second]).to.deep.equal([1, 2]);
      });
      expect(results).to.deep.equal([1, 2]);
      expect(sent).to.deep.equal({ eval: 2, evalsha: 0 });
    });
  });
});
