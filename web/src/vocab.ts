// Names from the knowledge base's vocabularies (loadVocabulary in kb.ts),
// and the app's own wording of the engine's phases.
import type { Term, VocabularyDoc } from './types';

/** The name of `id` in a vocabulary list; undefined when the list does not hold it. */
export function termName(list: readonly Term[] | undefined, id: string): string | undefined {
  return list?.find((t) => t.id === id)?.name;
}

/** An id in words when no vocabulary names it: "low_back" -> "Low back". */
export function idWords(id: string): string {
  const s = id.replace(/[_.]+/g, ' ').replace(/\s+/g, ' ').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A pain region's name ("Low back"). */
export function regionName(v: VocabularyDoc | undefined, id: string): string {
  return termName(v?.regions, id) ?? idWords(id);
}

export const PHASE_NAMES: Record<string, string> = {
  stretch: 'Stretch',
  strengthen: 'Strengthen',
  functional: 'Functional',
};
