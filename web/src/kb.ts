// The knowledge base (exercises, muscles, tests, guidance, vocabularies):
// public, fetched once per page load and shared by every view.
import { api } from './api';
import type { Exercise, Guidance, MusclesDoc, TestDef, VocabularyDoc } from './types';

let exercises: Promise<Map<string, Exercise>> | null = null;
let muscles: Promise<MusclesDoc> | null = null;
let tests: Promise<TestDef[]> | null = null;
let guidance: Promise<Guidance> | null = null;
let vocabulary: Promise<VocabularyDoc> | null = null;

function retryable<T>(make: () => Promise<T>, reset: () => void): Promise<T> {
  const p = make();
  p.catch(reset);
  return p;
}

export function loadExercises(): Promise<Map<string, Exercise>> {
  exercises ??= retryable(
    () => api.get<{ exercises: Exercise[] }>('/api/v1/exercises').then((r) => new Map(r.exercises.map((e) => [e.id, e]))),
    () => (exercises = null),
  );
  return exercises;
}

export function loadMuscles(): Promise<MusclesDoc> {
  muscles ??= retryable(() => api.get<MusclesDoc>('/api/v1/muscles'), () => (muscles = null));
  return muscles;
}

export function loadTests(): Promise<TestDef[]> {
  tests ??= retryable(() => api.get<{ tests: TestDef[] }>('/api/v1/tests').then((r) => r.tests), () => (tests = null));
  return tests;
}

/** Prevention tips, functional-training and consistency guidance. */
export function loadGuidance(): Promise<Guidance> {
  guidance ??= retryable(() => api.get<Guidance>('/api/v1/guidance'), () => (guidance = null));
  return guidance;
}

/**
 * The knowledge base's vocabularies: regions, equipment, activities, red
 * flags, screening items, posture and movement observations, the names of
 * patterns and ratios. The app keeps no copy of them.
 */
export function loadVocabulary(): Promise<VocabularyDoc> {
  vocabulary ??= retryable(() => api.get<VocabularyDoc>('/api/v1/vocabulary'), () => (vocabulary = null));
  return vocabulary;
}

export function muscleName(doc: MusclesDoc | undefined, id: string): string {
  const m = doc?.muscles.find((x) => x.id === id) ?? doc?.groups.find((g) => g.id === id);
  if (m) return m.name;
  const s = id.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}
