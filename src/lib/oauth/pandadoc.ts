/**
 * PandaDoc facts that the UI, the local server and the simulator all rely on, defined once.
 * Gathered in docs/pandadoc-oauth.md; the links below are PandaDoc's own.
 */

/**
 * The real service's hosts: `app` serves the consent screen, `api` the token endpoint and the API.
 * @see https://developers.pandadoc.com/reference/authentication-process
 */
export const PANDADOC_HOSTS = Object.freeze({
  us: Object.freeze({ app: 'https://app.pandadoc.com', api: 'https://api.pandadoc.com' }),
  eu: Object.freeze({ app: 'https://app.pandadoc.eu', api: 'https://api.pandadoc.eu' }),
});

/** The paths this app uses, the same on every host and on the simulator. */
export const PANDADOC_PATHS = Object.freeze({
  authorize: '/oauth2/authorize',
  token: '/oauth2/access_token',
  currentMember: '/public/v1/members/current',
});

/**
 * The `expires_in` PandaDoc answers for a new access token: 365 days less the second that has
 * begun ticking ("31535999 seconds = 1 year").
 * @see https://developers.pandadoc.com/reference/access-token
 */
export const ACCESS_TOKEN_EXPIRES_IN = 31535999;

/** An authorization code is good for 10 minutes (django-oauth2-provider's default). */
export const CODE_LIFETIME_MS = 10 * 60 * 1000;
