// Colours and words for page cells: small runs are coloured by bin (one hue per bin), the rest
// by theme colours (CSS variables of VS Code's theme, with defaults for a plain browser).

import type { PageCell } from '../../src/protocol/heapSnapshot';

/** The hue of a bin: bins spread around the colour wheel by the golden angle. */
export function binHue(bin: number): number {
  return Math.round((bin * 137.508) % 360);
}

/** A bin's colour at full strength. */
export function binColour(bin: number): string {
  return `hsl(${binHue(bin)}, 60%, 52%)`;
}

/** A bin's colour for free slots (faint). */
export function binFreeColour(bin: number): string {
  return `hsla(${binHue(bin)}, 60%, 52%, 0.28)`;
}

/** CSS background of a small-run cell: the used share filled from the bottom. */
export function smallBackground(cell: Extract<PageCell, { kind: 'small' }>): string {
  const pct = cell.slots === 0 ? 0 : Math.round((cell.used / cell.slots) * 100);
  return `linear-gradient(to top, ${binColour(cell.bin)} ${pct}%, ${binFreeColour(cell.bin)} ${pct}%)`;
}

/** Theme colours the map uses, by the CSS variable that holds each. */
export const THEME_VARS = {
  free: '--zmm-free',
  large: '--zmm-large',
  header: '--zmm-header',
  huge: '--zmm-huge',
  other: '--zmm-other',
  background: '--zmm-background',
  foreground: '--zmm-foreground',
} as const;

/** What a cell is, in words (hover line and the cell's accessible name). */
export function describeCell(chunk: number, page: number, cell: PageCell): string {
  const at = `chunk ${chunk}, page ${page}`;
  switch (cell.kind) {
    case 'header':
      return `${at}: chunk header`;
    case 'free':
      return `${at}: free`;
    case 'large':
      return `${at}: large run, ${cell.pages} page${cell.pages > 1 ? 's' : ''} from page ${cell.first}`;
    case 'small':
      return `${at}: small run of bin ${cell.bin} (from page ${cell.first}), ${cell.used} of ${cell.slots} slots in this page used`;
    case 'other':
      return `${at}: map entry 0x${cell.map.toString(16)}`;
  }
}
