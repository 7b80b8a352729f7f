// The live total of the score sheet page: the same arithmetic as domain/demo-site-scoring.ts
// (scoreSheet), in plain JS so the browser runs it without a build step. The score that counts is the
// one the API computes when the acceptance is recorded; test/ui/scoring.test.ts keeps the two equal.

const round1 = (n) => Math.round(n * 10) / 10;

/** 不合格案卷: 70分以下 includes 70 (caseFileFailsAtOrBelow); henan-2022 read it as below its pass mark. */
export const caseFileFails = (standard, score) =>
  standard.caseFileFailsAtOrBelow !== undefined ? score <= standard.caseFileFailsAtOrBelow : score < standard.caseFilePassMark;

/** 根据现场测试得分换算本项得分: the item's points × the mean score ÷ 100, to one decimal (lawTestPoints). */
export function lawTestPoints(item, scores) {
  const sum = scores.reduce((n, s) => n + s, 0);
  return round1((item.max * sum) / (100 * scores.length));
}

/**
 * Scores `sheet` ({ vetoes, deductions, bonuses, caseFiles, lawTests }) against `standard` (as GET
 * /api/site-standards/:id returns it). Returns { vetoes, sections, general, bonus, total, vetoed }.
 * While the page is being filled, a score not yet typed counts for nothing: a case file without a
 * score vetoes nothing, and the law test is converted once all five scores are in (until then the
 * item shows its full points).
 */
export function previewScore(standard, sheet) {
  const vetoes = [];
  const failedFiles = sheet.caseFiles.filter((f) => Number.isFinite(f.score) && caseFileFails(standard, f.score));
  for (const basic of standard.basic) {
    if (basic.derivedFrom === 'case-files') {
      if (failedFiles.length) vetoes.push({ basicId: basic.id, label: basic.label, source: 'case-files', deduction: basic.deduction });
      continue;
    }
    if (sheet.vetoes.some((v) => v.basicId === basic.id)) vetoes.push({ basicId: basic.id, label: basic.label, source: 'recorded', deduction: basic.deduction });
  }

  const lawScores = sheet.lawTests.map((t) => t.score).filter(Number.isFinite);
  const lawTestsComplete = lawScores.length === sheet.lawTests.length && lawScores.length > 0;
  const lawTestFailed = lawScores.some((score) => score < standard.lawTestPassMark);
  const sections = standard.general.map((section) => {
    const items = section.items.map((item) => {
      let raw = item.convertedFrom === 'law-tests' && lawTestsComplete ? item.max - lawTestPoints(item, lawScores) : 0;
      for (const rule of item.rules) {
        if (rule.derivedFrom === 'law-tests') {
          if (lawTestFailed) raw += rule.points;
          continue;
        }
        const occurrences = sheet.deductions.filter((d) => d.itemId === item.id && d.ruleId === rule.id).reduce((n, d) => n + d.occurrences, 0);
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
    const bonus = standard.bonus.find((x) => x.id === b.bonusId);
    if (!bonus) return n;
    return n + (bonus.points ?? Math.min(bonus.max, b.points ?? 0));
  }, 0);
  const bonus = round1(Math.min(standard.bonusCap, awarded));
  const vetoDeduction = vetoes.reduce((n, v) => n + v.deduction, 0);
  return { vetoes, sections, general, bonus, total: round1(general + bonus - vetoDeduction), vetoed: vetoes.length > 0 };
}
