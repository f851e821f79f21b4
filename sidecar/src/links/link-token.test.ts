import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { newLinkRef, signLinkToken, verifyLinkToken, type LinkClaims, type VerifyResult } from './link-token.ts';

type Vectors = {
  secret: string;
  sign: Array<{ claims: LinkClaims; token: string }>;
  verify: Array<{ name: string; token: string; now: number; expect: VerifyResult }>;
};
const vectors = JSON.parse(readFileSync(new URL('../../../shortcodes/vectors/tokens.json', import.meta.url), 'utf8')) as Vectors;

describe('link tokens: shared vectors (the PHP plugin runs the same file)', () => {
  it.each(vectors.sign)('signs $claims.kind byte for byte', ({ claims, token }) => {
    expect(signLinkToken(claims, vectors.secret)).toBe(token);
  });
  it.each(vectors.verify)('verify: $name', ({ token, now, expect: expected }) => {
    expect(verifyLinkToken(token, vectors.secret, now)).toEqual(expected);
  });
});

describe('link tokens', () => {
  it('follow the documented format (computed here without the implementation)', () => {
    const claims: LinkClaims = { kind: 'pay', ref: 'AAAAAAAAAAAAAAAAAAAAAA', expiresAt: 1796004800 };
    const payload = Buffer.from('v1:pay:AAAAAAAAAAAAAAAAAAAAAA:1796004800').toString('base64url');
    const signature = createHmac('sha256', Buffer.from(vectors.secret, 'utf8')).update(`comeback-link.${payload}`).digest('base64url');
    expect(signLinkToken(claims, vectors.secret)).toBe(`${payload}.${signature}`);
  });

  it('carry no order data: only the kind, a random reference and the expiry', () => {
    const ref = newLinkRef();
    const token = signLinkToken({ kind: 'pay', ref, expiresAt: 2_000_000_000 }, 's');
    expect(Buffer.from(token.split('.')[0]!, 'base64url').toString()).toBe(`v1:pay:${ref}:2000000000`);
    expect(newLinkRef()).not.toBe(ref);
    expect(ref).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('refuse to sign what they could not verify', () => {
    expect(() => signLinkToken({ kind: 'pay', ref: 'short', expiresAt: 1 }, 's')).toThrow(/ref/);
    expect(() => signLinkToken({ kind: 'order' as never, ref: newLinkRef(), expiresAt: 1 }, 's')).toThrow(/kind/);
    expect(() => signLinkToken({ kind: 'pay', ref: newLinkRef(), expiresAt: 1.5 }, 's')).toThrow(/unix seconds/);
  });
});
