/**
 * The records of workflows that did not write them: cases, sites and duties that ended before the
 * records database existed, and running ones that have not woken since (they write at their next
 * activation on their own). Each is read from Temporal (its state, its record and, for an agency's
 * duties, its ledger) and written as the workflow's write number 0.
 *
 * Idempotent: write 0 is claimed once per workflow, a workflow's own writes (1, 2, …) replace its row
 * and a write 0 never replaces theirs, and record entries are keyed by run and position. Run it once
 * after upgrading (`npm run records:backfill`); running it again changes nothing.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { QueryDefinition } from '@temporalio/common';
import { SA } from '../search-attributes.js';
import { DUTIES_KIND, dutiesQuery, dutiesTimelineQuery, ledgerExportQuery } from '../../workflows/agency-duties-messages.js';
import { DEMO_SITE_KIND, siteStateQuery, siteTimelineQuery } from '../../workflows/demo-site-messages.js';
import { LEGAL_REVIEW_KIND, stateQuery, timelineQuery, type TimelineEntry } from '../../workflows/legal-review-messages.js';
import type { RecordsDb } from './database.js';
import type { RecordedKind, RecordsChange } from './projections.js';
import { applyChange } from './write.js';

const QUERIES: Record<RecordedKind, { state: QueryDefinition<unknown>; timeline: QueryDefinition<TimelineEntry[]> }> = {
  [LEGAL_REVIEW_KIND]: { state: stateQuery, timeline: timelineQuery },
  [DEMO_SITE_KIND]: { state: siteStateQuery, timeline: siteTimelineQuery },
  [DUTIES_KIND]: { state: dutiesQuery, timeline: dutiesTimelineQuery },
};

export interface BackfillReport {
  /** Workflows whose write 0 was applied now. */
  written: number;
  /** Workflows already backfilled (write 0 taken) . */
  already: number;
  /** Workflows that could not be read (gone, or their code cannot answer); named for the operator. */
  failed: Array<{ workflowId: string; error: string }>;
}

export async function backfillRecords(client: Client, db: RecordsDb, options: { log?: (line: string) => void } = {}): Promise<BackfillReport> {
  const report: BackfillReport = { written: 0, already: 0, failed: [] };
  const query = `${SA.kind.name} IN ('${LEGAL_REVIEW_KIND}', '${DEMO_SITE_KIND}', '${DUTIES_KIND}')`;
  for await (const execution of client.workflow.list({ query })) {
    const kind = execution.searchAttributes?.[SA.kind.name]?.[0] as RecordedKind | undefined;
    if (!kind || !(kind in QUERIES)) continue;
    const { workflowId, runId } = execution;
    // Only the latest run: a continued-as-new workflow's earlier runs live on in its carried state.
    if (execution.status.name === 'CONTINUED_AS_NEW') continue;
    try {
      const handle = client.workflow.getHandle(workflowId, runId);
      const [state, timeline, ledger] = await Promise.all([
        handle.query(QUERIES[kind].state),
        handle.query(QUERIES[kind].timeline),
        kind === DUTIES_KIND ? handle.query(ledgerExportQuery) : Promise.resolve(undefined),
      ]);
      const change: RecordsChange = {
        kind,
        workflowId,
        runId,
        seq: 0,
        running: execution.status.name === 'RUNNING',
        state,
        entries: timeline.map((entry, position) => ({ position, entry })),
        ...(ledger ? { ledger } : {}),
      };
      const outcome = await applyChange(db, change);
      if (outcome === 'applied') report.written++;
      else report.already++;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) continue; // deleted meanwhile by its retention
      report.failed.push({ workflowId, error: (err as Error).message });
      options.log?.(`records backfill: ${workflowId}: ${(err as Error).message}`);
    }
  }
  return report;
}
