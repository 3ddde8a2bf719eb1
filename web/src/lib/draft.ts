// Drafts kept in localStorage so that nothing typed is lost on reload. The
// storage is injected (tests pass a Map-backed one).

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

interface Envelope<T> {
  v: 1;
  saved_at: number;
  data: T;
}

export class DraftStore {
  private readonly storage: KeyValueStore | null;
  private readonly prefix: string;

  constructor(storage: KeyValueStore | null, prefix = 'rebalance.draft.') {
    this.storage = storage;
    this.prefix = prefix;
  }

  load<T>(key: string): { data: T; savedAt: number } | null {
    if (!this.storage) return null;
    try {
      const text = this.storage.getItem(this.prefix + key);
      if (!text) return null;
      const env = JSON.parse(text) as Envelope<T>;
      if (env.v !== 1 || env.data === undefined) return null;
      return { data: env.data, savedAt: env.saved_at };
    } catch {
      return null;
    }
  }

  /** Saves; returns false when the storage refused (private mode, quota). */
  save<T>(key: string, data: T, now = Date.now()): boolean {
    if (!this.storage) return false;
    try {
      const env: Envelope<T> = { v: 1, saved_at: now, data };
      this.storage.setItem(this.prefix + key, JSON.stringify(env));
      return true;
    } catch {
      return false;
    }
  }

  discard(key: string): void {
    try {
      this.storage?.removeItem(this.prefix + key);
    } catch {
      /* storage unavailable: nothing to discard */
    }
  }
}

function browserStorage(): KeyValueStore | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export const drafts = new DraftStore(browserStorage());
