/**
 * Scoring of a demonstration-site acceptance (组织验收) against a versioned standard
 * (domain/demo-site-standard.ts). Pure: no clock, no I/O, the same sheet always gives the same result.
 */
import { z } from 'zod';
import { CURRENT_STANDARD_ID, STANDARDS, caseFileFails, findStandard, type GeneralItem, type StandardVersion } from './demo-site-standard.js';

/**
 * The seed states no pass mark (验收达标 is not defined in points). 90 is the reading a county bureau
 * takes for 达标 of a *demonstration* site — a model for others, not merely compliant. Callers pass
 * their own (policy configuration) to scoreSheet.
 */
export const DEFAULT_PASS_MARK = 90;

/** 根据申领执法证件名单随机抽取5人，进行现场法律知识测试. */
export const LAW_TEST_OFFICERS = 5;

const note = (field: string) =>
  z
    .string({ error: `${field}: required text` })
    .trim()
    .min(1, `${field}: say what was found`)
    .max(2_000, `${field}: at most 2000 characters`);

const score100 = (field: string) =>
  z
    .number({ error: `${field}: a number from 0 to 100` })
    .min(0, `${field}: at least 0`)
    .max(100, `${field}: at most 100`);

export const scoreSheetSchema = z
  .object({
    standardId: z.string({ error: `standardId: required, e.g. ${CURRENT_STANDARD_ID}` }).trim().min(1, 'standardId: required'),
    vetoes: z
      .array(z.object({ basicId: z.string({ error: 'vetoes[].basicId: required' }), note: note('vetoes[].note') }), {
        error: 'vetoes: a list (empty when no basic standard is violated)',
      })
      .max(50)
      .describe('基础标准 found violated (a failing sampled case file, 70 or less, is derived from caseFiles, not recorded here)'),
    deductions: z
      .array(
        z.object({
          itemId: z.string({ error: 'deductions[].itemId: required' }),
          ruleId: z.string({ error: 'deductions[].ruleId: required' }),
          occurrences: z
            .number({ error: 'deductions[].occurrences: a whole number, at least 1' })
            .int('deductions[].occurrences: a whole number')
            .min(1, 'deductions[].occurrences: at least 1')
            .max(1_000, 'deductions[].occurrences: at most 1000'),
          note: note('deductions[].note'),
        }),
        { error: 'deductions: a list (empty when nothing is deducted)' },
      )
      .max(500)
      .describe('一般标准 findings: which rule of which item, how many times'),
    bonuses: z
      .array(
        z.object({
          bonusId: z.string({ error: 'bonuses[].bonusId: required' }),
          points: z
            .number({ error: 'bonuses[].points: a number' })
            .positive('bonuses[].points: more than 0')
            .optional()
            .describe('only for an item with a maximum (henan-2022); a confirmed item is worth its fixed points'),
          note: note('bonuses[].note'),
        }),
        { error: 'bonuses: a list (empty when none is awarded)' },
      )
      .max(50)
      .describe('加分事项 confirmed: listing an item confirms it (经确认后，加2分)'),
    caseFiles: z
      .array(
        z.object({
          ref: z.string({ error: 'caseFiles[].ref: required' }).trim().min(1, 'caseFiles[].ref: required').max(200),
          score: score100('caseFiles[].score'),
        }),
        { error: 'caseFiles: the sampled case files with their review scores' },
      )
      .min(1, 'caseFiles: record at least one sampled case file')
      .max(500)
      .describe('案卷评查: the randomly drawn case files and their scores'),
    lawTests: z
      .array(
        z.object({
          officer: z.string({ error: 'lawTests[].officer: required' }).trim().min(1, 'lawTests[].officer: required').max(100),
          score: score100('lawTests[].score'),
        }),
        { error: 'lawTests: the five sampled officers with their scores' },
      )
      .max(50)
      .describe('现场法律知识测试 of the five officers drawn from the certificate list; the law-test item is converted from their scores'),
  })
  .superRefine((sheet, ctx) => {
    const standard = findStandard(sheet.standardId);
    if (!standard) {
      ctx.addIssue({
        code: 'custom',
        path: ['standardId'],
        message: `standardId: unknown standard '${sheet.standardId}' (known: ${Object.keys(STANDARDS).join(', ')})`,
      });
      return;
    }
    if (standard.supersededBy) {
      ctx.addIssue({
        code: 'custom',
        path: ['standardId'],
        message: `standardId: ${standard.id} 已由 ${standard.supersededBy} 取代，仅用于查阅按其评分的验收；新的评分表请按 ${standard.supersededBy} 填写`,
      });
      return;
    }
    for (const problem of problemsAgainst(sheet, standard)) ctx.addIssue({ code: 'custom', ...problem });

    const refs = new Set<string>();
    sheet.caseFiles.forEach((f, i) => {
      if (refs.has(f.ref)) ctx.addIssue({ code: 'custom', path: ['caseFiles', i, 'ref'], message: `caseFiles[${i}].ref: '${f.ref}' is listed twice` });
      refs.add(f.ref);
    });
    const officers = new Set<string>();
    sheet.lawTests.forEach((t, i) => {
      if (officers.has(t.officer)) {
        ctx.addIssue({ code: 'custom', path: ['lawTests', i, 'officer'], message: `lawTests[${i}].officer: '${t.officer}' is tested twice; sample five different officers` });
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
  const where = `standard ${standard.id}`;

  if (usesLawTests(standard) && sheet.lawTests.length !== LAW_TEST_OFFICERS) {
    problems.push({
      path: ['lawTests'],
      message: `lawTests: 须录入恰好${LAW_TEST_OFFICERS}名执法人员的测试成绩（从申领执法证件名单中随机抽取${LAW_TEST_OFFICERS}人，本项得分据此换算），现录入${sheet.lawTests.length}名`,
    });
  }

  const vetoed = new Set<string>();
  sheet.vetoes.forEach((v, i) => {
    const path = ['vetoes', i, 'basicId'];
    const basic = standard.basic.find((b) => b.id === v.basicId);
    if (!basic) problems.push({ path, message: `vetoes[${i}].basicId: unknown basic standard '${v.basicId}' in ${where}` });
    else if (basic.derivedFrom === 'case-files') {
      problems.push({ path, message: `vetoes[${i}].basicId: '${v.basicId}' follows from caseFiles scores; record the case file instead` });
    } else if (vetoed.has(v.basicId)) problems.push({ path, message: `vetoes[${i}].basicId: '${v.basicId}' is recorded twice` });
    vetoed.add(v.basicId);
  });

  const onceRules = new Map<string, number>();
  sheet.deductions.forEach((d, i) => {
    const item = standard.general.flatMap((s) => s.items).find((it) => it.id === d.itemId);
    if (!item) {
      problems.push({ path: ['deductions', i, 'itemId'], message: `deductions[${i}].itemId: unknown item '${d.itemId}' in ${where}` });
      return;
    }
    const rule = item.rules.find((r) => r.id === d.ruleId);
    const path = ['deductions', i, 'ruleId'];
    if (!rule) {
      problems.push({ path, message: `deductions[${i}].ruleId: unknown rule '${d.ruleId}' of item '${d.itemId}' (rules: ${item.rules.map((r) => r.id).join(', ')})` });
    } else if (rule.derivedFrom === 'law-tests') {
      problems.push({ path, message: `deductions[${i}].ruleId: '${d.ruleId}' follows from lawTests scores; do not record it` });
    } else if (!rule.perOccurrence) {
      const key = `${d.itemId}/${d.ruleId}`;
      const seen = (onceRules.get(key) ?? 0) + d.occurrences;
      onceRules.set(key, seen);
      if (seen > 1) {
        problems.push({ path: ['deductions', i, 'occurrences'], message: `deductions[${i}]: rule '${key}' applies once; record it once with occurrences 1` });
      }
    }
  });

  const awarded = new Set<string>();
  sheet.bonuses.forEach((b, i) => {
    const bonus = standard.bonus.find((x) => x.id === b.bonusId);
    if (!bonus) problems.push({ path: ['bonuses', i, 'bonusId'], message: `bonuses[${i}].bonusId: unknown bonus item '${b.bonusId}' in ${where}` });
    else if (awarded.has(b.bonusId)) problems.push({ path: ['bonuses', i, 'bonusId'], message: `bonuses[${i}].bonusId: '${b.bonusId}' is awarded twice` });
    else if (bonus.points !== undefined && b.points !== undefined) {
      problems.push({ path: ['bonuses', i, 'points'], message: `bonuses[${i}].points: 加分事项'${b.bonusId}'经确认即加${bonus.points}分，只需确认，不填分值` });
    } else if (bonus.max !== undefined && b.points === undefined) {
      problems.push({ path: ['bonuses', i, 'points'], message: `bonuses[${i}].points: '${b.bonusId}' of ${where} needs the points awarded, at most ${bonus.max}` });
    } else if (bonus.max !== undefined && b.points! > bonus.max) {
      problems.push({ path: ['bonuses', i, 'points'], message: `bonuses[${i}].points: '${b.bonusId}' is worth at most ${bonus.max}` });
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
