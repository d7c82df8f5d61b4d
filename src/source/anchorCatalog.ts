// The anchor catalog's shape: for every anchor the engines emit ("function:statement"), how to
// find its statement in a zend_alloc.c and what to tell the reader about it. The data lives in
// zend7Anchors.ts (PHP 7.0 - 8.x) and zend5Anchors.ts (PHP 5.2 - 5.6).

import { ZEND5_ANCHORS, ZEND5_FUNCTIONS } from './zend5Anchors';
import { ZEND7_ANCHORS, ZEND7_FUNCTIONS } from './zend7Anchors';

/** Which allocator a zend_alloc.c (or a profile) belongs to. */
export type AllocatorFamily = 'zend7' | 'zend5';

/** One anchored statement. */
export interface AnchorEntry {
  /** "function:statement", exactly as the engine emits it. */
  readonly anchor: string;
  /**
   * The statement, as a sequence of patterns over the function body's code (comments and
   * preprocessor lines blanked): each is searched after the previous match, and the anchor's
   * line is where the last one starts. Earlier patterns only narrow the place.
   */
  readonly statement: readonly RegExp[];
  /**
   * Functions to search, in order, after the anchor's own one when it does not hold the
   * statement: an inline helper it delegates to, or the place older releases kept it.
   */
  readonly within?: readonly string[];
  /**
   * What the statement does and why, in one or two sentences. `{name}` is replaced by the
   * step's local of that name when the step has one.
   */
  readonly note: string;
  /**
   * Profile versions ("MAJOR.MINOR") whose zend_alloc.c has no such statement (read from their
   * source); the engine does not emit the anchor under them.
   */
  readonly missingIn?: readonly string[];
}

/** A function the stepper shows a frame for. */
export interface FunctionEntry {
  readonly name: string;
  /** One sentence: the function's role. */
  readonly summary: string;
}

/** Anchors and functions of one family, in the order the outline lists them. */
export interface FamilyCatalog {
  readonly family: AllocatorFamily;
  readonly functions: readonly FunctionEntry[];
  readonly anchors: readonly AnchorEntry[];
}

export const CATALOGS: Readonly<Record<AllocatorFamily, FamilyCatalog>> = {
  zend7: { family: 'zend7', functions: ZEND7_FUNCTIONS, anchors: ZEND7_ANCHORS },
  zend5: { family: 'zend5', functions: ZEND5_FUNCTIONS, anchors: ZEND5_ANCHORS },
};

/** The function part of an anchor ("zend_mm_alloc_small" of "zend_mm_alloc_small:stat"). */
export function anchorFunction(anchor: string): string {
  const colon = anchor.indexOf(':');
  return colon < 0 ? anchor : anchor.slice(0, colon);
}

/** The catalog entry of an anchor in a family, if any. */
export function findAnchor(family: AllocatorFamily, anchor: string): AnchorEntry | undefined {
  return CATALOGS[family].anchors.find((a) => a.anchor === anchor);
}

/** A value of a step's local, as the engine reports it. */
export type AnchorLocal = number | string | boolean | null;

/** The note of an entry with `{name}` filled from the step's locals (shown as `<name>` when the step has no such local). */
export function renderNote(entry: AnchorEntry, locals?: Readonly<Record<string, AnchorLocal>>): string {
  return entry.note.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const v = locals?.[name];
    return v === undefined || v === null ? `<${name}>` : String(v);
  });
}

/** "MAJOR.MINOR" compared numerically: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am - bm || an - bn;
}
