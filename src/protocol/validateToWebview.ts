// Checks a message that arrived in the webview: only the ToWebview shapes are accepted, with
// the fields each one needs to be drawn; anything else is dropped with the reason.

import { PAGES_PER_CHUNK } from './heapSnapshot';
import type { ToWebview } from './webviewMessages';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNat = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function checkCell(c: unknown): string | undefined {
  if (!isObj(c)) return 'page cell is not an object';
  switch (c.kind) {
    case 'header':
    case 'free':
      return undefined;
    case 'large':
      return isNat(c.first) && isNat(c.pages) ? undefined : 'large cell needs first and pages';
    case 'small':
      return isNat(c.first) && isNat(c.bin) && isNat(c.used) && isNat(c.slots) ? undefined : 'small cell needs first, bin, used and slots';
    case 'other':
      return isNat(c.map) ? undefined : 'other cell needs map';
    default:
      return `unknown page kind ${JSON.stringify(c.kind)}`;
  }
}

function checkChunk(ch: unknown): string | undefined {
  if (!isObj(ch) || !isNat(ch.num) || !Array.isArray(ch.pages) || ch.pages.length !== PAGES_PER_CHUNK) {
    return `a chunk needs num and ${PAGES_PER_CHUNK} pages`;
  }
  for (const c of ch.pages) {
    const e = checkCell(c);
    if (e) return e;
  }
  return undefined;
}

function checkCommon(h: Record<string, unknown>): string | undefined {
  if (typeof h.version !== 'string' || !isNat(h.seq) || !isObj(h.counters)) return 'needs version, seq and counters';
  for (const k of ['size', 'peak', 'realSize', 'realPeak', 'chunks', 'cached']) {
    if (!isNat(h.counters[k])) return `counter '${k}' is not a non-negative integer`;
  }
  if (!Array.isArray(h.bins)) return 'bins is not an array';
  if (h.halted !== null && typeof h.halted !== 'string') return 'halted must be text or null';
  return undefined;
}

/** The message as a ToWebview, or the reason it is not one. */
export function validateToWebview(msg: unknown): { ok: true; msg: ToWebview } | { ok: false; error: string } {
  const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });
  if (!isObj(msg)) return fail('message is not an object');
  switch (msg.type) {
    case 'snapshot': {
      const h = msg.heap;
      if (!isObj(h)) return fail('snapshot without heap');
      const e = checkCommon(h);
      if (e) return fail(`snapshot ${e}`);
      if (h.family !== 'zend7' && h.family !== 'zend5') return fail('snapshot family must be zend7 or zend5');
      if (!Array.isArray(h.chunks) || !Array.isArray(h.huge) || !Array.isArray(h.segments) || !Array.isArray(h.timeline)) {
        return fail('snapshot needs chunks, huge, segments and timeline arrays');
      }
      for (const ch of h.chunks) {
        const ce = checkChunk(ch);
        if (ce) return fail(`snapshot: ${ce}`);
      }
      break;
    }
    case 'update': {
      const u = msg.update;
      if (!isObj(u)) return fail('update without body');
      const e = checkCommon(u);
      if (e) return fail(`update ${e}`);
      if (!isNat(u.fromSeq) || !Array.isArray(u.pages) || !Array.isArray(u.chunksAdded) || !Array.isArray(u.chunksRemoved) || !Array.isArray(u.timelineAppended)) {
        return fail('update needs fromSeq, pages, chunksAdded, chunksRemoved and timelineAppended');
      }
      for (const p of u.pages) {
        if (!isObj(p) || !isNat(p.chunk) || !isNat(p.page) || p.page >= PAGES_PER_CHUNK) return fail('update: bad page change');
        const ce = checkCell(p.cell);
        if (ce) return fail(`update: ${ce}`);
      }
      for (const ch of u.chunksAdded) {
        const ce = checkChunk(ch);
        if (ce) return fail(`update: ${ce}`);
      }
      if (u.huge !== null && !Array.isArray(u.huge)) return fail('update huge must be an array or null');
      if (u.segments !== null && !Array.isArray(u.segments)) return fail('update segments must be an array or null');
      break;
    }
    case 'pageDetails': {
      const d = msg.details;
      if (!isObj(d) || !isNat(d.chunk) || !isNat(d.page) || typeof d.title !== 'string' || !Array.isArray(d.slots) || !Array.isArray(d.owners)) {
        return fail('pageDetails needs chunk, page, title, slots and owners');
      }
      const ce = checkCell(d.cell);
      if (ce) return fail(`pageDetails: ${ce}`);
      break;
    }
    case 'highlight':
      if (!Array.isArray(msg.touched)) return fail('highlight needs touched');
      break;
    case 'notice':
      if ((msg.level !== 'info' && msg.level !== 'error') || typeof msg.text !== 'string') return fail('notice needs level and text');
      break;
    default:
      return fail(`unknown message type ${JSON.stringify(msg.type)}`);
  }
  return { ok: true, msg: msg as unknown as ToWebview };
}
