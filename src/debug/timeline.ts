// Time travel over a program's run: the heap state before any operation, or in the middle of
// one, reached from the nearest checkpoint (a frozen copy taken every `interval` operations)
// by replaying on the fast path. Checkpoints are made the first time the run passes them.

import { StepEvent, StepRecorder, StepSink } from '../engine/step';
import { CallOutcome, IdBlock, TraceMachine } from './traceMachine';
import { AnyProfile, isZend7Profile } from './heapFamily';
import type { ProgramOp } from './traceProgram';

/** Thrown by a step sink to stop an operation in the middle (the machine stays there). */
export class StopSignal {
  readonly stop = true;
}

/** What one operation did, step by step. */
export interface OpRecording {
  readonly events: readonly StepEvent[];
  readonly outcome: CallOutcome;
}

/** Which block each trace ID and script variable names at one point of the run. */
export interface Bindings {
  /** Trace ID -> block. */
  readonly ids: ReadonlyMap<string, IdBlock>;
  /** Script variable -> trace ID (.zmm programs). */
  readonly names: ReadonlyMap<string, string>;
}

/** Default operations between checkpoints. */
export const DEFAULT_CHECKPOINT_INTERVAL = 2000;
/** Recordings kept (most recent first out). */
const RECORDINGS_KEPT = 64;

/** A sink that keeps events and stops the call after event number `stopAfter` (0-based). */
class StoppingRecorder extends StepRecorder {
  constructor(private readonly stopAfter: number) {
    super();
  }
  override event(e: StepEvent): void {
    super.event(e);
    if (this.events.length > this.stopAfter) throw new StopSignal();
  }
}

export class Timeline {
  private readonly checkpoints: TraceMachine[] = [];
  private live: TraceMachine;
  /** True while `live` sits inside an operation (after a StopSignal). */
  private liveInside = false;
  /** Where `live` sits when it was stopped by inside() (other stops inside are the breakpoint sinks'). */
  private insideAt: { index: number; event: number } | null = null;
  private readonly recordings = new Map<number, OpRecording>();
  /** The machine before operation `preOp.index`, kept while stepping inside that operation. */
  private preOp: { index: number; machine: TraceMachine } | null = null;
  /** Index of the operation whose fatal error ended the process, or -1. */
  haltedAt = -1;
  /**
   * The furthest the run has gone: operations below it have their argument and result in the
   * logs, so a replay from a checkpoint needs no ID table (a copy is only the heap).
   */
  private frontier = 0;
  /** The ID table at the frontier. */
  private readonly frontierIds = new Map<string, IdBlock>();
  /** Per operation: the block it acted on (see TraceMachine.apply), and the block it returned (NaN: none). */
  private readonly argLog: Float64Array;
  private readonly resultLog: Float64Array;
  private bindingsCache: { index: number; bindings: Bindings } | null = null;
  /** Called after every operation the live machine completes (replays included). */
  onApplied: ((index: number, outcome: CallOutcome, machine: TraceMachine) => void) | null = null;

  constructor(
    readonly ops: readonly ProgramOp[],
    readonly profile: AnyProfile,
    readonly interval: number = DEFAULT_CHECKPOINT_INTERVAL,
  ) {
    this.live = TraceMachine.fresh(profile);
    this.checkpoints.push(this.live.copy());
    this.argLog = new Float64Array(ops.length);
    this.resultLog = new Float64Array(ops.length);
  }

  /** Bytes the per-operation logs take. */
  get logBytes(): number {
    return this.argLog.byteLength + this.resultLog.byteLength;
  }

  /** The machine operations run on right now (inside a call while a sink runs). */
  liveMachine(): TraceMachine {
    return this.live;
  }

  /** Number of checkpoints taken so far. */
  get checkpointCount(): number {
    return this.checkpoints.length;
  }

  /** The checkpoint copies (read-only use: memory figures). */
  checkpointMachines(): readonly TraceMachine[] {
    return this.checkpoints;
  }

  /** The last operation index a run can reach: the op count, or one past a fatal error. */
  get end(): number {
    return this.haltedAt >= 0 ? this.haltedAt + 1 : this.ops.length;
  }

  /** The machine before operation `index` (0 <= index <= end). Mutated by later calls. */
  before(index: number): TraceMachine {
    const k = Math.min(Math.floor(index / this.interval), this.checkpoints.length - 1);
    const fromCheckpoint = index - k * this.interval;
    if (this.liveInside || this.live.next > index || index - this.live.next > fromCheckpoint) {
      this.live = this.checkpoints[k].copy();
      this.liveInside = false;
    }
    while (this.live.next < index) {
      if (this.live.halted !== null) break;
      this.applyLive(null);
    }
    this.checkpointLive();
    return this.live;
  }

  /** Applies the next operation to the live machine, noting a fatal end and checkpoints. */
  private applyLive(sink: StepSink | null): CallOutcome {
    this.checkpointLive();
    const index = this.live.next;
    const op = this.ops[index].op;
    const atFrontier = index === this.frontier;
    const arg = atFrontier ? this.resolveAtFrontier(op) : this.argLog[index];
    const outcome = this.live.apply(op, arg, sink);
    if (atFrontier) {
      this.argLog[index] = arg;
      this.resultLog[index] = outcome.address ?? NaN;
      this.bind(this.frontierIds, op, outcome.address ?? NaN);
      this.frontier++;
    }
    if (outcome.fatal === true) this.haltedAt = index;
    this.onApplied?.(index, outcome, this.live);
    return outcome;
  }

  /** The argument of `op` from the ID table at the frontier. */
  private resolveAtFrontier(op: ProgramOp['op']): number {
    const block = op.op === 'f' || op.op === 'r' ? this.frontierIds.get(op.id) : undefined;
    if (!isZend7Profile(this.profile)) {
      // 5.x: a free or realloc of an ID that is not live makes no allocator call
      return block !== undefined && block.live ? block.address : NaN;
    }
    if (op.op === 'f') return block?.address ?? NaN;
    if (op.op === 'r') return block !== undefined && block.live ? block.address : 0;
    return 0;
  }

  /** Updates an ID table with what `op` did (`result`: the block it returned, NaN if none). */
  private bind(ids: Map<string, IdBlock>, op: ProgramOp['op'], result: number): void {
    if (op.op === 'a' || op.op === 'r') {
      const old = ids.get(op.id);
      if (!Number.isNaN(result)) ids.set(op.id, { address: result, live: true });
      else if (old !== undefined && op.op === 'a') ids.set(op.id, { address: old.address, live: false });
    } else if (op.op === 'f') {
      const old = ids.get(op.id);
      if (old !== undefined) ids.set(op.id, { address: old.address, live: false });
    }
  }

  /** The ID table and script variables before operation `index` (which the run has reached). */
  bindingsAt(index: number): Bindings {
    if (this.bindingsCache?.index === index) return this.bindingsCache.bindings;
    const upTo = Math.min(index, this.frontier);
    const ids = new Map<string, IdBlock>();
    const names = new Map<string, string>();
    for (let j = 0; j < upTo; j++) {
      const p = this.ops[j];
      this.bind(ids, p.op, this.resultLog[j]);
      if (p.target !== undefined && (p.op.op === 'a' || p.op.op === 'r')) names.set(p.target, p.op.id);
    }
    const bindings = { ids, names };
    this.bindingsCache = { index, bindings };
    return bindings;
  }

  /** Takes the checkpoint of the live machine's position when it is due and missing. */
  private checkpointLive(): void {
    const n = this.live.next;
    if (!this.liveInside && n % this.interval === 0 && n / this.interval === this.checkpoints.length) {
      this.checkpoints.push(this.live.copy(this.checkpoints[this.checkpoints.length - 1]));
    }
  }

  /**
   * Runs operation `index` with `sink` from the state before it; returns its outcome, or
   * null when the sink stopped it (the live machine is then inside the call).
   */
  run(index: number, sink: StepSink | null): CallOutcome | null {
    this.before(index);
    try {
      return this.applyLive(sink);
    } catch (e) {
      if (!(e instanceof StopSignal)) throw e;
      this.liveInside = true;
      this.insideAt = null;
      return null;
    }
  }

  /** Every step of operation `index` and what it did (recorded once, then cached). */
  recording(index: number): OpRecording {
    let rec = this.recordings.get(index);
    if (rec === undefined) {
      const recorder = new StepRecorder();
      const outcome = this.run(index, recorder) as CallOutcome;
      rec = { events: recorder.events, outcome };
      if (this.recordings.size >= RECORDINGS_KEPT) {
        this.recordings.delete(this.recordings.keys().next().value as number);
      }
      this.recordings.set(index, rec);
    }
    return rec;
  }

  /** The machine inside operation `index`, right after its step event `event` (0-based). */
  inside(index: number, event: number): TraceMachine {
    if (this.liveInside && this.insideAt !== null && this.insideAt.index === index && this.insideAt.event === event) {
      return this.live;
    }
    if (this.preOp === null || this.preOp.index !== index) {
      this.preOp = { index, machine: this.before(index).copy() };
    }
    this.live = this.preOp.machine.copy();
    this.liveInside = false;
    const stopped = this.run(index, new StoppingRecorder(event));
    this.insideAt = { index, event };
    if (stopped !== null) {
      // the call ended before that event (cannot happen for an event of its recording)
      throw new Error(`operation ${index} has no step event ${event}`);
    }
    return this.live;
  }
}
