/**
 * An evidence diagnosis as Markdown: what `npm run diagnose` prints and what the support report
 * carries. Fingerprints only, like everything the report holds.
 */
import { formatBytes } from './size.ts';
import {
  SOURCE_LABEL,
  type EvidenceDiagnosis,
  type EvidenceReport,
  type EvidenceStep,
} from './types.ts';

/** A table cell: no pipes or line breaks to break the row. */
const cell = (v: string | number | null | undefined) =>
  v === null || v === undefined || v === ''
    ? '—'
    : String(v)
        .replace(/\\/g, '\\\\')
        .replace(/\|/g, '\\|')
        .replace(/\s*\n\s*/g, ' ');

export const STEP_LABEL: Readonly<Record<EvidenceStep['kind'], string>> = Object.freeze({
  authorize: 'Authorize',
  consent: 'Consent',
  callback: 'Redirect back',
  exchange: 'Exchange',
  refresh: 'Refresh',
  token: 'Token call',
  verify: 'Use (members/current)',
  api: 'API call',
});

const SEVERITY = { error: 'Error', warning: 'Warning', info: 'Note' } as const;

export function printsOf(step: EvidenceStep): string {
  const f = step.fingerprints;
  return [
    f.code && `code ${f.code}`,
    f.accessToken && `access ${f.accessToken}`,
    f.refreshToken && `refresh ${f.refreshToken}`,
    f.newAccessToken && `→ access ${f.newAccessToken}`,
    f.newRefreshToken && `→ refresh ${f.newRefreshToken}`,
  ]
    .filter(Boolean)
    .join(' · ');
}

export function tookOf(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** One line saying what was read: "a HAR file (HAR 1.2 from …, 312 entries): 9 in the story, 303 set aside." */
export function readSummary(r: EvidenceReport, bytes?: number): string {
  const size = bytes === undefined ? '' : `, ${formatBytes(bytes)}`;
  if (r.source !== 'har') return `Read ${SOURCE_LABEL[r.source]} (${r.detail}${size}).`;
  const inStory = r.total - r.setAside;
  return `Read ${SOURCE_LABEL[r.source]} (${r.detail}${size}): ${r.timeline.length} step${r.timeline.length === 1 ? '' : 's'} of PandaDoc's OAuth story from ${inStory} entr${inStory === 1 ? 'y' : 'ies'}; ${r.setAside} unrelated entr${r.setAside === 1 ? 'y' : 'ies'} set aside.`;
}

function diagnosisLines(d: EvidenceDiagnosis, h: string): string[] {
  const lines = [
    `${h} ${SEVERITY[d.severity]}: ${d.title}`,
    '',
    d.cause,
    '',
    `**Next step:** ${d.next}`,
    '',
    `**Entries:** ${d.entries.slice(0, 30).join(', ')}${d.entries.length > 30 ? ` … (${d.entries.length} in all)` : ''}`,
  ];
  if (d.evidence.length)
    lines.push('', '**Based on:**', '', ...d.evidence.map((e) => `- ${e.replace(/\n/g, ' ')}`));
  if (d.docs) lines.push('', `Docs: <${d.docs}>`);
  return [...lines, ''];
}

export function timelineTable(steps: readonly EvidenceStep[]): string[] {
  if (!steps.length) return ['No PandaDoc OAuth traffic.', ''];
  return [
    '| Entry | Time (UTC) | Step | Request | Status | Outcome | Took | Fingerprints |',
    '|---|---|---|---|---|---|---|---|',
    ...steps.map(
      (s) =>
        `| ${s.entry} | ${s.at === null ? '—' : new Date(s.at).toISOString().slice(11, 23)} | ${STEP_LABEL[s.kind]} | ${cell(`${s.method} ${s.where}`)} | ${cell(s.status)} | ${cell(s.summary)} | ${tookOf(s.durationMs)} | ${cell(printsOf(s))} |`,
    ),
    '',
  ];
}

/** The whole diagnosis. `level` is the heading level of its title (1 alone, 2 inside the report). */
export function renderEvidenceMarkdown(
  r: EvidenceReport,
  opts: { level?: number; bytes?: number } = {},
): string {
  const level = opts.level ?? 1;
  const h = (n: number) => '#'.repeat(level + n);
  const out = [`${h(0)} Evidence diagnosis`, '', readSummary(r, opts.bytes), ''];
  for (const note of r.notes) out.push(`> ${note}`, '');
  out.push(`${h(1)} Diagnosis`, '');
  if (!r.timeline.length)
    out.push(
      'No PandaDoc OAuth traffic was found: no authorize request, redirect back, token call or PandaDoc API call. Was the recording started before signing in (and "Preserve log" on)?',
      '',
    );
  else if (!r.diagnoses.length) out.push('No problem found in this evidence.', '');
  for (const d of r.diagnoses) out.push(...diagnosisLines(d, h(2)));
  if (r.diagnoses.some((d) => /\d\d:\d\d:\d\d/.test(d.cause + d.evidence.join(' ')))) {
    out.push(
      '_Times inside the diagnosis are local to the machine that read the evidence; the timeline is UTC._',
      '',
    );
  }
  out.push(`${h(1)} Timeline`, '', ...timelineTable(r.timeline));
  return out.join('\n');
}
