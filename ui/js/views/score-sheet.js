// The acceptance score sheet of a cultivating site: the provincial standard as the API serves it
// (GET /api/site-standards/henan-2022-v2), the five acceptance methods, a live total with vetoes computed
// in the page as the office fills it, then POST …/acceptance, where the API scores it for the record.
import { get, post, seg } from '../api.js';
import { announceOnNextPage, h, lines, show, todayInShanghai } from '../dom.js';
import { apiForm, field, group, number, text } from '../forms.js';
import { previewScore } from '../scoring.js';

/** The version new score sheets are filled against (CURRENT_STANDARD_ID in domain/demo-site-standard.ts). */
const STANDARD_ID = 'henan-2022-v2';

/** 70分以下（含70分）: the words for a failing case file, from the standard's own mark. */
const caseFileFailWords = (standard) =>
  standard.caseFileFailsAtOrBelow !== undefined ? `${standard.caseFileFailsAtOrBelow}分以下（含${standard.caseFileFailsAtOrBelow}分）` : `低于${standard.caseFilePassMark}分`;

export async function scoreSheetView(id) {
  const [site, standard] = await Promise.all([get(`/api/sites/${seg(id)}`), get(`/api/site-standards/${STANDARD_ID}`)]);
  const panel = h('div', { class: 'score-panel', 'aria-live': 'polite' });
  const caseFiles = h('div', { class: 'list-rows' });
  const addCaseFile = () => caseFiles.append(caseFileRow(caseFiles.children.length));
  addCaseFile();
  addCaseFile();

  const form = apiForm(
    {
      submitLabel: '提交验收结果',
      name: '验收评分表',
      onSubmit: async (f) => {
        const next = await post(`/api/sites/${seg(id)}/acceptance`, acceptanceFrom(f, standard));
        announceOnNextPage(`验收已记录，示范点现为「${next.stageLabel}」`);
        location.hash = `#/site/${seg(id)}`;
      },
    },
    h(
      'fieldset',
      {},
      h('legend', {}, '验收方式'),
      field('验收日期', 'acceptedOn', { type: 'date', required: true, value: todayInShanghai(), hint: '验收于8、9月份进行' }),
      field('听取汇报', 'methods.reportHeard', { type: 'textarea', required: true, rows: 2 }),
      field('查阅资料', 'methods.materialsRead', { type: 'textarea', required: true, rows: 2 }),
      field('实地察看（含暗访）', 'methods.siteVisit', { type: 'textarea', required: true, rows: 2 }),
      field('回访行政相对人', 'methods.partyCallBacks', { type: 'textarea', rows: 2, hint: '每行一次回访，不填写联系方式' }),
    ),
    group(
      '基础标准（否决项，每项扣100分）',
      'scoreSheet.vetoes',
      standard.basic.map((b) =>
        b.derivedFrom === 'case-files'
          ? h('p', { class: 'hint' }, `${b.label}：由下方案卷评查得分自动判定（${caseFileFailWords(standard)}即否决）。`)
          : h(
              'div',
              { class: 'rule', dataset: { veto: b.id } },
              h('label', {}, h('input', { type: 'checkbox', name: `veto.${b.id}` }), ` 存在此情形：${b.label}`),
              h('span'),
              h('div', { class: 'note' }, field('情况说明', `veto.${b.id}.note`)),
            ),
      ),
    ),
    standard.general.map((section) =>
      group(
        `${section.label}（${section.points}分）`,
        `section.${section.id}`,
        section.items.map((item) => [
          h('h3', {}, `${item.label}（${item.max}分）`),
          item.convertedFrom === 'law-tests'
            ? h('p', { class: 'hint' }, `根据下方法律知识测试成绩换算本项得分：${item.max}分 × 5人平均成绩 ÷ 100，保留一位小数。`)
            : null,
          item.rules.map((rule) =>
            rule.derivedFrom === 'law-tests'
              ? h('p', { class: 'hint' }, `${rule.label}：由下方法律知识测试成绩自动计算。`)
              : h(
                  'div',
                  { class: 'rule', dataset: { item: item.id, rule: rule.id } },
                  h('span', {}, rule.label, rule.reconstructed ? h('span', { class: 'muted' }, '（扣分规则依验收方法重建）') : null),
                  field(rule.perOccurrence ? '发现次数' : '发现（0或1）', `deduct.${item.id}.${rule.id}`, { type: 'number', value: '0', attrs: { min: 0, max: rule.perOccurrence ? 1000 : 1, step: 1 } }),
                  h('div', { class: 'note' }, field('扣分说明', `deduct.${item.id}.${rule.id}.note`)),
                ),
          ),
        ]),
      ),
    ),
    group(
      `加分事项（上限${standard.bonusCap}分）`,
      'scoreSheet.bonuses',
      // Each item is confirmed or not (经确认后，加2分): a tick, worth the item's fixed points.
      standard.bonus.map((b) =>
        h(
          'div',
          { class: 'rule', dataset: { bonus: b.id } },
          h('label', {}, h('input', { type: 'checkbox', name: `bonus.${b.id}` }), ` 经确认：${b.label}（加${b.points ?? b.max}分）`),
          h('span'),
          h('div', { class: 'note' }, field('确认依据', `bonus.${b.id}.note`)),
        ),
      ),
    ),
    group(
      `案卷评查（现场抽取，${caseFileFailWords(standard)}为不合格）`,
      'scoreSheet.caseFiles',
      caseFiles,
      h('button', { type: 'button', class: 'secondary', on: { click: addCaseFile } }, '添加案卷'),
    ),
    group(
      `法律知识测试（随机抽取5名执法人员，低于${standard.lawTestPassMark}分为不合格）`,
      'scoreSheet.lawTests',
      h('p', { class: 'hint' }, `须录入全部5人的成绩。本项得分按5人平均成绩换算；有一人低于${standard.lawTestPassMark}分即扣20分，本项计0分。`),
      h('div', { class: 'list-rows' }, [0, 1, 2, 3, 4].map(lawTestRow)),
    ),
  );

  const update = () => {
    showNotesWhereFound(form);
    renderPanel(panel, previewScore(standard, sheetFrom(form, standard)), standard);
  };
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  update();

  show(
    `验收评分：${site.agencyName}（${site.year}年）`,
    h('p', { class: 'muted' }, `${standard.title}（${standard.source}）`),
    h('div', { class: 'layout-aside' }, h('section', { class: 'card' }, form), h('aside', { class: 'card', 'aria-label': '实时得分' }, panel)),
  );
}

/** A finding needs its note: the note field opens once something is found, so the sheet stays short. */
function showNotesWhereFound(f) {
  for (const row of f.querySelectorAll('[data-veto], [data-rule], [data-bonus]')) {
    const box = row.querySelector('input[type="checkbox"]');
    const found = box ? box.checked : Number(row.querySelector('input[type="number"]').value) > 0;
    row.querySelector('.note').hidden = !found;
  }
}

const caseFileRow = (i) =>
  h('div', { class: 'row-item' }, field(`案卷 ${i + 1} 编号`, `scoreSheet.caseFiles.${i}.ref`), field('评查得分', `scoreSheet.caseFiles.${i}.score`, { type: 'number', attrs: { min: 0, max: 100 } }));

const lawTestRow = (i) =>
  h('div', { class: 'row-item' }, field(`执法人员 ${i + 1}`, `scoreSheet.lawTests.${i}.officer`), field('测试成绩', `scoreSheet.lawTests.${i}.score`, { type: 'number', attrs: { min: 0, max: 100 } }));

/**
 * The score sheet as the API takes it. Vetoes, deductions and bonuses are lists of what was found, so
 * their index in the body depends on what is ticked: each row is told its path now, for the API's
 * refusal (scoreSheet.deductions.2.note) to find it.
 */
function sheetFrom(f, standard) {
  const vetoes = [];
  for (const row of f.querySelectorAll('[data-veto]')) {
    const basicId = row.dataset.veto;
    const noteField = row.querySelector('.field');
    delete noteField.dataset.field;
    if (!f.elements.namedItem(`veto.${basicId}`).checked) continue;
    noteField.dataset.field = `scoreSheet.vetoes.${vetoes.length}.note`;
    vetoes.push({ basicId, note: text(f, `veto.${basicId}.note`) });
  }
  const deductions = [];
  for (const row of f.querySelectorAll('[data-rule]')) {
    const { item, rule } = row.dataset;
    const [countField, noteField] = row.querySelectorAll('.field');
    delete countField.dataset.field;
    delete noteField.dataset.field;
    const occurrences = number(f, `deduct.${item}.${rule}`) ?? 0;
    if (!occurrences) continue;
    countField.dataset.field = `scoreSheet.deductions.${deductions.length}.occurrences`;
    noteField.dataset.field = `scoreSheet.deductions.${deductions.length}.note`;
    deductions.push({ itemId: item, ruleId: rule, occurrences, note: text(f, `deduct.${item}.${rule}.note`) });
  }
  const bonuses = [];
  for (const row of f.querySelectorAll('[data-bonus]')) {
    const bonusId = row.dataset.bonus;
    const noteField = row.querySelector('.field');
    delete noteField.dataset.field;
    if (!f.elements.namedItem(`bonus.${bonusId}`).checked) continue;
    noteField.dataset.field = `scoreSheet.bonuses.${bonuses.length}.note`;
    bonuses.push({ bonusId, note: text(f, `bonus.${bonusId}.note`) });
  }
  const rows = (list, leaf) => f.querySelectorAll(`[data-field^="scoreSheet.${list}."][data-field$=".${leaf}"]`).length;
  const caseFiles = Array.from({ length: rows('caseFiles', 'ref') }, (_, i) => ({ ref: text(f, `scoreSheet.caseFiles.${i}.ref`), score: number(f, `scoreSheet.caseFiles.${i}.score`) }));
  const lawTests = Array.from({ length: rows('lawTests', 'officer') }, (_, i) => ({ officer: text(f, `scoreSheet.lawTests.${i}.officer`), score: number(f, `scoreSheet.lawTests.${i}.score`) }));
  return { standardId: standard.id, vetoes, deductions, bonuses, caseFiles, lawTests };
}

function acceptanceFrom(f, standard) {
  return {
    acceptedOn: text(f, 'acceptedOn'),
    methods: {
      reportHeard: text(f, 'methods.reportHeard'),
      materialsRead: text(f, 'methods.materialsRead'),
      siteVisit: text(f, 'methods.siteVisit'),
      partyCallBacks: lines(text(f, 'methods.partyCallBacks')),
    },
    scoreSheet: sheetFrom(f, standard),
  };
}

/** The law-test item's converted score, which no finding of the office's explains. */
function lawTestLine(score, standard) {
  const converted = standard.general.flatMap((s) => s.items).find((it) => it.convertedFrom === 'law-tests');
  const item = converted && score.sections.flatMap((s) => s.items).find((it) => it.id === converted.id);
  return item ? h('p', {}, '法律知识测试换算 ', h('strong', { 'data-score': 'law-test' }, String(item.score)), ` / ${item.max}`) : null;
}

function renderPanel(panel, score, standard) {
  panel.replaceChildren(
    h('h2', {}, '实时得分'),
    h('p', {}, '一般标准 ', h('strong', { 'data-score': 'general' }, String(score.general)), ' / 100'),
    h('p', {}, '加分 ', h('strong', { 'data-score': 'bonus' }, String(score.bonus))),
    h('p', {}, '合计', h('br'), h('span', { class: 'total', 'data-score': 'total' }, String(score.total)), score.vetoed ? h('span', { class: 'vetoed' }, '　有否决项，不达标') : null),
    score.vetoed
      ? h('div', { class: 'vetoed', 'data-score': 'vetoes' }, '否决项：', h('ul', {}, score.vetoes.map((v) => h('li', {}, v.label))))
      : h('p', { 'data-score': 'vetoes' }, '无否决项'),
    lawTestLine(score, standard),
    h('ul', { class: 'muted' }, score.sections.map((s) => h('li', {}, `${s.label}：${s.score} / ${s.max}`))),
    h('p', { class: 'hint' }, '达标线由系统配置（默认90分，须无否决项）。提交后以系统计算的得分为准。'),
  );
}
