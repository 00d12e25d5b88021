/** Step 6: `GET /public/v1/members/current`, the proof that the access token works. */
import { isBoolean, isRecord, isString, readJsonBody } from './guards.ts';
import { describeJsonType, type ExplainedField } from './tokenResponse.ts';

export interface MemberResult {
  ok: true;
  member: Record<string, unknown>;
  summary: {
    name: string;
    email: string | null;
    workspaceName: string | null;
    workspaceId: string | null;
    role: string | null;
  };
  fields: ExplainedField[];
}

export type MemberResponseResult =
  | MemberResult
  | {
      ok: false;
      kind: 'api_error';
      status: number;
      type: string | null;
      detail: string | null;
      retryAfter?: string | null;
    }
  | { ok: false; kind: 'html' | 'not_json' | 'malformed'; status: number; message: string };

/**
 * What each field means, from PandaDoc's OpenAPI description of this endpoint.
 * @see https://developers.pandadoc.com/reference/detailscurrentmember
 */
export const MEMBER_FIELD_EXPLANATIONS: Readonly<Record<string, string>> = Object.freeze({
  user_id:
    'Identifies the user in the organization (the PandaDoc account, across all its workspaces).',
  membership_id:
    'Identifies the user in this workspace: the same person has a different membership_id in each workspace.',
  email: "The user's email address.",
  first_name: "The user's first name.",
  last_name: "The user's last name (may be empty).",
  is_active: 'Whether the member is active in the workspace and not blocked.',
  workspace: "ID of the user's current active workspace; API calls with this token act in it.",
  workspace_name: "Name of the user's current active workspace.",
  email_verified:
    "Whether the email address is verified. The API sends email_verified, but PandaDoc's SDK models call it emails_verified (with an s): a known inconsistency, so generated clients may read it as missing.",
  emails_verified:
    "Whether the email address is verified. This is the SDK models' spelling; the API's own example sends email_verified (no s).",
  role: "The member's role in the workspace, e.g. Admin, Manager or Member.",
  user_license:
    'The license the user holds in the organization: Full (Standard), Read-only, eSignature, Guest or Creator.',
  date_created: 'When the member was added to the workspace.',
  date_modified: 'When the member was last changed.',
});

const stringOrNull = (v: unknown): string | null => (isString(v) && v !== '' ? v : null);

function fieldValue(v: unknown): string {
  return isString(v) ? v : (JSON.stringify(v) ?? String(v));
}

/** One explained row per field of the member, known ones in PandaDoc's order, then unknown extras. */
export function explainMember(member: Record<string, unknown>): ExplainedField[] {
  const known = Object.keys(MEMBER_FIELD_EXPLANATIONS).filter((k) => k in member);
  const unknown = Object.keys(member).filter((k) => !(k in MEMBER_FIELD_EXPLANATIONS));
  return [
    ...known.map((name) => ({
      name,
      value: fieldValue(member[name]),
      explanation: MEMBER_FIELD_EXPLANATIONS[name] ?? '',
      secret: false,
      known: true,
    })),
    ...unknown.map((name) => ({
      name,
      value: fieldValue(member[name]),
      explanation: "Not in PandaDoc's documentation of this endpoint; kept as it arrived.",
      secret: false,
      known: false,
    })),
  ];
}

/**
 * Classifies the answer of `GET /public/v1/members/current`. Errors use PandaDoc's
 * `{type, detail}` shape (401 authentication_error, 429 throttled with Retry-After).
 */
export function parseMemberResponse(
  status: number,
  headers: { get(name: string): string | null },
  rawBody: string,
): MemberResponseResult {
  const parsed = readJsonBody(
    status,
    headers.get('content-type'),
    rawBody,
    'That is usually a proxy, a captive portal or a wrong API base URL.',
  );
  if (!parsed.ok) return parsed;
  const body = parsed.value;
  if (status < 200 || status >= 300) {
    const record = isRecord(body) ? body : {};
    const error: MemberResponseResult = {
      ok: false,
      kind: 'api_error',
      status,
      type: stringOrNull(record.type),
      detail: stringOrNull(record.detail),
    };
    if (status === 429 || headers.get('retry-after') !== null)
      error.retryAfter = headers.get('retry-after');
    return error;
  }
  if (!isRecord(body)) {
    return {
      ok: false,
      kind: 'malformed',
      status,
      message: `HTTP ${status}: the body is JSON but ${describeJsonType(body)}, not an object.`,
    };
  }
  if (!isString(body.user_id) && !isString(body.email)) {
    return {
      ok: false,
      kind: 'malformed',
      status,
      message: `HTTP ${status}: the JSON has neither user_id nor email, so it is not a member record.`,
    };
  }
  const email = stringOrNull(body.email);
  const name = [body.first_name, body.last_name].filter(isString).join(' ').trim();
  return {
    ok: true,
    member: body,
    summary: {
      name: name || email || stringOrNull(body.user_id) || '(no name)',
      email,
      workspaceName: stringOrNull(body.workspace_name),
      workspaceId: stringOrNull(body.workspace),
      role: stringOrNull(body.role),
    },
    fields: explainMember(body),
  };
}

/** Whether the member's email is verified under either spelling PandaDoc uses. */
export function memberEmailVerified(member: Record<string, unknown>): boolean | null {
  const v = member.email_verified ?? member.emails_verified;
  return isBoolean(v) ? v : null;
}
