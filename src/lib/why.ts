/** "What is happening and why", per step, with the PandaDoc doc and RFC section behind it. */

export interface Why {
  text: string;
  links: Array<{ label: string; href: string }>;
}

const PANDADOC_AUTH = 'https://developers.pandadoc.com/reference/authentication-process';
const PANDADOC_TOKEN = 'https://developers.pandadoc.com/reference/access-token';
const RFC = (section: string) => `https://www.rfc-editor.org/rfc/rfc6749#section-${section}`;

export const WHY: Record<string, Why> = {
  profile: {
    text: 'An OAuth client is identified by its client_id and proves who it is with its client_secret. PandaDoc gives you both when you create an OAuth app, together with the one redirect URI it will send users back to. US and EU accounts live on separate hosts.',
    links: [
      { label: 'PandaDoc: authentication', href: PANDADOC_AUTH },
      { label: 'RFC 6749 §2: client registration', href: RFC('2') },
    ],
  },
  authorize: {
    text: 'The user, not your server, must agree to give your app access. So the browser goes to PandaDoc, the user signs in and clicks Authorize, and PandaDoc decides whether to hand out a code. state ties the answer to this request, so a forged or stale redirect is caught.',
    links: [
      { label: 'PandaDoc: authorize a user', href: PANDADOC_AUTH },
      { label: 'RFC 6749 §4.1.1: authorization request', href: RFC('4.1.1') },
      { label: 'RFC 6749 §10.12: CSRF and state', href: RFC('10.12') },
      { label: 'RFC 7636: PKCE', href: 'https://www.rfc-editor.org/rfc/rfc7636' },
    ],
  },
  code: {
    text: 'The code arrives in the browser’s address bar, where history, extensions and Referer headers can see it. It is therefore short-lived (10 minutes at PandaDoc), single-use, and worthless without the client secret. Checking state first makes sure it answers the request this browser made.',
    links: [
      { label: 'RFC 6749 §4.1.2: authorization response', href: RFC('4.1.2') },
      { label: 'RFC 6749 §4.1.2.1: error response', href: RFC('4.1.2.1') },
    ],
  },
  exchange: {
    text: 'Your server, which holds the client secret, trades the code for tokens in a direct call the browser never sees. PandaDoc wants a form body (application/x-www-form-urlencoded) and answers every error with HTTP 400.',
    links: [
      { label: 'PandaDoc: create access token', href: PANDADOC_TOKEN },
      { label: 'RFC 6749 §4.1.3: token request', href: RFC('4.1.3') },
      { label: 'RFC 6749 §5.2: error response', href: RFC('5.2') },
    ],
  },
  tokens: {
    text: 'The access token is what API calls carry; the refresh token gets a new pair later without asking the user again. Treat both like passwords: anyone holding them acts as the user.',
    links: [
      { label: 'PandaDoc: access token', href: PANDADOC_TOKEN },
      { label: 'RFC 6749 §5.1: successful response', href: RFC('5.1') },
    ],
  },
  use: {
    text: 'Every API call carries Authorization: Bearer <access_token>. members/current is the cheapest call that proves a token works and tells whose it is.',
    links: [
      {
        label: 'PandaDoc: current member',
        href: 'https://developers.pandadoc.com/reference/detailscurrentmember',
      },
      {
        label: 'RFC 6750 §2.1: Bearer header',
        href: 'https://www.rfc-editor.org/rfc/rfc6750#section-2.1',
      },
    ],
  },
  refresh: {
    text: 'Access tokens expire; the refresh token gets a new pair without the user. PandaDoc rotates: the old refresh token dies the moment it is used, so only one worker may refresh at a time, and the new pair must be saved before anything else.',
    links: [
      {
        label: 'PandaDoc: refresh access token',
        href: 'https://developers.pandadoc.com/reference/refresh-access-token',
      },
      { label: 'RFC 6749 §6: refreshing', href: RFC('6') },
      {
        label: 'RFC 9700 §4.14: refresh token rotation',
        href: 'https://www.rfc-editor.org/rfc/rfc9700#section-4.14',
      },
    ],
  },
};
