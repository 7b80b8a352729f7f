import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Actor } from '../domain/roles.js';
import { siteActions, siteStateQuery, type SiteStage, type SiteState } from '../workflows/demo-site-messages.js';

/**
 * The campaign's hands on its sites for the public notice (workflows/demo-campaign.ts explains the
 * two steps). A workflow cannot send another workflow an Update, and the site's own startNotice
 * Update validator is the rule of record, so these activities speak to the sites as a client would.
 */
export function createSiteNoticeActivities({ client }: { client: Client }) {
  return {
    /** Step 1: each site's stage, as the site itself holds it now (a closed site answers too). */
    async siteStages({ siteIds }: { siteIds: string[] }): Promise<Record<string, SiteStage | 'missing'>> {
      const stages = await Promise.all(
        siteIds.map(async (id) => {
          try {
            return (await client.workflow.getHandle(id).query(siteStateQuery)).stage;
          } catch (err) {
            if ((err as Error).name === 'WorkflowNotFoundError') return 'missing' as const;
            throw err;
          }
        }),
      );
      return Object.fromEntries(siteIds.map((id, i) => [id, stages[i]!]));
    },

    /**
     * Step 2: one site's startNotice Update. Its id is fixed by the campaign's Update, so a retry
     * after a lost answer is the same Update to the server, not a second notice. A site that refuses
     * because it is already under notice (or past it) is where this step wants it: its state is
     * returned. Any other refusal is final.
     */
    async startSiteNotice({ siteId, actor, channel, updateId }: { siteId: string; actor: Actor; channel: string; updateId: string }): Promise<SiteState> {
      const handle = client.workflow.getHandle(siteId);
      try {
        return await handle.executeUpdate(siteActions.startNotice, { args: [actor, { channel }], updateId });
      } catch (err) {
        if (!(err instanceof WorkflowUpdateFailedError)) throw err;
        const state = await handle.query(siteStateQuery);
        if (state.notice && state.stage !== 'accepted') return state;
        const cause = err.cause instanceof ApplicationFailure ? err.cause : undefined;
        throw ApplicationFailure.nonRetryable(cause?.message ?? err.message, cause?.type ?? 'InvalidTransition');
      }
    },
  };
}
