// `npm run records:backfill`: writes into the records database every case, site and duties workflow
// that has not written its records yet (platform/records/backfill.ts). Idempotent; run once after
// upgrading, against TEMPORAL_ADDRESS and DATABASE_URL.
import { ConfigError, loadConfig } from '../platform/config.js';
import { connectRecords } from '../platform/records/connect.js';
import { backfillRecords } from '../platform/records/backfill.js';
import { connectClient } from '../platform/temporal-connection.js';

async function main() {
  const config = loadConfig();
  const records = await connectRecords(config);
  const temporal = await connectClient(config);
  try {
    const report = await backfillRecords(temporal, records.db, { log: (line) => process.stderr.write(`${line}\n`) });
    process.stdout.write(`补录完成：写入 ${report.written} 个，已有 ${report.already} 个，失败 ${report.failed.length} 个\n`);
    for (const f of report.failed) process.stdout.write(`  ${f.workflowId}: ${f.error}\n`);
    process.exitCode = report.failed.length ? 1 : 0;
  } finally {
    await temporal.connection.close();
    await records.close();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : (err as Error).stack}\n`);
  process.exit(1);
});
