// Rebalance's service worker, written by hand (no library). The build
// (vite.config.ts, plugin "rebalance-sw") writes it to dist/sw.js with the
// BUILD placeholder below replaced by {version, files}: the app shell of that
// build (index.html and every hashed file under /assets/).
//
// - App shell: precached at install; /assets/* cache-first (their names
//   change with their content); pages (navigations) network-first, falling
//   back to the cached index.html, so the app opens without a connection.
// - API: GET answers a client's Today, History and Exercises pages read are
//   network-first, falling back to the last answer seen, so the last-seen
//   program works offline. They are stored only while the signed-in person
//   is a client: the page keeps who that is in the API cache under
//   /api/v1/auth/session (src/offline.ts), clears the cache when someone
//   else signs in, and deletes it on logout. Nothing else is stored (auth,
//   exports, handouts, calendar feeds); POSTs always go to the network (the
//   app queues session logs itself, src/outbox.ts).
const BUILD = __REBALANCE_BUILD__;
const SHELL_CACHE = `rebalance-shell-${BUILD.version}`;
const API_CACHE = 'rebalance-api-v1';
const SESSION_URL = '/api/v1/auth/session';
const SHELL = new Set(BUILD.files);

// What a client's pages read (and nothing else).
const CACHEABLE_API =
  /^\/api\/v1\/(clients(\/[^/]+(\/(programs|messages|progress))?)?|programs\/[^/]+(\/(logs|adherence))?|exercises(\/[^/]+(\/(illustration|animation)\.svg)?)?|muscles|tests|guidance)$/;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(BUILD.files.map((f) => new Request(f, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('rebalance-shell-') && k !== SHELL_CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/')) {
    if (url.pathname === SESSION_URL) event.respondWith(networkOrCache(req, false));
    else if (CACHEABLE_API.test(url.pathname) && !url.search) event.respondWith(networkOrCache(req, true));
    return;
  }
  if (req.mode === 'navigate') {
    event.respondWith(page(req));
    return;
  }
  if (url.pathname.startsWith('/assets/') || SHELL.has(url.pathname)) event.respondWith(shellFile(req));
});

/** Pages: the server's index.html when it answers, the cached one when it cannot be reached. */
async function page(req) {
  try {
    const res = await fetch(req);
    if (res.ok && (res.headers.get('content-type') || '').includes('text/html')) {
      const copy = res.clone();
      caches.open(SHELL_CACHE).then((c) => c.put('/index.html', copy)).catch(() => undefined);
    }
    return res;
  } catch (e) {
    const cached = await caches.match('/index.html', { cacheName: SHELL_CACHE });
    if (cached) return cached;
    throw e;
  }
}

/** Hashed files never change under one name: the cache first, else the network (and keep it). */
async function shellFile(req) {
  const cached = await caches.match(req, { ignoreVary: true });
  if (cached) return cached;
  const res = await fetch(req);
  if (res.ok && res.status === 200) {
    const copy = res.clone();
    caches.open(SHELL_CACHE).then((c) => c.put(req, copy)).catch(() => undefined);
  }
  return res;
}

/** Is the person the page last signed in a client? (Only their answers are kept.) */
async function clientSignedIn(cache) {
  try {
    const res = await cache.match(SESSION_URL);
    const body = res ? await res.json() : null;
    return body?.user?.role === 'client' ? body.user.id : null;
  } catch {
    return null;
  }
}

/**
 * The network's answer when there is one (kept for later when `store` and a
 * client is signed in); the last kept answer when the server cannot be
 * reached. A server error is passed on as it is: only a missing network
 * falls back.
 */
async function networkOrCache(req, store) {
  const cache = await caches.open(API_CACHE);
  try {
    const res = await fetch(req);
    if (store && res.status === 200) {
      const who = await clientSignedIn(cache);
      if (who) {
        const copy = res.clone();
        // The same person still (nobody signed in or out meanwhile)?
        if ((await clientSignedIn(cache)) === who) await cache.put(req, copy).catch(() => undefined);
      }
    }
    return res;
  } catch (e) {
    const cached = (await clientSignedIn(cache)) ? await cache.match(req, { ignoreVary: true }) : undefined;
    if (cached) return cached;
    throw e;
  }
}
