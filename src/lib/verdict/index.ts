export { classifyCall, type CallKind, type GrantEffect, type Verdict } from './classify.ts';
export { judge, type Judged } from './judge.ts';
