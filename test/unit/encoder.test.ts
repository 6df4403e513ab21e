import { expect } from 'chai';
import { commandName, encodeCommand, type Encoded, upperName } from '../../lib/protocol/encoder';

function bytes(encoded: Encoded): Buffer {
  if (typeof encoded === 'string') return Buffer.from(encoded);
  return Buffer.concat(
    encoded.map((part) => (typeof part === 'string' ? Buffer.from(part) : part)),
  );
}

describe('encodeCommand()', () => {
  it('encodes a command with string arguments as a RESP array of bulk strings', () => {
    expect(bytes(encodeCommand('SET', ['key', 'value']))).to.deep.equal(
      Buffer.from('*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n'),
    );
  });

  it('encodes a command with no arguments', () => {
    expect(bytes(encodeCommand('PING', []))).to.deep.equal(Buffer.from('*1\r\n$4\r\nPING\r\n'));
  });

  it('counts multi-byte UTF-8 in bytes, not characters', () => {
    expect(bytes(encodeCommand('SET', ['ключ', '😀']))).to.deep.equal(
      Buffer.from('*3\r\n$3\r\nSET\r\n$8\r\nключ\r\n$4\r\n😀\r\n'),
    );
  });

  it('writes an empty string as a zero-length bulk string', () => {
    expect(bytes(encodeCommand('SET', ['k', '']))).to.deep.equal(
      Buffer.from('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n'),
    );
  });

  it('sends Buffers byte for byte, without copying them into a string', () => {
    const value = Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x80]);
    const encoded = encodeCommand('SET', ['k', value, 'EX', 10]);
    expect(encoded).to.be.an('array');
    expect((encoded as Array<string | Buffer>).includes(value)).to.equal(true);
    expect(bytes(encoded)).to.deep.equal(
      Buffer.concat([
        Buffer.from('*5\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\n'),
        value,
        Buffer.from('\r\n$2\r\nEX\r\n$2\r\n10\r\n'),
      ]),
    );
  });

  it('encodes two Buffer arguments in a row and an empty Buffer', () => {
    const encoded = encodeCommand('MSET', [Buffer.from('a'), Buffer.alloc(0)]);
    expect(bytes(encoded)).to.deep.equal(Buffer.from('*3\r\n$4\r\nMSET\r\n$1\r\na\r\n$0\r\n\r\n'));
  });

  it('encodes numbers in decimal', () => {
    expect(bytes(encodeCommand('X', [42, -7, 0, 1.5, -0.25]))).to.deep.equal(
      Buffer.from(
        '*6\r\n$1\r\nX\r\n$2\r\n42\r\n$2\r\n-7\r\n$1\r\n0\r\n$3\r\n1.5\r\n$5\r\n-0.25\r\n',
      ),
    );
  });

  it('splits a multi-word command name into one argument per word', () => {
    expect(bytes(encodeCommand('CONFIG GET', ['maxmemory']))).to.deep.equal(
      Buffer.from('*3\r\n$6\r\nCONFIG\r\n$3\r\nGET\r\n$9\r\nmaxmemory\r\n'),
    );
    expect(bytes(encodeCommand('CLIENT  SETNAME', ['n']))).to.deep.equal(
      Buffer.from('*3\r\n$6\r\nCLIENT\r\n$7\r\nSETNAME\r\n$1\r\nn\r\n'),
    );
  });

  it('keeps every string of its output ASCII, so it can be written as latin1', () => {
    const encoded = encodeCommand('SET', ['ключ', 'plain', 'é', 42]);
    const strings = (Array.isArray(encoded) ? encoded : [encoded]).filter(
      (part): part is string => typeof part === 'string',
    );
    for (const text of strings) {
      expect(
        [...text].every((char) => char.charCodeAt(0) < 0x80),
        text,
      ).to.equal(true);
    }
    expect(bytes(encoded)).to.deep.equal(
      Buffer.from('*5\r\n$3\r\nSET\r\n$8\r\nключ\r\n$5\r\nplain\r\n$2\r\né\r\n$2\r\n42\r\n'),
    );
  });

  describe('commandName()', () => {
    it('upper-cases and splits a name once, and reuses it', () => {
      const name = commandName('config  get');
      expect(name.upper).to.equal('CONFIG GET');
      expect(name.words).to.equal(2);
      expect(commandName('config  get')).to.equal(name);
      expect(bytes(encodeCommand(name, ['x']))).to.deep.equal(
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
