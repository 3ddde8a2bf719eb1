import { describe, expect, it } from 'vitest';
import {
  cmToIn,
  forceToNewtons,
  inToCm,
  kgToLb,
  lbToKg,
  lengthToCm,
  massToKg,
  newtonsTo,
  parseNumberInput,
  round,
} from './units';

describe('units', () => {
  it('uses the exact definitions of the pound and the inch', () => {
    expect(lbToKg(1)).toBe(0.45359237);
    expect(inToCm(1)).toBe(2.54);
    expect(lbToKg(100)).toBeCloseTo(45.359237, 10);
    expect(inToCm(12)).toBeCloseTo(30.48, 10);
  });

  it('round-trips kg/lb and cm/in', () => {
    for (const v of [0, 0.5, 1, 41, 52.3, 180, 499.9]) {
      expect(kgToLb(lbToKg(v))).toBeCloseTo(v, 9);
      expect(cmToIn(inToCm(v))).toBeCloseTo(v, 9);
      expect(newtonsTo(forceToNewtons(v, 'lb'), 'lb')).toBeCloseTo(v, 9);
      expect(newtonsTo(forceToNewtons(v, 'kg'), 'kg')).toBeCloseTo(v, 9);
    }
  });

  it('converts forces through standard gravity', () => {
    expect(forceToNewtons(1, 'kg')).toBeCloseTo(9.80665, 10);
    expect(forceToNewtons(1, 'lb')).toBeCloseTo(4.4482216152605, 10);
    expect(forceToNewtons(240, 'N')).toBe(240);
  });

  it('converts masses and lengths only when the unit differs', () => {
    expect(massToKg(70, 'kg')).toBe(70);
    expect(massToKg(154, 'lb')).toBeCloseTo(69.853225, 6);
    expect(lengthToCm(8, 'cm')).toBe(8);
    expect(lengthToCm(8, 'in')).toBeCloseTo(20.32, 10);
  });

  it('rounds without binary noise', () => {
    expect(round(inToCm(3), 2)).toBe(7.62);
    expect(round(2.675, 1)).toBe(2.7);
    expect(round(lbToKg(154), 2)).toBe(69.85);
  });

  it('parses typed numbers, keeping text it cannot read', () => {
    expect(parseNumberInput('')).toBeNull();
    expect(parseNumberInput('  ')).toBeNull();
    expect(parseNumberInput('42')).toBe(42);
    expect(parseNumberInput('4,5')).toBe(4.5);
    expect(parseNumberInput('-10')).toBe(-10);
    expect(parseNumberInput('abc')).toBe('abc');
    expect(parseNumberInput('4.5.6')).toBe('4.5.6');
  });
});
