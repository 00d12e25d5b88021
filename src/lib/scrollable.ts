/**
 * A Svelte action for boxes that scroll (wide tables, long bodies, the flow diagram on a phone):
 * while the content overflows, the box is in the tab order so a keyboard can scroll it
 * (WCAG 2.1.1); when everything fits, it is not, and adds no empty tab stop.
 */
export function scrollable(node: HTMLElement): { destroy(): void } {
  const update = () => {
    const overflows =
      node.scrollWidth > node.clientWidth + 1 || node.scrollHeight > node.clientHeight + 1;
    if (overflows) node.tabIndex = 0;
    else node.removeAttribute('tabindex');
  };
  update();
  if (typeof ResizeObserver === 'undefined') return { destroy() {} };
  const resized = new ResizeObserver(update);
  resized.observe(node);
  if (node.firstElementChild) resized.observe(node.firstElementChild);
  const changed = new MutationObserver(update);
  changed.observe(node, { childList: true, subtree: true, characterData: true });
  return {
    destroy() {
      resized.disconnect();
      changed.disconnect();
    },
  };
}
