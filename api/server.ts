// `npm run api`: one API process against TEMPORAL_ADDRESS (stateless: scale by running more of them).
import { AgencyDirectory } from '../platform/agencies.js';
import { ConfigError, loadConfig } from '../platform/config.js';
import { createLogger, loggerOptions } from '../platform/logger.js';
import { connectClient } from '../platform/temporal-connection.js';
import { connectRecords } from '../platform/records/connect.js';
import { buildApp } from './app.js';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL, 'api');
  const agencies = AgencyDirectory.fromFile(config.agenciesFile);
  const temporal = await connectClient(config);
  const records = await connectRecords(config);
  const app = await buildApp({ config, temporal, agencies, records: records.db, logger: loggerOptions(config.LOG_LEVEL) });
  await app.listen({ host: config.API_HOST, port: config.API_PORT });

  let stopping = false;
  const stop = async (signal: string) => {
    // A signal can arrive twice (from the terminal and relayed by tsx): the first one stops the API
    // after its in-flight requests; later ones must not cut that short.
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'api stopping');
    await app.close();
    await temporal.connection.close();
    await records.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : (err as Error).stack}\n`);
  process.exit(1);
});
