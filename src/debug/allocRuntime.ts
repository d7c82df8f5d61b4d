// Plays a program's allocator calls step by step, forwards and backwards: where the run
// stands (a program line, or a step inside a call), what the C stack is there, breakpoints,
// and events for the session (stopped, output, end). No vscode, no DAP.

import { EventEmitter } from 'events';
import { StepEvent, StepSink } from '../engine/step';
import { BreakpointSet } from './breakpoints';
import { formatCall } from './callLog';
import { CFrame, CFrameTracker, isStopEvent } from './cFrames';
import type { AnyProfile } from './heapFamily';
import { StopContext } from './evalScope';
import { CheckpointSpacing, DEFAULT_CHECKPOINT_SPACING } from './checkpointSpacing';
import { Bindings, StopSignal, Timeline } from './timeline';
import { CallOutcome, TraceMachine } from './traceMachine';
import type { ProgramOp } from './programOps';
import type { TraceProgram } from './traceProgram';

/** Where the run stands: before operation `op` (event -1), or right after its step event `event`. */
export interface Position {
  readonly op: number;
  readonly event: number;
}

/** Why the run stopped (the DAP stopped-event reasons). */
export type StopReason = 'entry' | 'step' | 'breakpoint' | 'function breakpoint' | 'pause' | 'exception';

/** A stop: why, and a text for the user (an error message, the end of the program). */
export interface StopInfo {
  readonly reason: StopReason;
  readonly text?: string;
}

export interface RuntimeOptions {
  /** Where heap checkpoints go (default DEFAULT_CHECKPOINT_SPACING). */
  readonly checkpoints?: CheckpointSpacing;
  /** Most call lines written to the output per continue (default 200). */
  readonly outputLimit?: number;
}

/** Events: 'stopped' (StopInfo), 'output' (text, line or undefined), 'end' (). */
export class AllocRuntime extends EventEmitter {
  readonly timeline: Timeline;
  readonly breakpoints = new BreakpointSet();
  private pos: Position = { op: 0, event: -1 };
  private pauseRequested = false;
  private running = false;
  /** Operations below this index have had their console line written. */
  private reported = 0;
  private outputBudget = 0;
  private suppressed = 0;
  private readonly outputLimit: number;

  constructor(
    readonly program: TraceProgram,
    readonly profile: AnyProfile,
    options: RuntimeOptions = {},
  ) {
    super();
    this.timeline = new Timeline(program.ops, profile, options.checkpoints ?? DEFAULT_CHECKPOINT_SPACING);
    this.outputLimit = options.outputLimit ?? 200;
    this.timeline.onApplied = (index, outcome, machine) => this.report(index, outcome, machine);
  }

  // ---- where the run stands ----------------------------------------------------------------

  get position(): Position {
    return this.pos;
  }

  /** True once the run is past the last call it can make. */
  get atEnd(): boolean {
    return this.pos.op >= this.timeline.end;
  }

  /** The program operation the run stands at (before it, or inside it); undefined at the end. */
  get currentOp(): ProgramOp | undefined {
    const index = Math.min(this.pos.op, this.timeline.end - 1);
    return index < 0 ? undefined : this.program.ops.at(index);
  }

  /** The program line shown for the current position. */
  get currentLine(): number {
    const op = this.currentOp;
    return op === undefined ? 1 : op.line;
  }

  /** The heap state at the current position. */
  machine(): TraceMachine {
    return this.pos.event < 0 ? this.timeline.before(this.pos.op) : this.timeline.inside(this.pos.op, this.pos.event);
  }

  /** The C frames at the current position, innermost last (empty on a program line). */
  frames(): CFrame[] {
    if (this.pos.event < 0) return [];
    return CFrameTracker.after(this.timeline.recording(this.pos.op).events, this.pos.event + 1);
  }

  /** The step event the run stands on, if inside a call. */
  currentEvent(): StepEvent | undefined {
    return this.pos.event < 0 ? undefined : this.timeline.recording(this.pos.op).events[this.pos.event];
  }

  /** The context for conditions and expressions at the current position, in C frame `level` (0 = innermost). */
  context(level = 0): StopContext {
    const frames = this.frames();
    const frame = frames[frames.length - 1 - level];
    return { machine: this.machine(), bindings: () => this.bindings(), op: this.currentOp?.op, locals: frame?.locals ?? {} };
  }

  /** What trace IDs and script variables name at the current position. */
  bindings(): Bindings {
    return this.timeline.bindingsAt(Math.min(this.pos.op, this.timeline.end));
  }

  // ---- starting ------------------------------------------------------------------------------

  /** Starts the run: stops on entry, runs to `stopAtLine` (1-based program line), or continues. */
  async start(stopOnEntry: boolean, stopAtLine?: number): Promise<void> {
    for (const w of this.program.warnings) this.emit('output', `warning: ${w}`, undefined);
    if (this.program.ops.length === 0) {
      this.emit('output', `${this.program.file}: no allocator calls to step through`, undefined);
      this.emit('end');
      return;
    }
    if (stopAtLine !== undefined) {
      const target = this.firstOpAtOrAfter(stopAtLine);
      if (target < 0) {
        this.emit('output', `${this.program.file}:${stopAtLine}: no call at or after this line; stopping on entry`, undefined);
        this.stopAt({ op: 0, event: -1 }, { reason: 'entry' });
        return;
      }
      this.outputBudget = this.outputLimit;
      this.goTo(target);
      return;
    }
    if (stopOnEntry) {
      this.stopAt({ op: 0, event: -1 }, { reason: 'entry' });
      return;
    }
    await this.continue();
  }

  /** The index of the first operation written on line `line` or below it, or -1. */
  private firstOpAtOrAfter(line: number): number {
    const ops = this.program.ops;
    for (let i = 0; i < ops.length; i++) if (ops.line(i) >= line) return i;
    return -1;
  }

  // ---- stepping ------------------------------------------------------------------------------

  /** The number of C frames at step event `event` of operation `op` (0 on the program line). */
  private depthAt(events: readonly StepEvent[], event: number): number {
    return event < 0 ? 0 : CFrameTracker.after(events, event + 1).length;
  }

  /**
   * One step forwards: 'in' to the next step, 'over' to the next step in this frame or a
   * caller (on a program line: the next line), 'out' to the next step of a caller.
   * Breakpoints met on the way stop the step.
   */
  step(kind: 'in' | 'over' | 'out'): void {
    this.outputBudget = this.outputLimit;
    if (this.atEnd) {
      this.emit('end');
      return;
    }
    const { op, event } = this.pos;
    const rec = this.timeline.recording(op);
    const depth = this.depthAt(rec.events, event);
    const tracker = new CFrameTracker();
    for (let i = 0; i <= event; i++) tracker.event(rec.events[i]);
    for (let e = event + 1; e < rec.events.length; e++) {
      const ev = rec.events[e];
      tracker.event(ev);
      if (!isStopEvent(ev)) continue;
      const hit = this.breakpoints.hitAtEvent(ev, () => this.contextInside(op, e, tracker.stack));
      if (hit !== undefined) {
        this.stopAt({ op, event: e }, { reason: hit.kind === 'function' ? 'function breakpoint' : 'breakpoint' });
        return;
      }
      const d = tracker.stack.length;
      if (kind === 'in' || (kind === 'over' && d <= depth) || (kind === 'out' && d < depth)) {
        this.stopAt({ op, event: e }, { reason: 'step' });
        return;
      }
    }
    if (rec.outcome.fatal === true) {
      this.finishOp(op, rec.outcome, rec.events);
      return;
    }
    this.stopAt({ op: op + 1, event: -1 }, { reason: 'step', ...(op + 1 >= this.timeline.end ? { text: 'end of the program' } : {}) });
  }

  /** After a call completes while stepping: a fatal error stops on its last step. */
  private finishOp(op: number, outcome: CallOutcome, events: readonly StepEvent[]): void {
    if (outcome.fatal === true) {
      let last = -1;
      for (let e = 0; e < events.length; e++) if (isStopEvent(events[e])) last = e;
      if (this.pos.op === op && this.pos.event >= last) {
        // already stopped on the error: the process is gone, the run ends
        this.pos = { op: op + 1, event: -1 };
        this.emit('end');
        return;
      }
      this.stopAt({ op, event: last }, { reason: 'exception', text: outcome.error });
    }
  }

  /** One step backwards, the mirror of 'over': the previous step in this frame or a caller, or the previous line. */
  stepBack(): void {
    const { op, event } = this.pos;
    if (event >= 0) {
      const events = this.timeline.recording(op).events;
      const depth = this.depthAt(events, event);
      for (let e = event - 1; e >= 0; e--) {
        if (isStopEvent(events[e]) && this.depthAt(events, e) <= depth) {
          this.stopAt({ op, event: e }, { reason: 'step' });
          return;
        }
      }
      this.stopAt({ op, event: -1 }, { reason: 'step' });
      return;
    }
    this.stopAt({ op: Math.max(0, Math.min(op, this.timeline.end) - 1), event: -1 }, { reason: op === 0 ? 'entry' : 'step' });
  }

  /** Moves to program operation `op` (before it runs), forwards or backwards, and stops there. */
  goTo(op: number): void {
    const target = Math.max(0, Math.min(op, this.timeline.end));
    this.timeline.before(target);
    this.stopAt({ op: target, event: -1 }, { reason: 'step' });
  }

  // ---- running -------------------------------------------------------------------------------

  /** Asks a running continue to stop at the next operation boundary. */
  pause(): void {
    if (this.running) this.pauseRequested = true;
  }

  /** Runs forwards to the next breakpoint, a fatal error, a pause, or the end. */
  async continue(): Promise<void> {
    this.outputBudget = this.outputLimit;
    this.suppressed = 0;
    this.running = true;
    this.pauseRequested = false;
    try {
      let { op, event } = this.pos;
      const end = () => this.timeline.end;
      let sinceYield = 0;
      while (op < end()) {
        if (op !== this.pos.op && this.breakpoints.hasProgramLines) {
          const at = op;
          const bp = this.breakpoints.hitAtLine(this.program.ops.line(at), () => ({ machine: this.timeline.before(at), bindings: () => this.timeline.bindingsAt(at), op: this.program.ops.op(at), locals: {} }));
          if (bp !== undefined) return this.stopAt({ op, event: -1 }, { reason: 'breakpoint' });
        }
        const from = op === this.pos.op ? event + 1 : 0;
        const hit = this.runOp(op, from);
        if (hit !== undefined) return this.stopAt({ op, event: hit.event }, { reason: hit.reason });
        if (this.timeline.haltedAt === op) {
          const rec = this.timeline.recording(op);
          this.finishOp(op, rec.outcome, rec.events);
          return;
        }
        op++;
        event = -1;
        if (++sinceYield >= 2000) {
          sinceYield = 0;
          await new Promise<void>((resolve) => setImmediate(resolve));
          if (this.pauseRequested) return this.stopAt({ op, event: -1 }, { reason: 'pause' });
        }
      }
      this.pos = { op: end(), event: -1 };
      this.flushSuppressed();
      this.emit('end');
    } finally {
      this.running = false;
      this.pauseRequested = false;
    }
  }

  /**
   * Runs operation `op` from its state before, checking step breakpoints at events from
   * `fromEvent` on; returns the first hit (the operation is then left inside).
   */
  private runOp(op: number, fromEvent: number): { event: number; reason: StopReason } | undefined {
    if (!this.breakpoints.needsSteps) {
      this.timeline.run(op, null);
      return undefined;
    }
    let hit: { event: number; reason: StopReason } | undefined;
    const sink = new BreakpointSink(this, op, fromEvent, (event, reason) => {
      hit = { event, reason };
    });
    this.timeline.run(op, sink);
    return hit;
  }

  /** The context inside operation `op` after event `event`, with `stack` the C frames there. */
  contextInside(op: number, event: number, stack: readonly CFrame[]): StopContext {
    const top = stack[stack.length - 1];
    return { machine: this.timeline.inside(op, event), bindings: () => this.timeline.bindingsAt(op), op: this.program.ops.op(op), locals: top?.locals ?? {} };
  }

  /** The context of a condition checked while the engine runs (the live heap is the state). */
  contextLive(op: number, stack: readonly CFrame[], machine: TraceMachine): StopContext {
    const top = stack[stack.length - 1];
    return { machine, bindings: () => this.timeline.bindingsAt(op), op: this.program.ops.op(op), locals: top?.locals ?? {} };
  }

  /** Runs backwards to the previous breakpoint, or to the start. */
  async reverseContinue(): Promise<void> {
    const { op, event } = this.pos;
    // steps earlier in the current call
    if (event >= 0) {
      const hit = this.breakpoints.needsSteps ? this.lastHitIn(op, event) : undefined;
      if (hit !== undefined) return this.stopAt({ op, event: hit.event }, { reason: hit.reason });
      // the line of the call we are inside comes before all of its steps
      const at = op;
      const bp = this.breakpoints.hasProgramLines
        ? this.breakpoints.hitAtLine(this.program.ops.line(at), () => ({ machine: this.timeline.before(at), bindings: () => this.timeline.bindingsAt(at), op: this.program.ops.op(at), locals: {} }))
        : undefined;
      if (bp !== undefined) return this.stopAt({ op, event: -1 }, { reason: 'breakpoint' });
    }
    // blocks of minDistance operations, scanned forwards from the last back to the first; once a
    // block needs heap states, it starts from a copy the timeline keeps at its first operation
    // (see coverBlocks)
    const block = this.timeline.spacing.minDistance;
    let hi = Math.min(op, this.timeline.end) - 1; // operations hi, hi-1, … are fully before us
    while (hi >= 0) {
      const lo = Math.max(0, Math.floor(hi / block) * block);
      let covered = false;
      const cover = (): void => {
        if (!covered) this.timeline.coverBlocks(lo);
        covered = true;
      };
      // the last hit in [lo, hi]: program lines and steps, in run order
      let last: { op: number; event: number; reason: StopReason } | undefined;
      for (let j = lo; j <= hi; j++) {
        if (this.breakpoints.hasProgramLines) {
          const at = j;
          const bp = this.breakpoints.hitAtLine(this.program.ops.line(at), () => {
            cover();
            return { machine: this.timeline.before(at), bindings: () => this.timeline.bindingsAt(at), op: this.program.ops.op(at), locals: {} };
          });
          if (bp !== undefined) last = { op: j, event: -1, reason: 'breakpoint' };
        }
        if (this.breakpoints.needsSteps) {
          cover();
          const hit = this.lastHitIn(j, Number.MAX_SAFE_INTEGER);
          if (hit !== undefined) last = { op: j, ...hit };
        }
      }
      if (last !== undefined) return this.stopAt({ op: last.op, event: last.event }, { reason: last.reason });
      hi = lo - 1;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.stopAt({ op: 0, event: -1 }, { reason: 'entry' });
  }

  /** The last step breakpoint hit in operation `op` before event `before`. */
  private lastHitIn(op: number, before: number): { event: number; reason: StopReason } | undefined {
    let last: { event: number; reason: StopReason } | undefined;
    const sink = new BreakpointSink(this, op, 0, (event, reason) => {
      if (event < before) last = { event, reason };
    }, false);
    this.timeline.run(op, sink);
    return last;
  }

  // ---- stops and output --------------------------------------------------------------------

  private stopAt(pos: Position, info: { reason: StopReason; text?: string }): void {
    this.pos = pos;
    this.flushSuppressed();
    for (const m of this.breakpoints.conditionErrors.splice(0)) this.emit('output', m, undefined);
    this.emit('stopped', info);
  }

  /** Writes the console line of operation `index` the first time it completes. */
  private report(index: number, outcome: CallOutcome, machine: TraceMachine): void {
    if (index < this.reported) return;
    this.reported = index + 1;
    if (this.outputBudget > 0) {
      this.outputBudget--;
      const p = this.program.ops.at(index);
      this.emit('output', formatCall(p, outcome, machine.heap), p.line);
    } else {
      this.suppressed++;
    }
  }

  private flushSuppressed(): void {
    if (this.suppressed > 0) {
      this.emit('output', `… ${this.suppressed} more call${this.suppressed === 1 ? '' : 's'} completed (lines not shown)`, undefined);
      this.suppressed = 0;
    }
  }
}

/**
 * Checks step breakpoints while the engine runs one operation: keeps the C stack and, at
 * each stop event from `fromEvent`, asks the breakpoints with the live heap as the state.
 * Stopping: the first hit stops the operation (StopSignal). Scanning: every hit is reported.
 */
class BreakpointSink implements StepSink {
  private readonly tracker = new CFrameTracker();
  private count = 0;

  constructor(
    private readonly runtime: AllocRuntime,
    private readonly op: number,
    private readonly fromEvent: number,
    private readonly onHit: (event: number, reason: StopReason) => void,
    private readonly stopOnHit = true,
  ) {}

  event(e: StepEvent): void {
    const index = this.count++;
    this.tracker.event(e);
    if (index < this.fromEvent || !isStopEvent(e)) return;
    const machine = this.runtime.timeline.liveMachine();
    const hit = this.runtime.breakpoints.hitAtEvent(e, () => this.runtime.contextLive(this.op, this.tracker.stack, machine));
    if (hit === undefined) return;
    this.onHit(index, hit.kind === 'function' ? 'function breakpoint' : 'breakpoint');
    if (this.stopOnHit) throw new StopSignal();
  }
}
