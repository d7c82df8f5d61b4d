// Steps: what one allocator call does, statement by statement, each tied to a named anchor
// in zend_alloc.c ("function:statement") that the source locator resolves to a real line.

/** A value of a C local as the engine knows it. */
export type LocalValue = number | string | boolean | null;

/** Something a step changed, so a view can highlight it. */
export type Touched =
  | { readonly kind: 'page'; readonly chunk: number; readonly page: number; readonly pages: number }
  | { readonly kind: 'bin'; readonly bin: number }
  | { readonly kind: 'chunk'; readonly chunk: number }
  | { readonly kind: 'huge'; readonly address: number }
  | { readonly kind: 'counters' };

/** One event of a call: entering a C function, a statement in it, or leaving it. */
export type StepEvent =
  | { readonly kind: 'enter'; readonly func: string; readonly locals: Readonly<Record<string, LocalValue>> }
  | {
      readonly kind: 'stmt';
      /** "function:statement", e.g. "zend_mm_alloc_small:free_list_hit". */
      readonly anchor: string;
      /** What happened, in words. */
      readonly note: string;
      readonly locals?: Readonly<Record<string, LocalValue>>;
      readonly touched?: readonly Touched[];
    }
  | { readonly kind: 'leave'; readonly func: string };

/** Receives step events while an operation runs. The fast path passes none. */
export interface StepSink {
  event(e: StepEvent): void;
}

/** A StepSink that keeps every event. */
export class StepRecorder implements StepSink {
  readonly events: StepEvent[] = [];
  event(e: StepEvent): void {
    this.events.push(e);
  }
  /** Anchors of the statement events, in order. */
  anchors(): string[] {
    const out: string[] = [];
    for (const e of this.events) {
      if (e.kind === 'stmt') {
        out.push(e.anchor);
      }
    }
    return out;
  }
}
