import { describe, expect, it } from 'vitest';
import {
  base64UrlEncode,
  codeChallengeS256,
  createCodeVerifier,
  createState,
  isValidCodeVerifier,
  randomUrlSafe,
} from './pkce.ts';

describe('randomUrlSafe', () => {
  it('encodes 32 bytes as 43 URL-safe characters without padding', () => {
    const v = randomUrlSafe();
    expect(v).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('honours the byte length', () => {
    expect(randomUrlSafe(3)).toHaveLength(4);
    expect(randomUrlSafe(16)).toHaveLength(22);
    expect(randomUrlSafe(96)).toHaveLength(128);
  });

  it('does not repeat itself', () => {
    const seen = new Set(Array.from({ length: 50 }, () => randomUrlSafe()));
    expect(seen.size).toBe(50);
  });

  it('rejects nonsense lengths', () => {
    expect(() => randomUrlSafe(0)).toThrow(RangeError);
    expect(() => randomUrlSafe(1.5)).toThrow(RangeError);
  });
});

describe('base64UrlEncode', () => {
  it('uses - and _ instead of + and /', () => {
    expect(base64UrlEncode(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe('-_-_');
    expect(base64UrlEncode(new Uint8Array([0xff]))).toBe('_w');
  });
});

describe('state and code verifier', () => {
  it('creates 43-character values', () => {
    expect(createState()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const verifier = createCodeVerifier();
    expect(verifier).toHaveLength(43);
    expect(isValidCodeVerifier(verifier)).toBe(true);
  });
});

describe('isValidCodeVerifier', () => {
  it('enforces 43..128 unreserved characters', () => {
    expect(isValidCodeVerifier('a'.repeat(42))).toBe(false);
    expect(isValidCodeVerifier('a'.repeat(43))).toBe(true);
    expect(isValidCodeVerifier('a'.repeat(128))).toBe(true);
    expect(isValidCodeVerifier('a'.repeat(129))).toBe(false);
    expect(isValidCodeVerifier('-._~' + 'Z9'.repeat(20))).toBe(true);
    expect(isValidCodeVerifier('a'.repeat(42) + '+')).toBe(false);
    expect(isValidCodeVerifier('a'.repeat(42) + ' ')).toBe(false);
    expect(isValidCodeVerifier('')).toBe(false);
  });
});

describe('codeChallengeS256', () => {
  it('matches the RFC 7636 Appendix B example', async () => {
    expect(await codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('gives a 43-character challenge for any verifier', async () => {
    expect(await codeChallengeS256(createCodeVerifier())).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('pkce: exact edges', () => {
  it('strips only trailing padding', () => {
    expect(base64UrlEncode(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
    expect(base64UrlEncode(new Uint8Array([1]))).toBe('AQ');
  });

  it('takes 1 to 65536 bytes and names the bad value', () => {
    expect(randomUrlSafe(1)).toMatch(/^[A-Za-z0-9_-]{2}$/);
    expect(randomUrlSafe(65536)).toHaveLength(87382);
    expect(() => randomUrlSafe(0)).toThrow('byteLength must be an integer from 1 to 65536, got 0');
    expect(() => randomUrlSafe(65537)).toThrow(/got 65537/);
    expect(() => randomUrlSafe(1.5)).toThrow(RangeError);
  });
});
