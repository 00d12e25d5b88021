import type { QueryClient } from '@tanstack/svelte-query';
import { advanceSimulatorClock, patchSimulator, resetSimulator } from './api/simulator.ts';
import type { DebuggerState } from './debugger.svelte.ts';
import { DRILLS, type Drill } from './drills.ts';
import { refreshTokenRequest } from './grants.ts';
import type { Profile } from './storage/index.ts';

/**
 * Runs one failure drill at a time: applies its setup to the simulator and the profile, and
 * undoes all of it on stop. Drills run on the simulator only.
 */
export class DrillRunner {
  active = $state.raw<Drill | null>(null);
  error = $state<string | null>(null);
  busy = $state(false);
  #restore: Partial<Pick<Profile, 'redirectUri' | 'scope'>> = {};

  constructor(
    private readonly app: DebuggerState,
    /** The page's svelte-query client: the drill's calls go through it like every other call. */
    private readonly queries: QueryClient,
  ) {}

  /** Picks up a drill started before the page was left (e.g. for the consent screen). */
  async resume(): Promise<void> {
    const record = await this.app.storage.loadDrill().catch(() => null);
    const drill = record && DRILLS.find((d) => d.id === record.id);
    if (!record || !drill) return;
    this.#restore = record.restore;
    if (record.jsonBody) this.app.tokenFormat = 'json';
    this.active = drill;
  }

  /** Why a drill can't start now, or null. */
  blocker(drill: Drill): string | null {
    const s = this.app.session;
    if (this.app.profile?.environment !== 'simulator')
      return 'Switch to a Simulator profile first.';
    if (drill.needs === 'code' && (!s.code || s.code.exchangedAt))
      return drill.id === 'reused-code' && s.code
        ? null
        : 'Needs a fresh code: do steps 2 and 3 first.';
    if (drill.needs === 'tokens' && !s.tokens?.refreshToken)
      return 'Needs tokens: do step 4 first.';
    return null;
  }

  async start(drill: Drill): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      await this.stop();
      const { setup } = drill;
      const app = this.app;
      const profile = app.profile!;
      if (setup.simulator) await patchSimulator(setup.simulator);
      if (setup.pastTimeout) {
        await patchSimulator({
          latencyMs: (app.config?.upstreamTimeoutMs ?? 15000) + 2000,
          faultTarget: 'token',
        });
      }
      if (setup.advanceClockMs) await advanceSimulatorClock(setup.advanceClockMs);
      if (setup.profile) {
        this.#restore = { redirectUri: profile.redirectUri, scope: profile.scope };
        await app.updateProfile({
          ...(setup.profile.redirectUri === 'trailing-slash'
            ? { redirectUri: `${profile.redirectUri.replace(/\/$/, '')}/` }
            : {}),
          ...(setup.profile.scope ? { scope: setup.profile.scope } : {}),
        });
      }
      // Sent instead of the typed secret while the drill runs; the typed one is never touched.
      if (setup.secret) app.drillSecret = setup.secret;
      if (setup.jsonBody) app.tokenFormat = 'json';
      this.active = drill;
      await app.storage
        .saveDrill({
          id: drill.id,
          profileId: profile.id,
          restore: this.#restore,
          jsonBody: Boolean(setup.jsonBody),
        })
        .catch(() => undefined);
      if (setup.race) await this.#race();
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      this.busy = false;
    }
  }

  /** Two workers, one refresh token: the second starts a moment after the first. */
  async #race(): Promise<void> {
    const app = this.app;
    const profile = app.profile!;
    const client = {
      environment: profile.environment,
      clientId: profile.clientId,
      clientSecret: app.typedSecret,
    };
    const token = app.session.tokens!.refreshToken!;
    const send = () =>
      this.queries
        .getMutationCache()
        .build(this.queries, { mutationFn: () => refreshTokenRequest(client, token) })
        .execute(undefined);
    const first = send();
    await new Promise((r) => setTimeout(r, 25));
    const second = send();
    await app.recordRace(await Promise.all([first, second]));
  }

  /** Ends the drill: simulator back to its launch settings and clock, profile as it was. */
  async stop(): Promise<void> {
    if (!this.active) return;
    const app = this.app;
    await resetSimulator();
    if (Object.keys(this.#restore).length) await app.updateProfile(this.#restore);
    app.drillSecret = null;
    app.tokenFormat = 'form';
    this.#restore = {};
    this.active = null;
    await app.storage.saveDrill(null).catch(() => undefined);
  }
}
