import { describe, expect, it } from 'vitest';
import { SimulatorCore } from '../server/simulator/state.ts';
import type { TokenCallResult } from './api/wire.ts';
import { processTokenCall } from './grants.ts';
import { judge, type Judged } from './verdict/judge.ts';
import { autoRefreshDelay, coordinatedRefresh, type RefreshDeps } from './refresh.ts';
import { emptySession, type ProfileSession } from './storage/index.ts';
import { memoryLock } from './tabs.ts';

const client = {
  clientId: 'c1',
  clientSecret: 's1',
  redirectUri: 'http://127.0.0.1:5173/callback',
};

/** A token call answered by the real simulator core, recorded like the server records it. */
function simulatorSend(core: SimulatorCore, counter: { calls: number }) {
  return async (refreshToken: string): Promise<Judged<TokenCallResult>> => {
    counter.calls++;
    const body = new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: client.clientId,
      client_secret: client.clientSecret,
      refresh_token: refreshToken,
    });
    const answer = core.token(body);
    return judge('refresh', {
      startedAt: Date.now(),
      durationMs: 1,
      request: {
        method: 'POST',
        url: 'http://sim/oauth2/access_token',
        headers: [],
        body: body.toString(),
      },
      response: {
        status: answer.status,
        statusText: '',
        headers: [['content-type', 'application/json']],
        body: JSON.stringify(answer.body),
        truncated: false,
      },
      failure: null,
      secretSource: 'browser' as const,
    });
  };
}

/** A session holding a real token pair from the simulator. */
async function sessionWithTokens(core: SimulatorCore): Promise<ProfileSession> {
  const redirect = core.decide(
    {
      client_id: client.clientId,
      response_type: 'code',
      redirect_uri: client.redirectUri,
      scope: 'read+write',
      state: 's',
    },
    true,
  );
  if (redirect.kind !== 'redirect') throw new Error('authorize failed');
  const code = new URL(redirect.location).searchParams.get('code')!;
  const answer = core.token(
    new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: 'c1',
      client_secret: 's1',
      code,
    }),
  );
  const tokens = processTokenCall(
    judge('exchange', {
      startedAt: 0,
      durationMs: 0,
      request: { method: 'POST', url: '', headers: [], body: null },
      response: {
        status: answer.status,
        statusText: '',
        headers: [],
        body: JSON.stringify(answer.body),
        truncated: false,
      },
      failure: null,
    }),
  );
  if (!tokens) throw new Error('exchange failed');
  return { ...emptySession(), tokens };
}

function memoryDeps(
  core: SimulatorCore,
  store: Map<string, ProfileSession>,
  counter: { calls: number },
): RefreshDeps {
  return {
    lock: memoryLock,
    loadSession: async (id) => structuredClone(store.get(id) ?? emptySession()),
    saveSession: async (id, s) => void store.set(id, structuredClone(s)),
    send: simulatorSend(core, counter),
  };
}

describe('coordinatedRefresh', () => {
  it('lets exactly one of several racing tabs call PandaDoc; the others adopt its pair', async () => {
    const core = new SimulatorCore(client);
    const store = new Map([['p', await sessionWithTokens(core)]]);
    const counter = { calls: 0 };
    const old = store.get('p')!.tokens!;
    // Three "tabs" all holding the same refresh token, all refreshing at once.
    const outcomes = await Promise.all(
      [1, 2, 3].map(() =>
        coordinatedRefresh('p', old.refreshToken!, memoryDeps(core, store, counter)),
      ),
    );
    expect(counter.calls).toBe(1);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['adopted', 'adopted', 'refreshed']);
    const pairs = new Set(outcomes.map((o) => o.session.tokens!.refreshToken));
    expect(pairs.size).toBe(1);
    expect([...pairs][0]).not.toBe(old.refreshToken);
    // The pair everyone ended on is live on the simulator; the old one is dead.
    expect(core.currentMember(`Bearer ${outcomes[0].session.tokens!.accessToken}`).status).toBe(
      200,
    );
    expect(core.currentMember(`Bearer ${old.accessToken}`).status).toBe(401);
  });

  it('without the lock-and-reread, the second racer would get invalid_grant (why the lock exists)', async () => {
    const core = new SimulatorCore(client);
    const session = await sessionWithTokens(core);
    const send = simulatorSend(core, { calls: 0 });
    const first = (await send(session.tokens!.refreshToken!)).verdict;
    const second = (await send(session.tokens!.refreshToken!)).verdict;
    expect(first.outcome).toBe('ok');
    expect(second).toMatchObject({ outcome: 'error', errorCode: 'invalid_grant' });
  });

  it('keeps the new pair in the outcome when storing it fails, so it can be shown', async () => {
    const core = new SimulatorCore(client);
    const store = new Map([['p', await sessionWithTokens(core)]]);
    const deps = memoryDeps(core, store, { calls: 0 });
    deps.saveSession = async () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    const old = store.get('p')!.tokens!;
    const outcome = await coordinatedRefresh('p', old.refreshToken!, deps);
    expect(outcome).toMatchObject({ kind: 'refreshed', saved: false });
    if (outcome.kind !== 'refreshed') throw new Error();
    expect(outcome.saveError).toMatch(/quota/);
    expect(outcome.session.tokens!.refreshToken).not.toBe(old.refreshToken);
    expect(core.currentMember(`Bearer ${outcome.session.tokens!.accessToken}`).status).toBe(200);
  });

  it("builds on this tab's tokens when storage never got them (a failed write): nothing is lost", async () => {
    const core = new SimulatorCore(client);
    const inMemory = await sessionWithTokens(core);
    // Storage is empty: the exchange's tokens were never written (quota full).
    const store = new Map<string, ProfileSession>();
    const outcome = await coordinatedRefresh(
      'p',
      inMemory.tokens!.refreshToken!,
      memoryDeps(core, store, { calls: 0 }),
      inMemory,
    );
    expect(outcome.kind).toBe('refreshed');
    expect(outcome.session.tokens!.refreshToken).not.toBe(inMemory.tokens!.refreshToken);
    expect(outcome.session.rotation?.previous.refreshToken).toBe(inMemory.tokens!.refreshToken);
    expect(store.get('p')?.tokens?.accessToken).toBe(outcome.session.tokens!.accessToken);
  });

  it('records a rejected refresh without touching the stored tokens', async () => {
    const core = new SimulatorCore(client);
    const store = new Map([['p', await sessionWithTokens(core)]]);
    const before = store.get('p')!.tokens!;
    const outcome = await coordinatedRefresh('p', 'f'.repeat(40), {
      ...memoryDeps(core, store, { calls: 0 }),
      // The stored token is the one "sent", so no adoption: the call goes out and fails.
      loadSession: async () => ({
        ...structuredClone(store.get('p')!),
        tokens: { ...before, refreshToken: 'f'.repeat(40) },
      }),
    });
    expect(outcome.kind).toBe('failed');
    expect(outcome.session.refresh!.verdict).toMatchObject({
      outcome: 'error',
      errorCode: 'invalid_grant',
      grant: 'rejected',
    });
  });
});

describe('autoRefreshDelay', () => {
  const tokens = (receivedAt: number, seconds: number) => ({
    accessToken: 'a',
    refreshToken: 'r',
    tokenType: 'Bearer',
    expiresIn: seconds,
    scope: null,
    receivedAt,
    expiresAt: receivedAt + seconds * 1000,
    extra: {},
  });
  it('refreshes 5 minutes before a year-long token expires', () => {
    expect(autoRefreshDelay(tokens(0, 31535999), 0)).toBe(31535999_000 - 300_000);
  });
  it('refreshes at 80% of a short lifetime, and at once when already due', () => {
    expect(autoRefreshDelay(tokens(0, 10), 0)).toBe(8000);
    expect(autoRefreshDelay(tokens(0, 10), 9500)).toBe(0);
  });
  it('does not schedule without a refresh token or expiry', () => {
    expect(autoRefreshDelay({ ...tokens(0, 10), refreshToken: null }, 0)).toBeNull();
  });
});
