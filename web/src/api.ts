// Fetch wrapper for the Rebalance API: JSON in and out, the session cookie,
// the CSRF header on every non-GET request, and one error type carrying the
// server's {"error": {code, message, path, problems}}.
import { isFieldError, plainMessage } from './lib/errors';
import type { Problem } from './lib/validate';
import type { paths } from './api/schema';
import type { Schemas } from './types';

/** The body of every error answer: the OpenAPI document's `Error`. */
type ErrorBody = Schemas['Error'];

type Method = 'get' | 'post' | 'patch' | 'delete';
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
type Success<O> = O extends { responses: infer R } ? (R extends { 200: infer S } ? S : R extends { 201: infer S } ? S : never) : never;
type JsonContent<B> = B extends { content: { 'application/json': infer T } } ? T : never;

/**
 * What a route answers on success, from the server's OpenAPI document
 * (src/api/schema.d.ts): `api.get<Answer<'/api/v1/clients'>>('/api/v1/clients')`.
 */
export type Answer<P extends keyof paths, M extends Method = 'get'> = JsonContent<Success<Operation<P, M>>>;

/** What a route takes as its JSON body, from the OpenAPI document. */
export type Body<P extends keyof paths, M extends Method> = JsonContent<NonNullable<Operation<P, M>['requestBody']>>;

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly path?: string;
  readonly problems: Problem[];

  constructor(status: number, code: string, message: string, path?: string, problems: Problem[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.path = path;
    this.problems = problems;
  }
}

let csrfToken = '';
let onUnauthenticated: (() => void) | null = null;

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Called when a request answers 401 while logged in (an expired session). */
export function setUnauthenticatedHandler(fn: (() => void) | null): void {
  onUnauthenticated = fn;
}

export interface RequestOptions {
  /** Do not treat a 401 as a lost session (login, /auth/me). */
  quiet401?: boolean;
  signal?: AbortSignal;
}

async function errorOf(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    /* not JSON */
  }
  // Read defensively: a proxy in front of the server may answer otherwise.
  const err = (body as { error?: Partial<ErrorBody['error']> } | null)?.error;
  if (err && typeof err.message === 'string')
    return new ApiError(res.status, err.code ?? 'error', err.message, err.path, Array.isArray(err.problems) ? err.problems : []);
  const text =
    res.status === 502 || res.status === 503 || res.status === 504
      ? 'The Rebalance server is not reachable right now; try again in a moment.'
      : `The server answered ${res.status} ${res.statusText}`.trim();
  return new ApiError(res.status, 'http_' + res.status, text);
}

export async function request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'Cannot reach the Rebalance server. Check your connection and try again.');
  }
  if (!res.ok) {
    const err = await errorOf(res);
    if (res.status === 401 && !opts.quiet401 && onUnauthenticated) onUnauthenticated();
    throw err;
  }
  if (res.status === 204) {
    // Read the (empty) body so the request completes in the browser's log.
    await res.text().catch(() => '');
    return undefined as T;
  }
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('json')) return (await res.text()) as unknown as T;
  return (await res.json()) as T;
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, undefined, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, body ?? {}, opts),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  del: <T>(path: string) => request<T>('DELETE', path),
};

/** An error in plain words (lib/errors.ts maps the server's codes and messages). */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return plainMessage(e);
  if (e instanceof Error) return e.message;
  return 'Something went wrong.';
}

/** The message of an API error that names `$.field`, in plain words, for showing next to that field. */
export function fieldErrors(error: unknown, field: string): string[] {
  return error instanceof ApiError && error.path === `$.${field}` ? [plainMessage(error)] : [];
}

/**
 * The error for the box under a form that shows `fields` errors next to the
 * fields (fieldErrors): null when the error is one of those, so it is said once.
 */
export function boxError(error: unknown, fields: readonly string[]): unknown {
  return error instanceof ApiError && isFieldError(error, fields) ? null : error;
}
