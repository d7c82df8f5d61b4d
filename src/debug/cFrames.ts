// The C call stack of an allocator call as its step events build it: enter pushes a frame,
// leave pops it, a statement moves the top frame to its anchor and updates its locals. A
// call that throws leaves frames without a leave event; a leave pops back to its function.

import { LocalValue, StepEvent } from '../engine/step';

/** One C frame: the function, where it stands, and its locals as the engine knows them. */
export interface CFrame {
  readonly func: string;
  /** The anchor of the statement it stands on; undefined right after entering. */
  anchor: string | undefined;
  /** The note of that statement. */
  note: string | undefined;
  readonly locals: Record<string, LocalValue>;
  /** True for a function the engine reports a statement of but no enter event (inlined in C). */
  readonly implicit: boolean;
}

/** Follows a call's events and keeps its C stack (innermost last). */
export class CFrameTracker {
  readonly stack: CFrame[] = [];

  event(e: StepEvent): void {
    switch (e.kind) {
      case 'enter':
        this.popImplicit(e.func);
        this.stack.push({ func: e.func, anchor: undefined, note: undefined, locals: { ...e.locals }, implicit: false });
        break;
      case 'stmt': {
        const func = e.anchor.slice(0, e.anchor.indexOf(':'));
        this.popImplicit(func);
        let top = this.stack[this.stack.length - 1];
        if (top === undefined || top.func !== func) {
          // a statement of a function the engine gave no enter event for (inlined in C)
          top = { func, anchor: undefined, note: undefined, locals: {}, implicit: true };
          this.stack.push(top);
        }
        top.anchor = e.anchor;
        top.note = e.note;
        if (e.locals !== undefined) Object.assign(top.locals, e.locals);
        break;
      }
      case 'leave': {
        const at = this.stack.map((f) => f.func).lastIndexOf(e.func);
        if (at >= 0) this.stack.length = at;
        break;
      }
    }
  }

  /** Drops frames of inlined functions on top once an event of another function comes. */
  private popImplicit(func: string): void {
    while (this.stack.length > 0 && this.stack[this.stack.length - 1].implicit && this.stack[this.stack.length - 1].func !== func) {
      this.stack.pop();
    }
  }

  /** The stack after the first `count` events of `events`. */
  static after(events: readonly StepEvent[], count: number): CFrame[] {
    const t = new CFrameTracker();
    for (let i = 0; i < count && i < events.length; i++) t.event(events[i]);
    return t.stack;
  }
}

/** True for the events the stepper stops at: entering a function, and its statements. */
export function isStopEvent(e: StepEvent): boolean {
  return e.kind !== 'leave';
}
