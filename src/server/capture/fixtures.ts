/** Captured calls for the capture's tests and benchmark. Test code only. */
import type { CapturedCall } from '../../lib/api/traffic.ts';

/** A captured token call with a body of `bodyBytes` characters. */
export function capturedCall(i: number, bodyBytes = 200): Omit<CapturedCall, 'seq'> {
  return {
    startedAt: 1_700_000_000_000 + i,
    durationMs: 3,
    upstream: 'simulator',
    localPath: '/oauth2/access_token',
    userAgent: 'curl/8.5.0',
    requestBodyTruncated: false,
    request: {
      method: 'POST',
      url: 'http://127.0.0.1:5173/sim/oauth2/access_token',
      headers: [['Content-Type', 'application/x-www-form-urlencoded']],
      body: `grant_type=authorization_code&code=${String(i).padStart(40, '0')}&pad=${'x'.repeat(bodyBytes)}`,
    },
    response: {
      status: 400,
      statusText: 'Bad Request',
      headers: [['content-type', 'application/json']],
      body: '{"error":"invalid_grant"}',
      truncated: false,
    },
    failure: null,
  };
}

/** from, from + 1, … to. */
export const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);
