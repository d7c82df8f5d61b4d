// The live heap of one window: a heap of the chosen PHP version, the variables that name its
// blocks (as a trace names them), and the history of counters the timeline draws. No VS Code.

import { AllocatorError } from '../engine/allocatorError';
import { PROFILES } from '../engine/profiles';
import { SUPPORTED_PHP_VERSIONS } from '../engine/versions';
import type { ByteCount, RawOp } from '../trace/rawTrace';
import type { Touched } from '../engine/step';
import type { HeapSnapshot, PageDetails, TimelinePoint, TouchedRegion } from '../protocol/heapSnapshot';
import type { HeapBackend, OwnerIndex } from './heapBackend';
import { Zend5Backend } from './zend5Backend';
import { Zend7Backend } from './zend7Backend';

/** What one operation did, in words, for the output channel. */
export interface OpOutcome {
  /** The operation in the trace language, e.g. "b1 = emalloc(100)". */
  readonly op: string;
  readonly ok: boolean;
  /** What happened (the block's place and size, or PHP's error text). */
  readonly text: string;
}

/** A live block a person can pick. */
export interface LiveBlock {
  readonly name: string;
  readonly address: number;
  readonly size: number;
  readonly where: string;
}

/** What changed: one operation, a batch of a replay, or a new heap. */
export type SessionChange = { readonly kind: 'ops' } | { readonly kind: 'reset' };

/** Progress and cancellation of a replay. */
export interface ReplayControl {
  /** Called after every batch with operations done and the total. */
  onProgress?(done: number, total: number): void;
  /** Asked between batches; true stops the replay (what ran so far stays). */
  isCancelled?(): boolean;
  /** Operations per batch (default 2000). */
  batch?: number;
  /**
   * The variable each `a`/`r` operation stores its block in (a .zmm script's names), index for
   * index with the operations; without one a block is named #ID.
   */
  names?: readonly (string | undefined)[];
}

/** The outcome of a replay. */
export interface ReplaySummary {
  readonly applied: number;
  readonly total: number;
  readonly failed: number;
  readonly cancelled: boolean;
  /** The first few failures, as "line N: op: text". */
  readonly failures: string[];
  /** Set when a fatal error ended the simulated process. */
  readonly halted: string | null;
}

/** A variable name: letters, digits, underscore, not starting with a digit (as in .zmm). */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The reason a name cannot be used, or undefined. */
export function checkBlockName(name: string): string | undefined {
  return NAME.test(name) ? undefined : `'${name}' is not a variable name (letters, digits and _, not starting with a digit)`;
}

/** A heap session of one window. */
export class HeapSession {
  private backend: HeapBackend;
  /** Live variables: name → block address. */
  private readonly names = new Map<string, number>();
  /** Live blocks: address → the names that hold it (kept with `names`). */
  private readonly ownerIndex = new Map<number, string[]>();
  private history: TimelinePoint[] = [];
  private nextName = 1;
  private haltedBy: string | null = null;
  private readonly listeners = new Set<(c: SessionChange) => void>();
  /** Set while a replay batch runs: listeners hear of the batch once, at its end. */
  private muted = false;

  /** Starts a heap of `version` ("MAJOR.MINOR", one of SUPPORTED_PHP_VERSIONS). */
  constructor(version: string = '8.2') {
    this.backend = HeapSession.makeBackend(version);
  }

  private static makeBackend(version: string): HeapBackend {
    if (!SUPPORTED_PHP_VERSIONS.includes(version)) {
      throw new Error(`unsupported PHP version '${version}' (supported: ${SUPPORTED_PHP_VERSIONS.join(', ')})`);
    }
    return PROFILES.has(version) ? new Zend7Backend(version) : new Zend5Backend(version);
  }

  get version(): string {
    return this.backend.version;
  }

  get family(): 'zend7' | 'zend5' {
    return this.backend.family;
  }

  /** The fatal error that ended the simulated process, or null. */
  get halted(): string | null {
    return this.haltedBy;
  }

  /** Operations applied since the heap started. */
  get seq(): number {
    return this.history.length;
  }

  /** The counters after each operation. */
  get timeline(): readonly TimelinePoint[] {
    return this.history;
  }

  /** Calls `listener` after each change; returns its remover. */
  onDidChange(listener: (c: SessionChange) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private emit(c: SessionChange): void {
    if (this.muted) return;
    for (const l of [...this.listeners]) l(c);
  }

  /** A fresh heap, of `version` when given (else the same version). Names and history go. */
  reset(version: string = this.version): void {
    this.backend = HeapSession.makeBackend(version);
    this.names.clear();
    this.ownerIndex.clear();
    this.history = [];
    this.nextName = 1;
    this.haltedBy = null;
    this.emit({ kind: 'reset' });
  }

  /** The next free default name (b1, b2, …). */
  suggestName(): string {
    while (this.names.has(`b${this.nextName}`)) this.nextName++;
    return `b${this.nextName}`;
  }

  /** Live blocks in order of name. */
  liveBlocks(): LiveBlock[] {
    return [...this.names].map(([name, address]) => ({
      name,
      address,
      size: this.backend.blockSize(address),
      where: this.backend.describe(address),
    }));
  }

  /** The live block of `name`, if any. */
  addressOf(name: string): number | undefined {
    return this.names.get(name);
  }

  /** emalloc(size) into `name` (default: the next bN). A live `name` is refused. */
  allocate(size: ByteCount, name: string = this.suggestName()): OpOutcome {
    const op = `${name} = emalloc(${size})`;
    const bad = checkBlockName(name);
    if (bad !== undefined) return this.refuse(op, bad);
    if (this.names.has(name)) return this.refuse(op, `'${name}' already holds a live block; free it first or pick another name`);
    return this.run(op, () => {
      const ptr = this.backend.alloc(size);
      this.bind(name, ptr);
      return this.placed(ptr);
    });
  }

  /** efree(name). */
  free(name: string): OpOutcome {
    const op = `efree(${name})`;
    const ptr = this.names.get(name);
    if (ptr === undefined) return this.refuse(op, `'${name}' holds no live block`);
    return this.run(op, () => {
      const where = this.backend.describe(ptr);
      const size = this.backend.blockSize(ptr);
      this.unbind(name);
      this.backend.free(ptr);
      this.backend.forget(ptr);
      return `freed ${size} bytes at ${where}`;
    });
  }

  /** name = erealloc(name, size); a name with no live block is erealloc(NULL, size). */
  reallocate(name: string, size: ByteCount): OpOutcome {
    const op = `${name} = erealloc(${name}, ${size})`;
    const bad = checkBlockName(name);
    if (bad !== undefined) return this.refuse(op, bad);
    const old = this.names.get(name) ?? 0;
    return this.run(op, () => {
      const from = old === 0 ? 'NULL' : this.backend.describe(old);
      const ptr = this.backend.realloc(old, size);
      if (ptr !== old && old !== 0) this.backend.forget(old);
      this.bind(name, ptr);
      return `${ptr === old ? 'stayed at' : `moved from ${from} to`} ${this.placed(ptr)}`;
    });
  }

  /** zend_mm_gc(). */
  gc(): OpOutcome {
    return this.run('gc()', () => {
      const r = this.backend.gc();
      if (typeof r !== 'number') throw new NotRun(r.unsupported);
      return `${r} bytes given back`;
    });
  }

  /** ini_set('memory_limit', bytes). */
  setMemoryLimit(bytes: ByteCount): OpOutcome {
    return this.run(`limit ${bytes}`, () => {
      const r = this.backend.setMemoryLimit(bytes);
      if (!r.ok) throw new NotRun(r.text);
      return r.text;
    });
  }

  /**
   * Replays raw trace operations (blocks named as `control.names` says, else #ID). Runs in batches, yielding to the event
   * loop between them so progress shows and cancellation is seen. Stops at a fatal error.
   */
  async replay(ops: readonly RawOp[], control: ReplayControl = {}): Promise<ReplaySummary> {
    const batch = Math.max(1, control.batch ?? 2000);
    const failures: string[] = [];
    let failed = 0;
    let applied = 0;
    let cancelled = false;
    /** Trace ID → the name its block has now. */
    const idNames = new Map<string, string>();
    for (let i = 0; i < ops.length && this.haltedBy === null; ) {
      if (control.isCancelled?.() === true) {
        cancelled = true;
        break;
      }
      const end = Math.min(ops.length, i + batch);
      for (; i < end && this.haltedBy === null; i++) {
        const o = this.applyRaw(ops[i], control.names?.[i], idNames);
        if (o === null) continue;
        applied++;
        if (!o.ok) {
          failed++;
          if (failures.length < 20) failures.push(`line ${ops[i].line}: ${o.op}: ${o.text}`);
        }
      }
      this.emit({ kind: 'ops' });
      control.onProgress?.(i, ops.length);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return { applied, total: ops.length, failed, cancelled, failures, halted: this.haltedBy };
  }

  /** One raw op without notifying listeners (null for a dump, which changes nothing). */
  private applyRaw(o: RawOp, given: string | undefined, idNames: Map<string, string>): OpOutcome | null {
    this.muted = true;
    try {
      switch (o.op) {
        case 'a': {
          // a new allocation for a live ID drops the old block's name (it leaks, as in C)
          const old = idNames.get(o.id);
          if (old !== undefined) this.unbind(old);
          const name = given ?? `#${o.id}`;
          idNames.set(o.id, name);
          return this.allocateNamed(name, o.size);
        }
        case 'f': {
          const name = idNames.get(o.id) ?? `#${o.id}`;
          return this.names.has(name) ? this.free(name) : this.refuse(`efree(${name})`, `${name} holds no live block`);
        }
        case 'r': {
          const from = idNames.get(o.id) ?? `#${o.id}`;
          const to = given ?? from;
          const out = this.reallocateNamed(from, to, o.size);
          if (out.ok) idNames.set(o.id, to); // a failed erealloc leaves the block where it was
          return out;
        }
        case 'gc':
          return this.gc();
        case 'l':
          return this.setMemoryLimit(o.limit);
        case 'd':
          return null;
      }
    } finally {
      this.muted = false;
    }
  }

  private allocateNamed(name: string, size: ByteCount): OpOutcome {
    return this.run(`${name} = emalloc(${size})`, () => {
      const ptr = this.backend.alloc(size);
      this.bind(name, ptr);
      return this.placed(ptr);
    });
  }

  /** `to = erealloc(from, size)`: `from` names nothing afterwards unless it is `to`. */
  private reallocateNamed(from: string, to: string, size: ByteCount): OpOutcome {
    const old = this.names.get(from) ?? 0;
    return this.run(`${to} = erealloc(${from}, ${size})`, () => {
      const ptr = this.backend.realloc(old, size);
      if (ptr !== old && old !== 0) this.backend.forget(old);
      this.unbind(from);
      this.bind(to, ptr);
      return this.placed(ptr);
    });
  }

  /** "at chunk 0 + 0x1a0 (page 0, bin 11), 112 bytes". */
  private placed(ptr: number): string {
    return `at ${this.backend.describe(ptr)}, ${this.backend.blockSize(ptr)} bytes`;
  }

  private refuse(op: string, text: string): OpOutcome {
    return { op, ok: false, text };
  }

  /** Runs an allocator call, records the counters after it, and notifies listeners. */
  private run(op: string, call: () => string): OpOutcome {
    if (this.haltedBy !== null) {
      return this.refuse(op, `the simulated process ended (${this.haltedBy}); reset the heap to go on`);
    }
    let outcome: OpOutcome;
    try {
      outcome = { op, ok: true, text: call() };
    } catch (e) {
      if (e instanceof NotRun) {
        outcome = { op, ok: false, text: e.message };
      } else if (e instanceof AllocatorError) {
        if (e.fatal) this.haltedBy = e.message;
        outcome = { op, ok: false, text: e.fatal ? `${e.message} (the real process ends here)` : e.message };
      } else {
        throw e;
      }
    }
    const c = this.backend.counters();
    this.history.push({ op, size: c.size, realSize: c.realSize });
    this.emit({ kind: 'ops' });
    return outcome;
  }

  /** Names `name` the block at `address` (dropping what it named before). */
  private bind(name: string, address: number): void {
    this.unbind(name);
    this.names.set(name, address);
    const list = this.ownerIndex.get(address);
    if (list === undefined) this.ownerIndex.set(address, [name]);
    else list.push(name);
  }

  /** `name` names no block any more. */
  private unbind(name: string): void {
    const address = this.names.get(name);
    if (address === undefined) return;
    this.names.delete(name);
    const list = this.ownerIndex.get(address) ?? [];
    const rest = list.filter((n) => n !== name);
    if (rest.length === 0) this.ownerIndex.delete(address);
    else this.ownerIndex.set(address, rest);
  }

  /** Block address → names, for the views. */
  private owners(): OwnerIndex {
    return this.ownerIndex;
  }

  /** The whole heap as the inspector shows it. */
  snapshot(): HeapSnapshot {
    const parts = this.backend.viewParts(this.owners());
    return {
      version: this.version,
      family: this.family,
      seq: this.seq,
      counters: this.backend.counters(),
      ...parts,
      timeline: this.history.slice(),
      halted: this.haltedBy,
    };
  }

  /** Details of page `page` of chunk `chunk` (7.x/8.x only). */
  pageDetails(chunk: number, page: number): PageDetails | undefined {
    return this.backend.pageDetails(chunk, page, this.owners());
  }

  /** A step's touched parts as the inspector names them (huge blocks by ordinal). */
  touchedRegions(touched: readonly Touched[]): TouchedRegion[] {
    return touched.map((t): TouchedRegion => {
      if (t.kind !== 'huge') return t;
      const ordinal = this.backend instanceof Zend7Backend ? this.backend.hugeOrdinalOf(t.address) : undefined;
      return { kind: 'huge', huge: ordinal ?? -1 };
    });
  }

  /** "size / real_size" figures for a status line. */
  counters(): { size: number; realSize: number; peak: number; realPeak: number } {
    const c = this.backend.counters();
    return { size: c.size, realSize: c.realSize, peak: c.peak, realPeak: c.realPeak };
  }
}

/** An operation that ran but did not do what was asked (no allocator error). */
class NotRun extends Error {}
