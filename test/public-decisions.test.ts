/** What the public side shows of a published decision: never a person's id number or full name. */
import { describe, expect, it } from 'vitest';
import { submissionSchema } from '../domain/legal-review.js';
import { publicDecisionView, type LegalReviewState } from '../workflows/legal-review-messages.js';
import { sampleSubmission } from './fixtures.js';

function publishedCase(party: LegalReviewState['submission']['party'], decisionText: string): LegalReviewState {
  const submission = submissionSchema.parse(sampleSubmission({ caseNumber: '公开测试〔2026〕1号', party }));
  return {
    caseId: 'county-market:公开测试〔2026〕1号',
    agencyId: 'county-market',
    agencyName: '县市场监督管理局',
    submission,
    submittedAt: '2026-11-02T01:00:00.000Z',
    stage: 'closed',
    stageLabel: '已办结',
    awaiting: null,
    round: 1,
    extensionUsed: false,
    opinions: [],
    coordinations: [],
    decision: { decision: decisionText, documentNumber: '市监罚决〔2026〕1号', decidedOn: '2026-11-05', decidedAt: '2026-11-05T02:00:00.000Z', by: { role: 'agency-head', agencyId: 'county-market', name: '局长' } },
    publication: { publishedOn: '2026-11-09', channel: '县政府门户网站', late: false, recordedAt: '2026-11-09T02:00:00.000Z' },
    deadlines: [],
    overdue: false,
    nextDueAt: null,
  };
}

describe('a published decision as the public sees it', () => {
  it('shows a person as surname + 某 and masks the name and id number in the decision text', () => {
    const state = publishedCase({ type: 'person', name: '王小明', idNumber: '410101199001011238' }, '对当事人王小明（身份证号410101199001011238）处以罚款人民币三千元。');
    const view = publicDecisionView(state)!;
    expect(view.party).toBe('王某');
    expect(view.decision.text).toBe('对当事人王某（身份证号******************）处以罚款人民币三千元。');
    expect(JSON.stringify(view)).not.toMatch(/王小明|410101199001011238/);
    expect(view).toMatchObject({ caseNumber: '公开测试〔2026〕1号', decision: { documentNumber: '市监罚决〔2026〕1号', decidedOn: '2026-11-05' }, publication: { publishedOn: '2026-11-09', channel: '县政府门户网站' } });
  });

  it('names an organisation but leaves out its credit code and legal representative', () => {
    const state = publishedCase({ type: 'organisation', name: '某超市有限公司', creditCode: '91330000MA00000007', legalRepresentative: '赵六' }, '某超市有限公司（统一社会信用代码91330000MA00000007，法定代表人赵六）：罚款五万元。');
    const view = publicDecisionView(state)!;
    expect(view.party).toBe('某超市有限公司');
    expect(JSON.stringify(view)).not.toMatch(/91330000MA00000007|赵六/);
  });

  it('shows nothing before the publication is recorded', () => {
    const { publication: _published, ...unpublished } = publishedCase({ type: 'person', name: '王小明', idNumber: '410101199001011238' }, '罚款');
    expect(publicDecisionView(unpublished)).toBeUndefined();
  });
});
