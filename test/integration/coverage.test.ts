// Does Redis have a method for every command of the data-type groups? The server's COMMAND DOCS
// (Redis 7) is the list to check against, so a new server version shows up as a failure here.
import { expect } from 'chai';
import { createRedis, Redis } from '../../lib';
import { sharedServer } from '../helpers/hooks';

/**
 * The server's command groups that redmux's data-type groups cover. `bitmap` is the server's own
 * group for the bit commands (BITCOUNT, BITOP, BITFIELD…), which aioredis 1.x and redmux keep in
 * the string group.
 */
const GROUPS: ReadonlySet<string> = new Set([
  'generic',
  'string',
  'bitmap',
  'hash',
  'list',
  'set',
  'sorted-set',
  'hyperloglog',
  'geo',
  'server',
  'connection',
  'stream',
  'scripting',
  'pubsub',
  'cluster',
]);

/** Commands whose methods are not named by the general rule (see {@link expectedMethods}). */
const SPECIAL_NAMES: ReadonlyMap<string, readonly string[]> = new Map([
  ['DEL', ['delete', 'del']], // aioredis 1.x's name, and the one ioredis and node-redis users type
  ['BITOP', ['bitopAnd', 'bitopOr', 'bitopXor', 'bitopNot']], // one method per operation
  ['DEBUG', ['debugSleep', 'debugObject']], // only the subcommands that are safe to offer
  ['CLIENT NO-EVICT', ['clientNoEvict']],
  ['MEMORY MALLOC-STATS', ['memoryMallocStats']],
  ['XREADGROUP', ['xreadGroup']], // aioredis 1.x's xread_group
  ['CLUSTER SET-CONFIG-EPOCH', ['clusterSetConfigEpoch']], // dashes: camelCase too
  ['CLUSTER COUNT-FAILURE-REPORTS', ['clusterCountFailureReports']],
]);

/**
 * Commands deliberately without a method, each with the reason. Keep it short: a command belongs
 * here only when a method would be useless or misleading, never because it is hard to type
 * (`call()` remains for anything). A reason starting with "deprecated" must match the server's own
 * deprecated flag.
 */
const EXCLUDED: ReadonlyMap<string, string> = new Map([
  ['OBJECT HELP', 'help text, not data'],
  ['SUBSTR', 'deprecated alias of GETRANGE (getrange())'],
  ['PFDEBUG', 'internal: inspects and converts HyperLogLog encodings, for the server’s tests'],
  ['PFSELFTEST', 'internal: the server’s self-test of its HyperLogLog implementation'],
  ['ACL HELP', 'help text, not data'],
  ['CLIENT HELP', 'help text, not data'],
  ['COMMAND HELP', 'help text, not data'],
  ['CONFIG HELP', 'help text, not data'],
  ['LATENCY HELP', 'help text, not data'],
  ['MEMORY HELP', 'help text, not data'],
  ['MODULE HELP', 'help text, not data'],
  ['SLOWLOG HELP', 'help text, not data'],
  ['CLIENT REPLY', 'OFF / SKIP leave commands unanswered: replies would go to the wrong commands'],
  ['HELLO', 'protocol and auth are the connection’s business (options); call() is tracked'],
  ['RESET', 'resets db, subscriptions, transaction and protocol: call(), which tracks it'],
  ['PSYNC', 'replication protocol between servers: turns the connection into a stream'],
  ['SYNC', 'replication protocol between servers: turns the connection into a stream'],
  ['REPLCONF', 'replication protocol between servers'],
  ['RESTORE-ASKING', 'internal: RESTORE during a cluster slot migration'],
  ['XGROUP HELP', 'help text, not data'],
  ['XINFO HELP', 'help text, not data'],
  ['SCRIPT DEBUG', 'the interactive Lua debugger takes the connection over: redis-cli --ldb'],
  ['SCRIPT HELP', 'help text, not data'],
  ['FUNCTION HELP', 'help text, not data'],
  ['PUBSUB HELP', 'help text, not data'],
  ['CLUSTER HELP', 'help text, not data'],
  ['CLUSTER SLAVES', 'deprecated alias of CLUSTER REPLICAS (clusterReplicas())'],
  ['READONLY', 'connection state (reads from a replica): a cluster client’s job, or call()'],
  ['READWRITE', 'connection state (undoes READONLY): a cluster client’s job, or call()'],
  ['ASKING', 'connection state for the next command (an ASK redirect): a cluster client’s job'],
]);

/** What COMMAND DOCS says about one command (or subcommand). */
interface CommandDoc {
  /** `GET`, or `OBJECT ENCODING` for a subcommand. */
  name: string;
  group: string;
  deprecated: boolean;
  /** The subcommands of a container command (OBJECT), empty otherwise. */
  subcommands: CommandDoc[];
}

/**
 * The methods a command should have: the special names, or the name in lowercase with the parts
 * after `_` and a subcommand's name in camelCase (`OBJECT ENCODING` → `objectEncoding`,
 * `GEORADIUS_RO` → `georadiusRo`).
 */
function expectedMethods(name: string): readonly string[] {
  const special = SPECIAL_NAMES.get(name);
  if (special !== undefined) return special;
  const [first = '', ...rest] = name.toLowerCase().split(/[ _]/);
  return [first + rest.map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('')];
}

/** A RESP2 flat `[k1, v1, k2, v2…]` array or a RESP3 map, as a Map with string keys. */
function pairs(reply: unknown): Map<string, unknown> {
  if (reply instanceof Map) return new Map([...reply].map(([k, v]) => [String(k), v]));
  const map = new Map<string, unknown>();
  const items = reply as unknown[];
  for (let i = 0; i + 1 < items.length; i += 2) map.set(String(items[i]), items[i + 1]);
  return map;
}

/** COMMAND DOCS (or the docs of a container's subcommands), parsed. */
function parseDocs(reply: unknown): CommandDoc[] {
  return [...pairs(reply)].map(([name, fields]) => {
    const doc = pairs(fields);
    const flags = (doc.get('doc_flags') as unknown[] | undefined) ?? [];
    return {
      name: name.replace('|', ' ').toUpperCase(),
      group: String(doc.get('group')),
      deprecated: flags.map(String).includes('deprecated'),
      subcommands: doc.has('subcommands') ? parseDocs(doc.get('subcommands')) : [],
    };
  });
}

describe('command coverage (COMMAND DOCS against Redis.prototype)', () => {
  /** The commands of {@link GROUPS}, subcommands in place of their container. */
  let commands: CommandDoc[];

  before(async () => {
    const redis = await createRedis((await sharedServer()).url, { encoding: 'utf8' });
    try {
      const docs = parseDocs(await redis.call('COMMAND', 'DOCS'));
      expect(docs, 'COMMAND DOCS (Redis ≥ 7) returned nothing').to.have.length.greaterThan(100);
      commands = docs
        .filter((doc) => GROUPS.has(doc.group))
        .flatMap((doc) => (doc.subcommands.length > 0 ? doc.subcommands : [doc]));
    } finally {
      redis.close();
    }
  });

  function hasMethod(name: string): boolean {
    return typeof (Redis.prototype as unknown as Record<string, unknown>)[name] === 'function';
  }

  it('finds the commands of every group it covers', () => {
    const groups = new Set(commands.map((command) => command.group));
    expect([...groups].sort()).to.deep.equal([...GROUPS].sort());
    expect(commands.map((command) => command.name)).to.include.members([
      'GET',
      'OBJECT ENCODING',
      'GEORADIUS_RO',
    ]);
  });

  it('has a method for every command that is not excluded', () => {
    const missing = commands
      .filter((command) => !EXCLUDED.has(command.name))
      .flatMap((command) =>
        expectedMethods(command.name)
          .filter((method) => !hasMethod(method))
          .map((method) => `${command.name} → ${method}() (${command.group})`),
      );
    if (missing.length > 0) {
      expect.fail(
        `${missing.length} command(s) without a method on Redis.prototype:\n  ${missing.join('\n  ')}`,
      );
    }
  });

  it('excludes only commands of these groups that exist and have no method', () => {
    const known = new Map(commands.map((command) => [command.name, command]));
    for (const name of EXCLUDED.keys()) {
      expect(known.has(name), `${name} is excluded but is not a command of these groups`).to.equal(
        true,
      );
      const methods = expectedMethods(name).filter(hasMethod);
      expect(methods, `${name} is excluded but has a method`).to.deep.equal([]);
    }
  });

  it('excludes as deprecated only commands the server flags as deprecated', () => {
    for (const [name, reason] of EXCLUDED) {
      const command = commands.find((candidate) => candidate.name === name);
      if (reason.startsWith('deprecated')) {
        expect(command?.deprecated, `${name}: the server does not flag it deprecated`).to.equal(
          true,
        );
      }
    }
  });

  it('maps names by the rule and the special table', () => {
    expect(expectedMethods('GET')).to.deep.equal(['get']);
    expect(expectedMethods('OBJECT ENCODING')).to.deep.equal(['objectEncoding']);
    expect(expectedMethods('GEORADIUSBYMEMBER_RO')).to.deep.equal(['georadiusbymemberRo']);
    expect(expectedMethods('SORT_RO')).to.deep.equal(['sortRo']);
    expect(expectedMethods('DEL')).to.deep.equal(['delete', 'del']);
    expect(expectedMethods('BITOP')).to.have.length(4);
  });
});
