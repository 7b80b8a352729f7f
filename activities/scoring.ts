import { ApplicationFailure } from '@temporalio/common';
import { scoreSheet, scoreSheetSchema, type ScoreResult } from '../domain/demo-site-scoring.js';

/**
 * Acceptance scoring as an activity: the standard is versioned data that a deployment may change,
 * and the result recorded in the history is what the site was scored, whatever comes later.
 */
export function createScoringActivities() {
  return {
    async scoreAcceptance({ sheet, passMark }: { sheet: unknown; passMark: number }): Promise<ScoreResult> {
      const parsed = scoreSheetSchema.safeParse(sheet);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw ApplicationFailure.nonRetryable(`scoreSheet.${issue.path.join('.')}: ${issue.message}`, 'RuleViolation');
      }
      return scoreSheet(parsed.data, { passMark });
    },
  };
}
