import { describe, expect, it } from 'vitest';
import { unsubscribeHeaders } from './unsubscribe-headers.ts';

describe('unsubscribeHeaders', () => {
  it('gives both RFC 8058 headers for an https url, with the mailto second', () => {
    expect(
      unsubscribeHeaders(
        'https://reminders.example.test/u/7c1e9a52f0b34d6e',
        'unsubscribe@reminders.example.test?subject=unsub-7c1e9a52f0b34d6e',
      ),
    ).toEqual({
      'List-Unsubscribe':
        '<https://reminders.example.test/u/7c1e9a52f0b34d6e>, <mailto:unsubscribe@reminders.example.test?subject=unsub-7c1e9a52f0b34d6e>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  it('leaves out the one-click Post header when the url is not https', () => {
    const headers = unsubscribeHeaders('http://localhost:8080/u/abc');
    expect(headers).toEqual({ 'List-Unsubscribe': '<http://localhost:8080/u/abc>' });
  });

  it('refuses values that would break the header', () => {
    expect(() => unsubscribeHeaders('javascript:alert(1)')).toThrow();
    expect(() => unsubscribeHeaders('https://x.test/u/a', 'a@b.test>\r\nBcc: x@y')).toThrow();
  });
});
