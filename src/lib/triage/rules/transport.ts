/** The answer never came, came late, or was not PandaDoc's: network, proxies, outages, throttling. */
import { environmentInfo } from '../../oauth/environments.ts';
import { preview } from '../../oauth/guards.ts';
import { asReceived, type Rule } from '../facts.ts';
import { DOCS, type TriageInput } from '../types.ts';

function upstreamHost(input: TriageInput): string {
  try {
    return new URL(input.call.request.url).host;
  } catch {
    return preview(input.call.request.url);
  }
}

function regionHint(input: TriageInput): string {
  const env = input.context.profile.environment;
  if (env === 'simulator')
    return 'The simulator runs inside the local server, so check that it is running.';
  const other = env === 'us' ? 'eu' : 'us';
  return `Check the network, any proxy or VPN, and that the profile's environment is right (${environmentInfo(env, '').label}, not ${environmentInfo(other, '').label}).`;
}

export const upstreamTimeout: Rule = (input) => {
  const { failure, durationMs } = input.call;
  if (failure?.kind !== 'timeout') return null;
  return {
    rule: 'upstream_timeout',
    severity: 'error',
    title: `${upstreamHost(input)} did not answer in time`,
    cause:
      `The local server gave up after ${Math.round(durationMs)} ms without a complete answer. ` +
      (input.kind === 'verify'
        ? 'Nothing changed on PandaDoc because of it.'
        : 'PandaDoc may still have processed the request: a code may now be used, or a refresh token rotated, even though no answer arrived.'),
    next:
      input.kind === 'verify'
        ? 'Try again in a moment. ' + regionHint(input)
        : 'Try again. If the retry says invalid_grant, the first attempt went through: authorize again for a fresh code (or use the newest refresh token you hold).',
    evidence: [
      `Upstream: ${input.call.request.method} ${input.call.request.url}`,
      `Failure: ${failure.message}`,
    ],
  };
};

export const upstreamUnreachable: Rule = (input) => {
  const { failure } = input.call;
  if (failure?.kind !== 'unreachable' && !(failure === null && input.call.response === null)) {
    return null;
  }
  return {
    rule: 'upstream_unreachable',
    severity: 'error',
    title: `${upstreamHost(input)} could not be reached`,
    cause: `The request never got an HTTP answer: ${failure?.message ?? 'no response was recorded'}. PandaDoc did not see it, so nothing was used up.`,
    next: regionHint(input),
    evidence: [`Upstream: ${input.call.request.method} ${input.call.request.url}`],
  };
};

/** `Retry-After` in seconds (delta or HTTP date), or the "Expected available in N seconds" detail. */
export function retryAfterSeconds(
  retryAfter: string | null,
  detail: string | null,
  now: number,
): number | null {
  if (retryAfter !== null) {
    const trimmed = retryAfter.trim();
    if (/^\d+$/.test(trimmed)) return Number(trimmed);
    const date = Date.parse(trimmed);
    if (!Number.isNaN(date)) return Math.max(0, Math.ceil((date - now) / 1000));
  }
  const match = /available in (\d+) seconds?/i.exec(detail ?? '');
  return match ? Number(match[1]) : null;
}

export const rateLimited: Rule = (input, facts) => {
  if (facts.status !== 429) return null;
  const retryAfter = facts.header('retry-after');
  const seconds = retryAfterSeconds(retryAfter, facts.detail, input.now);
  const evidence = [`HTTP 429${facts.type ? ` ${facts.type}` : ''}`];
  if (retryAfter !== null) evidence.push(`Retry-After: ${preview(retryAfter)}`);
  if (facts.detail) evidence.push(`detail: "${preview(facts.detail, 120)}"`);
  return {
    rule: 'rate_limited',
    severity: 'error',
    title: 'PandaDoc is throttling requests (429)',
    cause:
      'Too many requests for this user in the last 60 seconds (PandaDoc counts per user over a sliding window; sandbox API keys get 10 requests a minute per endpoint). The token itself is fine.',
    next:
      seconds !== null
        ? `Wait ${seconds} s, then try again once; retrying sooner keeps the limit hit.`
        : 'Wait a minute, then try again once; retrying sooner keeps the limit hit.',
    evidence,
    docs: DOCS.rateLimits,
  };
};

export const upstream5xx: Rule = (input, facts) => {
  if (facts.status === null || facts.status < 500) return null;
  const evidence = [`HTTP ${facts.status} ${input.call.response?.statusText ?? ''}`.trim()];
  if (facts.isHtml)
    evidence.push(
      'The body is an HTML page, so it may come from a proxy or load balancer in front of PandaDoc.',
    );
  evidence.push(`Body as received: ${asReceived(facts)}`);
  return {
    rule: 'upstream_5xx',
    severity: 'error',
    title: facts.isHtml
      ? `${upstreamHost(input)} had a server error (${facts.status}), answered with an HTML error page`
      : `${upstreamHost(input)} had a server error (${facts.status})`,
    cause:
      input.kind === 'verify'
        ? 'The problem is on the server side, not in this request.'
        : 'The problem is on the server side, not in this request. It may or may not have processed the request before failing.',
    next:
      input.kind === 'verify'
        ? 'Try again in a minute.'
        : 'Try again in a minute; if the retry says invalid_grant, the first attempt went through, so authorize again (or use the newest refresh token).',
    evidence,
  };
};

export const upstreamHtml: Rule = (input, facts) => {
  if (!facts.isHtml) return null;
  return {
    rule: 'upstream_html',
    severity: 'error',
    title: `HTTP ${facts.status}: an HTML page came back instead of JSON`,
    cause: `PandaDoc's ${input.kind === 'verify' ? 'API' : 'token endpoint'} always answers JSON. An HTML page means something else answered: a proxy, a captive portal or firewall login page, or a wrong URL (for instance the app.pandadoc.com web host instead of api.pandadoc.com).`,
    next: `Open ${preview(input.call.request.url, 80)} from this machine and see who answers; check proxy settings.`,
    evidence: [
      `Content-Type: ${facts.header('content-type') ?? '(none)'}`,
      `Body as received: ${asReceived(facts)}`,
    ],
  };
};
