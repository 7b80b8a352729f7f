import { log } from '@temporalio/activity';
import { applyChange, type WriteOutcome } from '../platform/records/write.js';
import type { RecordsDb } from '../platform/records/database.js';
import type { RecordsChange } from '../platform/records/projections.js';
import { recordedFigures } from '../platform/records/figures.js';
import type { StatisticsFigures } from '../domain/duties.js';
import { emptyFigures } from '../workflows/agency-duties-messages.js';

/**
 * The workflows' one write into the records database (platform/records/write.ts). The workflow
 * retries it without limit (a database that is down catches up when it returns); the write is keyed
 * by workflow id and seq, so a retry that follows a commit changes nothing.
 *
 * Without a records database (a worker started without one, as some tests do) the write is
 * dropped and said so: the workflow goes on either way.
 */
export function createRecordsActivities(deps: { records?: RecordsDb }) {
  return {
    async writeRecords(change: RecordsChange): Promise<WriteOutcome | 'no-records-database'> {
      if (!deps.records) return 'no-records-database';
      const outcome = await applyChange(deps.records, change);
      if (outcome === 'already-applied') log.info('records write already applied', { workflowId: change.workflowId, seq: change.seq });
      return outcome;
    },

    /**
     * An agency's figures of a year from the outcome rows its cases wrote (the duties workflow adds
     * what its own ledger counted of the cases that reported by signal).
     */
    async recordedFigures({ agencyId, year }: { agencyId: string; year: number }): Promise<StatisticsFigures> {
      if (!deps.records) return emptyFigures();
      return (await recordedFigures(deps.records, year, agencyId)).get(agencyId) ?? emptyFigures();
    },
  };
}
