/**
 * Submitting a case (送审): one update-with-start that starts the case's workflow and answers once
 * its review deadline is set. POST /api/decisions uses it, and so does the benchmark's floor, so
 * the floor measures exactly what the API sends.
 */
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import type { Submission } from '../../domain/legal-review.js';
import type { Actor } from '../../domain/roles.js';
import { caseIdOf, LEGAL_REVIEW_KIND, legalReviewWorkflowId, submittedUpdate, type LegalReviewState } from '../../workflows/legal-review-messages.js';
import type { Agency } from '../../platform/agencies.js';
import type { Config } from '../../platform/config.js';
import { reviewPolicy } from '../../platform/policies.js';
import { SA } from '../../platform/search-attributes.js';

export function submitCase(client: Client, config: Config, agency: Agency, submission: Submission, submittedBy: Actor): Promise<LegalReviewState> {
  const caseId = caseIdOf(agency.id, submission.caseNumber);
  return client.workflow.executeUpdateWithStart(submittedUpdate, {
    startWorkflowOperation: new WithStartWorkflowOperation('legalReviewWorkflow', {
      workflowId: legalReviewWorkflowId(caseId),
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [{ caseId, agencyId: agency.id, agencyName: agency.name, submission, submittedBy, policy: reviewPolicy(config) }],
      // A case number is used once per agency, even after its case closed.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'FAIL',
      typedSearchAttributes: [
        { key: SA.kind, value: LEGAL_REVIEW_KIND },
        { key: SA.agencyId, value: agency.id },
        { key: SA.stage, value: 'under-review' },
        { key: SA.awaiting, value: 'legal-review' },
        { key: SA.overdue, value: false },
      ],
    }),
  });
}
