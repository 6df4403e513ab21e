// Tests of the test harness itself (test/helpers), with raw sockets so that they hold whatever
// state lib/ is in.
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as tls from 'node:tls';

import { startFakeServer } from '../helpers/fake-server';
import { sharedServer } from '../helpers/hooks';
import { redisServerBinary, startRedis, type RedisServer } from '../helpers/redis-server';

/** RESP encoding of one command, enough for these tests. */
function encode(args: string[]): string {
  return (
    `*${args.length}\r\n` + args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')
  );
}

/**
 * Sends the commands pipelined on `socket` and resolves with the first `commands.length` reply
 * lines: one per reply, as long as only the last reply may be a bulk string (only its `$<len>`
 * header is seen). Rejects on a socket error or an early close.
 */
function talk(socket: net.Socket, ...commands: string[][]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    let data = '';
    const finish = (err?: Error) => {
      socket.destroy();
      if (err) reject(err);
      else resolve(data.split('\r\n').slice(0, commands.length));
    };
    socket.on('data', (chunk) => {
      data += chunk.toString();
      if (data.split('\r\n').length > commands.length) finish();
    });
    socket.on('error', finish);
    socket.on('close', () => finish(new Error(`connection closed after ${JSON.stringify(data)}`)));
    socket.write(commands.map(encode).join(''));
  });
}

/** Resolves with the error of a connection attempt that must fail. */
function connectError(socket: net.Socket): Promise<NodeJS.ErrnoException> {
  return new Promise((resolve, reject) => {
    socket.on('error', (err) => {
      socket.destroy();
      resolve(err);
    });
    // A TLS socket connects over TCP first; only the handshake can fail verification.
    socket.on(socket instanceof tls.TLSSocket ? 'secureConnect' : 'connect', () => {
      socket.destroy();
      reject(new Error('connected, expected a failure'));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('test harness', () => {
  describe('redisServerBinary()', () => {
    const saved = process.env.REDIS_SERVER_BIN;
    afterEach(() => {
      if (saved === undefined) delete process.env.REDIS_SERVER_BIN;
      else process.env.REDIS_SERVER_BIN = saved;
    });

    it('finds an executable redis-server', () => {
      expect(fs.statSync(redisServerBinary()).isFile()).to.equal(true);
    });

    it('throws with an install hint when REDIS_SERVER_BIN does not exist', async () => {
      process.env.REDIS_SERVER_BIN = '/nonexistent/redis-server';
      expect(() => redisServerBinary()).to.throw(/apt-get install -y redis-server/);
      let failure: unknown;
      await startRedis().catch((err: unknown) => (failure = err));
      expect(failure)
        .to.be.instanceOf(Error)
        .with.property('message')
        .that.match(/brew install/);
    });
  });

  describe('startRedis()', () => {
    let server: RedisServer;
    before(async () => {
      server = await startRedis({ tls: true });
    });
    after(() => server.stop());

    it('answers PING over TCP on a free port of 127.0.0.1', async () => {
      expect(server.host).to.equal('127.0.0.1');
      expect(server.url).to.equal(`redis://127.0.0.1:${server.port}`);
      expect(await talk(net.connect(server.port, server.host), ['PING'])).to.deep.equal(['+PONG']);
    });

    it('answers PING over a unix socket with mode 700', async () => {
      expect(fs.statSync(server.unixSocket).mode & 0o777).to.equal(0o700);
      expect(await talk(net.connect(server.unixSocket), ['PING'])).to.deep.equal(['+PONG']);
    });

    it('allows DEBUG SLEEP', async () => {
      const replies = await talk(net.connect(server.port, server.host), ['DEBUG', 'SLEEP', '0']);
      expect(replies).to.deep.equal(['+OK']);
    });

    it('answers PING over TLS, verified against the CA for localhost and 127.0.0.1', async () => {
      const { tlsPort, tls: certs } = server;
      expect(tlsPort).to.be.a('number').and.not.equal(server.port);
      if (tlsPort === undefined || certs === undefined) throw new Error('no TLS');
      expect(fs.readFileSync(certs.caFile)).to.deep.equal(certs.ca);
      const options = { host: '127.0.0.1', port: tlsPort, ca: certs.ca, rejectUnauthorized: true };
      const byName = tls.connect({ ...options, servername: 'localhost' });
      expect(await talk(byName, ['PING'])).to.deep.equal(['+PONG']);
      const byIp = tls.connect(options);
      expect(await talk(byIp, ['PING'])).to.deep.equal(['+PONG']);
    });

    it('fails TLS verification without the CA or for another host name', async () => {
      const port = server.tlsPort as number;
      const noCa = await connectError(
        tls.connect({ port, host: '127.0.0.1', servername: 'localhost' }),
      );
      expect(noCa.code).to.match(/^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN)$/);
      const ca = server.tls?.ca;
      const wrongName = await connectError(
        tls.connect({ port, host: '127.0.0.1', ca, servername: 'redis.example.com' }),
      );
      expect(wrongName.code).to.equal('ERR_TLS_CERT_ALTNAME_INVALID');
    });

    it('rejects with the log of a redis-server that cannot start', async () => {
      let failure: unknown;
      await startRedis({ args: ['--no-such-directive', 'x'] }).catch(
        (err: unknown) => (failure = err),
      );
      expect(failure)
        .to.be.instanceOf(Error)
        .with.property('message')
        .that.match(/no-such-directive/);
    });
  });

  describe('TLS with client certificates', () => {
    let server: RedisServer;
    before(async () => {
      server = await startRedis({ tls: true, args: ['--tls-auth-clients', 'yes'] });
    });
    after(() => server.stop());

    it('accepts the client certificate from server.tls and refuses a client without one', async () => {
      const { ca, cert, key } = server.tls ?? {};
      const options = {
        port: server.tlsPort as number,
        host: '127.0.0.1',
        servername: 'localhost',
        ca,
      };
      expect(await talk(tls.connect({ ...options, cert, key }), ['PING'])).to.deep.equal(['+PONG']);
      let failure: unknown;
      await talk(tls.connect(options), ['PING']).catch((err: unknown) => (failure = err));
      expect(failure).to.be.instanceOf(Error);
    });
  });

  describe('ACL users', () => {
    let server: RedisServer;
    before(async () => {
      server = await startRedis({
        password: 'default secret',
        users: [
          { name: 'alice', password: 'wonder land' },
          { name: 'reader', password: 'r', rules: '~app:* +get' },
        ],
      });
    });
    after(() => server.stop());

    it('requires the default password', async () => {
      const connect = () => net.connect(server.port, server.host);
      expect(await talk(connect(), ['PING'])).to.deep.equal(['-NOAUTH Authentication required.']);
      expect(await talk(connect(), ['AUTH', 'default secret'], ['PING'])).to.deep.equal([
        '+OK',
        '+PONG',
      ]);
    });

    it('lets a user AUTH with its password and refuses a wrong one', async () => {
      const replies = await talk(
        net.connect(server.port, server.host),
        ['AUTH', 'alice', 'wrong'],
        ['AUTH', 'alice', 'wonder land'],
        ['ACL', 'WHOAMI'],
      );
      expect(replies[0]).to.match(/^-WRONGPASS/);
      expect(replies.slice(1)).to.deep.equal(['+OK', '$5']);
    });

    it('applies the rules of a user', async () => {
      const replies = await talk(
        net.connect(server.port, server.host),
        ['AUTH', 'reader', 'r'],
        ['GET', 'app:x'],
        ['SET', 'app:x', '1'],
      );
      expect(replies.slice(0, 2)).to.deep.equal(['+OK', '$-1']);
      expect(replies[2]).to.match(/^-NOPERM/);
    });
  });

  describe('kill(), restart() and stop()', () => {
    let server: RedisServer;
    before(async () => {
      server = await startRedis();
    });
    after(() => server.stop());

    it('kill() makes the port refuse connections and restart() brings it back', async () => {
      const oldPid = server.pid;
      await server.kill();
      expect(isAlive(oldPid)).to.equal(false);
      expect(fs.existsSync(server.dir)).to.equal(true);
      const refused = await connectError(net.connect(server.port, server.host));
      expect(refused.code).to.equal('ECONNREFUSED');

      await server.restart();
      expect(server.pid).to.not.equal(oldPid);
      expect(await talk(net.connect(server.port, server.host), ['PING'])).to.deep.equal(['+PONG']);
      expect(await talk(net.connect(server.unixSocket), ['PING'])).to.deep.equal(['+PONG']);
    });

    it('restart() waits for a port that another process holds for a while', async () => {
      await server.kill();
      const squatter = net.createServer();
      await new Promise<void>((resolve) => squatter.listen(server.port, server.host, resolve));
      setTimeout(() => squatter.close(), 300);
      await server.restart();
      expect(await talk(net.connect(server.port, server.host), ['PING'])).to.deep.equal(['+PONG']);
    });

    it('stop() ends the process and removes the directory, and may be called again', async () => {
      const pid = server.pid;
      await Promise.all([server.stop(), server.stop()]);
      expect(isAlive(pid)).to.equal(false);
      expect(fs.existsSync(server.dir)).to.equal(false);
      const refused = await connectError(net.connect(server.port, server.host));
      expect(refused.code).to.equal('ECONNREFUSED');
      await server.stop();
    });

    it('restart() after stop() starts it again on the same port', async () => {
      await server.restart();
      expect(await talk(net.connect(server.port, server.host), ['PING'])).to.deep.equal(['+PONG']);
      await server.stop();
      expect(fs.existsSync(server.dir)).to.equal(false);
    });
  });

  describe('sharedServer()', () => {
    it('returns the same reachable server on every call', async () => {
      const first = await sharedServer();
      expect(await sharedServer()).to.equal(first);
      const socket =
        typeof first.address === 'string'
          ? net.connect(first.address)
          : net.connect(first.address[1], first.address[0]);
      const [reply] = await talk(socket, ['PING']);
      // An existing server given by REDIS_URL may want a password.
      expect(reply).to.match(/^(\+PONG|-NOAUTH)/);
    });
  });

  describe('startFakeServer()', () => {
    it('records what clients send and can answer garbage', async () => {
      const fake = await startFakeServer((socket) => socket.write('@#!garbage\r\n'));
      try {
        const client = net.connect(fake.port, fake.host);
        expect(await talk(client, ['PING'])).to.deep.equal(['@#!garbage']);
        expect(Buffer.concat(fake.received).toString()).to.equal('*1\r\n$4\r\nPING\r\n');
        expect(fake.connections).to.have.length(1);
      } finally {
        await fake.close();
      }
    });

    it('close() drops connected clients and stops listening', async () => {
      const fake = await startFakeServer(() => {});
      const client = net.connect(fake.port, fake.host);
      await new Promise((resolve) => client.once('connect', resolve));
      const closed = new Promise((resolve) => client.once('close', resolve));
      while (fake.connections.length === 0) await new Promise((resolve) => setImmediate(resolve));
      await fake.close();
      await closed;
      const refused = await connectError(net.connect(fake.port, fake.host));
      expect(refused.code).to.equal('ECONNREFUSED');
    });
  });
});
