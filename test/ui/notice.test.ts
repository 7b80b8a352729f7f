/**
 * A demonstration site's acceptance and public notice in a real browser. Acceptance is held in
 * August-September and the notice lasts a week, which a November clock cannot show: this file runs
 * the system on the time-skipping test server and moves its clock to August of next year between
 * the steps people take in the pages (the browser's own clock is not moved; dates are typed).
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiInstant } from '../../domain/calendar.js';
import { shanghaiDateOf } from '../../domain/shanghai-time.js';
import { siteWorkflowId } from '../../workflows/demo-site-messages.js';
import { sampleApplication } from '../helpers.js';
import { drawnSiteActions, fillScoreSheet, hasChromium, launchBrowser, screenshot, startSystem } from './support.js';

const eventually = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 15_000, interval: 200 });

describe.skipIf(!hasChromium)('a site’s acceptance, notice and objection in a browser, on the time-skipping server', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    [system, browser] = await Promise.all([startSystem({ timeSkipping: true }), launchBrowser()]);
  }, 180_000);

  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  async function tab(role?: 'office'): Promise<Page> {
    const page = await browser.context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(`${system.base}/ui/#/login`);
    if (role) {
      await page.getByRole('button', { name: '县法治政府建设领导小组办公室', exact: true }).click();
      await eventually(() => page.locator('#who').innerText()).toContain('办公室');
    }
    return page;
  }

  /** The site page offers exactly the API's allowedActions for the office at `stage`, in its order and words; their names. */
  async function offersAsApi(page: Page, sitePath: string, stage: string) {
    const state = (await system.api('GET', `/api/sites/${sitePath}`, 'office')).body;
    expect(state.stage).toBe(stage);
    const allowed: Array<{ action: string; label: string }> = state.allowedActions;
    await eventually(() => page.locator('main p.row .badge').first().innerText()).toBe(state.stageLabel);
    await eventually(() => drawnSiteActions(page)).toEqual(allowed.map((a) => ({ action: a.action, button: a.label })));
    return allowed.map((a) => a.action);
  }

  /** An action the page does not offer is refused by the API too (403/409/422), the site where it was. */
  async function refused(sitePath: string, path: string, body: unknown) {
    const before = (await system.api('GET', `/api/sites/${sitePath}`, 'office')).body.stage;
    expect([403, 409, 422]).toContain((await system.api('POST', `/api/sites/${sitePath}/${path}`, 'office', body)).status);
    expect((await system.api('GET', `/api/sites/${sitePath}`, 'office')).body.stage).toBe(before);
  }

  /** Moves the server's clock to an instant (Asia/Shanghai wall time given as ISO), firing what falls due. */
  async function skipTo(instant: string) {
    await system.env.sleep(Math.max(Date.parse(instant) - (await system.env.currentTimeMs()), 1));
  }

  it('scores the site in August, puts it under notice, takes a public objection, dismisses it and names the site', async () => {
    const year = Number(shanghaiDateOf(await system.env.currentTimeMs()).slice(0, 4)) + 1;
    const siteId = siteWorkflowId('county-ecology', year);
    const sitePath = encodeURIComponent(siteId);
    expect((await system.api('POST', `/api/site-campaigns/${year}/applications`, 'agency', sampleApplication(), 'county-ecology')).status).toBe(201);
    expect((await system.api('POST', `/api/sites/${sitePath}/screening`, 'office', { decision: 'target' })).body.stage).toBe('cultivating');
    await skipTo(shanghaiInstant(`${year}-08-02`, 10));

    // The office fills the score sheet on the acceptance day: nothing found, every case file passes,
    // the law test converted to 20 × 90 ÷ 100 = 18 of its 20.
    const office = await tab('office');
    await office.goto(`${system.base}/ui/#/site/${sitePath}/acceptance`);
    await office.getByLabel('验收日期').fill(`${year}-08-02`);
    await fillScoreSheet(office, { caseFiles: [92, 88], lawTest: 90 });
    await eventually(() => office.locator('[data-score="general"]').innerText()).toBe('98');
    await office.getByRole('button', { name: '提交验收结果' }).click();
    await eventually(() => office.locator('#status').innerText()).toContain('验收已记录');
    expect((await system.api('GET', `/api/sites/${sitePath}`, 'office')).body).toMatchObject({ stage: 'accepted', acceptance: { result: { passed: true } } });

    // The office publishes the notice from the site's page.
    expect(await offersAsApi(office, sitePath, 'accepted')).toContain('startNotice');
    await refused(sitePath, 'confirmation', { note: '' });
    await office.getByLabel('公示渠道').fill('县政府门户网站');
    await office.getByRole('button', { name: '发布拟命名公示' }).click();
    await eventually(async () => (await system.api('GET', `/api/sites/${sitePath}`, 'office')).body.stage).toBe('under-notice');

    // Anyone objects on the site's public page; the contact is never shown to the public.
    const visitor = await tab();
    await visitor.goto(`${system.base}/ui/#/public/site/${sitePath}`);
    await visitor.getByLabel('异议内容').fill('该局去年有一起执法人员未出示证件的投诉。');
    await visitor.getByLabel('联系方式（可不填）').fill('13800000000');
    await screenshot(visitor, 'public-site-objection');
    await visitor.getByRole('button', { name: '提交异议' }).click();
    await eventually(() => visitor.locator('main [role="status"]').innerText()).toContain('异议已收到（第 1 件）');
    await visitor.reload();
    await eventually(() => visitor.locator('main').innerText()).toContain('待处理 1 件');
    expect(await visitor.locator('main').innerText()).not.toContain('13800000000');

    // The office dismisses it with reasons; once the week is over it names the site.
    await office.reload();
    const objection = office.locator('details', { hasText: '处理异议（第 1 件）' });
    await eventually(() => objection.count()).toBe(1);
    expect(await offersAsApi(office, sitePath, 'under-notice')).toContain('resolveObjection');
    await refused(sitePath, 'confirmation', { note: '' });
    expect(await objection.locator('blockquote').innerText()).toBe('该局去年有一起执法人员未出示证件的投诉。');
    await objection.getByLabel('异议不成立').check();
    await objection.getByLabel('理由').fill('经核实，该投诉已于去年查处并整改，不影响示范点命名。');
    await objection.getByRole('button', { name: '处理异议' }).click();
    await eventually(async () => (await system.api('GET', `/api/sites/${sitePath}`, 'office')).body.objections[0].status).toBe('dismissed');

    const noticeEnds = (await system.api('GET', `/api/sites/${sitePath}`, 'office')).body.notice.endsAt as string;
    await skipTo(new Date(Date.parse(noticeEnds) + 3_600_000).toISOString());
    await office.reload();
    // While the week ran no confirmation was offered; now it is, the objection resolved.
    const confirming = await offersAsApi(office, sitePath, 'awaiting-confirmation');
    expect(confirming).toContain('confirm');
    expect(confirming).not.toContain('resolveObjection');
    await refused(sitePath, 'objections/1/resolution', { outcome: 'uphold', reasons: '再次处理' });
    await office.getByRole('button', { name: '确认命名' }).click();
    await eventually(async () => (await system.api('GET', `/api/sites/${sitePath}`, 'office')).body.stage).toBe('named');
    await office.reload();
    const record = office.locator('ol.timeline');
    await eventually(() => record.innerText()).toContain('命名');
    expect(await offersAsApi(office, sitePath, 'named')).toEqual(expect.arrayContaining(['reinspect', 'revoke']));
    await refused(sitePath, 'screening', { decision: 'target' });
    await screenshot(office, 'office-site-named');
    await Promise.all([office.close(), visitor.close()]);
  }, 120_000);
});
