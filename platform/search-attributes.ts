import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * The custom search attributes the API lists and filters by without opening each workflow.
 * Registered with the embedded dev server at start, with the test servers by the test helpers,
 * and on a production cluster by the operator (README, "Running against a Temporal cluster").
 */
export const SA = {
  /** Workflow kind, e.g. legal-review, demo-site. */
  kind: defineSearchAttributeKey('EsKind', SearchAttributeType.KEYWORD),
  agencyId: defineSearchAttributeKey('EsAgencyId', SearchAttributeType.KEYWORD),
  stage: defineSearchAttributeKey('EsStage', SearchAttributeType.KEYWORD),
  /** Role whose action the workflow waits for (agency, legal-review, agency-head, office, none). */
  awaiting: defineSearchAttributeKey('EsAwaiting', SearchAttributeType.KEYWORD),
  nextDueAt: defineSearchAttributeKey('EsNextDueAt', SearchAttributeType.DATETIME),
  overdue: defineSearchAttributeKey('EsOverdue', SearchAttributeType.BOOL),
  year: defineSearchAttributeKey('EsYear', SearchAttributeType.INT),
  /** Publication of a decision: pending, on-time, late, or overdue (due date passed, not yet published). */
  publication: defineSearchAttributeKey('EsPublication', SearchAttributeType.KEYWORD),
  /** Filing of a major administrative penalty: same values as publication; absent when none is due. */
  filing: defineSearchAttributeKey('EsFiling', SearchAttributeType.KEYWORD),
} as const;

/** name → type, for `temporal server start-dev --search-attribute` and OperatorService. */
export const SEARCH_ATTRIBUTE_DEFINITIONS: Record<string, 'Keyword' | 'Datetime' | 'Bool' | 'Int'> = {
  EsKind: 'Keyword',
  EsAgencyId: 'Keyword',
  EsStage: 'Keyword',
  EsAwaiting: 'Keyword',
  EsNextDueAt: 'Datetime',
  EsOverdue: 'Bool',
  EsYear: 'Int',
  EsPublication: 'Keyword',
  EsFiling: 'Keyword',
};
