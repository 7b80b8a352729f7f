/**
 * Error types shared by workflows (Update validators throw them as ApplicationFailure.type) and the
 * API (which turns each type into its HTTP status). One table, so a refusal means the same thing
 * wherever it is raised.
 */
export const REFUSAL_STATUS = {
  /** The caller's role or agency may not take this action. */
  Forbidden: 403,
  /** The action does not fit the current stage, or contradicts what is recorded. */
  InvalidTransition: 409,
  /** The action's content breaks a rule of the procedure (e.g. 2-3 recommendations). */
  RuleViolation: 422,
  NotFound: 404,
} as const;

export type RefusalType = keyof typeof REFUSAL_STATUS;

export const REFUSAL_TYPES = Object.keys(REFUSAL_STATUS) as RefusalType[];
