import { describe, expect, it } from 'vitest';
import type { KeyValueStore } from './draft';
import { MemoryStore } from './memory-store';
import { LogOutbox, sameLog, type OutboxTransport } from './outbox';
import type { LogEntry, SessionLog } from '../types';


const log = (over: Partial<SessionLog> = {}): SessionLog => ({
  schema: 'rebalance.log/1',
  program: 'p_1',
  week: 1,
  day: 1,
  date: '2026-03-02',
  effort: 5,
  pain: 1,
  items: [{ exercise: 'glute_bridge', sets_done: 3, reps_done: [15, 15, 12] }],
  ...over,
});

const err = (status: number, message = `status ${status}`) => Object.assign(new Error(message), { status, code: status === 0 ? 'network' : 'x' });

/** A fake server: what it holds per program, every POST it received, and scripted failures. */
function fakeServer(initial: SessionLog[] = []) {
  const held = new Map<string, LogEntry[]>();
  let n = 0;
  const keep = (l: SessionLog) => {
    const list = held.get(l.program) ?? [];
    list.push({ id: `l_${++n}`, created_at: n, log: l });
    held.set(l.program, list);
  };
  initial.forEach(keep);
  const posts: SessionLog[] = [];
  const postFailures: (number | 'lost')[] = [];
  const getFailures: number[] = [];
  const t: OutboxTransport = {
    async post(program, l) {
      const f = postFailures.shift();
      if (typeof f === 'number') throw err(f);
      posts.push(l);
      keep({ ...l, program });
      if (f === 'lost') throw err(0); // stored, but the answer never arrived
      return { id: `l_${n}` };
    },
    async logs(program) {
      const f = getFailures.shift();
      if (f !== undefined) throw err(f);
      return [...(held.get(program) ?? [])];
    },
  };
  return { t, posts, postFailures, getFailures, held: (p = 'p_1') => held.get(p) ?? [] };
}

describe('the log outbox', () => {
  it('queues per user and keeps the queue across instances (a reload)', () => {
    const mem = new MemoryStore();
    const a = new LogOutbox(mem, 'u_a');
    expect(a.add(log(), [], 1000, 'q1')?.id).toBe('q1');
    expect(new LogOutbox(mem, 'u_a').list().map((q) => q.id)).toEqual(['q1']);
    expect(new LogOutbox(mem, 'u_b').list()).toEqual([]);
  });

  it('says when the storage refuses, and reads corrupt storage as empty', () => {
    const refusing: KeyValueStore = {
      getItem: () => null,
      setItem: () => {
        throw new Error('quota');
      },
      removeItem: () => undefined,
    };
    expect(new LogOutbox(refusing, 'u').add(log(), [])).toBeNull();
    expect(new LogOutbox(null, 'u').add(log(), [])).toBeNull();
    const mem = new MemoryStore();
    mem.setItem('rebalance.outbox.u', '{not json');
    expect(new LogOutbox(mem, 'u').list()).toEqual([]);
  });

  it('sends oldest first and empties the queue after each 201', async () => {
    const s = fakeServer();
    const o = new LogOutbox(new MemoryStore(), 'u');
    o.add(log({ day: 1 }), [], 1, 'q1');
    o.add(log({ day: 2 }), [], 2, 'q2');
    o.add(log({ program: 'p_2', day: 3 }), [], 3, 'q3');
    const r = await o.flush(s.t);
    expect(s.posts.map((l) => l.day)).toEqual([1, 2, 3]);
    expect(r.sent.map((q) => q.id)).toEqual(['q1', 'q2', 'q3']);
    expect(r.pending).toBe(0);
    expect(o.list()).toEqual([]);
    // A second flush sends nothing more.
    await o.flush(s.t);
    expect(s.posts).toHaveLength(3);
  });

  it('keeps the item (and every later one) when the network fails, and sends them later', async () => {
    const s = fakeServer();
    const o = new LogOutbox(new MemoryStore(), 'u');
    o.add(log({ day: 1 }), [], 1, 'q1');
    o.add(log({ day: 2 }), [], 2, 'q2');
    s.postFailures.push(0);
    const r = await o.flush(s.t);
    expect(r.stopped).toBe('network');
    expect(r.pending).toBe(2);
    expect(o.list().map((q) => [q.id, q.attempts])).toEqual([['q1', 1], ['q2', 0]]);
    expect(s.posts).toEqual([]);
    const r2 = await o.flush(s.t);
    expect(r2.sent.map((q) => q.id)).toEqual(['q1', 'q2']);
    expect(s.held().map((l) => l.log!.day)).toEqual([1, 2]);
  });

  it('stops without sending when the logs cannot be read for lack of network', async () => {
    const s = fakeServer();
    const o = new LogOutbox(new MemoryStore(), 'u');
    o.add(log(), [], 1, 'q1');
    s.getFailures.push(0);
    const r = await o.flush(s.t);
    expect(r.stopped).toBe('network');
    expect(s.posts).toEqual([]);
    expect(o.list()).toHaveLength(1);
  });

  it('keeps items on 401 (log in again), 429 and 5xx', async () => {
    for (const status of [401, 429, 500, 503]) {
      const s = fakeServer();
      const o = new LogOutbox(new MemoryStore(), 'u');
      o.add(log(), [], 1, 'q1');
      s.postFailures.push(status);
      const r = await o.flush(s.t);
      expect(r.stopped).toBe(status === 401 ? 'auth' : 'server');
      expect(o.list().map((q) => q.id)).toEqual(['q1']);
      expect(o.list()[0].last_error).toBe(`status ${status}`);
      expect(o.dropped()).toEqual([]);
    }
  });

  it('drops an item the server refuses for good, with its message, and goes on with the next', async () => {
    const s = fakeServer();
    const o = new LogOutbox(new MemoryStore(), 'u');
    o.add(log({ day: 1 }), [], 1, 'q1');
    o.add(log({ day: 2 }), [], 2, 'q2');
    s.postFailures.push(400);
    const r = await o.flush(s.t, () => 99);
    expect(r.dropped).toEqual([{ id: 'q1', log: log({ day: 1 }), message: 'status 400', dropped_at: 99 }]);
    expect(r.sent.map((q) => q.id)).toEqual(['q2']);
    expect(o.list()).toEqual([]);
    expect(o.dropped().map((d) => d.message)).toEqual(['status 400']);
    // Never tried again; the message stays until dismissed.
    await o.flush(s.t);
    expect(s.posts.map((l) => l.day)).toEqual([2]);
    o.dismiss('q1');
    expect(o.dropped()).toEqual([]);
  });

  it('a program gone (404 on reading its logs) drops its items with the message of the send', async () => {
    const s = fakeServer();
    const o = new LogOutbox(new MemoryStore(), 'u');
    o.add(log(), [], 1, 'q1');
    s.getFailures.push(404);
    s.postFailures.push(404);
    const r = await o.flush(s.t);
    expect(r.dropped.map((d) => d.id)).toEqual(['q1']);
    expect(r.pending).toBe(0);
  });

  it('does not send twice a log whose send went through but whose answer was lost', async () => {
    const s = fakeServer();
    const o = new LogOutbox(new MemoryStore(), 'u');
    o.add(log(), [], 1, 'q1');
    s.postFailures.push('lost');
    const r = await o.flush(s.t);
    expect(r.stopped).toBe('network');
    expect(o.list()).toHaveLength(1);
    const r2 = await o.flush(s.t);
    expect(r2.alreadyThere.map((q) => q.id)).toEqual(['q1']);
    expect(r2.sent).toEqual([]);
    expect(s.held()).toHaveLength(1);
    expect(o.list()).toEqual([]);
  });

  it('still sends a deliberate second log of the same session', async () => {
    // The session was logged once before (online); the second log is queued.
    const first = log();
    const s = fakeServer([first]);
    const o = new LogOutbox(new MemoryStore(), 'u');
    o.add(log(), s.held(), 1, 'q1');
    expect(o.list()[0].baseline).toBe(1);
    const r = await o.flush(s.t);
    expect(r.sent.map((q) => q.id)).toEqual(['q1']);
    expect(s.held()).toHaveLength(2);
  });

  it('two identical queued logs: one lost answer sends only the other', async () => {
    const s = fakeServer();
    const o = new LogOutbox(new MemoryStore(), 'u');
    o.add(log(), [], 1, 'q1');
    o.add(log(), [], 2, 'q2');
    expect(o.list().map((q) => q.baseline)).toEqual([0, 1]);
    s.postFailures.push('lost');
    await o.flush(s.t);
    await o.flush(s.t);
    expect(s.held()).toHaveLength(2);
    expect(o.list()).toEqual([]);
  });

  it('two identical queued logs both stored with lost answers are not sent again', async () => {
    const s = fakeServer();
    const o = new LogOutbox(new MemoryStore(), 'u');
    o.add(log(), [], 1, 'q1');
    o.add(log(), [], 2, 'q2');
    // Both reached the server (say, from another tab) before this flush.
    await s.t.post('p_1', log());
    await s.t.post('p_1', log());
    const r = await o.flush(s.t);
    expect(r.alreadyThere.map((q) => q.id)).toEqual(['q1', 'q2']);
    expect(s.held()).toHaveLength(2);
  });

  it('skips an item another tab sent meanwhile', async () => {
    const mem = new MemoryStore();
    const s = fakeServer();
    const a = new LogOutbox(mem, 'u');
    a.add(log({ day: 1 }), [], 1, 'q1');
    a.add(log({ day: 2 }), [], 2, 'q2');
    const t: OutboxTransport = {
      logs: s.t.logs,
      async post(p, l) {
        // While the first send is on its way, the other tab sends the second and removes it.
        if (l.day === 1) {
          const env = JSON.parse(mem.getItem('rebalance.outbox.u')!);
          env.items = env.items.filter((q: { id: string }) => q.id !== 'q2');
          mem.setItem('rebalance.outbox.u', JSON.stringify(env));
        }
        return s.t.post(p, l);
      },
    };
    const r = await a.flush(t);
    expect(s.posts.map((l) => l.day)).toEqual([1]);
    expect(r.sent.map((q) => q.id)).toEqual(['q1']);
    expect(a.list()).toEqual([]);
  });

  it('compares logs by what the server keeps of them', () => {
    expect(sameLog(log(), log())).toBe(true);
    expect(sameLog(log(), log({ note: '' }))).toBe(true);
    expect(sameLog(log(), log({ note: 'x' }))).toBe(false);
    expect(sameLog(log(), log({ date: '2026-03-03' }))).toBe(false);
    expect(sameLog(log(), log({ items: [] }))).toBe(false);
    expect(sameLog(log(), log({ items: [{ exercise: 'glute_bridge', sets_done: 2 }] }))).toBe(false);
  });
});
