/**
 * Shared test plumbing: real Temporal servers (never mocks), one workflow bundle per test file,
 * a fresh task queue per test, the real Fastify app called through app.inject, and real tokens.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, makeTelemetryFilterString, type WorkflowBundle, type Worker } from '@temporalio/worker';
import { buildApp } from '../api/app.js';
import type { Role } from '../domain/roles.js';
import { AgencyDirectory } from '../platform/agencies.js';
import { loadConfig, type Config } from '../platform/config.js';
import { DEV_SERVER_EXTRA_ARGS } from '../platform/dev-server.js';
import { SA } from '../platform/search-attributes.js';
import { temporalCli, temporalTestServer } from '../platform/temporal-binaries.js';
import { mintToken } from '../platform/tokens.js';
import type { RecordsDb } from '../platform/records/database.js';
import { testRecords, type TestRecords } from './records-support.js';
import { bundleWorkflows, createWorker } from '../worker/worker.js';
import { dutiesWorkflowId } from '../workflows/agency-duties-messages.js';
import { inboxWorkflowId } from '../workflows/inbox-messages.js';
import { legalReviewWorkflowId } from '../workflows/legal-review-messages.js';

let runtimeInstalled = false;
/** Keep the SDK quiet in test output: warnings and errors only. */
export function quietRuntime() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({
    logger: new DefaultLogger(process.env.TEST_SDK_LOG === 'warn' ? 'WARN' : 'ERROR'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } },
  });
}

export async function registerSearchAttributes(connection: Connection, namespace = 'default') {
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(Object.values(SA).map((key) => [key.name, indexedType(key.type)])),
  });
}

function indexedType(type: string): number {
  // temporal.api.enums.v1.IndexedValueType
  return { TEXT: 1, KEYWORD: 2, INT: 3, DOUBLE: 4, BOOL: 5, DATETIME: 6, KEYWORD_LIST: 7 }[type] ?? 2;
}

/** The time-skipping test server with the project's search attributes registered. */
export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: temporalTestServer() } });
  await registerSearchAttributes(env.connection);
  return env;
}

/** A real dev server (visibility queries on search attributes work here). */
export async function devServerEnv(dbFilename?: string): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  return TestWorkflowEnvironment.createLocal({
    server: { executable: temporalCli(), searchAttributes: Object.values(SA), dbFilename, log: { format: 'json', level: 'error' }, extraArgs: DEV_SERVER_EXTRA_ARGS },
  });
}

let bundle: Promise<WorkflowBundle> | undefined;
/** The worker's workflow code, bundled once per test file. */
export function workflowBundle(): Promise<WorkflowBundle> {
  bundle ??= bundleWorkflows();
  return bundle;
}

export const agencies = new AgencyDirectory([
  { id: 'county-market', name: '县市场监督管理局', level: 'county', webhookUrl: null },
  { id: 'county-ecology', name: '县生态环境分局', level: 'county', webhookUrl: null },
  { id: 'county-transport', name: '县交通运输局', level: 'county', webhookUrl: null },
  { id: 'county-health', name: '县卫生健康委员会', level: 'county', webhookUrl: null },
  { id: 'town-chengguan', name: '城关镇人民政府', level: 'township', webhookUrl: null },
  { id: 'county-water', name: '县水利局', level: 'county', webhookUrl: null },
]);

export function testConfig(taskQueue: string, overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', TEMPORAL_TASK_QUEUE: taskQueue, ...overrides });
}

export function uniqueTaskQueue(prefix = 'test'): string {
  return `${prefix}-${randomUUID()}`;
}

/**
 * The test file's records database (one per file, on the run's PostgreSQL server), or none outside
 * vitest (scripts/record-histories.ts records histories without one: the writes are the same
 * activities either way). The file's process ends with the file, and the run's server with the run.
 */
let fileRecordsOnce: Promise<TestRecords | undefined> | undefined;
export function fileRecords(): Promise<TestRecords | undefined> {
  fileRecordsOnce ??= process.env.VITEST ? testRecords() : Promise.resolve(undefined);
  return fileRecordsOnce;
}

/** The file's records database as the worker and the API take it. */
export async function fileRecordsDb(): Promise<RecordsDb | undefined> {
  return (await fileRecords())?.db;
}

export interface Harness {
  app: Awaited<ReturnType<typeof buildApp>>;
  /** The records database the worker writes and the API reads. */
  records: RecordsDb | undefined;
  worker: Worker;
  config: Config;
  /** Runs the worker until `fn` settles. */
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** Terminates what the test left running (call from afterEach via cleanUpHarnesses). */
  cleanUp(): Promise<void>;
  /** Another workflow to end with the test (campaigns, sites). */
  endAfterTest(workflowId: string): void;
}

const active = new Set<Harness>();
/** afterEach: end every workflow the finished test started. */
export async function cleanUpHarnesses() {
  await Promise.all([...active].map((h) => h.cleanUp()));
  active.clear();
}

/** The real API and a real worker on one test server, with a task queue of their own. */
export async function harness(
  env: TestWorkflowEnvironment,
  overrides: Record<string, string> = {},
  tuning?: Parameters<typeof createWorker>[0]['tuning'],
  /** A records database of the test's own (a server it stops and starts); the file's by default. */
  options: { records?: RecordsDb } = {},
): Promise<Harness> {
  const taskQueue = uniqueTaskQueue();
  const config = testConfig(taskQueue, overrides);
  const started = new Set<string>();
  const extraWorkflowIds = new Set<string>();
  const records = options.records ?? (await fileRecordsDb());
  const worker = await createWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    client: env.client,
    taskQueue,
    agencies,
    webhookSecret: config.WEBHOOK_SECRET,
    workflowBundle: await workflowBundle(),
    tuning,
    records,
    // The time-skipping server has no visibility to list running workflows: the ones this test started.
    async *runningProcedures() {
      yield* [...started, ...extraWorkflowIds, ...agencies.list().map((a) => dutiesWorkflowId(a.id))];
    },
  });
  const app = await buildApp({ config, temporal: env.client, agencies, records });
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method === 'POST' && request.url === '/api/decisions' && reply.statusCode === 201) {
      started.add(legalReviewWorkflowId(JSON.parse(String(payload)).caseId));
    }
    return payload;
  });
  // The time-skipping server stops skipping while a workflow task waits for a worker, so what a
  // test leaves running (cases with timers, inboxes and agencies' duties on this test's task
  // queue) ends with the test.
  const cleanUp = async () => {
    const inboxes = [{ role: 'office' as const }, ...agencies.list().flatMap((a) => (['agency', 'legal-review', 'agency-head'] as const).map((role) => ({ role, agencyId: a.id })))];
    const ids = [...started, ...inboxes.map(inboxWorkflowId), ...agencies.list().map((a) => dutiesWorkflowId(a.id)), ...extraWorkflowIds];
    await Promise.all(ids.map((id) => env.client.workflow.getHandle(id).terminate('test finished').catch(() => undefined)));
  };
  // Activities a test's last action scheduled (reminders, ledger reports) finish before its worker
  // stops: the time-skipping server keeps time locked for an activity that was dispatched to a
  // worker and never completed, and every later test of the file would wait for it.
  const settle = async () => {
    const deadline = Date.now() + 10_000;
    const touched = [...started, ...extraWorkflowIds, ...agencies.list().map((a) => dutiesWorkflowId(a.id))];
    for (const id of touched) {
      while (Date.now() < deadline) {
        const description = await env.client.workflow.getHandle(id).describe().catch(() => undefined);
        if (!description || description.status.name !== 'RUNNING' || !(description.raw.pendingActivities?.length ?? 0)) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    // Workflow tasks those activities caused (a signal to an inbox or the agency's ledger) need a
    // moment of the still-running worker too; the test server does not show pending workflow tasks.
    await new Promise((resolve) => setTimeout(resolve, 250));
  };
  const h: Harness = {
    app,
    records,
    worker,
    config,
    run: (fn) =>
      worker.runUntil(async () => {
        const result = await fn();
        await settle();
        return result;
      }),
    cleanUp,
    endAfterTest: (id) => extraWorkflowIds.add(id),
  };
  active.add(h);
  return h;
}

export function bearer(config: Config, role: Role, agencyId = 'county-market'): { authorization: string } {
  return { authorization: `Bearer ${mintToken({ secret: config.JWT_SECRET, role, agencyId: role === 'office' ? undefined : agencyId, name: `测试${role}` })}` };
}


/**
 * Registers the hooks of a test file (or describe block) that runs on the time-skipping server:
 * the server and the workflow bundle before, the test's workflows ended after each test, the
 * server torn down at the end. Returns a getter, since the server exists only once beforeAll ran.
 */
export function useTimeSkippingEnv(): () => TestWorkflowEnvironment {
  let env: TestWorkflowEnvironment | undefined;
  beforeAll(async () => {
    env = await timeSkippingEnv();
    await workflowBundle();
  }, 120_000);
  afterEach(cleanUpHarnesses);
  afterAll(async () => {
    await env?.teardown();
  });
  return () => env!;
}

export { acceptanceMethods, opinion, sampleApplication, sampleScoreSheet, sampleSubmission } from './fixtures.js';
