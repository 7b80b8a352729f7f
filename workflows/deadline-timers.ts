/**
 * Deadlines inside a workflow: open one from the calendar (workflows/calendar.ts), remind the responsible party
 * before it, escalate to the office when it passes and again while it stays overdue, and tell the
 * workflow when to wake next. Shared by every procedure so a deadline behaves the same everywhere.
 */
import { patched, setHandler } from '@temporalio/workflow';
import type { Notice } from '../domain/notices.js';
import type { Recipient } from '../domain/roles.js';
import { calendar } from './calendar.js';
import { calendarChangedSignal, type CalendarChange } from './calendar-notice-messages.js';
import { notify } from './notify.js';

export interface Deadline<N extends string = string> {
  name: N;
  responsible: Recipient;
  dueDate: string;
  /** The instant the deadline is missed: the end of dueDate in Asia/Shanghai. */
  dueAt: string;
  remindAt: string;
  /** The holiday schedule of a year it touches was not published yet (Monday-Friday assumed). */
  provisional: boolean;
  reminded: boolean;
  overdue: boolean;
  escalations: number;
  nextEscalationAt?: string;
  /** Set when the duty was done: when, and whether late. */
  met?: { on: string; late: boolean };
  /** What the due date was computed from, so it can be computed again when the calendar changes. */
  basis?: DeadlineBasis;
  /** This deadline's own escalation interval (working days; 0: once only), when it differs from the policy's. */
  escalateEvery?: number;
}

/** The calendar request a deadline was opened with. */
export interface DeadlineBasis {
  from: string;
  length: DeadlineLength;
  reminderWorkingDaysBefore: number;
  reminderHour: number;
}

export interface TimerPolicy {
  reminderWorkingDaysBefore: number;
  reminderHour: number;
  /** While overdue, escalate again every N working days; 0 escalates once only. */
  escalationRepeatWorkingDays: number;
  /** Ask the calendar with local activities (workflows/calendar.ts); absent means yes. */
  localCalendar?: boolean;
}

/**
 * A period in working days, in natural days (民法典 art. 201/203), or a fixed last day; a fixed day
 * that `endsOnWorkingDay` moves to the next working day when it is a day off (art. 203).
 */
export type DeadlineLength = { workingDays: number } | { calendarDays: number } | { dueDate: string; endsOnWorkingDay?: boolean };

export interface DeadlineTimersOptions<N extends string> {
  /** The workflow state's deadline list (read and replaced, so queries see it). */
  get: () => Deadline<N>[];
  set: (deadlines: Deadline<N>[]) => void;
  policy: TimerPolicy;
  subjectRef: NonNullable<Notice['subjectRef']>;
  /** "某食品公司销售过期食品案（市监罚〔2026〕12号）": what the notices are about. */
  describe: () => string;
  /** The agency concerned, named in escalations to the office. */
  ownerName: string;
  label: (name: N) => string;
  /** Writes a system entry into the full-process record. */
  record: (action: 'reminder' | 'escalation' | 'deadlineMoved', summary: string, data: unknown) => void;
  /** After the calendar changed and the deadlines were recomputed: other dates the workflow keeps itself. */
  onCalendarChanged?: (change: CalendarChange) => Promise<void>;
  /** Called after deadlines changed, to refresh search attributes and wake the main loop. */
  changed: () => void;
  /** Called when a deadline first becomes overdue. */
  onOverdue?: (deadline: Deadline<N>) => void;
}

/** The calendar request of a deadline's basis. */
function requestOf(basis: DeadlineBasis) {
  return { from: basis.from, ...basis.length, reminderWorkingDaysBefore: basis.reminderWorkingDaysBefore, reminderHour: basis.reminderHour };
}

export function deadlineTimers<N extends string>(options: DeadlineTimersOptions<N>) {
  const { policy, get, set, changed } = options;
  const nowIso = () => new Date().toISOString();

  /** The version of each year's notice the deadlines were last recomputed with. */
  const followed = new Map<number, number>();

  /**
   * A year's calendar changed (a State Council notice was entered): open deadlines that reach into
   * it are computed again from their basis. A deadline met or already missed stays as it was.
   */
  async function followCalendar(change: CalendarChange) {
    if ((followed.get(change.year) ?? 0) >= change.version) return;
    followed.set(change.year, change.version);
    const reachesYear = `${change.year - 1}-12-01`; // a notice may name days of the December before
    const open = (d: Deadline<N>) => !d.met && !d.overdue && Date.now() < Date.parse(d.dueAt);
    const movable = get().filter((d) => open(d) && d.basis && d.dueDate >= reachesYear);
    if (movable.length) {
      const answers = await calendar(policy).calendarReplan({ year: change.year, version: change.version, requests: movable.map((d) => requestOf(d.basis!)) });
      movable.forEach((d, i) => {
        // Reopened, met or missed while the calendar was asked: that answer is no longer about it.
        if (!get().includes(d) || !open(d)) return;
        const due = answers[i]!;
        if (due.dueDate !== d.dueDate) {
          options.record('deadlineMoved', `${options.label(d.name)}期限因${change.year}年放假安排由${d.dueDate}调整为${due.dueDate}`, {
            deadline: d.name,
            from: d.dueDate,
            to: due.dueDate,
            notice: change.document,
            version: change.version,
          });
        }
        // A reminder not yet due is sent at its new time, even if one went out for the old date.
        if (due.remindAt !== d.remindAt && Date.now() < Date.parse(due.remindAt)) d.reminded = false;
        Object.assign(d, due);
      });
    }
    await options.onCalendarChanged?.(change);
    changed();
  }

  setHandler(calendarChangedSignal, async (change) => {
    // Before this patch no workflow took the signal; it marks where following the calendar begins.
    if (patched('deadlines-follow-calendar-notices')) await followCalendar(change);
  });

  // A webhook that keeps failing is retried for up to an hour; reminders must not hold up the
  // workflow meanwhile, so deliveries run beside it and are awaited only at the end (drain).
  const deliveries = new Set<Promise<void>>();
  const send = (notice: Notice) => {
    const delivery = notify(notice).finally(() => deliveries.delete(delivery));
    deliveries.add(delivery);
  };

  const notice = (d: Deadline<N>, kind: Notice['kind'], suffix: string) => ({
    kind,
    subjectRef: options.subjectRef,
    dueAt: d.dueAt,
    issuedAt: nowIso(),
    key: `${options.subjectRef.id}/${d.name}/${d.dueDate}/${suffix}`,
  });

  return {
    get: (name: N) => get().find((d) => d.name === name),

    /** Opens (or reopens) a deadline; the due date comes from the calendar activity. */
    async open(name: N, responsible: Recipient, from: string, length: DeadlineLength, overrides: Partial<TimerPolicy> = {}) {
      const basis: DeadlineBasis = {
        from,
        length,
        reminderWorkingDaysBefore: overrides.reminderWorkingDaysBefore ?? policy.reminderWorkingDaysBefore,
        reminderHour: overrides.reminderHour ?? policy.reminderHour,
      };
      const due = await calendar(policy).calendarDeadline(requestOf(basis));
      const escalateEvery = overrides.escalationRepeatWorkingDays;
      set([
        ...get().filter((d) => d.name !== name),
        { name, responsible, ...due, reminded: false, overdue: false, escalations: 0, basis, ...(escalateEvery === undefined ? {} : { escalateEvery }) },
      ]);
      changed();
      return due;
    },

    /** Records the duty as done on `on` (a date): late when after the due date. */
    meet(name: N, on: string): boolean {
      const d = get().find((x) => x.name === name)!;
      const late = on > d.dueDate;
      d.met = { on, late };
      return late;
    },

    /** Drops the open deadlines `keep` does not keep (e.g. leaving a stage ends its deadline). */
    retain(keep: (d: Deadline<N>) => boolean) {
      set(get().filter((d) => d.met || keep(d)));
    },

    /** When the next reminder or escalation is due, if any. */
    nextWakeAt(): number | undefined {
      const times: number[] = [];
      for (const d of get()) {
        if (d.met) continue;
        if (!d.reminded && !d.overdue) times.push(Date.parse(d.remindAt));
        if (!d.overdue) times.push(Date.parse(d.dueAt));
        else if (d.nextEscalationAt) times.push(Date.parse(d.nextEscalationAt));
      }
      return times.length ? Math.min(...times) : undefined;
    },

    /** Sends what has fallen due: reminders to the responsible party, escalations to the office. */
    async fireDue() {
      const now = Date.now();
      for (const d of [...get()]) {
        if (d.met) continue;
        const label = options.label(d.name);
        const what = options.describe();
        if (!d.reminded && !d.overdue && now >= Date.parse(d.remindAt) && now < Date.parse(d.dueAt)) {
          d.reminded = true;
          options.record('reminder', `提醒：${label}将于 ${d.dueDate} 到期`, { deadline: d.name, to: d.responsible });
          send({
            ...notice(d, 'reminder', 'reminder'),
            recipient: d.responsible,
            subject: `【到期提醒】${label}：${what}`,
            body: `${label}期限 ${d.dueDate}（工作日计算${d.provisional ? '，该年度放假安排尚未公布，暂按法定节假日推算' : ''}）。`,
          });
        }
        const escalateNow = (!d.overdue && now >= Date.parse(d.dueAt)) || (d.overdue && d.nextEscalationAt && now >= Date.parse(d.nextEscalationAt));
        if (escalateNow) {
          d.overdue = true;
          d.reminded = true;
          d.escalations += 1;
          if (d.escalations === 1) options.onOverdue?.(d);
          options.record('escalation', `逾期：${label}已于 ${d.dueDate} 到期，已报告县领导小组办公室（第 ${d.escalations} 次）`, { deadline: d.name, responsible: d.responsible });
          // Deadlines escalated before the patch used the policy's interval whatever they asked for.
          const every = patched('deadline-own-escalation-interval') ? (d.escalateEvery ?? policy.escalationRepeatWorkingDays) : policy.escalationRepeatWorkingDays;
          d.nextEscalationAt = every
            ? await calendar(policy).calendarNextEscalationAt({ after: new Date(now).toISOString(), everyWorkingDays: every, hour: policy.reminderHour })
            : undefined;
          changed();
          send({
            ...notice(d, 'escalation', `escalation-${d.escalations}`),
            recipient: { role: 'office' },
            subject: `【逾期督办】${options.ownerName} ${label}：${what}`,
            body: `${label}期限 ${d.dueDate} 已过，责任方：${d.responsible.role}。`,
          });
        }
      }
      changed();
    },

    /** Waits for reminder deliveries still retrying (before the workflow completes or continues as new). */
    async drain() {
      await Promise.all(deliveries);
    },
  };
}
