/**
 * A procedure's actions as one declarative table: for each action, its Update name, its HTTP path
 * segment, its Chinese label, who may take it, in which stages, and the further rules it must
 * satisfy. The workflow's Update validators, the API's routes and the `allowedActions` the API
 * returns to the UI are all read from the table, so a rule is written once and holds whoever calls.
 *
 * Zod-free and free of Temporal: workflows import it, and a rule can be tested as a plain function.
 * The body schemas (zod) live beside each procedure's table, in the procedure's request module.
 */
import type { RefusalType } from './errors.js';
import type { Actor, Role } from './roles.js';

/** Why an action is refused: the type the API maps to a status (domain/errors.ts), and the words. */
export interface Refusal {
  type: Exclude<RefusalType, 'NotFound'>;
  message: string;
  details?: unknown;
}

export interface ActionRow<State, Stage extends string> {
  /** The HTTP path segment after the subject's URL (`/api/decisions/{id}/<path>`). */
  path: string;
  /** What a person reads on the button and in refusals. */
  label: string;
  /** English summary for the OpenAPI document. */
  summary: string;
  roles: readonly Role[];
  stages: readonly Stage[];
  /**
   * Rules that depend on the subject's state (and who asks), not on the body: checked before the
   * action is offered, and again when it is taken. A refusal, or undefined when the action is open.
   */
  when?: (state: State, actor: Actor) => Refusal | undefined;
  /** Rules that depend on the body too; checked when the action is taken. */
  check?: (state: State, body: Record<string, unknown>, actor: Actor, today: string) => Refusal | undefined;
}

export type ProcedureTable<Name extends string, State, Stage extends string> = Readonly<Record<Name, ActionRow<State, Stage>>>;

/** What every subject of a procedure has for the generic rules. */
export interface Subject<Stage extends string> {
  stage: Stage;
  /** The agency the subject belongs to; absent for subjects of the office alone. */
  agencyId?: string;
}

export interface Procedure<Name extends string, State extends Subject<Stage>, Stage extends string> {
  /** What a subject is called in refusals: 案件, 示范点. */
  noun: string;
  stageLabels: Readonly<Record<Stage, string>>;
  actions: ProcedureTable<Name, State, Stage>;
}

/** An action offered to the caller: what the UI draws as a button and the path it posts to. */
export interface AllowedAction<Name extends string = string> {
  action: Name;
  path: string;
  label: string;
}

/** Role, agency and stage: the rules every action of every procedure shares. */
function generalRefusal<Name extends string, State extends Subject<Stage>, Stage extends string>(
  procedure: Procedure<Name, State, Stage>,
  name: Name,
  state: State,
  actor: Actor,
): Refusal | undefined {
  const row = procedure.actions[name];
  if (!row.roles.includes(actor.role)) return { type: 'Forbidden', message: `${row.label}：由${row.roles.map(roleLabel).join('或')}办理，不是${roleLabel(actor.role)}` };
  if (actor.role !== 'office' && state.agencyId !== undefined && actor.agencyId !== state.agencyId) {
    return { type: 'Forbidden', message: `${row.label}：该${procedure.noun}属于其他单位` };
  }
  if (!row.stages.includes(state.stage)) {
    return { type: 'InvalidTransition', message: `${row.label}：${procedure.noun}处于「${procedure.stageLabels[state.stage]}」阶段，不能办理` };
  }
  return undefined;
}

/** Why `actor` may not take `name` on `state` with `body`, or undefined when the action may be taken. */
export function refusalOf<Name extends string, State extends Subject<Stage>, Stage extends string>(
  procedure: Procedure<Name, State, Stage>,
  name: Name,
  state: State,
  actor: Actor,
  body: unknown,
  today: string,
): Refusal | undefined {
  const general = generalRefusal(procedure, name, state, actor);
  if (general) return general;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { type: 'RuleViolation', message: '请求体：须为对象' };
  const row = procedure.actions[name];
  return row.when?.(state, actor) ?? row.check?.(state, body as Record<string, unknown>, actor, today);
}

/** The actions `actor` may take on `state` now, in the table's order. */
export function allowedActions<Name extends string, State extends Subject<Stage>, Stage extends string>(
  procedure: Procedure<Name, State, Stage>,
  state: State,
  actor: Actor,
): AllowedAction<Name>[] {
  return (Object.entries(procedure.actions) as Array<[Name, ActionRow<State, Stage>]>)
    .filter(([name, row]) => !generalRefusal(procedure, name, state, actor) && !row.when?.(state, actor))
    .map(([action, row]) => ({ action, path: row.path, label: row.label }));
}

const ROLE_WORDS: Record<Role, string> = {
  agency: '承办机构',
  'legal-review': '法制审核机构',
  'agency-head': '主要负责人',
  office: '县领导小组办公室',
};
const roleLabel = (role: Role) => ROLE_WORDS[role];
