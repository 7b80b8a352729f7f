import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import type { QueryDefinition, UpdateDefinition } from '@temporalio/common';
import type { Actor } from '../domain/roles.js';
import { HttpError } from './plugins/errors.js';

/**
 * Runs one action (a Workflow Update whose validator decides) and returns the new state. A closed
 * workflow takes no Updates; the caller learns why (its final stage) instead of "not found".
 */
export async function runAction<S extends { stage: string; stageLabel: string }>(
  handle: WorkflowHandle,
  update: UpdateDefinition<S, [Actor, never]>,
  actor: Actor,
  body: unknown,
  stateQuery: QueryDefinition<S>,
  actionName: string,
): Promise<S> {
  try {
    return await handle.executeUpdate(update, { args: [actor, body as never] });
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    const closed = await handle.query(stateQuery);
    throw new HttpError(409, `${actionName}：已办结（${closed.stageLabel}），不能再办理`, { stage: closed.stage });
  }
}
