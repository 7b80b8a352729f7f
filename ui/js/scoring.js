// The live total of the score sheet page: the same arithmetic as domain/demo-site-scoring.ts
// (scoreSheet), in plain JS so the browser runs it without a build step. The score that counts is the
// one the API computes when the acceptance is recorded; test/ui/scoring.test.ts keeps the two equal.

const round1 = (n) => Math.round(n * 10) / 10;

/**
 * Scores `sheet` ({ vetoes, deductions, bonuses, caseFiles, lawTests }) against `standard` (as GET
 * /api/site-standards/:id returns it). Returns { vetoes, sections, general, bonus, total, vetoed }.
 */
export function previewScore(standard, sheet) {
  const vetoes = [];
  const failedFiles = sheet.caseFiles.filter((f) => Number.isFinite(f.score) && f.score < standard.caseFilePassMark);
  for (const basic of standard.basic) {
    if (basic.derivedFrom === 'case-files') {
      if (failedFiles.length) vetoes.push({ basicId: basic.id, label: basic.label, source: 'case-file-below-70', deduction: basic.deduction });
      continue;
    }
    if (sheet.vetoes.some((v) => v.basicId === basic.id)) vetoes.push({ basicId: basic.id, label: basic.label, source: 'recorded', deduction: basic.deduction });
  }

  const lawTestFailed = sheet.lawTests.some((t) => Number.isFinite(t.score) && t.score < standard.lawTestPassMark);
  const sections = standard.general.map((section) => {
    const items = section.items.map((item) => {
      let raw = 0;
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
  const awarded = sheet.bonuses.reduce((n, b) => n + Math.min(standard.bonus.find((x) => x.id === b.bonusId)?.max ?? 0, b.points), 0);
  const bonus = round1(Math.min(standard.bonusCap, awarded));
  const vetoDeduction = vetoes.reduce((n, v) => n + v.deduction, 0);
  return { vetoes, sections, general, bonus, total: round1(general + bonus - vetoDeduction), vetoed: vetoes.length > 0 };
}
