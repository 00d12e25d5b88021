import { describe, expect, it } from 'vitest';
import { triage } from '../index.ts';
import { handMade, res } from '../testHelpers.ts';

describe('triage: hand-built transport failures', () => {
  it('rate_limited: Retry-After header', () => {
    const d = triage(
      handMade(
        res(429, '{"type":"throttled","detail":"Request was throttled."}', [
          ['content-type', 'application/json'],
          ['Retry-After', '13'],
        ]),
      ),
    );
    expect(d?.rule).toBe('rate_limited');
    expect(d?.next).toMatch(/^Wait 13 s/);
    expect(d?.evidence).toContain('Retry-After: 13');
  });

  it('rate_limited: "Expected available in N seconds" without the header', () => {
    const d = triage(
      handMade(
        res(
          429,
          '{"type":"throttled","detail":"Request was throttled. Expected available in 42 seconds."}',
        ),
      ),
    );
    expect(d?.next).toMatch(/^Wait 42 s/);
  });

  it('rate_limited: Retry-After as an HTTP date', () => {
    const d = triage(
      handMade(res(429, '{}', [['Retry-After', new Date(1_030_000).toUTCString()]])),
    );
    expect(d?.next).toMatch(/^Wait 30 s/);
  });

  it('upstream_5xx', () => {
    const d = triage(
      handMade(
        res(503, '<html>Service Unavailable</html>', [['content-type', 'text/html']]),
        null,
        'refresh',
      ),
    );
    expect(d?.rule).toBe('upstream_5xx');
    expect(d?.evidence.join(' ')).toMatch(/HTML page/);
    expect(d?.next).toMatch(/invalid_grant/);
  });

  it('upstream_html on a 200', () => {
    const d = triage(
      handMade(res(200, '<!doctype html><title>Login</title>', [['content-type', 'text/html']])),
    );
    expect(d?.rule).toBe('upstream_html');
  });

  it('upstream_timeout and upstream_unreachable', () => {
    const t = triage(
      handMade(null, { kind: 'timeout', message: 'no complete answer within 15000 ms' }, 'refresh'),
    );
    expect(t?.rule).toBe('upstream_timeout');
    expect(t?.cause).toMatch(/rotated/);
    const u = triage(
      handMade(null, { kind: 'unreachable', message: 'the host name could not be resolved (DNS)' }),
    );
    expect(u?.rule).toBe('upstream_unreachable');
    expect(u?.cause).toContain('DNS');
    expect(u?.next).toMatch(/PandaDoc US, not PandaDoc EU/);
  });
});
