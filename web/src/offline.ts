// The page's side of working offline: registers the service worker (sw.js,
// built by vite.config.ts) and owns the API cache it fills. The worker keeps
// API answers only while the person named under /api/v1/auth/session in that
// cache is a client; the page writes that entry when someone signs in, drops
// the cache when a different person signs in, and deletes it on logout, so
// nobody ever sees another person's answers.
import type { SessionAnswer } from './auth';

const API_CACHE = 'rebalance-api-v1';
const SESSION_URL = '/api/v1/auth/session';

function hasCaches(): boolean {
  try {
    return typeof caches !== 'undefined';
  } catch {
    return false;
  }
}

/**
 * For everyone: the app shell then opens without a connection (the login page
 * says the server cannot be reached rather than the browser's error page);
 * only a client's API answers are kept. Not in `vite dev` (no sw.js there).
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  const register = () => navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}

/** Someone signed in (or their session was restored): keep only their answers. */
export async function rememberSession(answer: SessionAnswer): Promise<void> {
  if (!hasCaches()) return;
  try {
    let cache = await caches.open(API_CACHE);
    const before = await cache.match(SESSION_URL);
    const prev = before ? ((await before.json()) as { user?: { id?: string } } | null) : null;
    if (prev?.user?.id !== answer.user.id || answer.user.role !== 'client') {
      await caches.delete(API_CACHE);
      if (answer.user.role !== 'client') return;
      cache = await caches.open(API_CACHE);
    }
    const body = JSON.stringify({ user: answer.user, csrf_token: answer.csrf_token });
    await cache.put(SESSION_URL, new Response(body, { headers: { 'Content-Type': 'application/json' } }));
  } catch {
    /* no cache storage: the app works online only */
  }
}

/** Logged out (or the session ended): nothing of theirs stays on the device but queued logs. */
export async function forgetSession(): Promise<void> {
  if (!hasCaches()) return;
  try {
    await caches.delete(API_CACHE);
  } catch {
    /* nothing to delete */
  }
}
