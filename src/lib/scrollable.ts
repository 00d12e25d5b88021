/**
 * A Svelte action for boxes that scroll (wide tables, long bodies, the flow diagram on a phone):
 * while the content overflows, the box is in the tab order so a keyboard can scroll it
 * (WCAG 2.1.1); when everything fits, it is not, and adds no empty tab stop.
 *
 * Measuring the box makes the browser lay the page out, so after the first measure it is done at
 * most once per frame, however many changes came: a live table taking hundreds of rows a second
 * would otherwise lay itself out once per row (Traffic froze for seconds under load).
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
  let frame = 0;
  const schedule = () => {
    frame ||= requestAnimationFrame(() => {
      frame = 0;
      update();
    });
  };
  const resized = new ResizeObserver(schedule);
  resized.observe(node);
  if (node.firstElementChild) resized.observe(node.firstElementChild);
  const changed = new MutationObserver(schedule);
  changed.observe(node, { childList: true, subtree: true, characterData: true });
  return {
    destroy() {
      resized.disconnect();
      changed.disconnect();
      if (frame) cancelAnimationFrame(frame);
    },
  };
}
