import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Config } from './config.js';
import { SA } from './search-attributes.js';
import { temporalCli } from './temporal-binaries.js';

/**
 * The embedded Temporal dev server of `npm start`: SQLite under DATA_DIR so every workflow survives
 * a restart, its web UI on TEMPORAL_UI_PORT, and the project's search attributes registered.
 */
export async function startDevServer(config: Config): Promise<TestWorkflowEnvironment> {
  mkdirSync(config.dataDir, { recursive: true });
  return TestWorkflowEnvironment.createLocal({
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
    },
  });
}
