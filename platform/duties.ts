import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { shanghaiDateOf } from '../domain/shanghai-time.js';
import { DUTIES_KIND, dutiesWorkflowId, type DutyPolicy } from '../workflows/agency-duties-messages.js';
import type { AgencyDirectory } from './agencies.js';
import type { Config } from './config.js';
import { timerPolicy } from './policies.js';
import { SA } from './search-attributes.js';

export function dutyPolicy(config: Config): DutyPolicy {
  return {
    ...timerPolicy(config),
    reminderWorkingDaysBefore: config.DUTY_REMINDER_WORKING_DAYS_BEFORE,
    escalationRepeatWorkingDays: 5,
    excellentFrom: config.CASE_FILE_EXCELLENT_FROM,
  };
}

/**
 * Every agency of the directory has its duties workflow: started once, found running afterwards.
 * Run at start-up by the worker; idempotent, so every worker process may run it.
 */
export async function ensureAgencyDuties(client: Client, agencies: AgencyDirectory, config: Config): Promise<number> {
  let started = 0;
  const year = Number(shanghaiDateOf(Date.now()).slice(0, 4));
  for (const agency of agencies.list()) {
    try {
      await client.workflow.start('agencyDutiesWorkflow', {
        workflowId: dutiesWorkflowId(agency.id),
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        args: [{ agencyId: agency.id, agencyName: agency.name, year, policy: dutyPolicy(config) }],
        workflowIdConflictPolicy: 'USE_EXISTING',
        typedSearchAttributes: [
          { key: SA.kind, value: DUTIES_KIND },
          { key: SA.agencyId, value: agency.id },
        ],
      });
      started++;
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
  return started;
}
