// Session logs kept on the phone while the server cannot be reached, and sent
// when it can. Nothing is lost: an item leaves the queue only after the
// server answered 201, or after the server refused it for good (a 4xx other
// than 401/408/429), which is kept as a visible message. Nothing is doubled:
// rebalance.log/1 has no idempotency field (the server drops unknown fields),
// so before sending, the program's logs are read and an item is skipped when
// the server already holds more logs with the same content than it did when
// the item was queued (the POST went through but its answer was lost).
//
// The storage is injected (tests pass a Map-backed one); one queue per user.
import type { KeyValueStore } from './draft';
import type { LogEntry, SessionLog } from '../types';

export interface QueuedLog {
  /** Generated on the phone: names the item in the queue (not sent). */
  id: string;
  program: string;
  log: SessionLog;
  queued_at: number;
  /** Logs with this content the server held (or was sent) when it was queued. */
  baseline: number;
  attempts: number;
  last_error?: string;
}

export interface DroppedLog {
  id: string;
  log: SessionLog;
  message: string;
  dropped_at: number;
}

interface Envelope {
  v: 1;
  items: QueuedLog[];
  dropped: DroppedLog[];
}

/** What the queue needs from the API: send one log, read a program's logs. */
export interface OutboxTransport {
  post(program: string, log: SessionLog): Promise<unknown>;
  logs(program: string): Promise<LogEntry[]>;
}

export interface FlushResult {
  sent: QueuedLog[];
  /** Found on the server already (a lost answer): removed without sending. */
  alreadyThere: QueuedLog[];
  dropped: DroppedLog[];
  /** Items still waiting. */
  pending: number;
  /** Why the flush stopped early, if it did: 'network' (offline), 'auth' (logged out), 'server' (5xx, 429, 408). */
  stopped?: 'network' | 'auth' | 'server';
}

/** The fields that make two logs the same report (what the server keeps of them). */
export function sameLog(a: SessionLog, b: SessionLog): boolean {
  if (a.week !== b.week || a.day !== b.day || a.date !== b.date) return false;
  if (a.effort !== b.effort || a.pain !== b.pain || (a.note ?? '') !== (b.note ?? '')) return false;
  const ai = a.items ?? [];
  const bi = b.items ?? [];
  if (ai.length !== bi.length) return false;
  return ai.every((x, i) => x.exercise === bi[i].exercise && x.sets_done === bi[i].sets_done);
}

function countSame(logs: (SessionLog | null | undefined)[], log: SessionLog): number {
  return logs.reduce((n, l) => (l && sameLog(l, log) ? n + 1 : n), 0);
}

/** An error's HTTP status and message, for errors shaped like ApiError (status 0 = no network). */
function statusOf(e: unknown): { status: number; message: string } {
  const x = e as { status?: unknown; message?: unknown } | null;
  const status = typeof x?.status === 'number' ? x.status : -1;
  const message = typeof x?.message === 'string' ? x.message : 'Something went wrong.';
  return { status, message };
}

/** Errors worth trying again later; anything else is final. */
function stopReason(status: number): FlushResult['stopped'] | null {
  if (status === 0 || status === -1) return 'network';
  if (status === 401) return 'auth';
  if (status === 408 || status === 429 || status >= 500) return 'server';
  return null;
}

let seq = 0;
export function newLocalId(now = Date.now()): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  return `q${now.toString(36)}${(++seq).toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}

export class LogOutbox {
  private readonly storage: KeyValueStore | null;
  private readonly key: string;

  constructor(storage: KeyValueStore | null, user: string, prefix = 'rebalance.outbox.') {
    this.storage = storage;
    this.key = prefix + user;
  }

  private read(): Envelope {
    try {
      const text = this.storage?.getItem(this.key);
      if (text) {
        const env = JSON.parse(text) as Envelope;
        if (env.v === 1 && Array.isArray(env.items)) return { v: 1, items: env.items, dropped: Array.isArray(env.dropped) ? env.dropped : [] };
      }
    } catch {
      /* unreadable: start empty */
    }
    return { v: 1, items: [], dropped: [] };
  }

  /** Writes; false when the storage refused (private mode, quota). */
  private write(env: Envelope): boolean {
    if (!this.storage) return false;
    try {
      if (env.items.length === 0 && env.dropped.length === 0) this.storage.removeItem(this.key);
      else this.storage.setItem(this.key, JSON.stringify(env));
      return true;
    } catch {
      return false;
    }
  }

  /** Waiting items, oldest first (the order they are sent in). */
  list(): QueuedLog[] {
    return this.read().items;
  }

  dropped(): DroppedLog[] {
    return this.read().dropped;
  }

  /**
   * Queues a log. `known` are the program's logs as last read from the server
   * (before the failed send), so that a send whose answer was lost is found
   * later. Returns null when the storage refused it (nothing was kept).
   */
  add(log: SessionLog, known: LogEntry[], now = Date.now(), id = newLocalId(now)): QueuedLog | null {
    const env = this.read();
    const ahead = env.items.filter((q) => q.program === log.program).map((q) => q.log);
    const item: QueuedLog = {
      id,
      program: log.program,
      log,
      queued_at: now,
      baseline: countSame(known.map((l) => (l.log && (!l.log.program || l.log.program === log.program) ? l.log : null)), log) + countSame(ahead, log),
      attempts: 0,
    };
    env.items.push(item);
    return this.write(env) ? item : null;
  }

  /** Forgets a refused log's message once the person has read it. */
  dismiss(id: string): void {
    const env = this.read();
    env.dropped = env.dropped.filter((d) => d.id !== id);
    this.write(env);
  }

  private update(fn: (env: Envelope) => void): void {
    // Read again before each change: another tab may have changed the queue.
    const env = this.read();
    fn(env);
    this.write(env);
  }

  /**
   * Sends the waiting logs, oldest first. Stops at the first error worth
   * retrying (no network, logged out, server trouble) and keeps that item and
   * every later one; drops an item the server refuses for good, with its message.
   */
  async flush(t: OutboxTransport, now = () => Date.now()): Promise<FlushResult> {
    const result: FlushResult = { sent: [], alreadyThere: [], dropped: [], pending: 0 };
    const onServer = new Map<string, (SessionLog | null)[]>();
    for (const item of this.read().items) {
      if (!this.read().items.some((q) => q.id === item.id)) continue; // sent by another tab meanwhile
      let logs = onServer.get(item.program);
      if (!logs) {
        try {
          logs = (await t.logs(item.program)).map((l) => l.log);
        } catch (e) {
          const { status } = statusOf(e);
          const stop = stopReason(status);
          // A program that is gone or forbidden: the send below says so for good.
          if (stop) {
            result.stopped = stop;
            break;
          }
          logs = [];
        }
        onServer.set(item.program, logs);
      }
      // The baseline counts the same-content logs on the server and ahead in
      // the queue when this one was queued: one more on the server means an
      // earlier send of this very item went through.
      if (countSame(logs, item.log) > item.baseline) {
        this.update((env) => (env.items = env.items.filter((q) => q.id !== item.id)));
        result.alreadyThere.push(item);
        continue;
      }
      try {
        await t.post(item.program, item.log);
        logs.push(item.log);
        this.update((env) => (env.items = env.items.filter((q) => q.id !== item.id)));
        result.sent.push(item);
      } catch (e) {
        const { status, message } = statusOf(e);
        const stop = stopReason(status);
        if (stop) {
          this.update((env) => {
            const q = env.items.find((x) => x.id === item.id);
            if (q) {
              q.attempts += 1;
              q.last_error = message;
            }
          });
          result.stopped = stop;
          break;
        }
        const d: DroppedLog = { id: item.id, log: item.log, message, dropped_at: now() };
        this.update((env) => {
          env.items = env.items.filter((q) => q.id !== item.id);
          env.dropped.push(d);
        });
        result.dropped.push(d);
      }
    }
    result.pending = this.read().items.length;
    return result;
  }
}
