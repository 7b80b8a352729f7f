import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import Long from 'long';
import type { Config } from './config.js';
import { SA } from './search-attributes.js';
import { temporalCli } from './temporal-binaries.js';

/**
 * Dynamic config of every embedded dev server (npm start, the tests, the benchmark). The server
 * allows 10 visibility calls (list, count) per second per namespace by default and answers more
 * with ResourceExhausted, which the client retries after a backoff of a second or two. One
 * compliance overview makes some 25 counts; at the default a second request in a row stalls for
 * 2 s. A production cluster sets its own limits (`frontend.namespaceRPS.visibility`; see README).
 */
export const DEV_SERVER_EXTRA_ARGS = [
  '--dynamic-config-value',
  'frontend.namespaceRPS.visibility=500',
  '--dynamic-config-value',
  'frontend.namespaceBurstRatio.visibility=2',
];

/**
 * The embedded Temporal dev server of `npm start`: SQLite under DATA_DIR so every workflow survives
 * a restart, its web UI on TEMPORAL_UI_PORT, and the project's search attributes registered.
 */
export async function startDevServer(config: Config): Promise<TestWorkflowEnvironment> {
  mkdirSync(config.dataDir, { recursive: true });
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: temporalCli(),
      dbFilename: join(config.dataDir, 'temporal.sqlite'),
      ip: '127.0.0.1',
      port: config.TEMPORAL_DEV_SERVER_PORT,
      ui: true,
      uiPort: config.TEMPORAL_UI_PORT,
      namespace: config.TEMPORAL_NAMESPACE,
      searchAttributes: Object.values(SA),
      log: { format: 'json', level: 'warn' },
      extraArgs: DEV_SERVER_EXTRA_ARGS,
    },
  });
  // The dev server keeps a closed workflow one day; a closed case's full-process record, its
  // published decision and a named site's record must stay readable for years.
  await env.connection.workflowService.updateNamespace({
    namespace: config.TEMPORAL_NAMESPACE,
    config: { workflowExecutionRetentionTtl: { seconds: Long.fromNumber(config.RECORD_RETENTION_DAYS * 86_400) } },
  });
  return env;
}
