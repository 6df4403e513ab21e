// One measurement in a process of its own, forked by bench/index.ts:
//
//   node runner.js <client> <workload> <ports> [scale]
//
// <ports> is the server's port, or for a cluster workload the seeds' ports, comma-separated.
// Opens the client, runs the workload once at a tenth of its size to warm up (JIT, buffers,
// connection), prepares it again, collects garbage, then times it. Replies to the parent over IPC
// with one RunResult (or RunFailure) and exits. Peak RSS is the whole process's, warm-up included;
// a fresh process per measurement keeps one client's heap from weighing on the next.
import { CLUSTER_CLIENTS } from './cluster-clients';
import { CLUSTER_WORKLOADS } from './cluster-workloads';
import { CLIENT_NAMES, CLIENTS, type BenchClient, type ClientName } from './clients';
import {
  type ClusterWorkloadName,
  isClusterWorkload,
  type Prepared,
  type ServerWorkloadName,
  WORKLOAD_NAMES,
  WORKLOADS,
  type WorkloadName,
} from './workloads';

export interface RunResult {
  ok: true;
  client: ClientName;
  workload: WorkloadName;
  ops: number;
  seconds: number;
  opsPerSec: number;
  /** User + system CPU time of the process during the timed part, divided by `ops`. */
  cpuMicrosPerOp: number;
  /** `process.resourceUsage().maxRSS` at the end, in MiB. */
  maxRssMiB: number;
}

export interface RunFailure {
  ok: false;
  client: string;
  workload: string;
  error: string;
}

export type RunMessage = RunResult | RunFailure;

const WARMUP_FRACTION = 0.1;

/** Opens the client, warms up on a tenth of the workload, then times a fresh preparation of it. */
async function measure(
  clientName: ClientName,
  workloadName: WorkloadName,
  ports: number[],
  scale: number,
): Promise<RunResult> {
  if (isClusterWorkload(workloadName)) {
    return measureCluster(clientName, workloadName, ports, scale);
  }
  const port = ports[0] as number;
  const factory = CLIENTS[clientName];
  const workload = WORKLOADS[workloadName];
  const ops = Math.max(1, Math.round(workload.ops * scale));

  const client = await factory.open(port);
  let target: BenchClient = client;
  if (workload.poolSize !== undefined) {
    if (factory.openPool === undefined) throw new Error(`${clientName} has no pool`);
    target = await factory.openPool(port, workload.poolSize);
  }
  try {
    return await timed(clientName, workloadName, ops, (n) => workload.prepare(client, target, n));
  } finally {
    if (target !== client) await target.close();
    await client.close();
  }
}

async function measureCluster(
  clientName: ClientName,
  workloadName: ClusterWorkloadName,
  seeds: number[],
  scale: number,
): Promise<RunResult> {
  const factory = CLUSTER_CLIENTS[clientName];
  if (factory === undefined) throw new Error(`${clientName} has no cluster client`);
  const workload = CLUSTER_WORKLOADS[workloadName];
  const ops = Math.max(1, Math.round(workload.ops * scale));
  const cluster = await factory.open(seeds);
  try {
    return await timed(clientName, workloadName, ops, (n) => workload.prepare(cluster, n));
  } finally {
    await cluster.close();
  }
}

/** Warm-up on a tenth of `ops`, then the timed run of a fresh preparation of `ops`. */
async function timed(
  client: ClientName,
  workload: ServerWorkloadName | ClusterWorkloadName,
  ops: number,
  prepare: (ops: number) => Promise<Prepared>,
): Promise<RunResult> {
  const warmup = await prepare(Math.ceil(ops * WARMUP_FRACTION));
  await warmup.run();
  await warmup.dispose?.();

  const prepared = await prepare(ops);
  // Leave the warm-up's and the preparation's garbage out of the timed part.
  globalThis.gc?.();
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  await prepared.run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  await prepared.dispose?.();

  return {
    ok: true,
    client,
    workload,
    ops,
    seconds,
    opsPerSec: ops / seconds,
    cpuMicrosPerOp: (cpu.user + cpu.system) / ops,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

function parseArgs(argv: string[]): [ClientName, WorkloadName, number[], number] {
  const [client, workload, ports, scale = '1'] = argv;
  if (!CLIENT_NAMES.includes(client as ClientName)) throw new Error(`unknown client ${client}`);
  if (!WORKLOAD_NAMES.includes(workload as WorkloadName)) {
    throw new Error(`unknown workload ${workload}`);
  }
  if (!/^\d+(,\d+)*$/.test(ports ?? '')) throw new Error(`bad ports ${ports}`);
  if (!(Number(scale) > 0)) throw new Error(`bad scale ${scale}`);
  const list = (ports as string).split(',').map(Number);
  return [client as ClientName, workload as WorkloadName, list, Number(scale)];
}

function reply(message: RunMessage, exitCode: number): void {
  const exit = () => process.exit(exitCode);
  // Exit even if a client left a socket or timer behind: the measurement is over.
  if (process.send) process.send(message, undefined, undefined, exit);
  else {
    console.log(JSON.stringify(message));
    exit();
  }
}

async function main(): Promise<void> {
  // An interrupted benchmark must not leave a client retrying against a server that is gone.
  process.on('disconnect', () => process.exit(2));
  const argv = process.argv.slice(2);
  try {
    const [client, workload, ports, scale] = parseArgs(argv);
    reply(await measure(client, workload, ports, scale), 0);
  } catch (err) {
    reply({ ok: false, client: argv[0] ?? '?', workload: argv[1] ?? '?', error: describe(err) }, 1);
  }
}

/** The error's class, message and stack: some clients throw errors with an empty message. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const name =
    err.constructor.name === err.name ? err.name : `${err.name} [${err.constructor.name}]`;
  const where = (err.stack ?? '').split('\n').slice(1).join('\n');
  return `${name}: ${err.message || '(no message)'}\n${where}`;
}

void main();
