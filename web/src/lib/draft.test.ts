import { describe, expect, it } from 'vitest';
import { DraftStore, type KeyValueStore } from './draft';
import { MemoryStore } from './memory-store';


describe('drafts', () => {
  it('saves, restores and discards per key', () => {
    const mem = new MemoryStore();
    const d = new DraftStore(mem);
    expect(d.load('wizard.c_1')).toBeNull();
    expect(d.save('wizard.c_1', { age: '41' }, 1000)).toBe(true);
    d.save('wizard.c_2', { age: '30' });
    expect(d.load<{ age: string }>('wizard.c_1')).toEqual({ data: { age: '41' }, savedAt: 1000 });
    d.discard('wizard.c_1');
    expect(d.load('wizard.c_1')).toBeNull();
    expect(d.load<{ age: string }>('wizard.c_2')?.data.age).toBe('30');
  });

  it('survives corrupt entries and refusing storage', () => {
    const mem = new MemoryStore();
    mem.setItem('rebalance.draft.x', '{not json');
    const d = new DraftStore(mem);
    expect(d.load('x')).toBeNull();
    const full: KeyValueStore = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => undefined,
    };
    expect(new DraftStore(full).save('x', 1)).toBe(false);
    expect(new DraftStore(null).load('x')).toBeNull();
  });
});
