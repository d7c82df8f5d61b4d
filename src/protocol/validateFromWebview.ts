// Checks a message that arrived from the webview before the host acts on it: anything that is
// not exactly one of the FromWebview shapes is refused with the reason.

import { PAGES_PER_CHUNK } from './heapSnapshot';
import type { FromWebview } from './webviewMessages';

/** Largest export payload accepted (characters): a 256-chunk map as a PNG data URL fits well below it. */
export const MAX_EXPORT_CHARS = 64 * 1024 * 1024;

/** The message as a FromWebview, or the reason it is not one. */
export function validateFromWebview(msg: unknown): { ok: true; msg: FromWebview } | { ok: false; error: string } {
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
    return { ok: false, error: 'message is not an object' };
  }
  const m = msg as Record<string, unknown>;
  const nat = (key: string, below?: number): number | string => {
    const v = m[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || (below !== undefined && v >= below)) {
      return `'${key}' must be an integer from 0${below !== undefined ? ` to ${below - 1}` : ''}, got ${JSON.stringify(v)}`;
    }
    return v;
  };
  const only = (...keys: string[]): string | undefined => {
    const extra = Object.keys(m).filter((k) => k !== 'type' && !keys.includes(k));
    return extra.length > 0 ? `unexpected field '${extra[0]}' in '${String(m.type)}'` : undefined;
  };
  const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });
  switch (m.type) {
    case 'ready':
    case 'showHugeInSource': {
      const extra = only();
      return extra ? fail(extra) : { ok: true, msg: { type: m.type } };
    }
    case 'resync': {
      const seq = nat('seq');
      const extra = only('seq');
      if (typeof seq === 'string') return fail(seq);
      return extra ? fail(extra) : { ok: true, msg: { type: 'resync', seq } };
    }
    case 'inspectPage':
    case 'showInSource': {
      const chunk = nat('chunk');
      const page = nat('page', PAGES_PER_CHUNK);
      const extra = only('chunk', 'page');
      if (typeof chunk === 'string') return fail(chunk);
      if (typeof page === 'string') return fail(page);
      return extra ? fail(extra) : { ok: true, msg: { type: m.type, chunk, page } };
    }
    case 'exportMap': {
      const extra = only('format', 'data');
      if (extra) return fail(extra);
      if (m.format !== 'svg' && m.format !== 'png') return fail(`'format' must be 'svg' or 'png', got ${JSON.stringify(m.format)}`);
      if (typeof m.data !== 'string' || m.data.length > MAX_EXPORT_CHARS) return fail(`'data' must be a string of at most ${MAX_EXPORT_CHARS} characters`);
      if (m.format === 'png' && !m.data.startsWith('data:image/png;base64,')) return fail("a PNG export must be a 'data:image/png;base64,' URL");
      if (m.format === 'svg' && !m.data.startsWith('<svg')) return fail('an SVG export must start with <svg');
      return { ok: true, msg: { type: 'exportMap', format: m.format, data: m.data } };
    }
    default:
      return fail(`unknown message type ${JSON.stringify(m.type)}`);
  }
}
