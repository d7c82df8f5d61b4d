// What the stepper needs from a zend_alloc.c: where each step anchor ("function:statement")
// sits in the file the user reads, and what to tell them about that file. The source
// locator builds one per debug session; the debug adapter only reads it.

/** The document the C frames of a session are shown in. */
export type StepSourceDocument =
  /** A real zend_alloc.c on disk (the user's php-src). */
  | { readonly kind: 'file'; readonly path: string }
  /** No real file was found: a read-only annotated outline, served through DAP `source`. */
  | { readonly kind: 'virtual'; readonly name: string; readonly text: string };

/** Anchor and function positions in one zend_alloc.c (real or virtual). Lines are 1-based. */
export interface StepSource {
  readonly document: StepSourceDocument;
  /** The line of the statement an anchor names, or undefined when it cannot be found. */
  lineOfAnchor(anchor: string): number | undefined;
  /** The line of a function's definition (the line with its name), or undefined. */
  lineOfFunction(func: string): number | undefined;
  /** The anchors whose statement is on `line` (breakpoints set on lines of zend_alloc.c). */
  anchorsAtLine(line: number): readonly string[];
  /** What the user should know: a version mismatch, anchors not found, how to point at a php-src. */
  readonly messages: readonly string[];
  /**
   * Our note on an anchor's statement: what it does and why, with the step's locals filled in
   * (e.g. `{ size: 100, bin_num: 11 }`). Undefined for an anchor the catalog does not know.
   */
  annotationOf?(anchor: string, locals?: Readonly<Record<string, number | string | boolean | null>>): string | undefined;
}

/** Where to look for zend_alloc.c, and the PHP version the session's profile follows. */
export interface StepSourceRequest {
  /** The profile's version ("8.2") and the exact release its behaviour follows ("8.2.32"). */
  readonly phpVersion: string;
  readonly phpRelease: string;
  /** The launch attribute `phpSrc`: a php-src checkout or its `Zend/` folder. */
  readonly phpSrc?: string;
  /** The same from the extension setting, used when the launch attribute is absent. */
  readonly settingPhpSrc?: string;
  /** Folders to search for a php-src checkout (the workspace folders). */
  readonly searchFolders?: readonly string[];
}
