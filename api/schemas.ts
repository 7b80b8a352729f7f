import { validatorCompiler } from 'fastify-type-provider-zod';
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

/** What names a case in any list: the agency's and the public's. */
export const caseHeading = z.object({
  caseId: z.string(),
  agencyId: z.string(),
  agencyName: z.string(),
  caseNumber: z.string(),
  title: z.string(),
  category: z.string(),
});

/** Fields zod let through but the API refuses: an unknown key, or a string that is not well-formed Unicode. */
function strayInput(raw: unknown, parsed: unknown, path: string[], found: Array<{ path: string[]; message: string }>): void {
  if (typeof raw === 'string') {
    // A lone surrogate: stored in Temporal's UTF-8 payloads it would come back as U+FFFD, not as sent.
    if (/\p{Cs}/u.test(raw)) found.push({ path, message: 'must be well-formed Unicode (a lone surrogate is not a character)' });
    return;
  }
  if (Array.isArray(raw)) {
    raw.forEach((item, i) => strayInput(item, Array.isArray(parsed) ? parsed[i] : undefined, [...path, String(i)], found));
    return;
  }
  if (typeof raw !== 'object' || raw === null) return;
  const known = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  for (const [key, value] of Object.entries(raw)) {
    if (/\p{Cs}/u.test(key)) found.push({ path: [...path, key], message: 'must be well-formed Unicode (a lone surrogate is not a character)' });
    else if (known && !Object.prototype.hasOwnProperty.call(known, key)) found.push({ path: [...path, key], message: `unknown field ${JSON.stringify(key)}: this request has no such field` });
    else strayInput(value, known?.[key], [...path, key], found);
  }
}

/**
 * The route's zod schema, and then what zod lets through silently. zod objects drop keys they do not
 * know, so a misspelt field, or one like `by` or `stage` meant to set what the server decides, would
 * be ignored and the rest applied: it is refused instead, naming it. Strings must be well-formed
 * Unicode, or the record would not keep what was sent. The error has the shape the zod validator's
 * own errors have, so the error handler answers both alike (400 naming the field).
 */
export const strictValidatorCompiler: typeof validatorCompiler = (route) => {
  const validate = validatorCompiler(route);
  return (data) => {
    const result = validate(data) as { value?: unknown; error?: unknown };
    if (result.error) return result as never;
    const found: Array<{ path: string[]; message: string }> = [];
    strayInput(data, result.value, [], found);
    if (!found.length) return result as never;
    return {
      error: found.map(({ path, message }) => ({
        [Symbol.for('ZodFastifySchemaValidationError')]: true,
        keyword: 'unrecognized_keys',
        instancePath: `/${path.join('/')}`,
        schemaPath: '#',
        message,
        params: { issue: { path } },
      })),
    } as never;
  };
};
