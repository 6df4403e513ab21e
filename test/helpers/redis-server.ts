// Starts real redis-server processes on free ports in throwaway directories, for the integration
// tests and the examples. Deliberately free of mocha/chai so that examples/ can import it too.
//
//   const server = await startRedis({ tls: true, users: [{ name: 'app', password: 'pw' }] });
//   // ... connect to server.port, server.unixSocket or server.tlsPort (CA in server.tls.ca)
//   await server.stop();
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** What {@link startRedis} should configure besides the defaults. */
export interface RedisServerOptions {
  /** Also listen with TLS on a second free port (`tlsPort`), with certificates from a throwaway CA. Default false. */
  tls?: boolean;
  /** Password of the `default` user (`requirepass`). Default: none. */
  password?: string;
  /** Extra ACL users, passed as `--user` directives. `rules` default to `'~* &* +@all'`. */
  users?: Array<{ name: string; password: string; rules?: string }>;
  /** Extra redis-server arguments, appended last (so they override the defaults), e.g. `['--maxclients', '10']`. */
  args?: string[];
}

/** Certificates of a TLS-enabled test server; every certificate is signed by `ca`. */
export interface RedisServerTls {
  /** The throwaway CA certificate (PEM) that signed the server and client certificates. */
  ca: Buffer;
  /** A client certificate (PEM), for tests that turn on `--tls-auth-clients yes`; not needed otherwise. */
  cert: Buffer;
  /** The private key (PEM) of `cert`. */
  key: Buffer;
  /** Path of the CA certificate file, for tools that want a file (`redis-cli --cacert`). */
  caFile: string;
}

/** A running (or stopped) redis-server process started by {@link startRedis}. */
export interface RedisServer {
  /** Always `'127.0.0.1'`. */
  host: string;
  /** The plain TCP port. */
  port: number;
  /** Path of the unix socket (mode 700) inside `dir`. */
  unixSocket: string;
  /** The TLS port, when started with `tls: true`. */
  tlsPort?: number;
  /** CA and client certificate, when started with `tls: true`. The server certificate is valid for `localhost` and `127.0.0.1`. */
  tls?: RedisServerTls;
  /** The temporary working directory (log, socket); removed by `stop()`. */
  dir: string;
  /** `redis://127.0.0.1:<port>` (no credentials). */
  url: string;
  /** Pid of the current process; changes on `restart()`. */
  pid: number;
  /** Shuts the server down (SIGTERM, SIGKILL after 5 s), waits for it to exit and removes `dir`. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILLs the server and waits for it to exit, as a crash would; `dir` stays until `stop()`. */
  kill(): Promise<void>;
  /** Starts the server again on the same ports and socket path (after `kill()` or `stop()`; a running server is stopped first). */
  restart(): Promise<void>;
}

const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
const START_ATTEMPTS = 5;
const INSTALL_HINT =
  'install it with `apt-get install -y redis-server` (Debian/Ubuntu) or `brew install redis`, ' +
  'or set REDIS_URL / REDIS_SERVER_BIN';

/** Every child process we started that may still be alive; killed on process exit as a last resort. */
const liveChildren = new Set<ChildProcess>();
/** Every server handle not yet stopped, so that {@link stopAllRedis} can clean up after careless tests. */
const openServers = new Set<RedisServer>();
/** Directories that must not outlive the process (the cached CA). */
const tempDirs = new Set<string>();

function cleanUpSync(): void {
  // Only synchronous work is possible here: SIGKILL whatever is left and remove the directories.
  for (const child of liveChildren) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  liveChildren.clear();
  for (const server of openServers) tempDirs.add(server.dir);
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

process.on('exit', cleanUpSync);
// A signal ends Node without 'exit' handlers: clean up, then die of the same signal as before.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    cleanUpSync();
    process.kill(process.pid, signal);
  });
}

/**
 * Path of the redis-server binary: `REDIS_SERVER_BIN` if set, else the first `redis-server` on
 * `PATH` (or in the usual install locations). Throws an Error with an install hint when there is
 * none: a missing server must fail the run, never skip tests silently.
 */
export function redisServerBinary(): string {
  const fromEnv = process.env.REDIS_SERVER_BIN;
  if (fromEnv) {
    if (isExecutable(fromEnv)) return fromEnv;
    throw new Error(`redis-server not found at REDIS_SERVER_BIN=${fromEnv}: ${INSTALL_HINT}`);
  }
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  // Root's PATH usually has these, but a minimal CI environment may not.
  dirs.push('/usr/bin', '/usr/local/bin', '/opt/homebrew/bin');
  for (const dir of dirs) {
    const candidate = path.join(dir, 'redis-server');
    if (isExecutable(candidate)) return candidate;
  }
  throw new Error(`redis-server not found: ${INSTALL_HINT}`);
}

/** Stops every server started by {@link startRedis} that is not stopped yet (for root hooks). */
export async function stopAllRedis(): Promise<void> {
  await Promise.all([...openServers].map((server) => server.stop()));
}

/**
 * Starts a redis-server on free ports in a fresh temporary directory and resolves once it answers
 * PING. Rejects with the server's log when it does not start within 10 s.
 */
export async function startRedis(options: RedisServerOptions = {}): Promise<RedisServer> {
  const binary = redisServerBinary();
  const version = await redisVersion(binary);
  const tlsFiles = options.tls ? await testCertificates() : undefined;
  const dir = await makeTempDir('redmux-redis-');
  const unixSocket = path.join(dir, 'redis.sock');
  const logFile = path.join(dir, 'redis.log');

  let ports: number[] = [];
  const launchOnce = () =>
    launch(binary, serverArgs(version, dir, ports, tlsFiles, options), logFile, unixSocket);
  let child: ChildProcess | undefined;
  for (let attempt = 1; child === undefined; attempt++) {
    ports = await freePorts(options.tls ? 2 : 1);
    try {
      child = await launchOnce();
    } catch (err) {
      // Another process may grab a port between our probe and redis' bind: try fresh ports.
      if (err instanceof PortInUseError && attempt < START_ATTEMPTS) continue;
      await fs.promises.rm(dir, { recursive: true, force: true });
      throw err;
    }
  }

  const port = ports[0] as number;
  let current: ChildProcess | undefined = child;
  // Shared by concurrent stop() calls, so that each of them resolves only once the work is done.
  let stopping: Promise<void> | undefined;

  const server: RedisServer = {
    host: HOST,
    port,
    unixSocket,
    tlsPort: options.tls ? ports[1] : undefined,
    tls: tlsFiles && {
      ca: tlsFiles.ca,
      cert: tlsFiles.clientCert,
      key: tlsFiles.clientKey,
      caFile: tlsFiles.caFile,
    },
    dir,
    url: `redis://${HOST}:${port}`,
    pid: child.pid as number,
    stop() {
      stopping ??= (async () => {
        if (current) await terminate(current, 'SIGTERM');
        current = undefined;
        openServers.delete(server);
        await fs.promises.rm(dir, { recursive: true, force: true });
      })();
      return stopping;
    },
    async kill() {
      if (current) await terminate(current, 'SIGKILL');
      current = undefined;
    },
    async restart() {
      if (current) await terminate(current, 'SIGTERM');
      current = undefined;
      if (stopping) {
        await stopping;
        await fs.promises.mkdir(dir, { recursive: true });
        stopping = undefined;
        openServers.add(server);
      }
      // The old process may have left the socket file behind; redis replaces it. The TCP ports
      // are reusable at once because redis sets SO_REUSEADDR, but another process may have taken
      // one meanwhile, so retry for a little while before giving up.
      const deadline = Date.now() + READY_TIMEOUT_MS;
      for (;;) {
        try {
          current = await launchOnce();
          break;
        } catch (err) {
          if (!(err instanceof PortInUseError) || Date.now() > deadline) throw err;
          await delay(100);
        }
      }
      server.pid = current.pid as number;
    },
  };
  openServers.add(server);
  return server;
}

class PortInUseError extends Error {}

function serverArgs(
  version: number[],
  dir: string,
  ports: number[],
  tlsFiles: TestCertificates | undefined,
  options: RedisServerOptions,
): string[] {
  // A single '' argument is how the command line says `save ""` (no RDB snapshots).
  // prettier-ignore
  const args = [
    '--port', String(ports[0]),
    '--bind', HOST,
    '--save', '',
    '--appendonly', 'no',
    '--dir', dir,
    '--unixsocket', path.join(dir, 'redis.sock'),
    '--unixsocketperm', '700',
    '--daemonize', 'no',
    '--protected-mode', 'no',
  ];
  // DEBUG (SLEEP, used to simulate slow commands) is off by default since 7.0, and the directive
  // does not exist before 7.0, where DEBUG is always allowed.
  if ((version[0] ?? 0) >= 7) args.push('--enable-debug-command', 'yes');
  if (tlsFiles) {
    // prettier-ignore
    args.push(
      '--tls-port', String(ports[1]),
      '--tls-cert-file', tlsFiles.serverCertFile,
      '--tls-key-file', tlsFiles.serverKeyFile,
      '--tls-ca-cert-file', tlsFiles.caFile,
      '--tls-auth-clients', 'no',
    );
  }
  if (options.password !== undefined) args.push('--requirepass', options.password);
  for (const user of options.users ?? []) {
    // redis quotes every argument after a `--directive` separately, so a password with spaces
    // survives as one ACL rule.
    const rules = (user.rules ?? '~* &* +@all').split(/\s+/).filter(Boolean);
    args.push('--user', user.name, 'on', `>${user.password}`, ...rules);
  }
  args.push(...(options.args ?? []));
  return args;
}

/** Spawns redis-server with stdout/stderr going to `logFile`, and waits until it answers PING. */
async function launch(
  binary: string,
  args: string[],
  logFile: string,
  unixSocket: string,
): Promise<ChildProcess> {
  const logFd = fs.openSync(logFile, 'a');
  // Only this attempt's part of the log tells why this attempt failed.
  const logStart = fs.fstatSync(logFd).size;
  let child: ChildProcess;
  try {
    child = spawn(binary, args, { stdio: ['ignore', logFd, logFd] });
  } finally {
    fs.closeSync(logFd); // the child has its own copy
  }
  liveChildren.add(child);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: Error | undefined;
  child.once('error', (err) => {
    spawnError = err;
    liveChildren.delete(child);
  });
  child.once('exit', (code, signal) => {
    exited = { code, signal };
    liveChildren.delete(child);
  });

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (spawnError || exited) {
      const log = readLog(logFile, logStart);
      if (/Address already in use/.test(log)) throw new PortInUseError(log);
      if (/tls-port/.test(log) && /Bad directive/.test(log)) {
        throw new Error(`${binary} was built without TLS support:\n${logTail(log)}`);
      }
      const how = spawnError
        ? spawnError.message
        : `exited with ${exited?.signal ?? `code ${exited?.code}`}`;
      throw new Error(`redis-server ${how} before it was ready:\n${logTail(log)}`);
    }
    // Ask on the unix socket, which only our process can own: on TCP, whoever won a port race
    // would answer. redis binds its TCP and TLS ports before the unix socket, so they are ready too.
    const reply = await ping(unixSocket);
    // -NOAUTH/-NOPERM: the server is up, PING just needs credentials. -LOADING means not yet.
    if (/^(\+PONG|-NOAUTH|-NOPERM)/.test(reply)) {
      break;
    }
    if (Date.now() > deadline) {
      await terminate(child, 'SIGKILL');
      throw new Error(
        `redis-server did not answer PING within ${READY_TIMEOUT_MS} ms (last reply: ${JSON.stringify(reply)}):\n` +
          logTail(readLog(logFile, logStart)),
      );
    }
    await delay(20);
  }
  // The server must not keep an example's event loop alive by itself; stop() and kill() re-ref it
  // while they wait, and the exit handler kills it if nobody stopped it.
  child.unref();
  return child;
}

/** Sends an inline PING on a fresh connection; resolves with the first reply line, or '' on any error. */
function ping(unixSocket: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(unixSocket);
    let data = '';
    const done = (reply: string) => {
      socket.destroy();
      resolve(reply);
    };
    socket.setTimeout(1000, () => done(''));
    socket.on('error', () => done(''));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      const end = data.indexOf('\r\n');
      if (end !== -1) done(data.slice(0, end));
    });
    socket.on('close', () => done(data));
  });
}

/** Sends `signal` (SIGKILL after a grace period) and resolves once the process has exited. */
async function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    liveChildren.delete(child);
    return;
  }
  child.ref(); // keep the event loop alive until the exit is observed
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
  liveChildren.delete(child);
}

/** Reserves `count` distinct free ports by binding to port 0, then releases them. */
async function freePorts(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, HOST, () => resolve());
      });
    }
    return servers.map((server) => (server.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

/** A fresh temporary directory; falls back to /tmp when TMPDIR is too long for a unix socket path. */
async function makeTempDir(prefix: string): Promise<string> {
  // sun_path is 108 bytes on Linux and 104 on macOS; leave room for the suffix and '/redis.sock'.
  const base = os.tmpdir().length > 70 ? '/tmp' : os.tmpdir();
  return fs.promises.mkdtemp(path.join(base, prefix));
}

let versionPromise: Promise<number[]> | undefined;

/** The installed server's version as numbers, e.g. [7, 0, 15]. */
function redisVersion(binary: string): Promise<number[]> {
  versionPromise ??= execFileAsync(binary, ['--version']).then(({ stdout }) => {
    const match = /v=(\d+)\.(\d+)\.(\d+)/.exec(stdout);
    if (!match) throw new Error(`cannot read the version of ${binary} from: ${stdout.trim()}`);
    return match.slice(1).map(Number);
  });
  return versionPromise;
}

interface TestCertificates {
  ca: Buffer;
  caFile: string;
  serverCertFile: string;
  serverKeyFile: string;
  clientCert: Buffer;
  clientKey: Buffer;
}

let certificatesPromise: Promise<TestCertificates> | undefined;

/** A throwaway CA with a server and a client certificate, made once per process with openssl. */
function testCertificates(): Promise<TestCertificates> {
  certificatesPromise ??= makeCertificates().catch((err: unknown) => {
    certificatesPromise = undefined;
    throw err;
  });
  return certificatesPromise;
}

async function makeCertificates(): Promise<TestCertificates> {
  const dir = await makeTempDir('redmux-ca-');
  tempDirs.add(dir);
  const file = (name: string) => path.join(dir, name);
  // Our own config, so the result does not depend on the system openssl.cnf.
  await fs.promises.writeFile(
    file('openssl.cnf'),
    [
      '[req]',
      'distinguished_name = dn',
      'prompt = no',
      '[dn]',
      'CN = redmux test',
      '[ca]',
      'basicConstraints = critical, CA:TRUE',
      'keyUsage = critical, keyCertSign, cRLSign',
      'subjectKeyIdentifier = hash',
      '[server]',
      'basicConstraints = critical, CA:FALSE',
      'keyUsage = critical, digitalSignature, keyEncipherment',
      'extendedKeyUsage = serverAuth',
      'subjectAltName = DNS:localhost, IP:127.0.0.1',
      'authorityKeyIdentifier = keyid',
      '[client]',
      'basicConstraints = critical, CA:FALSE',
      'keyUsage = critical, digitalSignature, keyEncipherment',
      'extendedKeyUsage = clientAuth',
      'authorityKeyIdentifier = keyid',
      '',
    ].join('\n'),
  );
  const openssl = async (...args: string[]) => {
    try {
      await execFileAsync('openssl', args, { cwd: dir });
    } catch (err) {
      const detail = (err as { stderr?: string }).stderr ?? String(err);
      throw new Error(`openssl ${args[0]} failed (is openssl installed?): ${detail}`, {
        cause: err,
      });
    }
  };
  // EC keys: generating them is instant, unlike RSA. Two days is plenty for a test run.
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const config = ['-config', 'openssl.cnf'];
  // prettier-ignore
  await openssl('req', '-x509', ...newKey, ...config, '-extensions', 'ca', '-subj',
    '/CN=redmux test CA', '-days', '2', '-keyout', 'ca.key', '-out', 'ca.crt');
  for (const name of ['server', 'client']) {
    const subject = name === 'server' ? '/CN=localhost' : '/CN=redmux test client';
    // prettier-ignore
    await openssl('req', '-new', ...newKey, ...config, '-subj', subject,
      '-keyout', `${name}.key`, '-out', `${name}.csr`);
    // prettier-ignore
    await openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key',
      '-CAcreateserial', '-days', '2', '-extfile', 'openssl.cnf', '-extensions', name,
      '-out', `${name}.crt`);
  }
  return {
    ca: await fs.promises.readFile(file('ca.crt')),
    caFile: file('ca.crt'),
    serverCertFile: file('server.crt'),
    serverKeyFile: file('server.key'),
    clientCert: await fs.promises.readFile(file('client.crt')),
    clientKey: await fs.promises.readFile(file('client.key')),
  };
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function readLog(logFile: string, from: number): string {
  try {
    return fs.readFileSync(logFile).subarray(from).toString('utf8');
  } catch {
    return '(no log)';
  }
}

function logTail(log: string): string {
  return log.trimEnd().split('\n').slice(-20).join('\n');
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
