import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { endOfDay, type Calendar } from '../../domain/calendar.js';
import { shanghaiDateOf } from '../../domain/shanghai-time.js';
import { authErrors } from '../schemas.js';
import { yearFigures } from '../../platform/records/figures.js';
import { dutiesAndSites, listWarnings, openItemCounts, recordsOf } from '../records.js';
import '../types.js';

export const WARNING_LEVELS = ['normal', 'yellow', 'red'] as const;
export type WarningLevel = (typeof WARNING_LEVELS)[number];

/**
 * The instant up to which an open deadline is yellow: the end of the Nth working day from today
 * (Asia/Shanghai), so a weekend or holiday never makes a deadline look further away than it is.
 */
export function yellowUntil(calendar: Calendar, workingDays: number, now = Date.now()): string {
  return endOfDay(calendar.addWorkingDays(shanghaiDateOf(now), workingDays).date);
}

const rate = (a: number, total: number) => (total ? Math.round((a / total) * 1000) / 10 : null);

const agencyRow = z.object({
  agencyId: z.string(),
  agencyName: z.string(),
  openItems: z.object({ normal: z.number(), yellow: z.number(), red: z.number() }),
  publication: z.object({ onTime: z.number(), late: z.number(), missing: z.number(), onTimeRate: z.number().nullable().describe('percent') }),
  filing: z.object({ onTime: z.number(), late: z.number(), missing: z.number() }),
  reviewsOverdue: z.number(),
  caseFileReviews: z.object({ q1: z.number(), q2: z.number(), q3: z.number(), q4: z.number() }).describe('files reviewed per quarter'),
  failingCaseFiles: z.number(),
  reports: z.object({
    statistics: z.object({ status: z.string(), submittedAt: z.string().nullable(), late: z.boolean().nullable() }),
    selfInspection: z.object({ status: z.string(), submittedAt: z.string().nullable(), late: z.boolean().nullable() }),
  }),
  demoSite: z.object({ stage: z.string(), stageLabel: z.string(), siteId: z.string() }).nullable(),
});
type AgencyRow = z.output<typeof agencyRow>;

function toCsv(rows: AgencyRow[]): string {
  const header = ['机构ID', '机构', '正常', '黄色预警', '红色预警', '按时公开', '逾期公开', '未公开', '按时公开率%', '按时备案', '逾期备案', '未备案', '审核逾期', 'Q1评查卷数', 'Q2评查卷数', 'Q3评查卷数', 'Q4评查卷数', '不合格案卷', '统计报告', '统计报告报送时间', '回头看报告', '回头看报送时间', '示范点'];
  const cell = (v: unknown) => {
    const text = v === null || v === undefined ? '' : String(v);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = rows.map((r) =>
    [r.agencyId, r.agencyName, r.openItems.normal, r.openItems.yellow, r.openItems.red, r.publication.onTime, r.publication.late, r.publication.missing, r.publication.onTimeRate, r.filing.onTime, r.filing.late, r.filing.missing, r.reviewsOverdue, r.caseFileReviews.q1, r.caseFileReviews.q2, r.caseFileReviews.q3, r.caseFileReviews.q4, r.failingCaseFiles, r.reports.statistics.status, r.reports.statistics.submittedAt, r.reports.selfInspection.status, r.reports.selfInspection.submittedAt, r.demoSite?.stageLabel]
      .map(cell)
      .join(','),
  );
  // A BOM so spreadsheet programs open the Chinese headers as UTF-8.
  return `\uFEFF${[header.join(','), ...lines].join('\r\n')}\r\n`;
}

interface Overview {
  year: number;
  generatedAt: string;
  yellowUntil: string;
  agencies: AgencyRow[];
}

/**
 * The overview of a year from the records database: open items by warning level and overdue reviews
 * counted per agency in SQL, the duties and sites as last written, and the year's figures (the
 * outcome rows plus what the ledgers counted of cases that reported by signal). A few queries
 * whatever the number of cases or agencies.
 */
async function computeOverview(app: FastifyInstance, year: number): Promise<Overview> {
  const db = recordsOf(app.records);
  const threshold = yellowUntil(app.calendarBook.current(), app.config.WARNING_YELLOW_WORKING_DAYS);
  const [counts, { duties, sites }, figures] = await Promise.all([openItemCounts(db, threshold), dutiesAndSites(db, year), yearFigures(db, year)]);

  const agencies = app.agencies.list().map((agency): AgencyRow => {
    const open = counts.get(agency.id) ?? { normal: 0, yellow: 0, red: 0, reviewsOverdue: 0 };
    const counted = figures.get(agency.id);
    const publication = counted?.publications ?? { onTime: 0, late: 0, missing: 0 };
    const filing = counted?.filings ?? { onTime: 0, late: 0, missing: 0 };
    const state = duties.get(agency.id);
    const thisYear = state?.year === year ? state : undefined;
    const past = state?.history.find((h) => h.year === year);
    const reviews = (q: '1' | '2' | '3' | '4') => thisYear?.caseFileReviews[q].record?.files.length ?? 0;
    const site = sites.get(agency.id);
    return {
      agencyId: agency.id,
      agencyName: agency.name,
      openItems: { normal: open.normal, yellow: open.yellow, red: open.red },
      publication: { ...publication, onTimeRate: rate(publication.onTime, publication.onTime + publication.late + publication.missing) },
      filing,
      reviewsOverdue: open.reviewsOverdue,
      caseFileReviews: { q1: reviews('1'), q2: reviews('2'), q3: reviews('3'), q4: reviews('4') },
      failingCaseFiles: thisYear ? Object.values(thisYear.caseFileReviews).reduce((n, r) => n + (r.record?.failing.length ?? 0), 0) : (past?.caseFileReviews.reduce((n, r) => n + r.failing, 0) ?? 0),
      reports: {
        statistics: thisYear
          ? { status: thisYear.statisticsReport.status, submittedAt: thisYear.statisticsReport.submitted?.submittedAt ?? null, late: thisYear.statisticsReport.submitted?.late ?? null }
          : { status: past?.statisticsReport.status ?? 'not-tracked', submittedAt: past?.statisticsReport.submittedAt ?? null, late: past?.statisticsReport.late ?? null },
        selfInspection: thisYear
          ? { status: thisYear.selfInspection.status, submittedAt: thisYear.selfInspection.submitted?.submittedAt ?? null, late: thisYear.selfInspection.submitted?.late ?? null }
          : { status: past?.selfInspection.status ?? 'not-tracked', submittedAt: past?.selfInspection.submittedAt ?? null, late: past?.selfInspection.late ?? null },
      },
      demoSite: site ? { stage: site.stage, stageLabel: site.stageLabel, siteId: site.siteId } : null,
    };
  });
  return { year, generatedAt: new Date().toISOString(), yellowUntil: threshold, agencies };
}

/**
 * Overviews kept for COMPLIANCE_CACHE_SECONDS, and one computation per year at a time however many
 * requests ask: a wall screen or many office browsers polling the overview cost the visibility store
 * one overview per interval. A request with `Cache-Control: no-cache` (the UI's refresh button)
 * gets a freshly computed one. Figures change by the day (warning levels) or by recorded acts, so
 * seconds-old figures are what the office expects; `generatedAt` says how old they are.
 */
class OverviewCache {
  private readonly entries = new Map<number, { at: number; overview: Promise<Overview> }>();
  constructor(
    private readonly compute: (year: number) => Promise<Overview>,
    private readonly ttlMs: number,
  ) {}

  get(year: number, fresh: boolean): Promise<Overview> {
    const now = Date.now();
    const entry = this.entries.get(year);
    if (entry && !fresh && now - entry.at < this.ttlMs) return entry.overview;
    const overview = this.compute(year);
    this.entries.set(year, { at: now, overview });
    // A failed computation is not kept: the next request tries again.
    overview.catch(() => {
      if (this.entries.get(year)?.overview === overview) this.entries.delete(year);
    });
    return overview;
  }
}

export const complianceRoutes: FastifyPluginAsyncZod = async (app) => {
  const overviews = new OverviewCache((year) => computeOverview(app, year), app.config.COMPLIANCE_CACHE_SECONDS * 1000);

  app.get(
    '/api/compliance',
    {
      onRequest: app.requireRole('office'),
      schema: {
        tags: ['compliance'],
        summary: 'The office’s overview per agency: open items by warning level, publication and filing, reviews overdue, case-file reviews, reports, demonstration site (JSON or CSV)',
        security: [{ bearerAuth: [] }],
        querystring: z.object({
          year: z.coerce.number().int().min(2000).max(2100).optional().describe('defaults to this year (Asia/Shanghai)'),
          format: z.enum(['json', 'csv']).default('json'),
        }),
        headers: z.object({ 'cache-control': z.string().max(200).optional().describe('no-cache: compute afresh instead of answering the figures of the last COMPLIANCE_CACHE_SECONDS') }).loose(),
        response: { 200: z.union([z.object({ year: z.number(), generatedAt: z.string(), yellowUntil: z.string(), agencies: z.array(agencyRow) }), z.string()]), ...authErrors },
      },
    },
    async (request, reply) => {
      const year = request.query.year ?? Number(shanghaiDateOf(Date.now()).slice(0, 4));
      const fresh = /\bno-cache\b/i.test(request.headers['cache-control'] ?? '');
      const overview = await overviews.get(year, fresh);
      reply.header('cache-control', `private, max-age=${app.config.COMPLIANCE_CACHE_SECONDS}`);
      if (request.query.format === 'csv') {
        return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="compliance-${year}.csv"`).send(toCsv(overview.agencies));
      }
      return overview;
    },
  );

  app.get(
    '/api/warnings',
    {
      onRequest: app.requireRole('office'),
      schema: {
        tags: ['compliance'],
        summary: 'Everything with an open deadline, by warning level (red: overdue; yellow: due within the configured working days); each page soonest first',
        security: [{ bearerAuth: [] }],
        querystring: z.object({
          level: z.enum(WARNING_LEVELS).optional(),
          agencyId: z.string().regex(/^[a-z0-9-]+$/).optional(),
          pageSize: z.coerce.number().int().min(1).max(200).default(100),
          cursor: z.string().max(4000).optional(),
        }),
        response: {
          200: z.object({
            yellowUntil: z.string(),
            items: z.array(z.object({ workflowId: z.string(), level: z.enum(WARNING_LEVELS), nextDueAt: z.string().nullable(), overdue: z.boolean() }).loose()),
            nextCursor: z.string().nullable(),
          }),
          ...authErrors,
        },
      },
    },
    async (request) => {
      const threshold = yellowUntil(app.calendarBook.current(), app.config.WARNING_YELLOW_WORKING_DAYS);
      const { level, agencyId, pageSize, cursor } = request.query;
      const page = await listWarnings(recordsOf(app.records), request.actor, { level, agencyId, yellowUntil: threshold }, pageSize, cursor);
      return { yellowUntil: threshold, ...page };
    },
  );
};
