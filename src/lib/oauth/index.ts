/** The pure PandaDoc OAuth protocol library: no DOM, no storage; runs in the browser and in Node. */
export * from './environments.ts';
export * from './pkce.ts';
export * from './authorizeUrl.ts';
export * from './callbackInput.ts';
export * from './callback.ts';
export * from './tokenRequest.ts';
export * from './tokenResponse.ts';
export * from './scope.ts';
export * from './member.ts';
export * from './guards.ts';
