/**
 * 河南省行政执法责任制示范点创建标准（修订版）: the acceptance standard of demonstration sites, as
 * versioned data (seed 004, 附件3; Procedure 2 step 4 in ../shared/domain.md). Scored by
 * domain/demo-site-scoring.ts. Plain JSON-able objects only, so the API can serve them to the UI as is.
 *
 * The seed is OCR'd from a table whose cells slid out of their rows. Reading choices made here:
 *
 *  1. Basic standards (基础标准): six vetoes, −100 each. The 总体要求 column is garbled; each veto is
 *     grouped by its 工作要求 cell: 规范行政执法资格 (2), 规范行政执法程序 (1), 落实责任追究规定 (3).
 *     The cells 近三年来本行政机关未发生因执法违法受到处分 and …行政执法人员因执法违法受到处分或者被追究
 *     刑事责任 carry no deduction cell of their own; the 扣100分 of the row above spans them.
 *  2. 出现不合格案卷（70分以下）: 以下 includes the number itself (民法典 art. 1259), so a sampled case
 *     file scoring 70 or less is 不合格 and vetoes the site (caseFileFailsAtOrBelow 70). henan-2022 read it
 *     as "below 70" (caseFilePassMark 70: 70 passed); see 14.
 *  3. Section 2 is labelled 规范行政执法责任 (64分), as the seed writes it, parallel to 明确行政执法责任.
 *     Section 4 reads 严格执法责任追究规定(10分) in the seed; the trailing 规定 is taken as bleed from the
 *     工作要求 cell (贯彻落实河南省行政执法责任追究有关规定) and the label is 严格执法责任追究, as the basic
 *     table's 总体要求 column spells it.
 *  4. Section 1 (10) = 权责清单和流程图 4 + 岗责体系 2 + 权责清单动态调整机制 3 + 岗位体系动态调整机制 1.
 *     The 工作要求 column is shifted one row down against the others: the 3-point mechanism holds the
 *     清单 adjustment (2) and the 流程图 adjustment (1); the 1-point 岗位体系 mechanism owns the rule
 *     需要调整但未及时调整岗位体系的，扣1分 printed one row lower. 严格确定不同部门及机构、岗位执法人员责任
 *     (10分) is read as a heading spanning the whole section.
 *  5. The 4-point 权责清单和流程图 item shows (3分) on 梳理权责清单、编制流程图 and (1分) on the next cell,
 *     but no deduction text: reconstructed as 未梳理/未编制 −3 and 未向社会公开 −1.
 *  6. Section 2 (64) = 落实行政执法责任 / 持证上岗和资格管理 30 (资格考试 20, 培训考试 6, 证件动态管理 2,
 *     无其他违法 2) + 行政执法程序 34 (执法案卷 20, 三项制度 12, 文明执法 2). The 重大行政处罚备案 item (3)
 *     printed after 文明执法 belongs to section 3: only so do the sections add up (16 = 3+6+1+2+1+1+2).
 *  7. Law test (the 20-point 资格考试 item): 根据现场测试得分换算本项得分：出现测试成绩不合格的（低于60分），
 *     扣20分. The seed names a conversion without its formula; the one a county bureau takes for a test
 *     marked out of 100 is proportional: the item scores 20 × (mean of the five officers' scores) ÷ 100,
 *     rounded half up to one decimal (the precision of every other score here; the mean of whole-number
 *     scores never lands on a tie). Then 扣20分 applies, once in total (the sentence names the event, not
 *     each officer), when any officer scores under 60 (低于 excludes 60 itself), and an item never goes
 *     below 0: so any failing officer makes the item 0, whatever the others scored. Worked: 90, 85, 80,
 *     75, 70 → mean 80 → 16.0; 59, 90, 90, 90, 90 → 16.8 − 20 → 0; five at 60 → 12.0. The item is
 *     derived from the five recorded scores, never recorded by hand. henan-2022 applied only the 扣20分
 *     (no conversion: five passing officers kept all 20 points); see 14.
 *  8. Items whose deduction cell is missing or illegible — 证件动态管理 (2), 执法案卷 (20), 三项制度 (12) —
 *     get rules built from their 创建要求/验收方法 cells at the standard's own default for unlisted
 *     findings (其他违反…的行为，发现一项扣1分): −1 per finding, capped at the item. Such rules carry
 *     `reconstructed: true` so the UI can say so.
 *  9. 发现有一人本年度未参与行政执法的，扣1分 (2-point item) is read per officer: each of the five sampled
 *     officers who did not enforce this year costs 1 point, capped at 2.
 * 10. 行政执法人员每年度行政相执执法案卷评查1次 is OCR noise for "each year the agency holds or joins one
 *     case-file review"; 每缺一次扣2分 per missing year, capped at 6 (three years).
 * 11. Other rules whose text says 扣N分 without 发现一起/每 apply once (perOccurrence false); 发现一起扣N分,
 *     每缺一次/一年扣N分 and 发现一项扣N分 apply per occurrence.
 * 12. Bonus (加分事项, 6分): only one item is legible, 发挥示范引领作用 (2分), 申报单位提供相关材料经确认后，
 *     加2分; the seed ends there. Confirmed means exactly 2 points, not anything up to 2: each bonus item
 *     is a yes/no confirmation (`points`), recorded with the note of what was confirmed. The rest of the
 *     6 points is not in the seed and is not invented; the cap stays at 6, so a later version that lists
 *     the missing items needs no code change. henan-2022 took any value up to the item (`max`); see 14.
 * 13. The seed samples five officers from the certificate list both for the law test and for the
 *     certificate-holder and duty-performance checks; the law test therefore records exactly five scores.
 * 14. Versions. The province's text did not change; readings 2, 7 and 12 did. They make a new version,
 *     henan-2022-v2, not an edit of henan-2022: sites were accepted under henan-2022 (the committed
 *     histories hold some), their recorded result is what they were scored, and a site's score sheet
 *     (GET /api/sites/:id/score-sheet) is served with the standard its sheet names. Re-scoring that
 *     sheet must give that result, so henan-2022 stays in STANDARDS with its data unchanged and scored
 *     by its own readings, which the scoring reads from the data (caseFilePassMark, no convertedFrom,
 *     bonus `max`). It is marked supersededBy: readable, but no new score sheet is taken against it.
 */

/** A rule of the 一般标准: points deducted when the finding occurs. */
export interface DeductionRule {
  id: string;
  /** The deduction cell of the seed, in Chinese. */
  label: string;
  /** Points deducted per occurrence (or once, when perOccurrence is false). */
  points: number;
  perOccurrence: boolean;
  /** Found by the scoring from recorded data, never recorded by hand. */
  derivedFrom?: 'law-tests';
  /** The seed's deduction cell is missing or illegible; see the reading choices above. */
  reconstructed?: boolean;
}

export interface GeneralItem {
  id: string;
  /** 工作要求 (the heading the item sits under). */
  group: string;
  /** 创建要求 / 创建标准, shortened from the seed. */
  label: string;
  /** 验收方法. */
  method: string;
  /** The item's points: its deductions never exceed them. */
  max: number;
  /**
   * The item's points are first converted from the five recorded law-test scores (max × mean ÷ 100, to
   * one decimal); its rules then deduct from what is left (reading 7).
   */
  convertedFrom?: 'law-tests';
  rules: DeductionRule[];
}

export interface GeneralSection {
  id: string;
  /** 总体要求. */
  label: string;
  points: number;
  items: GeneralItem[];
}

/** 基础标准: any violation is a veto, deducting `deduction` (100) from the total. */
export interface BasicStandard {
  id: string;
  /** 工作要求. */
  group: string;
  label: string;
  method: string;
  deduction: number;
  /** Found by the scoring from recorded data (a sampled case file below the pass mark). */
  derivedFrom?: 'case-files';
}

interface BonusItemText {
  id: string;
  group: string;
  label: string;
  method: string;
}

/**
 * 加分事项. `points`: a yes/no confirmation worth exactly that (经确认后，加2分). `max`: henan-2022's
 * reading, any value recorded up to it.
 */
export type BonusItem = BonusItemText & ({ points: number; max?: never } | { max: number; points?: never });

/**
 * When a sampled case file is 不合格 and vetoes the site: at or below `caseFileFailsAtOrBelow` (以下
 * includes the number), or, in henan-2022's reading, below `caseFilePassMark`.
 */
type CaseFileMark = { caseFileFailsAtOrBelow: number; caseFilePassMark?: never } | { caseFilePassMark: number; caseFileFailsAtOrBelow?: never };

export type StandardVersion = StandardVersionData & CaseFileMark;

interface StandardVersionData {
  /** e.g. 'henan-2022-v2'. Score sheets keep it, so an old acceptance is re-scored under its own standard. */
  id: string;
  /** A version whose readings were replaced: readable and re-scorable, but it takes no new score sheet. */
  supersededBy?: string;
  title: string;
  /** Where the text comes from. */
  source: string;
  basic: BasicStandard[];
  general: GeneralSection[];
  bonus: BonusItem[];
  bonusCap: number;
  generalTotal: number;
  /** A law-test score below this is 不合格 (低于60分: 60 itself passes). */
  lawTestPassMark: number;
}

/** Whether a sampled case file with this score is 不合格 under `standard`, and so vetoes the site. */
export function caseFileFails(standard: StandardVersion, score: number): boolean {
  return standard.caseFileFailsAtOrBelow !== undefined ? score <= standard.caseFileFailsAtOrBelow : score < standard.caseFilePassMark;
}

/** Superseded by henan-2022-v2 (reading 14); kept as it was, for the acceptances scored under it. */
const HENAN_2022: StandardVersion = {
  id: 'henan-2022',
  supersededBy: 'henan-2022-v2',
  title: '河南省行政执法责任制示范点创建标准（修订版）',
  source: '舞法政办〔2022〕7号 附件3',
  bonusCap: 6,
  generalTotal: 100,
  caseFilePassMark: 70,
  lawTestPassMark: 60,
  basic: [
    {
      id: 'uncertified-officer',
      group: '规范行政执法资格',
      label: '执法人员持证上岗：从事行政执法工作的人员须领取《河南省行政执法证》（法律、行政法规对行政执法证件另有规定的除外）',
      method: '查看办案人员行政执法证。发现存在未领取《河南省行政执法证》从事行政执法工作的，扣100分。',
      deduction: 100,
    },
    {
      id: 'unqualified-certificate-holder',
      group: '规范行政执法资格',
      label: '工勤人员、劳动合同工、临时工等不符合规定条件的人员不得领取《河南省行政执法证》',
      method:
        '根据申领执法证件名单随机抽取5人，核对人员身份、编制、岗位。发现存在工勤人员、劳动合同工、临时工等不符合规定条件的人员领取执法证件的，扣100分。',
      deduction: 100,
    },
    {
      id: 'case-file-below-70',
      group: '规范行政执法程序',
      label: '严格落实规范执法各项制度：抽查案卷无不合格案卷（70分以下）',
      method: '现场抽取行政执法案卷集中评查。出现不合格案卷（70分以下）的，扣100分。',
      deduction: 100,
      derivedFrom: 'case-files',
    },
    {
      id: 'leader-criminal-liability',
      group: '落实责任追究规定',
      label: '近三年来本行政机关未发生领导班子成员被追究刑事责任的情形',
      method: '发现存在此类情况的，扣100分。无此类情况的，申报单位纪检监察部门提供相关证明材料。',
      deduction: 100,
    },
    {
      id: 'agency-sanctioned',
      group: '落实责任追究规定',
      label: '近三年来本行政机关未发生因执法违法受到处分的情形',
      method: '申报单位纪检监察部门提供相关材料。发现存在此类情况的，扣100分。',
      deduction: 100,
    },
    {
      id: 'officer-sanctioned',
      group: '落实责任追究规定',
      label: '近三年来本行政机关未发生行政执法人员因执法违法受到处分或者被追究刑事责任的情形',
      method: '申报单位纪检监察部门提供相关材料。发现存在此类情况的，扣100分。',
      deduction: 100,
    },
  ],
  general: [
    {
      id: 'clarify-responsibility',
      label: '明确行政执法责任',
      points: 10,
      items: [
        {
          id: 'power-list',
          group: '严格确定不同部门及机构、岗位执法人员责任',
          label: '建立行政执法权责清单和行政执法流程图并向社会公开，接受社会监督',
          method: '查看行政执法权责清单和行政执法流程图。',
          max: 4,
          rules: [
            { id: 'not-compiled', label: '未梳理行政执法权责清单、编制行政执法流程图的，扣3分', points: 3, perOccurrence: false, reconstructed: true },
            { id: 'not-published', label: '行政执法权责清单和行政执法流程图未向社会公开的，扣1分', points: 1, perOccurrence: false, reconstructed: true },
          ],
        },
        {
          id: 'post-responsibility',
          group: '严格确定不同部门及机构、岗位执法人员责任',
          label: '建立行政执法岗责体系，并在本单位门户网站或者本级司法行政部门门户网站进行公开',
          method: '查看行政执法人员建立岗责体系建立、公开情况。',
          max: 2,
          rules: [
            { id: 'not-established', label: '未建立岗责体系的，扣2分', points: 2, perOccurrence: false },
            { id: 'not-published', label: '未公开岗责体系的，扣1分', points: 1, perOccurrence: false },
          ],
        },
        {
          id: 'power-list-adjustment',
          group: '建立行政执法权责清单动态调整机制',
          label: '根据法律、法规、规章的立改废情况，行政审批事项调整以及机构改革情况，及时调整权责清单；根据权责清单调整情况，及时调整行政执法流程图',
          method: '查看动态调整情况。',
          max: 3,
          rules: [
            { id: 'list-not-adjusted', label: '需要调整但未及时调整权责清单的，扣2分', points: 2, perOccurrence: false },
            { id: 'flowchart-not-adjusted', label: '需要调整但未及时调整行政执法流程图的，扣1分', points: 1, perOccurrence: false },
          ],
        },
        {
          id: 'post-system-adjustment',
          group: '建立行政执法岗位体系动态调整机制',
          label: '根据行政执法权责清单调整情况，及时调整行政执法岗位体系',
          method: '查看动态调整情况。',
          max: 1,
          rules: [{ id: 'not-adjusted', label: '需要调整但未及时调整岗位体系的，扣1分', points: 1, perOccurrence: false }],
        },
      ],
    },
    {
      id: 'regulate-enforcement',
      label: '规范行政执法责任',
      points: 64,
      items: [
        {
          id: 'qualification-exam',
          group: '落实行政执法责任：严格实行行政执法人员持证上岗和资格管理制度',
          label: '未经行政执法资格考试合格，不得授予行政执法资格，不得从事行政执法活动',
          method: '根据申领执法证件名单随机抽取5人，进行现场法律知识测试。',
          max: 20,
          rules: [
            {
              id: 'law-test-below-60',
              label: '出现测试成绩不合格的（低于60分），扣20分',
              points: 20,
              perOccurrence: false,
              derivedFrom: 'law-tests',
            },
          ],
        },
        {
          id: 'legal-training',
          group: '落实行政执法责任：严格实行行政执法人员持证上岗和资格管理制度',
          label: '每年组织行政执法人员开展专业法律知识培训考试，参加本级司法行政部门组织的公共法律知识培训考试',
          method: '查看近三年来组织、参加法律知识培训考试材料（包含培训考试计划、通知、照片、试卷等）。',
          max: 6,
          rules: [{ id: 'missing-year', label: '培训考试材料每缺一年，扣2分', points: 2, perOccurrence: true }],
        },
        {
          id: 'certificate-management',
          group: '落实行政执法责任：严格实行行政执法人员持证上岗和资格管理制度',
          label: '加强对行政执法证件的动态管理，及时办理行政执法证件的申领、换发和注销手续',
          method: '查看行政执法人员持证上岗和资格管理制度情况。',
          max: 2,
          rules: [
            {
              id: 'not-handled',
              label: '未及时办理行政执法证件申领、换发或者注销手续的，发现一起扣1分',
              points: 1,
              perOccurrence: true,
              reconstructed: true,
            },
          ],
        },
        {
          id: 'other-violations',
          group: '落实行政执法责任：严格实行行政执法人员持证上岗和资格管理制度',
          label: '无其他违反《河南省行政执法条例》和《河南省行政执法证件管理办法》要求的行为或情况',
          method: '查看行政执法人员持证上岗和资格管理制度情况。',
          max: 2,
          rules: [
            {
              id: 'violation',
              label: '其他违反《河南省行政执法条例》和《河南省行政执法证件管理办法》等有关要求的行为，发现一项扣1分',
              points: 1,
              perOccurrence: true,
            },
          ],
        },
        {
          id: 'case-files',
          group: '行政执法程序',
          label:
            '行政执法程序合法；适用法律法规规章准确；行政执法决定的内容合法、适当；使用本系统统一的行政执法文书；落实规范行政处罚裁量权相关制度；行政处罚决定与执行结果一致；执行罚缴分离、收支两条线管理和罚没财物依法处理等规定',
          method: '抽取行政执法案卷评查；查看执法文书、案卷制作、裁量标准适用、赃物罚没物管理和亮证执法、说明理由、调查取证、听取陈述申辩、听证、审查决定、送达等执法流程。',
          max: 20,
          rules: [
            { id: 'non-standard-documents', label: '未使用本系统统一格式的行政执法文书的，发现一项扣1分', points: 1, perOccurrence: true, reconstructed: true },
            { id: 'case-file-making', label: '未规范制作行政执法案卷的，发现一项扣1分', points: 1, perOccurrence: true, reconstructed: true },
            { id: 'discretion', label: '未规范适用行政处罚裁量标准的，发现一项扣1分', points: 1, perOccurrence: true, reconstructed: true },
            { id: 'confiscated-property', label: '赃物、罚没物管理不符合《河南省赃物罚没物管理条例》的，发现一项扣1分', points: 1, perOccurrence: true, reconstructed: true },
            {
              id: 'procedure-steps',
              label: '未按亮证执法、说明理由、调查取证、听取陈述申辩、听证、审查决定、送达等行政执法流程行使行政执法权的，发现一项扣1分',
              points: 1,
              perOccurrence: true,
              reconstructed: true,
            },
            {
              id: 'other-defect',
              label: '事实、证据、适用法律、决定内容、处罚决定与执行结果一致、罚缴分离等其他不符合本项要求的，发现一项扣1分',
              points: 1,
              perOccurrence: true,
              reconstructed: true,
            },
          ],
        },
        {
          id: 'three-systems',
          group: '行政执法程序：推行“三项制度”情况',
          label:
            '严格落实豫政办〔2019〕30号、《河南省行政执法全过程记录办法》《河南省重大行政执法音像记录设备配备办法》，扎实推行行政执法公示、执法全过程记录、重大执法决定法制审核“三项制度”',
          method:
            '查看行政执法公示情况；结合执法情况查看执法案卷、用语规范使用情况；查看《音像记录事项清单》、音像记录用语指引以及音像制作、存储等情况；查看法制审核人员配备、编制《重大执法决定法制审核目录清单》情况，并查看具体法制审核情况。',
          max: 12,
          rules: [
            { id: 'publication', label: '行政执法公示不符合要求的，发现一项扣1分', points: 1, perOccurrence: true, reconstructed: true },
            { id: 'full-process-recording', label: '执法全过程记录（含音像记录制作、存储、用语）不符合要求的，发现一项扣1分', points: 1, perOccurrence: true, reconstructed: true },
            {
              id: 'legal-review',
              label: '未配备法制审核人员、未编制《重大执法决定法制审核目录清单》或者重大执法决定未经法制审核的，发现一项扣1分',
              points: 1,
              perOccurrence: true,
              reconstructed: true,
            },
          ],
        },
        {
          id: 'civil-enforcement',
          group: '行政执法程序：提升文明执法水平',
          label: '牢固树立文明执法、执法为民的理念，依法保障当事人和利害关系人的合法权益，注重语言规范、行为规范',
          method: '回访案件当事人。',
          max: 2,
          rules: [{ id: 'uncivil', label: '回访案件当事人时发现存在不文明执法情况的，扣2分', points: 2, perOccurrence: false }],
        },
      ],
    },
    {
      id: 'supervision',
      label: '加强行政执法监督',
      points: 16,
      items: [
        {
          id: 'major-penalty-filing',
          group: '贯彻实施《河南省重大行政处罚备案审查办法》，严格执行重大行政处罚备案审查制度',
          label: '自作出重大行政处罚决定之日起15日内，向备案审查部门报送重大行政处罚决定书、行政处罚决定书复印件和重大行政处罚备案表等材料',
          method: '现场查看已办结的重大行政处罚案件的行政处罚决定书，查看是否存在应备案未备案、超期备案等情况。',
          max: 3,
          rules: [
            { id: 'not-filed', label: '应备案未备案的，发现1起扣3分', points: 3, perOccurrence: true },
            { id: 'late-filing', label: '超期备案的，发现1起扣1分', points: 1, perOccurrence: true },
          ],
        },
        {
          id: 'case-file-review',
          group: '落实行政执法监督制度',
          label: '按照《河南省行政执法案卷评查办法》要求，开展行政执法案卷评查工作',
          method: '现场查看近三年来开展或者参加行政执法案卷评查的相关资料（包含通知、照片、信息、评查结果等）。',
          max: 6,
          rules: [{ id: 'missing-review', label: '每年度开展或参加行政执法案卷评查1次，每缺一次扣2分', points: 2, perOccurrence: true }],
        },
        {
          id: 'statistics-report',
          group: '落实行政执法监督制度',
          label: '落实行政执法情况统计报告制度',
          method: '查看本年度行政执法情况统计表（申报单位同级司法行政部门提供）。',
          max: 1,
          rules: [
            { id: 'not-submitted', label: '未报送本年度行政执法情况统计表的，扣1分', points: 1, perOccurrence: false },
            { id: 'late', label: '未按时报送的，扣0.5分', points: 0.5, perOccurrence: false },
          ],
        },
        {
          id: 'duty-performance',
          group: '落实行政执法监督制度',
          label: '积极履行法定职责，充分发挥执法职能',
          method: '根据申领执法证件人员名单随机抽取5人，查看其本年度行政执法工作情况。',
          max: 2,
          rules: [{ id: 'officer-inactive', label: '发现有一人本年度未参与行政执法的，扣1分', points: 1, perOccurrence: true }],
        },
        {
          id: 'complaint-channel',
          group: '畅通行政执法投诉举报渠道（对本单位行政执法人员执法行为的投诉举报）',
          label: '建立行政执法投诉举报制度、台账',
          method: '查看行政执法投诉举报制度和本年度行政执法投诉举报登记簿。',
          max: 1,
          rules: [{ id: 'missing', label: '无行政执法投诉举报制度或登记簿的，扣1分', points: 1, perOccurrence: false }],
        },
        {
          id: 'complaint-handling',
          group: '依法处理行政执法投诉举报',
          label: '依法处理行政执法投诉举报',
          method: '查看本年度行政执法投诉举报处理材料。',
          max: 1,
          rules: [{ id: 'no-result', label: '有行政执法投诉举报记录无处理结果的，扣1分', points: 1, perOccurrence: false }],
        },
        {
          id: 'supervision-decisions',
          group: '履行行政执法监督决定',
          label: '积极履行行政执法监督决定，认真调查案件事实，及时反馈调查结果',
          method: '申报单位所在省辖市、省直管县（市）司法行政等部门提供材料。',
          max: 2,
          rules: [{ id: 'not-performed', label: '存在不积极履行行政执法监督决定的，发现一起扣1分', points: 1, perOccurrence: true }],
        },
      ],
    },
    {
      id: 'accountability',
      label: '严格执法责任追究',
      points: 10,
      items: [
        {
          id: 'accountability',
          group: '贯彻落实河南省行政执法责任追究有关规定',
          label: '严格按照《河南省行政执法过错责任追究办法》等有关规定，对违法或者不当的行政执法行为进行责任追究，建立本单位行政执法责任追究工作台账',
          method: '查看近三年对违法或者不当的行政执法行为进行责任追究的相关材料（重点查看案卷评查中0分案卷的责任追究情况）。',
          max: 10,
          rules: [
            { id: 'not-pursued', label: '有应当追究的情形而未追究的，发现一起扣10分', points: 10, perOccurrence: true },
            { id: 'no-ledger', label: '未建立工作台账的，扣2分', points: 2, perOccurrence: false },
          ],
        },
      ],
    },
  ],
  bonus: [
    {
      id: 'demonstration-lead',
      group: '发挥示范引领作用',
      label: '落实行政执法责任制有关工作获得省级以上通报表扬、表彰，或者被省级以上新闻媒体宣传报道',
      method: '查看申报单位提供的相关材料。申报单位提供相关材料经确认后，加2分。',
      max: 2,
    },
  ],
};

/**
 * henan-2022 with readings 2, 7 and 12 corrected (reading 14): everything else is henan-2022's own
 * data, shared, so the two cannot drift apart where they agree.
 */
const HENAN_2022_V2: StandardVersion = (() => {
  const { supersededBy: _supersededBy, caseFilePassMark: _caseFilePassMark, ...same } = HENAN_2022;
  return {
    ...same,
    id: 'henan-2022-v2',
    caseFileFailsAtOrBelow: 70,
    basic: HENAN_2022.basic.map((b) =>
      b.derivedFrom === 'case-files'
        ? {
            ...b,
            id: 'failing-case-file',
            label: '严格落实规范执法各项制度：抽查案卷无不合格案卷（70分以下，含70分）',
          }
        : b,
    ),
    general: HENAN_2022.general.map((section) => ({
      ...section,
      items: section.items.map((item) =>
        item.id === 'qualification-exam'
          ? {
              ...item,
              method: '根据申领执法证件名单随机抽取5人，进行现场法律知识测试。根据现场测试得分换算本项得分：本项分值×5人平均成绩÷100，保留一位小数。',
              convertedFrom: 'law-tests' as const,
              rules: [
                {
                  id: 'law-test-below-60',
                  label: '出现测试成绩不合格的（低于60分），扣20分（在换算得分上扣减，本项计0分）',
                  points: 20,
                  perOccurrence: false,
                  derivedFrom: 'law-tests' as const,
                },
              ],
            }
          : item,
      ),
    })),
    bonus: [
      {
        id: 'demonstration-lead',
        group: '发挥示范引领作用',
        label: '落实行政执法责任制有关工作获得省级以上通报表扬、表彰，或者被省级以上新闻媒体宣传报道',
        method: '查看申报单位提供的相关材料。申报单位提供相关材料经确认后，加2分。',
        points: 2,
      },
    ],
  };
})();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Every version ever used, by id. Never edit a published version: add a new one. */
export const STANDARDS: Readonly<Record<string, StandardVersion>> = deepFreeze({ [HENAN_2022.id]: HENAN_2022, [HENAN_2022_V2.id]: HENAN_2022_V2 });

export const CURRENT_STANDARD_ID = 'henan-2022-v2';

/**
 * The version with this id, or undefined. Ids come from requests and score sheets, so look up own
 * keys only: `STANDARDS['__proto__']` or `STANDARDS['constructor']` would otherwise find Object's.
 */
export function findStandard(id: string): StandardVersion | undefined {
  return Object.hasOwn(STANDARDS, id) ? STANDARDS[id] : undefined;
}

/**
 * The standard an acceptance in `year` is judged by. Every year maps to henan-2022-v2: the province
 * has issued no later revision in the seeds, and acceptances already held under henan-2022 keep it
 * through their score sheet's standardId. When it does, add the new version to STANDARDS
 * and map the years from its effective year to it here; a score sheet records its standardId, so
 * acceptances already held keep being scored under the standard they were judged by.
 */
export function standardFor(year: number): StandardVersion {
  if (!Number.isInteger(year)) throw new RangeError(`year must be an integer, got ${year}`);
  return findStandard(CURRENT_STANDARD_ID)!;
}
