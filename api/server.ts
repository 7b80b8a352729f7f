// `npm run api`: one API process against TEMPORAL_ADDRESS (stateless: scale by running more of them).
import { AgencyDirectory } from '../platform/agencies.js';
import { ConfigError, loadConfig } from '../platform/config.js';
import { createLogger, loggerOptions } from '../platform/logger.js';
import { connectClient } from '../platform/temporal-connection.js';
import { buildApp } from './app.js';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL, 'api');
  const agencies = AgencyDirectory.fromFile(config.agenciesFile);
  const temporal = await connectClient(config);
  const app = await buildApp({ config, temporal, agencies, logger: loggerOptions(config.LOG_LEVEL) });
  await app.listen({ host: config.API_HOST, port: config.API_PORT });

  const stop = async (signal: string) => {
    logger.info({ signal }, 'api stopping');
    await app.close();
    await temporal.connection.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : (err as Error).stack}\n`);
  process.exit(1);
});
