/** Token endpoint errors about the request itself: body format, client credentials, scope. */
import { environmentInfo } from '../../oauth/environments.ts';
import { preview } from '../../oauth/guards.ts';
import { describeAttempt, type Rule } from '../facts.ts';
import { DOCS } from '../types.ts';

const isTokenCall = (kind: string) => kind === 'exchange' || kind === 'refresh';

export const jsonBody: Rule = (input, facts) => {
  if (!isTokenCall(input.kind)) return null;
  const type = facts.requestHeader('content-type') ?? '';
  const sentJson = /json/i.test(type) || /^\s*[{[]/.test(input.call.request.body ?? '');
  const noGrantType =
    facts.error === 'invalid_request' && /No 'grant_type'/i.test(facts.description ?? '');
  if (!noGrantType && !(sentJson && facts.error !== null)) return null;
  const evidence = [`Request Content-Type: ${type || '(none)'}`];
  if (facts.description) evidence.push(`PandaDoc said: "${preview(facts.description, 120)}"`);
  return {
    rule: 'json_body',
    severity: 'error',
    title: 'The token request must be a form, not JSON',
    cause: sentJson
      ? "PandaDoc's token endpoint reads only application/x-www-form-urlencoded bodies. A JSON body looks empty to it, so the first check (grant_type) fails."
      : 'PandaDoc found no grant_type in the form. Either the body was not form-encoded (JSON looks empty to it) or the field is missing.',
    next: 'Send Content-Type: application/x-www-form-urlencoded with grant_type, client_id, client_secret and code (or refresh_token), e.g. URLSearchParams in JavaScript or data= (not json=) in Python requests.',
    evidence,
    docs: DOCS.formBody,
  };
};

export const unsupportedGrantType: Rule = (input, facts) => {
  if (!isTokenCall(input.kind) || facts.error !== 'unsupported_grant_type') return null;
  const sent = facts.form?.get('grant_type');
  return {
    rule: 'unsupported_grant_type',
    severity: 'error',
    title: 'PandaDoc does not support this grant_type',
    cause: `grant_type was ${sent ? `"${preview(sent)}"` : 'not readable'}; PandaDoc accepts only authorization_code and refresh_token.`,
    next:
      input.kind === 'refresh'
        ? 'Send grant_type=refresh_token.'
        : 'Send grant_type=authorization_code.',
    evidence: [`grant_type sent: ${sent ?? '(none)'}`],
    docs: DOCS.tokenErrors,
  };
};

export const wrongSecret: Rule = (input, facts) => {
  if (!isTokenCall(input.kind) || facts.error !== 'invalid_client') return null;
  const { profile, secretSource } = input.context;
  const clientId = facts.form?.get('client_id') ?? profile.clientId;
  const evidence = [`client_id sent: ${clientId}`];
  const env = profile.environment;
  const worked = facts.earlier.filter(
    (h) =>
      (h.kind === 'exchange' || h.kind === 'refresh') &&
      h.outcome === 'ok' &&
      (h.clientId ?? clientId) === clientId,
  );
  const lastWorked = worked.at(-1);
  if (lastWorked) {
    evidence.push(
      `This client_id worked in ${describeAttempt(facts.earlier, lastWorked)}, so PandaDoc knows it.`,
    );
  }
  let source: string;
  switch (secretSource) {
    case 'browser':
      source =
        'The secret was typed in this browser: look for a copy-paste slip, a stray space, or the secret of another app.';
      break;
    case 'server':
      source =
        env === 'simulator'
          ? 'The secret came from the local server (SIM_CLIENT_SECRET), so the simulator demo app and the server disagree.'
          : `The secret came from the local server (PANDADOC_${env.toUpperCase()}_CLIENT_SECRET): it may belong to another app, or be an old one.`;
      break;
    case 'none':
      source =
        'No client_secret was sent at all: PandaDoc always requires one (it has no PKCE-only clients).';
      break;
    default:
      source = 'The secret may be wrong, or belong to another app.';
  }
  if (secretSource)
    evidence.push(
      `client_secret source: ${secretSource === 'browser' ? 'typed in the browser' : secretSource === 'server' ? 'held by the local server' : 'none sent'}`,
    );
  const region =
    env === 'simulator'
      ? ''
      : ` The app may also live in the other region: apps created on ${env === 'us' ? 'app.pandadoc.eu' : 'app.pandadoc.com'} are unknown to ${environmentInfo(env, '').label}.`;
  return {
    rule: 'wrong_secret',
    severity: 'error',
    title: 'PandaDoc did not accept the client_id and client_secret',
    cause:
      'invalid_client: PandaDoc did not recognise this client_id + client_secret pair. ' +
      (lastWorked
        ? `The client_id worked before, so the secret is the suspect. ${source}`
        : source + region),
    next:
      secretSource === 'none'
        ? 'Type the client secret in the profile, or start the server with the environment variable that holds it.'
        : "Copy the client secret again from the app's settings in PandaDoc's developer dashboard" +
          (env === 'simulator'
            ? '.'
            : ', and check the profile environment (US or EU) matches where the app was created.'),
    evidence,
    docs: DOCS.accessToken,
  };
};

export const badScopeName: Rule = (input, facts) => {
  if (!isTokenCall(input.kind) || facts.error !== 'invalid_request') return null;
  const match = /'(.*)' is not a valid scope\./.exec(facts.description ?? '');
  if (!match) return null;
  const name = match[1] ?? '';
  const sent = facts.form?.get('scope');
  const evidence = [`PandaDoc said: "${preview(facts.description ?? '', 120)}"`];
  if (sent !== null && sent !== undefined)
    evidence.push(`scope sent (decoded): "${preview(sent, 80)}"`);
  return {
    rule: 'bad_scope_name',
    severity: 'error',
    title: `"${preview(name)}" is not a PandaDoc scope`,
    cause:
      'PandaDoc knows three scope names only: read, write and read+write. It splits the scope on spaces and rejects anything else' +
      (/^(openid|profile|email|offline_access|webhook)/i.test(name)
        ? ` — "${preview(name)}" is common elsewhere but does not exist here.`
        : '.'),
    next: `Send scope=read+write (or leave scope out of the token request: the ${input.kind === 'refresh' ? 'refresh keeps the old grant' : 'grant from the authorize step is used'}).`,
    evidence,
    docs: DOCS.authentication,
  };
};

export const missingField: Rule = (input, facts) => {
  if (!isTokenCall(input.kind) || facts.error !== 'invalid_request') return null;
  const needed = [
    'client_id',
    'client_secret',
    input.kind === 'refresh' ? 'refresh_token' : 'code',
  ];
  const missing = needed.filter((n) => !facts.form?.get(n));
  const description = facts.description;
  if (missing.length === 0 && description) return null; // An unrecognised description: 'unknown'.
  return {
    rule: 'missing_field',
    severity: 'error',
    title: missing.length
      ? `The token request is missing ${missing.join(', ')}`
      : 'PandaDoc says a required field is missing',
    cause: `invalid_request with no description: PandaDoc's answer when ${input.kind === 'refresh' ? 'refresh_token' : 'code'} (or another required field) is absent or empty.`,
    next: `Send ${needed.join(', ')} and grant_type in the form body.`,
    evidence: [
      `Fields sent: ${facts.form ? [...new Set(facts.form.keys())].join(', ') || '(none)' : '(not a form)'}`,
    ],
    docs: DOCS.tokenErrors,
  };
};

export const scopeWidened: Rule = (input, facts) => {
  if (!isTokenCall(input.kind) || facts.error !== 'invalid_scope') return null;
  const sent = facts.form?.get('scope');
  return {
    rule: 'scope_widened',
    severity: 'error',
    title: 'The token request asked for more scope than the user granted',
    cause:
      input.kind === 'refresh'
        ? 'A refresh may keep or narrow the scope of the original grant, never widen it.'
        : 'The scope at the token endpoint must fit inside what the user approved at the authorize step (read only, when authorize carried no scope).',
    next:
      input.kind === 'refresh'
        ? 'Leave scope out of the refresh. For more access, authorize again with scope=read+write.'
        : 'Leave scope out of the exchange, or authorize again asking for scope=read+write.',
    evidence: [
      `scope sent (decoded): ${sent === null || sent === undefined ? '(none: read)' : `"${preview(sent, 80)}"`}`,
    ],
    docs: 'https://www.rfc-editor.org/rfc/rfc6749#section-3.3',
  };
};
