// Time travel over a program's run: the heap state before any operation, or in the middle of
// one, reached from the nearest checkpoint (a frozen copy of the heap) by replaying on the fast
// path. Checkpoints are made the first time the run passes them, each placed after the one
// before by what that one cost (see checkpointSpacing.ts). Replays also leave nearby copies at
// multiples of minDistance: a long jump one just below its target, so that stepping back from
// there stays short, and a backwards scan one at each block it will walk through.

import { StepEvent, StepRecorder, StepSink } from '../engine/step';
import { CallOutcome, IdBlock, TraceMachine } from './traceMachine';
import { CheckpointSpacing, checkSpacing, DEFAULT_CHECKPOINT_SPACING, nextCheckpointDistance } from './checkpointSpacing';
import { AnyProfile, anyCopyFootprint, isZend7Profile } from './heapFamily';
import { IdHistory } from './idHistory';
import type { ProgramOps } from './programOps';
import type { RawOp } from '../trace/rawTrace';

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

/**
 * Recordings kept: operation i's sits in slot i % RECORDINGS_KEPT until an operation sharing
 * that slot is recorded (so the last RECORDINGS_KEPT consecutive operations are all kept).
 */
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
  /** Frozen copies, in run order (`next` is the operation each sits before). */
  private readonly checkpoints: TraceMachine[] = [];
  /** Where the next checkpoint is due. */
  private nextCheckpointAt: number;
  /** Bytes the checkpoints hold of their own (pages shared with the previous one not counted). */
  private checkpointByteTotal = 0;
  private live: TraceMachine;
  /** True while `live` sits inside an operation (after a StopSignal). */
  private liveInside = false;
  /** Where `live` sits when it was stopped by inside() (other stops inside are the breakpoint sinks'). */
  private insideAt: { index: number; event: number } | null = null;
  private readonly recordings: (OpRecording | undefined)[] = new Array(RECORDINGS_KEPT).fill(undefined);
  /** Per slot of `recordings`: the operation whose recording it holds, or -1. */
  private readonly recordedOps = new Int32Array(RECORDINGS_KEPT).fill(-1);
  /** The machine before operation `preOp.index`, kept while stepping inside that operation. */
  private preOp: { index: number; machine: TraceMachine } | null = null;
  /**
   * Frozen copies replays left at multiples of minDistance, by operation index (at most
   * maxDistance / minDistance + 1 of them, from one stretch): see before() and coverBlocks().
   */
  private nearby = new Map<number, TraceMachine>();
  /** Index of the operation whose fatal error ended the process, or -1. */
  haltedAt = -1;
  /**
   * The furthest the run has gone: operations below it have what their ID names after them in
   * the history, so a replay from a checkpoint needs no ID table (a copy is only the heap).
   */
  private frontier = 0;
  /** What each operation's trace ID names before and after it. */
  private readonly ids: IdHistory;
  /** True for a PHP 7.0 – 8.x heap (how a call's argument follows from its ID). */
  private readonly zend7: boolean;
  private bindingsCache: { index: number; bindings: Bindings } | null = null;
  /** Called after every operation the live machine completes (replays included). */
  onApplied: ((index: number, outcome: CallOutcome, machine: TraceMachine) => void) | null = null;

  constructor(
    readonly ops: ProgramOps,
    readonly profile: AnyProfile,
    readonly spacing: CheckpointSpacing = DEFAULT_CHECKPOINT_SPACING,
  ) {
    checkSpacing(spacing);
    this.zend7 = isZend7Profile(profile);
    this.live = TraceMachine.fresh(profile);
    this.ids = new IdHistory(ops);
    this.nextCheckpointAt = this.addCheckpoint(this.live.copy());
  }

  /** Bytes the per-operation ID history takes. */
  get logBytes(): number {
    return this.ids.byteLength;
  }

  /** Bytes the checkpoints hold of their own (a page two consecutive ones share counted once). */
  get checkpointBytes(): number {
    return this.checkpointByteTotal;
  }

  /** The machine operations run on right now (inside a call while a sink runs). */
  liveMachine(): TraceMachine {
    return this.live;
  }

  /** Number of checkpoints taken so far. */
  get checkpointCount(): number {
    return this.checkpoints.length;
  }

  /** The checkpoint copies, in run order (read-only use: positions and memory figures). */
  checkpointMachines(): readonly TraceMachine[] {
    return this.checkpoints;
  }

  /** The operation index of the last checkpoint at or before operation `index`. */
  checkpointAtOrBefore(index: number): number {
    return this.checkpoints[this.checkpointIndex(index)].next;
  }

  /** The position in `checkpoints` of the last one at or before operation `index` (binary search). */
  private checkpointIndex(index: number): number {
    const cps = this.checkpoints;
    let lo = 0;
    let hi = cps.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (cps[mid].next <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The last operation index a run can reach: the op count, or one past a fatal error. */
  get end(): number {
    return this.haltedAt >= 0 ? this.haltedAt + 1 : this.ops.length;
  }

  /** The machine before operation `index` (0 <= index <= end). Mutated by later calls. */
  before(index: number): TraceMachine {
    if (!this.liveInside && this.live.next === index) {
      // already there (the next operation of a run forwards): no copy to look for
      this.checkpointLive();
      return this.live;
    }
    const start = this.nearestCopy(index);
    let keepAt = -1;
    // restore when the live machine is inside a call, past the target, or behind `start`
    if (this.liveInside || this.live.next > index || this.live.next < start.next) {
      this.live = start.copy();
      this.liveInside = false;
      const block = this.spacing.minDistance;
      if (index - start.next > block) keepAt = Math.floor((index - 1) / block) * block;
    }
    while (this.live.next < index) {
      if (this.live.halted !== null) break;
      this.applyLive(null);
      if (this.live.next === keepAt) this.nearby = new Map([[keepAt, this.live.copy()]]);
    }
    this.checkpointLive();
    return this.live;
  }

  /** The checkpoint or nearby copy closest at or before operation `index`. */
  private nearestCopy(index: number): TraceMachine {
    let start = this.checkpoints[this.checkpointIndex(index)];
    for (const [at, copy] of this.nearby) if (at <= index && at > start.next) start = copy;
    return start;
  }

  /**
   * Prepares a walk backwards over blocks of minDistance operations that starts at `index` (a
   * multiple of minDistance): unless a copy is kept there already, replays from the checkpoint
   * at or before `index` up to it, keeping a copy at every multiple of minDistance on the way,
   * so that each block below, down to that checkpoint, starts from its own copy. Leaves the
   * live machine at `index`.
   */
  coverBlocks(index: number): void {
    const block = this.spacing.minDistance;
    if (this.nearby.has(index)) return;
    let shareWith = this.checkpoints[this.checkpointIndex(index)];
    if (index - shareWith.next <= block) return;
    const copies = new Map<number, TraceMachine>();
    this.live = shareWith.copy();
    this.liveInside = false;
    while (this.live.next < index && this.live.halted === null) {
      this.applyLive(null);
      if (this.live.next % block === 0) {
        shareWith = this.live.copy(shareWith);
        copies.set(this.live.next, shareWith);
      }
    }
    this.checkpointLive();
    this.nearby = copies;
  }

  /** Applies the next operation to the live machine, noting a fatal end and checkpoints. */
  private applyLive(sink: StepSink | null): CallOutcome {
    this.checkpointLive();
    const index = this.live.next;
    const op = this.ops.op(index);
    const atFrontier = index === this.frontier;
    const named = op.op === 'f' || op.op === 'r' || (atFrontier && op.op === 'a');
    const block = named ? this.ids.before(index) : undefined;
    const outcome = this.live.apply(op, this.argument(op, block), sink);
    if (atFrontier) {
      if (op.op === 'a' || op.op === 'f' || op.op === 'r') this.ids.record(index, afterOp(op.op, block, outcome.address ?? NaN));
      this.frontier++;
    }
    if (outcome.fatal === true) this.haltedAt = index;
    this.onApplied?.(index, outcome, this.live);
    return outcome;
  }

  /** The argument of `op` (see TraceMachine.apply), from what its ID names before it (`block`). */
  private argument(op: RawOp, block: IdBlock | undefined): number {
    if (op.op !== 'f' && op.op !== 'r') return this.zend7 ? 0 : NaN;
    if (!this.zend7) {
      // 5.x: a free or realloc of an ID that is not live makes no allocator call
      return block !== undefined && block.live ? block.address : NaN;
    }
    if (op.op === 'f') return block?.address ?? NaN;
    return block !== undefined && block.live ? block.address : 0;
  }

  /** The ID table and script variables before operation `index` (which the run has reached). */
  bindingsAt(index: number): Bindings {
    if (this.bindingsCache?.index === index) return this.bindingsCache.bindings;
    const upTo = Math.min(index, this.frontier);
    const ids = new Map<string, IdBlock>();
    const names = new Map<string, string>();
    for (let j = 0; j < upTo; j++) {
      if (this.ops.idKey(j) === undefined) continue;
      const p = this.ops.at(j);
      if (p.op.op !== 'a' && p.op.op !== 'f' && p.op.op !== 'r') continue;
      const block = this.ids.after(j);
      if (block !== undefined) ids.set(p.op.id, block);
      if (p.target !== undefined && p.op.op !== 'f') names.set(p.target, p.op.id);
    }
    const bindings = { ids, names };
    this.bindingsCache = { index, bindings };
    return bindings;
  }

  /** Takes the checkpoint of the live machine's position when it is due and missing. */
  private checkpointLive(): void {
    if (!this.liveInside && this.live.next === this.nextCheckpointAt) {
      this.nextCheckpointAt = this.addCheckpoint(this.live.copy(this.checkpoints[this.checkpoints.length - 1]));
    }
  }

  /** Keeps `copy` as the next checkpoint; returns where the one after it is due. */
  private addCheckpoint(copy: TraceMachine): number {
    const previous = this.checkpoints[this.checkpoints.length - 1] as TraceMachine | undefined;
    const bytes = anyCopyFootprint(copy.heap, previous?.heap);
    this.checkpoints.push(copy);
    this.checkpointByteTotal += bytes;
    return copy.next + nextCheckpointDistance(this.spacing, bytes);
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
    const slot = index % RECORDINGS_KEPT;
    let rec = this.recordedOps[slot] === index ? this.recordings[slot] : undefined;
    if (rec === undefined) {
      const recorder = new StepRecorder();
      const outcome = this.run(index, recorder) as CallOutcome;
      rec = { events: recorder.events, outcome };
      this.recordings[slot] = rec;
      this.recordedOps[slot] = index;
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

/**
 * What an ID names after operation `kind` on it, from what it named before (`block`) and the
 * block the operation returned (`result`, NaN: none). A failed allocation leaves the ID naming
 * its old block, no longer live; a failed reallocation leaves it as it was.
 */
function afterOp(kind: 'a' | 'f' | 'r', block: IdBlock | undefined, result: number): IdBlock | undefined {
  if (kind === 'f') return block === undefined ? undefined : { address: block.address, live: false };
  if (!Number.isNaN(result)) return { address: result, live: true };
  if (block !== undefined && kind === 'a') return { address: block.address, live: false };
  return block;
}
