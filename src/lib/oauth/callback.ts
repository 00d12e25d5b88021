/** Step 3: read what came back from authorize and check it against the request this browser started. */
import { codeShapeWarnings, extractCallbackParams } from './callbackInput.ts';
import { preview } from './guards.ts';

export interface PendingAuthorization {
  profileId: string;
  state: string;
  codeVerifier: string;
  clientId: string;
  redirectUri: string;
  authorizeUrl: string;
  createdAt: number;
}

export type CallbackErrorCode =
  | 'empty'
  | 'garbage'
  | 'access_denied'
  | 'authorize_error'
  | 'missing_code'
  | 'state_missing'
  | 'state_empty'
  | 'state_mismatch'
  | 'no_pending';

export type CallbackResult =
  | {
      ok: true;
      code: string;
      state: string | null;
      stateCheck: 'matched' | 'not_checked';
      warnings: string[];
    }
  | {
      ok: false;
      code: CallbackErrorCode;
      message: string;
      hint: string;
      /** For an error from authorize (Deny): the state it echoed, naming the request it ends. */
      state?: string | null;
    };

type Failure = Extract<CallbackResult, { ok: false }>;

const fail = (code: CallbackErrorCode, message: string, hint: string): Failure => ({
  ok: false,
  code,
  message,
  hint,
});

const RESTART = 'Start again at the Authorize step and paste the new redirect URL.';

/** Standard authorize error codes (RFC 6749 §4.1.2.1) with what to do next. */
const ERROR_HINTS: Record<string, string> = {
  invalid_request:
    'Check the authorize URL parameters (client_id, redirect_uri, response_type=code).',
  unauthorized_client: 'Check the client ID belongs to an app in this PandaDoc region.',
  unsupported_response_type: 'The authorize URL must say response_type=code.',
  invalid_scope: 'Use scope read, write or read+write only.',
  server_error: 'PandaDoc had a problem; wait a moment and start again.',
  temporarily_unavailable: 'PandaDoc is busy; wait a moment and start again.',
};

/**
 * Parses the redirect back from authorize: the /callback query, a pasted redirect URL, a pasted
 * query string or a bare code, and checks `state` against the pending request.
 * @see RFC 6749 §4.1.2 and §10.12
 */
export function parseCallbackInput(
  input: string,
  pending: PendingAuthorization | null,
): CallbackResult {
  const text = input.trim();
  if (text === '') {
    return fail(
      'empty',
      'Nothing was pasted.',
      'Paste the redirect URL (or the code) from the browser address bar.',
    );
  }
  const found = extractCallbackParams(text);
  if (found.kind === 'fail') return found.failure;
  if (found.kind === 'bare') {
    const warnings = [
      'Only a code was pasted, so state could not be checked: make sure it came from the authorize request you just started.',
      ...codeShapeWarnings(found.code),
    ];
    return { ok: true, code: found.code, state: null, stateCheck: 'not_checked', warnings };
  }

  const { params, source, warnings } = found;
  const error = params.get('error');
  if (error !== null) {
    const state = params.get('state');
    if (error === 'access_denied') {
      return {
        ...fail(
          'access_denied',
          'The user clicked Deny on PandaDoc\'s "Authorize Application" screen, so no code was issued.',
          'Start again at the Authorize step and click Authorize this time.',
        ),
        state,
      };
    }
    const description = params.get('error_description');
    return {
      ...fail(
        'authorize_error',
        `PandaDoc's authorize step returned error "${preview(error)}"` +
          (description ? `: ${preview(description)}` : ' with no description.'),
        ERROR_HINTS[error] ?? RESTART,
      ),
      state,
    };
  }

  const code = params.get('code');
  const seen = source === 'url' ? 'That looks like a URL' : 'That looks like a query string';
  if (code === null) {
    return fail(
      'missing_code',
      `${seen} but it has no code= or error= parameter.`,
      'Copy the address PandaDoc redirected to, after you clicked Authorize.',
    );
  }
  if (code === '') {
    return fail('missing_code', `${seen} and has code= but the code is empty.`, RESTART);
  }
  if (params.getAll('code').length > 1)
    warnings.push('The URL has more than one code=; the first one is used.');
  warnings.push(...codeShapeWarnings(code));

  if (pending === null) {
    return fail(
      'no_pending',
      'No authorization was started in this browser, so the state in this redirect cannot be checked.',
      'Start at the Authorize step, or paste just the bare code to skip the state check.',
    );
  }
  const state = params.get('state');
  if (state === null) {
    return fail(
      'state_missing',
      'The redirect has no state= parameter. PandaDoc always echoes state (even empty), so part of the URL was probably lost when copying.',
      'Copy the whole address from the browser bar, or paste just the bare code to skip the state check.',
    );
  }
  if (state === '' && pending.state !== '') {
    return fail(
      'state_empty',
      'The redirect came back with an empty state=. PandaDoc echoes state= empty when the authorize URL carried no state, so this redirect came from a different authorize request than the one started here.',
      RESTART,
    );
  }
  if (state !== pending.state) {
    return fail(
      'state_mismatch',
      'The state in this redirect does not match the one this browser sent. It answers a different or older authorize request (another tab or profile), or it was tampered with.',
      RESTART,
    );
  }
  return { ok: true, code, state, stateCheck: 'matched', warnings };
}
