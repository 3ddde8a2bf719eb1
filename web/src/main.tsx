import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, ApiError, setCsrfToken, setUnauthenticatedHandler, type Answer } from './api';
import { AuthContext, type Auth, type SessionAnswer } from './auth';
import { ErrorBox, Link, Loading, Redirect } from './components/ui';
import { match, navigate, usePath } from './router';
import './styles.css';
import type { User } from './types';
import { MessageThread } from './components/MessageThread';
import { AdminView } from './views/Admin';
import { InviteView, LoginView, ResetView, SetupView } from './views/Auth';
import { ClientList } from './views/ClientList';
import { ClientPage } from './views/ClientPage';
import { HistoryView } from './views/History';
import { forgetSession, registerServiceWorker, rememberSession } from './offline';
import { startOutboxSync } from './outbox';
import { LibraryView } from './views/Library';
import { TodayView } from './views/Today';

/**
 * The session after a reload: GET /auth/session answers 200 with a null user
 * when nobody is logged in (no failed request on a first visit).
 */
async function restoreSession(): Promise<SessionAnswer | null> {
  const r = await api.get<Answer<'/api/v1/auth/session'>>('/api/v1/auth/session', { quiet401: true });
  return r.user ? { user: r.user, csrf_token: r.csrf_token ?? '' } : null;
}

// Asked at once, before the first render, so the first screen does not wait
// for an effect to be scheduled after a paint.
const firstSession = restoreSession();

type Status = { kind: 'loading' } | { kind: 'out'; expired?: boolean } | { kind: 'in'; user: User } | { kind: 'error'; error: unknown };

function App() {
  const path = usePath();
  const [status, setStatus] = useState<Status>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    (attempt === 0 ? firstSession : restoreSession()).then(
      (r) => {
        if (!live) return;
        if (!r) {
          void forgetSession();
          setStatus({ kind: 'out' });
          return;
        }
        setCsrfToken(r.csrf_token);
        void rememberSession(r);
        setStatus({ kind: 'in', user: r.user });
      },
      (e) => {
        if (!live) return;
        if (e instanceof ApiError && e.status === 401) setStatus({ kind: 'out' });
        else setStatus({ kind: 'error', error: e });
      },
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setCsrfToken('');
      void forgetSession();
      setStatus({ kind: 'out', expired: true });
    });
    return () => setUnauthenticatedHandler(null);
  }, []);

  const signedIn = (r: SessionAnswer, to?: string) => {
    setCsrfToken(r.csrf_token);
    void rememberSession(r);
    setStatus({ kind: 'in', user: r.user });
    if (to) navigate(to, true);
  };

  const auth = useMemo<Auth | null>(
    () =>
      status.kind === 'in'
        ? {
            user: status.user,
            logout: async () => {
              try {
                await api.post('/api/v1/auth/logout');
              } catch {
                /* the session is gone either way */
              }
              setCsrfToken('');
              await forgetSession();
              setStatus({ kind: 'out' });
              navigate('/login', true);
            },
          }
        : null,
    [status],
  );

  // A client's session logs kept on this phone go out whenever they can.
  const clientId = status.kind === 'in' && status.user.role === 'client' ? status.user.id : null;
  useEffect(() => (clientId ? startOutboxSync(clientId) : undefined), [clientId]);

  useEffect(() => {
    const titles: Record<string, string> = { '/login': 'Log in', '/setup': 'Set up', '/invite': 'Accept invitation', '/reset': 'Reset password', '/library': 'Exercises', '/messages': 'Messages' };
    document.title = titles[path] ? `${titles[path]} · Rebalance` : 'Rebalance';
  }, [path]);

  // Public pages work whether or not someone is logged in.
  if (path === '/invite') return <Shell><InviteView onSignedIn={(r) => signedIn(r, '/')} /></Shell>;
  if (path === '/reset') return <Shell><ResetView /></Shell>;
  if (path === '/setup') return <Shell><SetupView onSignedIn={(r) => signedIn(r, '/')} /></Shell>;

  if (status.kind === 'loading') return <Shell><Loading label="Opening Rebalance…" /></Shell>;
  if (status.kind === 'error')
    return (
      <Shell>
        <ErrorBox error={status.error} onRetry={() => setAttempt((n) => n + 1)} />
      </Shell>
    );
  if (status.kind === 'out')
    return (
      <Shell>
        <LoginView expired={status.expired} onSignedIn={(r) => signedIn(r, path === '/login' ? '/' : undefined)} />
      </Shell>
    );
  if (path === '/login') return <Redirect to="/" />;
  return (
    <AuthContext.Provider value={auth}>
      <Shell user={status.user} onLogout={auth!.logout}>
        <Routes path={path} user={status.user} />
      </Shell>
    </AuthContext.Provider>
  );
}

function Routes({ path, user }: { path: string; user: User }) {
  if (user.role === 'admin') {
    if (path === '/' || path === '/admin') return <AdminView />;
    return <NotFound />;
  }
  if (path === '/library') return <LibraryView />;
  const lib = match('/library/:id', path);
  if (lib) return <LibraryView exerciseId={lib.id} />;
  if (user.role === 'client') {
    if (path === '/' || path === '/today') return <TodayView />;
    if (path === '/history') return <HistoryView />;
    if (path === '/messages' && user.client_id) return <MessagesView clientId={user.client_id} />;
    return <NotFound />;
  }
  if (path === '/' || path === '/clients') return <ClientList />;
  const m =
    match('/clients/:id', path) ??
    match('/clients/:id/:tab', path) ??
    match('/clients/:id/:tab/:doc', path);
  if (m) return <ClientPage clientId={m.id} tab={m.tab ?? 'assessments'} doc={m.doc} />;
  return <NotFound />;
}

function NotFound() {
  return (
    <section class="card">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link href="/">Go to the start page</Link>.
      </p>
    </section>
  );
}

/** The client's thread with their care team, as its own page. */
function MessagesView({ clientId }: { clientId: string }) {
  return (
    <div class="stack">
      <h1>Messages</h1>
      <MessageThread
        clientId={clientId}
        audience="client"
        title="With your care team"
        onRead={() => window.dispatchEvent(new Event(UNREAD_CHANGED))}
      />
    </div>
  );
}

/** Fired when the client reads their thread, so the menu's count follows. */
const UNREAD_CHANGED = 'rebalance:unread-changed';

/** The client's unread messages for the menu: asked again on every page change. */
function useClientUnread(user: User | undefined, path: string): number {
  const [unread, setUnread] = useState(0);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const bump = () => setTick((n) => n + 1);
    window.addEventListener(UNREAD_CHANGED, bump);
    return () => window.removeEventListener(UNREAD_CHANGED, bump);
  }, []);
  const clientId = user?.role === 'client' ? user.client_id : undefined;
  useEffect(() => {
    if (!clientId) return;
    let live = true;
    api.get<Answer<'/api/v1/clients/{id}'>>(`/api/v1/clients/${clientId}`).then(
      (c) => live && setUnread(c.unread_messages ?? 0),
      () => undefined, // the count is a hint; the pages say what failed
    );
    return () => {
      live = false;
    };
  }, [clientId, path, tick]);
  return unread;
}

function Shell({ user, onLogout, children }: { user?: User; onLogout?: () => void; children: preact.ComponentChildren }) {
  const path = usePath();
  const unread = useClientUnread(user, path);
  const nav: { href: string; label: string }[] =
    user?.role === 'client'
      ? [
          { href: '/', label: 'Today' },
          { href: '/history', label: 'History' },
          { href: '/messages', label: 'Messages' },
          { href: '/library', label: 'Exercises' },
        ]
      : user?.role === 'practitioner'
        ? [
            { href: '/', label: 'Clients' },
            { href: '/library', label: 'Exercises' },
          ]
        : user?.role === 'admin'
          ? [{ href: '/', label: 'Administration' }]
          : [];
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <div class="topbar-inner">
          <Link href="/" class="brand" aria-label="Rebalance home">
            <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
              <circle cx="12" cy="12" r="10" fill="none" stroke="currentColor" stroke-width="2" />
              <path d="M5 14h14M12 5v14" stroke="currentColor" stroke-width="2" />
            </svg>
            <span class="brand-text">Rebalance</span>
          </Link>
          {user && (
            <nav aria-label="Main">
              <ul>
                {nav.map((n) => (
                  <li key={n.href}>
                    <Link
                      href={n.href}
                      aria-current={(n.href === '/' ? path === '/' || path.startsWith('/clients') || path === '/today' : path.startsWith(n.href)) ? 'page' : undefined}
                    >
                      {n.label}
                      {n.href === '/messages' && unread > 0 && (
                        <span class="badge" data-testid="nav-unread">
                          {unread}
                          <span class="visually-hidden"> unread</span>
                        </span>
                      )}
                    </Link>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          {user && (
            <div class="who">
              <span class="who-name" data-testid="current-user">
                {user.name}
              </span>
              <button type="button" class="btn ghost small" onClick={onLogout} data-testid="logout">
                Log out
              </button>
            </div>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
registerServiceWorker();
