// Breakpoint requests of a session matched to what the runtime checks: lines of the program
// (verified where a call is written), lines of zend_alloc.c (verified where a step is
// anchored, via StepSource.anchorsAtLine) and C function names; conditions parsed up front.

import * as fs from 'fs';
import * as path from 'path';
import { Breakpoint } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { StepSource } from '../source/stepSource';
import type { AllocRuntime } from './allocRuntime';
import { parseCondition, RuntimeBreakpoint } from './breakpoints';

/** What the requests are matched against. */
export interface BreakpointTargets {
  readonly runtime: AllocRuntime;
  readonly source: StepSource | undefined;
  /** The DAP source of zend_alloc.c (a path, or the outline's reference). */
  readonly cSource: DebugProtocol.Source | undefined;
  /** The sourceReference of a virtual outline. */
  readonly virtualReference: number;
}

/** True when two paths name the same file (resolved, then real paths). */
function samePath(a: string, b: string): boolean {
  if (path.resolve(a) === path.resolve(b)) return true;
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return false;
  }
}

function isProgram(t: BreakpointTargets, source: DebugProtocol.Source): boolean {
  return source.path !== undefined && samePath(source.path, t.runtime.program.file);
}

function isAllocSource(t: BreakpointTargets, source: DebugProtocol.Source): boolean {
  const doc = t.source?.document;
  if (doc === undefined) return false;
  if (doc.kind === 'virtual') return source.sourceReference === t.virtualReference;
  return source.path !== undefined && samePath(source.path, doc.path);
}

/** Sets the breakpoints of one source file; returns what the client shows for each. */
export function applyLineBreakpoints(args: DebugProtocol.SetBreakpointsArguments, t: BreakpointTargets | undefined): DebugProtocol.Breakpoint[] {
  const requested = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }) as DebugProtocol.SourceBreakpoint);
  const unverified = (message: string): DebugProtocol.Breakpoint[] => requested.map((b) => ({ ...new Breakpoint(false, b.line), message }));
  if (t === undefined) return unverified('no program is running');
  const runtime = t.runtime;
  if (isProgram(t, args.source)) {
    const lines = new Set<number>();
    for (let i = 0; i < runtime.program.ops.length; i++) lines.add(runtime.program.ops.line(i));
    const set = new Map<number, RuntimeBreakpoint>();
    const out = requested.map((b) => {
      const { condition, error } = parseCondition(b.condition);
      if (error !== undefined) return { ...new Breakpoint(false, b.line), message: error };
      if (!lines.has(b.line)) return { ...new Breakpoint(false, b.line), message: 'no allocator call on this line' };
      const id = runtime.breakpoints.newId();
      set.set(b.line, { id, ...(condition !== undefined ? { condition } : {}) });
      return { ...new Breakpoint(true, b.line), id };
    });
    runtime.breakpoints.setProgramLines(set);
    return out;
  }
  if (isAllocSource(t, args.source) && t.source !== undefined) {
    const source = t.source;
    const set = new Map<string, RuntimeBreakpoint[]>();
    const out = requested.map((b) => {
      const { condition, error } = parseCondition(b.condition);
      if (error !== undefined) return { ...new Breakpoint(false, b.line), message: error };
      const anchors = source.anchorsAtLine(b.line);
      if (anchors.length === 0) return { ...new Breakpoint(false, b.line), message: 'no allocator step is anchored on this line' };
      const id = runtime.breakpoints.newId();
      for (const a of anchors) {
        const list = set.get(a) ?? [];
        list.push({ id, ...(condition !== undefined ? { condition } : {}) });
        set.set(a, list);
      }
      return { ...new Breakpoint(true, b.line), id };
    });
    runtime.breakpoints.setAnchors(set);
    return out;
  }
  return unverified('this file is neither the program nor its zend_alloc.c');
}

/** Sets the function breakpoints; a function zend_alloc.c does not define is kept but flagged. */
export function applyFunctionBreakpoints(args: DebugProtocol.SetFunctionBreakpointsArguments, t: BreakpointTargets | undefined): DebugProtocol.Breakpoint[] {
  if (t === undefined) return args.breakpoints.map(() => ({ verified: false, message: 'no program is running' }));
  const runtime = t.runtime;
  const set = new Map<string, RuntimeBreakpoint>();
  const out = args.breakpoints.map((b) => {
    const { condition, error } = parseCondition(b.condition);
    if (error !== undefined) return { verified: false, message: error };
    const line = t.source?.lineOfFunction(b.name);
    const id = runtime.breakpoints.newId();
    set.set(b.name, { id, ...(condition !== undefined ? { condition } : {}) });
    const bp: DebugProtocol.Breakpoint = { id, verified: true };
    if (line !== undefined) {
      bp.line = line;
      if (t.cSource !== undefined) bp.source = t.cSource;
    } else {
      bp.message = `'${b.name}' was not found in zend_alloc.c; the run stops if the engine enters it`;
    }
    return bp;
  });
  runtime.breakpoints.setFunctions(set);
  return out;
}
