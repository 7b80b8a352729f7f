import { log } from '@temporalio/activity';
import { applyChange, type WriteOutcome } from '../platform/records/write.js';
import type { RecordsDb } from '../platform/records/database.js';
import type { RecordsChange } from '../platform/records/projections.js';

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
  };
}
