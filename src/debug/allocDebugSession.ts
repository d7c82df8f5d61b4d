// The Debug Adapter Protocol side of the stepper: each DAP request becomes a runtime call,
// each runtime event a DAP event. Runs inline in the extension host, over stdin/stdout, or
// on a socket (see debugAdapter.ts); what it depends on comes through its constructor.

import * as fs from 'fs';
import * as path from 'path';
import {
  Event,
  InitializedEvent,
  LoggingDebugSession,
  OutputEvent,
  Scope,
  Source,
  StackFrame,
  StoppedEvent,
  TerminatedEvent,
  Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ZendHeap } from '../engine/zend7/heap';
import type { StepSource, StepSourceRequest } from '../source/stepSource';
import { AllocRuntime, StopInfo } from './allocRuntime';
import { applyFunctionBreakpoints, applyLineBreakpoints, BreakpointTargets } from './breakpointRequests';
import { CallSites } from './callSites';
import type { CFrame } from './cFrames';
import { stopScope } from './evalScope';
import { Expression } from './expression';
import { parseMemoryReference, readHeapMemory } from './heapMemory';
import { binVariables, blockVariables, chunkVariables, heapVariables, hugeVariables, localVariables, VariableStore } from './heapVariables';
import { checkLaunchArguments, LaunchConfig, sessionProfile, ZendMmLaunchArguments } from './launchArgs';
import { STEP_NOTE_EVENT, StepNoteBody } from './stepNote';
import { loadTraceProgram } from './traceProgram';
import { zend5FreeListVariables, zend5HeapVariables, zend5SegmentVariables } from './zend5Views';

/** Opens the zend_alloc.c of a session (src/source/openStepSource.ts in the product). */
export type OpenStepSource = (request: StepSourceRequest) => StepSource;

const THREAD_ID = 1;
/** Programs longer than this show their Program scope collapsed (DAP `expensive`). */
const EXPENSIVE_PROGRAM_OPS = 20000;
/** sourceReference of a virtual (outline) zend_alloc.c. */
const VIRTUAL_SOURCE_REFERENCE = 1;

type LaunchRequestArguments = DebugProtocol.LaunchRequestArguments & ZendMmLaunchArguments;

/** A latch opened by configurationDone. */
class Latch {
  private open = false;
  private waiters: (() => void)[] = [];
  release(): void {
    this.open = true;
    for (const w of this.waiters.splice(0)) w();
  }
  wait(ms: number): Promise<void> {
    if (this.open) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}

export class AllocDebugSession extends LoggingDebugSession {
  private runtime: AllocRuntime | undefined;
  private source: StepSource | undefined;
  /** Call sites in the source's text (undefined when it cannot be read). */
  private callSites: CallSites | undefined;
  private config: LaunchConfig | undefined;
  private readonly configured = new Latch();
  private readonly variables = new VariableStore();
  /** The last breakpoint requests, re-applied to a restarted runtime. */
  private lineRequests = new Map<string, DebugProtocol.SetBreakpointsArguments>();
  private functionRequest: DebugProtocol.SetFunctionBreakpointsArguments | undefined;

  constructor(private readonly openSource: OpenStepSource) {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  // ---- set-up --------------------------------------------------------------------------------

  protected initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      ...response.body,
      supportsConfigurationDoneRequest: true,
      supportsStepBack: true,
      supportsRestartRequest: true,
      supportsConditionalBreakpoints: true,
      supportsFunctionBreakpoints: true,
      supportsEvaluateForHovers: true,
      supportsReadMemoryRequest: true,
      supportsTerminateRequest: true,
    };
    this.sendResponse(response);
  }

  protected configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.configured.release();
    this.sendResponse(response);
  }

  protected async launchRequest(response: DebugProtocol.LaunchResponse, args: LaunchRequestArguments): Promise<void> {
    let runtime: AllocRuntime;
    try {
      this.config = checkLaunchArguments(args);
      runtime = this.prepare(this.config);
    } catch (e) {
      this.fail(response, (e as Error).message);
      return;
    }
    this.sendEvent(new InitializedEvent());
    await this.configured.wait(2000);
    this.sendResponse(response);
    for (const m of this.source?.messages ?? []) this.sendEvent(new OutputEvent(`${m}\n`, 'console'));
    const config = this.config;
    this.guard(() => runtime.start(config.stopOnEntry, config.stopAtLine));
  }

  protected restartRequest(response: DebugProtocol.RestartResponse): void {
    if (this.config === undefined) {
      this.fail(response, 'nothing to restart: no program was launched');
      return;
    }
    let runtime: AllocRuntime;
    try {
      runtime = this.prepare(this.config);
    } catch (e) {
      this.fail(response, (e as Error).message);
      return;
    }
    for (const req of this.lineRequests.values()) this.applyLineBreakpoints(req);
    if (this.functionRequest !== undefined) this.applyFunctionBreakpoints(this.functionRequest);
    this.sendResponse(response);
    const config = this.config;
    this.guard(() => runtime.start(config.stopOnEntry, config.stopAtLine));
  }

  /** Reads the program, picks the profile, opens zend_alloc.c and makes a fresh runtime. Throws with a user message. */
  private prepare(config: LaunchConfig): AllocRuntime {
    if (config.php !== undefined) sessionProfile(config.php, undefined); // a bad attribute first, before the file
    const program = loadTraceProgram(path.resolve(config.program));
    const profile = sessionProfile(config.php, program.php, config.settingPhp);
    this.source = this.openSource({
      phpVersion: profile.version,
      phpRelease: profile.release,
      ...(config.phpSrc !== undefined ? { phpSrc: config.phpSrc } : {}),
      ...(config.settingPhpSrc !== undefined ? { settingPhpSrc: config.settingPhpSrc } : {}),
      searchFolders: config.searchFolders,
    });
    this.callSites = undefined;
    const doc = this.source.document;
    try {
      this.callSites = new CallSites(doc.kind === 'file' ? fs.readFileSync(doc.path, 'utf8') : doc.text);
    } catch {
      // caller frames then point at their function or their last step
    }
    const runtime = new AllocRuntime(program, profile);
    runtime.on('stopped', (info: StopInfo) => this.onStopped(info));
    runtime.on('output', (text: string, line: number | undefined) => {
      const e = new OutputEvent(`${text}\n`, 'stdout') as DebugProtocol.OutputEvent;
      if (line !== undefined) {
        e.body.source = new Source(path.basename(program.file), program.file);
        e.body.line = line;
      }
      this.sendEvent(e);
    });
    runtime.on('end', () => this.sendEvent(new TerminatedEvent()));
    this.runtime = runtime;
    return runtime;
  }

  private fail(response: DebugProtocol.Response, message: string): void {
    this.sendErrorResponse(response, { id: 1001, format: message.replace(/[{}]/g, ''), showUser: true });
  }

  /** A request that needs a launched program. */
  private need(response: DebugProtocol.Response): AllocRuntime | undefined {
    if (this.runtime === undefined) this.fail(response, 'no program is running: launch one first');
    return this.runtime;
  }

  // ---- stops ---------------------------------------------------------------------------------

  private onStopped(info: StopInfo): void {
    this.variables.clear();
    const e = new StoppedEvent(info.reason, THREAD_ID, info.text) as DebugProtocol.StoppedEvent;
    if (info.text !== undefined) e.body.description = info.text;
    this.sendEvent(e);
    const runtime = this.runtime;
    const frames = runtime?.frames() ?? [];
    const top = frames[frames.length - 1];
    if (top !== undefined && this.source !== undefined) {
      const line = this.lineOf(top);
      const annotation = top.anchor !== undefined ? this.source.annotationOf?.(top.anchor, top.locals) : undefined;
      const text = [top.note ?? `enters ${top.func}`, annotation].filter((t) => t !== undefined && t !== '').join(' — ');
      this.sendEvent(new OutputEvent(`  ${text}\n`, 'console'));
      if (line > 0) {
        const doc = this.source.document;
        const body: StepNoteBody = { line, text, ...(doc.kind === 'file' ? { path: doc.path } : { name: doc.name }) };
        this.sendEvent(new Event(STEP_NOTE_EVENT, body));
      }
    } else {
      this.sendEvent(new Event(STEP_NOTE_EVENT, { line: 0, text: '' }));
    }
  }

  // ---- threads, stack, scopes, variables ----------------------------------------------------

  protected threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(THREAD_ID, 'allocator')] };
    this.sendResponse(response);
  }

  private cSource(): Source | undefined {
    const doc = this.source?.document;
    if (doc === undefined) return undefined;
    return doc.kind === 'file' ? new Source(path.basename(doc.path), doc.path) : new Source(doc.name, undefined, VIRTUAL_SOURCE_REFERENCE);
  }

  /** The line a C frame stands on; for a caller (`callee` given), the line of its call when the text shows it. */
  private lineOf(frame: CFrame, callee?: CFrame): number {
    const s = this.source;
    if (s === undefined) return 0;
    const line = (frame.anchor !== undefined ? s.lineOfAnchor(frame.anchor) : undefined) ?? s.lineOfFunction(frame.func) ?? 0;
    if (callee === undefined || line === 0) return line;
    return this.callSites?.find(line, callee.func) ?? line;
  }

  protected stackTraceRequest(response: DebugProtocol.StackTraceResponse): void {
    const runtime = this.need(response);
    if (runtime === undefined) return;
    const frames = runtime.frames();
    const src = this.cSource();
    const out: StackFrame[] = [];
    for (let level = 0; level < frames.length; level++) {
      const f = frames[frames.length - 1 - level];
      const callee = level > 0 ? frames[frames.length - level] : undefined;
      out.push(new StackFrame(level + 1, f.func, src, this.lineOf(f, callee), 1));
    }
    const op = runtime.currentOp;
    const program = runtime.program;
    out.push(new StackFrame(frames.length + 1, op === undefined ? '(end)' : op.label, new Source(path.basename(program.file), program.file), runtime.currentLine, 1));
    response.body = { stackFrames: out, totalFrames: out.length };
    this.sendResponse(response);
  }

  /** The C frame of a frame id (undefined for the program frame). */
  private frameOf(runtime: AllocRuntime, frameId: number | undefined): { level: number; frame: CFrame | undefined } {
    const frames = runtime.frames();
    const level = frameId === undefined ? 0 : frameId - 1;
    return { level, frame: frames[frames.length - 1 - level] };
  }

  protected scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    const runtime = this.need(response);
    if (runtime === undefined) return;
    const { frame } = this.frameOf(runtime, args.frameId);
    const machine = runtime.machine();
    const heap = machine.heap;
    const v = this.variables;
    const scopes: Scope[] = [];
    if (frame !== undefined) {
      const locals = { ...frame.locals };
      scopes.push(new Scope(`Locals (${frame.func})`, v.add(() => localVariables(locals, heap)), false));
    } else {
      // rebuilding which block each ID names reads the run so far: long programs expand it on demand
      const expensive = runtime.program.ops.length > EXPENSIVE_PROGRAM_OPS;
      scopes.push(new Scope('Program', v.add(() => blockVariables(heap, runtime.bindings(), v)), expensive));
    }
    if (heap instanceof ZendHeap) {
      scopes.push(new Scope('Heap', v.add(() => heapVariables(heap)), false));
      scopes.push(new Scope('Bins', v.add(() => binVariables(heap, v)), false));
      scopes.push(new Scope('Chunks', v.add(() => chunkVariables(heap, v)), false));
      scopes.push(new Scope('Huge blocks', v.add(() => hugeVariables(heap)), false));
    } else {
      scopes.push(new Scope('Heap', v.add(() => zend5HeapVariables(heap)), false));
      scopes.push(new Scope('Segments', v.add(() => zend5SegmentVariables(heap, v)), false));
      scopes.push(new Scope('Free lists', v.add(() => zend5FreeListVariables(heap, v)), false));
    }
    response.body = { scopes };
    this.sendResponse(response);
  }

  protected variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    let variables = this.variables.children(args.variablesReference);
    if (args.filter !== 'named' && args.start !== undefined) {
      variables = variables.slice(args.start, args.count !== undefined ? args.start + args.count : undefined);
    }
    response.body = { variables };
    this.sendResponse(response);
  }

  protected evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    const runtime = this.need(response);
    if (runtime === undefined) return;
    try {
      const { frame } = this.frameOf(runtime, args.frameId);
      const value = Expression.parse(args.expression).evaluate(
        stopScope({ machine: runtime.machine(), bindings: () => runtime.bindings(), op: runtime.currentOp?.op, locals: frame?.locals ?? {} }),
      );
      const v = this.variables.variable(args.expression, value);
      response.body = { result: v.value, variablesReference: v.variablesReference };
      if (typeof value === 'number' && value > 0xffffffff) response.body.memoryReference = `0x${value.toString(16)}`;
      this.sendResponse(response);
    } catch (e) {
      this.fail(response, (e as Error).message);
    }
  }

  protected readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    const runtime = this.need(response);
    if (runtime === undefined) return;
    const address = parseMemoryReference(args.memoryReference, args.offset ?? 0);
    if (address === undefined) {
      this.fail(response, `not a memory reference: '${args.memoryReference}'`);
      return;
    }
    const read = readHeapMemory(runtime.machine().heap, address, args.count);
    response.body = { address: `0x${address.toString(16)}`, data: Buffer.from(read.bytes).toString('base64'), unreadableBytes: read.unreadable };
    this.sendResponse(response);
  }

  protected sourceRequest(response: DebugProtocol.SourceResponse, args: DebugProtocol.SourceArguments): void {
    const doc = this.source?.document;
    const ref = args.source?.sourceReference ?? args.sourceReference;
    if (doc?.kind === 'virtual' && ref === VIRTUAL_SOURCE_REFERENCE) {
      response.body = { content: doc.text, mimeType: 'text/x-c' };
      this.sendResponse(response);
      return;
    }
    this.fail(response, `no source with reference ${ref}`);
  }

  // ---- execution -----------------------------------------------------------------------------

  protected nextRequest(response: DebugProtocol.NextResponse): void {
    this.stepWith(response, (r) => r.step('over'));
  }

  protected stepInRequest(response: DebugProtocol.StepInResponse): void {
    this.stepWith(response, (r) => r.step('in'));
  }

  protected stepOutRequest(response: DebugProtocol.StepOutResponse): void {
    this.stepWith(response, (r) => r.step('out'));
  }

  protected stepBackRequest(response: DebugProtocol.StepBackResponse): void {
    this.stepWith(response, (r) => r.stepBack());
  }

  protected continueRequest(response: DebugProtocol.ContinueResponse): void {
    response.body = { allThreadsContinued: true };
    this.stepWith(response, (r) => r.continue());
  }

  protected reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    this.stepWith(response, (r) => r.reverseContinue());
  }

  protected pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.runtime?.pause();
    this.sendResponse(response);
  }

  private stepWith(response: DebugProtocol.Response, go: (r: AllocRuntime) => void | Promise<void>): void {
    const runtime = this.need(response);
    if (runtime === undefined) return;
    this.sendResponse(response);
    this.guard(() => go(runtime));
  }

  /** Runs runtime work; a failure is reported in the console and the session stays up. */
  private guard(work: () => void | Promise<void>): void {
    const report = (e: unknown): void => {
      this.sendEvent(new OutputEvent(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`, 'stderr'));
    };
    try {
      const p = work();
      if (p !== undefined) p.catch(report);
    } catch (e) {
      report(e);
    }
  }

  protected terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.sendResponse(response);
    this.sendEvent(new TerminatedEvent());
  }

  // ---- breakpoints ---------------------------------------------------------------------------

  protected setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    const key = args.source.path !== undefined ? path.resolve(args.source.path) : `ref:${args.source.sourceReference ?? 0}`;
    this.lineRequests.set(key, args);
    response.body = { breakpoints: this.applyLineBreakpoints(args) };
    this.sendResponse(response);
  }

  protected setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    this.functionRequest = args;
    response.body = { breakpoints: this.applyFunctionBreakpoints(args) };
    this.sendResponse(response);
  }

  /** What breakpoint requests are matched against. */
  private breakpointTargets(): BreakpointTargets | undefined {
    return this.runtime === undefined ? undefined : { runtime: this.runtime, source: this.source, cSource: this.cSource(), virtualReference: VIRTUAL_SOURCE_REFERENCE };
  }

  private applyLineBreakpoints(args: DebugProtocol.SetBreakpointsArguments): DebugProtocol.Breakpoint[] {
    return applyLineBreakpoints(args, this.breakpointTargets());
  }

  private applyFunctionBreakpoints(args: DebugProtocol.SetFunctionBreakpointsArguments): DebugProtocol.Breakpoint[] {
    return applyFunctionBreakpoints(args, this.breakpointTargets());
  }
}
