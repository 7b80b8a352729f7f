import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode, makeTelemetryFilterString, type LogLevel, type WorkflowBundle, type WorkerOptions } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createActivities, type ActivityDeps } from '../activities/index.js';
import { createCalendarBook } from '../platform/calendar-book.js';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/** The workflow bundle with the same options the worker uses (tests and tools bundle once and share it). */
export function bundleWorkflows(options: { workflowsPath?: string } = {}): Promise<WorkflowBundle> {
  return bundleWorkflowCode({ workflowsPath: options.workflowsPath ?? workflowsPath, logger: new DefaultLogger('ERROR') });
}

export interface CreateWorkerOptions extends Omit<ActivityDeps, 'client'> {
  connection: NativeConnection;
  namespace: string;
  /** A client for activities that signal other workflows; defaults to one on `connection`. */
  client?: Client;
  /** A pre-built bundle (tests bundle once per file); otherwise the worker bundles workflowsPath. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Further worker settings (e.g. cache size). */
  tuning?: Pick<WorkerOptions, 'maxCachedWorkflows' | 'maxConcurrentActivityTaskExecutions' | 'maxConcurrentWorkflowTaskExecutions' | 'stickyQueueScheduleToStartTimeout'>;
}

export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  const { connection, namespace, taskQueue, workflowBundle } = options;
  const client = options.client ?? new Client({ connection, namespace });
  // The notices the office entered, loaded before the first deadline is computed.
  const calendarBook = options.calendarBook ?? createCalendarBook({ client });
  await calendarBook.refresh();
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath }),
    activities: createActivities({ ...options, client, calendarBook }),
    shutdownGraceTime: '10s',
    ...options.tuning,
  });
}

/** Routes the SDK's own logs (worker, core) through pino so a process logs in one format. */
export function installSdkLogger(logger: Logger, level: LogLevel = 'WARN', options: { handleSignals?: boolean } = {}): void {
  Runtime.install({
    // `npm start` stops the API, worker and dev server in order itself; a lone worker lets the SDK drain on SIGINT/SIGTERM.
    ...(options.handleSignals === false ? { shutdownSignals: [] } : {}),
    logger: new DefaultLogger(level, ({ level: lvl, message, meta }) => {
      const method = lvl === 'TRACE' ? 'trace' : lvl === 'DEBUG' ? 'debug' : lvl === 'INFO' ? 'info' : lvl === 'WARN' ? 'warn' : 'error';
      logger[method](meta ?? {}, message);
    }),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: level }), forward: {} } },
  });
}
