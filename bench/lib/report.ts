/** The results: one row per figure (with its unit and sample size), printed and written as JSON and Markdown. */
import { execSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, release, platform } from 'node:os';
import { join } from 'node:path';

export interface Row {
  scenario: string;
  metric: string;
  value: number | string | null;
  unit: string;
  /** the sample size, with its own unit ("2000 requests") */
  sample: string;
  goal?: string;
  met?: boolean | null;
  note?: string;
}

export interface Machine {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  os: string;
  temporalCli: string | null;
  temporalTestServer: string | null;
  gitCommit: string | null;
  gitDirty: boolean | null;
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
}

export function machine(root: string): Machine {
  const read = (file: string) => {
    try {
      return readFileSync(join(root, '.temporal', 'bin', file), 'utf8').trim();
    } catch {
      return null;
    }
  };
  const git = (args: string) => {
    try {
      return execSync(`git ${args}`, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    } catch {
      return null;
    }
  };
  const status = git('status --porcelain');
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${platform()} ${release()}`,
    temporalCli: read('temporal.version'),
    temporalTestServer: read('temporal-test-server.version'),
    gitCommit: git('rev-parse --short HEAD'),
    gitDirty: status === null ? null : status.length > 0,
    loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export function fmt(value: number | string | null, unit = ''): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return '—';
  if (Number.isInteger(value) && unit !== '×') return value.toLocaleString('en-US');
  if (unit === '×' || Math.abs(value) < 10) return value.toFixed(2);
  if (Math.abs(value) < 100) return value.toFixed(1);
  return Math.round(value).toLocaleString('en-US');
}

const metText = (met: boolean | null | undefined) => (met === undefined ? '' : met === null ? 'n/a' : met ? 'MET' : 'NOT MET');

function columns(rows: Row[]): string[][] {
  return rows.map((r) => [r.scenario, r.metric, fmt(r.value, r.unit), r.unit, r.sample, r.goal ?? '', metText(r.met), r.note ?? '']);
}

const HEADER = ['scenario', 'metric', 'value', 'unit', 'sample size', 'goal', 'goal met', 'note'];

/** A fixed-width table for the terminal. */
export function textTable(rows: Row[]): string {
  const body = columns(rows);
  const widths = HEADER.map((h, i) => Math.max(width(h), ...body.map((r) => width(r[i]!))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 2 ? c.padStart(widths[i]! - (width(c) - c.length)) : c + ' '.repeat(widths[i]! - width(c))))
      .join('  ')
      .trimEnd();
  return [line(HEADER), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** Display width: CJK characters take two columns. */
function width(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

export interface Report {
  title: string;
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  machine: Machine;
  parameters: Record<string, unknown>;
  rows: Row[];
  notes: string[];
  failures: Array<{ scenario: string; error: string }>;
  details: Record<string, unknown>;
}

export function markdown(report: Report): string {
  const m = report.machine;
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `# ${report.title}`,
    '',
    `Run ${report.startedAt} → ${report.finishedAt} (${Math.round(report.durationSeconds)} s).`,
    '',
    `**Machine:** ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB memory, Node ${m.node}, ${m.os}; Temporal CLI ${m.temporalCli ?? '?'}, test server ${m.temporalTestServer ?? '?'}; ` +
      `commit ${m.gitCommit ?? '?'}${m.gitDirty ? ' (work tree had uncommitted changes)' : ''}; load average (1/5/15 min) at start ${m.loadAverageAtStart.join(' / ')}, at end ${m.loadAverageAtEnd?.join(' / ') ?? '?'}.`,
    '',
    `**Parameters:** ${Object.entries(report.parameters)
      .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join(', ')}`,
    '',
    `| ${HEADER.join(' | ')} |`,
    `|${HEADER.map((_, i) => (i === 2 ? '---:' : '---')).join('|')}|`,
    ...columns(report.rows).map((r) => `| ${r.map(esc).join(' | ')} |`),
    '',
    ...(report.failures.length ? ['## Failures', '', ...report.failures.map((f) => `- **${f.scenario}**: ${esc(f.error)}`), ''] : []),
    '## Notes',
    '',
    ...report.notes.map((n) => `- ${n}`),
    '',
  ].join('\n');
}

/** Writes latest.json, latest.md and a dated copy of each under `dir`. */
export function writeReport(dir: string, report: Report): string[] {
  mkdirSync(dir, { recursive: true });
  const stamp = report.startedAt.replace(/[:]/g, '-').replace(/\.\d+Z$/, 'Z');
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const md = markdown(report);
  const files = [join(dir, 'latest.json'), join(dir, 'latest.md'), join(dir, `${stamp}.json`), join(dir, `${stamp}.md`)];
  writeFileSync(files[0]!, json);
  writeFileSync(files[1]!, md);
  writeFileSync(files[2]!, json);
  writeFileSync(files[3]!, md);
  return files;
}
