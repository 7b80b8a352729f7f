/**
 * The worker and API child processes, their memory, and cleanup of everything the benchmark
 * started (children by their own pid, never by name).
 */
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { HttpClient } from './http.js';
import { waitUntil } from './load.js';

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Memory {
  /** resident set size now, KiB */
  rssKiB: number;
  /** peak resident set size, KiB */
  hwmKiB: number;
}

/** VmRSS and VmHWM of a process from /proc (Linux), or undefined when it is gone. */
export function readMemory(pid: number): Memory | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rssKiB: field('VmRSS'), hwmKiB: field('VmHWM') };
  } catch {
    return undefined;
  }
}

let ticksPerSecond: number | undefined;
/** The unit of /proc/<pid>/stat's times (CLK_TCK). */
export function clockTicksPerSecond(): number {
  ticksPerSecond ??= (() => {
    try {
      return Number(execSync('getconf CLK_TCK', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim()) || 100;
    } catch {
      return 100;
    }
  })();
  return ticksPerSecond;
}

/** CPU time (user + system) a process has used so far, in seconds, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number | undefined {
  const ticksPerSecond = clockTicksPerSecond();
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

/** The median of three readings half a second apart (a single reading catches GC mid-flight). */
export async function settledMemory(pid: number): Promise<Memory | undefined> {
  const readings: Memory[] = [];
  for (let i = 0; i < 3; i++) {
    const m = readMemory(pid);
    if (m) readings.push(m);
    if (i < 2) await sleep(500);
  }
  if (!readings.length) return undefined;
  const sorted = [...readings].sort((a, b) => a.rssKiB - b.rssKiB);
  return { rssKiB: sorted[Math.floor(sorted.length / 2)]!.rssKiB, hwmKiB: Math.max(...readings.map((r) => r.hwmKiB)) };
}

/** Pids of this user's processes whose command line contains `needle` (to find the dev server by its own temp file). */
export function pidsWithArgument(needle: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes(needle)) found.push(Number(entry));
    } catch {
      // gone
    }
  }
  return found;
}

export interface Child {
  name: string;
  pid: number;
  process: ChildProcess;
  logFile: string;
  exited: boolean;
  exitCode: number | null;
  /** API base URL (API processes only) */
  base?: string;
}

const children = new Set<Child>();

export function runningChildren(): Child[] {
  return [...children].filter((c) => !c.exited);
}

/**
 * Starts `entry` (worker/main.ts or api/server.ts) as `node --import tsx <entry>`: what `npx tsx`
 * and `npm run` end up running, without the npm and tsx wrapper processes, so the pid is the
 * process that runs the code and its VmRSS is its own.
 */
export function startChild(opts: { name: string; entry: string; root: string; env: Record<string, string>; logDir: string }): Child {
  const logFile = join(opts.logDir, `${opts.name}.log`);
  const fd = openSync(logFile, 'a');
  const proc = spawn(process.execPath, ['--import', 'tsx', opts.entry], {
    cwd: opts.root,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  if (!proc.pid) throw new Error(`could not start ${opts.name}`);
  const child: Child = { name: opts.name, pid: proc.pid, process: proc, logFile, exited: false, exitCode: null };
  proc.on('exit', (code) => {
    child.exited = true;
    child.exitCode = code;
  });
  children.add(child);
  return child;
}

/** The last lines of a child's log, for an error message. */
export function logTail(child: Child, lines = 20): string {
  try {
    return readFileSync(child.logFile, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process exited. */
export async function stopChild(child: Child, graceMs = 15_000): Promise<void> {
  if (child.exited) return;
  const exited = new Promise<void>((resolve) => child.process.once('exit', () => resolve()));
  try {
    process.kill(child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = sleep(graceMs).then(() => 'timeout' as const);
  if ((await Promise.race([exited.then(() => 'exited' as const), timer])) === 'timeout' && !child.exited) {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await Promise.race([exited, sleep(5_000)]);
  }
}

export async function stopAllChildren(): Promise<void> {
  await Promise.all(runningChildren().map((c) => stopChild(c)));
}

/** Last resort on exit: SIGKILL to every child still running (synchronous, for process.on('exit')). */
export function killAllChildrenNow(): void {
  for (const c of runningChildren()) {
    try {
      process.kill(c.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

/** Waits until the worker child polls both the workflow and the activity task queue. */
export async function waitForWorker(client: Client, namespace: string, taskQueue: string, child: Child, timeoutMs = 240_000): Promise<void> {
  const identity = `${child.pid}@${hostname()}`;
  const polling = async (taskQueueType: number) => {
    const res = await client.workflowService.describeTaskQueue({ namespace, taskQueue: { name: taskQueue, kind: 1 }, taskQueueType });
    return (res.pollers ?? []).some((p) => p.identity === identity);
  };
  const ok = await waitUntil(async () => {
    if (child.exited) throw new Error('exited');
    return (await polling(1)) && (await polling(2));
  }, timeoutMs, 500);
  if (!ok || child.exited) throw new Error(`worker ${child.name} (pid ${child.pid}) not polling after ${timeoutMs} ms${child.exited ? ` (exited ${child.exitCode})` : ''}:\n${logTail(child)}`);
}

/** Waits until the API child answers GET /health with 200. */
export async function waitForApi(child: Child, timeoutMs = 120_000): Promise<void> {
  const http = new HttpClient(child.base!, 1);
  try {
    const ok = await waitUntil(async () => {
      if (child.exited) throw new Error('exited');
      return (await http.send('GET', '/health', {}, undefined, 5_000)).status === 200;
    }, timeoutMs, 500);
    if (!ok || child.exited) throw new Error(`API ${child.name} (pid ${child.pid}) not healthy after ${timeoutMs} ms${child.exited ? ` (exited ${child.exitCode})` : ''}:\n${logTail(child)}`);
  } finally {
    http.close();
  }
}

/** CPU seconds the whole machine was busy (all cores, every process, not idle or waiting for I/O) and in total, from /proc/stat. */
export function machineCpuSeconds(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n').find((l) => l.startsWith('cpu '));
    if (!line) return undefined;
    const v = line.trim().split(/\s+/).slice(1, 9).map(Number); // user nice system idle iowait irq softirq steal
    const total = v.reduce((s, x) => s + x, 0);
    const idle = v[3]! + v[4]!;
    const tps = clockTicksPerSecond();
    return { busy: (total - idle) / tps, total: total / tps };
  } catch {
    return undefined;
  }
}
