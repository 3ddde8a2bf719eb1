import { describe, expect, it } from 'vitest';
import { MESSAGE_MAX, messageProblem, unreadFrom } from './messages';
import type { Message } from '../types';

const m = (id: string, mine: boolean): Message => ({ id, mine, from: mine ? 'client' : 'care_team', author_name: 'x', body: 'b', created_at: 1 });

describe('messageProblem', () => {
  it('refuses an empty or blank message', () => {
    expect(messageProblem('')).toBe('Write something first.');
    expect(messageProblem('  \n\t ')).toBe('Write something first.');
  });
  it('counts characters as the server does (code points, after trimming)', () => {
    expect(messageProblem('  ' + 'x'.repeat(MESSAGE_MAX) + '  ')).toBeNull();
    expect(messageProblem('x'.repeat(MESSAGE_MAX + 1))).toContain(`${MESSAGE_MAX + 1} characters`);
    // 2000 emoji are 4000 UTF-16 units but 2000 characters.
    expect(messageProblem('💪'.repeat(MESSAGE_MAX))).toBeNull();
  });
  it('allows line breaks and tabs but no other control characters', () => {
    expect(messageProblem('line one\nline two\tend')).toBeNull();
    expect(messageProblem('bell \u0007')).toContain('control character');
  });
});

describe('unreadFrom', () => {
  it('is the earliest of the last unread messages by others, skipping the reader\'s own', () => {
    const thread = [m('a', false), m('b', false), m('c', true), m('d', false)];
    expect(unreadFrom(thread, 2)).toBe('b');
    expect(unreadFrom(thread, 1)).toBe('d');
  });
  it('is nothing when nothing is unread, and the first by others when more are unread than shown', () => {
    const thread = [m('a', true), m('b', false)];
    expect(unreadFrom(thread, 0)).toBeUndefined();
    expect(unreadFrom(thread, 5)).toBe('b');
  });
});
