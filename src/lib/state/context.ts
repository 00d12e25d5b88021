import { getContext, setContext } from 'svelte';
import type { DebuggerState } from '../debugger.svelte.ts';

const KEY = Symbol('DebuggerState');

/** Hands the app's state to every component below (App.svelte does this once). */
export function setDebuggerState(state: DebuggerState): DebuggerState {
  return setContext(KEY, state);
}

/** The app's state; throws a message that says what is missing when no provider is above. */
export function getDebuggerState(): DebuggerState {
  const state = getContext<DebuggerState | undefined>(KEY);
  if (!state) {
    throw new Error(
      'getDebuggerState() found no state: render this component inside <App>, or in a test call ' +
        'setDebuggerState(new DebuggerState()) in a wrapper component first.',
    );
  }
  return state;
}
