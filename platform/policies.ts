/**
 * The deadline policies a new case or site is started with, from the configuration. Copied into the
 * workflow's input, so a later configuration change does not move the deadlines of running ones.
 */
import type { DeadlinePolicy } from '../workflows/legal-review-messages.js';
import type { SitePolicy } from '../workflows/demo-site-messages.js';
import type { Config } from './config.js';

/** Reminders, escalations and how the calendar is asked, shared by every procedure. */
export function timerPolicy(config: Config) {
  return {
    reminderWorkingDaysBefore: config.REMINDER_WORKING_DAYS_BEFORE,
    reminderHour: config.REMINDER_HOUR,
    escalationRepeatWorkingDays: config.ESCALATION_REPEAT_WORKING_DAYS,
    localCalendar: config.CALENDAR_LOCAL_ACTIVITIES,
  };
}

export function reviewPolicy(config: Config): DeadlinePolicy {
  return {
    reviewWorkingDays: config.REVIEW_WORKING_DAYS,
    extensionWorkingDays: config.REVIEW_EXTENSION_WORKING_DAYS,
    materialWorkingDays: config.MATERIAL_WORKING_DAYS,
    responseWorkingDays: config.RESPONSE_WORKING_DAYS,
    coordinationWorkingDays: config.COORDINATION_WORKING_DAYS,
    decisionWorkingDays: config.DECISION_WORKING_DAYS,
    ...timerPolicy(config),
  };
}

export function sitePolicy(config: Config): SitePolicy {
  return {
    ...timerPolicy(config),
    passMark: config.DEMO_SITE_PASS_MARK,
    officeWorkingDays: config.OFFICE_WORKING_DAYS,
  };
}
