/**
 * Scenario 0's worker and operations: the no-op workflow (bench/noop-workflow.ts) on an in-process
 * Worker with a task queue of its own, on the system's Temporal server.
 */
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { noopUpdate, type noopWorkflow } from '../noop-workflow.js';

export const noopWorkflowsPath = fileURLToPath(new URL('../noop-workflow.ts', import.meta.url));

export interface NoopWorker {
  taskQueue: string;
  stop(): Promise<void>;
}

/** Bundles the no-op workflow, starts polling `taskQueue` in this process, and waits until it polls. */
export async function startNoopWorker(opts: { address: string; namespace: string; taskQueue: string; client: Client }): Promise<NoopWorker> {
  const connection = await NativeConnection.connect({ address: opts.address });
  let worker: Worker;
  try {
    worker = await Worker.create({ connection, namespace: opts.namespace, taskQueue: opts.taskQueue, workflowsPath: noopWorkflowsPath, shutdownGraceTime: '5s' });
  } catch (err) {
    await connection.close();
    throw err;
  }
  const running = worker.run();
  running.catch(() => undefined);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await Promise.race([running.catch(() => undefined), sleep(20_000)]);
    await connection.close().catch(() => undefined);
  };
  // Polling once the server lists this worker's workflow poller.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await opts.client.workflowService.describeTaskQueue({ namespace: opts.namespace, taskQueue: { name: opts.taskQueue, kind: 1 }, taskQueueType: 1 });
    if ((res.pollers ?? []).length) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the no-op worker is not polling ${opts.taskQueue} after 60 s`);
    }
    await sleep(200);
  }
  return { taskQueue: opts.taskQueue, stop };
}

/** The no-op update-with-start: starts `workflowId` and answers its Update at once. */
export async function noopUpdateWithStart(client: Client, taskQueue: string, workflowId: string, n: number): Promise<void> {
  const answer = await client.workflow.executeUpdateWithStart(noopUpdate, {
    args: [n],
    startWorkflowOperation: new WithStartWorkflowOperation<typeof noopWorkflow>('noopWorkflow', {
      workflowId,
      taskQueue,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'FAIL',
      // Ends by itself on a server the benchmark does not remove (TEMPORAL_ADDRESS).
      workflowExecutionTimeout: '2 hours',
    }),
  });
  if (answer !== n) throw new Error(`no-op update-with-start answered ${answer}, not ${n}`);
}

/** The no-op Update on a running no-op workflow. */
export async function noopUpdateOn(client: Client, workflowId: string, n: number): Promise<void> {
  const answer = await client.workflow.getHandle(workflowId).executeUpdate(noopUpdate, { args: [n] });
  if (answer !== n) throw new Error(`no-op Update answered ${answer}, not ${n}`);
}
