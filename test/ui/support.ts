/**
 * The browser tests' plumbing: the whole system as `npm start` runs it (a real Temporal dev server,
 * a worker, the API listening on an ephemeral port) and Debian's Chromium driven by playwright-core.
 */
import { ensureAgencyDuties } from '../../platform/duties.js';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { buildApp } from '../../api/app.js';
import type { Role } from '../../domain/roles.js';
import { createWorker } from '../../worker/worker.js';
import { fileRecordsDb, agencies, bearer, devServerEnv, testConfig, timeSkippingEnv, uniqueTaskQueue, workflowBundle } from '../helpers.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/**
 * `timeSkipping`: on the time-skipping test server instead, for what only a date months ahead
 * shows (an acceptance in August, a notice week). It has no list queries, so pages that list from
 * visibility cannot be used there; pages of one case or site (queries and Updates) can.
 */
export async function startSystem(options: { timeSkipping?: boolean } = {}) {
  const env = options.timeSkipping ? await timeSkippingEnv() : await devServerEnv();
  const config = testConfig(uniqueTaskQueue('ui'));
  const worker = await createWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    client: env.client,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    agencies,
    webhookSecret: config.WEBHOOK_SECRET,
    workflowBundle: await workflowBundle(),
    records: await fileRecordsDb(),
  });
  const running = worker.run();
  // As worker/main.ts does at start-up: every agency's duties workflow exists.
  await ensureAgencyDuties(env.client, agencies, config);
  const app = await buildApp({ config, temporal: env.client, agencies, records: await fileRecordsDb() });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  /** The API called directly, for what the test sets up rather than what it shows through the UI. */
  const api = async (method: 'GET' | 'POST', path: string, role: Role, body?: unknown, agencyId?: string) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...bearer(config, role, agencyId), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  return {
    env,
    config,
    base,
    api,
    async stop() {
      await app.close();
      worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}

/** Headless Chromium with a fresh profile; each page (tab) keeps its own sign-in (sessionStorage). */
export async function launchBrowser(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'es-ui-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1280, height: 860 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const SHOTS = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');

/** A PNG of the page into docs/screenshots/ when UPDATE_SCREENSHOTS=1 (the committed set). */
export async function screenshot(page: Page, name: string, fullPage = true) {
  if (process.env.UPDATE_SCREENSHOTS !== '1') return;
  mkdirSync(SHOTS, { recursive: true });
  // Let fonts and the last re-render settle, so the picture is what a person would see.
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}

/**
 * Fills the acceptance score sheet page as the office would: the three methods in words, two
 * sampled case files with their scores, five officers with their law-test results.
 */
export async function fillScoreSheet(page: Page, scores: { caseFiles: [number, number]; lawTest: number }) {
  await page.getByLabel('听取汇报').fill('听取了创建工作汇报');
  await page.getByLabel('查阅资料').fill('查阅了权责清单、执法案卷');
  await page.getByLabel('实地察看（含暗访）').fill('实地察看执法窗口');
  for (const [i, score] of scores.caseFiles.entries()) {
    await page.getByLabel(`案卷 ${i + 1} 编号`).fill(`案卷-${i + 1}`);
    await page.getByLabel('评查得分').nth(i).fill(String(score));
  }
  for (const [i, name] of ['甲', '乙', '丙', '丁', '戊'].entries()) {
    await page.getByLabel(`执法人员 ${i + 1}`, { exact: true }).fill(name);
    await page.getByLabel('测试成绩').nth(i).fill(String(scores.lawTest));
  }
}

/**
 * The actions a site page offers (its 可办理事项), once each in page order (a form per open
 * objection repeats resolveObjection), with the words on each one's button or link.
 */
export async function drawnSiteActions(page: Page) {
  const drawn = await page
    .locator('section[aria-labelledby="site-actions"] [data-action]')
    .evaluateAll((els) => els.map((e) => ({ action: (e as HTMLElement).dataset.action, button: (e.querySelector('button[type="submit"]') ?? e.querySelector('a.button'))?.textContent })));
  return drawn.filter((d, i) => drawn.findIndex((x) => x.action === d.action) === i);
}
