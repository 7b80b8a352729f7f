import { describe, expect, it } from 'vitest';
import { caseFileReviewDue, gradeCaseFile } from '../domain/duties-rules.js';

describe('gradeCaseFile', () => {
  it('fails a file of 70 or less (70分以下 includes 70), passes 70.5, and grades 优秀 from the configured score', () => {
    expect(gradeCaseFile(0, 90)).toBe('不合格');
    expect(gradeCaseFile(69.5, 90)).toBe('不合格');
    expect(gradeCaseFile(70, 90)).toBe('不合格');
    expect(gradeCaseFile(70.5, 90)).toBe('合格');
    expect(gradeCaseFile(71, 90)).toBe('合格');
    expect(gradeCaseFile(89.5, 90)).toBe('合格');
    expect(gradeCaseFile(90, 90)).toBe('优秀');
    expect(gradeCaseFile(100, 90)).toBe('优秀');
  });

  it('keeps 70 failing even when 优秀 is configured from 70', () => {
    expect(gradeCaseFile(70, 70)).toBe('不合格');
    expect(gradeCaseFile(71, 70)).toBe('优秀');
  });

  it('falls due at each quarter’s end', () => {
    expect(caseFileReviewDue(2026, 4)).toBe('2026-12-31');
  });
});
