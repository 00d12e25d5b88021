import { beforeEach, describe, expect, it } from 'vitest';
import type { TokenCallResult } from '../api/wire.ts';
import { environmentInfo } from '../oauth/environments.ts';
import type { Storage } from '../storage/index.ts';
import { Timeline } from '../timeline.svelte.ts';
import { judge } from '../verdict/judge.ts';
import { Flow } from './flow.svelte.ts';
import { Persistence } from './persist.svelte.ts';
import { simulatorProfile } from './profiles.svelte.ts';
import { TabSync } from './tabSync.ts';
import { CONFIG, clearDatabase, openStorage } from './testing.ts';

beforeEach(clearDatabase);

const TOKEN = '2ff2dfe36322448c6953616740a910be57bbd4ca';
const REFRESH = '4c82f23d91a75961f4d08134fc5ad0dfe6a4c36a';

function tokenCall(status: number, body: string, code = 'c0de'): TokenCallResult {
  return {
    startedAt: Date.now(),
    durationMs: 3,
    request: {
      method: 'POST',
      url: `${CONFIG.origin}/sim/oauth2/access_token`,
      headers: [['Content-Type', 'application/x-www-form-urlencoded']],
      body: `grant_type=authorization_code&client_id=${CONFIG.simulator.clientId}&client_secret=%5Bredacted%5D&code=${code}`,
    },
    response: {
      status,
      statusText: '',
      headers: [['content-type', 'application/json']],
      body,
      truncated: false,
    },
    failure: null,
    secretSource: 'server',
  };
}

async function setUp() {
  const storage: Storage = await openStorage();
  const profile = simulatorProfile(CONFIG);
  const persist = new Persistence();
  const tabs = new TabSync();
  const timeline = new Timeline({
    store: () => storage.history,
    persist: (what, write) => persist.run(what, write),
    changed: () => undefined,
    problem: (m) => {
      throw new Error(m);
    },
  });
  const flow = new Flow({
    storage: () => storage,
    persist,
    tabs,
    timeline,
    activeId: () => profile.id,
    profile: () => profile,
    environment: () => environmentInfo('simulator', CONFIG.origin),
    secret: () => '',
    profileIds: () => [profile.id],
    selectProfile: async () => undefined,
  });
  await flow.load(profile.id);
  await timeline.load(profile.id);
  return { storage, profile, flow, timeline };
}

/** A code captured by hand, as step 3 keeps it. */
async function capture(flow: Flow) {
  await flow.acceptPasted('c0de'.repeat(10));
}

describe('Flow', () => {
  it('after Deny, the authorization it answers is over: nothing is pending any more', async () => {
    const { flow, storage, profile } = await setUp();
    const { url } = await flow.startAuthorization();
    const state = new URL(url).searchParams.get('state');
    expect(flow.session.pending?.state).toBe(state);
    await flow.acceptPasted(`${CONFIG.simulator.redirectUri}?state=${state}&error=access_denied`);
    expect(flow.callbackResult).toMatchObject({ ok: false, code: 'access_denied' });
    expect(flow.session.pending).toBeNull();
    expect((await storage.loadSession(profile.id)).pending).toBeNull();
  });

  it('a Deny that answers another authorization leaves this one waiting', async () => {
    const { flow } = await setUp();
    await flow.startAuthorization();
    await flow.acceptPasted(
      `${CONFIG.simulator.redirectUri}?state=someone-else&error=access_denied`,
    );
    expect(flow.session.pending).not.toBeNull();
  });

  it('calls a code used only when the answer proves it', async () => {
    const { flow } = await setUp();
    await capture(flow);
    await flow.recordExchange(judge('exchange', tokenCall(400, '{"error":"invalid_client"}')));
    expect(flow.session.code?.exchangedAt).toBeNull();
    await flow.recordExchange(judge('exchange', tokenCall(502, '<html>Bad gateway</html>')));
    expect(flow.session.code?.exchangedAt).toBeNull();
    expect(flow.session.tokens).toBeNull();

    const ok = tokenCall(200, `{"access_token":"${TOKEN}","refresh_token":"${REFRESH}"}`);
    await flow.recordExchange(judge('exchange', ok));
    expect(flow.session.code?.exchangedAt).toBe(ok.startedAt);
    expect(flow.session.tokens?.accessToken).toBe(TOKEN);

    // A re-send refused with invalid_grant keeps the first time and the tokens.
    await flow.recordExchange(judge('exchange', tokenCall(400, '{"error":"invalid_grant"}')));
    expect(flow.session.code?.exchangedAt).toBe(ok.startedAt);
    expect(flow.session.code?.refusedAt).not.toBeNull();
    expect(flow.session.tokens?.accessToken).toBe(TOKEN);
  });

  it('a 200 with an empty access_token gives no tokens and spends nothing on record', async () => {
    const { flow } = await setUp();
    await capture(flow);
    await flow.recordExchange(judge('exchange', tokenCall(200, '{"access_token":""}')));
    expect(flow.session.tokens).toBeNull();
    expect(flow.session.code?.exchangedAt).toBeNull();
    expect(flow.session.exchange?.verdict.errorCode).toBe('malformed');
  });

  it('records the old-pair checks as verifications, with no diagnosis', async () => {
    const { flow, timeline } = await setUp();
    const dead = judge('refresh', tokenCall(400, '{"error":"invalid_grant"}'));
    await flow.recordOldPairCheck('refresh', dead);
    expect(timeline.entries[0]).toMatchObject({
      kind: 'refresh',
      outcome: 'error',
      verification: true,
      grant: 'rejected',
    });
    expect(flow.session.triage.refresh).toBeUndefined();
  });

  it('lists every raw secret it holds, for the report scrubber', async () => {
    const { flow } = await setUp();
    await flow.startAuthorization();
    const values = flow.secretValues();
    expect(values).toContain(flow.session.pending!.codeVerifier);
    expect(values).toContain(flow.session.pending!.state);
  });
});
