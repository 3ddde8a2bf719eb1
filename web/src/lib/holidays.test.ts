import { describe, expect, it } from 'vitest';
import { fixedHoliday, nextWorkingDay } from './holidays';

describe('holidays', () => {
  it('knows the fixed-date public holidays and nothing else', () => {
    expect(fixedHoliday('2026-12-25')).toBe('Christmas Day');
    expect(fixedHoliday('2027-01-01')).toBe("New Year's Day");
    expect(fixedHoliday('2026-12-24')).toBeUndefined();
  });
  it('suggests the next working day: past the weekend and Boxing Day', () => {
    // Fri 25 Dec 2026 -> Sat 26 (Boxing Day), Sun 27 -> Mon 28 Dec.
    expect(nextWorkingDay('2026-12-25')).toBe('2026-12-28');
    // Thu 25 Dec 2025 -> Fri 26 is Boxing Day -> Mon 29 Dec.
    expect(nextWorkingDay('2025-12-25')).toBe('2025-12-29');
    // Fri 1 Jan 2027 -> Mon 4 Jan.
    expect(nextWorkingDay('2027-01-01')).toBe('2027-01-04');
  });
});
