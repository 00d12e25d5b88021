/** Answers no other rule explains: unusable bodies, and errors this debugger does not know. */
import { describeJsonType } from '../../oauth/tokenResponse.ts';
import { preview } from '../../oauth/guards.ts';
import { asReceived, succeeded, type Rule } from '../facts.ts';

export const upstreamMalformed: Rule = (input, facts) => {
  if (facts.status === null || succeeded(facts)) return null;
  let problem: string | null = null;
  if (facts.body.trim() === '') problem = 'the body is empty';
  else if (!facts.isJson) problem = 'the body is not JSON';
  else if (facts.json === null) problem = 'the body is JSON but not an object';
  else if (facts.verdict.errorCode === 'malformed') {
    // A 2xx the verdict refused: say why in the parser's words, minus its "HTTP 200" prefix.
    problem =
      input.kind !== 'verify' && typeof facts.json.access_token !== 'string'
        ? `the JSON has no access_token (access_token is ${describeJsonType(facts.json.access_token)})`
        : `the answer is not usable: ${(facts.verdict.detail ?? 'it is not what PandaDoc sends').replace(/^HTTP \d+(:| but) /, '').replace(/\.$/, '')}`;
  }
  if (problem === null) return null;
  return {
    rule: 'upstream_malformed',
    severity: 'error',
    title: `HTTP ${facts.status}: the answer is not what PandaDoc sends`,
    cause: `${problem[0]?.toUpperCase()}${problem.slice(1)}. PandaDoc answers JSON objects, so something between here and PandaDoc changed or replaced the answer, or the URL points elsewhere.`,
    next: 'Look at the raw response below; check proxies and the environment (simulator, US, EU).',
    evidence: [
      `Content-Type: ${facts.header('content-type') ?? '(none)'}`,
      `Body as received: ${asReceived(facts)}`,
    ],
  };
};

export const unknownAnswer: Rule = (_input, facts) => {
  if (facts.status === null || succeeded(facts)) return null;
  const evidence = [`HTTP ${facts.status}`];
  if (facts.error !== null) evidence.push(`error: ${preview(facts.error, 80)}`);
  if (facts.description !== null)
    evidence.push(`error_description: ${preview(facts.description, 200)}`);
  if (facts.type !== null) evidence.push(`type: ${preview(facts.type, 80)}`);
  if (facts.detail !== null) evidence.push(`detail: ${preview(facts.detail, 200)}`);
  evidence.push(`Body as received: ${asReceived(facts)}`);
  return {
    rule: 'unknown',
    severity: 'error',
    title: `Unrecognised answer: HTTP ${facts.status}${facts.error ? ` ${preview(facts.error)}` : facts.type ? ` ${preview(facts.type)}` : ''}`,
    cause: 'This debugger does not recognise this answer; here it is as received.',
    next: 'Read the raw answer below, and include it in a support report.',
    evidence,
  };
};
