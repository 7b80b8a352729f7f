/**
 * One real PostgreSQL server for the whole test run (vitest globalSetup); every test file makes its
 * own database on it (test/records-support.ts), so files running side by side never share rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startPostgresServer } from '../platform/records/postgres-server.js';
import { freePort } from './reliability/support.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject) {
  // Under the system's temporary folder: the server's user (postgres, when tests run as root) must reach it.
  const dataDir = mkdtempSync(join(tmpdir(), 'records-test-'));
  const server = await startPostgresServer({ dataDir, port: await freePort() });
  project.provide('postgresUrl', server.url);
  return async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
