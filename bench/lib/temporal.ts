/** The embedded Temporal dev server of the benchmark, and the SDK runtime of its own process. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import type { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { SA } from '../../platform/search-attributes.js';
import { temporalCli } from '../../platform/temporal-binaries.js';
import { DEV_SERVER_EXTRA_ARGS } from '../../platform/dev-server.js';

/**
 * The SDK's runtime in the benchmark process: errors only, and no signal handlers of its own (the
 * benchmark stops its children and servers itself on SIGINT/SIGTERM).
 */
export function installQuietRuntime() {
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    shutdownSignals: [],
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } },
  });
}

export interface DevServer {
  env: TestWorkflowEnvironment;
  address: string;
  dataDir: string;
  dbFilename: string;
  stop(): Promise<void>;
}

/**
 * A Temporal dev server on 127.0.0.1 with a SQLite file in a fresh temp dir and the project's search
 * attributes, found as `npm start` and the tests find it (platform/temporal-binaries.ts).
 */
export async function startDevServer(): Promise<DevServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'es-bench-'));
  const dbFilename = join(dataDir, 'temporal.sqlite');
  let env: TestWorkflowEnvironment;
  try {
    env = await TestWorkflowEnvironment.createLocal({
      server: { executable: temporalCli(), ip: '127.0.0.1', searchAttributes: Object.values(SA), dbFilename, log: { format: 'json', level: 'error' }, extraArgs: DEV_SERVER_EXTRA_ARGS },
    });
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  let stopped = false;
  return {
    env,
    address: env.address,
    dataDir,
    dbFilename,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await env.teardown();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/** Registers the project's search attributes (what test/helpers.ts does for the time-skipping server). */
export async function registerSearchAttributes(connection: Connection, namespace = 'default') {
  const indexed: Record<string, number> = { TEXT: 1, KEYWORD: 2, INT: 3, DOUBLE: 4, BOOL: 5, DATETIME: 6, KEYWORD_LIST: 7 };
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(Object.values(SA).map((key) => [key.name, indexed[key.type] ?? 2])),
  });
}

/**
 * The worker's workflow cache size when nothing sets it: what @temporalio/worker 1.24 computes from
 * the V8 heap limit (reuseV8Context on). The children run with this process's Node and flags.
 */
export function defaultMaxCachedWorkflows(): number {
  const heapMiB = getHeapStatistics().heap_size_limit / 2 ** 20;
  return Math.max(Math.floor((Math.max(heapMiB - 200, 0) * 600) / 1024), 10);
}
