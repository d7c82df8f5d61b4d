// Exports the chunk map as SVG text or a PNG data URL, drawn from the model (not the DOM) in
// the theme's current colours.

import type { HeapSnapshot, PageCell } from '../../src/protocol/heapSnapshot';
import { PAGES_PER_CHUNK } from '../../src/protocol/heapSnapshot';
import { binColour, binFreeColour, THEME_VARS } from './colours';
import { COLUMNS } from './chunkMap';

const CELL = 10;
const GAP = 1;
const CAPTION = 16;
const ROWS = PAGES_PER_CHUNK / COLUMNS;
const STRIP = CAPTION + ROWS * (CELL + GAP) + 8;

/** The theme colours now in effect. */
function themeColours(): Record<keyof typeof THEME_VARS, string> {
  const style = getComputedStyle(document.body);
  const get = (v: string, fallback: string): string => style.getPropertyValue(v).trim() || fallback;
  return {
    free: get(THEME_VARS.free, '#3a3a3a'),
    large: get(THEME_VARS.large, '#3794ff'),
    header: get(THEME_VARS.header, '#b180d7'),
    huge: get(THEME_VARS.huge, '#d18616'),
    other: get(THEME_VARS.other, '#f14c4c'),
    background: get(THEME_VARS.background, '#1e1e1e'),
    foreground: get(THEME_VARS.foreground, '#cccccc'),
  };
}

/** Fill colour and used share (0..1, for small runs) of a cell. */
function fillOf(cell: PageCell, t: ReturnType<typeof themeColours>): { colour: string; faint?: string; share?: number } {
  switch (cell.kind) {
    case 'small':
      return { colour: binColour(cell.bin), faint: binFreeColour(cell.bin), share: cell.slots === 0 ? 0 : cell.used / cell.slots };
    case 'large':
      return { colour: t.large };
    case 'header':
      return { colour: t.header };
    case 'free':
      return { colour: t.free };
    case 'other':
      return { colour: t.other };
  }
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The map as an SVG document. */
export function mapToSvg(heap: HeapSnapshot): string {
  const t = themeColours();
  const width = COLUMNS * (CELL + GAP);
  const height = Math.max(1, heap.chunks.length) * STRIP;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="${esc(t.background)}"/>`,
  ];
  heap.chunks.forEach((c, i) => {
    const y0 = i * STRIP;
    out.push(`<text x="0" y="${y0 + 12}" fill="${esc(t.foreground)}">chunk ${c.num} (PHP ${esc(heap.version)})</text>`);
    c.pages.forEach((cell, p) => {
      const x = (p % COLUMNS) * (CELL + GAP);
      const y = y0 + CAPTION + Math.floor(p / COLUMNS) * (CELL + GAP);
      const f = fillOf(cell, t);
      if (f.share !== undefined) {
        const used = Math.round(f.share * CELL);
        out.push(`<rect x="${x}" y="${y}" width="${CELL}" height="${CELL}" fill="${esc(f.faint as string)}"/>`);
        if (used > 0) out.push(`<rect x="${x}" y="${y + CELL - used}" width="${CELL}" height="${used}" fill="${esc(f.colour)}"/>`);
      } else {
        out.push(`<rect x="${x}" y="${y}" width="${CELL}" height="${CELL}" fill="${esc(f.colour)}"/>`);
      }
    });
  });
  out.push('</svg>');
  return out.join('\n');
}

/** Tallest canvas browsers draw (Chromium's limit per side). */
export const MAX_CANVAS_SIDE = 32767;

/** The map as a PNG data URL; throws when the map is too tall for one canvas. */
export function mapToPng(heap: HeapSnapshot): string {
  const t = themeColours();
  const canvas = document.createElement('canvas');
  canvas.width = COLUMNS * (CELL + GAP);
  canvas.height = Math.max(1, heap.chunks.length) * STRIP;
  if (canvas.height > MAX_CANVAS_SIDE) {
    throw new Error(`${heap.chunks.length} chunks make a ${canvas.height}-pixel image, more than a canvas holds (${MAX_CANVAS_SIDE}); export SVG instead`);
  }
  const ctx = canvas.getContext('2d');
  if (ctx === null) throw new Error('no 2D canvas');
  ctx.fillStyle = t.background;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.font = '11px sans-serif';
  heap.chunks.forEach((c, i) => {
    const y0 = i * STRIP;
    ctx.fillStyle = t.foreground;
    ctx.fillText(`chunk ${c.num} (PHP ${heap.version})`, 0, y0 + 12);
    c.pages.forEach((cell, p) => {
      const x = (p % COLUMNS) * (CELL + GAP);
      const y = y0 + CAPTION + Math.floor(p / COLUMNS) * (CELL + GAP);
      const f = fillOf(cell, t);
      ctx.fillStyle = f.faint ?? f.colour;
      ctx.fillRect(x, y, CELL, CELL);
      if (f.share !== undefined) {
        const used = Math.round(f.share * CELL);
        ctx.fillStyle = f.colour;
        ctx.fillRect(x, y + CELL - used, CELL, used);
      }
    });
  });
  return canvas.toDataURL('image/png');
}
