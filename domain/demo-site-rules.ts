/**
 * Demonstration sites of the administrative-enforcement responsibility system
 * (行政执法责任制示范点创建): every rule of seed 004 outside the scoring standard, in one place.
 * The scoring standard (附件3) is domain/demo-site-standard.ts, scored by domain/demo-site-scoring.ts.
 * Free of zod, so the workflows import it without building schemas (the request bodies are
 * domain/demo-site.ts, which re-exports everything here).
 */
/** 每年5月底前: applications for a year close at the end of May 31, Asia/Shanghai. */
export const applicationCloses = (year: number) => `${year}-05-31`;

/** 每年8、9月份: acceptance is held between August 1 and September 30. */
export const acceptanceWindow = (year: number) => ({ opens: `${year}-08-01`, closes: `${year}-09-30` });

/** 每2个月 … 调研指导、监督检查1次: one guidance visit per target every two months. */
export const GUIDANCE_EVERY_MONTHS = 2;

/**
 * 公示1周: seven natural days after the day the notice starts (民法典 art. 201), ending at 24:00 of the
 * last day, or of the next working day when the last day is a day off (art. 203).
 */
export const NOTICE_DAYS = 7;

/** 每两年复核复查一次. */
export const REINSPECTION_EVERY_YEARS = 2;

/** 经筛选后确定2-3个单位向市法治政府建设领导小组办公室呈报. */
export const CITY_RECOMMENDATION = { min: 2, max: 3 } as const;

export const SITE_TITLE = '行政执法责任制示范点';

export const REVOCATION_GROUNDS = {
  'failed-reinspection': '复核复查未通过',
  stalled: '工作停滞不前',
  'no-example': '示范带动作用发挥不明显',
  'illegal-enforcement': '违法执法造成不良社会影响',
} as const;
