// The server's errors ({status, code, message, path}; src/server/api.cpp)
// in plain words, in one place: setup, login, invitation, password reset and
// account creation, and the few generic ones any request can meet. A message
// not known here is shown as the server wrote it, as a sentence.

export interface ErrorLike {
  status: number;
  code: string;
  message: string;
  path?: string;
}

const PASSWORD_RULE = 'Choose a password of at least 10 characters (and at most 200).';

/** Exact server messages and what people read instead. */
const BY_MESSAGE: Record<string, string> = {
  'setup is closed or the token is wrong': 'This setup token is wrong, or setup was already done: log in instead.',
  'wrong email or password': 'The email or the password is wrong. Check both and try again.',
  'the invite is unknown, used or expired':
    'This invitation link no longer works: it was already used, has expired or is incomplete. Ask your practitioner for a new one.',
  'the reset link is unknown, used or expired':
    'This password link no longer works: it was already used, has expired or is incomplete. Ask for a new one.',
  'you already have an account: log in, or ask your practitioner for a new password link':
    'You already have an account: log in, or ask your practitioner for a new password link.',
  'an account with this email exists': 'There is already an account with this email. Use another email address.',
  'expected an email address': 'Enter an email address, like name@example.org.',
  'expected "practitioner" or "admin" (clients join by invite)':
    "Choose Practitioner or Administrator: clients join through their practitioner's invitation.",
  'only an admin can do this': 'Only an administrator can do this.',
  'only practitioners can do this': 'Only practitioners can do this.',
};

/** Codes whose message is the same whatever the server's words. */
const BY_CODE: Record<string, string> = {
  weak_password: PASSWORD_RULE,
  invalid_credentials: BY_MESSAGE['wrong email or password'],
  csrf: 'Your session is out of date on this page. Reload the page and try again.',
  unauthenticated: 'You are not logged in, or your session ended. Log in and try again.',
  storage_unavailable: 'The server could not reach its database just now. Try again in a moment.',
  internal: 'Something went wrong on the server. Try again; if it keeps happening, tell whoever runs Rebalance.',
};

/** What a missing or too long field (require_string's complaint) asks for, by field. */
const MISSING: Record<string, (max: string) => string> = {
  password: () => PASSWORD_RULE,
  email: (max) => `Enter an email address (at most ${max} characters).`,
  name: (max) => `Enter a name (at most ${max} characters).`,
  token: () => 'The one-time code is missing or too long: copy the whole setup token or link again.',
  role: () => 'Choose a role.',
};

/** "In 45 seconds", "in 2 minutes": a wait of `seconds`, rounded up to whole minutes from 90 s. */
export function waitWords(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}

/** The server's words as a sentence: a capital first letter and a full stop. */
export function sentence(message: string): string {
  const s = message.trim();
  if (!s) return 'Something went wrong.';
  const first = s.charAt(0).toUpperCase() + s.slice(1);
  return /[.!?:)]$/.test(first) ? first : first + '.';
}

/** A server error in plain words. */
export function plainMessage(e: ErrorLike): string {
  const exact = BY_MESSAGE[e.message];
  if (exact) return exact;
  if (e.code === 'too_many_attempts') {
    const s = /(\d+)\s*s\b/.exec(e.message);
    return s ? `Too many login attempts. Wait ${waitWords(Number(s[1]))}, then try again.` : 'Too many login attempts. Wait a while, then try again.';
  }
  const byCode = BY_CODE[e.code];
  if (byCode) return byCode;
  const missing = /^expected a non-empty string of at most (\d+) characters$/.exec(e.message);
  if (missing && e.path?.startsWith('$.')) {
    const field = e.path.slice(2);
    const words = MISSING[field];
    if (words) return words(missing[1]);
    return `Fill in ${field.replace(/[._]/g, ' ')} (at most ${missing[1]} characters).`;
  }
  return sentence(e.message);
}

/** True when the error names `$.field` of one of `fields` (so it is shown next to that field, not again in a box). */
export function isFieldError(e: ErrorLike, fields: readonly string[]): boolean {
  return !!e.path && fields.some((f) => e.path === `$.${f}`);
}
