/** The duties' table (domain/procedures/duties.ts) as plain functions: who, and the once-only rules, in Chinese. */
import { describe, expect, it } from 'vitest';
import { allowedActions, refusalOf } from '../domain/procedure.js';
import { DUTIES, dutiesSubject } from '../domain/procedures/duties.js';
import type { DutiesState } from '../workflows/agency-duties-messages.js';

const agency = { role: 'agency' as const, agencyId: 'county-market' };
const state = (patch: Partial<DutiesState> = {}): DutiesState => ({
  agencyId: 'county-market',
  agencyName: '县市场监督管理局',
  year: 2027,
  statisticsReport: { coversYear: 2026, status: 'open' },
  selfInspection: { status: 'open' },
  caseFileReviews: { 1: { status: 'open' }, 2: { status: 'open' }, 3: { status: 'open' }, 4: { status: 'open' } },
  deadlines: [],
  overdue: false,
  nextDueAt: null,
  history: [],
  ...patch,
});
const refused = (name: keyof typeof DUTIES.actions, s: DutiesState, actor: Parameters<typeof refusalOf>[3], body: unknown = {}) =>
  refusalOf(DUTIES, name, dutiesSubject(s), actor, body, '2027-01-10');

describe('the duties’ table', () => {
  it('offers the agency its own duties, and no one else any', () => {
    expect(allowedActions(DUTIES, dutiesSubject(state()), agency).map((a) => a.path)).toEqual(['statistics-report', 'self-inspection', 'case-file-reviews', 'statistics-report/redraft']);
    expect(allowedActions(DUTIES, dutiesSubject(state()), { role: 'office' })).toEqual([]);
    expect(allowedActions(DUTIES, dutiesSubject(state()), { role: 'agency', agencyId: 'county-other' })).toEqual([]);
    expect(refused('submitSelfInspection', state(), { role: 'office' }, { summary: 'x' })).toEqual({ type: 'Forbidden', message: '报送自查报告：由承办机构办理，不是县领导小组办公室' });
    expect(refused('submitSelfInspection', state(), { role: 'agency', agencyId: 'county-other' })).toEqual({ type: 'Forbidden', message: '报送自查报告：该年度职责属于其他单位' });
  });

  it('takes each report once, naming the action', () => {
    const by = { role: 'agency' as const, agencyId: 'county-market' };
    const submitted = state({
      statisticsReport: { coversYear: 2026, status: 'done', submitted: { figures: {} as never, note: '', submittedAt: '2027-01-05T00:00:00Z', late: false, by } },
      selfInspection: { status: 'done', submitted: { summary: 'x', problems: [], measures: [], submittedAt: '2027-04-01T00:00:00Z', late: false, by } },
      caseFileReviews: { 1: { status: 'done', record: { quarter: 1, files: [], failing: [], recordedAt: '2027-03-01T00:00:00Z', late: false, by } }, 2: { status: 'open' }, 3: { status: 'open' }, 4: { status: 'open' } },
    });
    expect(refused('submitStatisticsReport', submitted, agency)).toEqual({ type: 'InvalidTransition', message: '报送年度统计报告：2026年度统计报告已报送' });
    expect(refused('redraftStatisticsReport', submitted, agency)).toEqual({ type: 'InvalidTransition', message: '重新生成统计报告草稿：2026年度统计报告已报送' });
    expect(refused('submitSelfInspection', submitted, agency)).toEqual({ type: 'InvalidTransition', message: '报送自查报告：2027年度自查报告已报送' });
    expect(refused('recordCaseFileReview', submitted, agency, { quarter: 1, files: [] })).toEqual({ type: 'InvalidTransition', message: '记录案卷评查：第1季度案卷评查已记录' });
    expect(refused('recordCaseFileReview', submitted, agency, { quarter: 2, files: [] })).toBeUndefined();
    expect(allowedActions(DUTIES, dutiesSubject(submitted), agency).map((a) => a.action)).toEqual(['recordCaseFileReview']);
    expect(refused('recordCaseFileReview', state(), agency, null)?.type).toBe('RuleViolation');
  });
});
