// `npm start`: the whole system in one process for a laptop or a demo. Without TEMPORAL_ADDRESS it
// embeds a Temporal dev server; the worker and the API are the same code `npm run worker` and
// `npm run api` run alone in production.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { buildApp } from '../api/app.js';
import { AgencyDirectory } from '../platform/agencies.js';
import { ConfigError, loadConfig } from '../platform/config.js';
import { startDevServer } from '../platform/dev-server.js';
import { dutyPolicy, ensureAgencyDuties } from '../platform/duties.js';
import { createLogger, loggerOptions } from '../platform/logger.js';
import { connectClient, connectWorkerConnection, temporalAddress } from '../platform/temporal-connection.js';
import { mintToken } from '../platform/tokens.js';
import { backfillRecords } from '../platform/records/backfill.js';
import { connectOrEmbedRecords } from '../platform/records/connect.js';
import { ROLES, isAgencyRole } from '../domain/roles.js';
import { createWorker, installSdkLogger } from '../worker/worker.js';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL, 'start');
  installSdkLogger(logger.child({ component: 'temporal-sdk' }), 'WARN', { handleSignals: false });
  const agencies = AgencyDirectory.fromFile(config.agenciesFile);

  let devServer: TestWorkflowEnvironment | undefined;
  if (!config.TEMPORAL_ADDRESS) {
    logger.info({ dataDir: config.dataDir }, 'starting the embedded Temporal dev server');
    devServer = await startDevServer(config);
  }

  const records = await connectOrEmbedRecords(config, (line) => logger.debug({ component: 'postgres' }, line.trimEnd()));
  logger.info({ embedded: Boolean(records.server) }, 'records database ready');

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
  const workerRun = worker.run();

  const temporal = await connectClient(config);
  logger.info({ started: await ensureAgencyDuties(temporal, agencies, config) }, 'agency duties ensured');
  // A data folder from before the records database: its workflows' records are written once (idempotent).
  void backfillRecords(temporal, records.db, { log: (line) => logger.warn(line) }).then(
    (report) => logger.info({ written: report.written, already: report.already, failed: report.failed.length }, 'records backfill'),
    (err: unknown) => logger.warn({ err }, 'records backfill did not finish; run npm run records:backfill'),
  );
  const app = await buildApp({ config, temporal, agencies, records: records.db, logger: loggerOptions(config.LOG_LEVEL) });
  await app.listen({ host: config.API_HOST, port: config.API_PORT });

  const base = config.PUBLIC_URL ?? `http://localhost:${config.API_PORT}`;
  const demo = agencies.demo();
  const tokens = Object.fromEntries(
    ROLES.map((role) => [role, mintToken({ secret: config.JWT_SECRET, role, agencyId: isAgencyRole(role) ? demo.id : undefined })]),
  );
  process.stdout.write(
    [
      '',
      `  API            ${base}/api`,
      `  OpenAPI docs   ${base}/docs`,
      `  Health         ${base}/health`,
      devServer ? `  Temporal UI    http://localhost:${config.TEMPORAL_UI_PORT}` : `  Temporal       ${temporalAddress(config)}`,
      '',
      `  Development tokens (demo agency ${demo.id} ${demo.name}):`,
      ...ROLES.map((role) => `    ${role.padEnd(12)} ${tokens[role]}`),
      '',
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = async (signal: string) => {
    // Ctrl-C reaches this process twice (from the terminal and relayed by the tsx and npm
    // wrappers): the first one stops everything in order, the later ones must not cut that short
    // and leave the dev server running without its parent.
    if (stopping) {
      logger.info({ signal }, 'already stopping');
      return;
    }
    stopping = true;
    logger.info({ signal }, 'stopping');
    await app.close();
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await workerRun;
    await temporal.connection.close();
    await connection.close();
    await devServer?.teardown();
    await records.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : (err as Error).stack}\n`);
  process.exit(1);
});
