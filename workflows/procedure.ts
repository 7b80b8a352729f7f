/**
 * The runtime every procedure workflow shares, after the safe-message-handlers sample of
 * temporalio/samples-typescript: the workflow function stays thin, its transitions live in a class,
 * and this runtime owns what was copied in each workflow before:
 *
 * - the state and the full-process record (全过程记录);
 * - the deadline timers (workflows/deadline-timers.ts);
 * - the search-attribute and memo refresh (`refresh`);
 * - Update handlers and validators registered from the procedure's table (domain/procedure.ts);
 * - the wake loop: wait for a change or the next timer, then send what fell due.
 *
 * Determinism. Cases that began before this runtime refreshed the index (upsertSearchAttributes,
 * then upsertMemo) at every change, and some actions made several changes; they keep doing exactly
 * that. Cases started since (patch `one-index-refresh`) refresh once per action, per wake and per
 * signal, and only what changed.
 *
 * Records (patch `records-in-postgres`). Every change of the state and every entry of the record is
 * written to the records database (platform/records/) by the `writeRecords` activity, one write in
 * flight at a time, numbered by `seq` across continue-as-new. The patch is asked at each change, not
 * once: a workflow that began before it starts writing at its first activation on the new code, and
 * its first write carries its whole record so far.
 */
import type { SearchAttributeUpdatePair, UpdateDefinition } from '@temporalio/common';
import { allHandlersFinished, condition, log, patched, proxyActivities, proxyLocalActivities, setHandler, upsertMemo, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { refusalOf, type Procedure, type Subject } from '../domain/procedure.js';
import type { Actor } from '../domain/roles.js';
import { shanghaiDateOf } from '../domain/shanghai-time.js';
import { SA } from '../platform/search-attributes.js';
import { deadlineTimers, type Deadline, type DeadlineTimersOptions } from './deadline-timers.js';
import type { TimelineEntry } from './legal-review-messages.js';
import type { RecordedKind, RecordsChange } from '../platform/records/projections.js';
import { refuse } from './refuse.js';

/** What the runtime reads and keeps in every procedure's state. */
export interface ProcedureState<D extends string> {
  deadlines: Deadline<D>[];
  overdue: boolean;
  nextDueAt: string | null;
}

/** What a workflow shows in the visibility store: its search attributes and its memo. */
export interface Index {
  searchAttributes: SearchAttributeUpdatePair[];
  memo: Record<string, unknown>;
}

/** What a run hands the next (continue-as-new) about its records writes. */
export interface RecordsCarry {
  /** The last write's seq: the next run goes on from it. */
  seq: number;
}

/**
 * The write runs as a local activity, in the worker within the workflow task, recorded as one marker:
 * a regular activity would add a task and six history events to every change, and the caller's
 * answer would come before its list shows the change. Retries are without limit: a records database
 * that is down catches up when it returns, within a minute (each retry waits on a timer, so the
 * history grows by a marker and a timer per attempt, at most one a minute). Workflows started with
 * localCalendar: false (a worker without a cache) write by regular activity.
 */
const retry = { initialInterval: '1 second', maximumInterval: '1 minute' } as const;
// A failed write waits for its next attempt on a server timer, not inside the workflow task: the
// action that made the change answers at once while the database is down.
const localRecords = proxyLocalActivities<Activities>({ startToCloseTimeout: '30 seconds', retry, localRetryThreshold: '500 milliseconds' });
const regularRecords = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry, allowEagerDispatch: false });

export interface ProcedureOptions<S extends ProcedureState<D>, D extends string> {
  /** The kind of row the state is written as in the records database. */
  kind: RecordedKind;
  state: S;
  /** From the previous run, when it wrote records: every entry of the carried timeline is written. */
  carriedRecords?: RecordsCarry;
  /** What the workflow writes with its state besides it (an agency's ledger). */
  recordsExtra?: () => Pick<RecordsChange, 'ledger'>;
  /** The record carried from the previous run, if any. */
  timeline?: TimelineEntry[];
  /** The deadline timers' options; the runtime supplies their state, record and refresh. */
  timers: Omit<DeadlineTimersOptions<D>, 'get' | 'set' | 'record' | 'changed'>;
  /** Fields of the state derived at each refresh (after overdue and nextDueAt), e.g. the stage's label. */
  derive?: (state: S) => void;
  /** The search attributes and memo of the state as it is now. */
  index: (state: S) => Index;
}

/** An Update's handler: a transition taken by an actor with a body. */
export type Transition<B> = (actor: Actor, body: B) => Promise<void> | void;

/** One transition per Update of a table, each taking the body its Update declares. */
export type Transitions<U> = {
  [K in keyof U]: U[K] extends UpdateDefinition<unknown, [Actor, infer B]> ? Transition<B> : never;
};

/** What the wake loop waits for besides changes. */
export interface WakeLoop {
  /** The loop runs while this holds. */
  while: () => boolean;
  /** The next instant to wake at (default: the deadline timers' next reminder or escalation). */
  wakeAt?: () => number | undefined;
  /** After the timers fired: what the passing of time itself changes. */
  afterTimers?: () => Promise<void>;
}

export class ProcedureRuntime<S extends ProcedureState<D>, D extends string> {
  readonly state: S;
  readonly timeline: TimelineEntry[];
  readonly timers: ReturnType<typeof deadlineTimers<D>>;
  /** Refresh the index once per action, wake and signal, and only what changed (patch one-index-refresh). */
  readonly oneRefresh: boolean;
  /** Bumped by every change so the wake loop re-plans its timers. */
  private version = 0;
  /** Actions, wakes and signals under way (oneRefresh): the index is written when the last ends. */
  private depth = 0;
  private dirty = false;
  private written: { searchAttributes?: string; memo?: string } = {};
  /** Records (patch records-in-postgres): once true, for the rest of the run. */
  private recording = false;
  private recordsSeq: number;
  /** Entries of the timeline already sent to the records database. */
  private recordsSent: number;
  private recordsPending = false;
  private recordsInFlight = false;
  private writerStarted = false;
  private ended = false;

  constructor(private readonly options: ProcedureOptions<S, D>) {
    // Decided once, before any command, so a case keeps one path for all of its life.
    this.oneRefresh = patched('one-index-refresh');
    this.state = options.state;
    this.timeline = options.timeline ?? [];
    this.recordsSeq = options.carriedRecords?.seq ?? 0;
    this.recordsSent = options.carriedRecords ? this.timeline.length : 0;
    this.timers = deadlineTimers<D>({
      ...options.timers,
      get: () => this.state.deadlines,
      set: (deadlines) => {
        this.state.deadlines = deadlines;
      },
      record: (action, summary, data) => this.record('system', action, summary, undefined, data),
      changed: () => this.refresh(),
    });
  }

  nowIso(): string {
    return new Date().toISOString();
  }

  /** Today in Asia/Shanghai (YYYY-MM-DD). */
  today(): string {
    return shanghaiDateOf(Date.now());
  }

  /** Writes an entry into the full-process record. */
  record(by: Actor | 'system', action: string, summary: string, words?: string, data?: unknown): void {
    this.timeline.push({ at: this.nowIso(), by, action, summary, ...(words ? { words } : {}), ...(data === undefined ? {} : { data }) });
    this.changedRecords();
  }

  /** The state changed: derive its summary fields, refresh the index and wake the loop. */
  refresh(): void {
    const { state } = this;
    const open = state.deadlines.filter((d) => !d.met);
    state.overdue = open.some((d) => d.overdue);
    state.nextDueAt = open.map((d) => d.dueAt).sort()[0] ?? null;
    this.options.derive?.(state);
    if (this.oneRefresh && this.depth > 0) {
      this.dirty = true;
    } else if (this.oneRefresh) {
      this.write();
    } else {
      const index = this.options.index(state);
      upsertSearchAttributes(index.searchAttributes);
      upsertMemo(index.memo);
    }
    this.changedRecords();
    this.version++;
  }

  /** What the next run carries about the records (undefined when this run has written none). */
  recordsCarry(): RecordsCarry | undefined {
    return this.recording ? { seq: this.recordsSeq } : undefined;
  }

  /** Something the state does not show changed (what recordsExtra writes): write it too. */
  recordsChanged(): void {
    this.changedRecords();
  }

  /** Something to write changed: the writer sends it when the step that changed it has ended. */
  private changedRecords(): void {
    // Asked again at each change until it holds (see the header): patched() is false only while
    // replaying what was recorded before the patch.
    if (!this.recording) this.recording = patched('records-in-postgres');
    if (!this.recording) return;
    this.recordsPending = true;
    if (!this.writerStarted) {
      this.writerStarted = true;
      void this.writer();
    }
  }

  /**
   * The one writer of the run: it waits on a condition, which the SDK evaluates once the
   * activation's jobs and their synchronous work are done, so a write is always scheduled after the
   * commands of the step that made the change, whatever else the activation ran or was in flight
   * (an action, a wake waiting on an activity). One write at a time; changes made meanwhile go with
   * the next.
   */
  private async writer(): Promise<never> {
    for (;;) {
      await condition(() => this.recordsPending && this.depth === 0);
      this.recordsPending = false;
      this.recordsInFlight = true;
      const from = this.recordsSent;
      const entries = this.timeline.slice(from).map((entry, i) => ({ position: from + i, entry }));
      const { workflowId, runId } = workflowInfo();
      const change: RecordsChange = { kind: this.options.kind, workflowId, runId, seq: this.recordsSeq + 1, running: !this.ended, state: this.state, entries, ...this.options.recordsExtra?.() };
      this.recordsSeq = change.seq;
      try {
        await (this.options.timers.policy.localCalendar === false ? regularRecords : localRecords).writeRecords(change);
        this.recordsSent = from + entries.length;
      } catch (err) {
        // Only a write the database refuses for good ends here (retries are unlimited): keep the
        // workflow going; the entries go with the next write.
        log.error('records write failed', { seq: change.seq, error: String(err) });
      } finally {
        this.recordsInFlight = false;
      }
    }
  }

  /** Waits until every change so far is in the records database. */
  private async recordsWritten(): Promise<void> {
    await condition(() => !this.recordsPending && !this.recordsInFlight);
  }

  /** Writes the index once, and only the parts that changed since it was last written. */
  private write(): void {
    this.dirty = false;
    const index = this.options.index(this.state);
    const searchAttributes = JSON.stringify(index.searchAttributes);
    const memo = JSON.stringify(index.memo);
    if (searchAttributes !== this.written.searchAttributes) upsertSearchAttributes(index.searchAttributes);
    if (memo !== this.written.memo) upsertMemo(index.memo);
    this.written = { searchAttributes, memo };
  }

  /**
   * Runs one action, wake or signal: with oneRefresh, its refreshes are written as one when it ends.
   * Without, it runs as the code before the runtime did (the same promise, no extra step).
   */
  batch<T>(work: () => Promise<T> | T): Promise<T> | T {
    if (!this.oneRefresh) return work();
    return this.batched(work);
  }

  private async batched<T>(work: () => Promise<T> | T): Promise<T> {
    this.hold();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  /** Starts a batch by hand (code that must run inline, e.g. a workflow's start); no-op without oneRefresh. */
  hold(): void {
    if (this.oneRefresh) this.depth++;
  }

  /** Ends a batch started with hold(): the last to end writes the index, if it changed. */
  release(): void {
    if (!this.oneRefresh) return;
    this.depth--;
    if (this.depth > 0) return;
    if (this.dirty) this.write();
  }

  /**
   * Registers each action of `procedure` as its Update: the table's rules validate (a refusal writes
   * nothing to the history), the transition of the same name handles, and the Update returns the state.
   */
  register<Name extends string, P extends Subject<string>, U extends Readonly<Record<Name, UpdateDefinition<S, [Actor, unknown]>>>>(
    procedure: Procedure<Name, P, P['stage']>,
    updates: U,
    transitions: Transitions<U>,
  ): void {
    for (const name of Object.keys(procedure.actions) as Name[]) {
      const transition = transitions[name] as unknown as Transition<unknown>;
      setHandler(
        updates[name] as unknown as UpdateDefinition<S, [Actor, unknown]>,
        async (actor: Actor, body: unknown) => {
          await this.batch(() => transition.call(transitions, actor, body));
          return this.state;
        },
        { validator: this.validatorOf(procedure, name) },
      );
    }
  }

  /**
   * The Update validator of one row of `procedure`: its rules, read against the state as the table's
   * subject (`subjectOf`, for a state with no stage of its own; by default the state itself).
   */
  validatorOf<Name extends string, P extends Subject<string>>(
    procedure: Procedure<Name, P, P['stage']>,
    name: Name,
    subjectOf: (state: S) => P = (state) => state as unknown as P,
  ): (actor: Actor, body: unknown) => void {
    return (actor: Actor, body: unknown) => {
      const refusal = refusalOf(procedure, name, subjectOf(this.state), actor, body, this.today());
      if (refusal) refuse(refusal.type, refusal.message, refusal.details);
    };
  }

  /** Registers an Update outside a table, with its own validator; it runs as one action. */
  handle<Ret, Args extends unknown[]>(
    update: UpdateDefinition<Ret, Args>,
    validator: (...args: Args) => void,
    handler: (...args: Args) => Promise<Ret> | Ret,
  ): void {
    setHandler(update, (...args: Args) => this.batch(() => handler(...args)), { validator });
  }

  /** Waits for changes and timers while `loop.while()` holds; sends what falls due on each wake. */
  async run(loop: WakeLoop): Promise<void> {
    const wakeAt = loop.wakeAt ?? (() => this.timers.nextWakeAt());
    while (loop.while()) {
      const seen = this.version;
      const at = wakeAt();
      const changed = await condition(() => this.version !== seen, at === undefined ? undefined : Math.max(at - Date.now(), 1));
      // Without a timeout, condition() resolves to undefined on a change: before the runtime that
      // too fired the timers (a no-op that refreshed the index); since, only a timeout does.
      const timedOut = this.oneRefresh ? changed === false : !changed;
      if (!timedOut) continue;
      if (this.oneRefresh) {
        await this.batched(() => this.wake(loop));
      } else {
        // As the workflows did before the runtime, step for step.
        await this.timers.fireDue();
        if (loop.afterTimers) await loop.afterTimers();
      }
    }
  }

  private async wake(loop: WakeLoop): Promise<void> {
    await this.timers.fireDue();
    if (loop.afterTimers) await loop.afterTimers();
  }

  /** Before completing or continuing as new: deliveries, the workflow's own pending work, handlers. */
  async settle(pending?: Iterable<Promise<unknown>>): Promise<void> {
    await this.timers.drain();
    if (pending) await Promise.all(pending);
    await condition(allHandlersFinished);
    await this.recordsWritten();
  }

  /** Before the workflow returns: its row is written as ended, and every write is done. */
  async finish(pending?: Iterable<Promise<unknown>>): Promise<void> {
    await this.settle(pending);
    this.ended = true;
    this.changedRecords();
    await this.recordsWritten();
  }
}

/** The search attributes every procedure keeps: its stage, who must act, whether overdue, when next due. */
export function procedureSearchAttributes(stage: string, awaiting: string, state: { overdue: boolean; nextDueAt: string | null }): SearchAttributeUpdatePair[] {
  return [
    { key: SA.stage, value: stage },
    { key: SA.awaiting, value: awaiting },
    { key: SA.overdue, value: state.overdue },
    { key: SA.nextDueAt, value: state.nextDueAt ? new Date(state.nextDueAt) : null },
  ];
}

/** The derived fields of a staged procedure: who must act now and the stage's label. */
export function stageFields<Stage extends string, Role>(awaiting: Record<Stage, Role | null>, labels: Readonly<Record<Stage, string>>) {
  return (state: { stage: Stage; awaiting: Role | null; stageLabel: string }) => {
    state.awaiting = awaiting[state.stage];
    state.stageLabel = labels[state.stage];
  };
}
