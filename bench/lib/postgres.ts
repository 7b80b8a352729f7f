/**
 * The benchmark's records database: a real PostgreSQL server of its own (platform/records/postgres-server.ts,
 * a fresh cluster in a temp dir under the system's temporary folder, loopback only), or DATABASE_URL
 * when set (a loopback address only, like TEMPORAL_ADDRESS). The CPU the server's processes use is read
 * from /proc: the postmaster's own time, the time of its children that exited (cutime + cstime), and the
 * time of the backends and helpers still running.
 */
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startPostgresServer, type PostgresServer } from '../../platform/records/postgres-server.js';
import { clockTicksPerSecond, freePort } from './processes.js';

export interface BenchPostgres {
  /** DATABASE_URL for the worker and API processes. */
  url: string;
  /** The postmaster's pid (the embedded server only). */
  postmasterPid?: number;
  /** true when DATABASE_URL came from the environment */
  external: boolean;
  /** Stops the embedded server and removes its folder (nothing for an external one). */
  stop(): Promise<void>;
}

function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\./.test(h);
}

/**
 * DATABASE_URL from the environment (loopback only), or a fresh embedded server with a database
 * `database` created on it. `logFile` receives the embedded server's output.
 */
export async function startBenchPostgres(options: { database: string; logFile?: string }): Promise<BenchPostgres> {
  const given = process.env.DATABASE_URL?.trim();
  if (given) {
    let host: string;
    try {
      host = new URL(given).hostname;
    } catch {
      throw new Error('DATABASE_URL is not a URL');
    }
    if (!/^postgres(ql)?:$/.test(new URL(given).protocol)) throw new Error('DATABASE_URL must be a postgres:// URL');
    if (!isLoopbackHost(host)) throw new Error(`DATABASE_URL must be on a loopback address for the benchmark, not ${host}`);
    return { url: given, external: true, stop: async () => undefined };
  }
  // Under the system's temporary folder: the server's user (postgres, when the benchmark runs as root) must reach it.
  const dataDir = mkdtempSync(join(tmpdir(), 'es-bench-pg-'));
  let server: PostgresServer;
  try {
    server = await startPostgresServer({
      dataDir,
      port: await freePort(),
      log: options.logFile
        ? (line) => {
            try {
              appendFileSync(options.logFile!, line);
            } catch {
              // the log folder is gone (the run is ending): the line is dropped
            }
          }
        : undefined,
    });
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      await server.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
  try {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${options.database}`);
    } finally {
      await admin.end();
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const postmasterPid = Number(readFileSync(join(dataDir, 'cluster', 'postmaster.pid'), 'utf8').split('\n')[0]) || undefined;
  return { url: server.urlOf(options.database), postmasterPid, external: false, stop };
}

/** utime, stime, cutime, cstime (in ticks) and the parent pid of a process, or undefined when it is gone. */
function statOf(pid: number): { ppid: number; own: number; reaped: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
    return { ppid: Number(f[1]), own: Number(f[11]) + Number(f[12]), reaped: Number(f[13]) + Number(f[14]) };
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds used so far by a PostgreSQL server: the postmaster, every child it reaped (backends of
 * closed connections, finished workers) and every child still running. Undefined when the postmaster is gone.
 */
export function postgresCpuSeconds(postmasterPid: number): number | undefined {
  const master = statOf(postmasterPid);
  if (!master) return undefined;
  let ticks = master.own + master.reaped;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = statOf(Number(entry));
    if (s && s.ppid === postmasterPid) ticks += s.own;
  }
  return ticks / clockTicksPerSecond();
}
