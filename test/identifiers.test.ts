/**
 * The party's identifiers as their standards check them: 统一社会信用代码 (GB 32100-2015) and
 * 居民身份证号码 (GB 11643-1999), each refused with a Chinese message, in the pure checks and in
 * the submission's schema, where the message names the field by its label.
 */
import { describe, expect, it } from 'vitest';
import { creditCodeCheckChar, creditCodeProblem, idNumberCheckChar, idNumberProblem, isValidCreditCode, isValidIdNumber } from '../domain/identifiers.js';
import { partySchema } from '../domain/legal-review.js';
import { labelledIssues } from '../api/schemas.js';

describe('统一社会信用代码 (GB 32100-2015)', () => {
  it('accepts codes whose check character is right', () => {
    // The standard's own example in the literature, and codes computed here.
    for (const code of ['91350100M000100Y43', '91330000MA00000007', '91110000100000000R', '12410000MB1234567L', '91411025MA3X4Y5K0E']) {
      expect(creditCodeProblem(code), code).toBeUndefined();
      expect(isValidCreditCode(code)).toBe(true);
    }
  });

  it('computes the check character, 31 written as 0', () => {
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3');
    // A prefix whose weighted sum is a multiple of 31 has the check value 31, written '0'.
    const prefix = '00000000000000000';
    expect(creditCodeCheckChar(prefix)).toBe('0');
  });

  it('refuses a wrong check character, naming the right one', () => {
    expect(creditCodeProblem('91330000MA00000001')).toBe('校验码不符（第18位应为“7”），请核对');
  });

  it('refuses the wrong length', () => {
    expect(creditCodeProblem('123')).toBe('须为18位，现为3位');
    expect(creditCodeProblem('91330000MA000000071')).toBe('须为18位，现为19位');
  });

  it('refuses the letters I, O, Z, S, V and lower case', () => {
    for (const letter of ['I', 'O', 'Z', 'S', 'V']) {
      expect(creditCodeProblem(`9133000${letter}MA00000007`)).toMatch(new RegExp(`^含有不允许的字符“${letter}”`));
    }
    expect(creditCodeProblem('91330000ma00000007')).toBe('字母须大写（“m”）');
  });
});

describe('居民身份证号码 (GB 11643-1999)', () => {
  const today = '2026-12-01';

  it('accepts numbers with the right check digit and a real birth date, lower-case x too', () => {
    for (const id of ['11010519491231002X', '11010519491231002x', '411025198001010018', '411025198510100054', '41102520000229004X']) {
      expect(idNumberProblem(id, today), id).toBeUndefined();
      expect(isValidIdNumber(id, today)).toBe(true);
    }
  });

  it('computes the check character, X for 10', () => {
    expect(idNumberCheckChar('11010519491231002')).toBe('X');
    expect(idNumberCheckChar('41102519800101001')).toBe('8');
  });

  it('refuses a wrong check digit, naming the right one', () => {
    expect(idNumberProblem('411025198001010017', today)).toBe('校验码不符（第18位应为“8”），请核对');
  });

  it('refuses a birth date that is no real day, or lies in the future', () => {
    // 2001 is no leap year; month 13; day 32 (check digits computed so only the date is wrong).
    for (const first17 of ['41102520010229004', '41102519801301001', '41102519800132001']) {
      const id = first17 + idNumberCheckChar(first17);
      expect(idNumberProblem(id, today)).toBe(`出生日期“${first17.slice(6, 14)}”不是有效日期`);
    }
    const future = '41102520261202001';
    expect(idNumberProblem(future + idNumberCheckChar(future), today)).toBe('出生日期“20261202”晚于今天');
  });

  it('refuses the wrong length and letters', () => {
    expect(idNumberProblem('12345', today)).toBe('须为18位，现为5位');
    expect(idNumberProblem('41102519800101001A', today)).toBe('前17位须为数字，第18位为数字或 X');
    expect(idNumberProblem('4110251980010X0018', today)).toBe('前17位须为数字，第18位为数字或 X');
  });
});

describe('the party in a submission', () => {
  const messages = (value: unknown) => {
    const result = partySchema.safeParse(value);
    return result.success ? [] : labelledIssues(partySchema, result.error.issues, undefined, value).map((i) => i.message);
  };

  it('accepts valid identifiers', () => {
    expect(messages({ type: 'organisation', name: '某食品有限公司', creditCode: '91330000MA00000007' })).toEqual([]);
    expect(messages({ type: 'person', name: '王五', idNumber: '11010519491231002x' })).toEqual([]);
  });

  it('refuses a credit code that fails its check, naming the field in Chinese', () => {
    expect(messages({ type: 'organisation', name: '某食品有限公司', creditCode: '123' })).toEqual(['统一社会信用代码：须为18位，现为3位']);
  });

  it('refuses an id number that fails its check, naming the field in Chinese', () => {
    expect(messages({ type: 'person', name: '王五', idNumber: '12345' })).toEqual(['居民身份证号码：须为18位，现为5位']);
  });
});
