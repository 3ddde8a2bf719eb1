import type { ComponentChildren, JSX } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { boxError, errorMessage } from '../api';
import { linkClick, navigate as navigateTo } from '../router';

export function Link(props: JSX.HTMLAttributes<HTMLAnchorElement> & { href: string }) {
  return <a {...props} onClick={linkClick} />;
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p class="loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

/**
 * An error in plain words. `reveal`: the error answers something the person
 * just did (a form's button, often in a sticky bar at the bottom): it is
 * scrolled into the middle of the screen and focused, so it is seen and read
 * where they are looking rather than behind the bar.
 */
/**
 * `fields`: the fields of the form that show their own errors (fieldErrors);
 * an error naming one of them is left to that field, so it is said once.
 */
export function ErrorBox({
  error: raw,
  onRetry,
  testId,
  reveal,
  fields,
}: {
  error: unknown;
  onRetry?: () => void;
  testId?: string;
  reveal?: boolean;
  fields?: readonly string[];
}) {
  const error = fields ? boxError(raw, fields) : raw;
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!reveal || !error || !ref.current) return;
    const reduce = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
    ref.current.scrollIntoView({ block: 'center', behavior: reduce ? 'auto' : 'smooth' });
    ref.current.focus({ preventScroll: true });
  }, [error, reveal]);
  if (!error) return null;
  return (
    <div class="error-box" role="alert" data-testid={testId ?? 'error'} ref={ref} tabIndex={reveal ? -1 : undefined}>
      <p>{errorMessage(error)}</p>
      {onRetry && (
        <button type="button" class="btn secondary small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  setData: (d: T) => void;
}

/** Runs a loader when its dependencies change; keeps the last data while reloading. */
/**
 * An action a form or button starts: `busy` while it runs, and the error it
 * ended with (cleared when it starts again), for <ErrorBox> and field errors.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}

export function useAsync<T>(loader: () => Promise<T>, deps: unknown[]): AsyncState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [n, setN] = useState(0);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);
  useEffect(() => {
    let current = true;
    setLoading(true);
    setError(null);
    loader().then(
      (d) => {
        if (current && alive.current) {
          setData(d);
          setLoading(false);
        }
      },
      (e) => {
        if (current && alive.current) {
          setError(e);
          setLoading(false);
        }
      },
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `deps` stand for what `loader` reads; each call site's list is checked (additionalHooks in eslint.config.js)
  }, [...deps, n]);
  const reload = useCallback(() => setN((x) => x + 1), []);
  return { data, error, loading, reload, setData };
}

export function FieldError({ id, messages }: { id: string; messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <p class="field-error" id={id} role="alert">
      {messages.join('; ')}
    </p>
  );
}

let uid = 0;
export function useId(prefix = 'f'): string {
  const ref = useRef('');
  if (!ref.current) ref.current = `${prefix}${++uid}`;
  return ref.current;
}

export function TextField(props: {
  label: string;
  value: string;
  onInput: (v: string) => void;
  type?: string;
  errors?: string[];
  hint?: ComponentChildren;
  required?: boolean;
  autoComplete?: string;
  inputMode?: 'numeric' | 'decimal' | 'text' | 'email';
  testId?: string;
  name?: string;
  min?: number;
  max?: number;
  step?: number | string;
  class?: string;
  placeholder?: string;
}) {
  const id = useId();
  const errors = props.errors ?? [];
  const describedBy = [errors.length ? `${id}-err` : '', props.hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field ${props.class ?? ''} ${errors.length ? 'has-error' : ''}`}>
      <label for={id}>
        {props.label}
        {props.required && <span class="req" aria-hidden="true"> *</span>}
      </label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        required={props.required}
        autoComplete={props.autoComplete}
        inputMode={props.inputMode}
        placeholder={props.placeholder}
        min={props.min}
        max={props.max}
        step={props.step}
        aria-invalid={errors.length ? true : undefined}
        aria-describedby={describedBy}
        data-testid={props.testId}
        onInput={(e) => props.onInput((e.currentTarget as HTMLInputElement).value)}
      />
      {props.hint && (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      <FieldError id={`${id}-err`} messages={errors} />
    </div>
  );
}

export function SelectField(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: { value: string; label: string }[];
  errors?: string[];
  testId?: string;
  class?: string;
}) {
  const id = useId();
  const errors = props.errors ?? [];
  return (
    <div class={`field ${props.class ?? ''} ${errors.length ? 'has-error' : ''}`}>
      <label for={id}>{props.label}</label>
      <select
        id={id}
        value={props.value}
        data-testid={props.testId}
        aria-invalid={errors.length ? true : undefined}
        aria-describedby={errors.length ? `${id}-err` : undefined}
        onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value)}
      >
        {props.options.map((o) => (
          <option value={o.value} key={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldError id={`${id}-err`} messages={errors} />
    </div>
  );
}

export function Checkbox(props: { label: ComponentChildren; checked: boolean; onChange: (v: boolean) => void; testId?: string; name?: string }) {
  const id = useId('c');
  return (
    <div class="check">
      <input
        id={id}
        type="checkbox"
        name={props.name}
        checked={props.checked}
        data-testid={props.testId}
        onChange={(e) => props.onChange((e.currentTarget as HTMLInputElement).checked)}
      />
      <label for={id}>{props.label}</label>
    </div>
  );
}

/** A percentage bar with an accessible text equivalent. */
export function Meter(props: { value: number; max: number; label: string; tone?: 'ok' | 'warn' | 'bad'; marker?: number }) {
  const pct = props.max > 0 ? Math.max(0, Math.min(100, (props.value / props.max) * 100)) : 0;
  return (
    <span class={`meter ${props.tone ?? 'ok'}`} role="img" aria-label={props.label}>
      <span class="meter-fill" style={{ width: `${pct}%` }} />
      {props.marker !== undefined && <span class="meter-marker" style={{ left: `${Math.min(100, (props.marker / props.max) * 100)}%` }} />}
    </span>
  );
}

export function humanize(id: string): string {
  const s = id.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function formatDate(iso: string, opts: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short' }): string {
  const [y, m, d] = iso.split('-').map(Number);
  if (!y || !m || !d) return iso;
  return new Date(y, m - 1, d).toLocaleDateString(undefined, opts);
}

/** created_at from the API: seconds or milliseconds since the epoch. */
export function formatTimestamp(t: number): string {
  const ms = t < 1e12 ? t * 1000 : t;
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function CopyButton({ text, label = 'Copy', testId }: { text: string; label?: string; testId?: string }) {
  const [state, setState] = useState<'idle' | 'done' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('done');
    } catch {
      setState('failed');
    }
    setTimeout(() => setState('idle'), 2500);
  };
  return (
    <>
      <button type="button" class="btn secondary small" onClick={copy} data-testid={testId}>
        {state === 'done' ? 'Copied' : label}
      </button>
      <span class="visually-hidden" aria-live="polite">
        {state === 'done' ? 'Copied to the clipboard' : state === 'failed' ? 'Copying failed: select the link and copy it' : ''}
      </span>
    </>
  );
}

export function Redirect({ to }: { to: string }) {
  useEffect(() => navigateTo(to), [to]);
  return null;
}

/**
 * The horizontal scroller around a wide table. While the table is wider than
 * its box (on a phone), the box is a named region in the tab order, so that a
 * keyboard can scroll it with the arrow keys (WCAG 2.1.1; axe's
 * scrollable-region-focusable); while it fits, it is a plain box and no extra
 * tab stop.
 */
export function TableScroll(props: { label: string; children: ComponentChildren }) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const check = () => setScrolls(el.scrollWidth > el.clientWidth + 1);
    check();
    if (typeof ResizeObserver === 'undefined') return;
    const watch = new ResizeObserver(check);
    watch.observe(el);
    if (el.firstElementChild) watch.observe(el.firstElementChild);
    return () => watch.disconnect();
  }, []);
  return (
    <div ref={ref} class="table-wrap" tabIndex={scrolls ? 0 : undefined} role={scrolls ? 'region' : undefined} aria-label={scrolls ? props.label : undefined}>
      {props.children}
    </div>
  );
}

/**
 * A rule's source (guideline, paper) behind a small disclosure: the sentence
 * says what happened; the citation is there for whoever wants it.
 */
export function Source({ source }: { source?: string }) {
  if (!source) return null;
  return (
    <details class="source">
      <summary>Source</summary>
      <span>{source}</span>
    </details>
  );
}
