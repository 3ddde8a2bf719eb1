// Human-readable doses and program helpers shared by the program views.
import type { ProgramItem, Target } from '../types';

export function doseText(it: Pick<ProgramItem, 'sets' | 'reps' | 'hold_seconds' | 'per_side' | 'sets_by_side'>): string {
  let s: string;
  if (it.reps !== undefined && it.reps !== null) {
    s = `${it.sets} × ${it.reps}`;
    if (it.hold_seconds) s += `, hold ${it.hold_seconds} s`;
  } else if (it.hold_seconds) {
    s = `${it.sets} × ${it.hold_seconds} s hold`;
  } else {
    s = `${it.sets} sets`;
  }
  if (it.per_side) s += ' per side';
  if (it.sets_by_side && (it.sets_by_side.left !== undefined || it.sets_by_side.right !== undefined))
    s += ` (sets: left ${it.sets_by_side.left ?? it.sets}, right ${it.sets_by_side.right ?? it.sets})`;
  return s;
}

/** Is this item a timed hold (no repetitions)? */
export function isHold(it: Pick<ProgramItem, 'reps' | 'hold_seconds'>): boolean {
  return (it.reps === undefined || it.reps === null) && !!it.hold_seconds;
}

/** Targets with left and right of the same muscle and state merged into "both". */
export function mergeTargets(targets: Target[]): Target[] {
  const out: Target[] = [];
  for (const t of targets) {
    const same = out.find((o) => o.muscle === t.muscle && o.state === t.state);
    if (!same) out.push({ ...t });
    else if (same.side !== t.side) same.side = 'both';
  }
  return out;
}
