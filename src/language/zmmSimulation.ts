// Runs a .zmm script on the engine, line by line, recording what the allocator did on each
// line (its step notes, the block's place, the counters after) and the problems only a run
// can show: double frees, use after free, memory-limit and fatal errors.

import { AllocatorError } from '../engine/allocatorError';
import { StepEvent, StepRecorder } from '../engine/step';
import { binDataSize } from '../engine/zend7/bins';
import { freeList } from '../engine/zend7/inspect';
import { Zend5StartupExit } from '../engine/zend5/errors';
import { TraceReplayer } from '../replay/replayer';
import { Zend5Replayer } from '../replay/zend5/zend5Replayer';
import { isDiagnostic, parseRawLine, RawOp } from '../trace/rawTrace';
import { lowerZmm, parseZmm, zmmToRaw, ZmmCall, ZmmParseResult, ZmmStatement } from '../trace/zmm';
import { ActiveProfile, activeProfileFor } from './activeProfile';

/** A problem found by running the script: where, how bad, and what the allocator does. */
export interface SimulationIssue {
  readonly line: number;
  /** 1-based columns of the span the issue is about (endColumn exclusive). */
  readonly column: number;
  readonly endColumn: number;
  readonly severity: 'error' | 'warning';
  readonly code: 'double-free' | 'use-after-free' | 'allocation-failed' | 'fatal' | 'process-ended' | 'startup-failed';
  readonly message: string;
}

/** What one line did when the script ran. */
export interface LineOutcome {
  readonly line: number;
  /** The lowered call of the line. */
  readonly call: ZmmCall;
  /** One sentence: the path the allocator took. */
  readonly summary: string;
  /** The engine's notes of the statements it executed, in order. */
  readonly steps: readonly string[];
  /** "chunk 0, offset 0x1000", "huge block 0", "segment 0, offset 48" for the block returned or freed. */
  readonly place?: string;
  /** Bytes the block occupies (slot, run, mapping or true size). */
  readonly blockSize?: number;
  /** The allocator's error message, when the call failed. */
  readonly error?: string;
  /** Counters after the line, in words. */
  readonly counters?: string;
  /** The bin a small slot was pushed back onto, when the line freed one (7.0 – 8.x). */
  readonly freedBin?: number;
  /** Set when the line never ran because the process ended earlier. */
  readonly notRun?: string;
}

/** A whole run. */
export interface ZmmSimulation {
  readonly profile: ActiveProfile;
  /** Where the version came from: the script's `php` line or the default passed in. */
  readonly versionFrom: 'script' | 'setting';
  readonly outcomes: ReadonlyMap<number, LineOutcome>;
  readonly issues: readonly SimulationIssue[];
  readonly statements: readonly ZmmStatement[];
}

/** What a name refers to at a point of the script. */
interface NameState {
  live: boolean;
  assignedLine: number;
  freedLine?: number;
}

type AnyReplayer = { kind: 'zend7'; r: TraceReplayer } | { kind: 'zend5'; r: Zend5Replayer };

/** Options of a run. */
export interface SimulateOptions {
  /**
   * Lines whose allocator steps are recorded (their summary and steps need them): 'all', or a
   * set of 1-based lines. Recording costs time, so the diagnostics run records none (but a
   * double free's line, whose message needs it); a hover records its own line.
   */
  readonly detail?: 'all' | ReadonlySet<number>;
  /** The script already parsed (saves parsing it twice). */
  readonly parsed?: ZmmParseResult;
}

/**
 * Runs `text` (the script `file`) on a fresh heap of its `php` version, or of `fallback` when
 * it names none. Never throws for bad script content.
 */
export function simulateZmm(text: string, file: string, fallback: ActiveProfile, options: SimulateOptions = {}): ZmmSimulation {
  const parsed = options.parsed ?? parseZmm(text, file);
  const detail = options.detail ?? new Set<number>();
  const calls = lowerZmm(parsed.statements);
  const phpCall = calls.find((c) => c.kind === 'php');
  const fromScript = phpCall !== undefined && phpCall.kind === 'php' ? activeProfileFor(phpCall.version) : undefined;
  const profile = fromScript ?? fallback;
  const outcomes = new Map<number, LineOutcome>();
  const issues: SimulationIssue[] = [];
  const result = (): ZmmSimulation => ({ profile, versionFrom: fromScript !== undefined ? 'script' : 'setting', outcomes, issues, statements: parsed.statements });

  let replayer: AnyReplayer;
  try {
    replayer = profile.family === 'zend7' ? { kind: 'zend7', r: new TraceReplayer({ profile: profile.profile }) } : { kind: 'zend5', r: new Zend5Replayer({ profile: profile.profile }) };
  } catch (e) {
    const line = phpCall?.line ?? 1;
    const message = e instanceof Zend5StartupExit || e instanceof Error ? e.message : String(e);
    issues.push({ line, column: 1, endColumn: 2, severity: 'error', code: 'startup-failed', message: `the PHP ${profile.version} heap cannot start: ${message}` });
    return result();
  }

  const raw = zmmToRaw(calls, file);
  const opsByLine = new Map<number, RawOp>();
  raw.lines.forEach((t, i) => {
    const r = parseRawLine(t, i + 1, file);
    if (r !== null && !isDiagnostic(r)) opsByLine.set(raw.sourceLines[i], r);
  });
  const callSpans = new Map<number, { column: number; endColumn: number; argColumn?: number; argEnd?: number }>();
  for (const s of parsed.statements) {
    if (s.kind === 'call') {
      const a = s.args[0];
      callSpans.set(s.span.line, { column: s.span.column, endColumn: s.span.endColumn, argColumn: a?.span.column, argEnd: a?.span.endColumn });
    }
  }
  const names = new Map<string, NameState>();
  let ended: string | undefined;

  for (const call of calls) {
    const span = callSpans.get(call.line) ?? { column: 1, endColumn: 2 };
    const argSpan = { column: span.argColumn ?? span.column, endColumn: span.argEnd ?? span.endColumn };
    if (ended !== undefined) {
      if (call.kind !== 'php') outcomes.set(call.line, { call, line: call.line, summary: 'Not run.', steps: [], notRun: ended });
      continue;
    }
    const before = 'name' in call ? names.get(call.name) : undefined;
    const op = opsByLine.get(call.line);
    let outcome: LineOutcome;
    try {
      const record = detail === 'all' || detail.has(call.line) || (before !== undefined && !before.live);
      outcome = runCall(replayer, call, op, before, record);
    } catch (e) {
      // an engine failure that is not an allocator error: report it on the line, stop the run
      const message = e instanceof Error ? e.message : String(e);
      ended = `the simulation stopped at line ${call.line} (${message})`;
      issues.push({ line: call.line, ...span, severity: 'error', code: 'process-ended', message: `the simulator could not run this line: ${message}` });
      continue;
    }
    outcomes.set(call.line, outcome);
    // problems only a run shows
    if ((call.kind === 'efree' || call.kind === 'erealloc') && before !== undefined && !before.live) {
      const what = call.kind === 'efree' ? 'double free' : 'use after free';
      issues.push({
        line: call.line,
        ...argSpan,
        severity: 'warning',
        code: call.kind === 'efree' ? 'double-free' : 'use-after-free',
        message: `${what}: '${call.name}' was already freed on line ${before.freedLine}. ${afterFreeConsequence(replayer, call, outcome)}`,
      });
    } else if (outcome.error !== undefined) {
      issues.push({ line: call.line, ...span, severity: 'warning', code: 'allocation-failed', message: `${call.kind === 'limit' ? 'ini_set(memory_limit) fails' : 'the allocation fails'}: ${outcome.error}${call.kind === 'limit' ? '' : ' (PHP ends the request with this fatal error)'}` });
    }
    if (call.kind === 'fatal') {
      ended = `PHP ended the request on line ${call.line}: ${call.message}`;
      issues.push({ line: call.line, ...span, severity: 'warning', code: 'fatal', message: `PHP stops here with a fatal error: ${call.message}; later lines never run` });
    }
    const halted = replayer.r.halted;
    if (halted !== null && ended === undefined) {
      ended = `the process ended on line ${call.line}: ${halted.message}`;
      issues.push({ line: call.line, ...span, severity: 'warning', code: 'process-ended', message: `the real process ends here (${halted.message}); later lines never run` });
    }
    trackNames(names, call);
  }
  return result();
}

/** Updates what each name refers to after `call`. */
function trackNames(names: Map<string, NameState>, call: ZmmCall): void {
  switch (call.kind) {
    case 'emalloc':
    case 'pemalloc':
      if (call.target !== null) names.set(call.target, { live: true, assignedLine: call.line });
      break;
    case 'erealloc':
    case 'perealloc':
      names.set(call.target, { live: true, assignedLine: call.line });
      break;
    case 'efree':
    case 'pefree': {
      const s = names.get(call.name);
      if (s !== undefined && s.live) names.set(call.name, { ...s, live: false, freedLine: call.line });
      break;
    }
    default:
      break;
  }
}

/** What the real allocator does with a freed block passed again, as the run showed it. */
function afterFreeConsequence(rep: AnyReplayer, call: ZmmCall, outcome: LineOutcome): string {
  if (rep.kind === 'zend5') {
    return call.kind === 'efree'
      ? 'A PHP 5.x release build does not check: a small block goes onto its cache list a second time while the cache has room (two later allocations of its size then get the same block); otherwise it is linked into the free lists twice. The simulator cannot follow that corruption and skips this call.'
      : 'PHP 5.x would resize memory that is no longer the script\'s (the block may already be reused). The simulator skips this call.';
  }
  if (call.kind === 'erealloc') {
    return 'PHP would resize memory that is no longer the script\'s; this simulation treats it as erealloc(NULL, size), a fresh allocation.';
  }
  if (outcome.error !== undefined) {
    return `The allocator detects it: ${outcome.error}.`;
  }
  const bin = outcome.freedBin;
  if (bin !== undefined) {
    const loops = freeList(rep.r.heap, bin).loops;
    return `zend_mm_free_small does not check: its ${binDataSize[bin]}-byte slot goes onto bin ${bin}'s free list a second time` +
      (loops ? `, which now loops, so later allocations from bin ${bin} return the same address more than once.` : '.');
  }
  return `The allocator does not check: ${outcome.steps.join('; ')}.`;
}

/** Runs one call on the replayer and describes it. */
function runCall(rep: AnyReplayer, call: ZmmCall, op: RawOp | undefined, before: NameState | undefined, record: boolean): LineOutcome {
  const base = { call, line: call.line };
  switch (call.kind) {
    case 'php':
      return { ...base, summary: `Follows the PHP ${call.version} allocator.`, steps: [] };
    case 'dump':
      return { ...base, summary: 'Shows the heap state here (nothing is allocated).', steps: [] };
    case 'pemalloc':
    case 'perealloc':
    case 'pefree':
      return { ...base, summary: 'Persistent memory: the system allocator (malloc/realloc/free) serves it; the Zend heap does not change.', steps: [] };
    case 'fatal':
      return { ...base, summary: `PHP raises a fatal error before allocating: ${call.message}`, steps: [] };
    default:
      break;
  }
  if (op === undefined || op.op === 'd') {
    const why = before === undefined ? 'the name has no Zend-heap block' : 'nothing to run';
    return { ...base, summary: `Not run: ${why}.`, steps: [] };
  }
  const recorder = new StepRecorder();
  const sink = record ? recorder : null;
  if (rep.kind === 'zend7') {
    rep.r.heap.sink = sink;
    try {
      const rec = rep.r.apply(op);
      const place = rec.at === undefined ? undefined : 'huge' in rec.at ? `huge block ${rec.at.huge}` : `chunk ${rec.at.chunk}, offset 0x${rec.at.offset.toString(16)}`;
      const h = rec.heap;
      return {
        ...base,
        summary: summarize7(call, recorder.events, rec.error),
        steps: notes(recorder.events),
        place,
        blockSize: rec.blockSize,
        freedBin: freedBin(recorder.events),
        error: rec.error,
        counters: h === undefined ? undefined : `size ${h.size}, peak ${h.peak}, real size ${h.realSize}, chunks ${h.chunks} (+${h.cachedChunks} cached)`,
      };
    } finally {
      rep.r.heap.sink = null;
    }
  }
  rep.r.heap.sink = sink;
  try {
    if (op.op === 'gc') {
      return { ...base, summary: 'PHP 5.x has no zend_mm_gc(): nothing happens.', steps: [] };
    }
    const rec = rep.r.apply(op);
    const h = rec.heap;
    const skipped = rec.error === 'notlive';
    return {
      ...base,
      summary: skipped ? 'Skipped: the name holds no live block.' : summarize5(call, recorder.events, rec.message),
      steps: notes(recorder.events),
      place: rec.at === undefined ? undefined : `segment ${rec.at.segment}, offset ${rec.at.offset}`,
      blockSize: rec.blockSize,
      error: skipped ? undefined : rec.message,
      counters: `size ${h.size}, peak ${h.peak}, real size ${h.realSize}, cached ${h.cached}`,
    };
  } catch (e) {
    if (e instanceof AllocatorError) {
      return { ...base, summary: 'The allocator failed.', steps: notes(recorder.events), error: e.message };
    }
    throw e;
  } finally {
    rep.r.heap.sink = null;
  }
}

/** The bin of a `zend_mm_free_small:push` among `events`. */
function freedBin(events: readonly StepEvent[]): number | undefined {
  for (const e of events) {
    if (e.kind === 'stmt' && e.anchor === 'zend_mm_free_small:push') {
      const bin = e.locals?.bin_num;
      if (typeof bin === 'number') return bin;
    }
  }
  return undefined;
}

/** The notes of statement events. */
function notes(events: readonly StepEvent[]): string[] {
  const out: string[] = [];
  for (const e of events) if (e.kind === 'stmt') out.push(e.note);
  return out;
}

function has(events: readonly StepEvent[], anchor: string): boolean {
  return events.some((e) => e.kind === 'stmt' && e.anchor === anchor);
}

function hasPrefix(events: readonly StepEvent[], prefix: string): boolean {
  return events.some((e) => e.kind === 'stmt' && e.anchor.startsWith(prefix));
}

/** Where new pages came from, in words. */
function pageSource(events: readonly StepEvent[]): string {
  if (has(events, 'zend_mm_alloc_pages:map_new_chunk')) return 'in a newly mapped 2 MiB chunk';
  if (has(events, 'zend_mm_alloc_pages:reuse_cached_chunk')) return 'in a chunk taken from the chunk cache';
  return 'in a chunk that already has room';
}

/** Said of a line whose steps were not recorded. */
const NOT_RECORDED = 'Runs (its steps were not recorded in this run).';

/** One sentence for a 7.0 – 8.x call. */
function summarize7(call: ZmmCall, ev: readonly StepEvent[], error: string | undefined): string {
  if (error !== undefined) return `Fails: ${error}`;
  if (ev.length === 0) return NOT_RECORDED;
  if (call.kind === 'gc') return 'Runs zend_mm_gc(): frees runs whose slots are all free and returns empty chunks.';
  if (call.kind === 'limit') return 'Sets the memory limit.';
  if (call.kind === 'efree') {
    if (has(ev, 'zend_mm_free_small:push')) return 'Puts the slot at the head of its bin\'s free list (the next allocation from that bin gets it back).';
    if (has(ev, 'zend_mm_free_huge:unmap')) return 'Unmaps the huge block.';
    if (hasPrefix(ev, 'zend_mm_free_pages_ex')) return has(ev, 'zend_mm_delete_chunk:cache') || has(ev, 'zend_mm_delete_chunk:free') || has(ev, 'zend_mm_delete_chunk:replace_cached') ? 'Releases the page run; its chunk became empty and is deleted or cached.' : 'Releases the page run.';
    return 'Frees the block.';
  }
  if (has(ev, 'zend_mm_alloc_huge:round')) return 'Maps a huge block of its own (outside every chunk); its 24-byte huge_list node is a small allocation of its own.';
  const bin = ev.find((e) => e.kind === 'stmt' && e.anchor === 'zend_mm_alloc_heap:small');
  const binText = bin !== undefined && bin.kind === 'stmt' ? ` (${bin.note.replace(/^.*?: /, '')})` : '';
  if (has(ev, 'zend_mm_alloc_small:free_list_hit')) return `Reuses a free slot${binText}: the head of the bin's free list.`;
  if (has(ev, 'zend_mm_alloc_small:free_list_empty')) return `Needs a new run${binText}: the bin's free list is empty, so a run is carved ${pageSource(ev)}.`;
  if (has(ev, 'zend_mm_alloc_large:stat')) return `Takes a run of pages ${pageSource(ev)}.`;
  if (call.kind === 'erealloc') {
    if (hasPrefix(ev, 'zend_mm_realloc_heap:small_in_place') || has(ev, 'zend_mm_realloc_heap:large_same_size') || has(ev, 'zend_mm_realloc_huge:same_size')) return 'Stays in place.';
    if (has(ev, 'zend_mm_realloc_slow:copy')) return 'Moves: allocates a new block, copies, frees the old one.';
    return 'Resizes the block.';
  }
  return 'Allocates.';
}

/** One sentence for a 5.2 – 5.6 call. */
function summarize5(call: ZmmCall, ev: readonly StepEvent[], error: string | undefined): string {
  if (error !== undefined) return `Fails: ${error}`;
  if (ev.length === 0) return NOT_RECORDED;
  if (call.kind === 'limit') return 'Sets the memory limit.';
  if (call.kind === 'efree') {
    if (has(ev, '_zend_mm_free_int:cache_push')) return 'Puts the block on its bucket\'s cache list (it is reused first).';
    if (has(ev, '_zend_mm_free_int:segment_empty')) return 'Frees the block; its segment became empty and is released.';
    return 'Frees the block, merging it with free neighbours, onto the free lists.';
  }
  if (has(ev, '_zend_mm_alloc_int:cache_hit')) return 'Reuses a cached block of the same bucket.';
  if (has(ev, '_zend_mm_alloc_int:new_segment')) return 'Needs a new segment from the storage layer.';
  if (hasPrefix(ev, '_zend_mm_alloc_int:rest_')) return 'Takes a block from the rest list.';
  if (has(ev, '_zend_mm_alloc_int:small_bucket')) return 'Takes a free block from free_buckets.';
  if (hasPrefix(ev, 'zend_mm_search_large_block')) return 'Takes a free block found in the large buckets.';
  if (call.kind === 'erealloc') return has(ev, '_zend_mm_realloc_int:move') ? 'Moves: allocates, copies, frees the old block.' : 'Resizes the block in place.';
  return 'Allocates.';
}
