/**
 * The shared deadline timers on the time-skipping server: a deadline's own escalation interval is
 * the one used (the site acceptance asks for every 5 working days), not the configured one.
 */
import { fileURLToPath } from 'node:url';
import { DefaultLogger, Worker, bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { shanghaiInstant } from '../domain/calendar.js';
import { createActivities } from '../activities/index.js';
import { agencies, uniqueTaskQueue, useTimeSkippingEnv } from './helpers.js';

const testEnv = useTimeSkippingEnv();
let bundle: WorkflowBundle;
beforeAll(async () => {
  bundle = await bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('./fixtures/deadline-workflows.ts', import.meta.url)), logger: new DefaultLogger('ERROR') });
}, 120_000);

const policy = { reminderWorkingDaysBefore: 0, reminderHour: 9, escalationRepeatWorkingDays: 1 };

async function escalations() {
  const env = testEnv();
  const taskQueue = uniqueTaskQueue('timers');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities: createActivities({ client: env.client, agencies, webhookSecret: 'x', taskQueue }),
  });
  // Opened on 2026-12-15 for one working day: due 12-16 (a Wednesday), missed from 12-17 00:00.
  const from = '2026-12-15';
  return worker.runUntil(async () => {
    const now = await env.currentTimeMs();
    if (Date.parse(shanghaiInstant(from, 10)) > now) await env.sleep(Date.parse(shanghaiInstant(from, 10)) - now);
    const deadlines = await env.client.workflow.execute('overdueDeadlineWorkflow', { taskQueue, workflowId: `timers-${taskQueue}`, args: [{ from, ownInterval: 5, policy }] });
    return Object.fromEntries(deadlines.map((d: { name: string }) => [d.name, d])) as Record<'own' | 'configured', { dueDate: string; escalations: number; nextEscalationAt?: string }>;
  });
}

describe('deadline timers', () => {
  it('escalate again after the deadline’s own interval, not the configured one', async () => {
    const { own, configured } = await escalations();
    // Its own 5 working days: escalated 12-17 00:00, then at 09:00 on 12-24 and 12-31; next 01-08 (01-01 off).
    expect(own).toMatchObject({ dueDate: '2026-12-16', escalations: 3, nextEscalationAt: shanghaiInstant('2027-01-08', 9) });
    // Meanwhile the configured one working day: 12-17 00:00, then at 09:00 on 12-18, 21, 22, 23, 24, 25,
    // 28, 29, 30 and 31: eleven; next 01-04 (01-01 off).
    expect(configured).toMatchObject({ dueDate: '2026-12-16', escalations: 11, nextEscalationAt: shanghaiInstant('2027-01-04', 9) });
  });
});
