import { expect } from 'chai';
import fc from 'fast-check';
import {
  ClusterConnectError,
  ClusterDownError,
  CrossSlotError,
  NoNodeForSlotError,
  redactSecrets,
  TooManyRedirectionsError,
} from '../../lib/cluster/cluster-errors';
import { parseRedirect, type Redirect } from '../../lib/cluster/redirect';
import { ProtocolError, RedisError, ReplyError } from '../../lib/errors';

const ANSWERING = { host: '10.0.0.9', port: 7000 };

/** Parses `message` and expects a ProtocolError whose message quotes the payload. */
function expectMalformed(message: string): ProtocolError {
  const result = parseRedirect(message, ANSWERING);
  expect(result, message).to.be.instanceOf(ProtocolError);
  return result as ProtocolError;
}

describe('parseRedirect()', () => {
  describe('reads a well-formed redirection', () => {
    const cases: Array<[string, Omit<Redirect, 'kind'> & { kind: 'MOVED' | 'ASK' }]> = [
      ['MOVED 3999 127.0.0.1:6381', { kind: 'MOVED', slot: 3999, host: '127.0.0.1', port: 6381 }],
      ['ASK 3999 127.0.0.1:6381', { kind: 'ASK', slot: 3999, host: '127.0.0.1', port: 6381 }],
      ['MOVED 0 a:1', { kind: 'MOVED', slot: 0, host: 'a', port: 1 }],
      ['MOVED 16383 h:65535', { kind: 'MOVED', slot: 16383, host: 'h', port: 65535 }],
      [
        'MOVED 12182 node-3.example.com:7002',
        { kind: 'MOVED', slot: 12182, host: 'node-3.example.com', port: 7002 },
      ],
      // The port is after the last colon, so IPv6 works with and without brackets.
      ['MOVED 1 ::1:7000', { kind: 'MOVED', slot: 1, host: '::1', port: 7000 }],
      ['ASK 1 [::1]:7000', { kind: 'ASK', slot: 1, host: '::1', port: 7000 }],
      ['MOVED 7 [fe80::1%eth0]:7000', { kind: 'MOVED', slot: 7, host: 'fe80::1%eth0', port: 7000 }],
      ['MOVED 7 2001:db8::7:7001', { kind: 'MOVED', slot: 7, host: '2001:db8::7', port: 7001 }],
      // unknown-endpoint: the answering node's host, the given port (seen on 7.0.15).
      ['MOVED 15495 :7106', { kind: 'MOVED', slot: 15495, host: '10.0.0.9', port: 7106 }],
      ['ASK 2 :7001', { kind: 'ASK', slot: 2, host: '10.0.0.9', port: 7001 }],
    ];
    for (const [message, expected] of cases) {
      it(`${message} → ${expected.kind} ${expected.slot} ${expected.host}:${expected.port}`, () => {
        const result = parseRedirect(message, ANSWERING);
        expect(result).to.deep.equal(expected);
        expect(Object.isFrozen(result)).to.equal(true);
      });
    }
  });

  describe('returns undefined for other errors', () => {
    const others = [
      'ERR unknown command',
      'TRYAGAIN Multiple keys request during rehashing of slot',
      'CLUSTERDOWN The cluster is down',
      'ASKING',
      'MOVEDX 1 a:1',
      'MOVED\t1 a:1',
      'moved 1 a:1',
      ' MOVED 1 a:1',
      '',
    ];
    for (const message of others) {
      it(JSON.stringify(message), () => {
        expect(parseRedirect(message, ANSWERING)).to.equal(undefined);
      });
    }
  });

  describe('returns a ProtocolError for a malformed one', () => {
    const bad = [
      'MOVED',
      'ASK',
      'MOVED ',
      'MOVED 1',
      'MOVED 1 a',
      'MOVED 1 a:',
      'MOVED 1 a:1 extra',
      'MOVED 1 a:1 ',
      'MOVED  1 a:1',
      'MOVED -1 a:1',
      'MOVED +1 a:1',
      'MOVED 1e3 a:1',
      'MOVED 0x10 a:1',
      'MOVED 1.5 a:1',
      'MOVED 16384 a:1',
      'MOVED 99999999999999999999 a:1',
      'MOVED NaN a:1',
      'MOVED Infinity a:1',
      'MOVED 1 a:0',
      'MOVED 1 a:65536',
      'MOVED 1 a:-1',
      'MOVED 1 a:+1',
      'MOVED 1 a:1e3',
      'MOVED 1 a:0x1f',
      'MOVED 1 a:7000.5',
      'MOVED 1 ?:7106',
      'MOVED 1 [a]:7000',
      'MOVED 1 []:7000',
      'MOVED 1 [::1:7000',
      'MOVED 1 a/b:7000',
      'MOVED 1 a\u0000b:7000',
      'MOVED 1 é:7000',
      'MOVED __proto__ a:1',
      'MOVED constructor a:1',
      'MOVED 1 a:__proto__',
      'ASK toString a:1',
    ];
    for (const message of bad) {
      it(JSON.stringify(message), () => {
        const err = expectMalformed(message);
        expect(err.code).to.equal('REDMUX_ERR_PROTOCOL');
        expect(err.message).to.include(JSON.stringify(message));
      });
    }

    it('says why an unusable "?" host was refused', () => {
      expect(expectMalformed('ASK 5 ?:7106').message).to.match(/no usable address/);
    });

    it('quotes at most ~100 characters of a huge payload', () => {
      const err = expectMalformed(`MOVED 1 ${'x'.repeat(100_000)}`);
      expect(err.message.length).to.be.below(250);
      expect(err.message).to.include('…');
    });
  });

  describe('prototype payloads', () => {
    const payloads = [
      'MOVED __proto__ __proto__:1',
      'MOVED 1 __proto__:1',
      'ASK 1 constructor:7000',
      'MOVED 1 prototype:7000',
      'MOVED __proto__ 127.0.0.1:7000',
      'MOVED constructor.prototype 127.0.0.1:7000',
    ];
    for (const message of payloads) {
      it(`${message} leaves Object and Array prototypes untouched`, () => {
        const objectKeys = Object.getOwnPropertyNames(Object.prototype).sort();
        const arrayKeys = Object.getOwnPropertyNames(Array.prototype).sort();
        const result = parseRedirect(message, ANSWERING);
        expect(result === undefined).to.equal(false);
        expect(Object.getOwnPropertyNames(Object.prototype).sort()).to.deep.equal(objectKeys);
        expect(Object.getOwnPropertyNames(Array.prototype).sort()).to.deep.equal(arrayKeys);
        expect(Object.getPrototypeOf(result)).to.be.oneOf([
          Object.prototype,
          ProtocolError.prototype,
        ]);
        expect(({} as Record<string, unknown>).slot).to.equal(undefined);
        expect(([] as unknown as Record<string, unknown>).host).to.equal(undefined);
      });
    }

    it('treats a host named __proto__ as a plain string', () => {
      const result = parseRedirect('MOVED 1 __proto__:1', ANSWERING) as Redirect;
      expect(result.host).to.equal('__proto__');
      expect(Object.getPrototypeOf(result)).to.equal(Object.prototype);
    });
  });

  describe('properties', () => {
    it('never throws and returns a Redirect, a ProtocolError or undefined for any text', () => {
      const word = fc.constantFrom('MOVED', 'ASK', 'ASKING', '', '__proto__');
      const junk = fc.string({ unit: 'binary', maxLength: 40 });
      const payload = fc.oneof(
        junk,
        fc.tuple(word, junk).map(([w, rest]) => `${w} ${rest}`),
        fc.tuple(word, junk, junk).map(([w, a, b]) => `${w} ${a} ${b}`),
        fc
          .tuple(word, fc.integer(), junk, fc.integer())
          .map(([w, s, h, p]) => `${w} ${s} ${h}:${p}`),
      );
      fc.assert(
        fc.property(payload, (message) => {
          const result = parseRedirect(message, ANSWERING);
          if (result === undefined) {
            expect(message.startsWith('MOVED ') || message === 'MOVED').to.equal(false);
            return;
          }
          if (result instanceof ProtocolError) return;
          expect(
            Number.isInteger(result.slot) && result.slot >= 0 && result.slot <= 16383,
          ).to.equal(true);
          expect(
            Number.isInteger(result.port) && result.port >= 1 && result.port <= 65535,
          ).to.equal(true);
          expect(result.host).to.be.a('string').and.not.equal('');
        }),
        { numRuns: 2000 },
      );
    });

    it('round-trips every valid redirection', () => {
      const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
      const host = fc.oneof(
        fc.ipV4(),
        fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.')),
        fc.ipV6(),
      );
      fc.assert(
        fc.property(
          fc.constantFrom<'MOVED' | 'ASK'>('MOVED', 'ASK'),
          fc.integer({ min: 0, max: 16383 }),
          host,
          fc.integer({ min: 1, max: 65535 }),
          fc.boolean(),
          (kind, slot, name, port, bracket) => {
            const written = bracket && name.includes(':') ? `[${name}]` : name;
            const result = parseRedirect(`${kind} ${slot} ${written}:${port}`, ANSWERING);
            expect(result).to.deep.equal({ kind, slot, host: name, port });
          },
        ),
        { numRuns: 1000 },
      );
    });
  });
});

describe('cluster errors', () => {
  const cases: Array<[RedisError, string, string]> = [
    [new CrossSlotError(['a', 'b'], [15495, 3300]), 'CrossSlotError', 'REDMUX_ERR_CROSSSLOT'],
    [
      new TooManyRedirectionsError([]),
      'TooManyRedirectionsError',
      'REDMUX_ERR_TOO_MANY_REDIRECTIONS',
    ],
    [new ClusterDownError(5), 'ClusterDownError', 'REDMUX_ERR_CLUSTER_DOWN'],
    [new NoNodeForSlotError(5), 'NoNodeForSlotError', 'REDMUX_ERR_NO_NODE_FOR_SLOT'],
    [new ClusterConnectError([]), 'ClusterConnectError', 'REDMUX_ERR_CLUSTER_CONNECT'],
  ];
  for (const [err, name, code] of cases) {
    it(`${name} has a fixed name, the code ${code} and extends RedisError`, () => {
      expect(err.name).to.equal(name);
      expect(err.code).to.equal(code);
      expect(err).to.be.instanceOf(RedisError).and.instanceOf(Error);
      expect(String(err)).to.match(new RegExp(`^${name}: `));
    });
  }

  it('CrossSlotError names both keys and their slots, Buffers as text', () => {
    const err = new CrossSlotError([Buffer.from('foo'), 'bar'], [12182, 5061], 'MGET');
    expect(err.keys).to.deep.equal(['foo', 'bar']);
    expect(err.slots).to.deep.equal([12182, 5061]);
    expect(err.command).to.equal('MGET');
    expect(err.message).to.include('"foo" (slot 12182)').and.include('"bar" (slot 5061)');
    expect(err.message).to.match(/^MGET:/);
    expect(Object.isFrozen(err.keys) && Object.isFrozen(err.slots)).to.equal(true);
  });

  it('CrossSlotError quotes at most ~100 characters of a huge key but keeps it whole', () => {
    const huge = 'k'.repeat(10_000);
    const err = new CrossSlotError([huge, 1], [1, 2]);
    expect(err.keys[0]).to.equal(huge);
    expect(err.keys[1]).to.equal('1');
    expect(err.message.length).to.be.below(400);
  });

  it('TooManyRedirectionsError keeps its hops and the last error as cause', () => {
    const last = new ReplyError('MOVED 3999 127.0.0.1:7002');
    const hops = ['MOVED 3999 127.0.0.1:7001', 'MOVED 3999 127.0.0.1:7002'];
    const err = new TooManyRedirectionsError(hops, last);
    hops.push('later');
    expect(err.hops).to.deep.equal(['MOVED 3999 127.0.0.1:7001', 'MOVED 3999 127.0.0.1:7002']);
    expect(Object.isFrozen(err.hops)).to.equal(true);
    expect(err.cause).to.equal(last);
    expect(err.message).to.include('(2)').and.include('MOVED 3999 127.0.0.1:7002');
  });

  it('ClusterDownError and NoNodeForSlotError carry the slot', () => {
    const cause = new ReplyError('CLUSTERDOWN The cluster is down');
    const down = new ClusterDownError(42, undefined, { cause });
    expect(down.slot).to.equal(42);
    expect(down.cause).to.equal(cause);
    expect(down.message).to.include('42');
    expect(new NoNodeForSlotError(7).slot).to.equal(7);
    expect(new NoNodeForSlotError(7).message).to.include('7');
  });

  it('ClusterConnectError lists each seed and its error, never a password', () => {
    const refused = new Error('connect ECONNREFUSED 127.0.0.1:7000');
    const auth = new Error('WRONGPASS for redis://app:hunter2@10.0.0.2:7001');
    const err = new ClusterConnectError([
      { address: '127.0.0.1:7000', error: refused },
      { address: 'redis://app:hunter2@10.0.0.2:7001', error: auth },
      { address: 'rediss://:s3cret@h:7002/0?password=other&db=1', error: refused },
    ]);
    expect(err.errors.map((entry) => entry.address)).to.deep.equal([
      '127.0.0.1:7000',
      'redis://app:***@10.0.0.2:7001',
      'rediss://:***@h:7002/0?password=***&db=1',
    ]);
    expect(err.errors[0]?.error).to.equal(refused);
    expect(err.message).to.include('127.0.0.1:7000 (connect ECONNREFUSED 127.0.0.1:7000)');
    expect(err.message).to.include('redis://app:***@10.0.0.2:7001 (WRONGPASS for redis://app:***@');
    for (const secret of ['hunter2', 's3cret', 'other']) {
      expect(err.message).to.not.include(secret);
      expect(JSON.stringify(err.errors.map((entry) => entry.address))).to.not.include(secret);
    }
  });

  it('redactSecrets leaves text without credentials alone', () => {
    expect(redactSecrets('redis://app@h:1 and 10.0.0.1:7000')).to.equal(
      'redis://app@h:1 and 10.0.0.1:7000',
    );
  });
});
