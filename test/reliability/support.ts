/**
 * Plumbing of the reliability suites: a real Temporal dev server (SQLite file, fixed port so a
 * restarted server is found again at the same address), workers and API servers as separate OS
 * processes that can be SIGKILLed, real HTTP with fetch, tokens, and the figures each suite prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Role } from '../../domain/roles.js';
import type { Agency } from '../../platform/agencies.js';
import { DEV_SERVER_EXTRA_ARGS } from '../../platform/dev-server.js';
import { SA } from '../../platform/search-attributes.js';
import { temporalCli } from '../../platform/temporal-binaries.js';
import { mintToken } from '../../platform/tokens.js';
import { bundleWorkflows } from '../../worker/worker.js';
import { fileRecords, quietRuntime, testConfig } from '../helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX_LOADER = 'tsx';

/** The JWT secret every process of these suites shares (NODE_ENV=test: the development default). */
export const JWT_SECRET = testConfig('unused').JWT_SECRET;
export const WEBHOOK_SECRET = testConfig('unused').WEBHOOK_SECRET;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The Temporal dev server on a SQLite file; a fixed port lets processes find it again after a restart. */
export async function startDevServer(options: { dbFilename?: string; port?: number } = {}): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: temporalCli(),
      ip: '127.0.0.1',
      port: options.port,
      dbFilename: options.dbFilename,
      searchAttributes: Object.values(SA),
      log: { format: 'json', level: 'error' },
      extraArgs: DEV_SERVER_EXTRA_ARGS,
    },
  });
}

/** Bundles the workflow code once and writes it where worker processes load it from. */
export async function writeWorkflowBundle(dir: string): Promise<string> {
  const bundle = await bundleWorkflows();
  const path = join(dir, 'workflow-bundle.js');
  writeFileSync(path, bundle.code);
  return path;
}

/** An agency directory file for processes (the test agencies of helpers.ts, webhooks as given). */
export function writeAgenciesFile(dir: string, agencies: Agency[]): string {
  const path = join(dir, `agencies-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(agencies));
  return path;
}

export interface ChildHandle {
  pid: number;
  process: ChildProcess;
  /** Output so far, for a failing test's message. */
  output(): string;
  /** SIGKILL, and wait until the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  exited: Promise<number | null>;
}

async function spawnTs(entry: string, env: Record<string, string>, readyLine: RegExp | null): Promise<ChildHandle> {
  // The file's records database, as production passes it: DATABASE_URL.
  const records = await fileRecords();
  const child = spawn(process.execPath, ['--import', TSX_LOADER, entry], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'error', ...(records ? { DATABASE_URL: records.url } : {}), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const handle: ChildHandle = {
    pid: child.pid!,
    process: child,
    output: () => out,
    exited,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not start within 60 s:\n${out}`)), 60_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (readyLine && readyLine.test(out)) {
        clearTimeout(timer);
        resolve(handle);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code} before it was ready:\n${out}`));
    });
    if (!readyLine) {
      clearTimeout(timer);
      resolve(handle);
    }
  });
}

/** A worker process (test/reliability/worker-process.ts → the product's createWorker). */
export function spawnWorker(env: { address: string; taskQueue: string; bundlePath: string; agenciesFile?: string; compressDeadlines?: string }): Promise<ChildHandle> {
  return spawnTs(
    'test/reliability/worker-process.ts',
    {
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_TASK_QUEUE: env.taskQueue,
      WORKFLOW_BUNDLE_PATH: env.bundlePath,
      ...(env.agenciesFile ? { AGENCIES_FILE: env.agenciesFile } : {}),
      ...(env.compressDeadlines ? { COMPRESS_DEADLINES: env.compressDeadlines } : {}),
    },
    /worker-ready/,
  );
}

/** The product's API process (`npm run api` = api/server.ts) on a port; resolves once /health answers. */
export async function spawnApi(env: { address: string; taskQueue: string; port: number; agenciesFile?: string }): Promise<ChildHandle> {
  const child = await spawnTs(
    'api/server.ts',
    {
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_TASK_QUEUE: env.taskQueue,
      API_HOST: '127.0.0.1',
      API_PORT: String(env.port),
      ...(env.agenciesFile ? { AGENCIES_FILE: env.agenciesFile } : {}),
    },
    null,
  );
  const started = Date.now();
  for (;;) {
    if (child.process.exitCode !== null) throw new Error(`api exited:\n${child.output()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${env.port}/health`);
      if (res.status === 200) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 60_000) throw new Error(`api did not answer /health within 60 s:\n${child.output()}`);
    await sleep(100);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `check` stops throwing (or returns true). */
export async function eventually<T>(check: () => Promise<T> | T, { timeout = 30_000, interval = 200 } = {}): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      const value = await check();
      if (value !== false) return value;
      throw new Error('condition false');
    } catch (err) {
      if (Date.now() - started > timeout) throw err;
    }
    await sleep(interval);
  }
}

/** A bearer header for a role of an agency (or none). */
export function tokenHeader(role: Role, agencyId = 'county-market', secret = JWT_SECRET, expiresIn?: string): Record<string, string> {
  return { authorization: `Bearer ${mintToken({ secret, role, agencyId: role === 'office' ? undefined : agencyId, name: `测试${role}`, expiresIn })}` };
}

/** Percentiles of a list of durations (ms). */
export function percentiles(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0);
  return { p50: Math.round(at(50)), p95: Math.round(at(95)), p99: Math.round(at(99)), max: Math.round(sorted.at(-1) ?? 0) };
}

/** Counts of each value, e.g. HTTP statuses. */
export function histogram(values: Array<string | number>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[String(v)] = (counts[String(v)] ?? 0) + 1;
  return counts;
}

/** Runs `tasks` with at most `concurrency` in flight (the "concurrent clients"). */
export async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

/** Prints a suite's figures so CI logs keep them. */
export function printFigures(title: string, figures: Record<string, unknown>) {
  console.log(`\n[reliability] ${title}\n${JSON.stringify(figures, null, 2)}`);
}

/** Today's date in Asia/Shanghai. */
export function shanghaiToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}
