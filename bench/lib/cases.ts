/**
 * What the benchmark submits and does to a case: the same bodies the tests use, tokens minted with
 * the API's secret, and the floor's update-with-start built exactly as POST /api/decisions builds it.
 */
import type { Client } from '@temporalio/client';
import { submissionSchema, type Submission } from '../../domain/legal-review.js';
import type { Actor, Role } from '../../domain/roles.js';
import type { Agency } from '../../platform/agencies.js';
import type { Config } from '../../platform/config.js';
import { submitCase } from '../../api/facades/submit-case.js';
import { mintToken } from '../../platform/tokens.js';
import { opinion, sampleSubmission } from '../../test/fixtures.js';
import type { LegalReviewState } from '../../workflows/legal-review-messages.js';

/** The tests' sample submission, with a case number unique to this run. */
export function submission(caseNumber: string): Submission {
  return sampleSubmission({ caseNumber });
}

/** A passing opinion with all eight checks. */
export const passingOpinion = () => opinion('pass');

export const casePath = (caseId: string) => `/api/decisions/${encodeURIComponent(caseId)}`;

/** Bearer headers per role and agency, minted once. */
export class Tokens {
  private readonly cache = new Map<string, Record<string, string>>();
  constructor(private readonly secret: string) {}

  headers(role: Role, agencyId?: string): Record<string, string> {
    const key = `${role}:${agencyId ?? ''}`;
    let h = this.cache.get(key);
    if (!h) {
      const token = mintToken({ secret: this.secret, role, agencyId: role === 'office' ? undefined : agencyId, name: `压测${role}`, expiresIn: '12h' });
      h = { authorization: `Bearer ${token}` };
      this.cache.set(key, h);
    }
    return h;
  }

  /** The actor the API derives from the same token (api/plugins/auth.ts). */
  actor(role: Role, agencyId?: string): Actor {
    return { role, agencyId: role === 'office' ? undefined : agencyId, name: `压测${role}` };
  }
}

/**
 * The floor: the same update-with-start POST /api/decisions sends (same workflow, options, search
 * attributes and input), from the Temporal client directly, without HTTP, JWT or zod in between.
 */
export async function startCaseDirectly(client: Client, config: Config, tokens: Tokens, agency: Agency, caseNumber: string): Promise<LegalReviewState> {
  const body = submissionSchema.parse(submission(caseNumber));
  return submitCase(client, config, agency, body, tokens.actor('agency', agency.id));
}
