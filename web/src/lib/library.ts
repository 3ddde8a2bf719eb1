// Searching the exercise library: free text over names, muscles and
// equipment, plus filters by muscle, phase and equipment.
import type { Exercise, MusclesDoc } from '../types';

export interface LibraryQuery {
  text: string;
  muscle: string; // a muscle id, or '' for any
  phase: string; // stretch | strengthen | functional, or ''
  equipment: string; // an equipment id, 'none' for bodyweight only, or ''
}

export const emptyQuery: LibraryQuery = { text: '', muscle: '', phase: '', equipment: '' };

function words(s: string): string[] {
  return s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** The exercises matching every part of the query, in library order. */
export function searchExercises(all: Exercise[], q: LibraryQuery, muscles: MusclesDoc): Exercise[] {
  const name = new Map(muscles.muscles.map((m) => [m.id, m.name]));
  const terms = words(q.text);
  return all.filter((e) => {
    const targets = [...e.targets.primary, ...e.targets.secondary];
    if (q.phase && e.phase !== q.phase) return false;
    if (q.muscle && !targets.includes(q.muscle)) return false;
    if (q.equipment === 'none' && e.equipment.length > 0) return false;
    if (q.equipment && q.equipment !== 'none' && !e.equipment.includes(q.equipment)) return false;
    if (terms.length === 0) return true;
    const haystack = new Set(words([e.name, e.id, e.phase, ...e.equipment, ...targets.map((t) => name.get(t) ?? t), ...targets].join(' ')));
    const hay = [...haystack];
    // Every term must start some word: "glut" finds "gluteus", "ham" "hamstrings".
    return terms.every((t) => hay.some((w) => w.startsWith(t)));
  });
}

/** The muscles some exercise targets, by name, for the muscle filter. */
export function targetedMuscles(all: Exercise[], muscles: MusclesDoc): { id: string; name: string }[] {
  const used = new Set(all.flatMap((e) => [...e.targets.primary, ...e.targets.secondary]));
  return muscles.muscles.filter((m) => used.has(m.id)).map((m) => ({ id: m.id, name: m.name })).sort((a, b) => a.name.localeCompare(b.name));
}

/** Every piece of equipment some exercise needs, sorted. */
export function equipmentList(all: Exercise[]): string[] {
  return [...new Set(all.flatMap((e) => e.equipment))].sort();
}
