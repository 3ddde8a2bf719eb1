import { describe, expect, it } from 'vitest';
import { isFieldError, plainMessage, sentence, waitWords } from './errors';

// The errors as src/server/api.cpp sends them.
const e = (status: number, code: string, message: string, path?: string) => ({ status, code, message, path });

describe('plainMessage', () => {
  it('says what to do about setup, login, invitation and reset refusals', () => {
    expect(plainMessage(e(403, 'forbidden', 'setup is closed or the token is wrong'))).toBe(
      'This setup token is wrong, or setup was already done: log in instead.',
    );
    expect(plainMessage(e(401, 'invalid_credentials', 'wrong email or password'))).toMatch(/^The email or the password is wrong/);
    expect(plainMessage(e(403, 'forbidden', 'the invite is unknown, used or expired'))).toMatch(/Ask your practitioner for a new one\.$/);
    expect(plainMessage(e(403, 'forbidden', 'the reset link is unknown, used or expired'))).toMatch(/^This password link no longer works/);
    expect(plainMessage(e(409, 'conflict', 'you already have an account: log in, or ask your practitioner for a new password link'))).toBe(
      'You already have an account: log in, or ask your practitioner for a new password link.',
    );
  });

  it('puts field complaints in words for that field', () => {
    expect(plainMessage(e(400, 'weak_password', 'expected a password of 10 to 200 characters', '$.password'))).toBe(
      'Choose a password of at least 10 characters (and at most 200).',
    );
    expect(plainMessage(e(400, 'invalid_body', 'expected a non-empty string of at most 200 characters', '$.password'))).toMatch(
      /^Choose a password of at least 10/,
    );
    expect(plainMessage(e(400, 'invalid_body', 'expected an email address', '$.email'))).toBe('Enter an email address, like name@example.org.');
    expect(plainMessage(e(409, 'conflict', 'an account with this email exists', '$.email'))).toMatch(/already an account with this email/);
    expect(plainMessage(e(400, 'invalid_body', 'expected a non-empty string of at most 200 characters', '$.name'))).toBe(
      'Enter a name (at most 200 characters).',
    );
    expect(plainMessage(e(400, 'invalid_body', 'expected a non-empty string of at most 200 characters', '$.token'))).toMatch(/setup token/);
    expect(plainMessage(e(400, 'invalid_body', 'expected a non-empty string of at most 50 characters', '$.display_name'))).toBe(
      'Fill in display name (at most 50 characters).',
    );
    expect(plainMessage(e(400, 'invalid_body', 'expected "practitioner" or "admin" (clients join by invite)', '$.role'))).toMatch(
      /^Choose Practitioner or Administrator/,
    );
  });

  it('gives the wait after too many logins in seconds or minutes', () => {
    expect(plainMessage(e(429, 'too_many_attempts', 'too many login attempts; try again in 30 s'))).toBe(
      'Too many login attempts. Wait 30 seconds, then try again.',
    );
    expect(plainMessage(e(429, 'too_many_attempts', 'too many login attempts; try again in 600 s'))).toBe(
      'Too many login attempts. Wait 10 minutes, then try again.',
    );
    expect(plainMessage(e(429, 'too_many_attempts', 'slow down'))).toMatch(/Wait a while/);
  });

  it('words the generic failures, and leaves unknown messages as a sentence', () => {
    expect(plainMessage(e(403, 'csrf', 'missing or wrong X-CSRF-Token header for a cookie session'))).toMatch(/Reload the page/);
    expect(plainMessage(e(503, 'storage_unavailable', 'the database could not complete the request; try again'))).toMatch(/Try again in a moment/);
    expect(plainMessage(e(400, 'invalid_body', 'expected a whole number 1-7', '$.days_per_week'))).toBe('Expected a whole number 1-7.');
    expect(plainMessage(e(0, 'network', 'Cannot reach the Rebalance server. Check your connection and try again.'))).toBe(
      'Cannot reach the Rebalance server. Check your connection and try again.',
    );
  });
});

describe('helpers', () => {
  it('sentence', () => {
    expect(sentence('the message is empty')).toBe('The message is empty.');
    expect(sentence('Done!')).toBe('Done!');
    expect(sentence('  ')).toBe('Something went wrong.');
  });
  it('waitWords', () => {
    expect(waitWords(1)).toBe('1 second');
    expect(waitWords(89)).toBe('89 seconds');
    expect(waitWords(91)).toBe('2 minutes');
  });
  it('isFieldError: only the named fields of the form', () => {
    const err = e(400, 'weak_password', 'x', '$.password');
    expect(isFieldError(err, ['email', 'password'])).toBe(true);
    expect(isFieldError(err, ['email'])).toBe(false);
    expect(isFieldError(e(403, 'forbidden', 'x'), ['password'])).toBe(false);
  });
});
