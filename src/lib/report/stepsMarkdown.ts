/**
 * The Steps part of the Markdown. A ticket needs what went wrong and what happened last, not
 * 10,000 table rows: a history longer than STEPS_IN_FULL is summarised (steps per kind, every
 * distinct failure with its count, first and last time), then the last RECENT_STEPS steps and the
 * RECENT_FAILURES most recent failures before them are listed. The JSON form keeps every step.
 */
import { readEntry } from '../triage/history.ts';
import { cell, ms } from './md.ts';
import { RECENT_FAILURES, RECENT_STEPS, STEPS_IN_FULL, type StepsDigest } from './steps.ts';
import type { ReportHead, ReportStep } from './types.ts';

const time = (isoTime: string) => `${isoTime.slice(0, 10)} ${isoTime.slice(11, 19)}`;

/** What the report's header says about the steps it lists. */
export function stepsCoverage(r: ReportHead): string {
  const n = r.summary.steps;
  if (n <= STEPS_IN_FULL) return `All ${n} steps of the history are listed under Steps.`;
  return (
    `The history has ${n} steps. Under Steps this Markdown summarises them, counts every kind of ` +
    `failure, and lists the last ${RECENT_STEPS} steps and the ${RECENT_FAILURES} most recent ` +
    'failures before them; the JSON form of this report carries every step.'
  );
}

function table(rows: Array<[number, ReportStep]>, withDate: boolean): string[] {
  return [
    `| # | Time (UTC) | Step | Outcome | Status | Error | Duration | Fingerprints | Note |`,
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map(([i, s]) => {
      const prints = Object.entries(s.fingerprints)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      const at = withDate ? time(s.at) : s.at.slice(11, 19);
      return `| ${i + 1} | ${at} | ${s.kind} | ${readEntry(s)} | ${cell(s.status)} | ${cell(s.errorCode)} | ${ms(s.durationMs)} | ${cell(prints)} | ${cell(s.note)} |`;
    }),
    '',
  ];
}

function summary(r: ReportHead): string[] {
  const { summary: sum } = r;
  const out = [
    `${sum.steps} steps from ${time(sum.first ?? '')} to ${time(sum.last ?? '')} UTC.`,
    '',
    '| Step | Steps | Did not go as they should |',
    '|---|---|---|',
    ...sum.byKind.map((k) => `| ${k.kind} | ${k.total} | ${k.failed} |`),
    '',
  ];
  if (sum.failures.length === 0) return [...out, 'No step failed.', ''];
  return [
    ...out,
    '### Failures, by error',
    '',
    '| Step | Status | Error | Times | First (UTC) | Last (UTC) |',
    '|---|---|---|---|---|---|',
    ...sum.failures.map(
      (f) =>
        `| ${f.kind} | ${cell(f.status)} | ${cell(f.errorCode)} | ${f.count} | ${time(f.first)} | ${time(f.last)} |`,
    ),
    '',
  ];
}

export function stepsSection(r: ReportHead, digest: StepsDigest): string[] {
  const out = ['## Steps', ''];
  const n = digest.count;
  if (n === 0) return [...out, 'No steps recorded.', ''];
  if (n <= STEPS_IN_FULL) return [...out, ...table(digest.listed, false)];
  const failed = r.summary.failures.reduce((sum, f) => sum + f.count, 0);
  out.push(...summary(r), `### The last ${RECENT_STEPS} steps`, '', ...table(digest.listed, true));
  if (digest.failures.length > 0) {
    out.push(
      `### Earlier failures (the ${digest.failures.length} most recent; ${failed} failures in all)`,
      '',
      ...table(digest.failures, true),
    );
  }
  return out;
}
