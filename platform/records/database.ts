/**
 * The records database: one pool per process, the typed query layer over it, and the migrations
 * applied at open. The same code runs against the embedded server (npm start, tests) and the
 * production one (DATABASE_URL).
 */
import { Kysely, Migrator, PostgresDialect, type MigrationProvider } from 'kysely';
import pg from 'pg';
import { MIGRATIONS } from './migrations.js';
import type { Database } from './schema.js';

// Dates as text: a `date` column is a calendar day (Asia/Shanghai), never an instant in the host's zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
// bigint and bigserial fit in a number for this system's counts and ids.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export type RecordsDb = Kysely<Database>;

export interface OpenOptions {
  /** Connections of this process's pool. */
  max?: number;
}

/** Opens the pool and applies the migrations not yet applied. */
export async function openRecords(url: string, options: OpenOptions = {}): Promise<RecordsDb> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    // A server that went away is noticed by the next query, which fails and is retried by its caller.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection's error (the server restarting) must not end the process.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrate(db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return db;
}

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

export async function migrate(db: Kysely<Database>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`records database migration ${failed ?? ''} failed: ${(error as Error).message ?? error}`);
  }
}
