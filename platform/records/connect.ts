/**
 * The records database of a process, from its configuration: DATABASE_URL in production, or the
 * server `npm start` embeds under DATA_DIR/postgres (platform/records/postgres-server.ts).
 */
import { join } from 'node:path';
import pg from 'pg';
import { ConfigError, type Config } from '../config.js';
import { openRecords, type RecordsDb } from './database.js';
import { startPostgresServer, type PostgresServer } from './postgres-server.js';

export interface RecordsConnection {
  db: RecordsDb;
  /** The embedded server, when this process started one. */
  server?: PostgresServer;
  /** Closes the pool, then stops the embedded server. */
  close(): Promise<void>;
}

/** For processes that run alone in production (`npm run worker`, `npm run api`): DATABASE_URL is required. */
export async function connectRecords(config: Config, options: { max?: number } = {}): Promise<RecordsConnection> {
  if (!config.DATABASE_URL) {
    throw new ConfigError('DATABASE_URL: 未配置记录数据库（postgres://…）；npm start 会自带一个，单独运行 worker 或 API 时必须指定');
  }
  const db = await openRecords(config.DATABASE_URL, options);
  return { db, close: () => db.destroy() };
}

/** For `npm start`: DATABASE_URL when set, otherwise an embedded server with its data under DATA_DIR. */
export async function connectOrEmbedRecords(config: Config, log: (line: string) => void): Promise<RecordsConnection> {
  if (config.DATABASE_URL) return connectRecords(config);
  const server = await startPostgresServer({ dataDir: join(config.dataDir, 'postgres'), port: config.POSTGRES_PORT, log });
  await ensureDatabase(server.url, 'records');
  const db = await openRecords(server.urlOf('records'));
  return {
    db,
    server,
    async close() {
      await db.destroy();
      await server.stop();
    },
  };
}

/** Creates the database on first start (the embedded cluster comes with `postgres` only). */
async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!found.rowCount) await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
}
