/** Where each flow runs: the offline simulator or one of PandaDoc's two regions. */
import { PANDADOC_HOSTS, PANDADOC_PATHS } from './pandadoc.ts';

export type EnvironmentId = 'simulator' | 'us' | 'eu';

export const ENVIRONMENT_IDS: readonly EnvironmentId[] = Object.freeze(['simulator', 'us', 'eu']);

export interface EnvironmentInfo {
  id: EnvironmentId;
  label: string;
  authorizeEndpoint: string;
  tokenEndpoint: string;
  apiBase: string;
  description: string;
}

export function isEnvironmentId(v: unknown): v is EnvironmentId {
  return typeof v === 'string' && (ENVIRONMENT_IDS as readonly string[]).includes(v);
}

/**
 * Endpoints for an environment. `appOrigin` is where this app runs (e.g. http://127.0.0.1:5173);
 * the simulator lives at `${appOrigin}/sim`.
 * @see https://developers.pandadoc.com/reference/authentication-process
 */
export function environmentInfo(id: EnvironmentId, appOrigin: string): EnvironmentInfo {
  switch (id) {
    case 'simulator': {
      const base = `${appOrigin.replace(/\/+$/, '')}/sim`;
      return {
        id,
        label: 'Simulator (offline)',
        authorizeEndpoint: `${base}${PANDADOC_PATHS.authorize}`,
        tokenEndpoint: `${base}${PANDADOC_PATHS.token}`,
        apiBase: base,
        description:
          'A built-in imitation of PandaDoc that runs inside this app. No account or network needed; ' +
          'it behaves like the real service, including its error bodies and quirks.',
      };
    }
    case 'us':
      return {
        id,
        label: 'PandaDoc US',
        authorizeEndpoint: `${PANDADOC_HOSTS.us.app}${PANDADOC_PATHS.authorize}`,
        tokenEndpoint: `${PANDADOC_HOSTS.us.api}${PANDADOC_PATHS.token}`,
        apiBase: PANDADOC_HOSTS.us.api,
        description:
          'The real PandaDoc service, US region (the default). Use the client ID and secret of an ' +
          'app created in your PandaDoc developer dashboard.',
      };
    case 'eu':
      return {
        id,
        label: 'PandaDoc EU',
        authorizeEndpoint: `${PANDADOC_HOSTS.eu.app}${PANDADOC_PATHS.authorize}`,
        tokenEndpoint: `${PANDADOC_HOSTS.eu.api}${PANDADOC_PATHS.token}`,
        apiBase: PANDADOC_HOSTS.eu.api,
        description:
          'The real PandaDoc service, EU region. Accounts and apps live in one region only, so ' +
          'US credentials will not work here.',
      };
  }
}
