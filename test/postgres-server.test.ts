/** The embedded PostgreSQL server's first run under root: a data folder its user cannot reach is named, not a cryptic initdb failure. */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startPostgresServer } from '../platform/records/postgres-server.js';
import { freePort } from './reliability/support.js';

describe('the embedded PostgreSQL server', () => {
  it.runIf(process.getuid?.() === 0)('refuses, naming the folder and DATA_DIR, a data folder under a directory the postgres user cannot enter', async () => {
    const closed = mkdtempSync(join(tmpdir(), 'closed-'));
    mkdirSync(closed, { recursive: true, mode: 0o700 });
    try {
      await expect(startPostgresServer({ dataDir: join(closed, 'data', 'postgres'), port: await freePort() })).rejects.toThrow(new RegExp(`无法进入 ${closed}.*DATA_DIR`));
    } finally {
      rmSync(closed, { recursive: true, force: true });
    }
  });
});
