import { describe, expect, it } from 'vitest';
import { complianceText, monthGrid, shiftMonth } from './plans.ts';

describe('monthGrid', () => {
  it('runs Monday to Sunday around the month', () => {
    const g = monthGrid('2026-12');
    expect(g.from).toBe('2026-11-30');
    expect(g.to).toBe('2027-01-03');
    expect(g.days.length % 7).toBe(0);
    expect(g.days).toContain('2026-12-31');
  });
  it('keeps a month that starts on Monday whole', () => {
    expect(monthGrid('2026-06').from).toBe('2026-06-01');
  });
});

describe('shiftMonth and complianceText', () => {
  it('crosses years and rounds to whole percent', () => {
    expect(shiftMonth('2026-12', 1)).toBe('2027-01');
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(complianceText(0.954)).toBe('95 %');
    expect(complianceText(null)).toBe('–');
  });
});
