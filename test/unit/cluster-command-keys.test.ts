import { expect } from 'chai';
import {
  commandSpec,
  forgetLearnedCommands,
  keyPositions,
  learnCommands,
  MAX_LEARNED_COMMANDS,
  type CommandSpec,
} from '../../lib/cluster/command-keys';
import { parseCommandInfo } from '../../lib/cluster/command-info';
import { COMMAND_ENTRIES, KEY_SPECS_SERVER_VERSION } from '../../lib/cluster/key-specs';
import type { Arg } from '../../lib/protocol/encoder';

/** The spec of a command known to the generated table; fails the test for an unknown one. */
function spec(command: string, ...args: Arg[]): CommandSpec {
  const found = commandSpec(command, args);
  expect(found, `${command} is known`).not.to.equal(undefined);
  return found as CommandSpec;
}

/** The key positions of `command args…`. */
function positions(command: string, ...args: Arg[]): number[] {
  return keyPositions(spec(command, ...args), args);
}

/** The keys themselves, which read better than positions. */
function keys(command: string, ...args: Arg[]): Arg[] {
  return positions(command, ...args).map((at) => args[at] as Arg);
}

/** `COMMAND INFO get` of redis-server 7.0.15 as a connection without encoding returns it (RESP2). */
function realGetInfo(): unknown {
  const b = (text: string) => Buffer.from(text);
  return [
    [
      b('get'),
      2,
      [b('readonly'), b('fast')],
      1,
      1,
      1,
      [b('@read'), b('@string'), b('@fast')],
      [],
      [
        [
          b('flags'),
          [b('RO'), b('access')],
          b('begin_search'),
          [b('type'), b('index'), b('spec'), [b('index'), 1]],
          b('find_keys'),
          [b('type'), b('range'), b('spec'), [b('lastkey'), 0, b('keystep'), 1, b('limit'), 0]],
        ],
      ],
      [],
    ],
  ];
}

/** A COMMAND INFO entry for a made-up command, with one key specification. */
function entry(name: string, keySpec: unknown, flags: string[] = ['readonly']): unknown[] {
  return [name, -2, flags, 0, 0, 0, [], [], keySpec === undefined ? [] : [keySpec], []];
}

describe('the generated key-specs table', () => {
  it('comes from a Redis 7 server, sorted by name, every name once', () => {
    expect(KEY_SPECS_SERVER_VERSION).to.match(/^7\./);
    const names = COMMAND_ENTRIES.map((command) => command[0]);
    expect(names).to.deep.equal([...names].sort());
    expect(new Set(names).size).to.equal(names.length);
    expect(names).to.include.members(['get', 'xinfo', 'xinfo|stream', 'spublish']);
  });
});

describe('commandSpec()', () => {
  it('finds a command in any case', () => {
    expect(spec('get').name).to.equal('get');
    expect(spec('GET').name).to.equal('get');
    expect(spec('gEt').name).to.equal('get');
  });

  it('gives undefined for an unknown command', () => {
    expect(commandSpec('NOSUCHCOMMAND', [])).to.equal(undefined);
  });

  it('resolves a container command to its subcommand by the first argument, in any case', () => {
    expect(spec('XINFO', 'STREAM', 'k').name).to.equal('xinfo|stream');
    expect(spec('object', 'Encoding', 'k').name).to.equal('object|encoding');
    expect(spec('MEMORY', Buffer.from('usage'), 'k').name).to.equal('memory|usage');
  });

  it('gives the container itself without arguments and undefined for an unknown subcommand', () => {
    expect(spec('XINFO').name).to.equal('xinfo');
    expect(commandSpec('XINFO', ['NOSUCHSUB', 'k'])).to.equal(undefined);
  });

  it('rejects a multi-word name and a name that is not a string with a TypeError', () => {
    expect(() => commandSpec('XINFO STREAM', ['k'])).to.throw(TypeError, /first argument/);
    expect(() => commandSpec(7 as unknown as string, [])).to.throw(TypeError, /string/);
  });

  it('carries the flags routing needs', () => {
    expect(spec('GET')).to.include({ readonly: true, write: false, blocking: false });
    expect(spec('SET')).to.include({ readonly: false, write: true });
    expect(spec('BLMPOP')).to.include({ blocking: true, write: true, movableKeys: true });
    expect(spec('PUBLISH')).to.include({ pubsub: true });
    expect(spec('SUBSCRIBE')).to.include({ pubsub: true, noscript: true });
    expect(spec('CONFIG', 'SET')).to.include({ admin: true });
  });

  it('carries the request and response policies', () => {
    expect(spec('SCRIPT', 'LOAD')).to.include({ request: 'all_nodes', response: 'all_succeeded' });
    expect(spec('DBSIZE')).to.include({ request: 'all_shards', response: 'agg_sum' });
    expect(spec('KEYS')).to.include({ request: 'all_shards', response: undefined });
    expect(spec('FLUSHALL')).to.include({ request: 'all_shards', response: 'all_succeeded' });
    expect(spec('PING')).to.include({ request: 'all_shards', response: 'all_succeeded' });
    expect(spec('INFO')).to.include({ request: 'all_shards', response: 'special' });
    expect(spec('SCRIPT', 'EXISTS')).to.include({ response: 'agg_logical_and' });
    expect(spec('GET')).to.include({ request: undefined, response: undefined });
  });
});

describe('keyPositions()', () => {
  it('finds the one key of GET and SET', () => {
    expect(positions('GET', 'k')).to.deep.equal([0]);
    expect(positions('SET', 'k', 'v', 'EX', 10)).to.deep.equal([0]);
  });

  it('finds every argument of MGET, DEL, EXISTS, PFCOUNT and WATCH', () => {
    expect(keys('MGET', 'a', 'b', 'c')).to.deep.equal(['a', 'b', 'c']);
    expect(keys('DEL', 'a', 'b')).to.deep.equal(['a', 'b']);
    expect(keys('EXISTS', 'a', 'a')).to.deep.equal(['a', 'a']);
    expect(keys('PFCOUNT', 'h1', 'h2')).to.deep.equal(['h1', 'h2']);
    expect(keys('WATCH', 'w1', 'w2')).to.deep.equal(['w1', 'w2']);
  });

  it('steps over MSET values (step 2)', () => {
    expect(positions('MSET', 'a', 1, 'b', 2, 'c', 3)).to.deep.equal([0, 2, 4]);
  });

  it('finds source and destination of SMOVE, RENAME and BITOP', () => {
    expect(keys('SMOVE', 'src', 'dst', 'member')).to.deep.equal(['src', 'dst']);
    expect(keys('RENAME', 'old', 'new')).to.deep.equal(['old', 'new']);
    expect(keys('BITOP', 'AND', 'dest', 's1', 's2')).to.deep.equal(['dest', 's1', 's2']);
  });

  it('reads the key count of EVAL, EVALSHA and FCALL', () => {
    expect(keys('EVAL', 'return 1', 2, 'k1', 'k2', 'arg')).to.deep.equal(['k1', 'k2']);
    expect(keys('EVALSHA', 'abc', '1', 'k1', 'arg')).to.deep.equal(['k1']);
    expect(keys('FCALL', 'fn', Buffer.from('2'), 'k1', 'k2')).to.deep.equal(['k1', 'k2']);
    expect(keys('EVAL', 'return 1', 0, 'arg')).to.deep.equal([]);
  });

  it('finds the destination and the counted keys of ZUNIONSTORE, in order', () => {
    expect(keys('ZUNIONSTORE', 'dst', 2, 'a', 'b', 'WEIGHTS', 1, 2)).to.deep.equal([
      'dst',
      'a',
      'b',
    ]);
  });

  it('finds the counted keys of ZUNION, SINTERCARD, LMPOP, BLMPOP and ZMPOP', () => {
    expect(keys('ZUNION', 2, 'a', 'b', 'WITHSCORES')).to.deep.equal(['a', 'b']);
    expect(keys('SINTERCARD', 3, 'a', 'b', 'c', 'LIMIT', 5)).to.deep.equal(['a', 'b', 'c']);
    expect(keys('LMPOP', 2, 'a', 'b', 'LEFT')).to.deep.equal(['a', 'b']);
    expect(keys('BLMPOP', 0.5, 2, 'a', 'b', 'RIGHT', 'COUNT', 2)).to.deep.equal(['a', 'b']);
    expect(keys('ZMPOP', 1, 'z', 'MIN')).to.deep.equal(['z']);
  });

  it('rejects a key count that is no integer or exceeds the arguments, naming the command', () => {
    expect(() => positions('EVAL', 's', 'two', 'k')).to.throw(TypeError, /^EVAL: numkeys/);
    expect(() => positions('EVAL', 's', -1, 'k')).to.throw(TypeError, /non-negative integer/);
    expect(() => positions('EVAL', 's', 1.5, 'k')).to.throw(TypeError, /non-negative integer/);
    expect(() => positions('LMPOP', '', 'k', 'LEFT')).to.throw(TypeError, /^LMPOP: numkeys/);
    expect(() => positions('ZUNION', 3, 'a', 'b')).to.throw(TypeError, /^ZUNION: numkeys .* is 3/);
    expect(() => positions('FCALL', 'fn', '99999999999', 'k')).to.throw(TypeError, /FCALL/);
  });

  it('leaves the arity error to the server when the key count itself is missing', () => {
    expect(positions('EVAL', 'return 1')).to.deep.equal([]);
    expect(positions('GET')).to.deep.equal([]);
  });

  it('finds XREAD streams after STREAMS: the first half of what follows', () => {
    expect(keys('XREAD', 'COUNT', 2, 'STREAMS', 'a', 'b', '0', '0')).to.deep.equal(['a', 'b']);
    expect(keys('XREAD', 'BLOCK', 0, 'streams', 's', '$')).to.deep.equal(['s']);
    expect(keys('xread', 'COUNT', 1)).to.deep.equal([]);
  });

  it('finds XREADGROUP streams after STREAMS, past GROUP group consumer', () => {
    expect(
      keys('XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', 1, 'STREAMS', 'a', 'b', '>', '>'),
    ).to.deep.equal(['a', 'b']);
  });

  it('finds the key of XINFO STREAM, OBJECT ENCODING and MEMORY USAGE after the subcommand', () => {
    expect(positions('XINFO', 'STREAM', 'k', 'FULL')).to.deep.equal([1]);
    expect(positions('OBJECT', 'ENCODING', 'k')).to.deep.equal([1]);
    expect(positions('MEMORY', 'USAGE', 'k', 'SAMPLES', 5)).to.deep.equal([1]);
    expect(positions('XINFO', 'HELP')).to.deep.equal([]);
  });

  it('finds the MIGRATE key, or the keys after KEYS without the empty placeholder', () => {
    expect(keys('MIGRATE', 'h', 6379, 'k', 0, 5000)).to.deep.equal(['k']);
    expect(keys('MIGRATE', 'h', 6379, '', 0, 5000, 'COPY', 'KEYS', 'a', 'b')).to.deep.equal([
      'a',
      'b',
    ]);
    // A password that reads KEYS is a password.
    expect(keys('MIGRATE', 'h', 1, '', 0, 5, 'AUTH', 'KEYS', 'KEYS', 'a')).to.deep.equal(['a']);
    expect(spec('MIGRATE').incompleteKeys).to.equal(false);
  });

  it('finds the GEORADIUS destination after STORE or STOREDIST', () => {
    expect(keys('GEORADIUS', 'g', 15, 37, 200, 'km', 'STORE', 'dst')).to.deep.equal(['g', 'dst']);
    expect(keys('GEORADIUS', 'g', 15, 37, 200, 'km', 'storedist', 'd2')).to.deep.equal(['g', 'd2']);
    expect(keys('GEORADIUS', 'g', 15, 37, 200, 'km', 'ASC')).to.deep.equal(['g']);
  });

  it('finds the SORT key and STORE destination, and says BY/GET patterns are unknown', () => {
    expect(keys('SORT', 'k', 'LIMIT', 0, 10, 'ALPHA', 'STORE', 'dst')).to.deep.equal(['k', 'dst']);
    expect(keys('SORT', 'k', 'GET', 'STORE', 'DESC')).to.deep.equal(['k']);
    expect(keys('SORT', 'k')).to.deep.equal(['k']);
    expect(spec('SORT').incompleteKeys).to.equal(true);
    expect(keys('SORT_RO', 'k', 'ALPHA')).to.deep.equal(['k']);
    expect(spec('SORT_RO').incompleteKeys).to.equal(true);
  });

  it('finds no keys for PUBLISH, PING, DBSIZE, KEYS, FLUSHALL, INFO and SCRIPT LOAD', () => {
    expect(positions('PUBLISH', 'ch', 'msg')).to.deep.equal([]);
    expect(positions('PING')).to.deep.equal([]);
    expect(positions('DBSIZE')).to.deep.equal([]);
    expect(positions('KEYS', '*')).to.deep.equal([]);
    expect(positions('FLUSHALL', 'ASYNC')).to.deep.equal([]);
    expect(positions('INFO', 'server')).to.deep.equal([]);
    expect(positions('SCRIPT', 'LOAD', 'return 1')).to.deep.equal([]);
  });

  it('routes SPUBLISH and SSUBSCRIBE channels by slot: positions marked as sharded channels', () => {
    expect(keys('SPUBLISH', 'ch', 'msg')).to.deep.equal(['ch']);
    expect(spec('SPUBLISH').shardedChannels).to.equal(true);
    expect(keys('SSUBSCRIBE', 'a', 'b')).to.deep.equal(['a', 'b']);
    expect(spec('SSUBSCRIBE').shardedChannels).to.equal(true);
    expect(keys('SUNSUBSCRIBE', 'a')).to.deep.equal(['a']);
    expect(spec('GET').shardedChannels).to.equal(false);
    expect(spec('PUBLISH').shardedChannels).to.equal(false);
  });

  it('finds nothing, rather than looping, in a hand-made spec with a step of 0', () => {
    const get = spec('GET');
    const stuck: CommandSpec = { ...get, keySpecs: [[1, ['range', -1, 0, 0], 0]] };
    expect(keyPositions(stuck, ['a', 'b'])).to.deep.equal([]);
    const legacy: CommandSpec = { ...get, keySpecs: [], firstKey: 1, lastKey: -1, step: 0 };
    expect(keyPositions(legacy, ['a', 'b'])).to.deep.equal([]);
  });

  it('gives positions ascending and without duplicates across key specifications', () => {
    // Two specifications: the destination (index 1), then the counted keys (index 2 on).
    expect(positions('ZINTERSTORE', 'd', 2, 'a', 'b')).to.deep.equal([0, 2, 3]);
  });
});

describe('keyPositions() on key specifications the built-in commands do not use', () => {
  afterEach(() => forgetLearnedCommands());

  /** A RESP2 key specification from begin_search and find_keys given as flat arrays. */
  function keySpec(begin: unknown[], find: unknown[]): unknown[] {
    return ['flags', ['RW'], 'begin_search', begin, 'find_keys', find];
  }
  const index = (at: number) => ['type', 'index', 'spec', ['index', at]];
  const keyword = (word: string, startfrom: number) => [
    'type',
    'keyword',
    'spec',
    ['keyword', word, 'startfrom', startfrom],
  ];
  const range = (lastkey: number, keystep = 1, limit = 0) => [
    'type',
    'range',
    'spec',
    ['lastkey', lastkey, 'keystep', keystep, 'limit', limit],
  ];
  const keynum = (keynumidx: number, firstkey: number, keystep: number) => [
    'type',
    'keynum',
    'spec',
    ['keynumidx', keynumidx, 'firstkey', firstkey, 'keystep', keystep],
  ];

  function learn(name: string, ...specs: unknown[][]): void {
    learnCommands([[name, -1, ['write'], 0, 0, 0, [], [], specs, []]]);
  }

  it('searches a keyword backwards from the end for a negative startfrom', () => {
    learn('mod.back', keySpec(keyword('KEYS', -2), range(-1)));
    // The last KEYS counts; a KEYS as the very last argument has no keys after it.
    expect(keys('mod.back', 'x', 'KEYS', 'y', 'keys', 'a', 'b')).to.deep.equal(['a', 'b']);
    expect(keys('mod.back', 'x', 'KEYS', 'a', 'KEYS')).to.deep.equal(['a', 'KEYS']);
    expect(keys('mod.back', 'x', 'y')).to.deep.equal([]);
  });

  it('starts a backward search at the very last argument for startfrom -1, as the server does', () => {
    learn('mod.last', keySpec(keyword('KEYS', -1), range(-1)));
    expect(keys('mod.last', 'x', 'KEYS', 'a')).to.deep.equal(['a']);
    // The last KEYS is found first, and no key follows it.
    expect(keys('mod.last', 'x', 'KEYS', 'a', 'KEYS')).to.deep.equal([]);
  });

  it('searches a keyword forwards from startfrom, ignoring it before startfrom', () => {
    learn('mod.fwd', keySpec(keyword('TO', 2), range(0)));
    expect(keys('mod.fwd', 'TO', 'x', 'TO', 'k', 'TO', 'z')).to.deep.equal(['k']);
    expect(keys('mod.fwd', 'a', 'TO')).to.deep.equal([]);
  });

  it('ends a range that far from the end for a negative lastkey', () => {
    learn('mod.tail', keySpec(index(1), range(-2)));
    expect(keys('mod.tail', 'a', 'b', 'c', 'value')).to.deep.equal(['a', 'b', 'c']);
  });

  it('takes the first 1/limit of the rest for a limit', () => {
    learn('mod.third', keySpec(index(1), range(-1, 1, 3)));
    expect(keys('mod.third', 'a', 'b', 'x', 'y', 'p', 'q')).to.deep.equal(['a', 'b']);
  });

  it('steps over values in a counted key list with keystep 2', () => {
    learn('mod.pairs', keySpec(index(1), keynum(0, 1, 2)));
    expect(keys('mod.pairs', 2, 'a', 'v1', 'b', 'v2')).to.deep.equal(['a', 'b']);
    expect(() => keys('mod.pairs', 2, 'a', 'v1', 'b')).not.to.throw();
    expect(() => keys('mod.pairs', 3, 'a', 'v1', 'b', 'v2')).to.throw(TypeError, /MOD\.PAIRS/);
  });

  it('sorts and deduplicates what several key specifications find', () => {
    learn('mod.union', keySpec(index(3), range(-1)), keySpec(index(1), range(2)));
    expect(positions('mod.union', 'a', 'b', 'c', 'd')).to.deep.equal([0, 1, 2, 3]);
  });
});

describe('learnCommands()', () => {
  afterEach(() => forgetLearnedCommands());

  it('learns a command from a real COMMAND INFO reply, as the table has it', () => {
    const fromTable = spec('GET');
    learnCommands(realGetInfo());
    const learned = spec('GET');
    expect(learned).not.to.equal(fromTable); // replaced...
    expect(learned).to.deep.equal(fromTable); // ...by the same facts
  });

  it('learns the not_key flag: a learned SPUBLISH still routes its channel as a sharded channel', () => {
    // COMMAND INFO spublish of redis-server 7.0.15.
    learnCommands([
      [
        'spublish',
        3,
        ['pubsub', 'loading', 'stale', 'fast'],
        1,
        1,
        1,
        ['@pubsub', '@fast'],
        [],
        [
          [
            'flags',
            ['not_key'],
            'begin_search',
            ['type', 'index', 'spec', ['index', 1]],
            'find_keys',
            ['type', 'range', 'spec', ['lastkey', 0, 'keystep', 1, 'limit', 0]],
          ],
        ],
        [],
      ],
    ]);
    expect(spec('SPUBLISH')).to.include({ shardedChannels: true, pubsub: true });
    expect(positions('SPUBLISH', 'ch', 'msg')).to.deep.equal([0]);
  });

  it('learns a new command, then finds its keys like any other', () => {
    const reply = realGetInfo() as unknown[][];
    (reply[0] as unknown[])[0] = 'mymodule.get';
    learnCommands(reply);
    expect(positions('MYMODULE.GET', 'k')).to.deep.equal([0]);
    expect(spec('mymodule.get')).to.include({ readonly: true, incompleteKeys: false });
  });

  it('reads RESP3 maps as well as RESP2 flat arrays', () => {
    // Nested objects as RESP3 maps, arrays as they are.
    const resp3 = (fields: object): Map<string, unknown> =>
      new Map(
        Object.entries(fields).map(([name, value]) => [
          name,
          typeof value === 'object' && !Array.isArray(value) ? resp3(value as object) : value,
        ]),
      );
    const keySpec = resp3({
      flags: ['RW'],
      begin_search: { type: 'keyword', spec: { keyword: 'KEYS', startfrom: 1 } },
      find_keys: { type: 'range', spec: { lastkey: -1, keystep: 1, limit: 0 } },
    });
    expect(keySpec.get('begin_search')).to.be.instanceOf(Map);
    learnCommands([entry('mod.multi', keySpec)]);
    expect(keys('mod.multi', 'x', 'KEYS', 'a', 'b')).to.deep.equal(['a', 'b']);
  });

  it('learns a subcommand named container|sub into its container', () => {
    const sub = entry('mod.tool|read', [
      'flags',
      ['RO'],
      'begin_search',
      ['type', 'index', 'spec', ['index', 2]],
      'find_keys',
      ['type', 'range', 'spec', ['lastkey', 0, 'keystep', 1, 'limit', 0]],
    ]);
    learnCommands([sub]);
    expect(spec('MOD.TOOL', 'READ', 'k').name).to.equal('mod.tool|read');
    expect(positions('MOD.TOOL', 'READ', 'k')).to.deep.equal([1]);
  });

  it('falls back to first/last/step without key specifications, and flags movable keys', () => {
    learnCommands([['old.mget', -2, ['readonly'], 1, -1, 1, [], [], [], []]]);
    expect(keys('old.mget', 'a', 'b')).to.deep.equal(['a', 'b']);
    expect(spec('old.mget').incompleteKeys).to.equal(false);
    learnCommands([['old.movable', -2, ['movablekeys'], 0, 0, 0, [], [], [], []]]);
    expect(positions('old.movable', 'a')).to.deep.equal([]);
    expect(spec('old.movable').incompleteKeys).to.equal(true);
  });

  it('treats an unknown key specification as incomplete, using first/last/step if any', () => {
    const unknown = ['flags', ['RW'], 'begin_search', ['type', 'unknown', 'spec', []]];
    learnCommands([['mod.u', -2, ['write'], 1, 1, 1, [], [], [unknown], []]]);
    expect(positions('mod.u', 'k', 'x')).to.deep.equal([0]);
    expect(spec('mod.u').incompleteKeys).to.equal(true);
  });

  it('never throws on garbage, skipping only the bad parts', () => {
    const garbage: unknown[] = [
      undefined,
      null,
      'COMMAND',
      42,
      [null, 'x', ['deeper', [[]]]],
      [[]],
      [[42, 1, 'flags']],
      [['', 1, [], 1, 1, 1]],
      [['has space', 1, [], 1, 1, 1]],
      [['x'.repeat(1000), 1, [], 1, 1, 1]],
      [['mod.bad', 'arity', 'flags', 'a', null, {}, 7, 'tips', 'specs', 'subs']],
      [entry('mod.badspec', ['begin_search', 'oops', 'find_keys', [1, 2, 3]])],
      [
        entry('mod.zero', [
          'begin_search',
          ['type', 'index', 'spec', ['index', 1]],
          'find_keys',
          ['type', 'range', 'spec', ['lastkey', -1, 'keystep', 0, 'limit', 0]],
        ]),
      ],
      [['mod.parent', 1, [], 0, 0, 0, [], [], [], [['other|sub', 2, [], 1, 1, 1, [], [], [], []]]]],
    ];
    for (const reply of garbage) expect(() => learnCommands(reply)).not.to.throw();
    expect(commandSpec('', [])).to.equal(undefined);
    expect(parseCommandInfo([['has space', 1, [], 1, 1, 1]])).to.deep.equal([]);
    expect(parseCommandInfo([['x'.repeat(1000), 1, [], 1, 1, 1]])).to.deep.equal([]);
    expect(spec('mod.bad')).to.include({ readonly: false, firstKey: 0, request: undefined });
    // A key step of 0 would never advance: that specification is taken as unknown instead.
    expect(positions('mod.zero', 'a', 'b')).to.deep.equal([]);
    expect(spec('mod.zero').incompleteKeys).to.equal(true);
    expect(spec('mod.badspec').incompleteKeys).to.equal(true);
    // A subcommand must belong to the command it is listed under.
    expect(commandSpec('other', ['sub'])).to.equal(undefined);
  });

  it('keeps a command called __proto__ in the table, not on Object.prototype', () => {
    learnCommands([['__proto__', 1, ['readonly'], 1, 1, 1, [], [], [], []]]);
    expect(spec('__proto__').readonly).to.equal(true);
    expect((Object.prototype as Record<string, unknown>).readonly).to.equal(undefined);
    expect(parseCommandInfo([['constructor', 1, [], 0, 0, 0]])[0]?.[0]).to.equal('constructor');
  });

  it(`learns at most ${MAX_LEARNED_COMMANDS} commands, then ignores new ones`, () => {
    const many = Array.from({ length: MAX_LEARNED_COMMANDS + 5 }, (_, i) => [
      `mod.cmd${i}`,
      2,
      ['readonly'],
      1,
      1,
      1,
    ]);
    learnCommands(many);
    expect(commandSpec(`mod.cmd${MAX_LEARNED_COMMANDS - 1}`, [])).not.to.equal(undefined);
    expect(commandSpec(`mod.cmd${MAX_LEARNED_COMMANDS}`, [])).to.equal(undefined);
    // A command learned before can still be replaced.
    learnCommands([['mod.cmd0', 2, ['write'], 1, 1, 1]]);
    expect(spec('mod.cmd0').write).to.equal(true);
  });
});
