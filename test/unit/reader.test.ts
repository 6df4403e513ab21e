import { expect } from 'chai';
import fc from 'fast-check';
import { ProtocolError, replyError } from '../../lib/errors';
import {
  MAX_BULK_LENGTH,
  MAX_DEPTH,
  PushReply,
  Reader,
  type Reply,
  type ReaderOptions,
} from '../../lib/protocol/reader';
import { serialize, type RespValue } from '../helpers/resp';

interface Case {
  name: string;
  input: string | Buffer;
  expected: RespValue[];
  encoding?: BufferEncoding;
}

/**
 * Feeds the chunks in order, calling gets() until it wants more bytes after each one (or only after
 * those `readAfter` picks, and the last).
 */
function collect(
  chunks: Buffer[],
  encoding: BufferEncoding | null = null,
  options?: ReaderOptions,
  readAfter: (index: number) => boolean = () => true,
) {
  const reader = new Reader(options);
  reader.encoding = encoding;
  const replies: Reply[] = [];
  const after: number[] = []; // index of the chunk whose feed completed each reply
  chunks.forEach((chunk, index) => {
    reader.feed(chunk);
    if (!readAfter(index) && index < chunks.length - 1) return;
    for (let reply = reader.gets(); reply !== false || !reader.incomplete; reply = reader.gets()) {
      replies.push(reply);
      after.push(index);
    }
  });
  return { replies, after, reader };
}

/**
 * Comparable form of replies or expected values: chai alone would equate a PushReply with an
 * array and a Map keyed by Buffers would be compared by key identity. Set → array, and with an
 * encoding Buffers become the strings the reader should have decoded.
 */
function normalize(value: unknown, encoding: BufferEncoding | null = null): unknown {
  const n = (v: unknown): unknown => normalize(v, encoding);
  if (value instanceof PushReply) return { push: Array.from(value, n) };
  if (Array.isArray(value)) return value.map(n);
  if (value instanceof Set) return [...value].map(n);
  if (value instanceof Map) {
    // Decoded Buffer keys can collide with string keys, as they do in the reader's Map.
    const decoded = new Map<unknown, unknown>();
    for (const [k, v] of value) decoded.set(Buffer.isBuffer(k) && encoding ? n(k) : k, v);
    return { map: [...decoded].map(([k, v]) => [n(k), n(v)]) };
  }
  if (value instanceof Error)
    return { error: value.name, code: (value as ProtocolError).code, message: value.message };
  if (Buffer.isBuffer(value)) return encoding === null ? value : value.toString(encoding);
  return value;
}

function split(bytes: Buffer, offsets: number[]): Buffer[] {
  const bounds = [0, ...offsets, bytes.length];
  return bounds.slice(1).map((end, i) => bytes.subarray(bounds[i], end));
}

const byteByByte = (bytes: Buffer): Buffer[] =>
  split(bytes, [...Array(bytes.length).keys()].slice(1));

function bytesOf(input: string | Buffer): Buffer {
  return typeof input === 'string' ? Buffer.from(input) : input;
}

/** Runs one case fed whole, byte by byte, and split in two at every offset. */
function checkCase({ input, expected, encoding }: Case): void {
  const bytes = bytesOf(input);
  const pristine = Buffer.from(bytes);
  const want = normalize(expected);
  const run = (chunks: Buffer[]) => collect(chunks, encoding ?? null);

  expect(normalize(run([bytes]).replies), 'fed whole').to.deep.equal(want);

  const bytewise = run(byteByByte(bytes));
  expect(normalize(bytewise.replies), 'fed byte by byte').to.deep.equal(want);
  // The last reply must wait for the very last byte: nothing is returned early.
  expect(bytewise.after.at(-1), 'last reply returned before its last byte').to.equal(
    bytes.length - 1,
  );

  for (let offset = 1; offset < bytes.length; offset++) {
    const { replies } = run(split(bytes, [offset]));
    expect(normalize(replies), `split at ${offset}`).to.deep.equal(want);
  }
  expect(bytes.equals(pristine), 'the fed bytes were modified').to.equal(true);
}

/** Every way of feeding `input` must throw a ProtocolError with this message. */
function checkError(
  input: string | Buffer,
  message: string | RegExp,
  options?: ReaderOptions,
): void {
  const bytes = bytesOf(input);
  const ways: [string, Buffer[]][] = [
    ['whole', [bytes]],
    ['byte by byte', byteByByte(bytes)],
    ...[...Array(bytes.length - 1).keys()].map((i): [string, Buffer[]] => [
      `split at ${i + 1}`,
      split(bytes, [i + 1]),
    ]),
  ];
  for (const [way, chunks] of ways) {
    let error: unknown;
    try {
      collect(chunks, null, options);
    } catch (err) {
      error = err;
    }
    expect(error, `fed ${way}`).to.be.instanceOf(ProtocolError);
    if (typeof message === 'string')
      expect((error as Error).message, `fed ${way}`).to.equal(message);
    else expect((error as Error).message, `fed ${way}`).to.match(message);
  }
}

function push(...items: RespValue[]): RespValue {
  const reply = new PushReply();
  reply.push(...(items as Reply[]));
  return reply;
}

const b = (text: string): Buffer => Buffer.from(text);

const CASES: Case[] = [
  // Simple strings and errors
  { name: '+OK', input: '+OK\r\n', expected: ['OK'] },
  {
    name: 'simple string with spaces and UTF-8',
    input: '+héllo wörld ✓\r\n',
    expected: ['héllo wörld ✓'],
  },
  { name: 'empty simple string', input: '+\r\n', expected: [''] },
  { name: 'simple string holding a lone CR', input: '+a\rb\r\n', expected: ['a\rb'] },
  { name: 'simple string starting like OK', input: '+OKAY\r\n', expected: ['OKAY'] },
  {
    name: 'error',
    input: '-ERR unknown command\r\n',
    expected: [replyError('ERR unknown command')],
  },
  {
    name: 'error by prefix (NOAUTH)',
    input: '-NOAUTH Authentication required.\r\n',
    expected: [replyError('NOAUTH Authentication required.')],
  },
  {
    name: 'bulk error',
    input: '!21\r\nSYNTAX invalid syntax\r\n',
    expected: [replyError('SYNTAX invalid syntax')],
  },
  // Integers
  {
    name: 'integers',
    input: ':0\r\n:1000\r\n:-42\r\n:+7\r\n:-0\r\n',
    expected: [0, 1000, -42, 7, 0],
  },
  {
    name: '15 and 16 digits',
    input: ':999999999999999\r\n:-1234567890123456\r\n',
    expected: [999999999999999, -1234567890123456],
  },
  {
    name: '2^53 - 1 is a number',
    input: ':9007199254740991\r\n:-9007199254740991\r\n',
    expected: [Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER],
  },
  {
    name: '2^53 is a bigint',
    input: ':9007199254740992\r\n:-9007199254740992\r\n',
    expected: [2n ** 53n, -(2n ** 53n)],
  },
  {
    name: '-2^63 and 2^64 are bigints',
    input: ':-9223372036854775808\r\n:18446744073709551616\r\n',
    expected: [-(2n ** 63n), 2n ** 64n],
  },
  { name: 'integer with leading zeros', input: ':00000000000000000042\r\n', expected: [42] },
  // Bulk strings
  { name: 'bulk string', input: '$5\r\nhello\r\n', expected: [b('hello')] },
  { name: 'empty bulk string', input: '$0\r\n\r\n', expected: [Buffer.alloc(0)] },
  { name: 'bulk string holding CRLF', input: '$4\r\na\r\nb\r\n', expected: [b('a\r\nb')] },
  {
    name: 'binary bulk string',
    input: Buffer.from([36, 51, 13, 10, 0, 255, 13, 13, 10]),
    expected: [Buffer.from([0, 255, 13])],
  },
  {
    name: 'bulk string decoded as utf8',
    input: '$5\r\nhello\r\n',
    expected: ['hello'],
    encoding: 'utf8',
  },
  {
    name: 'multi-byte UTF-8 bulk string',
    input: `$${Buffer.byteLength('é ✓ 日本 😀')}\r\né ✓ 日本 😀\r\n`,
    expected: ['é ✓ 日本 😀'],
    encoding: 'utf8',
  },
  { name: 'multi-byte UTF-8 bulk string as Buffer', input: '$4\r\n😀\r\n', expected: [b('😀')] },
  {
    name: 'bulk string decoded as hex',
    input: Buffer.from([36, 50, 13, 10, 1, 255, 13, 10]),
    expected: ['01ff'],
    encoding: 'hex',
  },
  { name: 'verbatim string', input: '=15\r\ntxt:Some string\r\n', expected: [b('Some string')] },
  {
    name: 'verbatim string decoded',
    input: `=${Buffer.byteLength('mkd:*hi* ✓')}\r\nmkd:*hi* ✓\r\n`,
    expected: ['*hi* ✓'],
    encoding: 'utf8',
  },
  { name: 'empty verbatim string', input: '=4\r\ntxt:\r\n', expected: [Buffer.alloc(0)] },
  // Nulls and booleans
  { name: 'null forms', input: '$-1\r\n*-1\r\n_\r\n', expected: [null, null, null] },
  { name: 'booleans', input: '#t\r\n#f\r\n', expected: [true, false] },
  { name: '#f among other replies', input: '#f\r\n:1\r\n#f\r\n', expected: [false, 1, false] },
  // Doubles and big numbers
  {
    name: 'doubles',
    input: ',3.14\r\n,-0.5\r\n,1e10\r\n,10\r\n,-1.5E-3\r\n,.5\r\n,-0\r\n',
    expected: [3.14, -0.5, 1e10, 10, -1.5e-3, 0.5, -0],
  },
  {
    name: 'infinities and nan',
    input: ',inf\r\n,-inf\r\n,+inf\r\n,nan\r\n',
    expected: [Infinity, -Infinity, Infinity, NaN],
  },
  {
    name: 'big numbers',
    input: '(3492890328409238509324850943850943825024385\r\n(-1\r\n(0\r\n',
    expected: [3492890328409238509324850943850943825024385n, -1n, 0n],
  },
  // Aggregates
  {
    name: 'array',
    input: '*3\r\n:1\r\n+two\r\n$5\r\nthree\r\n',
    expected: [[1, 'two', b('three')]],
  },
  { name: 'empty array', input: '*0\r\n', expected: [[]] },
  {
    name: 'nested arrays',
    input: '*2\r\n*2\r\n:1\r\n:2\r\n*1\r\n*0\r\n',
    expected: [[[1, 2], [[]]]],
  },
  { name: 'array of nulls', input: '*3\r\n$-1\r\n_\r\n*-1\r\n', expected: [[null, null, null]] },
  {
    name: 'array holding an error',
    input: '*2\r\n-ERR a\r\n:1\r\n',
    expected: [[replyError('ERR a'), 1]],
  },
  {
    name: 'array decoded as utf8',
    input: '*2\r\n$1\r\na\r\n$2\r\nbc\r\n',
    expected: [['a', 'bc']],
    encoding: 'utf8',
  },
  { name: 'set', input: '~3\r\n+a\r\n+b\r\n:1\r\n', expected: [['a', 'b', 1]] },
  { name: 'empty set', input: '~0\r\n', expected: [[]] },
  {
    name: 'map',
    input: '%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n',
    expected: [
      new Map<RespValue, RespValue>([
        ['first', 1],
        ['second', 2],
      ]),
    ],
  },
  { name: 'empty map', input: '%0\r\n', expected: [new Map()] },
  {
    name: 'map with nested values',
    input: '%2\r\n$3\r\nkey\r\n*2\r\n%1\r\n+a\r\n#t\r\n~1\r\n:5\r\n+n\r\n_\r\n',
    expected: [
      new Map<RespValue, RespValue>([
        [b('key'), [new Map([['a', true]]), [5]]],
        ['n', null],
      ]),
    ],
  },
  {
    name: 'map with an aggregate key',
    input: '%1\r\n*1\r\n:1\r\n+v\r\n',
    expected: [new Map<RespValue, RespValue>([[[1], 'v']])],
  },
  {
    name: 'map decoded as utf8',
    input: '%1\r\n$1\r\nk\r\n$1\r\nv\r\n',
    expected: [new Map([['k', 'v']])],
    encoding: 'utf8',
  },
  // Attributes are skipped wherever they stand
  {
    name: 'attribute before a reply',
    input:
      '|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0.0012\r\n*2\r\n:2039123\r\n:9543892\r\n',
    expected: [[2039123, 9543892]],
  },
  {
    name: 'attribute inside an array',
    input: '*3\r\n:1\r\n|1\r\n+ttl\r\n:3600\r\n:2\r\n:3\r\n',
    expected: [[1, 2, 3]],
  },
  {
    name: 'attribute before the last element',
    input: '*1\r\n|1\r\n+a\r\n+b\r\n:1\r\n',
    expected: [[1]],
  },
  {
    name: 'attributes before a map key and a map value',
    input: '%1\r\n|1\r\n+x\r\n+y\r\n+k\r\n|1\r\n+x\r\n*1\r\n:0\r\n+v\r\n',
    expected: [new Map([['k', 'v']])],
  },
  { name: 'empty attribute', input: '|0\r\n:1\r\n', expected: [1] },
  { name: 'attribute before null', input: '|1\r\n+a\r\n+b\r\n_\r\n:2\r\n', expected: [null, 2] },
  // Push frames
  {
    name: 'push',
    input: '>3\r\n+message\r\n+chan\r\n$5\r\nhello\r\n',
    expected: [push('message', 'chan', b('hello'))],
  },
  { name: 'empty push', input: '>0\r\n', expected: [push()] },
  {
    name: 'push between replies',
    input: '+OK\r\n>2\r\n+invalidate\r\n*1\r\n$3\r\nfoo\r\n:1\r\n',
    expected: ['OK', push('invalidate', [b('foo')]), 1],
  },
  // Streams of replies
  {
    name: 'several replies in one chunk',
    input: '+OK\r\n:1\r\n$-1\r\n*1\r\n+x\r\n',
    expected: ['OK', 1, null, ['x']],
  },
];

describe('Reader', () => {
  describe('replies (each fed whole, byte by byte, and split at every offset)', () => {
    for (const c of CASES) it(c.name, () => checkCase(c));
  });

  describe('#gets()', () => {
    it('returns false and reports incomplete before any byte', () => {
      const reader = new Reader();
      expect(reader.gets()).to.equal(false);
      expect(reader.incomplete).to.equal(true);
    });

    it('tells a #f reply from an incomplete reply with `incomplete`', () => {
      const reader = new Reader();
      reader.feed(b('#f\r\n#'));
      expect(reader.gets()).to.equal(false);
      expect(reader.incomplete).to.equal(false);
      expect(reader.gets()).to.equal(false);
      expect(reader.incomplete).to.equal(true);
      reader.feed(b('t\r\n'));
      expect(reader.gets()).to.equal(true);
      expect(reader.incomplete).to.equal(false);
    });

    it('never re-reads the bytes of elements it already parsed', () => {
      const reader = new Reader();
      const first = b('*2\r\n$3\r\nfoo\r\n');
      reader.feed(first);
      expect(reader.gets()).to.equal(false);
      // Were the array parsed again from its start, it would now meet '@' bytes.
      first.fill('@');
      reader.feed(b(':1\r\n'));
      expect(reader.gets()).to.deep.equal([b('foo'), 1]);
    });

    it('keeps replies in order when chunks are fed faster than they are read', () => {
      const reader = new Reader();
      for (let i = 0; i < 3000; i++) reader.feed(b(`:${i}\r\n`));
      const got: Reply[] = [];
      for (let i = 0; i < 2000; i++) got.push(reader.gets());
      for (let i = 3000; i < 6000; i++) reader.feed(b(`:${i}\r\n`));
      for (let reply = reader.gets(); reply !== false; reply = reader.gets()) got.push(reply);
      expect(got).to.deep.equal([...Array(6000).keys()]);
    });

    it('finds a line spread over chunks fed between two gets()', () => {
      const reader = new Reader();
      reader.feed(b('+a'));
      expect(reader.gets()).to.equal(false);
      reader.feed(b('b'));
      reader.feed(b('c'));
      expect(reader.gets()).to.equal(false); // 'b' and 'c' were searched for LF
      reader.feed(b('\r\n'));
      expect(reader.gets()).to.equal('abc');
      // The queue drained: what was searched before must not make the reader skip new chunks.
      reader.feed(b('+x'));
      reader.feed(b('y'));
      reader.feed(b('\r\n'));
      expect(reader.gets()).to.equal('xy');
    });

    it('ignores empty chunks', () => {
      const { replies } = collect([b(''), b('+O'), b(''), b('K\r\n'), b('')]);
      expect(replies).to.deep.equal(['OK']);
    });
  });

  describe('#encoding', () => {
    it('decodes long text the same by its ASCII fast path and without it', () => {
      const ascii = 'ab|'.repeat(2000);
      const utf8 = `${'x'.repeat(1500)}ключ 😀${'y'.repeat(1500)}`;
      const latin1 = Buffer.from(`${'z'.repeat(1000)}\xe9\xff`, 'latin1');
      const cases: Array<[BufferEncoding, Buffer, string]> = [
        ['utf8', Buffer.from(ascii), ascii],
        ['utf8', Buffer.from(utf8), utf8],
        ['latin1', latin1, latin1.toString('latin1')],
        ['hex', Buffer.from(ascii), Buffer.from(ascii).toString('hex')],
      ];
      for (const [encoding, value, expected] of cases) {
        for (const split of [false, true]) {
          const reader = new Reader();
          reader.encoding = encoding;
          const bytes = Buffer.concat([
            Buffer.from(`$${value.length}\r\n`),
            value,
            Buffer.from('\r\n'),
          ]);
          if (split) {
            reader.feed(bytes.subarray(0, 700));
            expect(reader.gets()).to.equal(false);
            reader.feed(bytes.subarray(700));
          } else {
            reader.feed(bytes);
          }
          expect(reader.gets(), `${encoding}${split ? ', split' : ''}`).to.equal(expected);
        }
      }
    });

    it("decodes short text exactly as Node's decoder does, ASCII or not", () => {
      // Every length around the short-text path's limit, with a non-ASCII byte at each end or none.
      const values: Buffer[] = [];
      for (let length = 0; length <= 40; length++) {
        const ascii = Buffer.alloc(length, 'a');
        values.push(ascii);
        for (const high of [0xe9, 0xff, 0x80]) {
          for (const at of [0, length - 1]) {
            if (length === 0) continue;
            const value = Buffer.from(ascii);
            value[at] = high;
            values.push(value);
          }
        }
        values.push(Buffer.from('é'.repeat(length)));
      }
      for (const encoding of ['utf8', 'latin1', 'ascii', 'binary', 'hex'] as const) {
        const reader = new Reader();
        reader.encoding = encoding;
        reader.feed(
          Buffer.concat([
            Buffer.from(`*${values.length}\r\n`),
            ...values.flatMap((value) => [
              Buffer.from(`$${value.length}\r\n`),
              value,
              Buffer.from('\r\n'),
            ]),
          ]),
        );
        expect(reader.gets(), encoding).to.deep.equal(
          values.map((value) => value.toString(encoding)),
        );
      }
    });

    it('applies the encoding set when the reply started', () => {
      const reader = new Reader();
      reader.encoding = 'utf8';
      reader.feed(b('*2\r\n$1\r\na\r\n'));
      expect(reader.gets()).to.equal(false);
      reader.encoding = null;
      reader.feed(b('$1\r\nb\r\n$1\r\nc\r\n'));
      expect(reader.gets()).to.deep.equal(['a', 'b']);
      expect(reader.gets()).to.deep.equal(b('c'));
    });

    it('decodes a bulk string with the encoding set when its header was read', () => {
      const reader = new Reader();
      reader.encoding = 'utf8';
      reader.feed(b('$5\r\nhel'));
      expect(reader.gets()).to.equal(false);
      reader.encoding = null;
      reader.feed(b('lo\r\n$2\r\nhi\r\n'));
      expect(reader.gets()).to.equal('hello');
      expect(reader.gets()).to.deep.equal(b('hi'));
    });

    it('decodes each reply with its own encoding when the encoding changes between replies', () => {
      const reader = new Reader();
      const replies: Array<[BufferEncoding | null, Reply]> = [
        ['utf8', 'ab'],
        ['hex', '6162'],
        ['latin1', 'ab'],
        ['base64', 'YWI='],
        [null, b('ab')],
        ['ascii', 'ab'],
        ['utf16le', '\u6261'],
      ];
      for (const [encoding, expected] of replies) {
        reader.encoding = encoding;
        reader.feed(b('$2\r\nab\r\n'));
        expect(reader.gets(), String(encoding)).to.deep.equal(expected);
      }
    });

    it("decodes short ASCII text with Node's decoder in encodings that are not ASCII-compatible", () => {
      const values = ['', 'ab', 'abcd', 'a'.repeat(32), 'a'.repeat(33)].map(b);
      for (const encoding of ['utf16le', 'ucs2', 'base64', 'base64url', 'hex'] as const) {
        const reader = new Reader();
        reader.encoding = encoding;
        reader.feed(
          Buffer.concat(
            values.map((value) => Buffer.concat([b(`$${value.length}\r\n`), value, b('\r\n')])),
          ),
        );
        for (const value of values) {
          expect(reader.gets(), encoding).to.equal(value.toString(encoding));
        }
      }
    });

    it('leaves simple strings and errors as strings whatever the encoding', () => {
      const reader = new Reader();
      reader.encoding = 'hex';
      reader.feed(b('+OK\r\n-ERR x\r\n'));
      expect(reader.gets()).to.equal('OK');
      expect((reader.gets() as Error).message).to.equal('ERR x');
    });
  });

  describe('bulk string buffers', () => {
    it('copies a bulk string out of the chunk it arrived in', () => {
      const chunk = Buffer.alloc(64 * 1024, 'x'); // never pool-backed, so it has its own memory
      chunk.write('$5\r\nhello\r\n');
      const reader = new Reader();
      reader.feed(chunk);
      const reply = reader.gets() as Buffer;
      expect(reply).to.deep.equal(b('hello'));
      expect(reply.buffer).to.not.equal(chunk.buffer);
    });

    it('assembles a bulk string spread over chunks into a buffer of its own', () => {
      const first = Buffer.alloc(10_000, 'a');
      first.write('$20000\r\n'); // 8 header bytes, then 9 992 bytes of the body
      const second = Buffer.alloc(10_008 + 7, 'b');
      second.write('\r\n+OK\r\n', 10_008);
      const reader = new Reader();
      reader.feed(first);
      expect(reader.gets()).to.equal(false);
      reader.feed(second);
      const reply = reader.gets() as Buffer;
      const body = Buffer.concat([first.subarray(8), second.subarray(0, 10_008)]);
      expect(reply.equals(body)).to.equal(true);
      expect(reply.buffer).to.not.equal(first.buffer).and.to.not.equal(second.buffer);
      expect(reader.gets()).to.equal('OK');
    });

    it('never modifies a fed buffer nor a returned one', () => {
      const chunks = [
        b('$3\r\nfoo\r\n$4\r\nba'),
        b('r!\r\n*2\r\n$1\r\nx'),
        b('\r\n+y\r\n$3\r\nzzz\r\n'),
      ];
      const pristine = chunks.map((chunk) => Buffer.from(chunk));
      const reader = new Reader();
      const replies: Reply[] = [];
      for (const chunk of chunks) {
        reader.feed(chunk);
        for (let reply = reader.gets(); reply !== false; reply = reader.gets()) replies.push(reply);
      }
      expect(chunks).to.deep.equal(pristine);
      expect(replies).to.deep.equal([b('foo'), b('bar!'), [b('x'), 'y'], b('zzz')]);
    });
  });

  describe('large values', () => {
    it('reads a 16 MiB bulk string fed in 1 KiB chunks', () => {
      const size = 16 * 1024 * 1024;
      const value = Buffer.alloc(size);
      for (let i = 0; i < size; i += 4096) value.writeUInt32LE(i, i);
      const bytes = Buffer.concat([b(`$${size}\r\n`), value, b('\r\n')]);
      const reader = new Reader();
      let reply: Reply | false = false;
      for (let i = 0; i < bytes.length; i += 1024) {
        expect(reply, `reply before byte ${i}`).to.equal(false);
        reader.feed(bytes.subarray(i, i + 1024));
        reply = reader.gets();
      }
      expect((reply as Buffer).equals(value)).to.equal(true);
    });

    it('reads a 256 KiB line fed in 16-byte chunks', () => {
      const text = 'abcdefgh'.repeat(32 * 1024);
      const { replies } = collect(
        split(
          b(`+${text}\r\n:1\r\n`),
          [...Array(16 * 1024).keys()].map((i) => (i + 1) * 16),
        ),
      );
      expect(replies).to.deep.equal([text, 1]);
    });
  });

  describe('limits', () => {
    const nested = (depth: number, innermost = '*0\r\n') => '*1\r\n'.repeat(depth - 1) + innermost;

    it(`accepts exactly ${MAX_DEPTH} nested arrays`, () => {
      let reply = collect([b(nested(MAX_DEPTH))]).replies[0];
      let depth = 0;
      for (; Array.isArray(reply); reply = reply[0]) depth++;
      expect(depth).to.equal(MAX_DEPTH);
    });

    it(`rejects ${MAX_DEPTH + 1} nested arrays`, () => {
      expect(() => collect([b(nested(MAX_DEPTH + 1))])).to.throw(
        ProtocolError,
        `Protocol error: aggregates nested deeper than ${MAX_DEPTH}`,
      );
    });

    it('does not count scalars and nulls inside the deepest aggregate', () => {
      expect(collect([b(nested(MAX_DEPTH + 1, ':1\r\n'))]).replies).to.have.length(1);
      expect(collect([b(nested(MAX_DEPTH + 1, '*-1\r\n'))]).replies).to.have.length(1);
    });

    it('honours a custom maxDepth, counting maps, sets, pushes and attributes', () => {
      checkCase({
        name: 'depth 3',
        input: '>1\r\n%1\r\n+k\r\n~1\r\n:1\r\n',
        expected: [push(new Map([['k', [1]]]))],
      });
      const ok = collect([b('*1\r\n%1\r\n+k\r\n:1\r\n')], null, { maxDepth: 2 });
      expect(ok.replies).to.have.length(1);
      for (const input of [
        '*1\r\n%1\r\n+k\r\n~1\r\n:1\r\n',
        '*1\r\n*1\r\n>0\r\n',
        '*1\r\n*1\r\n|1\r\n',
      ]) {
        checkError(input, 'Protocol error: aggregates nested deeper than 2', { maxDepth: 2 });
      }
    });

    it('parses 100 000 nested arrays without recursion when maxDepth allows', () => {
      let reply = collect([b(nested(100_000))], null, { maxDepth: 100_000 }).replies[0];
      let depth = 0;
      for (; Array.isArray(reply); reply = reply[0]) depth++;
      expect(depth).to.equal(100_000);
    });

    it(`rejects a bulk length over ${MAX_BULK_LENGTH} before its body arrives`, () => {
      checkError(
        `$${MAX_BULK_LENGTH + 1}\r\n`,
        `Protocol error: bulk length ${MAX_BULK_LENGTH + 1} exceeds the limit of ${MAX_BULK_LENGTH} bytes`,
      );
      const reader = new Reader();
      reader.feed(b(`$${MAX_BULK_LENGTH}\r\n`));
      expect(reader.gets()).to.equal(false);
    });

    it('honours a custom maxBulkLength for bulk strings, verbatim strings and bulk errors', () => {
      const options = { maxBulkLength: 5 };
      expect(collect([b('$5\r\nhello\r\n')], null, options).replies).to.deep.equal([b('hello')]);
      for (const type of ['$', '=', '!']) {
        checkError(
          `${type}6\r\n`,
          'Protocol error: bulk length 6 exceeds the limit of 5 bytes',
          options,
        );
      }
    });

    it('rejects invalid options with RangeError', () => {
      for (const options of [
        { maxDepth: 0 },
        { maxDepth: 1.5 },
        { maxBulkLength: -1 },
        { maxBulkLength: NaN },
      ]) {
        expect(() => new Reader(options), JSON.stringify(options)).to.throw(RangeError);
      }
    });
  });

  describe('protocol errors', () => {
    it('names the bad type byte it got', () => {
      checkError('@\r\n', 'Protocol error: got "@" as reply type byte');
      checkError('+OK\r\n\r\n', 'Protocol error: got "\\r" as reply type byte');
    });

    it('throws ProtocolError with its stable code', () => {
      const reader = new Reader();
      reader.feed(b('@\r\n'));
      expect(() => reader.gets())
        .to.throw(ProtocolError)
        .with.property('code', 'REDMUX_ERR_PROTOCOL');
    });

    it('is sticky: later gets() throw the same error, and feed() is ignored', () => {
      const reader = new Reader();
      reader.feed(b('+OK\r\n@\r\n'));
      expect(reader.gets()).to.equal('OK');
      let first: unknown;
      try {
        reader.gets();
      } catch (err) {
        first = err;
      }
      expect(first).to.be.instanceOf(ProtocolError);
      expect(() => reader.gets())
        .to.throw()
        .that.equals(first);
      reader.feed(b('+OK\r\n'));
      expect(() => reader.gets())
        .to.throw()
        .that.equals(first);
    });

    it('rejects bad lengths', () => {
      const bad: [string, string][] = [
        ['$abc\r\n', 'Protocol error: invalid bulk length "abc"'],
        ['$\r\n', 'Protocol error: invalid bulk length ""'],
        ['$-2\r\n', 'Protocol error: invalid bulk length "-2"'],
        ['$1.5\r\n', 'Protocol error: invalid bulk length "1.5"'],
        ['$+3\r\n', 'Protocol error: invalid bulk length "+3"'],
        ['= 3\r\n', 'Protocol error: invalid bulk length " 3"'],
        ['*-2\r\n', 'Protocol error: invalid array length "-2"'],
        ['*x\r\n', 'Protocol error: invalid array length "x"'],
        ['*1234567890123456\r\n', 'Protocol error: invalid array length "1234567890123456"'],
        ['%-3\r\n', 'Protocol error: invalid map length "-3"'],
        ['~\r\n', 'Protocol error: invalid set length ""'],
        ['>-1\r\n', 'Protocol error: invalid push length "-1"'],
        ['|-1\r\n', 'Protocol error: invalid attribute length "-1"'],
      ];
      for (const [input, message] of bad) checkError(input, message);
    });

    it('rejects streamed strings and aggregates as unsupported', () => {
      for (const type of ['$', '*', '%', '~', '>']) {
        checkError(
          `${type}?\r\n`,
          `Protocol error: streamed strings and aggregates ("${type}?") are not supported`,
        );
      }
    });

    it('rejects malformed scalars', () => {
      const bad: [string, RegExp][] = [
        [':\r\n', /invalid integer ""/],
        [':-\r\n', /invalid integer "-"/],
        [':abc\r\n', /invalid integer "abc"/],
        [':1.5\r\n', /invalid integer "1.5"/],
        [':--1\r\n', /invalid integer "--1"/],
        [':12345678901234567890x\r\n', /invalid integer "12345678901234567890x"/],
        [',\r\n', /invalid double ""/],
        [',abc\r\n', /invalid double "abc"/],
        [',1.2.3\r\n', /invalid double "1.2.3"/],
        [',0x10\r\n', /invalid double "0x10"/],
        [', 1\r\n', /invalid double " 1"/],
        [',Infinity\r\n', /invalid double "Infinity"/],
        ['(\r\n', /invalid big number ""/],
        ['(1.0\r\n', /invalid big number "1.0"/],
        ['#x\r\n', /invalid boolean "#x"/],
        ['#tt\r\n', /invalid boolean "#tt"/],
        ['#\r\n', /invalid boolean "#"/],
        ['_x\r\n', /invalid null "_x"/],
      ];
      for (const [input, message] of bad) checkError(input, message);
    });

    it('rejects a bulk string not ended by CRLF', () => {
      checkError('$3\r\nabcXY', 'Protocol error: bulk string of 3 bytes not ended by CRLF');
      checkError('$3\r\nabc\rX', 'Protocol error: bulk string of 3 bytes not ended by CRLF');
    });

    it('rejects a verbatim string without its format prefix', () => {
      checkError('=3\r\nabc\r\n', 'Protocol error: verbatim string without a format prefix: "abc"');
      checkError(
        '=5\r\ntxt-x\r\n',
        'Protocol error: verbatim string without a format prefix: "txt-x"',
      );
    });

    it('rejects a line ended by LF alone', () => {
      checkError('+OK\n', 'Protocol error: got a line ended by LF without CR: "+OK\\n"');
      checkError(':1\r\n\n', 'Protocol error: got a line ended by LF without CR: "\\n"');
    });

    it('shortens long excerpts in messages', () => {
      checkError(`:${'9'.repeat(50)}x\r\n`, `Protocol error: invalid integer "${'9'.repeat(40)}…"`);
    });

    it('turns an unexpected failure (an unknown encoding) into a sticky ProtocolError', () => {
      const reader = new Reader();
      reader.encoding = 'bogus' as BufferEncoding;
      reader.feed(b('$1\r\na\r\n'));
      let first: unknown;
      try {
        reader.gets();
      } catch (err) {
        first = err;
      }
      expect(first)
        .to.be.instanceOf(ProtocolError)
        .with.property('cause')
        .that.is.instanceOf(TypeError);
      expect(() => reader.gets())
        .to.throw()
        .that.equals(first);
    });
  });

  describe('test helper serialize()', () => {
    it('writes RESP3 by default and what a RESP2 server would send with protocol 2', () => {
      const value = [null, true, 1.5, 2n ** 64n, new Map([['k', new Set([1])]]), push('p')];
      expect(serialize(value).toString()).to.equal(
        '*6\r\n_\r\n#t\r\n,1.5\r\n(18446744073709551616\r\n%1\r\n+k\r\n~1\r\n:1\r\n>1\r\n+p\r\n',
      );
      expect(serialize(value, { protocol: 2 }).toString()).to.equal(
        '*6\r\n$-1\r\n:1\r\n$3\r\n1.5\r\n$20\r\n18446744073709551616\r\n*2\r\n+k\r\n*1\r\n:1\r\n*1\r\n+p\r\n',
      );
    });
  });

  describe('properties', () => {
    const simpleText = fc
      .string({ unit: 'grapheme', maxLength: 12 })
      .filter((s) => !/[\r\n]/.test(s));
    const leaf: fc.Arbitrary<RespValue> = fc.oneof(
      simpleText,
      fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes)),
      fc.maxSafeInteger(),
      fc.bigInt({ min: -(2n ** 80n), max: -(2n ** 53n) }),
      fc.bigInt({ min: 2n ** 53n, max: 2n ** 80n }),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.string({ unit: 'grapheme', maxLength: 20 }).map((message) => replyError(message)),
    );
    const { tree } = fc.letrec<{
      tree: RespValue;
      array: RespValue;
      set: RespValue;
      map: RespValue;
    }>((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        tie('array'),
        tie('set'),
        tie('map'),
      ),
      array: fc.array(tie('tree'), { maxLength: 4 }),
      set: fc.array(tie('tree'), { maxLength: 4 }).map((items) => new Set(items)),
      map: fc
        .array(fc.tuple(tie('tree'), tie('tree')), { maxLength: 3 })
        .map((entries) => new Map(entries)),
    }));
    const topLevel = fc.oneof(
      tree,
      fc.array(tree, { maxLength: 4 }).map((items) => push(...items)),
    );
    const chunked = fc.tuple(
      fc.array(topLevel, { minLength: 1, maxLength: 5 }),
      fc.array(fc.nat(), { maxLength: 12 }),
      fc.array(fc.boolean(), { maxLength: 12 }), // read after chunk i only when true (or missing)
    );
    const cutsOf = (cuts: number[], length: number) =>
      [...new Set(cuts.map((cut) => cut % (length + 1)))].sort((x, y) => x - y);

    for (const encoding of [null, 'utf8'] as const) {
      it(`random reply trees split at random offsets read back equal (encoding ${encoding})`, () => {
        fc.assert(
          fc.property(chunked, ([values, cuts, reads]) => {
            const bytes = Buffer.concat(values.map((value) => serialize(value)));
            const chunks = split(bytes, cutsOf(cuts, bytes.length));
            const { replies } = collect(chunks, encoding, undefined, (i) => reads[i] ?? true);
            expect(normalize(replies)).to.deep.equal(normalize(values, encoding));
          }),
          { numRuns: 200 },
        );
      });
    }

    it('random bytes give the same replies and error whatever the split, and only ProtocolError', () => {
      const garbage = fc.array(fc.constantFrom(...'+-:$*%~|>_#,(!=0129\r\n\r\n?tfa'.split('')), {
        maxLength: 40,
      });
      const stream = fc.tuple(
        fc.array(topLevel, { maxLength: 2 }),
        garbage,
        fc.array(fc.nat(), { maxLength: 12 }),
      );
      // Replies up to the first error, then the error's message: both must not depend on the split.
      const outcome = (chunks: Buffer[]) => {
        const reader = new Reader({ maxDepth: 4, maxBulkLength: 64 });
        const replies: Reply[] = [];
        try {
          for (const chunk of chunks) {
            reader.feed(chunk);
            for (let r = reader.gets(); r !== false || !reader.incomplete; r = reader.gets())
              replies.push(r);
          }
          return { replies: normalize(replies), error: null };
        } catch (err) {
          expect(err).to.be.instanceOf(ProtocolError);
          return { replies: normalize(replies), error: (err as Error).message };
        }
      };
      fc.assert(
        fc.property(stream, ([values, chars, cuts]) => {
          const bytes = Buffer.concat([
            ...values.map((value) => serialize(value)),
            b(chars.join('')),
          ]);
          expect(outcome(split(bytes, cutsOf(cuts, bytes.length)))).to.deep.equal(outcome([bytes]));
        }),
        { numRuns: 200 },
      );
    });
  });
});
