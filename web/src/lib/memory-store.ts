// A KeyValueStore in memory: localStorage's stand-in in unit tests.
import type { KeyValueStore } from './draft';

export class MemoryStore implements KeyValueStore {
  map = new Map<string, string>();
  getItem(k: string): string | null {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.map.set(k, v);
  }
  removeItem(k: string): void {
    this.map.delete(k);
  }
}
