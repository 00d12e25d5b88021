/**
 * Renders only the rows in sight of a scrolling box, with their real (measured) heights: a thin
 * runes wrapper over @tanstack/virtual-core, the framework-free engine of TanStack Virtual.
 *
 * Why not @tanstack/svelte-virtual: it hands the virtualizer out as a Svelte store and, under Svelte
 * 5 runes, needs a manual `_willUpdate()` to notice its scroll element (TanStack/virtual#866, open).
 * The core needs only what Svelte 5 already has: state for the visible items, an effect to mount.
 */
import {
  Virtualizer,
  elementScroll,
  measureElement,
  observeElementOffset,
  observeElementRect,
  type VirtualItem,
} from '@tanstack/virtual-core';

export interface VirtualRowsOptions {
  count: number;
  /** A key per index: a measured height is kept by key. */
  key: (index: number) => string | number;
  /** A first guess of a row's height, in pixels, until it is measured. */
  estimate: number;
  /** Pixels above the first row inside the scrolling box (a table's header). */
  offset: number;
}

export class VirtualRows {
  items = $state.raw<VirtualItem[]>([]);
  /** Height of the space above the first rendered row and below the last one. */
  before = $state(0);
  after = $state(0);
  /** Height of all rows (measured or estimated). */
  height = $state(0);
  readonly #v: Virtualizer<HTMLElement, HTMLElement>;

  constructor(options: () => VirtualRowsOptions, scroller: () => HTMLElement | undefined) {
    const build = () => {
      const o = options();
      return {
        count: o.count,
        getItemKey: o.key,
        estimateSize: () => o.estimate,
        scrollMargin: o.offset,
        overscan: 4,
        getScrollElement: () => scroller() ?? null,
        scrollToFn: elementScroll,
        observeElementRect,
        observeElementOffset,
        measureElement,
        onChange: () => this.#read(),
      };
    };
    this.#v = new Virtualizer<HTMLElement, HTMLElement>(build());
    $effect(() => this.#v._didMount());
    $effect(() => {
      scroller(); // a new box (the list was empty, now it is not) is picked up here
      this.#v.setOptions(build());
      this.#v._willUpdate();
      this.#read();
    });
  }

  #read(): void {
    const v = this.#v;
    const items = v.getVirtualItems();
    const margin = v.options.scrollMargin;
    this.items = items;
    this.before = items.length ? (items[0]?.start ?? margin) - margin : 0;
    this.height = v.getTotalSize();
    this.after = items.length ? this.height - ((items.at(-1)?.end ?? margin) - margin) : 0;
  }

  /** A Svelte action for each rendered row (it needs `data-index`): measures its height. */
  measure = (node: HTMLElement): void => {
    this.#v.measureElement(node);
  };

  scrollToIndex(index: number, align: 'start' | 'end' | 'auto' = 'auto'): void {
    this.#v.scrollToIndex(index, { align });
  }
}
