import { expect } from 'chai';
import fc from 'fast-check';
import {
  commandName,
  CommandWriter,
  encodeCommand,
  encodedLength,
  upperName,
} from '../../lib/protocol/encoder';

/** A reference encoder, written as plainly as possible, that the fast one must agree with. */
function reference(command: string, args: Array<string | Buffer | number>): Buffer {
  const words = command.split(' ').filter((word) => word.length > 0);
  const parts = [...words, ...args].map((part) =>
    Buffer.isBuffer(part) ? part : Buffer.from(String(part)),
  );
  return Buffer.concat([
    Buffer.from(`*${parts.length}\r\n`),
    ...parts.flatMap((part) => [Buffer.from(`$${part.length}\r\n`), part, Buffer.from('\r\n')]),
  ]);
}

describe('encodeCommand()', () => {
  it('encodes a command with string arguments as a RESP array of bulk strings', () => {
    expect(encodeCommand('SET', ['key', 'value'])).to.deep.equal(
      Buffer.from('*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n'),
    );
  });

  it('encodes a command with no arguments', () => {
    expect(encodeCommand('PING', [])).to.deep.equal(Buffer.from('*1\r\n$4\r\nPING\r\n'));
  });

  it('counts multi-byte UTF-8 in bytes, not characters', () => {
    expect(encodeCommand('SET', ['ключ', '😀'])).to.deep.equal(
      Buffer.from('*3\r\n$3\r\nSET\r\n$8\r\nключ\r\n$4\r\n😀\r\n'),
    );
  });

  it('writes an empty string as a zero-length bulk string', () => {
    expect(encodeCommand('SET', ['k', ''])).to.deep.equal(
      Buffer.from('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n'),
    );
  });

  it('sends Buffers byte for byte', () => {
    const value = Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x80]);
    expect(encodeCommand('SET', ['k', value, 'EX', 10])).to.deep.equal(
      Buffer.concat([
        Buffer.from('*5\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\n'),
        value,
        Buffer.from('\r\n$2\r\nEX\r\n$2\r\n10\r\n'),
      ]),
    );
  });

  it('encodes two Buffer arguments in a row and an empty Buffer', () => {
    const encoded = encodeCommand('MSET', [Buffer.from('a'), Buffer.alloc(0)]);
    expect(encoded).to.deep.equal(Buffer.from('*3\r\n$4\r\nMSET\r\n$1\r\na\r\n$0\r\n\r\n'));
  });

  it('encodes numbers in decimal', () => {
    expect(encodeCommand('X', [42, -7, 0, 1.5, -0.25])).to.deep.equal(
      Buffer.from(
        '*6\r\n$1\r\nX\r\n$2\r\n42\r\n$2\r\n-7\r\n$1\r\n0\r\n$3\r\n1.5\r\n$5\r\n-0.25\r\n',
      ),
    );
  });

  it('splits a multi-word command name into one argument per word', () => {
    expect(encodeCommand('CONFIG GET', ['maxmemory'])).to.deep.equal(
      Buffer.from('*3\r\n$6\r\nCONFIG\r\n$3\r\nGET\r\n$9\r\nmaxmemory\r\n'),
    );
    expect(encodeCommand('CLIENT  SETNAME', ['n'])).to.deep.equal(
      Buffer.from('*3\r\n$6\r\nCLIENT\r\n$7\r\nSETNAME\r\n$1\r\nn\r\n'),
    );
  });

  describe('commandName()', () => {
    it('upper-cases and splits a name once, and reuses it', () => {
      const name = commandName('config  get');
      expect(name.upper).to.equal('CONFIG GET');
      expect(name.words).to.equal(2);
      expect(commandName('config  get')).to.equal(name);
      expect(encodeCommand(name, ['x'])).to.deep.equal(
        Buffer.from('*3\r\n$6\r\nconfig\r\n$3\r\nget\r\n$1\r\nx\r\n'),
      );
    });

    it('gives upperName() without ever throwing', () => {
      expect(upperName('config  get')).to.equal('CONFIG GET');
      expect(upperName('blpop')).to.equal('BLPOP');
      for (const bad of ['', '   ', 42, undefined, null, {}]) expect(upperName(bad)).to.equal('');
    });

    it('throws TypeError for a blank name', () => {
      expect(() => commandName('   ')).to.throw(TypeError, /command name/);
    });
  });

  describe('rejects arguments that cannot be sent', () => {
    const bad: Array<[string, unknown]> = [
      ['undefined', undefined],
      ['null', null],
      ['a boolean', true],
      ['an object', { a: 1 }],
      ['an array', ['a']],
      ['a symbol', Symbol('s')],
      ['a bigint', 10n],
      ['a function', () => 1],
      ['NaN', NaN],
      ['Infinity', Infinity],
      ['-Infinity', -Infinity],
    ];
    for (const [label, value] of bad) {
      it(`throws TypeError naming the position for ${label}`, () => {
        expect(() => encodeCommand('SET', ['key', value])).to.throw(
          TypeError,
          /argument #2 of SET/,
        );
      });
    }

    it('never puts the value itself in the message', () => {
      expect(() => encodeCommand('AUTH', ['user', { secret: 'hunter2' }]))
        .to.throw(TypeError)
        .that.satisfies((e: Error) => !e.message.includes('hunter2'));
    });

    it('throws TypeError for an empty or non-string command name', () => {
      expect(() => encodeCommand('', [])).to.throw(TypeError, /command name/);
      expect(() => encodeCommand(42 as unknown as string, [])).to.throw(TypeError, /command name/);
    });
  });
});

describe('encodedLength()', () => {
  it('is the length of the encoded command, for small, non-ASCII and large arguments', () => {
    const cases: unknown[][] = [['k'], ['k', 'héllo', 42], ['k', Buffer.alloc(10_000, 1)], []];
    for (let round = 0; round < 20; round++) {
      for (const args of cases) {
        expect(encodedLength(commandName('SET'), args)).to.equal(encodeCommand('SET', args).length);
      }
    }
  });

  it('throws TypeError for an argument that cannot be sent, and measures the next one right', () => {
    expect(() => encodedLength(commandName('SET'), ['k', undefined])).to.throw(TypeError);
    expect(encodedLength(commandName('GET'), ['k'])).to.equal(encodeCommand('GET', ['k']).length);
  });
});

describe('CommandWriter', () => {
  const SET = commandName('SET');

  function written(writer: CommandWriter): Buffer {
    return Buffer.concat(writer.take());
  }

  it('queues commands in order and hands each byte out once', () => {
    const writer = new CommandWriter();
    expect(writer.empty).to.equal(true);
    writer.write(SET, ['a', '1']);
    writer.write(commandName('GET'), ['a']);
    expect(writer.empty).to.equal(false);
    expect(written(writer)).to.deep.equal(
      Buffer.concat([reference('SET', ['a', '1']), reference('GET', ['a'])]),
    );
    expect(writer.empty).to.equal(true);
    expect(writer.take()).to.deep.equal([]);
    writer.write(commandName('PING'), []);
    expect(written(writer)).to.deep.equal(reference('PING', []));
  });

  it('never changes bytes it already handed out', () => {
    const writer = new CommandWriter();
    writer.write(SET, ['k', 'first']);
    const [first] = writer.take();
    const copy = Buffer.from(first as Buffer);
    for (let i = 0; i < 3000; i++) writer.write(SET, [`key:${i}`, 'x'.repeat(i % 200)]);
    writer.take();
    expect(first).to.deep.equal(copy);
  });

  it('writes nothing of a command with a bad argument, and keeps what was queued', () => {
    const writer = new CommandWriter();
    writer.write(SET, ['a', '1']);
    expect(() => writer.write(SET, ['b', 'x'.repeat(100), undefined])).to.throw(
      TypeError,
      /argument #3 of SET is undefined/,
    );
    expect(() => writer.write(SET, ['c', NaN])).to.throw(TypeError, /argument #2/);
    writer.write(SET, ['d', '4']);
    expect(written(writer)).to.deep.equal(
      Buffer.concat([reference('SET', ['a', '1']), reference('SET', ['d', '4'])]),
    );
  });

  it('forgets what was not taken on clear()', () => {
    const writer = new CommandWriter();
    writer.write(SET, ['a', 'x'.repeat(5000)]);
    writer.write(SET, ['b', Buffer.alloc(5000)]);
    writer.clear();
    expect(writer.empty).to.equal(true);
    writer.write(SET, ['c', '3']);
    expect(written(writer)).to.deep.equal(reference('SET', ['c', '3']));
  });

  it('queues a large Buffer by reference and copies a small one', () => {
    const large = Buffer.alloc(10_000, 7);
    const small = Buffer.from('small');
    const writer = new CommandWriter();
    writer.write(commandName('MSET'), ['k1', large, 'k2', small]);
    const chunks = writer.take();
    expect(chunks).to.include(large);
    expect(chunks).not.to.include(small);
    expect(Buffer.concat(chunks)).to.deep.equal(reference('MSET', ['k1', large, 'k2', small]));
  });

  it('counts UTF-8 bytes at every length around the short-string cut-off and header widths', () => {
    const writer = new CommandWriter();
    const args: string[] = [];
    for (const unit of ['a', 'é', '€', '😀', '\ud800']) {
      for (let n = 0; n < 40; n++) args.push(unit.repeat(n));
      for (const n of [333, 334, 3333, 3334, 33_333]) args.push(`${'a'.repeat(n)}${unit}`);
    }
    for (const arg of args) writer.write(SET, ['k', arg]);
    expect(written(writer)).to.deep.equal(
      Buffer.concat(args.map((arg) => reference('SET', ['k', arg]))),
    );
  });

  it('writes a command larger than a block', () => {
    const huge = `${'€'.repeat(40_000)}${'z'.repeat(100_000)}`;
    const writer = new CommandWriter();
    writer.write(SET, ['a', 'b']);
    writer.write(SET, ['k', huge, 'tail']);
    writer.write(SET, ['c', 'd']);
    expect(written(writer)).to.deep.equal(
      Buffer.concat([
        reference('SET', ['a', 'b']),
        reference('SET', ['k', huge, 'tail']),
        reference('SET', ['c', 'd']),
      ]),
    );
  });

  it('encodes integers, negatives, fractions and large numbers in decimal', () => {
    const numbers = [0, -0, 9, 10, 99, 100, 2 ** 31, 2 ** 53 - 1, 2 ** 53, 1e21, -1e-7, 0.1, -12];
    expect(encodeCommand('X', numbers)).to.deep.equal(reference('X', numbers));
  });

  it('agrees with the reference encoder on any arguments (property)', () => {
    const arg = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.string({ maxLength: 2000 }),
      fc.uint8Array({ maxLength: 6000 }).map((bytes) => Buffer.from(bytes)),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer(),
    );
    fc.assert(
      fc.property(fc.array(fc.array(arg, { maxLength: 8 }), { maxLength: 30 }), (commands) => {
        const writer = new CommandWriter();
        for (const args of commands) writer.write(SET, args);
        expect(written(writer)).to.deep.equal(
          Buffer.concat(commands.map((args) => reference('SET', args))),
        );
      }),
    );
  });

  it('queues a Buffer of exactly 4 KiB by reference and copies one a byte shorter', () => {
    const limit = Buffer.alloc(4096, 1);
    const shorter = Buffer.alloc(4095, 2);
    const writer = new CommandWriter();
    writer.write(commandName('MSET'), ['k1', limit, 'k2', shorter]);
    const chunks = writer.take();
    expect(chunks).to.include(limit);
    expect(chunks).not.to.include(shorter);
    expect(Buffer.concat(chunks)).to.deep.equal(reference('MSET', ['k1', limit, 'k2', shorter]));
  });

  it('writes U+0080 and above as UTF-8 in a short string', () => {
    const args = ['\u0080', '\u007f\u0080', `${'a'.repeat(23)}\u0080`, '\u07ff', 'a\u00ff'];
    expect(encodeCommand('SET', args)).to.deep.equal(reference('SET', args));
  });

  it('goes on in the same block after a take, until it is full', () => {
    const writer = new CommandWriter();
    writer.write(SET, ['a', '1']);
    const [first] = writer.take();
    writer.write(SET, ['b', '2']);
    const [second] = writer.take();
    expect(second?.buffer).to.equal(first?.buffer);
    expect(second?.byteOffset).to.equal((first?.byteOffset ?? 0) + (first?.length ?? 0));
  });

  describe('near the end of a block', () => {
    const BLOCK = 64 * 1024;
    const PING = commandName('PING');
    const fillers = new Map<number, Buffer>();

    /** `SET <Buffer>` encoded in exactly `size` bytes (1022 to 4117: a 4-digit Buffer length). */
    function filler(size: number): Buffer {
      let buffer = fillers.get(size);
      if (buffer === undefined) fillers.set(size, (buffer = Buffer.alloc(size - 22, 'f')));
      return buffer;
    }

    /**
     * A writer whose block has exactly `room` bytes left (13 or more), everything before taken.
     * Every filler finds more room than it reserves: the fill does not hinge on an exact fit.
     */
    function writerWithRoom(room: number): CommandWriter {
      const writer = new CommandWriter();
      // A PING reserves the least beyond its own size: only it gets within 20 bytes of the end.
      const ping = room < 20;
      let rest = BLOCK - room - (ping ? 14 : 0);
      for (; rest > 2 * 4117; rest -= 4022) writer.write(SET, [filler(4022)]);
      const last = Math.max(1022, rest - 4117);
      writer.write(SET, [filler(rest - last)]);
      writer.write(SET, [filler(last)]);
      if (ping) writer.write(PING, []);
      const chunks = writer.take();
      expect(
        chunks.map((chunk) => chunk.length),
        `filled to ${room} bytes left`,
      ).to.deep.equal([BLOCK - room]);
      return writer;
    }

    it('moves a command that might not fit to a new block, whatever room is left', () => {
      const probes: Array<[string, unknown[]]> = [
        ['PING', []],
        ['SET', ['k', '€'.repeat(100)]],
        ['X', new Array<number>(20).fill(-2.2250738585072014e-308)],
        ['SET', ['k', Buffer.alloc(3000, 'b')]],
        ['SET', Array.from({ length: 5 }, () => Buffer.alloc(1000, 'b'))],
      ];
      for (const [command, args] of probes) {
        const name = commandName(command);
        const expected = reference(command, args as Array<string | Buffer | number>);
        // Every room from well below the command's size to above it.
        for (let room = Math.max(13, expected.length - 64); room <= expected.length + 16; room++) {
          const writer = writerWithRoom(room);
          writer.write(name, args);
          expect(written(writer), `${command} with ${room} bytes left`).to.deep.equal(expected);
        }
      }
    });
  });

  describe('a command larger than a block', () => {
    it('gets a block of about its UTF-8 size, not three bytes per character', () => {
      const huge = 'x'.repeat(200_000);
      const writer = new CommandWriter();
      writer.write(SET, ['k', huge]);
      const [chunk, ...rest] = writer.take();
      expect(rest).to.deep.equal([]);
      expect(chunk).to.deep.equal(reference('SET', ['k', huge]));
      expect(chunk?.buffer.byteLength).to.be.lessThan(2 * huge.length);
    });

    it('never changes its bytes once taken, and lets go of its block', () => {
      // Short arguments leave room to spare in the block made for the command.
      const args = ['k', 'y'.repeat(200_000), ...Array.from({ length: 20 }, (_, i) => `f${i}`)];
      const writer = new CommandWriter();
      writer.write(SET, args);
      const [chunk] = writer.take();
      expect(chunk).to.deep.equal(reference('SET', args));
      const copy = Buffer.from(chunk as Buffer);
      writer.write(SET, ['a', 'b']);
      const [next] = writer.take();
      expect(chunk).to.deep.equal(copy);
      expect(next).to.deep.equal(reference('SET', ['a', 'b']));
      // The next command went into a block of the usual size: the large one is not held on to.
      expect(next?.buffer.byteLength).to.equal(64 * 1024);
    });
  });
});
