import { WorkflowNotFoundError } from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recipientOf } from '../../domain/roles.js';
import { inboxQuery, inboxWorkflowId, markReadUpdate } from '../../workflows/inbox-messages.js';
import '../types.js';

const recipientSchema = z.union([
  z.object({ role: z.literal('office') }),
  z.object({ role: z.enum(['agency', 'legal-review', 'agency-head']), agencyId: z.string() }),
]);

const inboxItemSchema = z
  .object({
    key: z.string().describe('Idempotency key of the notice; name it in POST /api/reminders/read'),
    kind: z.enum(['reminder', 'escalation']).describe('reminder: before a deadline; escalation: after it, to the office'),
    recipient: recipientSchema,
    subject: z.string(),
    body: z.string(),
    subjectRef: z
      .object({ type: z.enum(['legal-review', 'demo-site', 'duty']), id: z.string() })
      .optional()
      .describe('The case, site or duty the notice is about'),
    dueAt: z.string().optional().describe('ISO instant of the deadline concerned'),
    issuedAt: z.string().describe('ISO instant the notice was issued'),
    read: z.boolean(),
  })
  .describe('A reminder or escalation in the inbox');

const inboxQuerystring = z.object({
  unreadOnly: z.stringbool().default(false).describe('Only notices not yet marked read'),
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('Page size'),
  offset: z.coerce.number().int().min(0).default(0).describe('Notices to skip, newest first'),
});

const inboxPageSchema = z.object({
  items: z.array(inboxItemSchema).describe('Newest first'),
  unread: z.number().int().describe('Unread notices in the whole inbox'),
  total: z.number().int().describe('Notices matching the filter, before paging'),
});

const markReadBody = z
  .object({
    keys: z.array(z.string().min(1)).max(1000).optional().describe('Keys of the notices to mark read'),
    all: z.boolean().optional().describe('Mark every notice read'),
  })
  .refine((body) => body.all === true || (body.keys?.length ?? 0) > 0, { message: '请给出要标记的提醒（keys），或标记全部（all: true）' })
  .describe('Which notices to mark read');

const errorBody = z.object({ error: z.string(), message: z.string(), details: z.unknown().optional() });

/** The caller's own reminder inbox: one per (role, agency), and one for the office. */
export const reminderRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/reminders',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['reminders'],
        summary: "The caller's reminders and escalations, newest first",
        security: [{ bearerAuth: [] }],
        querystring: inboxQuerystring,
        response: { 200: inboxPageSchema, 401: errorBody },
      },
    },
    async (request) => {
      const handle = app.temporal.workflow.getHandle(inboxWorkflowId(recipientOf(request.actor)));
      try {
        return await handle.query(inboxQuery, request.query);
      } catch (err) {
        // The inbox starts with its first notice; before that the caller simply has none.
        if (err instanceof WorkflowNotFoundError) return { items: [], unread: 0, total: 0 };
        throw err;
      }
    },
  );

  app.post(
    '/api/reminders/read',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['reminders'],
        summary: "Mark some or all of the caller's notices read",
        security: [{ bearerAuth: [] }],
        body: markReadBody,
        response: {
          200: z.object({ marked: z.number().int().describe('Notices that were unread and are now read') }),
          400: errorBody,
          401: errorBody,
        },
      },
    },
    async (request) => {
      const handle = app.temporal.workflow.getHandle(inboxWorkflowId(recipientOf(request.actor)));
      try {
        return await handle.executeUpdate(markReadUpdate, { args: [request.body] });
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return { marked: 0 };
        throw err;
      }
    },
  );
};
