// Rules of the message thread the app checks before sending, as the server
// does (api.cpp message_text): 1 to 2000 characters once trimmed, no control
// characters besides line breaks and tabs.
import type { Message } from '../types';

export const MESSAGE_MAX = 2000;

/** C0 controls and DEL, except tab, line feed and carriage return. */
function isControl(c: string): boolean {
  const n = c.codePointAt(0) ?? 0;
  return (n < 0x20 && n !== 0x09 && n !== 0x0a && n !== 0x0d) || n === 0x7f;
}

/** What is wrong with a message about to be sent, in words; null when it can go. */
export function messageProblem(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed.length === 0) return 'Write something first.';
  // Characters as the server counts them: code points, not UTF-16 units.
  const count = [...trimmed].length;
  if (count > MESSAGE_MAX) return `${count} characters: a message holds at most ${MESSAGE_MAX}.`;
  if ([...trimmed].some(isControl)) return 'The message holds a control character; type it again.';
  return null;
}

/**
 * The first unread message, given the thread (oldest first) and the number the
 * server counts unread for this reader (messages by others after the reader's
 * mark): the earliest of the last `unread` messages by others. Undefined when
 * none is unread.
 */
export function unreadFrom(messages: Message[], unread: number): string | undefined {
  if (unread <= 0) return undefined;
  let left = unread;
  for (let i = messages.length - 1; i >= 0; --i) {
    if (messages[i].mine) continue;
    if (--left === 0) return messages[i].id;
  }
  // More unread than shown (older ones beyond the thread's window): the first by others.
  return messages.find((m) => !m.mine)?.id;
}
