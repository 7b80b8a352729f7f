// `npm run worker`: one worker process against TEMPORAL_ADDRESS (scale by running more of them).
import { AgencyDirectory } from '../platform/agencies.js';
import { ConfigError, loadConfig } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { Client, Connection } from '@temporalio/client';
import { dutyPolicy, ensureAgencyDuties } from '../platform/duties.js';
import { connectionOptions, connectWorkerConnection } from '../platform/temporal-connection.js';
import { connectRecords } from '../platform/records/connect.js';
import { createWorker, installSdkLogger } from './worker.js';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL, 'worker');
  installSdkLogger(logger);
  const agencies = AgencyDirectory.fromFile(config.agenciesFile);
  const records = await connectRecords(config);
  const connection = await connectWorkerConnection(config);
  const worker = await createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    agencies,
    webhookSecret: config.WEBHOOK_SECRET,
    dutyPolicy: dutyPolicy(config),
    records: records.db,
  });
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'worker polling');
  const running = worker.run();
  const client = new Client({ connection: await Connection.connect(connectionOptions(config)), namespace: config.TEMPORAL_NAMESPACE });
  logger.info({ started: await ensureAgencyDuties(client, agencies, config) }, 'agency duties ensured');
  await client.connection.close();
  // Worker.run() installs SIGINT/SIGTERM handlers itself and drains in-flight tasks before resolving.
  await running;
  await connection.close();
  await records.close();
  logger.info('worker stopped');
}

main().catch((err) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : (err as Error).stack}\n`);
  process.exit(1);
});
