// The messages between the extension host and the heap inspector webview: one union per
// direction, JSON only. The webview sends `ready` first; the host answers with a snapshot and
// then sends updates that carry only what changed.

import type { HeapSnapshot, HeapUpdate, PageDetails, TouchedRegion } from './heapSnapshot';

/** Host → webview. */
export type ToWebview =
  /** The whole heap (after `ready`, a reset, a version change, or a `resync`). */
  | { readonly type: 'snapshot'; readonly heap: HeapSnapshot }
  /** What changed since the snapshot or update with seq `update.fromSeq`. */
  | { readonly type: 'update'; readonly update: HeapUpdate }
  /** The answer to `inspectPage`. */
  | { readonly type: 'pageDetails'; readonly details: PageDetails }
  /** Regions the current step touched (a debug session's step), highlighted until the next. */
  | { readonly type: 'highlight'; readonly touched: TouchedRegion[] }
  /** A line to show in the webview's status line. */
  | { readonly type: 'notice'; readonly level: 'info' | 'error'; readonly text: string };

/** Webview → host. */
export type FromWebview =
  /** The webview's script runs and can receive messages. */
  | { readonly type: 'ready' }
  /** The webview's state is not at `seq` (it missed an update): send a snapshot. */
  | { readonly type: 'resync'; readonly seq: number }
  /** A page was clicked: send its details. */
  | { readonly type: 'inspectPage'; readonly chunk: number; readonly page: number }
  /** "Show in zend_alloc.c" for the allocator path of the run this page is in. */
  | { readonly type: 'showInSource'; readonly chunk: number; readonly page: number }
  /** "Show in zend_alloc.c" for the huge-block path. */
  | { readonly type: 'showHugeInSource' }
  /** Save the map the webview drew, as SVG text or a PNG data URL. */
  | { readonly type: 'exportMap'; readonly format: 'svg' | 'png'; readonly data: string };
