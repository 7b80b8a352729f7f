import type { Client } from '@temporalio/client';
import { shanghaiDateOf } from '../domain/shanghai-time.js';
import type { AgencyDirectory } from '../platform/agencies.js';
import { caseEventSignal, dutiesWorkflowId, type CaseEvent, type DutyPolicy } from '../workflows/agency-duties-messages.js';

export const DEFAULT_DUTY_POLICY: DutyPolicy = { reminderWorkingDaysBefore: 5, reminderHour: 9, escalationRepeatWorkingDays: 5, excellentFrom: 90 };

/**
 * A case reports its outcomes to its agency's duties workflow (signal-with-start, so the ledger
 * exists even before the yearly duties were set up). The ledger counts each event once, by the
 * case's workflow id and the number the case gave the event, so a retried report does no harm.
 */
export function createLedgerActivities(deps: { client: Client; agencies: AgencyDirectory; taskQueue: string; dutyPolicy?: DutyPolicy }) {
  return {
    async reportCaseEvent({ agencyId, event }: { agencyId: string; event: CaseEvent }): Promise<void> {
      const agency = deps.agencies.get(agencyId);
      await deps.client.workflow.signalWithStart('agencyDutiesWorkflow', {
        workflowId: dutiesWorkflowId(agencyId),
        taskQueue: deps.taskQueue,
        args: [{ agencyId, agencyName: agency?.name ?? agencyId, year: Number(shanghaiDateOf(Date.now()).slice(0, 4)), policy: deps.dutyPolicy ?? DEFAULT_DUTY_POLICY }],
        signal: caseEventSignal,
        signalArgs: [event],
      });
    },
  };
}
