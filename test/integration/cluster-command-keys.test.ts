// keyPositions() against the server's own COMMAND GETKEYS, and learnCommands() on a real
// COMMAND INFO reply: the generated table must say what the running server says.
import { expect } from 'chai';
import { createConnection, type RedisConnection } from '../../lib';
import {
  commandSpec,
  forgetLearnedCommands,
  keyPositions,
  learnCommands,
  type CommandSpec,
} from '../../lib/cluster/command-keys';
import type { Arg } from '../../lib/protocol/encoder';
import { sharedServer } from '../helpers/hooks';

/** Command lines with keys; COMMAND GETKEYS must name exactly the keys keyPositions finds. */
const WITH_KEYS: Arg[][] = [
  ['GET', 'k'],
  ['SET', 'k', 'v', 'EX', 10, 'GET'],
  ['MGET', 'a', 'b', 'c'],
  ['MSET', 'a', 1, 'b', 2],
  ['DEL', 'a', 'b'],
  ['EXISTS', 'a'],
  ['EVAL', 'return 1', 2, 'k1', 'k2', 'arg'],
  ['EVALSHA', 'a'.repeat(40), 1, 'k1', 'arg'],
  ['FCALL', 'fn', 2, 'k1', 'k2', 'arg'],
  ['ZUNIONSTORE', 'dst', 2, 'a', 'b', 'WEIGHTS', 1, 2],
  ['ZUNION', 2, 'a', 'b', 'WITHSCORES'],
  ['SINTERCARD', 2, 'a', 'b', 'LIMIT', 1],
  ['LMPOP', 2, 'a', 'b', 'LEFT'],
  ['BLMPOP', 0, 2, 'a', 'b', 'LEFT'],
  ['ZMPOP', 1, 'z', 'MIN'],
  ['XREAD', 'COUNT', 2, 'STREAMS', 'a', 'b', '0', '0'],
  ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'a', 'b', '>', '>'],
  ['XINFO', 'STREAM', 'k'],
  ['OBJECT', 'ENCODING', 'k'],
  ['MEMORY', 'USAGE', 'k'],
  ['MIGRATE', 'h', 6379, 'k', 0, 5000],
  ['MIGRATE', 'h', 6379, '', 0, 5000, 'COPY', 'KEYS', 'a', 'b'],
  ['GEORADIUS', 'g', 15, 37, 200, 'km', 'STORE', 'dst'],
  ['GEORADIUSBYMEMBER', 'g', 'm', 200, 'km', 'STOREDIST', 'dst'],
  ['SORT', 'k', 'LIMIT', 0, 10, 'STORE', 'dst'],
  ['BITOP', 'AND', 'dest', 's1', 's2'],
  ['SMOVE', 'src', 'dst', 'm'],
  ['RENAME', 'old', 'new'],
  ['PFCOUNT', 'h1', 'h2'],
  ['WATCH', 'w1', 'w2'],
  ['ZINTERSTORE', 'd', 2, 'a', 'b'],
  ['BZPOPMIN', 'a', 'b', 0],
  ['LMOVE', 'a', 'b', 'LEFT', 'RIGHT'],
  ['XADD', 's', '*', 'f', 'v'],
];

describe('keyPositions() against COMMAND GETKEYS', () => {
  let conn: RedisConnection;

  before(async () => {
    conn = await createConnection((await sharedServer()).url, { encoding: 'utf8' });
  });

  after(() => {
    conn?.close();
    forgetLearnedCommands();
  });

  function ourKeys(line: readonly Arg[]): string[] {
    const [name, ...args] = line;
    const spec = commandSpec(String(name), args) as CommandSpec;
    expect(spec, `${String(name)} is known`).not.to.equal(undefined);
    return keyPositions(spec, args).map((at) => String(args[at]));
  }

  for (const line of WITH_KEYS) {
    it(`finds the keys the server finds in ${line.join(' ')}`, async () => {
      const serverKeys = await conn.execute('COMMAND', 'GETKEYS', ...line);
      expect(ourKeys(line)).to.deep.equal(serverKeys);
    });
  }

  it('finds no keys where the server finds none', async () => {
    for (const line of [['PUBLISH', 'ch', 'm'], ['PING'], ['DBSIZE'], ['KEYS', '*']]) {
      const reply = await conn.execute('COMMAND', 'GETKEYS', ...line).catch((err: Error) => err);
      expect(reply, line.join(' ')).to.be.instanceOf(Error);
      expect(ourKeys(line), line.join(' ')).to.deep.equal([]);
    }
  });

  it('learns from the live COMMAND INFO reply exactly what the generated table holds', async () => {
    const names = ['get', 'xread', 'migrate', 'xinfo', 'spublish', 'dbsize', 'eval'];
    const before = names.map((name) => commandSpec(name, []));
    // No encoding: Buffers, as a cluster connection without one would pass them.
    const raw = await createConnection((await sharedServer()).url);
    try {
      learnCommands(await raw.execute('COMMAND', 'INFO', ...names));
    } finally {
      raw.close();
    }
    const after = names.map((name) => commandSpec(name, []));
    after.forEach((spec, i) => expect(spec).not.to.equal(before[i])); // replaced...
    expect(after).to.deep.equal(before); // ...by the same facts
    expect(commandSpec('XINFO', ['STREAM', 'k'])?.name).to.equal('xinfo|stream');
  });
});
