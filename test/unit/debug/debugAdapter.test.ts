// The standalone debug adapter (dist/debugAdapter.js; `npm run build` first) driven over the
// real Debug Adapter Protocol by a DebugClient: stepping into the allocator along the real
// PHP 8.2.32 zend_alloc.c (read from .cache/php-src/8.2 at test time), breakpoints on
// zend_alloc.c lines, functions and trace lines, time travel, variables, evaluate, memory,
// server mode, and clear errors for bad launches.

import * as assert from 'assert';
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { randomTrace } from '../../support/randomTrace';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const ADAPTER = path.join(ROOT, 'dist', 'debugAdapter.js');
const PHP_SRC_82 = path.join(ROOT, '.cache', 'php-src', '8.2');
const ZEND_ALLOC_82 = path.join(PHP_SRC_82, 'Zend', 'zend_alloc.c');

/** The real file's lines (1-based access through lineText). */
function lineText(file: string, line: number): string {
  return fs.readFileSync(file, 'utf8').split('\n')[line - 1] ?? '';
}

/** The 1-based line of the definition of C function `name` (not a forward declaration). */
function definitionLine(file: string, name: string): number {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const at = lines.findIndex((l) => /^(static|ZEND_API)\b/.test(l) && new RegExp(`[ *]${name}\\(`).test(l) && !l.trimEnd().endsWith(';'));
  if (at < 0) throw new Error(`no definition of ${name} in ${file}`);
  return at + 1;
}

/** The 1-based line of the first line containing `fragment` at or after `from`. */
function findLine(file: string, fragment: string, from = 1): number {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  for (let i = from - 1; i < lines.length; i++) if (lines[i].includes(fragment)) return i + 1;
  throw new Error(`'${fragment}' not found in ${file}`);
}

describe('debugAdapter (DAP over stdin/stdout)', function () {
  this.timeout(30000);
  let dc: DebugClient;
  let dir: string;

  before(() => {
    assert.ok(fs.existsSync(ADAPTER), `${ADAPTER} is missing: run npm run build first`);
    assert.ok(fs.existsSync(ZEND_ALLOC_82), `${ZEND_ALLOC_82} is missing: run npm run setup:test first`);
  });

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zend-mm-dap-'));
    dc = new DebugClient('node', ADAPTER, 'zend-mm');
    await dc.start();
  });

  afterEach(async () => {
    await dc.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function write(name: string, text: string): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  }

  /** Launches and waits for the first stop. */
  async function launch(args: Record<string, unknown>, before?: () => Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
    const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await Promise.all([
      dc.waitForEvent('initialized').then(async () => {
        if (before) await before();
        return dc.configurationDoneRequest();
      }),
      dc.initializeRequest().then(() => dc.launchRequest(args as DebugProtocol.LaunchRequestArguments)),
    ]);
    return stopped;
  }

  async function frames(): Promise<DebugProtocol.StackFrame[]> {
    return (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
  }

  async function step(request: 'stepIn' | 'next' | 'stepOut' | 'stepBack' | 'continue' | 'reverseContinue'): Promise<DebugProtocol.StoppedEvent> {
    const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    switch (request) {
      case 'stepIn': await dc.stepInRequest({ threadId: 1 }); break;
      case 'next': await dc.nextRequest({ threadId: 1 }); break;
      case 'stepOut': await dc.stepOutRequest({ threadId: 1 }); break;
      case 'stepBack': await dc.stepBackRequest({ threadId: 1 }); break;
      case 'continue': await dc.continueRequest({ threadId: 1 }); break;
      case 'reverseContinue': await dc.reverseContinueRequest({ threadId: 1 }); break;
    }
    return stopped;
  }

  /** Every scope's variables (one level, plus each bin's children) of the top frame, as text. */
  async function stateText(): Promise<string> {
    const top = (await frames())[0];
    const scopes = (await dc.scopesRequest({ frameId: top.id })).body.scopes;
    const out: string[] = [];
    for (const s of scopes) {
      for (const v of (await dc.variablesRequest({ variablesReference: s.variablesReference })).body.variables) {
        out.push(`${s.name}/${v.name}=${v.value}`);
        if (s.name === 'Bins' && v.variablesReference > 0) {
          for (const c of (await dc.variablesRequest({ variablesReference: v.variablesReference })).body.variables) out.push(`  ${c.name}=${c.value}`);
        }
      }
    }
    return out.join('\n');
  }

  it('steps into emalloc(24) on a fresh heap along the real 8.2.32 zend_alloc.c', async () => {
    const program = write('one.zmm', 'php 8.2\na = emalloc(24)\nb = emalloc(8)\n');
    const first = await launch({ program, phpSrc: PHP_SRC_82, stopOnEntry: true });
    assert.strictEqual(first.body.reason, 'entry');
    let f = await frames();
    assert.deepStrictEqual(f.map((x) => [x.name, x.line]), [['a = emalloc(24)', 2]]);
    // each stop: the C stack (innermost first) and what the innermost frame's line must contain
    const expected: { stack: string[]; statement: string }[] = [
      { stack: ['zend_mm_alloc_heap'], statement: 'zend_mm_alloc_heap(zend_mm_heap *heap' }, // entering
      { stack: ['zend_mm_alloc_heap'], statement: 'zend_mm_alloc_small(heap, ZEND_MM_SMALL_SIZE_TO_BIN(size)' }, // small: bin 2
      { stack: ['zend_mm_alloc_small', 'zend_mm_alloc_heap'], statement: 'zend_mm_alloc_small(zend_mm_heap *heap' },
      { stack: ['zend_mm_alloc_small', 'zend_mm_alloc_heap'], statement: 'heap->size + bin_data_size[bin_num]' }, // size/peak first
      { stack: ['zend_mm_alloc_small', 'zend_mm_alloc_heap'], statement: 'return zend_mm_alloc_small_slow(heap, bin_num' }, // free list empty
      { stack: ['zend_mm_alloc_small_slow', 'zend_mm_alloc_small', 'zend_mm_alloc_heap'], statement: 'zend_mm_alloc_small_slow(zend_mm_heap *heap' },
      { stack: ['zend_mm_alloc_pages', 'zend_mm_alloc_small_slow', 'zend_mm_alloc_small', 'zend_mm_alloc_heap'], statement: 'zend_mm_alloc_pages(zend_mm_heap *heap' },
      { stack: ['zend_mm_alloc_pages', 'zend_mm_alloc_small_slow', 'zend_mm_alloc_small', 'zend_mm_alloc_heap'], statement: 'chunk->free_tail = page_num + pages_count' }, // the free tail from page 1
      { stack: ['zend_mm_alloc_pages', 'zend_mm_alloc_small_slow', 'zend_mm_alloc_small', 'zend_mm_alloc_heap'], statement: 'chunk->free_pages -= pages_count' }, // page 1 taken
      { stack: ['zend_mm_alloc_small_slow', 'zend_mm_alloc_small', 'zend_mm_alloc_heap'], statement: 'chunk->map[page_num] = ZEND_MM_SRUN(bin_num)' },
      { stack: ['zend_mm_alloc_small_slow', 'zend_mm_alloc_small', 'zend_mm_alloc_heap'], statement: 'heap->free_slot[bin_num] = p = ' }, // slots 1.. threaded
    ];
    for (const [i, want] of expected.entries()) {
      const stop = await step('stepIn');
      assert.strictEqual(stop.body.reason, 'step');
      f = await frames();
      assert.deepStrictEqual(f.map((x) => x.name), [...want.stack, 'a = emalloc(24)'], `stop ${i}`);
      for (const c of f.slice(0, -1)) assert.strictEqual(c.source?.path, ZEND_ALLOC_82, `stop ${i}: ${c.name} is in zend_alloc.c`);
      const text = lineText(ZEND_ALLOC_82, f[0].line);
      assert.ok(text.includes(want.statement), `stop ${i}: line ${f[0].line} '${text.trim()}' should contain '${want.statement}'`);
      // every C frame's line lies in its own function (at or after its definition), and a
      // caller stands on the statement that calls the frame above it
      for (const c of f.slice(0, -1)) assert.ok(c.line >= definitionLine(ZEND_ALLOC_82, c.name), `${c.name} line ${c.line}`);
      for (let k = 1; k < f.length - 1; k++) {
        const call = lineText(ZEND_ALLOC_82, f[k].line);
        assert.ok(call.includes(`${f[k - 1].name}(`), `stop ${i}: ${f[k].name} line ${f[k].line} '${call.trim()}' should call ${f[k - 1].name}`);
      }
    }
    await step('stepIn');
    f = await frames();
    assert.deepStrictEqual(f.map((x) => [x.name, x.line]), [['b = emalloc(8)', 3]]);
  });

  it('stops at the first large allocation with a breakpoint in zend_mm_alloc_pages, and on conditions', async () => {
    const program = write('large.zmm', 'x = emalloc(24)\ny = emalloc(24)\nz = emalloc(100)\nbig = emalloc(20000)\nw = emalloc(24)\n');
    const line = findLine(ZEND_ALLOC_82, 'chunk->free_pages -= pages_count', definitionLine(ZEND_ALLOC_82, 'zend_mm_alloc_pages'));
    let verified: DebugProtocol.Breakpoint[] = [];
    await launch({ program, phpSrc: PHP_SRC_82 }, async () => {
      verified = (await dc.setBreakpointsRequest({ source: { path: ZEND_ALLOC_82 }, breakpoints: [{ line }] })).body.breakpoints;
    });
    assert.deepStrictEqual(verified.map((b) => [b.verified, b.line]), [[true, line]]);
    // fresh bins need a run of pages (x: bin 2, z: bin 11, 1 page each); y reuses x's run
    const hits: [number, string][] = [];
    for (;;) {
      const f = await frames();
      assert.strictEqual(f[0].name, 'zend_mm_alloc_pages');
      assert.strictEqual(f[0].line, line);
      const scopes = (await dc.scopesRequest({ frameId: f[0].id })).body.scopes;
      const locals = (await dc.variablesRequest({ variablesReference: scopes[0].variablesReference })).body.variables;
      hits.push([f[f.length - 1].line as number, locals.find((v) => v.name === 'pages_count')?.value ?? '?']);
      if (hits.length === 3) break;
      await step('continue');
    }
    assert.deepStrictEqual(hits, [[1, '1'], [3, '1'], [4, '5']]);
    const ended = dc.waitForEvent('terminated');
    await dc.continueRequest({ threadId: 1 });
    await ended;
  });

  it('stops with a conditional breakpoint (pages_count > 1) right at the large allocation, and on a function breakpoint', async () => {
    const program = write('cond.zmm', 'x = emalloc(24)\nz = emalloc(100)\nbig = emalloc(20000)\nh = emalloc(3000000)\n');
    const line = findLine(ZEND_ALLOC_82, 'chunk->free_pages -= pages_count', definitionLine(ZEND_ALLOC_82, 'zend_mm_alloc_pages'));
    let fb: DebugProtocol.Breakpoint[] = [];
    const stop = await launch({ program, phpSrc: PHP_SRC_82 }, async () => {
      await dc.setBreakpointsRequest({ source: { path: ZEND_ALLOC_82 }, breakpoints: [{ line, condition: 'pages_count > 1' }] });
      fb = (await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'zend_mm_alloc_huge' }] })).body.breakpoints;
    });
    assert.strictEqual(stop.body.reason, 'breakpoint');
    assert.strictEqual(fb[0].verified, true);
    assert.strictEqual(fb[0].line, definitionLine(ZEND_ALLOC_82, 'zend_mm_alloc_huge'));
    let f = await frames();
    assert.strictEqual(f[f.length - 1].line, 3);
    const stop2 = await step('continue');
    assert.strictEqual(stop2.body.reason, 'function breakpoint');
    f = await frames();
    assert.strictEqual(f[0].name, 'zend_mm_alloc_huge');
    assert.strictEqual(f[f.length - 1].line, 4);
  });

  it('stops on a trace-line breakpoint whose condition holds (size > 1024, bin == 2)', async () => {
    const program = write('lines.zmm', 'a = emalloc(24)\nb = emalloc(2000)\nc = emalloc(24)\nd = emalloc(5000)\n');
    let bps: DebugProtocol.Breakpoint[] = [];
    await launch({ program, phpSrc: PHP_SRC_82 }, async () => {
      bps = (await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: 2, condition: 'size > 3000' }, { line: 3, condition: 'bin == 2' }, { line: 4, condition: 'size > 1024' }] })).body.breakpoints;
    });
    assert.deepStrictEqual(bps.map((b) => b.verified), [true, true, true]);
    let f = await frames();
    assert.strictEqual(f[0].line, 3, 'line 2 (2000 bytes) does not meet size > 3000');
    await step('continue');
    f = await frames();
    assert.strictEqual(f[0].line, 4);
    const bad = (await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: 1, condition: 'size >' }, { line: 5 }] })).body.breakpoints;
    assert.strictEqual(bad[0].verified, false);
    assert.match(bad[0].message ?? '', /condition: column 7: missing operand/);
    assert.strictEqual(bad[1].verified, false);
  });

  it('goes back 1,000 operations and forward again to an identical state', async () => {
    const trace = write('long.trace', randomTrace({ seed: 4242, ops: 1500, workload: 'php-mix' }));
    const lines = fs.readFileSync(trace, 'utf8').split('\n');
    const target = lines.findIndex((l, i) => i > 1300 && /^a /.test(l)) + 1;
    await launch({ program: trace, phpSrc: PHP_SRC_82, stopAtLine: target });
    const topLine = async () => (await frames())[0].line;
    assert.strictEqual(await topLine(), target);
    const here = await stateText();
    const memoryAt = async (): Promise<string> => {
      const ev = await dc.evaluateRequest({ expression: 'heap->free_slot[2]', context: 'watch' });
      const addr = Number(ev.body.result);
      if (addr === 0) return 'empty';
      return (await dc.customRequest('readMemory', { memoryReference: `0x${addr.toString(16)}`, count: 64 })).body.data;
    };
    const memHere = await memoryAt();
    for (let i = 0; i < 1000; i++) await step('stepBack');
    const back = await topLine();
    assert.ok(back < target, 'went back');
    const thereText = await stateText();
    assert.notStrictEqual(thereText, here, 'the state 1,000 operations earlier differs');
    for (let i = 0; i < 1000; i++) await step('next');
    assert.strictEqual(await topLine(), target);
    assert.strictEqual(await stateText(), here);
    assert.strictEqual(await memoryAt(), memHere);
    // the state after going back equals a fresh run stopped at that line
    await dc.stop();
    dc = new DebugClient('node', ADAPTER, 'zend-mm');
    await dc.start();
    await launch({ program: trace, phpSrc: PHP_SRC_82, stopAtLine: back });
    assert.strictEqual(await stateText(), thereText);
  });

  it('shows variables, evaluates watch expressions and reads the simulated memory', async () => {
    const program = write('vars.zmm', 'php 8.2\na = emalloc(24)\nb = emalloc(24)\nefree(a)\nc = emalloc(100)\n');
    await launch({ program, phpSrc: PHP_SRC_82, stopAtLine: 5 });
    const ev = async (expression: string): Promise<string> => (await dc.evaluateRequest({ expression, context: 'watch', frameId: (await frames())[0].id })).body.result;
    assert.strictEqual(await ev('ZEND_MM_SMALL_SIZE_TO_BIN(100)'), '10');
    const head = Number(await ev('heap->free_slot[2]'));
    const a = await dc.evaluateRequest({ expression: 'a', context: 'hover' });
    assert.ok(a.body.variablesReference > 0);
    const fields = (await dc.variablesRequest({ variablesReference: a.body.variablesReference })).body.variables;
    const field = (n: string) => fields.find((v) => v.name === n)?.value;
    // a was freed: its slot is the head of bin 2's free list
    assert.strictEqual(field('live'), 'false');
    assert.strictEqual(Number(field('address')), head);
    assert.strictEqual(field('bin'), '2');
    assert.strictEqual(field('offset'), '4096');
    // the freed slot's first word is the next free slot: b's successor (slot 2 of the run)
    const mem = await dc.customRequest('readMemory', { memoryReference: `0x${head.toString(16)}`, count: 16 });
    const bytes = Buffer.from(mem.body.data, 'base64');
    assert.strictEqual(bytes.length, 16);
    assert.strictEqual(Number(bytes.readBigUInt64LE(0)), head + 48);
    // unmapped memory is unreadable
    const none = await dc.customRequest('readMemory', { memoryReference: '0x1000', count: 8 });
    assert.strictEqual(none.body.unreadableBytes, 8);
    // step into c = emalloc(100): the C frame's locals and bin_num
    await step('stepIn');
    await step('stepIn');
    assert.strictEqual(await ev('bin_num'), '10');
    assert.strictEqual(await ev('size'), '100');
    const scopes = (await dc.scopesRequest({ frameId: (await frames())[0].id })).body.scopes.map((s) => s.name);
    assert.deepStrictEqual(scopes, ['Locals (zend_mm_alloc_heap)', 'Heap', 'Bins', 'Chunks', 'Huge blocks']);
    await assert.rejects(dc.evaluateRequest({ expression: 'nosuch + 1', context: 'watch' }), /unknown name 'nosuch'/);
  });

  it('shows the shadow word of a free slot on 8.4', async () => {
    const program = write('shadow.zmm', 'php 8.4\na = emalloc(24)\nb = emalloc(24)\nefree(a)\nx = emalloc(8)\n');
    // the script's php line wins over the version setting the extension passes
    await launch({ program, stopAtLine: 5, settingPhp: '8.2' });
    const head = Number((await dc.evaluateRequest({ expression: 'heap->free_slot[2]', context: 'watch' })).body.result);
    const mem = Buffer.from((await dc.customRequest('readMemory', { memoryReference: `0x${head.toString(16)}`, count: 24 })).body.data, 'base64');
    const next = mem.readBigUInt64LE(0);
    assert.strictEqual(Number(next), head + 48);
    // the last word of the 24-byte slot holds the shadow: the byte-swapped next pointer XOR a key, never the plain pointer
    const shadow = mem.readBigUInt64LE(16);
    assert.notStrictEqual(shadow, 0n);
    assert.notStrictEqual(shadow, next);
  });

  it('serves a virtual zend_alloc.c through the source request when no file is found', async () => {
    const program = write('virt.zmm', 'a = emalloc(24)\n');
    const empty = fs.mkdtempSync(path.join(dir, 'nosrc-'));
    await launch({ program, phpSrc: empty, stopOnEntry: true });
    await step('stepIn');
    const f = await frames();
    const ref = f[0].source?.sourceReference ?? 0;
    assert.ok(ref > 0, 'a virtual source has a sourceReference');
    const content = (await dc.sourceRequest({ sourceReference: ref, source: f[0].source })).body.content;
    assert.ok(f[0].line > 0 && content.split('\n')[f[0].line - 1].includes('zend_mm_alloc_heap'));
  });

  it('steps the PHP 5.3 segment heap along the annotated outline when no 5.x source is found', async () => {
    const program = write('five.zmm', 'php 5.3\na = emalloc(24)\nefree(a)\nb = emalloc(24)\n');
    const empty = fs.mkdtempSync(path.join(dir, 'nosrc-'));
    await launch({ program, phpSrc: empty, stopOnEntry: true });
    const names: string[] = [];
    let content = '';
    for (;;) {
      await step('stepIn');
      const f = await frames();
      if (f.length === 1) break;
      names.push(f[0].name);
      const ref = f[0].source?.sourceReference ?? 0;
      assert.ok(ref > 0);
      content ||= (await dc.sourceRequest({ sourceReference: ref, source: f[0].source })).body.content;
      assert.ok(content.split('\n')[f[0].line - 1].length > 0, `${f[0].name} points at a line of the outline`);
    }
    assert.strictEqual(names[0], '_zend_mm_alloc_int');
    assert.strictEqual(names[names.length - 1], '_zend_mm_alloc_int', 'the last step is the stat of the outer call');
    assert.strictEqual((await frames())[0].line, 3);
    // efree(a) then b = emalloc(24): the 5.x cache hands a's block back
    await step('next');
    await step('next');
    const a = (await dc.evaluateRequest({ expression: 'a', context: 'watch' })).body;
    const fields = (await dc.variablesRequest({ variablesReference: a.variablesReference })).body.variables;
    const addressOfA = Number(fields.find((v) => v.name === 'address')?.value);
    const b = (await dc.evaluateRequest({ expression: 'b.address', context: 'watch' })).body.result;
    assert.strictEqual(Number(b), addressOfA);
    const scopes = (await dc.scopesRequest({ frameId: (await frames())[0].id })).body.scopes.map((s) => s.name);
    assert.deepStrictEqual(scopes, ['Program', 'Heap', 'Segments', 'Free lists']);
    // the block header before the payload holds its size word: 40 bytes, used (low bit set)
    const mem = Buffer.from((await dc.customRequest('readMemory', { memoryReference: `0x${(addressOfA - 16).toString(16)}`, count: 8 })).body.data, 'base64');
    assert.strictEqual(Number(mem.readBigUInt64LE(0)) & ~3, 40);
    assert.strictEqual(Number(mem.readBigUInt64LE(0)) & 1, 1);
  });

  it('pauses a long run, reverse-continues to a breakpoint, and restarts', async () => {
    const trace = write('pause.trace', randomTrace({ seed: 77, ops: 300000, workload: 'small-churn' }));
    await launch({ program: trace, phpSrc: PHP_SRC_82, stopAtLine: 10 });
    const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await dc.continueRequest({ threadId: 1 });
    await dc.pauseRequest({ threadId: 1 });
    assert.strictEqual((await stopped).body.reason, 'pause');
    const pausedAt = (await frames())[0].line as number;
    assert.ok(pausedAt > 10, `paused at line ${pausedAt}`);
    // back to the breakpoint on line 5 (set now, behind the run)
    await dc.setBreakpointsRequest({ source: { path: trace }, breakpoints: [{ line: 5 }] });
    const back = await step('reverseContinue');
    assert.strictEqual(back.body.reason, 'breakpoint');
    assert.strictEqual((await frames())[0].line, 5);
    // restart: the program runs again from the start to stopAtLine
    const again = dc.waitForEvent('stopped');
    await dc.restartRequest({});
    await again;
    assert.strictEqual((await frames())[0].line, 10);
  });

  it('answers bad launches with clear errors and keeps answering', async () => {
    await dc.initializeRequest();
    await assert.rejects(dc.launchRequest({ program: 42 } as unknown as DebugProtocol.LaunchRequestArguments), /launch attribute 'program' must be a string, got 42/);
    const missing = path.join(dir, 'missing.zmm');
    await assert.rejects(dc.launchRequest({ program: missing } as DebugProtocol.LaunchRequestArguments), new RegExp(`${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:0: cannot read the program`));
    const broken = write('broken.zmm', 'a = emalloc(24)\nb = emallok(8)\nefree(\n');
    await assert.rejects(dc.launchRequest({ program: broken } as DebugProtocol.LaunchRequestArguments), /broken\.zmm:2:5: .*emallok/);
    const rawBad = write('bad.trace', 'a 1 10\nx 2\n');
    await assert.rejects(dc.launchRequest({ program: rawBad } as DebugProtocol.LaunchRequestArguments), /bad\.trace:2:1: unknown operation 'x'/);
    await assert.rejects(dc.launchRequest({ program: rawBad, php: '7.3' } as unknown as DebugProtocol.LaunchRequestArguments), /launch attribute 'php': unsupported PHP version '7\.3' \(the stepper supports 5\.2, /);
    await assert.rejects(dc.launchRequest({ program: broken, stopAtLine: 0 } as unknown as DebugProtocol.LaunchRequestArguments), /'stopAtLine' must be a line number/);
    // still alive: a good launch works
    const good = write('good.zmm', 'a = emalloc(24)\n');
    const stopped = dc.waitForEvent('stopped');
    await Promise.all([dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest()), dc.launchRequest({ program: good, phpSrc: PHP_SRC_82, stopOnEntry: true } as DebugProtocol.LaunchRequestArguments)]);
    await stopped;
    assert.strictEqual((await frames())[0].name, 'a = emalloc(24)');
  });

  it('stops on a fatal allocator error in the C frame that raised it, then ends', async () => {
    const program = write('fatal.trace', 'a 1 3000000\nf 1\nf 1\na 2 8\n');
    const stop = await launch({ program, phpSrc: PHP_SRC_82 });
    assert.strictEqual(stop.body.reason, 'exception');
    assert.match(stop.body.text ?? '', /zend_mm_heap corrupted/);
    const f = await frames();
    assert.strictEqual(f[f.length - 1].line, 3);
    assert.ok(f.length > 1, 'the stop is inside the call');
    assert.strictEqual(f[f.length - 2].name, 'zend_mm_free_heap');
    const ended = dc.waitForEvent('terminated');
    await dc.continueRequest({ threadId: 1 });
    await ended;
  });
});

describe('debugAdapter --server=PORT', function () {
  this.timeout(30000);
  let proc: ChildProcess | undefined;

  afterEach(() => {
    if (proc?.pid !== undefined) {
      try {
        process.kill(-proc.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    proc = undefined;
  });

  it('serves sessions on 127.0.0.1', async () => {
    proc = spawn('node', [ADAPTER, '--server=0'], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      proc?.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      proc?.on('exit', (code) => reject(new Error(`adapter exited with ${code}`)));
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zend-mm-dap-'));
    const program = path.join(dir, 'srv.zmm');
    fs.writeFileSync(program, 'a = emalloc(24)\nefree(a)\n');
    const dc = new DebugClient('node', ADAPTER, 'zend-mm');
    await dc.start(port);
    try {
      const stopped = dc.waitForEvent('stopped');
      await Promise.all([
        dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest()),
        dc.initializeRequest().then(() => dc.launchRequest({ program, phpSrc: PHP_SRC_82, stopOnEntry: true } as DebugProtocol.LaunchRequestArguments)),
      ]);
      await stopped;
      const f = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
      assert.deepStrictEqual(f.map((x) => x.name), ['a = emalloc(24)']);
    } finally {
      await dc.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
