// The session logs waiting on this phone (lib/outbox.ts) wired to the API and
// the browser: sent at app start, when the browser says it is back online,
// when the page is shown again and every 30 s while some wait. One send at a
// time, across tabs too (Web Locks where the browser has them).
import { useEffect, useState } from 'preact/hooks';
import { api } from './api';
import { LogOutbox, type DroppedLog, type FlushResult, type QueuedLog } from './lib/outbox';
import type { LogEntry, SessionLog } from './types';

/** Fired on window after the queue changed (detail: the FlushResult, when a send ran). */
export const OUTBOX_CHANGED = 'rebalance:outbox-changed';

function storage() {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function outboxFor(user: string): LogOutbox {
  return new LogOutbox(storage(), user);
}

function changed(detail?: FlushResult) {
  window.dispatchEvent(new CustomEvent(OUTBOX_CHANGED, { detail }));
}

/** Queues a log the server could not be reached for; null when the phone refused to keep it. */
export function queueLog(user: string, log: SessionLog, known: LogEntry[]): QueuedLog | null {
  const item = outboxFor(user).add(log, known);
  changed();
  return item;
}

export function dismissDropped(user: string, id: string): void {
  outboxFor(user).dismiss(id);
  changed();
}

const running = new Map<string, Promise<FlushResult>>();

/** Sends what waits (one run at a time per user); resolves with what happened. */
export function flushOutbox(user: string): Promise<FlushResult> {
  const box = outboxFor(user);
  if (box.list().length === 0) return Promise.resolve({ sent: [], alreadyThere: [], dropped: [], pending: 0 });
  const busy = running.get(user);
  if (busy) return busy;
  const run = (): Promise<FlushResult> =>
    box.flush({
      post: (program, log) => api.post(`/api/v1/programs/${program}/logs`, log),
      logs: (program) => api.get<{ logs: LogEntry[] }>(`/api/v1/programs/${program}/logs`).then((r) => r.logs),
    });
  const locks = typeof navigator !== 'undefined' && 'locks' in navigator ? navigator.locks : null;
  const held = locks ? (locks.request(`rebalance-outbox-${user}`, run) as unknown as Promise<FlushResult>) : run();
  const p = held.finally(() => running.delete(user));
  running.set(user, p);
  p.then(
    (r) => {
      if (r.sent.length || r.alreadyThere.length || r.dropped.length) changed(r);
    },
    () => undefined,
  );
  return p;
}

/** Keeps sending while the app is open; returns the function that stops it. */
export function startOutboxSync(user: string, everyMs = 30000): () => void {
  const kick = () => {
    if (outboxFor(user).list().length) flushOutbox(user).catch(() => undefined);
  };
  const onVisible = () => document.visibilityState === 'visible' && kick();
  window.addEventListener('online', kick);
  document.addEventListener('visibilitychange', onVisible);
  const timer = setInterval(kick, everyMs);
  kick();
  return () => {
    window.removeEventListener('online', kick);
    document.removeEventListener('visibilitychange', onVisible);
    clearInterval(timer);
  };
}

export interface OutboxState {
  items: QueuedLog[];
  dropped: DroppedLog[];
  /** Bumped each time a send delivered something (views reload their logs on it). */
  delivered: number;
}

/** The user's queue as it is now. */
function readOutbox(user: string, delivered: number): OutboxState {
  const box = outboxFor(user);
  return { items: box.list(), dropped: box.dropped(), delivered };
}

/** The queue as it is now, kept current (this tab and others). */
export function useOutbox(user: string): OutboxState {
  const [state, setState] = useState<OutboxState>(() => readOutbox(user, 0));
  useEffect(() => {
    const read = (delivered: number) => readOutbox(user, delivered);
    setState((s) => read(s.delivered));
    const onChange = (e: Event) => {
      const r = (e as CustomEvent<FlushResult | undefined>).detail;
      setState((s) => read(s.delivered + (r && (r.sent.length || r.alreadyThere.length) ? 1 : 0)));
    };
    const onStorage = (e: StorageEvent) => {
      if (e.key === null || e.key.startsWith('rebalance.outbox.')) setState((s) => read(s.delivered + 1));
    };
    window.addEventListener(OUTBOX_CHANGED, onChange);
    window.addEventListener('storage', onStorage);
    return () => {
      window.removeEventListener(OUTBOX_CHANGED, onChange);
      window.removeEventListener('storage', onStorage);
    };
  }, [user]);
  return state;
}

/** The waiting logs as log entries, so that views count them as done. */
export function queuedEntries(items: QueuedLog[]): LogEntry[] {
  return items.map((q) => ({ id: `queued-${q.id}`, created_at: q.queued_at, log: q.log }));
}

/**
 * The user's outbox for a page showing the server's logs: when a queued log
 * is delivered, the page reads the server's list again (`reload`).
 */
export function useOutboxReloading(user: string, reload: () => void): OutboxState {
  const box = useOutbox(user);
  useEffect(() => {
    if (box.delivered) reload();
  }, [box.delivered, reload]);
  return box;
}
