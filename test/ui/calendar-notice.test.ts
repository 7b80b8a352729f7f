/**
 * The office's 放假安排 screen in Debian's Chromium against the real system on the dev server: the
 * office enters the State Council's 2027 holiday notice festival by festival. A make-up working day
 * on a Wednesday is refused at its row in Chinese; once corrected the notice is in force as version 1,
 * and the year's calendar beside the form follows it (2027-02-11 off, 2027-02-20 worked).
 *
 * The API takes notices for this year and the next on its real clock, so this runs in 2026 and 2027.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NOTICE_2027 } from '../fixtures.js';
import { hasChromium, launchBrowser, screenshot, startSystem } from './support.js';

const eventually = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 15_000, interval: 200 });
const OFFICE = '县法治政府建设领导小组办公室';
const thisYear = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));

describe.skipIf(!hasChromium || thisYear < 2026 || thisYear > 2027)('the office enters a year’s holiday notice (放假安排) in a browser', () => {
  let system: Awaited<ReturnType<typeof startSystem>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
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

  async function officeTab(): Promise<Page> {
    const page = await browser.context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(`${system.base}/ui/#/login`);
    await page.getByRole('button', { name: OFFICE, exact: true }).click();
    await eventually(() => page.locator('#who').innerText()).toContain('办公室');
    return page;
  }

  it('refuses a make-up day on a Wednesday at its row, then puts the corrected notice in force with the calendar beside it', async () => {
    const office = await officeTab();

    // Before the notice, a due date in 2027 says it is provisional and why, in the deadline table of
    // the case, site and duties pages and under their calendar. (A string, so the test runner does not
    // rewrite the browser's import().)
    await office.evaluate(`Promise.all([import('/ui/js/views/case.js'), import('/ui/js/calendar.js')]).then(([{ deadlinesCard }, { deadlineCalendar }]) => {
      const due = [{ name: 'review', dueDate: '2027-02-12', provisional: true }];
      document.body.append(deadlinesCard(due, 'deadlines'), deadlineCalendar(due, 'deadlines'));
    })`);
    expect(await office.locator('body > section.card td', { hasText: '2027-02-12' }).innerText()).toBe('2027-02-12（暂定：该年度放假安排尚未公布，按法定节假日推算）');
    await eventually(() => office.locator('[data-testid="deadline-calendar"] .provisional-note').innerText()).toBe(
      '2027年放假安排尚未公布，日期暂定：按《全国年节及纪念日放假办法》的法定节假日推算，逢周末的推定在工作日补休。',
    );
    await office.reload();
    await office.getByRole('navigation').getByRole('link', { name: '放假安排' }).click();
    await office.locator('main h1').waitFor();
    await office.getByLabel('年度').selectOption('2027');
    await eventually(() => office.locator('main h1').innerText()).toBe('2027年放假安排');

    // Before the notice the year is the regulation's: provisional, weekdays in lieu estimated.
    const calendar = office.locator('[data-testid="year-calendar"]');
    const cell = (date: string) => calendar.locator(`td[data-date="${date}"]`);
    await eventually(() => calendar.getAttribute('data-source')).toBe('regulation');
    expect(await calendar.innerText()).toContain('2027年放假安排尚未公布，日期暂定');
    expect(await cell('2027-02-10').getAttribute('class')).toMatch(/\bholiday\b.*\bestimated\b/);
    expect(await cell('2027-02-10').getAttribute('aria-label')).toContain('推定补休');
    expect(await cell('2027-02-11').getAttribute('class')).toMatch(/\bworkday\b/);
    expect(await office.locator('[data-testid="notice-in-force"]').innerText()).toContain('尚未录入');

    // The seven festivals are there to fill in; the Spring Festival's make-up day mistyped as a Wednesday.
    const rows = office.locator('fieldset.festival');
    expect(await rows.locator('legend').allInnerTexts()).toEqual(NOTICE_2027.festivals.map((f) => f.name));
    await office.getByLabel('通知文号').fill(NOTICE_2027.document);
    for (const [i, festival] of NOTICE_2027.festivals.entries()) {
      const row = rows.nth(i);
      await row.getByLabel('放假首日').fill(festival.holidays.from);
      await row.getByLabel('放假末日').fill(festival.holidays.to);
      const makeup = festival.name === '春节' ? ['2027-02-10'] : festival.makeupWorkdays;
      for (const [j, date] of makeup.entries()) {
        await row.getByRole('button', { name: '添加调休上班日' }).click();
        await row.getByLabel(`调休上班日 ${j + 1}`, { exact: true }).fill(date);
      }
    }
    await office.getByRole('button', { name: '录入放假安排' }).click();

    const spring = rows.nth(1);
    const dayError = spring.locator('[data-field="festivals.1.makeupWorkdays.0"] > .field-error');
    await eventually(() => dayError.innerText()).toContain('2027-02-10 是星期三，调休上班日须为星期六或星期日');
    expect(await spring.getByLabel('调休上班日 1', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    // Only that row is marked; the refusal is summed up beside the button.
    expect(await office.locator('.field-error:not(:empty)').count()).toBe(1);
    expect(await office.locator('form .form-error').innerText()).toBe('请按标出的字段修改后再提交');
    expect((await system.api('GET', '/api/calendar/2027/notice', 'office')).body.current).toBeNull();
    await screenshot(office, 'office-calendar-notice-refused');

    await spring.getByLabel('调休上班日 1', { exact: true }).fill('2027-02-20');
    await office.getByRole('button', { name: '录入放假安排' }).click();
    await eventually(() => office.locator('#status').innerText()).toContain('已录入2027年放假安排第 1 版');
    const inForce = office.locator('[data-testid="notice-in-force"]');
    expect(await inForce.innerText()).toContain('第 1 版');
    expect(await inForce.innerText()).toContain(NOTICE_2027.document);
    expect(await inForce.innerText()).toContain(OFFICE);
    expect(await inForce.innerText()).toContain('无更早的版本');

    // The calendar beside it is the notice's now: the seventh day off, and the Saturday worked.
    await eventually(() => calendar.getAttribute('data-source')).toBe('notice');
    expect(await calendar.innerText()).toContain(`依据${NOTICE_2027.document}（第 1 版）`);
    expect(await cell('2027-02-11').getAttribute('class')).toMatch(/\brest\b.*\bholiday\b/);
    expect(await cell('2027-02-11').getAttribute('aria-label')).toContain('春节');
    expect(await cell('2027-02-20').getAttribute('class')).toMatch(/\bwork\b.*\bmakeup-workday\b/);
    expect(await cell('2027-02-20').innerText()).toContain('班');
    expect(await cell('2027-02-10').getAttribute('class')).not.toMatch(/\bestimated\b/);
    const served = (await (await fetch(`${system.base}/api/calendar/2027`)).json()) as { source: string; provisional: boolean };
    expect(served).toMatchObject({ source: 'notice', provisional: false });
    await screenshot(office, 'office-calendar-notice');

    // A second version (the form starts from the one in force) puts the first among the earlier ones.
    await office.getByLabel('通知文号').fill('国办发明电〔2026〕10号');
    await office.getByRole('button', { name: '录入第 2 版' }).click();
    await eventually(() => office.locator('#status').innerText()).toContain('第 2 版');
    expect(await office.locator('[data-testid="notice-versions"] tbody tr').allInnerTexts()).toEqual([expect.stringContaining(NOTICE_2027.document)]);
    await office.close();
  }, 120_000);
});
