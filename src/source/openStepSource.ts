// Builds the StepSource of a debug session: finds zend_alloc.c, checks its version against the
// profile's, resolves every anchor of the profile's allocator family in it; with no file, the
// annotated outline stands in. Never throws: every problem becomes a message.

import { AnchorLocal, CATALOGS, FamilyCatalog, findAnchor, renderNote } from './anchorCatalog';
import { resolveAnchor } from './anchorResolver';
import { scanC } from './cScanner';
import { locateZendAlloc } from './locateZendAlloc';
import { buildOutline } from './outline';
import { familyOfVersion, inferVersion, readCheckoutVersion, versionMessages } from './sourceVersion';
import type { StepSource, StepSourceDocument, StepSourceRequest } from './stepSource';

/** How many unplaced anchors a message names before "and N more". */
const MAX_LISTED = 10;

/** A StepSource over fixed anchor and function lines. */
class ResolvedStepSource implements StepSource {
  private readonly byLine = new Map<number, string[]>();

  constructor(
    readonly document: StepSourceDocument,
    private readonly catalog: FamilyCatalog,
    private readonly anchorLines: ReadonlyMap<string, number>,
    private readonly functionLine: (func: string) => number | undefined,
    readonly messages: readonly string[],
  ) {
    for (const [anchor, line] of anchorLines) {
      const list = this.byLine.get(line) ?? [];
      list.push(anchor);
      this.byLine.set(line, list);
    }
  }

  lineOfAnchor(anchor: string): number | undefined {
    return this.anchorLines.get(anchor);
  }

  lineOfFunction(func: string): number | undefined {
    return this.functionLine(func);
  }

  anchorsAtLine(line: number): readonly string[] {
    return this.byLine.get(line) ?? [];
  }

  annotationOf(anchor: string, locals?: Readonly<Record<string, AnchorLocal>>): string | undefined {
    const entry = findAnchor(this.catalog.family, anchor);
    return entry === undefined ? undefined : renderNote(entry, locals);
  }
}

/** Opens the source the stepper shows for one session. */
export function openStepSource(request: StepSourceRequest): StepSource {
  const catalog = CATALOGS[familyOfVersion(request.phpVersion)];
  const located = locateZendAlloc(request);
  const messages = [...located.messages];
  if (located.found === undefined) {
    const outline = buildOutline(catalog, request);
    messages.push(
      `No zend_alloc.c was found for this session; showing an annotated outline instead. Looked at: ${located.looked.join('; ')}. ` +
        'Set the launch attribute phpSrc (or the setting) to a php-src checkout or its Zend folder to step through the real source.',
    );
    return new ResolvedStepSource(
      { kind: 'virtual', name: outline.name, text: outline.text },
      catalog,
      outline.anchorLines,
      (func) => outline.functionLines.get(func),
      messages,
    );
  }
  const { path: file, text } = located.found;
  messages.push(...versionMessages(file, readCheckoutVersion(file), inferVersion(text), request));
  const scanned = scanC(text);
  const anchorLines = new Map<string, number>();
  const unresolved: string[] = [];
  for (const entry of catalog.anchors) {
    const resolved = resolveAnchor(scanned, entry);
    if (resolved !== undefined) {
      anchorLines.set(entry.anchor, resolved.line);
    } else if (!(entry.missingIn ?? []).includes(request.phpVersion)) {
      unresolved.push(entry.anchor);
    }
  }
  if (unresolved.length > 0) {
    const listed = unresolved.slice(0, MAX_LISTED).join(', ') + (unresolved.length > MAX_LISTED ? ` and ${unresolved.length - MAX_LISTED} more` : '');
    messages.push(
      `${unresolved.length} step${unresolved.length === 1 ? '' : 's'} could not be placed in ${file} ` +
        `(the statement was not found in its function): ${listed}. Such steps show their function's first line.`,
    );
  }
  const functionLines = new Map<string, number>();
  for (const f of scanned.functions) {
    if (!functionLines.has(f.name)) functionLines.set(f.name, f.nameLine);
  }
  return new ResolvedStepSource({ kind: 'file', path: file }, catalog, anchorLines, (func) => functionLines.get(func), messages);
}
