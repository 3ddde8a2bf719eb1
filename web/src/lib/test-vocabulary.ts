// The knowledge base's vocabularies as the server serves them, for unit
// tests: the engine's golden copy of GET /api/v1/vocabulary
// (tests/golden/expected/vocabulary.json, checked by the render tests), so the
// app's tests read the same names and lists the app gets.
import doc from '../../../tests/golden/expected/vocabulary.json';
import type { VocabularyDoc } from '../types';

export const testVocabulary = doc as unknown as VocabularyDoc;
