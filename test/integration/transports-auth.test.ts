// Unix sockets, TLS with a throwaway CA, passwords and ACL users, and what the logs say.
import * as path from 'node:path';
import { expect } from 'chai';
import createDebug from 'debug';
import { AuthError, ConnectionClosedError, createConnection } from '../../lib';
import { type RedisServer, startRedis } from '../helpers/redis-server';
import { eventually, rejectionOf } from '../helpers/util';

const PASSWORD = 'pa:ss@w/rd?#secret';
const ACL_PASSWORD = 'acl-only-s3cret';

describe('transports and authentication', function () {
  let server: RedisServer;

  before(async () => {
    server = await startRedis({
      tls: true,
      password: PASSWORD,
      users: [{ name: 'app', password: ACL_PASSWORD, rules: '~app:* +@all' }],
    });
  });
  after(() => server.stop());

  it('connects over a unix socket path and a unix:// URL', async () => {
    const byPath = await createConnection(server.unixSocket, { password: PASSWORD });
    const byUrl = await createConnection(
      `unix://:${encodeURIComponent(PASSWORD)}@${server.unixSocket}?db=1`,
    );
    try {
      expect(byPath.address).to.equal(server.unixSocket);
      expect(await byPath.execute('PING')).to.equal('PONG');
      expect(await byUrl.execute('PING')).to.equal('PONG');
      expect(byUrl.db).to.equal(1);
    } finally {
      byPath.close();
      byUrl.close();
    }
  });

  it('connects over TCP to a "host:port" string', async () => {
    const conn = await createConnection(`127.0.0.1:${server.port}`, { password: PASSWORD });
    try {
      expect(conn.address).to.deep.equal(['127.0.0.1', server.port]);
      expect(await conn.execute('PING')).to.equal('PONG');
    } finally {
      conn.close();
    }
  });

  it('connects over a relative unix socket path', async () => {
    const relative = path.relative(process.cwd(), server.unixSocket);
    expect(relative).not.to.match(/^\//);
    const conn = await createConnection(relative, { password: PASSWORD });
    try {
      expect(await conn.execute('PING')).to.equal('PONG');
    } finally {
      conn.close();
    }
  });

  it('says how to write a TCP address when a bare word is not a socket file', async () => {
    const err = await rejectionOf(createConnection('no-such-redis-host'));
    expect(err).to.be.instanceOf(ConnectionClosedError);
    expect(err.message).to.include("for TCP write ['no-such-redis-host', 6379]");
  });

  it('connects over TLS, verifying the certificate against the CA', async () => {
    const conn = await createConnection(['localhost', Number(server.tlsPort)], {
      password: PASSWORD,
      ssl: { ca: server.tls?.ca },
    });
    try {
      expect(await conn.execute('PING')).to.equal('PONG');
      const info = String(await conn.execute('INFO', 'server'));
      expect(info).to.match(/tcp_port:/);
    } finally {
      conn.close();
    }
  });

  it('refuses a TLS server whose certificate it cannot verify, by default', async () => {
    const err = await rejectionOf(
      createConnection(`rediss://:${encodeURIComponent(PASSWORD)}@localhost:${server.tlsPort}`),
    );
    expect(err).to.be.instanceOf(ConnectionClosedError);
    expect(err.message).to.match(/certificate/i);
    expect(err.message).not.to.include(PASSWORD);
  });

  it('authenticates with a password from the URL, percent-decoded', async () => {
    const conn = await createConnection(
      `redis://:${encodeURIComponent(PASSWORD)}@127.0.0.1:${server.port}/3`,
    );
    try {
      expect(conn.db).to.equal(3);
      expect(await conn.execute('PING')).to.equal('PONG');
    } finally {
      conn.close();
    }
  });

  it('authenticates an ACL user with a username', async () => {
    const conn = await createConnection(server.url, { username: 'app', password: ACL_PASSWORD });
    try {
      expect(String(await conn.execute('ACL', 'WHOAMI'))).to.equal('app');
      await conn.execute('SET', 'app:x', '1');
      const denied = await rejectionOf(conn.execute('SET', 'other:x', '1'));
      expect((denied as AuthError).code).to.equal('NOPERM');
    } finally {
      conn.close();
    }
  });

  it('switches user with auth(password, username) and keeps working', async () => {
    const conn = await createConnection(server.url, { password: PASSWORD });
    try {
      expect(await conn.auth(ACL_PASSWORD, 'app')).to.equal('OK');
      expect(String(await conn.execute('ACL', 'WHOAMI'))).to.equal('app');
      expect(await rejectionOf(conn.auth('wrong', 'app'))).to.be.instanceOf(AuthError);
      expect(await conn.execute('PING')).to.equal('PONG');
    } finally {
      conn.close();
    }
  });

  it('rejects a wrong password with AuthError, leaks no socket and never shows the password', async () => {
    const admin = await createConnection(server.url, { password: PASSWORD });
    try {
      const err = await rejectionOf(createConnection(server.url, { password: 'wrong-hunter2' }));
      expect(err).to.be.instanceOf(AuthError);
      expect(err.message).not.to.include('hunter2');
      const aclErr = await rejectionOf(
        createConnection(server.url, { username: 'app', password: 'wrong-hunter2' }),
      );
      expect(aclErr).to.be.instanceOf(AuthError);
      await eventually(async () => {
        const list = String(await admin.execute('CLIENT', 'LIST'));
        return list.trim().split('\n').length === 1;
      });
    } finally {
      admin.close();
    }
  });

  it('rejects with AuthError when a password is needed and none is given', async () => {
    const err = await rejectionOf(createConnection(server.url, { db: 1 }));
    expect(err).to.be.instanceOf(AuthError);
    expect((err as AuthError).code).to.equal('NOAUTH');
  });

  it('leaves inTransaction false when the server refuses MULTI', async () => {
    const conn = await createConnection(server.url); // no password: every command is refused
    try {
      const multi = conn.execute('MULTI');
      expect(conn.inTransaction).to.equal(true);
      expect(await rejectionOf(multi)).to.be.instanceOf(AuthError);
      expect(conn.inTransaction).to.equal(false);
      expect(await conn.auth(PASSWORD)).to.equal('OK');
      expect(await conn.execute('PING')).to.equal('PONG');
    } finally {
      conn.close();
    }
  });

  it('never writes credentials to the debug log (invariant 8)', async () => {
    const lines: string[] = [];
    const previous = createDebug.log;
    const enabled = createDebug.disable();
    createDebug.log = (...args: unknown[]) => lines.push(args.map(String).join(' '));
    createDebug.enable('redmux:*');
    try {
      const conn = await createConnection(
        `redis://app:${encodeURIComponent(ACL_PASSWORD)}@127.0.0.1:${server.port}`,
      );
      await conn.auth(PASSWORD);
      conn.close();
      await rejectionOf(createConnection(server.url, { password: 'wrong-hunter2' }));
    } finally {
      createDebug.log = previous;
      createDebug.disable();
      if (enabled) createDebug.enable(enabled);
    }
    expect(lines.length).to.be.greaterThan(3);
    for (const line of lines) {
      expect(line).not.to.include(ACL_PASSWORD);
      expect(line).not.to.include(PASSWORD);
      expect(line).not.to.include('hunter2');
    }
  });
});
