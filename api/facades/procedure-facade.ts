/**
 * The one way routes reach the workflow of a subject (a case, a site, an agency's duties): its id,
 * who may see it, its state and record, and its actions. The routes then never touch workflow ids or
 * the Temporal client, and every facade answers alike: 404 for a subject that does not exist or that
 * the caller may not see (an agency does not learn that another agency's case exists), 409 naming the
 * final stage for an action on a closed one. Decorated on the app the way fastify/demo decorates
 * its repositories (api/facades/index.ts).
 */
import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { QueryDefinition, UpdateDefinition } from '@temporalio/common';
import type { Actor } from '../../domain/roles.js';
import { HttpError } from '../plugins/errors.js';

export interface ProcedureFacadeOptions<State, Timeline, Name extends string> {
  client: Client;
  /** What the subject is called in messages: 案件, 示范点, 年度职责. */
  noun: string;
  workflowIdOf: (id: string) => string;
  /** Whether the caller may see the subject at all (otherwise 404, as if it did not exist). */
  canSee: (actor: Actor, id: string) => boolean;
  stateQuery: QueryDefinition<State>;
  timelineQuery: QueryDefinition<Timeline>;
  /** Each action's Update: [the actor from the token, the body] (each body its own type, checked by its schema). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  updates: Readonly<Record<Name, UpdateDefinition<State, [Actor, any]>>>;
  /** The words for a subject that exists but whose workflow is not there (yet). */
  missing?: (id: string) => string;
  /**
   * The subject as the records database keeps it (by workflow id), for one whose workflow is gone
   * from Temporal (its namespace's retention passed): its last state and its whole record.
   */
  archive?: { state(workflowId: string): Promise<unknown>; timeline(workflowId: string): Promise<unknown> };
}

export interface ProcedureFacade<State, Timeline, Name extends string> {
  /** The subject's workflow for a caller who may see it; 404 otherwise. */
  handle(actor: Actor, id: string): WorkflowHandle;
  state(actor: Actor, id: string): Promise<State>;
  timeline(actor: Actor, id: string): Promise<Timeline>;
  /** The subject's workflow for the public side (no caller to check: what it shows is the route's choice). */
  publicHandle(id: string): WorkflowHandle;
  /** The subject's state for the public side; 404 when there is none. */
  publicState(id: string): Promise<State>;
  /** Takes an action (its Update's validator decides) and answers with the new state. */
  act(actor: Actor, id: string, action: Name, body: unknown, label: string): Promise<State>;
}

export function procedureFacade<State, Timeline, Name extends string>(
  options: ProcedureFacadeOptions<State, Timeline, Name>,
): ProcedureFacade<State, Timeline, Name> {
  const notFound = (id: string) => new HttpError(404, options.missing?.(id) ?? `没有该${options.noun}：${id}`);
  const handle = (actor: Actor, id: string) => {
    if (!options.canSee(actor, id)) throw notFound(id);
    return options.client.workflow.getHandle(options.workflowIdOf(id));
  };
  /** Asks the workflow; one gone from Temporal is answered from the archive, or 404. */
  const ask = async <T>(workflow: WorkflowHandle, id: string, query: QueryDefinition<T>, archived: 'state' | 'timeline'): Promise<T> => {
    try {
      return await workflow.query(query);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      const kept = await options.archive?.[archived](workflow.workflowId);
      if (kept === undefined) throw notFound(id);
      return kept as T;
    }
  };
  const publicHandle = (id: string) => options.client.workflow.getHandle(options.workflowIdOf(id));
  return {
    handle,
    publicHandle,
    publicState: (id) => ask(publicHandle(id), id, options.stateQuery, 'state'),
    state: (actor, id) => ask(handle(actor, id), id, options.stateQuery, 'state'),
    timeline: (actor, id) => ask(handle(actor, id), id, options.timelineQuery, 'timeline'),
    async act(actor, id, action, body, label) {
      const workflow = handle(actor, id);
      try {
        // The body was validated against the action's schema by the route; the Update's own
        // validator checks it again against the procedure's rules.
        return await workflow.executeUpdate(options.updates[action], { args: [actor, body] });
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
        // A closed workflow takes no Updates: say why (its final stage) rather than "not found".
        const closed = await ask(workflow, id, options.stateQuery, 'state');
        const { stage, stageLabel } = closed as { stage?: string; stageLabel?: string };
        throw new HttpError(409, `${label}：已办结${stageLabel ? `（${stageLabel}）` : ''}，不能再办理`, { stage });
      }
    },
  };
}
