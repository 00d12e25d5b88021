/** The report as Markdown for a support ticket: headings, a table of steps, fenced bodies. */
import type { Diagnosis } from '../triage/types.ts';
import { cell, code, fenced, ms, utc } from './md.ts';
import type { StepsDigest } from './steps.ts';
import { stepsCoverage, stepsSection } from './stepsMarkdown.ts';
import type { ReportCall, ReportHead, ReportSection } from './types.ts';

const TITLES: Record<ReportCall['name'], string> = {
  exchange: 'Last exchange (code → tokens)',
  refresh: 'Last refresh',
  verify: 'Last member call (GET /public/v1/members/current)',
};

function diagnosisSection(d: Diagnosis): string[] {
  const lines = [
    `### ${d.severity === 'error' ? 'Error' : 'Warning'}: ${d.title}`,
    '',
    `Rule ${code(d.rule)}. ${d.cause}`,
    '',
    `**Next step:** ${d.next}`,
  ];
  if (d.evidence.length)
    lines.push('', '**Evidence:**', '', ...d.evidence.map((e) => `- ${e.replace(/\n/g, ' ')}`));
  if (d.docs) lines.push('', `Docs: <${d.docs}>`);
  return [...lines, ''];
}

function callSection(c: ReportCall): string[] {
  const outcome = c.response
    ? `**${c.response.status} ${c.response.statusText}**`.replace(' **', '**')
    : `**no answer** (${c.failure?.kind ?? 'unknown'}: ${c.failure?.message ?? ''})`;
  const lines = [
    `### ${TITLES[c.name]}`,
    '',
    `${code(`${c.request.method} ${c.request.url}`)} → ${outcome} in ${ms(c.durationMs)}, sent ${utc(c.startedAt)}.`,
  ];
  if (c.secretSource) {
    const from = {
      browser: 'typed in the browser',
      server: 'held by the local server',
      none: 'none sent',
    }[c.secretSource];
    lines.push('', `client_secret: ${from} (never included here).`);
  }
  const head = c.request.headers.map(([k, v]) => `${k}: ${v}`);
  const form = c.request.form?.map(([k, v]) => `${k}=${v}`) ?? [];
  lines.push(
    '',
    'Request:',
    '',
    fenced(
      [
        ...head,
        ...(form.length || c.request.body ? [''] : []),
        ...form,
        ...(c.request.body ? [c.request.body] : []),
      ].join('\n'),
      'http',
    ),
  );
  if (c.response) {
    const type = c.response.headers.filter(([k]) =>
      /^(content-type|retry-after|www-authenticate)$/i.test(k),
    );
    lines.push(
      '',
      'Response:',
      '',
      fenced(
        [
          ...type.map(([k, v]) => `${k}: ${v}`),
          ...(type.length ? [''] : []),
          c.response.body || '(empty body)',
        ].join('\n'),
        'http',
      ),
    );
    if (c.response.truncated) lines.push('', "_The body was cut at the server's 1 MiB cap._");
  }
  return [...lines, ''];
}

export function renderMarkdown(
  r: ReportHead,
  digest: StepsDigest,
  extra: ReportSection[] = [],
): string {
  const offset = r.utcOffsetMinutes;
  const sign = offset < 0 ? '−' : '+';
  const localZone = `UTC${sign}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}:${String(Math.abs(offset) % 60).padStart(2, '0')}`;
  const out: string[] = [
    `# PandaDoc OAuth support report: ${r.profile.name}`,
    '',
    `Generated ${utc(r.generatedAt)} by PandaDoc OAuth Debugger ${r.appVersion}.`,
    '',
    'Client secrets, codes and tokens are never included. Each appears as a fingerprint `[3f9a1c2e…c36a]`: the first 8 hex characters of its SHA-256 and its last 4 characters, so it can be matched against your own logs.',
    '',
    stepsCoverage(r),
    '',
    '| | |',
    '|---|---|',
    `| Environment | ${cell(r.environment.label)} |`,
    `| Authorize | ${cell(r.environment.authorize)} |`,
    `| Token endpoint | ${cell(r.environment.token)} |`,
    `| API base | ${cell(r.environment.api)} |`,
    `| Profile | ${cell(r.profile.name)} |`,
    `| client_id | ${cell(r.profile.clientId)} |`,
    `| redirect_uri | ${cell(r.profile.redirectUri)} |`,
    `| scope | ${cell(r.profile.scope)} |`,
    '',
    '## Diagnosis',
    '',
  ];
  if (r.diagnoses.length === 0) out.push('Nothing went wrong in the last calls.', '');
  else for (const d of r.diagnoses) out.push(...diagnosisSection(d));
  if (r.diagnoses.some((d) => /\d\d:\d\d:\d\d/.test(d.cause + d.evidence.join(' ')))) {
    out.push(
      `_Times inside the diagnosis are the reporter's local time (${localZone}); all other times are UTC._`,
      '',
    );
  }

  out.push(...stepsSection(r, digest));

  out.push('## Calls', '');
  if (r.calls.length === 0) out.push('No calls recorded.', '');
  for (const c of r.calls) out.push(...callSection(c));

  for (const section of extra) out.push(`## ${section.title}`, '', ...section.markdown, '');

  out.push('## Tokens', '');
  if (!r.tokens) out.push('No tokens held.', '');
  else {
    const t = r.tokens;
    out.push(
      '| | |',
      '|---|---|',
      `| token_type | ${cell(t.tokenType)} |`,
      `| scope | ${cell(t.scope)} |`,
      `| received | ${utc(t.receivedAt)} |`,
      `| expires | ${t.expiresAt ? `${utc(t.expiresAt)} (expires_in ${t.expiresIn})` : 'unknown'} |`,
      `| access_token | ${cell(t.accessToken)} |`,
      `| refresh_token | ${cell(t.refreshToken ?? 'none')} |`,
      '',
    );
  }
  return out.join('\n');
}
