// @vitest-environment happy-dom
import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import CodeStep from '../../steps/CodeStep.svelte';

describe('getDebuggerState', () => {
  it('a step rendered without the app state above it says what is missing', () => {
    expect(() => render(CodeStep)).toThrow(
      /getDebuggerState\(\) found no state: render this component inside <App>/,
    );
  });
});
