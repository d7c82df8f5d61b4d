// What a person sees of the stepper: the example launch configuration "Zend MM: Small bins"
// started from the Run and Debug picker, Step Into from `a = emalloc(24)` down into the real
// PHP 8.2.32 zend_alloc.c (copied into the session's php-src/, never committed), the Call Stack
// and Variables views, the step note after the current line, and Step Back.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { pollUntil } from '../harness/deadline';
import { REPO_ROOT } from '../harness/paths';
import { StackFrameRow, Workbench } from '../harness/workbench';
import { useSession } from './scenarioHooks';

const REAL_SOURCE = path.join(REPO_ROOT, '.cache', 'php-src', '8.2', 'Zend', 'zend_alloc.c');
const STOP_TIMEOUT_MS = 30_000;

function realSource(): string {
  assert.ok(fs.existsSync(REAL_SOURCE), `${REAL_SOURCE} is missing: run npm run setup:test`);
  return fs.readFileSync(REAL_SOURCE, 'utf8');
}

/** The 1-based line of the definition of C function `name` (not a declaration). */
function definitionLine(lines: string[], name: string): number {
  const at = lines.findIndex((l) => /^(static|ZEND_API)\b/.test(l) && new RegExp(`[ *]${name}\\(`).test(l) && !l.trimEnd().endsWith(';'));
  assert.ok(at >= 0, `no definition of ${name} in the real zend_alloc.c`);
  return at + 1;
}

/** The 1-based line of the next function definition after `line`. */
function nextDefinitionAfter(lines: string[], line: number): number {
  for (let i = line; i < lines.length; i++) if (/^(static|ZEND_API)\b.*\w\(/.test(lines[i]) && !lines[i].trimEnd().endsWith(';')) return i + 1;
  return lines.length;
}

const squeeze = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Waits until the Call Stack view shows a top frame other than `before` (a new stop) and returns the frames. */
async function nextStop(wb: Workbench, before: StackFrameRow | undefined): Promise<StackFrameRow[]> {
  return pollUntil('the debugger to stop at a new position', STOP_TIMEOUT_MS, async () => {
    const frames = await wb.callStack();
    const top = frames[0];
    if (top === undefined || !top.name) return undefined;
    if (before !== undefined && top.name === before.name && top.line === before.line) return undefined;
    return frames;
  }, 200);
}

describe('stepper (VS Code UI)', function () {
  this.timeout(180_000);
  const source = realSource();
  const lines = source.split('\n');
  const session = useSession({ extraFiles: { 'php-src/Zend/zend_alloc.c': source } });
  /** Where each Step Into stopped, in order. */
  const stops: StackFrameRow[][] = [];

  it('starts the "Zend MM: Small bins" launch configuration and stops on the first call', async () => {
    const wb = session().workbench;
    await wb.openFile('small-bins.zmm');
    await wb.runCommand('Debug: Select and Start Debugging');
    await wb.pickQuickInputItem('Zend MM: Small bins');
    await wb.page.mouse.move(200, 760); // off the debug toolbar that appears where the picker was
    await wb.showRunAndDebug();
    const frames = await nextStop(wb, undefined);
    const program = fs.readFileSync(path.join(session().folder, 'small-bins.zmm'), 'utf8').split('\n');
    const firstCall = program.findIndex((l) => /^a = emalloc\(24\)/.test(l)) + 1;
    assert.deepEqual(frames.map((f) => [f.name, f.line]), [['a = emalloc(24)', firstCall]]);
    await pollUntil('the current-line decoration in small-bins.zmm', STOP_TIMEOUT_MS, async () => {
      const current = await wb.topStackFrameLine();
      return current?.line === firstCall && /^a = emalloc\(24\)/.test(current.text) ? true : undefined;
    }, 200);
    stops.push(frames);
  });

  it('steps into emalloc(24) down to a statement of zend_mm_alloc_small in the real zend_alloc.c', async () => {
    const wb = session().workbench;
    // entering zend_mm_alloc_heap, its call of zend_mm_alloc_small, entering that, its first statement
    const tops = ['zend_mm_alloc_heap', 'zend_mm_alloc_heap', 'zend_mm_alloc_small', 'zend_mm_alloc_small'];
    for (const [i, name] of tops.entries()) {
      await wb.runCommand('Debug: Step Into');
      const frames = await nextStop(wb, stops[stops.length - 1][0]);
      stops.push(frames);
      assert.equal(frames[0].name, name, `step ${i + 1}: ${frames.map((f) => `${f.name}:${f.line}`).join(' < ')}`);
      assert.equal(frames[frames.length - 1].name, 'a = emalloc(24)');
    }
    const frames = stops[stops.length - 1];
    assert.deepEqual(frames.map((f) => f.name), ['zend_mm_alloc_small', 'zend_mm_alloc_heap', 'a = emalloc(24)']);
    // the innermost frame stands on a statement inside zend_mm_alloc_small's body
    const top = frames[0];
    const start = definitionLine(lines, 'zend_mm_alloc_small');
    assert.ok(top.line > start && top.line < nextDefinitionAfter(lines, start), `line ${top.line} is not in the body of zend_mm_alloc_small (from line ${start})`);
    // the editor shows the real zend_alloc.c, the current line decorated with the step's note
    await wb.page.locator('.tabs-container .tab.active[aria-label*="zend_alloc.c"]').waitFor({ state: 'visible' });
    const current = await pollUntil('the current line of zend_alloc.c with its note', STOP_TIMEOUT_MS, async () => {
      const c = await wb.topStackFrameLine();
      return c?.line === top.line && /\/\/ \S/.test(c.text) ? c : undefined;
    }, 200);
    const statement = squeeze(lines[top.line - 1]);
    assert.ok(statement.length > 0);
    assert.ok(squeeze(current.text).startsWith(statement), `current line '${current.text}' should show '${statement}'`);
    assert.match(current.text.slice(current.text.indexOf('//')), /^\/\/ .{8,}/);
    // the Variables view shows the focused frame's scopes: its locals (named after it) and the heap's
    const rows = await pollUntil('the scopes in the Variables view', STOP_TIMEOUT_MS, async () => {
      const r = await wb.variablesRows();
      return ['Locals (zend_mm_alloc_small)', 'Heap', 'Bins', 'Chunks'].every((s) => r.includes(s)) ? r : undefined;
    }, 200);
    assert.ok(rows.includes('bin_num = 2'), `Locals should show bin_num = 2 (24 bytes): ${rows.join(' | ')}`);
    // the statement's own locals: the slot's 24 bytes counted into size and peak
    await pollUntil('size and peak among the Locals', STOP_TIMEOUT_MS, async () => {
      const r = await wb.variablesRows();
      return r.includes('size = 24') && r.includes('peak = 24') ? true : undefined;
    }, 200).catch(async (e: Error) => {
      throw new Error(`${e.message}; the Variables view shows: ${(await wb.variablesRows()).join(' | ')}`);
    });
    await wb.page.mouse.move(200, 760); // no tooltip of the debug toolbar in the picture
    await wb.screenshot('stepper-zend-alloc');
  });

  it('steps back to where the previous Step Into stopped', async () => {
    const wb = session().workbench;
    const here = stops[stops.length - 1];
    const previous = stops[stops.length - 2];
    await wb.debugToolbarButton('Step Back');
    const frames = await nextStop(wb, here[0]);
    assert.deepEqual(frames.map((f) => [f.name, f.line]), previous.map((f) => [f.name, f.line]));
    // back on zend_mm_alloc_small's definition line, where the call entered it
    assert.equal(frames[0].line, definitionLine(lines, 'zend_mm_alloc_small'));
    await pollUntil('the current-line decoration moved back', STOP_TIMEOUT_MS, async () => ((await wb.topStackFrameLine())?.line === frames[0].line ? true : undefined), 200);
    await wb.page.mouse.move(200, 760);
    await wb.screenshot('stepper-step-back');
    await wb.runCommand('Debug: Stop');
    await pollUntil('the Call Stack view to empty', STOP_TIMEOUT_MS, async () => ((await wb.callStack()).length === 0 ? true : undefined), 200);
  });
});
