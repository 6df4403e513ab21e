// The benchmark of issues 7 and 13: redmux against ioredis (plain and with enableAutoPipelining)
// and node-redis, on one redis-server of its own and, for the cluster workloads, a cluster of its
// own (3 masters, 3 replicas), in one run. See bench/README.md.
//
//   npm run bench                                  # every workload, every client, 3 rounds
//   npm run bench -- --only seq,conc100 --clients redmux,ioredis --rounds 5 --json out.json
//
// Every measurement is a fresh child process (bench/runner.ts) and the clients take turns within
// each round (A B C A B C …), so a slow drift of the machine spreads over all of them. Progress
// goes to stderr, the report (machine, tables, ceiling) to stdout.
import { execFile, fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { startCluster, type TestCluster } from '../test/helpers/cluster';
import { redisServerBinary, startRedis } from '../test/helpers/redis-server';
import { build } from './build';
import { CLIENT_NAMES, CLIENTS, redmuxCreateRedisPool, type ClientName } from './clients';
import { CLUSTER_CLIENTS } from './cluster-clients';
import { resultsTable, targetsTable, type Cell } from './report';
import type { RunFailure, RunMessage } from './runner';
import { isClusterWorkload, WORKLOAD_NAMES, WORKLOADS, type WorkloadName } from './workloads';

const execFileAsync = promisify(execFile);

/** A child that has not answered after this long is killed and counted as a failure. */
const CHILD_TIMEOUT_MS = 180_000;
const POOL_PENDING = 'pending: createRedisPool (issue 5)';

const USAGE = `Usage: npm run bench -- [options]

  --rounds N           rounds of every client on every workload (default 3); medians are reported
  --only W1,W2         workloads to run (default all): ${WORKLOAD_NAMES.join(', ')}
  --clients C1,C2      clients to run (default all): ${CLIENT_NAMES.join(', ')}
  --json FILE          also write every measurement and the summary to FILE
  --scale F            multiply every workload's size by F (e.g. 0.1 for a smoke test; not for results)
  --cpu-prof DIR       write a V8 CPU profile of every child to DIR (node --cpu-prof)
  --help               this text`;

interface Options {
  rounds: number;
  workloads: WorkloadName[];
  clients: ClientName[];
  json: string | undefined;
  scale: number;
  cpuProfDir: string | undefined;
}

function parseList<T extends string>(what: string, text: string, allowed: readonly T[]): T[] {
  const names = text.split(',').filter(Boolean);
  for (const name of names) {
    if (!allowed.includes(name as T)) {
      throw new Error(`unknown ${what} "${name}" (one of: ${allowed.join(', ')})`);
    }
  }
  if (names.length === 0) throw new Error(`--${what}s needs at least one name`);
  // Keep the canonical order, whatever order they were given in.
  return allowed.filter((name) => names.includes(name));
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    rounds: 3,
    workloads: [...WORKLOAD_NAMES],
    clients: [...CLIENT_NAMES],
    json: undefined,
    scale: 1,
    cpuProfDir: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new Error(`unexpected argument "${arg}"\n\n${USAGE}`);
    const name = match[1] as string;
    const value = match[2] ?? argv[++i];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    switch (name) {
      case 'rounds':
        options.rounds = Number(value);
        if (!Number.isInteger(options.rounds) || options.rounds < 1) {
          throw new Error(`--rounds must be a positive integer, got "${value}"`);
        }
        break;
      case 'only':
        options.workloads = parseList('workload', value, WORKLOAD_NAMES);
        break;
      case 'clients':
        options.clients = parseList('client', value, CLIENT_NAMES);
        break;
      case 'json':
        options.json = path.resolve(value);
        break;
      case 'scale':
        options.scale = Number(value);
        if (!(options.scale > 0)) throw new Error(`--scale must be > 0, got "${value}"`);
        break;
      case 'cpu-prof':
        options.cpuProfDir = path.resolve(value);
        break;
      default:
        throw new Error(`unknown option --${name}\n\n${USAGE}`);
    }
  }
  return options;
}

/** Why a client does not run a workload, or undefined when it does. */
function skipReason(
  workload: WorkloadName,
  client: ClientName,
  redmuxHasPool: boolean,
): string | undefined {
  if (isClusterWorkload(workload)) {
    return CLUSTER_CLIENTS[client] === undefined
      ? `n/a: ${client} (redmux's is createCluster)`
      : undefined;
  }
  if (WORKLOADS[workload].poolSize === undefined) return undefined;
  // Peers compared with each other, or a redmux pool with nothing, would not answer anything.
  if (!redmuxHasPool) return POOL_PENDING;
  if (CLIENTS[client].openPool === undefined) return `n/a: ${client} has no pool`;
  return undefined;
}

interface Child {
  runner: string;
  client: ClientName;
  workload: WorkloadName;
  /** The server's port, or the cluster's seeds for a cluster workload. */
  ports: number[];
  scale: number;
  round: number;
  cpuProfDir: string | undefined;
}

/** Forks one measurement and resolves with its answer; a crash or a timeout becomes a failure. */
function runChild(child: Child): Promise<RunMessage> {
  const { client, workload, round } = child;
  const execArgv = ['--expose-gc'];
  if (child.cpuProfDir !== undefined) {
    execArgv.push(
      '--cpu-prof',
      `--cpu-prof-dir=${child.cpuProfDir}`,
      `--cpu-prof-name=${workload}-${client}-round${round}.cpuprofile`,
    );
  }
  const args = [client, workload, child.ports.join(','), String(child.scale)];
  return new Promise((resolve) => {
    const proc = fork(child.runner, args, {
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let answer: RunMessage | undefined;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      proc.kill('SIGKILL');
    }, CHILD_TIMEOUT_MS);
    proc.on('message', (message) => {
      answer = message as RunMessage;
    });
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (answer !== undefined) return resolve(answer);
      const how = timedOut
        ? `timed out after ${CHILD_TIMEOUT_MS / 1000} s`
        : `exited with ${signal ?? `code ${code}`} without a result`;
      resolve({ ok: false, client, workload, error: how });
    });
  });
}

async function machineDescription(): Promise<string[]> {
  const cpus = os.cpus();
  const { stdout } = await execFileAsync(redisServerBinary(), ['--version']);
  const redisVersion = /v=(\S+)/.exec(stdout)?.[1] ?? stdout.trim();
  const version = (dir: string) =>
    (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string })
      .version;
  const root = path.resolve(__dirname, '..');
  const modules = path.join(root, 'node_modules');
  return [
    `Machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ` +
      `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()} ${os.arch()}`,
    `Node ${process.version}; redis-server ${redisVersion} on loopback TCP, no persistence`,
    `Clients: redmux ${version(root)} (this checkout), ` +
      `ioredis ${version(path.join(modules, 'ioredis'))}, ` +
      `node-redis (redis) ${version(path.join(modules, 'redis'))}`,
  ];
}

/**
 * What the server itself can do, measured by redis-benchmark (C) on the same server: pipelined
 * GET/SET over 50 connections (throughput), and one GET at a time on one connection (the round
 * trip that bounds seq). Or why it was not run.
 */
async function ceiling(port: number): Promise<string[]> {
  const onPath = (process.env.PATH ?? '')
    .split(path.delimiter)
    .some((dir) => dir !== '' && fs.existsSync(path.join(dir, 'redis-benchmark')));
  if (!onPath)
    return [`Ceiling: not measured (redis-benchmark is not on PATH; it is in redis-tools).`];
  const runs = [
    {
      args: ['-p', String(port), '-P', '16', '-q', '-t', 'get,set', '-n', '200000'],
      what: '50 connections, 16 commands per pipeline',
    },
    {
      args: ['-p', String(port), '-c', '1', '-P', '1', '-q', '-t', 'get', '-n', '20000'],
      what: 'one connection, one command at a time, as in seq',
    },
  ];
  const lines: string[] = [];
  for (const { args, what } of runs) {
    const command = `redis-benchmark ${args.join(' ')}`;
    try {
      const { stdout } = await execFileAsync('redis-benchmark', args);
      // -q still redraws a progress line with \r before each final line.
      lines.push(
        `Ceiling: \`${command}\` (${what}):`,
        ...stdout
          .split(/[\r\n]+/)
          .filter((line) => /requests per second/.test(line))
          .map((line) => `  ${line.trim()}`),
      );
    } catch (err) {
      lines.push(`Ceiling: \`${command}\` failed: ${(err as Error).message}`);
    }
  }
  return lines;
}

function formatDuration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes} min ${Math.round(seconds % 60)} s` : `${seconds.toFixed(1)} s`;
}

async function main(): Promise<number> {
  const started = process.hrtime.bigint();
  // Other work on the machine is the main source of noise; say so in the report.
  const loadBefore = os.loadavg()[0] ?? 0;
  const options = parseOptions(process.argv.slice(2));
  const compiled = build();
  const server = await startRedis();
  // Only when a cluster workload runs: six more redis-servers, about 2 s to start.
  let cluster: TestCluster | undefined;
  const redmuxHasPool = (await redmuxCreateRedisPool()) !== undefined;
  const grid = new Map<WorkloadName, Map<ClientName, Cell>>();
  const measurements: Array<RunMessage & { round: number }> = [];
  const failures: Array<RunFailure & { round: number }> = [];
  try {
    if (options.workloads.some(isClusterWorkload)) cluster = await startCluster();
    const seeds = cluster?.seeds.map(([, port]) => port) ?? [];
    for (const workload of options.workloads) {
      const cells = new Map<ClientName, Cell>();
      for (const client of options.clients) {
        const reason = skipReason(workload, client, redmuxHasPool);
        cells.set(client, reason ? { kind: 'skipped', reason } : { kind: 'measured', runs: [] });
      }
      grid.set(workload, cells);
    }

    for (let round = 1; round <= options.rounds; round++) {
      for (const [workload, cells] of grid) {
        for (const [client, cell] of cells) {
          if (cell.kind === 'skipped') continue;
          const childStarted = Date.now();
          const result = await runChild({
            runner: compiled.runner,
            client,
            workload,
            ports: isClusterWorkload(workload) ? seeds : [server.port],
            scale: options.scale,
            round,
            cpuProfDir: options.cpuProfDir,
          });
          const childSeconds = (Date.now() - childStarted) / 1000;
          measurements.push({ ...result, round });
          const label = `[round ${round}/${options.rounds}] ${workload.padEnd(8)} ${client.padEnd(12)}`;
          if (result.ok) {
            cell.runs.push(result);
            console.error(
              `${label} ${Math.round(result.opsPerSec).toLocaleString('en-US').padStart(10)} ops/s ` +
                `${result.cpuMicrosPerOp.toFixed(2).padStart(7)} µs/op CPU ` +
                `${Math.round(result.maxRssMiB).toString().padStart(5)} MiB ` +
                `(timed ${result.seconds.toFixed(2)} s of ${childSeconds.toFixed(1)} s)`,
            );
          } else {
            failures.push({ ...result, round });
            const runs = cell.runs;
            const failed = cell.kind === 'failed' ? cell.failures : [];
            cells.set(client, { kind: 'failed', runs, failures: [...failed, result] });
            console.error(`${label} FAILED: ${result.error.split('\n')[0]}`);
          }
        }
      }
    }

    const machine = await machineDescription();
    const ceilingLines = await ceiling(server.port);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;

    const report = [
      `## redmux benchmark`,
      '',
      ...machine.map((line) => `${line}  `),
      `Load average before the run: ${loadBefore.toFixed(2)}` +
        (loadBefore > 0.5 ? ' (other processes were busy: expect noisy numbers)  ' : '  '),
      `${options.rounds} round${options.rounds === 1 ? '' : 's'}, each client on each workload in a fresh process, interleaved; ` +
        `medians over the rounds${options.scale !== 1 ? `; SCALED ×${options.scale}, not comparable` : ''}.`,
      '',
      resultsTable(grid),
      '',
      ...ceilingLines,
      '',
      'Targets of issues 7 and 13 (this run):',
      '',
      targetsTable(grid),
      '',
      `Total time: ${formatDuration(seconds)}`,
    ];
    for (const failure of failures) {
      report.push('', `FAILED ${failure.workload} / ${failure.client} (round ${failure.round}):`);
      report.push(failure.error);
    }
    console.log(report.join('\n'));

    if (options.json !== undefined) {
      const summary = [...grid].map(([workload, cells]) => ({
        workload,
        clients: Object.fromEntries(cells),
      }));
      const json = {
        machine,
        loadBefore,
        options: { ...options, json: undefined },
        measurements,
        summary,
        ceiling: ceilingLines,
        totalSeconds: seconds,
      };
      fs.writeFileSync(options.json, `${JSON.stringify(json, null, 2)}\n`);
      console.error(`wrote ${options.json}`);
    }
    return failures.length > 0 ? 1 : 0;
  } finally {
    await cluster?.stop();
    await server.stop();
    compiled.remove();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exitCode = 1;
  },
);
