// The custom event by which the debug session tells the VS Code wiring the note of the current
// step, shown as an inline decoration on its C line.

/** The custom event's name. */
export const STEP_NOTE_EVENT = 'zendMm.stepNote';

/** The body of STEP_NOTE_EVENT. */
export interface StepNoteBody {
  /** The zend_alloc.c path, or undefined for a virtual outline. */
  readonly path?: string;
  /** The virtual outline's name (its `debug:` document), when there is no path. */
  readonly name?: string;
  readonly line: number;
  readonly text: string;
}
