/**
 * Test-only: a profile session against the in-process simulator, recorded the way the local
 * server records it (client_secret redacted), with history kept the way the app keeps it.
 * Imported by tests only, never by the app (it pulls in the Node-only simulator).
 */
import { Hono } from 'hono';
import { createSimulator } from '../../server/simulator/app.ts';
import { SimulatorCore } from '../../server/simulator/state.ts';
import {
  REDACTED,
  type SecretSource,
  type TokenCallResult,
  type UpstreamExchange,
} from '../api/wire.ts';
import { fingerprint } from '../fingerprint.ts';
import { judge, type Judged } from '../verdict/judge.ts';
import { historyEntryFromCall, type HistoryEntry } from './history.ts';
import type { CodeContext, TriageInput } from './types.ts';

export const SIM_CLIENT = Object.freeze({
  clientId: 'sim-demo-client-0d6f3b',
  clientSecret: 'sim-demo-secret-8a41c7e2b9',
  redirectUri: 'http://127.0.0.1:5173/callback',
});
export const OTHER_CLIENT = Object.freeze({
  clientId: 'other-app-client-77aa',
  clientSecret: 'other-app-secret-5f5f5f5f',
  redirectUri: 'http://127.0.0.1:5173/callback',
});
const ORIGIN = 'http://127.0.0.1:5173';
/** 2025-01-06 10:31:05 UTC. */
export const T0 = Date.UTC(2025, 0, 6, 10, 31, 5);

export interface IssuedCode {
  value: string;
  context: CodeContext;
}

export interface TokenCallOptions {
  contentType?: string;
  /** Send this exact body instead of the form. */
  rawBody?: string;
  secretSource?: SecretSource;
}

export class SimSession {
  clock = T0;
  readonly core = new SimulatorCore({ ...SIM_CLIENT, now: () => this.clock });
  readonly app = new Hono();
  readonly history: HistoryEntry[] = [];
  /** Every raw secret the session has seen: for the report's scrub test. */
  readonly secrets = new Set<string>([SIM_CLIENT.clientSecret, OTHER_CLIENT.clientSecret]);
  private seq = 0;

  constructor() {
    this.core.registerClient(OTHER_CLIENT);
    this.app.route('/sim', createSimulator(this.core));
  }

  tick(ms: number): void {
    this.clock += ms;
  }

  /** Approve (or deny) at the consent screen; returns the code and what the app knows about it. */
  async authorize(
    opts: { clientId?: string; scope?: string; state?: string } = {},
  ): Promise<IssuedCode> {
    const clientId = opts.clientId ?? SIM_CLIENT.clientId;
    const authorizedAt = this.clock;
    const form = new URLSearchParams({
      client_id: clientId,
      response_type: 'code',
      scope: opts.scope ?? 'read+write',
      state: opts.state ?? 'st',
      decision: 'allow',
    });
    this.tick(4000); // the user reads the consent screen
    const res = await this.app.request(`${ORIGIN}/sim/oauth2/authorize`, {
      method: 'POST',
      body: form.toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    const location = res.headers.get('Location') ?? '';
    const value = new URL(location).searchParams.get('code') ?? '';
    this.secrets.add(value);
    const capturedAt = this.clock;
    this.tick(1000);
    return {
      value,
      context: {
        fingerprint: await fingerprint(value),
        capturedAt,
        authorizedAt,
        clientId,
        redirectUri: SIM_CLIENT.redirectUri,
      },
    };
  }

  /** POST /oauth2/access_token as the local server sends it, recorded with client_secret redacted. */
  async token(
    kind: 'exchange' | 'refresh' | 'check',
    fields: Record<string, string>,
    opts: TokenCallOptions = {},
  ): Promise<Judged<TokenCallResult>> {
    const body = opts.rawBody ?? new URLSearchParams(fields).toString();
    const contentType = opts.contentType ?? 'application/x-www-form-urlencoded';
    const headers: Array<[string, string]> = [
      ['Content-Type', contentType],
      ['Accept', 'application/json'],
    ];
    const url = `${ORIGIN}/sim/oauth2/access_token`;
    const call = await this.send(url, 'POST', headers, body);
    const shown =
      opts.rawBody ??
      new URLSearchParams(
        Object.entries(fields).map(([k, v]) => [k, k === 'client_secret' && v ? REDACTED : v]),
      ).toString();
    const result = judge<TokenCallResult>(kind, {
      ...call,
      request: { ...call.request, body: shown },
      secretSource: opts.secretSource ?? 'server',
    });
    // History is computed from the real body, as the lead's code sees it before redaction.
    await this.record(kind, call);
    return result;
  }

  exchange(code: string, extra: Record<string, string> = {}, opts?: TokenCallOptions) {
    return this.token(
      'exchange',
      {
        grant_type: 'authorization_code',
        client_id: SIM_CLIENT.clientId,
        client_secret: SIM_CLIENT.clientSecret,
        code,
        ...extra,
      },
      opts,
    );
  }

  refresh(refreshToken: string, extra: Record<string, string> = {}, opts?: TokenCallOptions) {
    return this.token(
      'refresh',
      {
        grant_type: 'refresh_token',
        client_id: SIM_CLIENT.clientId,
        client_secret: SIM_CLIENT.clientSecret,
        refresh_token: refreshToken,
        ...extra,
      },
      opts,
    );
  }

  async verify(accessToken: string): Promise<Judged<UpstreamExchange>> {
    const call = await this.send(
      `${ORIGIN}/sim/public/v1/members/current`,
      'GET',
      [
        ['Authorization', `Bearer ${accessToken}`],
        ['Accept', 'application/json'],
      ],
      null,
    );
    await this.record('verify', call);
    return judge('verify', call);
  }

  /** Tokens from a successful token call's answer. */
  static tokens(call: UpstreamExchange): { access: string; refresh: string } {
    const body = JSON.parse(call.response?.body ?? '{}') as Record<string, string>;
    return { access: body.access_token ?? '', refresh: body.refresh_token ?? '' };
  }

  /** A TriageInput for a call, fingerprints computed from the raw values sent. */
  async input(
    kind: TriageInput['kind'],
    call: UpstreamExchange,
    sent: { code?: IssuedCode; refreshToken?: string; accessToken?: string } = {},
  ): Promise<TriageInput> {
    return {
      kind,
      call,
      now: this.clock,
      context: {
        history: [...this.history],
        code: sent.code?.context,
        refreshTokenFingerprint: sent.refreshToken
          ? await fingerprint(sent.refreshToken)
          : undefined,
        accessTokenFingerprint: sent.accessToken ? await fingerprint(sent.accessToken) : undefined,
        profile: {
          clientId: SIM_CLIENT.clientId,
          redirectUri: SIM_CLIENT.redirectUri,
          environment: 'simulator',
        },
        secretSource: 'secretSource' in call ? (call as TokenCallResult).secretSource : undefined,
      },
    };
  }

  private async send(
    url: string,
    method: 'GET' | 'POST',
    headers: Array<[string, string]>,
    body: string | null,
  ): Promise<UpstreamExchange> {
    const startedAt = this.clock;
    const res = await this.app.request(url, { method, headers, body: body ?? undefined });
    const text = await res.text();
    this.tick(250);
    for (const m of text.matchAll(/"(?:access_token|refresh_token)":"([^"]+)"/g))
      if (m[1]) this.secrets.add(m[1]);
    return {
      startedAt,
      durationMs: 250,
      request: { method, url, headers, body },
      response: {
        status: res.status,
        statusText:
          res.status === 200
            ? 'OK'
            : res.status === 400
              ? 'Bad Request'
              : res.status === 401
                ? 'Unauthorized'
                : '',
        headers: [...res.headers.entries()],
        body: text,
        truncated: false,
      },
      failure: null,
    };
  }

  private async record(
    kind: 'exchange' | 'refresh' | 'verify' | 'check',
    call: UpstreamExchange,
  ): Promise<void> {
    this.seq += 1;
    this.history.push(
      await historyEntryFromCall(kind, judge(kind, call), { id: `h${this.seq}`, profileId: 'p1' }),
    );
    this.tick(1000);
  }
}
