/**
 * The embedded dev server of `npm start` (platform/dev-server.ts), started as `npm start` starts it:
 * a closed case must stay readable for years, not the dev server's default of one day.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { loadConfig } from '../platform/config.js';
import { startDevServer } from '../platform/dev-server.js';
import { freePort } from './reliability/support.js';

const dataDir = mkdtempSync(join(tmpdir(), 'es-dev-server-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it('keeps closed workflows for RECORD_RETENTION_DAYS, with the project’s search attributes registered', async () => {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    TEMPORAL_DEV_SERVER_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    RECORD_RETENTION_DAYS: '3660',
  });
  const env = await startDevServer(config);
  try {
    const { config: namespace } = await env.connection.workflowService.describeNamespace({ namespace: config.TEMPORAL_NAMESPACE });
    expect(Number(namespace?.workflowExecutionRetentionTtl?.seconds)).toBe(3660 * 86_400);
    const { customAttributes } = await env.connection.operatorService.listSearchAttributes({ namespace: config.TEMPORAL_NAMESPACE });
    expect(Object.keys(customAttributes ?? {})).toEqual(expect.arrayContaining(['EsKind', 'EsAgencyId', 'EsNextDueAt', 'EsPublication']));
  } finally {
    await env.teardown();
  }
}, 120_000);
