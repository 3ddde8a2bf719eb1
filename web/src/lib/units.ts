// Unit conversions used by the assessment wizard. Exact definitions:
// 1 lb = 0.45359237 kg (international pound), 1 in = 2.54 cm,
// 1 kgf = 9.80665 N (standard gravity).

export const KG_PER_LB = 0.45359237;
export const CM_PER_IN = 2.54;
export const N_PER_KGF = 9.80665;

export type MassUnit = 'kg' | 'lb';
export type ForceUnit = 'N' | 'kg' | 'lb';
export type LengthUnit = 'cm' | 'in';

export function lbToKg(lb: number): number {
  return lb * KG_PER_LB;
}
export function kgToLb(kg: number): number {
  return kg / KG_PER_LB;
}
export function inToCm(inches: number): number {
  return inches * CM_PER_IN;
}
export function cmToIn(cm: number): number {
  return cm / CM_PER_IN;
}

/** Force in newtons from a reading in N, kg (kilogram-force) or lb (pound-force). */
export function forceToNewtons(value: number, unit: ForceUnit): number {
  switch (unit) {
    case 'N':
      return value;
    case 'kg':
      return value * N_PER_KGF;
    case 'lb':
      return value * KG_PER_LB * N_PER_KGF;
  }
}

/** A force in newtons expressed in N, kgf or lbf. */
export function newtonsTo(value: number, unit: ForceUnit): number {
  switch (unit) {
    case 'N':
      return value;
    case 'kg':
      return value / N_PER_KGF;
    case 'lb':
      return value / N_PER_KGF / KG_PER_LB;
  }
}

export function massToKg(value: number, unit: MassUnit): number {
  return unit === 'kg' ? value : lbToKg(value);
}

export function lengthToCm(value: number, unit: LengthUnit): number {
  return unit === 'cm' ? value : inToCm(value);
}

/** Rounds to a number of decimals without floating-point noise (1.005 -> 1.01 is not promised; 2.54*3 -> 7.62 is). */
export function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round((value + Number.EPSILON) * f) / f;
}

/**
 * Parses what a person typed into a number field. Accepts a decimal comma
 * ("4,5"). Returns null for an empty field and the raw text when it is not a
 * number, so that validation can report it as typed.
 */
export function parseNumberInput(text: string): number | string | null {
  const t = text.trim();
  if (t === '') return null;
  const normalised = t.replace(',', '.');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(normalised)) return t;
  const n = Number(normalised);
  return Number.isFinite(n) ? n : t;
}
