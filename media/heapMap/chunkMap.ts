// The chunk map: one strip per chunk, 512 page cells in 8 rows of 64. A strip's cells are made
// when it comes near the viewport (the first strips at once), so a heap of hundreds of chunks
// opens quickly; cells are updated in place when an update changes them. Hover says what a
// cell is, click or Enter inspects it, arrow keys move between cells (one tab stop).

import type { ChunkView, HeapSnapshot, PageCell, TouchedRegion } from '../../src/protocol/heapSnapshot';
import { PAGES_PER_CHUNK } from '../../src/protocol/heapSnapshot';
import { describeCell, smallBackground } from './colours';

/** Cells per row of a strip. */
export const COLUMNS = 64;

interface Strip {
  readonly el: HTMLElement;
  readonly grid: HTMLElement;
  /** Empty until the strip is made (materialize). */
  cells: HTMLElement[];
  readonly caption: HTMLElement;
}

/** Strips made at once on a full render (enough to fill a tall window). */
const EAGER_STRIPS = 8;

/** What the map tells its owner. */
export interface ChunkMapEvents {
  hover(text: string): void;
  inspect(chunk: number, page: number): void;
}

/** True when page `p` and `p + 1` belong to the same large or small run. */
function joined(a: PageCell, b: PageCell | undefined): boolean {
  if (b === undefined) return false;
  if (a.kind === 'large' && b.kind === 'large') return a.first === b.first;
  if (a.kind === 'small' && b.kind === 'small') return a.first === b.first;
  return false;
}

/** The chunk strips of a heap. */
export class ChunkMap {
  readonly el: HTMLElement;
  private readonly strips = new Map<number, Strip>();
  private chunks = new Map<number, ChunkView>();
  /** The cell that holds the tab stop: [chunk, page]. */
  private focus: [number, number] = [0, 0];
  private touched: HTMLElement[] = [];
  private readonly observer: IntersectionObserver | null;

  constructor(private readonly events: ChunkMapEvents) {
    this.observer =
      typeof IntersectionObserver === 'undefined'
        ? null
        : new IntersectionObserver((entries) => this.onVisible(entries), { rootMargin: '600px 0px' });
    this.el = document.createElement('div');
    this.el.className = 'chunk-map';
    this.el.setAttribute('aria-label', 'chunks and their pages');
    this.el.addEventListener('mouseover', (e) => this.onHover(e));
    this.el.addEventListener('click', (e) => this.onClick(e));
    this.el.addEventListener('keydown', (e) => this.onKey(e));
    this.el.addEventListener('focusin', (e) => this.onFocus(e));
  }

  /** Draws every chunk of `heap` anew. */
  render(heap: HeapSnapshot): void {
    this.observer?.disconnect();
    this.strips.clear();
    this.touched = [];
    this.chunks = new Map(heap.chunks.map((c) => [c.num, c]));
    const frag = document.createDocumentFragment();
    heap.chunks.forEach((c, i) => {
      const strip = this.makeStrip(c);
      this.strips.set(c.num, strip);
      frag.appendChild(strip.el);
      if (i < EAGER_STRIPS || this.observer === null) this.materialize(c.num);
      else this.observer.observe(strip.el);
    });
    this.el.replaceChildren(frag);
    if (!this.chunks.has(this.focus[0])) this.focus = [heap.chunks[0]?.num ?? 0, 0];
    this.setTabStop(this.focus[0], this.focus[1], false);
  }

  /** Redraws the given pages of chunks that are drawn (the model is `heap`). */
  updatePages(heap: HeapSnapshot, pages: readonly { chunk: number; page: number }[]): void {
    this.chunks = new Map(heap.chunks.map((c) => [c.num, c]));
    const touched = new Set<number>();
    for (const { chunk, page } of pages) {
      const c = this.chunks.get(chunk);
      const strip = this.strips.get(chunk);
      if (c === undefined || strip === undefined) continue;
      touched.add(chunk);
      if (strip.cells.length === 0) continue; // painted from the model when it is made
      this.paint(strip.cells[page], c, page);
      if (page > 0) this.paint(strip.cells[page - 1], c, page - 1);
    }
    for (const num of touched) {
      const strip = this.strips.get(num) as Strip;
      strip.caption.textContent = this.captionOf(this.chunks.get(num) as ChunkView);
    }
  }

  /** Marks the cells a step touched (until the next highlight). */
  highlight(touched: readonly TouchedRegion[]): void {
    for (const el of this.touched) el.classList.remove('touched');
    this.touched = [];
    for (const t of touched) {
      if (t.kind === 'page') {
        const strip = this.materialize(t.chunk);
        for (let p = t.page; strip !== undefined && p < t.page + Math.max(1, t.pages) && p < PAGES_PER_CHUNK; p++) this.touched.push(strip.cells[p]);
      } else if (t.kind === 'chunk') {
        const strip = this.strips.get(t.chunk);
        if (strip !== undefined) this.touched.push(strip.el);
      }
    }
    for (const el of this.touched) el.classList.add('touched');
  }

  /** The cell element of a page, making its strip if needed. */
  cell(chunk: number, page: number): HTMLElement | undefined {
    return this.materialize(chunk)?.cells[page];
  }

  /** Makes the cells of a strip (once); returns the strip. */
  private materialize(num: number): Strip | undefined {
    const strip = this.strips.get(num);
    const c = this.chunks.get(num);
    if (strip === undefined || c === undefined || strip.cells.length > 0) return strip;
    const cells: HTMLElement[] = new Array(PAGES_PER_CHUNK);
    const frag = document.createDocumentFragment();
    for (let p = 0; p < PAGES_PER_CHUNK; p++) {
      const cell = document.createElement('div');
      cell.dataset.page = String(p);
      cell.setAttribute('role', 'option');
      cell.tabIndex = p === this.focus[1] && num === this.focus[0] ? 0 : -1;
      this.paint(cell, c, p);
      cells[p] = cell;
      frag.appendChild(cell);
    }
    strip.cells = cells;
    strip.grid.appendChild(frag);
    strip.el.classList.add('made');
    this.observer?.unobserve(strip.el);
    return strip;
  }

  private onVisible(entries: IntersectionObserverEntry[]): void {
    for (const e of entries) {
      if (e.isIntersecting) this.materialize(Number((e.target as HTMLElement).dataset.chunk));
    }
  }

  private captionOf(c: ChunkView): string {
    return `chunk ${c.num} — ${c.freePages} free page${c.freePages === 1 ? '' : 's'}`;
  }

  private makeStrip(c: ChunkView): Strip {
    const el = document.createElement('section');
    el.className = 'chunk';
    el.dataset.chunk = String(c.num);
    const caption = document.createElement('h3');
    caption.className = 'chunk-caption';
    caption.textContent = this.captionOf(c);
    const grid = document.createElement('div');
    grid.className = 'pages';
    grid.setAttribute('role', 'listbox');
    grid.setAttribute('aria-label', `pages of chunk ${c.num}`);
    el.append(caption, grid);
    return { el, grid, cells: [], caption };
  }

  /** Sets a cell's class and colour from the model. */
  private paint(el: HTMLElement, c: ChunkView, page: number): void {
    const cell = c.pages[page];
    let cls = `cell ${cell.kind}`;
    if (joined(cell, c.pages[page + 1]) && (page + 1) % COLUMNS !== 0) cls += ' joined';
    if (cell.kind === 'small' || cell.kind === 'large') {
      if (cell.first === page) cls += ' run-start';
    }
    if (el.classList.contains('touched')) cls += ' touched';
    el.className = cls;
    if (cell.kind === 'small') {
      el.dataset.bin = String(cell.bin);
      el.style.background = smallBackground(cell);
    } else {
      delete el.dataset.bin;
      el.style.background = '';
    }
  }

  private target(e: Event): { chunk: number; page: number; el: HTMLElement } | undefined {
    const el = (e.target as HTMLElement).closest<HTMLElement>('.cell');
    const strip = el?.closest<HTMLElement>('.chunk');
    if (!el || !strip) return undefined;
    return { chunk: Number(strip.dataset.chunk), page: Number(el.dataset.page), el };
  }

  private onHover(e: MouseEvent): void {
    const t = this.target(e);
    const c = t && this.chunks.get(t.chunk);
    if (t && c) this.events.hover(describeCell(t.chunk, t.page, c.pages[t.page]));
  }

  private onClick(e: MouseEvent): void {
    const t = this.target(e);
    if (!t) return;
    this.setTabStop(t.chunk, t.page, true);
    this.events.inspect(t.chunk, t.page);
  }

  private onFocus(e: FocusEvent): void {
    const t = this.target(e);
    const c = t && this.chunks.get(t.chunk);
    if (t && c) {
      t.el.setAttribute('aria-label', describeCell(t.chunk, t.page, c.pages[t.page]));
      this.events.hover(describeCell(t.chunk, t.page, c.pages[t.page]));
    }
  }

  private onKey(e: KeyboardEvent): void {
    const t = this.target(e);
    if (!t) return;
    const nums = [...this.strips.keys()];
    const ci = nums.indexOf(t.chunk);
    let chunk = t.chunk;
    let page = t.page;
    switch (e.key) {
      case 'ArrowRight':
        page = Math.min(PAGES_PER_CHUNK - 1, page + 1);
        break;
      case 'ArrowLeft':
        page = Math.max(0, page - 1);
        break;
      case 'ArrowDown':
        if (page + COLUMNS < PAGES_PER_CHUNK) page += COLUMNS;
        else if (ci + 1 < nums.length) [chunk, page] = [nums[ci + 1], page % COLUMNS];
        break;
      case 'ArrowUp':
        if (page - COLUMNS >= 0) page -= COLUMNS;
        else if (ci > 0) [chunk, page] = [nums[ci - 1], PAGES_PER_CHUNK - COLUMNS + page];
        break;
      case 'PageDown':
        if (ci + 1 < nums.length) chunk = nums[ci + 1];
        break;
      case 'PageUp':
        if (ci > 0) chunk = nums[ci - 1];
        break;
      case 'Home':
        page = 0;
        break;
      case 'End':
        page = PAGES_PER_CHUNK - 1;
        break;
      case 'Enter':
      case ' ':
        this.events.inspect(chunk, page);
        e.preventDefault();
        return;
      default:
        return;
    }
    e.preventDefault();
    this.setTabStop(chunk, page, true);
  }

  /** Moves the single tab stop to a cell, and focuses it when asked. */
  private setTabStop(chunk: number, page: number, focus: boolean): void {
    const old = this.strips.get(this.focus[0])?.cells[this.focus[1]];
    if (old) {
      old.tabIndex = -1;
      old.removeAttribute('aria-selected');
    }
    const el = this.materialize(chunk)?.cells[page];
    if (!el) return;
    this.focus = [chunk, page];
    el.tabIndex = 0;
    el.setAttribute('aria-selected', 'true');
    if (focus) {
      el.focus();
      el.scrollIntoView({ block: 'nearest' });
    }
  }
}
