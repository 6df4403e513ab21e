import { expect } from 'chai';
import { createConnection, type RedisConnection } from '../../lib';
import { sharedServer } from '../helpers/hooks';
import { uniqueKey } from '../helpers/util';

/** Bytes that are not valid UTF-8 and contain CR LF, so any re-encoding or framing slip shows. */
function pattern(size: number): Buffer {
  const buf = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) buf[i] = (i * 131 + (i >> 8)) & 0xff;
  return buf;
}

describe('large values', function () {
  this.timeout(60_000);
  let conn: RedisConnection;

  before(async () => {
    conn = await createConnection((await sharedServer()).url);
  });
  after(() => conn.close());

  for (const [label, size] of [
    ['1 MiB', 1 << 20],
    ['64 MiB', 64 << 20],
  ] as const) {
    it(`round-trips a ${label} value byte for byte, with small commands around it`, async () => {
      const key = uniqueKey(label);
      const value = pattern(size);
      const before = conn.execute('ECHO', 'before');
      const set = conn.execute('SET', key, value);
      const after = conn.execute('ECHO', 'after');
      expect(await set).to.equal('OK');
      expect(await Promise.all([before, after])).to.deep.equal([
        Buffer.from('before'),
        Buffer.from('after'),
      ]);
      const [length, back, tail] = await Promise.all([
        conn.execute('STRLEN', key),
        conn.execute<Buffer>('GET', key),
        conn.execute('ECHO', 'tail'),
      ]);
      expect(length).to.equal(size);
      expect(back.length).to.equal(size);
      expect(back.equals(value)).to.equal(true);
      expect(tail).to.deep.equal(Buffer.from('tail'));
      await conn.execute('DEL', key);
    });
  }
});
