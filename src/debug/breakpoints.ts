// The breakpoints of a session: on program lines (before the call there runs), on steps
// (anchors of the zend_alloc.c lines the user marked), and on C functions (when the engine
// enters them); each with an optional condition evaluated at the stop.

import type { StepEvent } from '../engine/step';
import { Expression, ExpressionError, isTrue } from './expression';
import { StopContext, stopScope } from './evalScope';

/** One breakpoint as the runtime checks it. */
export interface RuntimeBreakpoint {
  readonly id: number;
  readonly condition?: Expression;
}

/** Which kind of breakpoint stopped the run. */
export type BreakpointKind = 'line' | 'function';

/** Parses a condition; a bad one becomes the error message the client shows on the breakpoint. */
export function parseCondition(text: string | undefined): { condition?: Expression; error?: string } {
  if (text === undefined || text.trim() === '') return {};
  try {
    return { condition: Expression.parse(text) };
  } catch (e) {
    return { error: `condition: ${(e as Error).message}` };
  }
}

export class BreakpointSet {
  private nextId = 1;
  /** Program line -> breakpoint. */
  private programLines = new Map<number, RuntimeBreakpoint>();
  /** Step anchor -> breakpoints (several zend_alloc.c lines may share none; one line may hold several anchors). */
  private anchors = new Map<string, RuntimeBreakpoint[]>();
  /** C function -> breakpoint. */
  private functions = new Map<string, RuntimeBreakpoint>();
  /** Conditions that failed to evaluate, reported once each (message -> true). */
  readonly conditionErrors: string[] = [];

  /** A fresh breakpoint id. */
  newId(): number {
    return this.nextId++;
  }

  setProgramLines(bps: ReadonlyMap<number, RuntimeBreakpoint>): void {
    this.programLines = new Map(bps);
  }

  setAnchors(bps: ReadonlyMap<string, RuntimeBreakpoint[]>): void {
    this.anchors = new Map(bps);
  }

  setFunctions(bps: ReadonlyMap<string, RuntimeBreakpoint>): void {
    this.functions = new Map(bps);
  }

  /** True when some breakpoint needs the steps of a call (anchors or functions). */
  get needsSteps(): boolean {
    return this.anchors.size > 0 || this.functions.size > 0;
  }

  /** True when some breakpoint is on a program line. */
  get hasProgramLines(): boolean {
    return this.programLines.size > 0;
  }

  /** The breakpoint on program line `line` whose condition holds at `ctx`, if any. */
  hitAtLine(line: number, ctx: () => StopContext): RuntimeBreakpoint | undefined {
    const bp = this.programLines.get(line);
    return bp !== undefined && this.holds(bp, ctx) ? bp : undefined;
  }

  /** The breakpoint a step event hits, given the current frame's locals after it. */
  hitAtEvent(e: StepEvent, ctx: () => StopContext): { bp: RuntimeBreakpoint; kind: BreakpointKind } | undefined {
    if (e.kind === 'stmt') {
      const list = this.anchors.get(e.anchor);
      if (list !== undefined) {
        for (const bp of list) if (this.holds(bp, ctx)) return { bp, kind: 'line' };
      }
    } else if (e.kind === 'enter') {
      const bp = this.functions.get(e.func);
      if (bp !== undefined && this.holds(bp, ctx)) return { bp, kind: 'function' };
    }
    return undefined;
  }

  private holds(bp: RuntimeBreakpoint, ctx: () => StopContext): boolean {
    if (bp.condition === undefined) return true;
    try {
      return isTrue(bp.condition.evaluate(stopScope(ctx())));
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
      const message = `breakpoint condition '${bp.condition.text}': ${e.message}`;
      if (!this.conditionErrors.includes(message)) this.conditionErrors.push(message);
      return false;
    }
  }
}
