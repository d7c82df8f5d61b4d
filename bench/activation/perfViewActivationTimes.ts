// Reads VS Code's own per-extension activation times (the ExtensionActivationTimes the workbench
// records for every activated extension, and shows in Developer: Show Running Extensions) from
// the "Extension Activation Stats" table of its Developer: Startup Performance document.

/** One row of the table, in milliseconds as VS Code measured them (Date.now(), 1 ms steps). */
export interface VsCodeActivationTimes {
  /** Loading (require) of the extension's main module. */
  loadCodeMs: number;
  /** The synchronous part of activate(). */
  callActivateMs: number;
  /** From activate() returning to its promise settling. */
  finishActivateMs: number;
  /** The event VS Code gave as the reason ("api" when activated through Extension.activate()). */
  activationEvent: string;
}

const HEADING = '## Extension Activation Stats';
const COLUMNS = ['Extension', 'Eager', 'Load Code', 'Call Activate', 'Finish Activate', 'Event', 'By'];

/**
 * The rows of the table keyed by lower-case extension id, or undefined while the document has no
 * such table yet (it is filled in once the workbench has started). Throws when the table is there
 * but its columns are not the ones this reader knows.
 */
export function readActivationTable(markdown: string): Map<string, VsCodeActivationTimes> | undefined {
  const start = markdown.indexOf(HEADING);
  if (start < 0) return undefined;
  const lines = markdown.slice(start + HEADING.length).split('\n').map((l) => l.trim());
  const first = lines.findIndex((l) => l.startsWith('|'));
  if (first < 0) return undefined;
  const header = cells(lines[first]);
  if (header.join('|') !== COLUMNS.join('|')) {
    throw new Error(`Startup Performance: the activation table has columns [${header.join(', ')}], expected [${COLUMNS.join(', ')}]`);
  }
  const rows = new Map<string, VsCodeActivationTimes>();
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    const [id, , load, call, finish, event] = cells(line);
    rows.set(id.toLowerCase(), {
      loadCodeMs: milliseconds(load, id, 'Load Code'),
      callActivateMs: milliseconds(call, id, 'Call Activate'),
      finishActivateMs: milliseconds(finish, id, 'Finish Activate'),
      activationEvent: event,
    });
  }
  return rows;
}

function cells(line: string): string[] {
  return line.replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
}

function milliseconds(text: string, id: string, column: string): number {
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) throw new Error(`Startup Performance: ${id}: "${column}" is "${text}", not a number of milliseconds`);
  return value;
}
