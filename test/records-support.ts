/**
 * A test file's own records database on the run's PostgreSQL server (test/global-postgres.ts),
 * migrated as the system migrates it at start.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openRecords, type RecordsDb } from '../platform/records/database.js';

export interface TestRecords {
  url: string;
  db: RecordsDb;
  close(): Promise<void>;
}

/** A fresh, migrated database; close() drops it. */
export async function testRecords(): Promise<TestRecords> {
  const admin = inject('postgresUrl');
  const name = `records_${randomUUID().replace(/-/g, '')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = admin.replace(/\/postgres$/, `/${name}`);
  const db = await openRecords(url, { max: 5 });
  return {
    url,
    db,
    async close() {
      await db.destroy();
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
