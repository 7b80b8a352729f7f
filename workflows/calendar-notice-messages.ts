import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CalendarNotice, CalendarNoticeBody } from '../domain/calendar-notice.js';
import type { Actor } from '../domain/roles.js';

/**
 * The calendar-notice workflow's messages (one workflow per year holds every version of that
 * year's State Council notice), and the signal that tells running procedures the calendar changed.
 * Only `@temporalio/workflow` definitions here, safe in the bundle and in plain Node alike.
 */

export interface CalendarNoticeInput {
  year: number;
  /** Seconds to let every worker's calendar take the new notice in before running deadlines move. */
  settleSeconds?: number;
}

export interface Replan {
  version: number;
  /** Running cases, sites and duties told of the change. */
  signalled: number;
  finishedAt: string;
}

export interface CalendarNoticeState {
  year: number;
  /** The version in force, or null before the office entered any. */
  current: CalendarNotice | null;
  /** Every version, oldest first: nothing entered is ever lost. */
  versions: CalendarNotice[];
  replans: Replan[];
}

/** The office enters (a new version of) the year's notice; refused, naming the date, when it makes no sense. */
export const enterCalendarNoticeUpdate = defineUpdate<CalendarNoticeState, [Actor, CalendarNoticeBody]>('enterCalendarNotice');
export const calendarNoticeStateQuery = defineQuery<CalendarNoticeState>('calendarNoticeState');

/** A year's calendar changed: running deadlines that depend on it are recomputed. */
export interface CalendarChange {
  year: number;
  version: number;
  /** The notice's document number, for the full-process record. */
  document: string;
}
export const calendarChangedSignal = defineSignal<[CalendarChange]>('calendarChanged');
