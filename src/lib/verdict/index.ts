export { classifyCall, type CallKind, type GrantEffect, type Verdict } from './classify.ts';
