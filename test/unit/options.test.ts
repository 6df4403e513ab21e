import { inspect } from 'node:util';
import { expect } from 'chai';
import type { Reply, ReaderLike } from '../../lib/protocol/reader';
import {
  describeAddress,
  resolveConfig,
  type Address,
  type ConnectionConfig,
  type ConnectionOptions,
} from '../../lib/options';

/** Calls `fn`, which must throw, and returns what it threw. */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(Error);
    return err as Error;
  }
  expect.fail('expected a throw');
}

/** resolveConfig with arguments a typed caller could not pass (the JavaScript user's view). */
function resolveLoose(address: unknown, options?: unknown, where?: string): ConnectionConfig {
  return resolveConfig(address as Address, options as ConnectionOptions, where);
}

/** `text` as a literal part of a RegExp. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

class FakeReader implements ReaderLike {
  feed(_data: Buffer): void {}
  gets(): Reply | false {
    return false;
  }
}

describe('resolveConfig()', () => {
  describe('with a [host, port] tuple', () => {
    it('connects over plain TCP to that host and port, db 0, Buffers', () => {
      expect(resolveConfig(['redis.example.com', 6380])).to.deep.equal({
        host: 'redis.example.com',
        port: 6380,
        tls: null,
        db: 0,
        encoding: null,
      });
    });

    it('takes an IPv6 host with or without brackets', () => {
      expect(resolveConfig(['::1', 6379]).host).to.equal('::1');
      expect(resolveConfig(['[::1]', 6379]).host).to.equal('::1');
    });

    it('rejects a port that is not an integer from 1 to 65535 with RangeError', () => {
      for (const port of [0, -1, 65536, 6379.5, NaN, Infinity]) {
        expect(() => resolveConfig(['localhost', port]), String(port)).to.throw(
          RangeError,
          /port.*1 to 65535/,
        );
      }
      expect(resolveConfig(['localhost', 1]).port).to.equal(1);
      expect(resolveConfig(['localhost', 65535]).port).to.equal(65535);
    });

    it('rejects a port that is not a number with TypeError', () => {
      expect(() => resolveLoose(['localhost', '6379'])).to.throw(TypeError, /port.*got string/);
    });

    it('rejects an empty or non-string host with TypeError', () => {
      expect(() => resolveLoose(['', 6379])).to.throw(TypeError, /host.*got string/);
      expect(() => resolveLoose([null, 6379])).to.throw(TypeError, /host.*got null/);
    });

    it('rejects an array that is not a pair', () => {
      expect(() => resolveLoose(['localhost'])).to.throw(TypeError, /array of length 1/);
      expect(() => resolveLoose(['localhost', 6379, 0])).to.throw(TypeError, /array of length 3/);
    });
  });

  describe('with a unix socket path', () => {
    it('treats a string without "://" as the socket path', () => {
      expect(resolveConfig('/var/run/redis/redis.sock')).to.deep.equal({
        path: '/var/run/redis/redis.sock',
        tls: null,
        db: 0,
        encoding: null,
      });
      expect(resolveConfig('./redis.sock').path).to.equal('./redis.sock');
      expect(resolveConfig('redis.sock').path).to.equal('redis.sock');
    });

    it('keeps paths with a colon as paths when they are not exactly "host:port"', () => {
      for (const path of [
        '/run/redis:6379',
        './cache:1',
        'run:1/redis.sock',
        'C:/redis.sock',
        'localhost:',
        'localhost:port',
        '::1:6379',
      ]) {
        expect(resolveConfig(path), path).to.deep.equal({
          path,
          tls: null,
          db: 0,
          encoding: null,
        });
      }
    });

    it('rejects an empty string with TypeError', () => {
      expect(() => resolveConfig('')).to.throw(TypeError, /empty string/);
    });
  });

  describe('with a "host:port" string', () => {
    it('connects over TCP, as ioredis and node-redis users write it', () => {
      const cases: [string, string, number][] = [
        ['localhost:6379', 'localhost', 6379],
        ['127.0.0.1:6380', '127.0.0.1', 6380],
        ['[::1]:6379', '::1', 6379],
        ['cache-01.internal_net.example.com:7000', 'cache-01.internal_net.example.com', 7000],
      ];
      for (const [address, host, port] of cases) {
        expect(resolveConfig(address), address).to.deep.equal({
          host,
          port,
          tls: null,
          db: 0,
          encoding: null,
        });
      }
    });

    it('rejects a port out of range with RangeError', () => {
      for (const address of ['localhost:0', 'localhost:65536', 'localhost:99999999999']) {
        expect(() => resolveConfig(address), address).to.throw(RangeError, /"host:port"/);
      }
    });

    it('takes the options like a tuple does', () => {
      const config = resolveConfig('localhost:6379', { db: 2, ssl: true });
      expect(config).to.include({ host: 'localhost', port: 6379, db: 2 });
      expect(config.tls).to.deep.equal({ servername: 'localhost' });
    });
  });

  it('rejects any other address with a TypeError naming its type only', () => {
    const cases: [unknown, RegExp][] = [
      [6379, /got number$/],
      [null, /got null$/],
      [undefined, /got undefined$/],
      [{ host: 'localhost', port: 6379 }, /got object$/],
      [true, /got boolean$/],
    ];
    for (const [address, message] of cases) {
      expect(() => resolveLoose(address), String(address)).to.throw(TypeError, message);
    }
    expect(thrown(() => resolveLoose({ password: 'hunter2' })).message).not.to.include('hunter2');
  });

  describe('with a redis:// URL', () => {
    it('takes host, port and db from the URL', () => {
      expect(resolveConfig('redis://redis.example.com:6380/3')).to.deep.equal({
        host: 'redis.example.com',
        port: 6380,
        tls: null,
        db: 3,
        encoding: null,
      });
    });

    it('defaults the host to localhost and the port to 6379', () => {
      for (const url of ['redis://', 'redis:///', 'redis://localhost']) {
        const config = resolveConfig(url);
        expect([config.host, config.port], url).to.deep.equal(['localhost', 6379]);
      }
      expect(resolveConfig('redis://example.com').port).to.equal(6379);
    });

    it('takes an IPv6 host out of its brackets', () => {
      const config = resolveConfig('redis://[::1]:6380');
      expect([config.host, config.port]).to.deep.equal(['::1', 6380]);
      expect(resolveConfig('redis://[::1]').port).to.equal(6379);
    });

    it('accepts the scheme in any case', () => {
      expect(resolveConfig('REDIS://example.com').host).to.equal('example.com');
    });

    it('percent-decodes the user name and password', () => {
      const config = resolveConfig('redis://us%40er:p%3Ass@h/2');
      expect(config).to.deep.equal({
        host: 'h',
        port: 6379,
        tls: null,
        db: 2,
        encoding: null,
        username: 'us@er',
        password: 'p:ss',
      });
    });

    it('keeps "+" in the password as is (it means a space only in the query)', () => {
      expect(resolveConfig('redis://:a+b@h').password).to.equal('a+b');
      expect(resolveConfig('redis://h?password=a+b').password).to.equal('a b');
      expect(resolveConfig('redis://h?password=a%2Bb').password).to.equal('a+b');
    });

    it('takes a user name without a password', () => {
      const config = resolveConfig('redis://alice@h');
      expect(config.username).to.equal('alice');
      expect(config).not.to.have.property('password');
    });

    it('takes a password without a user name', () => {
      const config = resolveConfig('redis://:s3cret@h');
      expect(config.password).to.equal('s3cret');
      expect(config).not.to.have.property('username');
    });

    it('counts an empty user name or password as absent, leaving the options in charge', () => {
      const config = resolveConfig('redis://:@h', { username: 'bob', password: 'opt' });
      expect([config.username, config.password]).to.deep.equal(['bob', 'opt']);
      expect(resolveConfig('redis://h?password=&username=')).not.to.have.any.keys(
        'password',
        'username',
      );
    });

    it('percent-decodes the host', () => {
      expect(resolveConfig('redis://my%2Dhost:7000').host).to.equal('my-host');
    });

    it('percent-decodes query values', () => {
      const config = resolveConfig('redis://h?password=p%26w%3D%23&username=u%20x&name=a%2Db');
      expect([config.password, config.username, config.name]).to.deep.equal([
        'p&w=#',
        'u x',
        'a-b',
      ]);
    });

    it('rejects a malformed percent-escape with TypeError', () => {
      expect(() => resolveConfig('redis://u:p%zz@h')).to.throw(TypeError, /password.*percent/);
      expect(() => resolveConfig('redis://u%zz@h')).to.throw(TypeError, /user name.*percent/);
      expect(() => resolveConfig('redis://h?password=%zz')).to.throw(TypeError, /"password"/);
    });

    it('takes db from the /db path, and none from an empty path', () => {
      expect(resolveConfig('redis://h/7').db).to.equal(7);
      expect(resolveConfig('redis://h/').db).to.equal(0);
    });

    it('rejects a /db path that is not an integer with TypeError', () => {
      for (const url of ['redis://h/abc', 'redis://h/0/1', 'redis://h/1.5']) {
        expect(() => resolveConfig(url), url).to.throw(TypeError, /db in the URL path/);
      }
      expect(() => resolveConfig('redis://h/-1')).to.throw(RangeError, /db in the URL path/);
    });

    it('takes db from ?db= over the /db path', () => {
      expect(resolveConfig('redis://h/2?db=5').db).to.equal(5);
    });

    it('takes db from the URL over options.db, and options.db when the URL has none', () => {
      expect(resolveConfig('redis://h/2', { db: 9 }).db).to.equal(2);
      expect(resolveConfig('redis://h?db=3', { db: 9 }).db).to.equal(3);
      expect(resolveConfig('redis://h', { db: 9 }).db).to.equal(9);
      expect(resolveConfig('redis://h/0', { db: 9 }).db).to.equal(0);
    });

    it('takes every value in the URL over the same option', () => {
      const config = resolveConfig(
        'redis://urluser:urlpass@h?encoding=latin1&timeout=100&name=from-url',
        { username: 'o', password: 'o', encoding: 'utf8', timeout: 5000, name: 'from-options' },
      );
      expect(config).to.include({
        username: 'urluser',
        password: 'urlpass',
        encoding: 'latin1',
        timeout: 100,
        name: 'from-url',
      });
    });

    it('takes username and password from the query', () => {
      const config = resolveConfig('redis://h?username=alice&password=s3cret');
      expect([config.username, config.password]).to.deep.equal(['alice', 's3cret']);
    });

    it('casts query values to their types', () => {
      const config = resolveConfig(
        'redis://h?db=05&timeout=1500&commandTimeout=250&encoding=utf8&name=worker-1',
      );
      expect(config).to.include({
        db: 5,
        timeout: 1500,
        commandTimeout: 250,
        encoding: 'utf8',
        name: 'worker-1',
      });
      expect(resolveConfig('redis://h?timeout=2.5').timeout).to.equal(2.5);
      expect(Object.is(resolveConfig('redis://h?db=-0').db, 0)).to.equal(true);
    });

    it('rejects each invalid query value with an error naming the parameter', () => {
      const cases: [string, typeof TypeError | typeof RangeError][] = [
        ['db=abc', TypeError],
        ['db=1.5', TypeError],
        ['db=', TypeError],
        ['db=-1', RangeError],
        ['db=9007199254740992', RangeError],
        ['timeout=abc', TypeError],
        ['timeout=10ms', TypeError],
        ['timeout=', TypeError],
        ['timeout=0', RangeError],
        ['timeout=-5', RangeError],
        ['timeout=1e999', RangeError],
        ['commandTimeout=abc', TypeError],
        ['commandTimeout=0', RangeError],
        ['commandTimeout=-1', RangeError],
        ['encoding=utf9', TypeError],
        ['encoding=', TypeError],
        ['name=two%20words', TypeError],
        ['name=line%0Abreak', TypeError],
        ['name=caf%C3%A9', TypeError],
        ['name=', TypeError],
      ];
      for (const [query, ErrorClass] of cases) {
        const key = query.slice(0, query.indexOf('='));
        expect(() => resolveConfig(`redis://h?${query}`), query).to.throw(
          ErrorClass,
          new RegExp(`"${key}"`),
        );
      }
    });

    it('rejects an unknown query parameter with TypeError', () => {
      expect(() => resolveConfig('redis://h?pasword=x')).to.throw(
        TypeError,
        /unknown URL query parameter/,
      );
      expect(() => resolveConfig('redis://h?ssl=true')).to.throw(TypeError, /unknown/);
    });

    it('rejects a repeated query parameter with TypeError', () => {
      expect(() => resolveConfig('redis://h?db=1&db=2')).to.throw(TypeError, /more than once/);
    });

    it('rejects a password given both before "@" and in the query', () => {
      expect(() => resolveConfig('redis://:a@h?password=b')).to.throw(TypeError, /twice/);
      expect(() => resolveConfig('redis://a@h?username=b')).to.throw(TypeError, /twice/);
    });

    it('rejects a fragment, the sign of an unencoded "#" in a password', () => {
      expect(() => resolveConfig('redis://h/0#x')).to.throw(TypeError, /fragment/);
    });

    it('rejects port 0 with RangeError and an unparsable port with TypeError', () => {
      expect(() => resolveConfig('redis://h:0')).to.throw(RangeError, /URL port/);
      expect(() => resolveConfig('redis://h:65536')).to.throw(TypeError, /invalid redis:\/\/ URL/);
      expect(() => resolveConfig('redis://h:port')).to.throw(TypeError, /invalid redis:\/\/ URL/);
    });

    it('rejects an unknown scheme with TypeError', () => {
      expect(() => resolveConfig('http://localhost:6379')).to.throw(TypeError, /scheme "http:"/);
      expect(() => resolveConfig('redis+tls://localhost')).to.throw(TypeError, /scheme/);
      expect(() => resolveConfig('://localhost')).to.throw(TypeError, /scheme/);
    });

    it('does not turn TLS on by itself', () => {
      expect(resolveConfig('redis://h').tls).to.equal(null);
    });
  });

  describe('with a rediss:// URL', () => {
    it('turns TLS on with the host as servername', () => {
      expect(resolveConfig('rediss://cache.example.com:6380')).to.deep.equal({
        host: 'cache.example.com',
        port: 6380,
        tls: { servername: 'cache.example.com' },
        db: 0,
        encoding: null,
      });
    });

    it('reads credentials, db and query as redis:// does', () => {
      const config = resolveConfig('rediss://u:p%40w@h/4?timeout=250');
      expect(config).to.include({ username: 'u', password: 'p@w', db: 4, timeout: 250 });
    });

    it('uses options.ssl as the TLS options when it is an object', () => {
      const ca = '-----BEGIN CERTIFICATE-----';
      const config = resolveConfig('rediss://h', { ssl: { ca, minVersion: 'TLSv1.3' } });
      expect(config.tls).to.deep.equal({ ca, minVersion: 'TLSv1.3', servername: 'h' });
    });

    it("keeps the caller's servername", () => {
      const config = resolveConfig('rediss://10.0.0.5', { ssl: { servername: 'redis.internal' } });
      expect(config.tls).to.deep.equal({ servername: 'redis.internal' });
    });

    it('sets no servername for an IP address host', () => {
      expect(resolveConfig('rediss://127.0.0.1').tls).to.deep.equal({});
      expect(resolveConfig('rediss://[::1]').tls).to.deep.equal({});
    });

    it('stays TLS when options.ssl is false (the URL wins)', () => {
      expect(resolveConfig('rediss://h', { ssl: false }).tls).to.deep.equal({ servername: 'h' });
    });
  });

  describe('with a unix:// URL', () => {
    it('takes the socket path and the query', () => {
      expect(resolveConfig('unix:///tmp/redis.sock?db=2&timeout=50')).to.deep.equal({
        path: '/tmp/redis.sock',
        tls: null,
        db: 2,
        encoding: null,
        timeout: 50,
      });
    });

    it('takes percent-encoded credentials before the empty host', () => {
      const config = resolveConfig('unix://us%40er:p%3Ass@/tmp/redis.sock');
      expect(config).to.include({ path: '/tmp/redis.sock', username: 'us@er', password: 'p:ss' });
      expect(resolveConfig('unix://:pw@/tmp/r.sock')).to.include({ password: 'pw' });
      expect(resolveConfig('unix://:pw@/tmp/r.sock')).not.to.have.property('username');
    });

    it('percent-decodes the path and never reads a db from it', () => {
      const config = resolveConfig('unix:///tmp/my%20dir/0', { db: 4 });
      expect([config.path, config.db]).to.deep.equal(['/tmp/my dir/0', 4]);
    });

    it('rejects a host or an empty path with TypeError', () => {
      expect(() => resolveConfig('unix://localhost/tmp/r.sock')).to.throw(TypeError, /no host/);
      expect(() => resolveConfig('unix://')).to.throw(TypeError, /no socket path/);
    });
  });

  describe('options', () => {
    it('turns TLS on with ssl: true, with the host as servername', () => {
      expect(resolveConfig(['cache.example.com', 6380], { ssl: true }).tls).to.deep.equal({
        servername: 'cache.example.com',
      });
      expect(resolveConfig('redis://h', { ssl: true }).tls).to.deep.equal({ servername: 'h' });
    });

    it('keeps TLS options on a unix socket, without a servername', () => {
      expect(resolveConfig('/tmp/redis.sock', { ssl: true }).tls).to.deep.equal({});
    });

    it('leaves TLS off with ssl false or absent', () => {
      expect(resolveConfig(['h', 6379], { ssl: false }).tls).to.equal(null);
      expect(resolveConfig(['h', 6379], {}).tls).to.equal(null);
    });

    it('copies the ssl object and never modifies it', () => {
      const ssl = Object.freeze({ ca: 'x' });
      const config = resolveConfig(['h', 6379], { ssl });
      expect(config.tls).to.deep.equal({ ca: 'x', servername: 'h' });
      expect(config.tls).not.to.equal(ssl);
      expect(ssl).to.deep.equal({ ca: 'x' });
    });

    it('never turns certificate verification off', () => {
      for (const config of [
        resolveConfig('rediss://h'),
        resolveConfig(['h', 1], { ssl: true }),
        resolveConfig(['h', 1], { ssl: {} }),
      ]) {
        expect(config.tls).not.to.have.property('rejectUnauthorized');
      }
    });

    it('passes db, credentials, encoding, parser, timeout and name through', () => {
      const config = resolveConfig(['h', 6379], {
        db: 15,
        username: 'alice',
        password: 's3cret',
        encoding: 'utf8',
        parser: FakeReader,
        timeout: 2500,
        commandTimeout: 100,
        name: 'svc',
      });
      expect(config).to.deep.equal({
        host: 'h',
        port: 6379,
        tls: null,
        db: 15,
        username: 'alice',
        password: 's3cret',
        encoding: 'utf8',
        parser: FakeReader,
        timeout: 2500,
        commandTimeout: 100,
        name: 'svc',
      });
    });

    it('takes commandTimeout from the URL over the option', () => {
      expect(resolveConfig('redis://h?commandTimeout=5', { commandTimeout: 9 })).to.include({
        commandTimeout: 5,
      });
    });

    it('takes encoding null as Buffers', () => {
      expect(resolveConfig(['h', 1], { encoding: null }).encoding).to.equal(null);
      expect(resolveConfig('redis://h', { encoding: null }).encoding).to.equal(null);
    });

    it('counts an empty password or username as absent', () => {
      expect(resolveConfig(['h', 1], { username: '', password: '' })).not.to.have.any.keys(
        'username',
        'password',
      );
    });

    it('refuses a key it does not know, naming the call and the closest known key', () => {
      const cases: [Record<string, unknown>, string][] = [
        [
          { encodng: 'utf8' },
          "createConnection() has no option 'encodng'; did you mean 'encoding'?",
        ],
        [{ DB: 1 }, "createConnection() has no option 'DB'; did you mean 'db'?"],
        [
          { commandtimeout: 5 },
          "createConnection() has no option 'commandtimeout'; did you mean 'commandTimeout'?",
        ],
        [{ tls: true }, "createConnection() has no option 'tls'"],
        [{ minsize: 1 }, "createConnection() has no option 'minsize'"],
      ];
      for (const [options, message] of cases) {
        const err = thrown(() => resolveLoose(['h', 6379], options));
        expect(err, message).to.be.instanceOf(TypeError);
        expect(err.message, message).to.match(new RegExp(`^${escape(message)}`));
      }
      expect(thrown(() => resolveLoose(['h', 1], { x: 1 }, 'createRedis()')).message).to.match(
        /^createRedis\(\) has no option 'x'/,
      );
    });

    it('rejects options that are not a plain object with TypeError', () => {
      for (const [options, type] of [
        [null, 'null'],
        ['redis://h', 'a string'],
        [5, 'a number'],
        [[], 'an array'],
        [new Map(), 'a Map'],
        [Buffer.from('x'), 'a Buffer'],
      ] as const) {
        expect(() => resolveLoose(['h', 1], options), type).to.throw(
          TypeError,
          new RegExp(`^createConnection\\(\\) options must be a plain object, not ${type}$`),
        );
      }
    });

    it('rejects every invalid option with an error naming it', () => {
      const cases: [Record<string, unknown>, typeof TypeError | typeof RangeError, string][] = [
        [{ db: '1' }, TypeError, 'options.db'],
        [{ db: null }, TypeError, 'options.db'],
        [{ db: -1 }, RangeError, 'options.db'],
        [{ db: 1.5 }, RangeError, 'options.db'],
        [{ db: NaN }, RangeError, 'options.db'],
        [{ db: 2 ** 53 }, RangeError, 'options.db'],
        [{ timeout: '100' }, TypeError, 'options.timeout'],
        [{ timeout: 0 }, RangeError, 'options.timeout'],
        [{ timeout: -1 }, RangeError, 'options.timeout'],
        [{ timeout: Infinity }, RangeError, 'options.timeout'],
        [{ timeout: NaN }, RangeError, 'options.timeout'],
        [{ commandTimeout: '100' }, TypeError, 'options.commandTimeout'],
        [{ commandTimeout: 0 }, RangeError, 'options.commandTimeout'],
        [{ commandTimeout: Infinity }, RangeError, 'options.commandTimeout'],
        [{ username: 7 }, TypeError, 'options.username'],
        [{ password: Buffer.from('pw') }, TypeError, 'options.password'],
        [{ password: null }, TypeError, 'options.password'],
        [{ name: 1 }, TypeError, 'options.name'],
        [{ name: '' }, TypeError, 'options.name'],
        [{ name: 'has space' }, TypeError, 'options.name'],
        [{ name: 'new\nline' }, TypeError, 'options.name'],
        [{ encoding: 'utf9' }, TypeError, 'options.encoding'],
        [{ encoding: 8 }, TypeError, 'options.encoding'],
        [{ parser: new FakeReader() }, TypeError, 'options.parser'],
        [{ parser: 'hiredis' }, TypeError, 'options.parser'],
        [{ ssl: 'true' }, TypeError, 'options.ssl'],
        [{ ssl: null }, TypeError, 'options.ssl'],
        [{ ssl: 1 }, TypeError, 'options.ssl'],
        [{ ssl: [] }, TypeError, 'options.ssl'],
      ];
      for (const [options, ErrorClass, label] of cases) {
        const err = thrown(() => resolveLoose(['h', 6379], options));
        expect(err, inspect(options)).to.be.instanceOf(ErrorClass);
        expect(err.message, inspect(options)).to.include(label);
      }
    });

    it('checks options even when the URL overrides them', () => {
      expect(() => resolveLoose('redis://h/1', { db: -1 })).to.throw(RangeError, /options\.db/);
    });
  });

  describe('error messages', () => {
    it('never contain the password, the raw URL or a quoted value', () => {
      const secret = 'Sup3r-Secret';
      const cases: [unknown, unknown?][] = [
        [`redis://user:${secret}@h/abc`],
        [`redis://user:${secret}@h/-1`],
        [`redis://user:${secret}@h:0`],
        [`redis://user:${secret}@h:99999`],
        [`redis://user:${secret}@h:port`],
        [`redis://user:${secret}@h?bogus=1`],
        [`redis://user:${secret}@h?timeout=abc`],
        [`redis://user:${secret}@h?db=1&db=2`],
        [`redis://user:${secret}@h?password=other`],
        [`redis://user:${secret}%zz@h`],
        [`redis://user:${secret}@h/0#frag`],
        [`rediss://user:${secret}@h?name=a%20b`],
        [`http://user:${secret}@h`],
        [`unix://user:${secret}@localhost/tmp/r.sock`],
        [`unix://user:${secret}@`],
        [`redis://h?${secret}`],
        [`redis://h?${secret}=1`],
        [`redis://h?db=${secret}`],
        [`redis://h?timeout=${secret}`],
        [`redis://h?encoding=${secret}`],
        [`redis://h?name=${secret}%20x`],
        [`redis://h?password=${secret}&password=x`],
        [`redis://u:${secret}?x@h`],
        [`redis://u:${secret}/x@h`],
        [['h', 6379], { password: secret, db: -1 }],
        [['h', 6379], { password: secret, timeout: 0 }],
        [['h', 6379], { password: secret, name: `${secret} x` }],
        [['h', 6379], { password: secret, encoding: secret }],
        [['h', 6379], { username: secret, password: 1 }],
        [['h', 6379], { password: [secret] }],
        [['h', 6379], { db: secret }],
        [['h', 6379], { ssl: secret }],
        [{ password: secret }],
        [[secret, '6379']],
      ];
      for (const [address, options] of cases) {
        const err = thrown(() => resolveLoose(address, options));
        for (const text of [err.message, String(err.stack), inspect(err)]) {
          expect(text, inspect(address)).not.to.include(secret);
        }
        expect(err.cause, inspect(address)).to.equal(undefined);
      }
    });
  });
});

describe('describeAddress()', () => {
  it("writes TCP addresses as 'host:port'", () => {
    expect(describeAddress(resolveConfig(['redis.example.com', 6380]))).to.equal(
      'redis.example.com:6380',
    );
    expect(describeAddress(resolveConfig('rediss://10.0.0.1'))).to.equal('10.0.0.1:6379');
  });

  it('puts IPv6 hosts in brackets', () => {
    expect(describeAddress(resolveConfig('redis://[::1]'))).to.equal('[::1]:6379');
    expect(describeAddress(resolveConfig(['fe80::1', 7000]))).to.equal('[fe80::1]:7000');
  });

  it("writes unix sockets as 'unix:/path'", () => {
    expect(describeAddress(resolveConfig('/tmp/redis.sock'))).to.equal('unix:/tmp/redis.sock');
    expect(describeAddress(resolveConfig('unix:///tmp/r.sock'))).to.equal('unix:/tmp/r.sock');
  });

  it('falls back to localhost:6379 for a config without an address', () => {
    expect(describeAddress({ tls: null, db: 0, encoding: null })).to.equal('localhost:6379');
  });

  it('never includes credentials', () => {
    const config = resolveConfig('redis://alice:s3cret@h:6380/2?name=svc');
    expect(describeAddress(config)).to.equal('h:6380');
    const unix = resolveConfig('unix://alice:s3cret@/tmp/r.sock');
    expect(describeAddress(unix)).to.equal('unix:/tmp/r.sock');
  });
});
