// The panels beside the map: counters, the legend, the bins table, huge blocks, 5.x segments
// and the details of the clicked page.

import type { BinRow, CountersView, HugeView, PageDetails, SegmentView } from '../../src/protocol/heapSnapshot';
import { binColour } from './colours';
import { bytes, h } from './dom';

/** Counters as a definition list, updated in place. */
export class CountersPanel {
  readonly el = h('dl', 'counters');
  private readonly values = new Map<string, HTMLElement>();

  constructor() {
    for (const [key, label] of [
      ['version', 'PHP'],
      ['size', 'size'],
      ['peak', 'peak'],
      ['realSize', 'real_size'],
      ['realPeak', 'real_peak'],
      ['chunks', 'chunks'],
      ['cached', 'cached'],
      ['limit', 'limit'],
      ['seq', 'operations'],
    ]) {
      const dd = h('dd');
      dd.dataset.counter = key;
      this.values.set(key, dd);
      this.el.append(h('dt', undefined, label), dd);
    }
  }

  update(c: CountersView, version: string, family: 'zend7' | 'zend5', seq: number): void {
    const set = (k: string, v: string): void => {
      (this.values.get(k) as HTMLElement).textContent = v;
    };
    set('version', version);
    set('size', bytes(c.size));
    set('peak', bytes(c.peak));
    set('realSize', bytes(c.realSize));
    set('realPeak', bytes(c.realPeak));
    set('chunks', String(c.chunks) + (family === 'zend5' ? ' segments' : ''));
    set('cached', family === 'zend5' ? `${bytes(c.cached)} bytes` : String(c.cached));
    set('limit', c.limit === '9223372036854775807' ? 'none' : bytes(c.limit));
    set('seq', String(seq));
  }
}

/** The legend of the map's colours. */
export function legend(): HTMLElement {
  const el = h('ul', 'legend');
  el.setAttribute('aria-label', 'legend');
  const item = (cls: string, text: string, colour?: string): void => {
    const li = h('li');
    const sw = h('span', `swatch ${cls}`);
    if (colour) sw.style.background = colour;
    li.append(sw, h('span', undefined, text));
    el.appendChild(li);
  };
  item('header', 'chunk header (page 0)');
  item('free', 'free page');
  item('large', 'large run (merged pages)');
  item('small', 'small run: colour = bin, fill = used slots', `linear-gradient(to right, ${[0, 5, 10, 15, 20, 25].map(binColour).join(', ')})`);
  item('huge', 'huge block');
  item('touched', 'touched by the current step');
  return el;
}

/** The 30 bins: slot size, runs, live and free slots, free-list order. */
export class BinsTable {
  readonly el = h('table', 'bins');
  private readonly body = h('tbody');
  private readonly rows: HTMLTableRowElement[] = [];

  constructor() {
    const head = h('thead');
    const tr = h('tr');
    for (const t of ['bin', 'slot', 'runs', 'live', 'free', 'free list (next first)']) tr.appendChild(h('th', undefined, t));
    head.appendChild(tr);
    this.el.append(head, this.body);
  }

  /** Replaces the rows given (all of them on a snapshot). */
  update(rows: readonly BinRow[], all: boolean): void {
    if (all) {
      this.body.replaceChildren();
      this.rows.length = 0;
    }
    for (const r of rows) {
      let tr = this.rows[r.bin];
      if (tr === undefined) {
        tr = h('tr');
        tr.dataset.bin = String(r.bin);
        this.rows[r.bin] = tr;
        this.body.appendChild(tr);
      }
      const sw = h('span', 'swatch');
      sw.style.background = binColour(r.bin);
      const binCell = h('td');
      binCell.append(sw, document.createTextNode(String(r.bin)));
      const list = r.freeList.join(' → ') + (r.free > r.freeList.length ? ` … (+${r.free - r.freeList.length})` : '');
      tr.replaceChildren(binCell, h('td', 'num', String(r.slotSize)), h('td', 'num', String(r.runs)), h('td', 'num', String(r.live)), h('td', 'num', String(r.free)), h('td', 'free-list', list));
      tr.classList.toggle('empty', r.runs === 0);
    }
  }
}

/** Huge blocks as a list; clicking one shows its details. */
export class HugeList {
  readonly el = h('ul', 'huge-list');

  constructor(private readonly onPick: (b: HugeView) => void) {}

  update(blocks: readonly HugeView[]): void {
    this.el.replaceChildren();
    if (blocks.length === 0) this.el.appendChild(h('li', 'none', 'no huge blocks'));
    for (const b of blocks) {
      const li = h('li');
      const btn = h('button', 'huge', `huge #${b.huge}: ${bytes(b.size)} bytes${b.owners.length ? ` — ${b.owners.join(', ')}` : ''}`);
      btn.dataset.huge = String(b.huge);
      btn.addEventListener('click', () => this.onPick(b));
      li.appendChild(btn);
      this.el.appendChild(li);
    }
  }
}

/** PHP 5.x segments: one bar per segment, blocks as proportional boxes. */
export function renderSegments(into: HTMLElement, segments: readonly SegmentView[]): void {
  into.replaceChildren();
  for (const s of segments) {
    const sec = h('section', 'segment');
    sec.dataset.segment = String(s.segment);
    sec.appendChild(h('h3', 'chunk-caption', `segment ${s.segment} — ${bytes(s.size)} bytes`));
    const bar = h('div', 'segment-bar');
    for (const b of s.blocks) {
      const box = h('div', `block ${b.kind}`);
      box.style.flexGrow = String(Math.max(1, b.size));
      box.title = `+0x${b.offset.toString(16)}: ${b.kind}, ${bytes(b.size)} bytes${b.owners.length ? ` (${b.owners.join(', ')})` : ''}`;
      bar.appendChild(box);
    }
    sec.appendChild(bar);
    into.appendChild(sec);
  }
}

/** The details panel of the clicked page or huge block. */
export class DetailsPanel {
  readonly el = h('section', 'details');

  constructor(private readonly onShowSource: () => void) {
    this.clear();
  }

  clear(): void {
    this.el.replaceChildren(h('p', 'hint', 'Click a page (or press Enter on it) to see its run, slots and owners.'));
  }

  showPage(d: PageDetails): void {
    const parts: HTMLElement[] = [h('h3', 'details-title', d.title)];
    if (d.owners.length > 0) parts.push(h('p', 'owners', `held by: ${d.owners.join(', ')}`));
    if (d.slots.length > 0) {
      const grid = h('div', 'slots');
      grid.setAttribute('aria-label', 'slots of the run');
      for (const s of d.slots) {
        const el = h('span', `slot ${s.used ? 'used' : 'free'}`, s.owners.join(','));
        el.title = `slot ${s.index} at +0x${s.offset.toString(16)}: ${s.used ? 'used' : 'free'}${s.owners.length ? ` (${s.owners.join(', ')})` : ''}`;
        grid.appendChild(el);
      }
      parts.push(grid);
    }
    if (d.allocator !== null) parts.push(this.sourceButton(d.allocator));
    this.el.replaceChildren(...parts);
  }

  showHuge(b: HugeView): void {
    const parts: HTMLElement[] = [h('h3', 'details-title', `huge #${b.huge}: ${bytes(b.size)} bytes, a mapping of its own`)];
    if (b.owners.length > 0) parts.push(h('p', 'owners', `held by: ${b.owners.join(', ')}`));
    parts.push(this.sourceButton('zend_mm_alloc_huge'));
    this.el.replaceChildren(...parts);
  }

  private sourceButton(func: string): HTMLElement {
    const btn = h('button', 'show-source', `Show ${func} in zend_alloc.c`);
    btn.addEventListener('click', () => this.onShowSource());
    return btn;
  }
}
