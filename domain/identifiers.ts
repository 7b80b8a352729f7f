/**
 * The national identifiers a case names its party by, checked as their standards define them:
 * - 统一社会信用代码 (GB 32100-2015): 18 characters of 0-9 and the capital letters without I, O, Z,
 *   S, V; the 18th is a check character over the first 17 (weights 3^(i) mod 31, modulus 31).
 * - 居民身份证号码 (GB 11643-1999): 17 digits and a check character (ISO 7064 MOD 11-2, 'X' for 10);
 *   digits 7-14 are the birth date, a real day not in the future.
 * Each check gives back what is wrong in Chinese (without the field's label: the schema's label is
 * put before it, "当事人·统一社会信用代码：……"), or undefined when the identifier is valid.
 * Free of zod, so a workflow could import it too.
 */
import { shanghaiDateOf } from './shanghai-time.js';

/** The 31 characters of a credit code, each worth its index. */
export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character of the first 17 characters of a 统一社会信用代码 (which must be of the charset). */
export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_CHARSET.indexOf(first17[i]!) * CREDIT_CODE_WEIGHTS[i]!;
  const value = 31 - (sum % 31);
  return CREDIT_CODE_CHARSET[value === 31 ? 0 : value]!;
}

/** What is wrong with a 统一社会信用代码, in Chinese; undefined when it is valid. */
export function creditCodeProblem(code: string): string | undefined {
  if (code.length !== 18) return `须为18位，现为${code.length}位`;
  const bad = [...code].find((c) => !CREDIT_CODE_CHARSET.includes(c));
  if (bad !== undefined) {
    return /[a-z]/.test(bad) && CREDIT_CODE_CHARSET.includes(bad.toUpperCase())
      ? `字母须大写（“${bad}”）`
      : `含有不允许的字符“${bad}”（只能由数字和除 I、O、Z、S、V 以外的大写字母组成）`;
  }
  const expected = creditCodeCheckChar(code.slice(0, 17));
  if (code[17] !== expected) return `校验码不符（第18位应为“${expected}”），请核对`;
  return undefined;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = '10X98765432';

/** The check character of the first 17 digits of a 居民身份证号码. */
export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK_CHARS[sum % 11]!;
}

function isRealDate(yyyymmdd: string): boolean {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

/**
 * What is wrong with a 居民身份证号码, in Chinese; undefined when it is valid. A lower-case x as
 * the check character is accepted. `today` (YYYY-MM-DD) is the day in Asia/Shanghai, for tests.
 */
export function idNumberProblem(id: string, today: string = shanghaiDateOf(Date.now())): string | undefined {
  if (id.length !== 18) return `须为18位，现为${id.length}位`;
  if (!/^\d{17}[\dXx]$/.test(id)) return '前17位须为数字，第18位为数字或 X';
  const birth = id.slice(6, 14);
  if (!isRealDate(birth) || Number(birth.slice(0, 4)) < 1800) return `出生日期“${birth}”不是有效日期`;
  if (`${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}` > today) return `出生日期“${birth}”晚于今天`;
  const expected = idNumberCheckChar(id.slice(0, 17));
  if (id[17]!.toUpperCase() !== expected) return `校验码不符（第18位应为“${expected}”），请核对`;
  return undefined;
}

export const isValidCreditCode = (code: string): boolean => creditCodeProblem(code) === undefined;
export const isValidIdNumber = (id: string, today?: string): boolean => idNumberProblem(id, today) === undefined;
