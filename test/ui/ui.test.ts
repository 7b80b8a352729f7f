/**
 * The web UI end to end in a real browser (Debian's Chromium, headless) against the real system on
 * the dev server: people sign in as the demo agency's roles and do their work through the pages.
 * With UPDATE_SCREENSHOTS=1 the main screens are saved to docs/screenshots/.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Notice } from '../../domain/notices.js';
import { siteWorkflowId } from '../../workflows/demo-site-messages.js';
import { deliverNoticeSignal, inboxWorkflowId } from '../../workflows/inbox-messages.js';
import { agencies, sampleApplication } from '../helpers.js';
import { fillScoreSheet, hasChromium, CHROMIUM, launchBrowser, screenshot, startSystem } from './support.js';

/** An action's effect shows once the workflow's Update (and its activities) returned: wait for it. */
const eventually = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 15_000, interval: 200 });

const ROLE = { agency: '行政执法部门（承办机构）', review: '法制审核机构', head: '主要负责人', office: '县法治政府建设领导小组办公室' };

if (!hasChromium) {
  const why = `skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`;
  console.warn(`web UI browser tests ${why}`);
  describe('web UI in a browser', () => {
    it.skip(why, () => {});
  });
}

describe.skipIf(!hasChromium)('web UI in a browser, on the real system', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  /** Uncaught errors in the pages' scripts: none is expected. */
  const pageErrors: string[] = [];

  beforeAll(async () => {
    [system, browser] = await Promise.all([startSystem(), launchBrowser()]);
  }, 180_000);

  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  /** A tab signed in as one of the demo agency's roles, through the sign-in page. */
  async function tab(role?: keyof typeof ROLE): Promise<Page> {
    const page = await browser.context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(`${system.base}/ui/#/login`);
    if (role) {
      await page.getByRole('button', { name: ROLE[role], exact: true }).click();
      await eventually(() => page.locator('#who').innerText()).toContain(ROLE[role]);
    }
    return page;
  }

  /** Visibility (lists) follows a moment after a change: reload until the thing shows. */
  async function reloadUntilVisible(page: Page, locator: Locator) {
    await expect
      .poll(
        async () => {
          if (await locator.count()) return true;
          await page.reload();
          await page.locator('main h1').waitFor();
          return (await locator.count()) > 0;
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(true);
  }

  const offered = (page: Page) => page.locator('details[data-action]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.action));
  const stage = (page: Page) => page.locator('main p.row .badge.stage').first().innerText();
  const recorded = (page: Page) => page.locator('ol.timeline li').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.action));

  it('takes a case from submission through a failed review, dispute, coordination and decision to publication, every step in its record', async () => {
    const caseNumber = `市监罚〔2026〕${Math.floor(Math.random() * 1e6)}号`;
    const title = '某超市销售过期食品案';

    // The agency fills the submission form; one officer short, the API's 400 shows under the officers.
    const agency = await tab('agency');
    await agency.getByRole('navigation').getByRole('link', { name: '送审' }).click();
    await agency.getByLabel('案件编号').fill(caseNumber);
    await agency.getByLabel('案件名称').fill(title);
    await agency.getByLabel('执法类别').selectOption('penalty');
    await agency.getByLabel('直接关系行政管理相对人或者第三人重大权益').check();
    await agency.getByLabel('名称或姓名').fill('某超市有限公司');
    await agency.getByLabel('统一社会信用代码').fill('91330000MA00000007');
    await agency.getByLabel('案件事实').fill('2026年11月，执法人员检查发现当事人销售超过保质期的食品共计120件。');
    await agency.getByLabel('证据清单').fill('现场检查笔录\n询问笔录\n抽样检验报告');
    await agency.getByLabel('法律依据').fill('《中华人民共和国食品安全法》第三十四条、第一百二十四条');
    await agency.getByLabel('适用的裁量基准').fill('县市场监管行政处罚裁量基准第12项（一般情节）');
    await agency.getByLabel('拟作出的执法决定').fill('没收违法所得，并处罚款人民币五万元。');
    await agency.getByLabel('执法人员 1 姓名').fill('张三');
    await agency.getByLabel('执法证号').first().fill('ZJ-33000001');
    await agency.getByRole('button', { name: '提交法制审核' }).click();
    const officersError = agency.locator('fieldset[data-field="officers"] > .field-error');
    await eventually(() => officersError.innerText()).toContain('执法人员：至少两名');
    // The message alone, in Chinese: no HTTP status or reason phrase before it.
    expect(await agency.locator('form .form-error').first().innerText()).not.toMatch(/400|Bad Request/);
    await screenshot(agency, 'agency-submission-refused');

    await agency.getByLabel('执法人员 2 姓名').fill('李四');
    await agency.getByLabel('执法证号').nth(1).fill('ZJ-33000002');
    await agency.getByRole('button', { name: '提交法制审核' }).click();
    await agency.waitForURL(/#\/case\//);
    const caseUrl = agency.url();
    await eventually(() => agency.locator('#status').innerText()).toBe('已送审，案件现为「法制审核中」');
    await eventually(() => agency.locator('main h1').innerText()).toBe(title);
    expect(await stage(agency)).toBe('法制审核中');
    // While the review runs the agency may only withdraw.
    expect(await offered(agency)).toEqual(['withdraw']);

    // The office's work list has it, with its warning level.
    const office = await tab('office');
    const row = office.locator('tbody tr', { hasText: caseNumber });
    await reloadUntilVisible(office, row);
    expect(await row.locator('.badge').innerText()).toMatch(/正常|黄色预警/);
    await screenshot(office, 'office-work-list');

    // The legal-review body finds the case in its list and fails check 5 with a note.
    const review = await tab('review');
    const link = review.getByRole('link', { name: title });
    await reloadUntilVisible(review, link);
    await screenshot(review, 'review-case-list');
    await link.click();
    await eventually(() => offered(review)).toEqual(['giveOpinion', 'requestMaterial', 'extendReview']);
    const check5 = review.locator('fieldset[data-field="checks.4"]');
    await check5.getByLabel('不通过', { exact: true }).check();
    await check5.getByLabel('说明（不通过时必填）').fill('裁量基准适用不当：应适用从轻情节');
    await review.getByLabel('不同意（审核未通过）').check();
    await review.getByLabel('审核意见书').fill('经审核，裁量基准适用不当，不同意作出该决定。');
    await screenshot(review, 'review-opinion-form');
    await review.getByRole('button', { name: '出具审核意见' }).click();
    await eventually(() => stage(review)).toBe('待承办机构回复审核意见');
    expect(await offered(review)).toEqual([]);

    // The agency disputes the opinion.
    await agency.reload();
    await eventually(() => offered(agency)).toEqual(['acceptOpinion', 'disputeOpinion', 'withdraw']);
    await agency.locator('summary', { hasText: '对审核意见提出异议' }).click();
    await agency.getByLabel('异议理由').fill('当事人系初次违法且主动召回，适用一般情节并无不当。');
    await agency.getByRole('button', { name: '对审核意见提出异议' }).click();
    await eventually(() => stage(agency)).toBe('分歧协调中');

    // The head's coordination overrules the opinion, then the head decides.
    const head = await tab('head');
    await head.goto(caseUrl);
    await eventually(() => offered(head)).toEqual(['coordinate']);
    await head.getByLabel('不采纳审核意见').check();
    await head.getByLabel('参加人员').fill('局长 王五\n法律顾问 赵六');
    await head.getByLabel('会议纪要').fill('经集体研究，采纳承办机构意见。');
    await head.getByLabel('理由', { exact: true }).fill('事实清楚，裁量适当。');
    await head.getByRole('button', { name: '记录协调结果' }).click();
    await eventually(() => stage(head)).toBe('待作出决定');
    expect(await offered(head)).toEqual(['decide']);
    await head.getByLabel('决定书文号').fill('市监罚决〔2026〕77号');
    await head.getByRole('button', { name: '作出执法决定' }).click();
    await eventually(() => stage(head)).toBe('已决定（待公开/备案）');
    expect(await offered(head)).toEqual([]);

    // The agency records the publication, which closes the case (it is not a major penalty to file).
    await agency.reload();
    await eventually(() => offered(agency)).toEqual(['recordPublication']);
    await agency.getByLabel('公开渠道').fill('县政府门户网站 行政执法公示专栏');
    await agency.getByRole('button', { name: '记录决定公开' }).click();
    await eventually(() => stage(agency)).toBe('已办结');
    // Closed, what was published can still be corrected or taken down.
    expect(await offered(agency)).toEqual(['correctPublication']);

    // Every step is in the case's full-process record, in order.
    expect(await recorded(agency)).toEqual(['submit', 'giveOpinion', 'disputeOpinion', 'coordinate', 'decide', 'recordPublication', 'closed']);
    const record = await agency.locator('ol.timeline').innerText();
    for (const words of ['送审', '不同意（审核未通过）', '提请协调', '不采纳审核意见', '市监罚决〔2026〕77号', '按时公开', '案件办结']) expect(record).toContain(words);
    // The deadlines also stand on the official calendar: each due day of the table is marked there.
    const dueDates = await agency.locator('section.card:has(h2:text-is("期限")) tbody tr td:nth-child(2)').allInnerTexts();
    await eventually(() => agency.locator('[data-testid="deadline-calendar"] td.due').count()).toBeGreaterThan(0);
    const marked = await agency.locator('[data-testid="deadline-calendar"] td.due').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-date')));
    for (const date of marked) expect(dueDates.map((d) => d.slice(0, 10))).toContain(date);
    await screenshot(agency, 'case-page-closed');
    await agency.setViewportSize({ width: 820, height: 1180 });
    await screenshot(agency, 'case-page-tablet', false);
    await agency.setViewportSize({ width: 1280, height: 860 });

    // The public sees the published decision, without the party's credit code.
    const visitor = await tab();
    await visitor.goto(`${system.base}/ui/#/public/decisions`);
    const published = visitor.locator('article[aria-label="' + caseNumber + '"]');
    await reloadUntilVisible(visitor, published);
    const shown = await published.innerText();
    for (const words of [title, '县市场监督管理局', '市监罚决〔2026〕77号', '某超市有限公司', '县政府门户网站 行政执法公示专栏']) expect(shown).toContain(words);
    expect(await visitor.locator('main').innerText()).not.toContain('91330000MA00000007');
    await screenshot(visitor, 'public-decisions');
    await visitor.close();

    // The office's overview counts the publication; the CSV downloads with the office's token.
    await office.getByRole('navigation').getByRole('link', { name: '合规概览' }).click();
    await expect
      .poll(
        async () => {
          // 刷新 asks for figures computed now, not the server's seconds-old copy.
          await office.getByRole('button', { name: '刷新' }).click();
          return office.locator('[data-rate="county-market"]').innerText();
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe('100%');
    expect(await office.locator('svg.chart rect').count()).toBeGreaterThan(0);
    // No agency has a site this year (the applications in these tests are for next year).
    expect(await office.locator('[data-stage-count="未申报"]').innerText()).toBe(`${agencies.list().length} 个`);
    const csvLink = office.getByRole('link', { name: '下载 CSV' });
    expect(await csvLink.getAttribute('href')).toMatch(/^\/api\/compliance\?year=\d{4}&format=csv$/);
    const [download] = await Promise.all([office.waitForEvent('download'), csvLink.click()]);
    expect(download.suggestedFilename()).toMatch(/^compliance-\d{4}\.csv$/);
    await screenshot(office, 'office-compliance');

    // A reminder in the agency's inbox (as the deadline timers deliver one) is read and marked read.
    const recipient = { role: 'agency' as const, agencyId: 'county-market' };
    const notice: Notice = {
      key: `ui-test:${caseNumber}`,
      kind: 'reminder',
      recipient,
      subject: `${title}（${caseNumber}）：执法决定公开 明日到期`,
      body: '请于明日24时前在县政府门户网站公开执法决定。',
      subjectRef: { type: 'legal-review', id: `county-market:${caseNumber}` },
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
      issuedAt: new Date().toISOString(),
    };
    await system.env.client.workflow.signalWithStart('reminderInboxWorkflow', {
      workflowId: inboxWorkflowId(recipient),
      taskQueue: system.config.TEMPORAL_TASK_QUEUE,
      args: [{ recipient }],
      signal: deliverNoticeSignal,
      signalArgs: [notice],
    });
    await agency.getByRole('navigation').getByRole('link', { name: '提醒' }).click();
    const unread = agency.locator('ul.inbox li.unread', { hasText: caseNumber });
    await reloadUntilVisible(agency, unread);
    await screenshot(agency, 'agency-reminders');
    await unread.getByRole('button', { name: '标为已读' }).click();
    await eventually(() => unread.count()).toBe(0);
    expect(await agency.locator('ul.inbox li', { hasText: caseNumber }).getByRole('button').count()).toBe(0);
    expect(await agency.locator('main').innerText()).toContain('未读 0 条');
    // Nothing but the count once nothing is unread (the page printed "null" beside it).
    expect(await agency.locator('main p.row').first().innerText()).toMatch(/^未读 0 条，共 \d+ 条$/);
  });

  it('shows deadlines on the official calendar: holidays named, 调休 make-up working days marked, due days outlined', async () => {
    const page = await tab();
    const days: Array<{ date: string; kind: string; holidayName?: string }> = (await (await fetch(`${system.base}/api/calendar/2026`)).json()).days;
    const holiday = days.find((d) => d.kind === 'holiday' && d.date.startsWith('2026-10'))!;
    const makeup = days.find((d) => d.kind === 'makeup-workday' && d.date >= '2026-09-01' && d.date <= '2026-10-31')!;
    expect(holiday.holidayName).toBeTruthy();
    // The calendar component of the case and site pages, given deadlines around National Day.
    // (A string, so the test runner does not rewrite the browser's import().)
    await page.evaluate(`import('/ui/js/calendar.js').then(({ deadlineCalendar }) =>
      document.body.append(deadlineCalendar([{ name: 'review', dueDate: '${holiday.date}' }, { name: 'publication', dueDate: '${makeup.date}' }], 'deadlines')))`);
    const calendar = page.locator('[data-testid="deadline-calendar"]');
    await eventually(() => calendar.locator('table.month').count()).toBeGreaterThan(0);
    const cell = (date: string) => calendar.locator(`td[data-date="${date}"]`);
    expect(await cell(holiday.date).getAttribute('class')).toMatch(/\brest\b.*\bholiday\b/);
    expect(await cell(holiday.date).getAttribute('aria-label')).toContain(holiday.holidayName);
    expect(await cell(makeup.date).getAttribute('class')).toMatch(/\bwork\b.*\bmakeup-workday\b/);
    expect(await cell(makeup.date).innerText()).toContain('班');
    expect(await calendar.locator('td.due').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-date')).sort())).toEqual([holiday.date, makeup.date].sort());
    await screenshot(page, 'deadline-calendar');
    await page.close();
  });

  it('lets an agency apply for next year’s demonstration site, and record a quarter’s case-file review on its duties page', async () => {
    const agency = await tab('agency');
    const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date())) + 1;

    // The application form (this year's closed on May 31, so next year's is offered).
    await agency.getByRole('navigation').getByRole('link', { name: '示范点' }).click();
    await agency.getByRole('link', { name: '申报示范点' }).click();
    expect(await agency.getByLabel('申报年度').locator('option').allInnerTexts()).toEqual([`${year}年（${year}-05-31 截止）`]);
    await agency.getByLabel('申报单位名称').fill('县市场监督管理局');
    await agency.getByLabel('单位级别').fill('正科级');
    await agency.getByLabel('单位地址').fill('县人民路1号');
    await agency.getByLabel('近三年行政执法责任制工作情况').fill('近三年无重大执法过错，执法案卷评查均为优秀。');
    await agency.getByLabel('申报单位意见').fill('同意申报。');
    await agency.getByLabel('创建方案').fill('县市监〔2026〕8号');
    await screenshot(agency, 'agency-site-application');
    await agency.getByRole('button', { name: '提交申报' }).click();
    // The progress ledger was left empty: the API's 400 shows under it, and nothing was created.
    await eventually(() => agency.locator('[data-field="progressLedger"] .field-error').innerText()).toContain('工作推进台账：');
    await agency.getByLabel('工作推进台账').fill('台账第1-12期');
    await agency.getByRole('button', { name: '提交申报' }).click();
    await eventually(() => agency.locator('main h1').innerText()).toBe(`县市场监督管理局 · ${year}年示范点创建`);
    expect(await agency.locator('#status').innerText()).toContain('已提交');
    expect((await system.api('GET', `/api/sites/${encodeURIComponent(siteWorkflowId('county-market', year))}`, 'office')).body.stage).toBe('applied');

    // The duties page: this quarter's case-file review; a score the API cannot read is refused, then one below 70 fails.
    await agency.getByRole('navigation').getByRole('link', { name: '年度职责' }).click();
    await eventually(() => agency.locator('main h1').innerText()).toContain('年度职责');
    expect(await agency.getByRole('heading', { name: /统计报告/ }).count()).toBe(1);
    await agency.getByLabel(/评查案卷/).fill('市监罚〔2026〕1号 九十五 王五');
    await agency.getByRole('button', { name: '记录评查结果' }).click();
    await eventually(() => agency.locator('form[aria-label="记录案卷评查"]').innerText()).toMatch(/第1项·得分：/);
    const quarter = agency.locator('[data-quarter="4"]');
    expect(await quarter.innerText()).toContain('待完成');
    await agency.getByLabel(/评查案卷/).fill('市监罚〔2026〕1号 95 王五\n市监罚〔2026〕2号 65 王五');
    await agency.getByRole('button', { name: '记录评查结果' }).click();
    await eventually(() => quarter.innerText()).toContain('市监罚〔2026〕2号 65分（不合格）');
    expect(await quarter.innerText()).toContain('市监罚〔2026〕1号 95分（优秀）');
    expect(await agency.locator('form[aria-label="记录案卷评查"]').count()).toBe(0);
    expect(await agency.locator('ol.timeline').innerText()).toContain('第4季度案卷评查：2 卷，不合格 1 卷');
    await screenshot(agency, 'agency-duties');

    // The office reads the agency's duties, with no forms.
    const office = await tab('office');
    await office.getByRole('navigation').getByRole('link', { name: '年度职责' }).click();
    await office.getByRole('link', { name: '县市场监督管理局' }).click();
    await eventually(() => office.locator('[data-quarter="4"]').innerText()).toContain('不合格');
    expect(await office.locator('main form').count()).toBe(0);
    await Promise.all([agency.close(), office.close()]);
  });

  it('lets the office fill a site’s score sheet with a live total and a veto, and shows the API’s refusal outside August-September', async () => {
    // Set up through the API: next year's campaign (open until May 31), one site a cultivation
    // target, one still waiting for screening.
    const year = new Date().getFullYear() + 1;
    for (const agencyId of ['county-ecology', 'county-transport']) {
      const applied = await system.api('POST', `/api/site-campaigns/${year}/applications`, 'agency', sampleApplication(), agencyId);
      expect(applied.status).toBe(201);
    }
    const siteId = siteWorkflowId('county-ecology', year);
    expect((await system.api('POST', `/api/sites/${encodeURIComponent(siteId)}/screening`, 'office', { decision: 'target' })).body.stage).toBe('cultivating');

    const office = await tab('office');
    await office.getByRole('navigation').getByRole('link', { name: '示范点', exact: true }).click();
    const card = office.locator('.column', { hasText: '培育对象（指导中）' }).getByRole('link', { name: '县生态环境分局' });
    await reloadUntilVisible(office, card);
    await reloadUntilVisible(office, office.locator('.column', { hasText: '已申报，待审核' }).getByRole('link', { name: '县交通运输局' }));
    await screenshot(office, 'office-sites-board');

    await card.click();
    await office.getByRole('link', { name: '记录验收' }).click();
    await fillScoreSheet(office, { caseFiles: [92, 70], lawTest: 90 });
    const notPublished = office.locator('[data-item="power-list"][data-rule="not-published"]');
    await notPublished.getByLabel('发现（0或1）').fill('1');
    const bonus = office.locator('[data-bonus="demonstration-lead"]');
    await bonus.getByRole('checkbox').check();
    await bonus.getByLabel('确认依据').fill('2026年获省司法厅通报表扬');

    // The page computes the total as it is filled: the law test converted (20 × 90 ÷ 100 = 18), 1 for
    // the finding, exactly 2 for the confirmed bonus, and the case file at 70 (70分以下) vetoes it.
    const score = (which: string) => office.locator(`[data-score="${which}"]`).innerText();
    await eventually(() => score('general')).toBe('97');
    expect(await score('law-test')).toBe('18');
    expect(await score('bonus')).toBe('2');
    expect(await score('vetoes')).toContain('抽查案卷无不合格案卷');
    expect(await score('total')).toBe('-1');

    // A deduction without its note: the API's 400 lands under that note.
    await office.getByRole('button', { name: '提交验收结果' }).click();
    const noteError = notPublished.locator('.note .field-error');
    await eventually(() => noteError.innerText()).toContain('说明：须写明发现的情况');
    await notPublished.getByLabel('扣分说明').fill('流程图未在门户网站公开');
    await screenshot(office, 'office-score-sheet', false);

    // On a real clock in November the acceptance itself is refused: it is held in August-September.
    await office.getByRole('button', { name: '提交验收结果' }).click();
    const formError = office.locator('form .form-error').first();
    await eventually(() => formError.innerText()).toContain(`验收于${year}年8、9月份组织`);
    expect(await formError.innerText()).not.toMatch(/409|Conflict/);
    await screenshot(office, 'office-score-sheet-refused', false);
  });

  it('shows the public the sites under notice (none on this clock, so no objection form) and the annual reports', async () => {
    const visitor = await tab();
    // The office's pages ask a visitor to sign in first.
    await visitor.goto(`${system.base}/ui/#/warnings`);
    await eventually(() => visitor.locator('main').innerText()).toContain('请先登录');
    await visitor.goto(`${system.base}/ui/#/public`);
    await eventually(() => visitor.locator('main').innerText()).toContain('目前没有正在公示的示范点。');
    expect(await visitor.locator('main form').count()).toBe(0);
    expect(await visitor.locator('#nav').innerText()).not.toContain('案件');
    await screenshot(visitor, 'public-notices');

    await visitor.getByRole('navigation').getByRole('link', { name: '年度报告' }).click();
    await eventually(() => visitor.locator('main').innerText()).toContain('该年度尚无已报送的统计年报。');

    // The objection form itself: the list is answered by the test (nothing can be under notice in
    // November), the objection goes to the real API, which refuses it, and the page says why.
    await visitor.route('**/api/public/notices', (route) =>
      route.fulfill({
        json: { items: [{ siteId: 'demo-site:county-water:2027', agencyName: '县水利局', year: 2027, notice: { startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 7 * 86_400_000).toISOString() } }] },
      }),
    );
    await visitor.getByRole('navigation').getByRole('link', { name: '公示' }).click();
    await visitor.getByLabel('异议内容').fill('该局2026年曾有执法人员未亮证执法。');
    await visitor.getByLabel('联系方式（可不填）').fill('138****0000');
    await screenshot(visitor, 'public-objection-form');
    await visitor.getByRole('button', { name: '提交异议' }).click();
    // The API's message alone (api/routes/public.ts still words this one in English).
    await eventually(() => visitor.locator('main .form-error').innerText()).toBe('该示范点不在公示期内，不受理异议');
    await visitor.unroute('**/api/public/notices');
  });
});
