import { expect } from 'chai';
import fc from 'fast-check';
import { crc16, hashSlot, SLOT_COUNT } from '../../lib/cluster/slot';

/** CRC16-XMODEM one bit at a time, as plainly as possible: the table-driven one must agree. */
function referenceCrc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    for (let bit = 7; bit >= 0; bit--) {
      const inBit = (byte >> bit) & 1;
      const topBit = (crc >> 15) & 1;
      crc = (crc << 1) & 0xffff;
      if (inBit !== topBit) crc ^= 0x1021;
    }
  }
  return crc;
}

/** The hash tag rule spelled out on bytes, with the bit-by-bit CRC. */
function referenceSlot(key: Buffer): number {
  const open = key.indexOf('{');
  const close = open === -1 ? -1 : key.indexOf('}', open + 1);
  const hashed = close > open + 1 ? key.subarray(open + 1, close) : key;
  return referenceCrc16(hashed) % 16384;
}

describe('crc16()', () => {
  it('gives 0x31C3 for "123456789" (the XMODEM check value)', () => {
    expect(crc16(Buffer.from('123456789'))).to.equal(0x31c3);
  });

  it('gives 0 for no bytes', () => {
    expect(crc16(new Uint8Array(0))).to.equal(0);
  });

  it('covers only data[start..end) when given a range', () => {
    const data = Buffer.from('xx123456789yy');
    expect(crc16(data, 2, 11)).to.equal(0x31c3);
  });

  it('agrees with a bit-by-bit reference on any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(crc16(bytes)).to.equal(referenceCrc16(bytes));
      }),
    );
  });
});

describe('hashSlot()', () => {
  it('has 16384 slots', () => {
    expect(SLOT_COUNT).to.equal(16384);
  });

  it('gives the slots Redis gives for known keys', () => {
    expect(hashSlot('foo')).to.equal(12182);
    expect(hashSlot('bar')).to.equal(5061);
    expect(hashSlot('123456789')).to.equal(0x31c3 % 16384);
  });

  it('hashes only the hash tag when the key has one', () => {
    expect(hashSlot('{foo}a')).to.equal(12182);
    expect(hashSlot('{user1000}.following')).to.equal(hashSlot('{user1000}.followers'));
    expect(hashSlot('{user1000}.following')).to.equal(hashSlot('user1000'));
  });

  it('hashes the whole key when the first tag is empty ("foo{}{bar}")', () => {
    expect(hashSlot('foo{}{bar}')).to.equal(referenceCrc16(Buffer.from('foo{}{bar}')) % 16384);
    expect(hashSlot('foo{}{bar}')).not.to.equal(hashSlot('bar'));
  });

  it('takes the tag from the first "{" to the first "}" after it ("foo{{bar}}zap" → "{bar")', () => {
    expect(hashSlot('foo{{bar}}zap')).to.equal(hashSlot('{bar'));
    expect(hashSlot('{bar')).to.equal(referenceCrc16(Buffer.from('{bar')) % 16384);
  });

  it('uses only the first tag ("foo{bar}{zap}" → "bar")', () => {
    expect(hashSlot('foo{bar}{zap}')).to.equal(hashSlot('bar'));
  });

  it('hashes the whole key when "}" comes before "{" or is missing', () => {
    expect(hashSlot('}foo{')).to.equal(referenceCrc16(Buffer.from('}foo{')) % 16384);
    expect(hashSlot('foo{bar')).to.equal(referenceCrc16(Buffer.from('foo{bar')) % 16384);
  });

  it('gives a Buffer the slot of the same string', () => {
    for (const key of ['foo', '{foo}a', 'foo{}{bar}', 'ключ', '{ключ}x', '😀{a}']) {
      expect(hashSlot(Buffer.from(key))).to.equal(hashSlot(key), key);
    }
  });

  it('hashes non-ASCII strings as UTF-8, tag or not', () => {
    expect(hashSlot('ключ')).to.equal(referenceCrc16(Buffer.from('ключ')) % 16384);
    expect(hashSlot('x{ключ}y')).to.equal(referenceCrc16(Buffer.from('ключ')) % 16384);
    // Non-ASCII after an ASCII tag, and an ASCII tag after non-ASCII text.
    expect(hashSlot('{a}ключ')).to.equal(hashSlot('a'));
    expect(hashSlot('ключ{a}')).to.equal(hashSlot('a'));
    // An empty tag followed by non-ASCII: the whole key, as UTF-8.
    expect(hashSlot('{}é')).to.equal(referenceCrc16(Buffer.from('{}é')) % 16384);
  });

  it('hashes a number as its decimal text', () => {
    expect(hashSlot(123456789)).to.equal(hashSlot('123456789'));
    expect(hashSlot(-1.5)).to.equal(hashSlot('-1.5'));
  });

  it('rejects what is not a key with a TypeError', () => {
    expect(() => hashSlot(undefined as unknown as string)).to.throw(TypeError, /undefined/);
    expect(() => hashSlot(null as unknown as string)).to.throw(TypeError, /null/);
    expect(() => hashSlot({} as unknown as string)).to.throw(TypeError, /object/);
    expect(() => hashSlot(NaN)).to.throw(TypeError, /finite/);
  });

  it('agrees with the reference on any string and its UTF-8 bytes', () => {
    const keyChars = fc.constantFrom('a', 'b', '{', '}', 'é', 'ж', '😀', '0');
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 20 }),
          fc.string({ unit: 'grapheme', maxLength: 12 }),
          fc.array(keyChars, { maxLength: 12 }).map((chars) => chars.join('')),
        ),
        (key) => {
          const expected = referenceSlot(Buffer.from(key, 'utf8'));
          expect(hashSlot(key)).to.equal(expected);
          expect(hashSlot(Buffer.from(key, 'utf8'))).to.equal(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('agrees with the reference on any bytes, braces made likely', () => {
    const byte = fc.oneof(fc.constantFrom(0x7b, 0x7d), fc.integer({ min: 0, max: 255 }));
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 24 }), (bytes) => {
        const key = Buffer.from(bytes);
        expect(hashSlot(key)).to.equal(referenceSlot(key));
      }),
      { numRuns: 500 },
    );
  });
});
