// The heap inspector's browser side: lays out the map and panels, says `ready`, then keeps its
// model in step with the host's snapshot and updates, redrawing only what changed.

import { applyHeapUpdate, UpdateOutOfOrder } from '../../src/protocol/applyHeapUpdate';
import type { HeapSnapshot, HeapUpdate } from '../../src/protocol/heapSnapshot';
import { validateToWebview } from '../../src/protocol/validateToWebview';
import type { FromWebview, ToWebview } from '../../src/protocol/webviewMessages';
import { ChunkMap } from './chunkMap';
import { h } from './dom';
import { mapToPng, mapToSvg } from './exportMap';
import { BinsTable, CountersPanel, DetailsPanel, HugeList, legend, renderSegments } from './panels';
import { Timeline } from './timeline';

interface VsCodeApi {
  postMessage(msg: FromWebview): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const post = (m: FromWebview): void => vscode.postMessage(m);

let heap: HeapSnapshot | null = null;
/** What the details panel shows, so "Show in zend_alloc.c" knows what to ask for. */
let selected: { kind: 'page'; chunk: number; page: number } | { kind: 'huge' } | null = null;

const status = h('p', 'status', 'waiting for the heap…');
status.setAttribute('role', 'status');
const hover = h('p', 'hover', ' ');
hover.setAttribute('aria-live', 'polite');
const map = new ChunkMap({
  hover: (text) => (hover.textContent = text),
  inspect: (chunk, page) => {
    selected = { kind: 'page', chunk, page };
    post({ type: 'inspectPage', chunk, page });
  },
});
const segments = h('div', 'segments');
const counters = new CountersPanel();
const bins = new BinsTable();
const details = new DetailsPanel(() => {
  if (selected?.kind === 'page') post({ type: 'showInSource', chunk: selected.chunk, page: selected.page });
  else if (selected?.kind === 'huge') post({ type: 'showHugeInSource' });
});
const huge = new HugeList((b) => {
  selected = { kind: 'huge' };
  details.showHuge(b);
});
const timeline = new Timeline();

function exportButton(format: 'svg' | 'png'): HTMLButtonElement {
  const b = h('button', `export-${format}`, `Export ${format.toUpperCase()}`);
  b.addEventListener('click', () => {
    if (heap === null) return;
    try {
      post({ type: 'exportMap', format, data: format === 'svg' ? mapToSvg(heap) : mapToPng(heap) });
    } catch (e) {
      status.textContent = `export failed: ${(e as Error).message}`;
      status.classList.add('error');
    }
  });
  return b;
}

function layout(): void {
  const app = document.getElementById('app') as HTMLElement;
  const toolbar = h('div', 'toolbar');
  toolbar.append(exportButton('svg'), exportButton('png'), status);
  const left = h('div', 'map-column');
  left.append(hover, map.el, segments);
  const side = h('aside', 'side');
  side.append(h('h2', undefined, 'Counters'), counters.el, h('h2', undefined, 'Legend'), legend(), h('h2', undefined, 'Details'), details.el, h('h2', undefined, 'Huge blocks'), huge.el, h('h2', undefined, 'Bins'), bins.el);
  const body = h('div', 'columns');
  body.append(left, side);
  app.append(toolbar, timeline.el, body);
}

function showAll(next: HeapSnapshot): void {
  heap = next;
  map.render(next);
  map.el.hidden = next.family !== 'zend7';
  segments.hidden = next.family !== 'zend5';
  renderSegments(segments, next.segments);
  counters.update(next.counters, next.version, next.family, next.seq);
  bins.update(next.bins, true);
  huge.update(next.huge);
  timeline.draw(next.timeline);
  details.clear();
  selected = null;
  status.textContent = next.halted ?? `PHP ${next.version}`;
}

function applyUpdate(u: HeapUpdate): void {
  if (heap === null) return;
  let applied;
  try {
    applied = applyHeapUpdate(heap, u);
  } catch (e) {
    if (e instanceof UpdateOutOfOrder) {
      post({ type: 'resync', seq: heap.seq });
      return;
    }
    throw e;
  }
  heap = applied.heap;
  if (applied.chunksChanged) map.render(heap);
  else map.updatePages(heap, u.pages);
  if (u.segments !== null) renderSegments(segments, heap.segments);
  counters.update(heap.counters, heap.version, heap.family, heap.seq);
  bins.update(u.bins, false);
  if (u.huge !== null) huge.update(heap.huge);
  if (u.timelineAppended.length > 0) timeline.draw(heap.timeline);
  status.textContent = heap.halted ?? `PHP ${heap.version}`;
}

function handle(msg: ToWebview): void {
  switch (msg.type) {
    case 'snapshot':
      showAll(msg.heap);
      return;
    case 'update':
      applyUpdate(msg.update);
      return;
    case 'pageDetails':
      details.showPage(msg.details);
      return;
    case 'highlight':
      map.highlight(msg.touched);
      return;
    case 'notice':
      status.textContent = msg.text;
      status.classList.toggle('error', msg.level === 'error');
      return;
    default: {
      const unreachable: never = msg;
      throw new Error(`unhandled message ${JSON.stringify(unreachable)}`);
    }
  }
}

window.addEventListener('message', (e: MessageEvent) => {
  const v = validateToWebview(e.data);
  if (!v.ok) {
    status.textContent = `ignored a message: ${v.error}`;
    return;
  }
  const t0 = performance.now();
  handle(v.msg);
  // the time to apply the message and lay the page out, for the benchmark and tests
  void document.body.offsetHeight;
  document.body.dataset.lastRenderMs = (performance.now() - t0).toFixed(3);
  document.body.dataset.seq = String(heap?.seq ?? '');
});

layout();
post({ type: 'ready' });
