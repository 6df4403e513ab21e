// Turns the measurements of every round into the Markdown tables the benchmark prints.
import { type ClientName, OWN_VARIANTS } from './clients';
import type { RunFailure, RunResult } from './runner';
import type { WorkloadName } from './workloads';

/** What the rounds gave for one client on one workload. */
export type Cell =
  | { kind: 'measured'; runs: RunResult[] }
  | { kind: 'failed'; runs: RunResult[]; failures: RunFailure[] }
  /** Not run, with the reason: the row or the client does not apply (yet). */
  | { kind: 'skipped'; reason: string };

export interface Summary {
  opsPerSec: number;
  /** (max − min) / 2 / median of ops/s over the rounds, as a fraction. */
  spread: number;
  maxRssMiB: number;
  cpuMicrosPerOp: number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function summarize(runs: RunResult[]): Summary {
  const ops = runs.map((run) => run.opsPerSec);
  const opsPerSec = median(ops);
  return {
    opsPerSec,
    spread: (Math.max(...ops) - Math.min(...ops)) / 2 / opsPerSec,
    maxRssMiB: median(runs.map((run) => run.maxRssMiB)),
    cpuMicrosPerOp: median(runs.map((run) => run.cpuMicrosPerOp)),
  };
}

const BASELINE: ClientName = 'redmux';

/**
 * Issue 7's targets, and issue 13's for the cluster: redmux's ops/s ÷ the peer's (or RSS ÷ RSS
 * for mem) must reach `ratio`.
 */
const TARGETS: Partial<Record<WorkloadName, { ratio: number; against: 'best' | ClientName }>> = {
  seq: { ratio: 1.1, against: 'ioredis' },
  conc100: { ratio: 1.5, against: 'best' },
  burst: { ratio: 2, against: 'best' },
  big: { ratio: 1.2, against: 'best' },
  lrange: { ratio: 1.5, against: 'best' },
  pubsub: { ratio: 1.5, against: 'best' },
  mem: { ratio: 0.8, against: 'best' },
  cluster: { ratio: 1.5, against: 'best' },
  clusterpipe: { ratio: 1.5, against: 'best' },
};

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ratio = (n: number) => `${n.toFixed(2)}×`;
const micros = (n: number) => n.toFixed(n < 10 ? 2 : 1);

/** A Markdown table with padded columns; `right` marks the right-aligned (numeric) columns. */
export function markdownTable(header: string[], rows: string[][], right: boolean[]): string {
  const widths = header.map((title, i) =>
    Math.max(3, title.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `| ${cells
      .map((cell, i) => (right[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (right[i] ? '-'.repeat(w - 1) + ':' : '-'.repeat(w))).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

type Grid = Map<WorkloadName, Map<ClientName, Cell>>;

/** The main table: one row per workload and client. */
export function resultsTable(grid: Grid): string {
  const header = [
    'workload',
    'client',
    'ops/s (median)',
    'spread',
    'redmux ÷ client',
    'peak RSS MiB',
    'RSS redmux ÷ client',
    'CPU µs/op',
  ];
  const rows: string[][] = [];
  for (const [workload, cells] of grid) {
    const baselineCell = cells.get(BASELINE);
    const baseline = baselineCell?.kind === 'measured' ? summarize(baselineCell.runs) : undefined;
    const allSkipped = [...cells.values()].every((cell) => cell.kind === 'skipped');
    const reasons = new Set([...cells.values()].map((c) => (c.kind === 'skipped' ? c.reason : '')));
    if (allSkipped && reasons.size === 1) {
      rows.push([workload, 'all', [...reasons][0] as string, '', '', '', '', '']);
      continue;
    }
    for (const [client, cell] of cells) {
      if (cell.kind === 'skipped') {
        rows.push([workload, client, cell.reason, '', '', '', '', '']);
        continue;
      }
      if (cell.kind === 'failed') {
        const what = `FAILED in ${cell.failures.length} of ${cell.failures.length + cell.runs.length} rounds`;
        rows.push([workload, client, what, '', '', '', '', '']);
        continue;
      }
      const s = summarize(cell.runs);
      const isBaseline = client === BASELINE;
      rows.push([
        workload,
        client,
        int(s.opsPerSec),
        `±${(s.spread * 100).toFixed(0)}%`,
        isBaseline || !baseline ? '' : ratio(baseline.opsPerSec / s.opsPerSec),
        int(s.maxRssMiB),
        isBaseline || !baseline ? '' : ratio(baseline.maxRssMiB / s.maxRssMiB),
        micros(s.cpuMicrosPerOp),
      ]);
    }
  }
  return markdownTable(header, rows, [false, false, true, true, true, true, true, true]);
}

/** Issue 7's and 13's targets against this run's numbers. */
export function targetsTable(grid: Grid): string {
  const rows: string[][] = [];
  for (const [workload, target] of Object.entries(TARGETS) as Array<
    [WorkloadName, { ratio: number; against: 'best' | ClientName }]
  >) {
    const cells = grid.get(workload);
    const mine = cells?.get(BASELINE);
    if (!cells || mine?.kind !== 'measured') continue;
    const memory = workload === 'mem';
    const metric = (s: Summary) => (memory ? s.maxRssMiB : s.opsPerSec);
    const peers = [...cells]
      .filter(([client, cell]) => client !== BASELINE && cell.kind === 'measured')
      .filter(([client]) => !OWN_VARIANTS.includes(client))
      .filter(([client]) => target.against === 'best' || client === target.against)
      .map(([client, cell]) => ({
        client,
        value: metric(summarize((cell as { runs: RunResult[] }).runs)),
      }));
    if (peers.length === 0) continue;
    // The best peer: the fastest, or for memory the leanest.
    const best = peers.reduce((a, b) => ((memory ? b.value < a.value : b.value > a.value) ? b : a));
    const actual = metric(summarize(mine.runs)) / best.value;
    const met = memory ? actual <= target.ratio : actual >= target.ratio;
    const unit = memory ? 'RSS' : 'ops/s';
    rows.push([
      workload,
      `${unit} ${memory ? '≤' : '≥'} ${ratio(target.ratio)} ${target.against === 'best' ? 'best peer' : target.against}`,
      best.client,
      ratio(actual),
      met ? 'yes' : 'NO',
    ]);
  }
  const oneServer = oneServerRow(grid);
  if (oneServer !== undefined) rows.push(oneServer);
  return markdownTable(['workload', 'target', 'best peer here', 'redmux ÷ peer', 'met'], rows, [
    false,
    false,
    false,
    true,
    false,
  ]);
}

/**
 * Issue 13's other target: redmux on the cluster (3 masters) no slower than redmux on one server,
 * that is `cluster` against `conc100` (the same 100 callers doing SET then GET). Only when both ran.
 */
function oneServerRow(grid: Grid): string[] | undefined {
  const cluster = grid.get('cluster')?.get(BASELINE);
  const single = grid.get('conc100')?.get(BASELINE);
  if (cluster?.kind !== 'measured' || single?.kind !== 'measured') return undefined;
  const actual = summarize(cluster.runs).opsPerSec / summarize(single.runs).opsPerSec;
  return [
    'cluster',
    `ops/s ≥ ${ratio(1)} redmux conc100 (one server)`,
    'redmux conc100',
    ratio(actual),
    actual >= 1 ? 'yes' : 'NO',
  ];
}
