import { z } from 'zod';

/** The one error body of the API (see plugins/errors.ts). */
export const errorBody = z
  .object({
    error: z.string().describe('HTTP reason phrase'),
    message: z.string().describe('What was wrong, naming the field or the rule'),
    details: z.unknown().optional(),
  })
  .describe('Error');

/** Responses every authenticated route can give besides its own. */
export const authErrors = { 400: errorBody, 401: errorBody, 403: errorBody } as const;
