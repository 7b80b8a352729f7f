/**
 * Scoring of a demonstration-site acceptance (组织验收) against a versioned standard
 * (domain/demo-site-standard.ts). Pure: no clock, no I/O, the same sheet always gives the same result.
 */
import { z } from 'zod';
import './zod-locale.js';
import { CURRENT_STANDARD_ID, STANDARDS, caseFileFails, findStandard, type GeneralItem, type StandardVersion } from './demo-site-standard.js';

/**
 * The seed states no pass mark (验收达标 is not defined in points). 90 is the reading a county bureau
 * takes for 达标 of a *demonstration* site — a model for others, not merely compliant. Callers pass
 * their own (policy configuration) to scoreSheet.
 */
export const DEFAULT_PASS_MARK = 90;

/** 根据申领执法证件名单随机抽取5人，进行现场法律知识测试. */
export const LAW_TEST_OFFICERS = 5;

/** A finding's note. The field's label (from the schema) precedes each message. */
const note = () => z.string().trim().min(1, '须写明发现的情况').max(2_000).describe('说明');

const score100 = () => z.number().min(0, '须在0至100之间').max(100, '须在0至100之间');

export const scoreSheetSchema = z
  .object({
    standardId: z.string().trim().min(1, `必填，如 ${CURRENT_STANDARD_ID}`).describe(`评分标准：如 ${CURRENT_STANDARD_ID}`),
    vetoes: z
      .array(z.object({ basicId: z.string().describe('基础标准'), note: note() }))
      .max(50)
      .describe('一票否决：发现违反的基础标准（抽查案卷70分及以下由案卷评查得出，不在此记录）'),
    deductions: z
      .array(
        z.object({
          itemId: z.string().describe('评分项目'),
          ruleId: z.string().describe('扣分规则'),
          occurrences: z.number().int('须为整数').min(1, '至少1次').max(1_000, '至多1000次').describe('次数'),
          note: note(),
        }),
      )
      .max(500)
      .describe('扣分：一般标准中哪一项的哪条规则、扣几次'),
    bonuses: z
      .array(
        z.object({
          bonusId: z.string().describe('加分事项'),
          points: z
            .number()
            .positive('须大于0')
            .optional()
            .describe('分值：仅用于设有上限的加分事项（henan-2022）；经确认的事项按固定分值加分'),
          note: note(),
        }),
      )
      .max(50)
      .describe('加分事项：列出即为确认（经确认后，加2分）'),
    caseFiles: z
      .array(
        z.object({
          ref: z.string().trim().min(1, '必填').max(200).describe('案卷'),
          score: score100().describe('得分'),
        }),
      )
      .min(1, '至少录入一份抽查的案卷')
      .max(500)
      .describe('案卷评查：随机抽取的案卷及其得分'),
    lawTests: z
      .array(
        z.object({
          officer: z.string().trim().min(1, '必填').max(100).describe('执法人员'),
          score: score100().describe('成绩'),
        }),
      )
      .max(50)
      .describe('法律知识测试：从申领执法证件名单中抽取的五名执法人员及其成绩，本项得分据此换算'),
  })
  .superRefine((sheet, ctx) => {
    const standard = findStandard(sheet.standardId);
    if (!standard) {
      ctx.addIssue({
        code: 'custom',
        path: ['standardId'],
        message: `评分标准：没有评分标准“${sheet.standardId}”（可用：${Object.keys(STANDARDS).join('、')}）`,
      });
      return;
    }
    if (standard.supersededBy) {
      ctx.addIssue({
        code: 'custom',
        path: ['standardId'],
        message: `评分标准：${standard.id} 已由 ${standard.supersededBy} 取代，仅用于查阅按其评分的验收；新的评分表请按 ${standard.supersededBy} 填写`,
      });
      return;
    }
    for (const problem of problemsAgainst(sheet, standard)) ctx.addIssue({ code: 'custom', ...problem });

    const refs = new Set<string>();
    sheet.caseFiles.forEach((f, i) => {
      if (refs.has(f.ref)) ctx.addIssue({ code: 'custom', path: ['caseFiles', i, 'ref'], message: `案卷评查第${i + 1}项·案卷：“${f.ref}”重复列出` });
      refs.add(f.ref);
    });
    const officers = new Set<string>();
    sheet.lawTests.forEach((t, i) => {
      if (officers.has(t.officer)) {
        ctx.addIssue({ code: 'custom', path: ['lawTests', i, 'officer'], message: `法律知识测试第${i + 1}项·执法人员：“${t.officer}”重复测试；请抽取五名不同的执法人员` });
      }
      officers.add(t.officer);
    });
  });
export type ScoreSheet = z.output<typeof scoreSheetSchema>;

interface Problem {
  path: (string | number)[];
  message: string;
}

/** Whether the standard scores anything from the law tests, and so needs the five officers' scores. */
const usesLawTests = (standard: StandardVersion) =>
  standard.general.some((s) => s.items.some((item) => item.convertedFrom === 'law-tests' || item.rules.some((r) => r.derivedFrom === 'law-tests')));

/** Ids checked against the standard: unknown, derived-only, repeated or over the item's points. */
function problemsAgainst(sheet: ScoreSheet, standard: StandardVersion): Problem[] {
  const problems: Problem[] = [];
  const where = `评分标准 ${standard.id}`;

  if (usesLawTests(standard) && sheet.lawTests.length !== LAW_TEST_OFFICERS) {
    problems.push({
      path: ['lawTests'],
      message: `法律知识测试：须录入恰好${LAW_TEST_OFFICERS}名执法人员的测试成绩（从申领执法证件名单中随机抽取${LAW_TEST_OFFICERS}人，本项得分据此换算），现录入${sheet.lawTests.length}名`,
    });
  }

  const vetoed = new Set<string>();
  sheet.vetoes.forEach((v, i) => {
    const path = ['vetoes', i, 'basicId'];
    const basic = standard.basic.find((b) => b.id === v.basicId);
    if (!basic) problems.push({ path, message: `一票否决第${i + 1}项·基础标准：${where} 中没有基础标准“${v.basicId}”` });
    else if (basic.derivedFrom === 'case-files') {
      problems.push({ path, message: `一票否决第${i + 1}项·基础标准：“${v.basicId}”由案卷评查得分得出，请在案卷评查中录入该案卷` });
    } else if (vetoed.has(v.basicId)) problems.push({ path, message: `一票否决第${i + 1}项·基础标准：“${v.basicId}”重复记录` });
    vetoed.add(v.basicId);
  });

  const onceRules = new Map<string, number>();
  sheet.deductions.forEach((d, i) => {
    const item = standard.general.flatMap((s) => s.items).find((it) => it.id === d.itemId);
    if (!item) {
      problems.push({ path: ['deductions', i, 'itemId'], message: `扣分第${i + 1}项·评分项目：${where} 中没有评分项目“${d.itemId}”` });
      return;
    }
    const rule = item.rules.find((r) => r.id === d.ruleId);
    const path = ['deductions', i, 'ruleId'];
    if (!rule) {
      problems.push({ path, message: `扣分第${i + 1}项·扣分规则：评分项目“${d.itemId}”没有扣分规则“${d.ruleId}”（可用：${item.rules.map((r) => r.id).join('、')}）` });
    } else if (rule.derivedFrom === 'law-tests') {
      problems.push({ path, message: `扣分第${i + 1}项·扣分规则：“${d.ruleId}”由法律知识测试成绩得出，不在此记录` });
    } else if (!rule.perOccurrence) {
      const key = `${d.itemId}/${d.ruleId}`;
      const seen = (onceRules.get(key) ?? 0) + d.occurrences;
      onceRules.set(key, seen);
      if (seen > 1) {
        problems.push({ path: ['deductions', i, 'occurrences'], message: `扣分第${i + 1}项·次数：扣分规则“${key}”只扣一次，请只记录一次、次数为1` });
      }
    }
  });

  const awarded = new Set<string>();
  sheet.bonuses.forEach((b, i) => {
    const bonus = standard.bonus.find((x) => x.id === b.bonusId);
    if (!bonus) problems.push({ path: ['bonuses', i, 'bonusId'], message: `加分事项第${i + 1}项·加分事项：${where} 中没有加分事项“${b.bonusId}”` });
    else if (awarded.has(b.bonusId)) problems.push({ path: ['bonuses', i, 'bonusId'], message: `加分事项第${i + 1}项·加分事项：“${b.bonusId}”重复加分` });
    else if (bonus.points !== undefined && b.points !== undefined) {
      problems.push({ path: ['bonuses', i, 'points'], message: `加分事项第${i + 1}项·分值：加分事项“${b.bonusId}”经确认即加${bonus.points}分，只需确认，不填分值` });
    } else if (bonus.max !== undefined && b.points === undefined) {
      problems.push({ path: ['bonuses', i, 'points'], message: `加分事项第${i + 1}项·分值：${where} 的加分事项“${b.bonusId}”须填写所加分值，至多${bonus.max}分` });
    } else if (bonus.max !== undefined && b.points! > bonus.max) {
      problems.push({ path: ['bonuses', i, 'points'], message: `加分事项第${i + 1}项·分值：“${b.bonusId}”至多加${bonus.max}分` });
    }
    awarded.add(b.bonusId);
  });
  return problems;
}

export interface ScoreResult {
  standardId: string;
  /** source 'case-files': found from the sampled case files' scores (results recorded before henan-2022-v2 say 'case-file-below-70'). */
  vetoes: Array<{ basicId: string; label: string; source: 'recorded' | 'case-files'; note: string }>;
  sections: Array<{
    id: string;
    label: string;
    max: number;
    deducted: number;
    score: number;
    items: Array<{ id: string; label: string; max: number; deducted: number; score: number }>;
  }>;
  /** 一般标准, 0..100. */
  general: number;
  /** 加分事项, 0..bonusCap. */
  bonus: number;
  /** general + bonus − 100 × vetoes: negative when vetoed. */
  total: number;
  vetoed: boolean;
  passMark: number;
  /** No veto and general + bonus reaches the pass mark. */
  passed: boolean;
}

export interface ScoreOptions {
  passMark?: number;
  /**
   * The standard to score against, when it is not (yet) in STANDARDS — a draft version being
   * previewed. By default the one the sheet names.
   */
  standard?: StandardVersion;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * 根据现场测试得分换算本项得分: the item's points × the mean of the recorded scores ÷ 100, to one
 * decimal, half up (reading 7 of domain/demo-site-standard.ts). ui/js/scoring.js repeats this
 * expression as is, so the browser rounds the same floating-point value.
 */
export function lawTestPoints(item: Pick<GeneralItem, 'max'>, scores: readonly number[]): number {
  const sum = scores.reduce((n, s) => n + s, 0);
  return round1((item.max * sum) / (100 * scores.length));
}

/**
 * Scores a sheet that passed scoreSheetSchema (or one recorded under a superseded version, which the
 * schema no longer takes). Deductions of an item never exceed its points. The law-test item is first
 * converted from the five scores (convertedFrom), then deducts once in total when any officer scores
 * below the pass mark (出现测试成绩不合格的…扣20分), so that a failing officer leaves it 0; any failing
 * sampled case file (70 or less) adds the case-file veto once.
 */
export function scoreSheet(sheet: ScoreSheet, options: ScoreOptions = {}): ScoreResult {
  const standard = options.standard ?? findStandard(sheet.standardId);
  if (!standard) throw new RangeError(`unknown standard '${sheet.standardId}'`);
  const problems = problemsAgainst(sheet, standard);
  if (problems.length) throw new RangeError(problems.map((p) => p.message).join('; '));
  const passMark = options.passMark ?? DEFAULT_PASS_MARK;
  const maxTotal = standard.generalTotal + standard.bonusCap;
  if (!Number.isFinite(passMark) || passMark < 0 || passMark > maxTotal) {
    throw new RangeError(`passMark must be between 0 and ${maxTotal}, got ${passMark}`);
  }

  const vetoes: ScoreResult['vetoes'] = [];
  const failedFiles = sheet.caseFiles.filter((f) => caseFileFails(standard, f.score));
  for (const basic of standard.basic) {
    if (basic.derivedFrom === 'case-files') {
      if (failedFiles.length) {
        const list = failedFiles.map((f) => `${f.ref}（${f.score}分）`).join('、');
        vetoes.push({ basicId: basic.id, label: basic.label, source: 'case-files', note: `不合格案卷：${list}` });
      }
      continue;
    }
    const recorded = sheet.vetoes.find((v) => v.basicId === basic.id);
    if (recorded) vetoes.push({ basicId: basic.id, label: basic.label, source: 'recorded', note: recorded.note });
  }

  const lawTestFailed = sheet.lawTests.some((t) => t.score < standard.lawTestPassMark);
  const sections: ScoreResult['sections'] = standard.general.map((section) => {
    const items = section.items.map((item) => {
      let raw = item.convertedFrom === 'law-tests' ? item.max - lawTestPoints(item, sheet.lawTests.map((t) => t.score)) : 0;
      for (const rule of item.rules) {
        if (rule.derivedFrom === 'law-tests') {
          if (lawTestFailed) raw += rule.points;
          continue;
        }
        const occurrences = sheet.deductions
          .filter((d) => d.itemId === item.id && d.ruleId === rule.id)
          .reduce((n, d) => n + d.occurrences, 0);
        raw += rule.perOccurrence ? rule.points * occurrences : occurrences > 0 ? rule.points : 0;
      }
      const deducted = round1(Math.min(item.max, raw));
      return { id: item.id, label: item.label, max: item.max, deducted, score: round1(item.max - deducted) };
    });
    const deducted = round1(items.reduce((n, it) => n + it.deducted, 0));
    return { id: section.id, label: section.label, max: section.points, deducted, score: round1(section.points - deducted), items };
  });

  const general = round1(Math.max(0, standard.generalTotal - sections.reduce((n, s) => n + s.deducted, 0)));
  const awarded = sheet.bonuses.reduce((n, b) => {
    const bonus = standard.bonus.find((x) => x.id === b.bonusId)!;
    return n + (bonus.points ?? Math.min(bonus.max!, b.points!));
  }, 0);
  const bonus = round1(Math.min(standard.bonusCap, awarded));
  const vetoDeduction = vetoes.reduce((n, v) => n + standard.basic.find((b) => b.id === v.basicId)!.deduction, 0);
  const vetoed = vetoes.length > 0;
  return {
    standardId: standard.id,
    vetoes,
    sections,
    general,
    bonus,
    total: round1(general + bonus - vetoDeduction),
    vetoed,
    passMark,
    passed: !vetoed && round1(general + bonus) >= passMark,
  };
}
