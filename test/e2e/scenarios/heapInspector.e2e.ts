// What a person sees of the heap session in the heap inspector: Allocate… from the command
// palette puts a small run of bin 10 in chunk 0, a 3 MiB request shows as a huge block, and
// Free… takes it away again. Assertions read the inspector webview's own document.
import * as assert from 'node:assert/strict';
import { Frame } from 'playwright-core';
import { BINS } from '../../../src/engine/zend7/bins';
import { pollUntil } from '../harness/deadline';
import { Workbench } from '../harness/workbench';
import { useSession } from './scenarioHooks';

const UPDATE_TIMEOUT_MS = 20_000;

/** Allocate… through the palette and its input box, as a person types it. */
async function allocate(wb: Workbench, size: string): Promise<void> {
  await wb.runCommand('Zend MM: Allocate…');
  await wb.answerInputBox('Zend MM: Allocate (emalloc)', size);
}

/** The texts of the cells of one row of the Bins table (bin, slot, runs, live, free, free list). */
async function binRow(view: Frame, bin: number): Promise<string[]> {
  return (await view.locator(`table.bins tr[data-bin="${bin}"] td`).allInnerTexts()).map((t) => t.trim());
}

/** The inspector's list of huge blocks, one text per entry. */
async function hugeEntries(view: Frame): Promise<string[]> {
  return (await view.locator('ul.huge-list li').allInnerTexts()).map((t) => t.trim());
}

/** Waits until `read` returns what `ok` accepts, and returns it. */
function waitFor<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  return pollUntil(what, UPDATE_TIMEOUT_MS, async () => {
    const v = await read();
    return ok(v) ? v : undefined;
  }, 200);
}

describe('heap inspector (VS Code UI)', function () {
  this.timeout(120_000);
  const session = useSession();
  let view: Frame;

  it('shows the run of bin 10 that Allocate… 100 made in chunk 0', async () => {
    const wb = session().workbench;
    await allocate(wb, '100');
    await wb.runCommand('Zend MM: Open Heap Inspector');
    view = await wb.webviewWith('section.chunk[data-chunk="0"] .cell');
    const bin10 = BINS[10];
    assert.equal(bin10.size, 112);
    // one page cut into 112-byte slots, right after the chunk header, one slot of it used
    const runCells = view.locator('section.chunk[data-chunk="0"] .cell.small[data-bin="10"]');
    await waitFor('the bin 10 run in chunk 0', () => runCells.count(), (n) => n === bin10.pages);
    assert.equal(await runCells.first().getAttribute('data-page'), '1');
    assert.match((await view.locator('section.chunk[data-chunk="0"] .cell').first().getAttribute('class')) ?? '', /\bheader\b/);
    assert.equal((await view.locator('section.chunk[data-chunk="0"] .chunk-caption').innerText()).trim(), `chunk 0 — ${512 - 1 - bin10.pages} free pages`);
    // the Bins table: 112-byte slots, one run, one live slot, the rest on the free list
    assert.deepEqual((await binRow(view, 10)).slice(0, 5), ['10', '112', '1', '1', String(bin10.elements - 1)]);
    assert.equal((await view.locator('dd[data-counter="size"]').innerText()).trim(), '112');
    assert.deepEqual(await hugeEntries(view), ['no huge blocks']);
    // hovering the run's page names it in words
    await runCells.first().hover();
    const hoverLine = new RegExp(`chunk 0, page 1: small run of bin 10 \\(from page 1\\), 1 of ${bin10.elements} slots`);
    await waitFor('the hover line of page 1', () => view.locator('p.hover').innerText(), (t) => hoverLine.test(t));
    await wb.screenshot('heap-inspector-bin10');
  });

  it('lists a huge block after Allocate… 3145728 and drops it after Free…', async () => {
    const wb = session().workbench;
    await allocate(wb, '3145728');
    const entries = await waitFor('a huge block in the list', () => hugeEntries(view), (e) => e.some((t) => /3,145,728 bytes/.test(t)));
    assert.equal(entries.length, 1, `huge list: ${entries.join(' | ')}`);
    assert.match(entries[0], /^huge #\d+: 3,145,728 bytes — b2$/);
    // a huge block is a mapping of its own (real_size grows by 3 MiB, no new chunk), and its
    // entry in the heap's huge list is itself a small block: 24 bytes, bin 2, from page 2
    assert.equal(await view.locator('section.chunk').count(), 1);
    assert.equal((await view.locator('dd[data-counter="realSize"]').innerText()).trim(), '5,242,880');
    assert.equal((await view.locator('dd[data-counter="size"]').innerText()).trim(), '3,145,864');
    assert.equal(BINS[2].size, 24);
    assert.equal(await view.locator('section.chunk[data-chunk="0"] .cell.small[data-bin="2"]').getAttribute('data-page'), '2');
    await wb.screenshot('heap-inspector-huge');

    await wb.runCommand('Zend MM: Free…');
    await wb.pickQuickInputItem('b2');
    await waitFor('the huge block gone from the list', () => hugeEntries(view), (e) => e.length === 1 && e[0] === 'no huge blocks');
    assert.equal((await view.locator('dd[data-counter="realSize"]').innerText()).trim(), '2,097,152');
    assert.equal((await view.locator('dd[data-counter="size"]').innerText()).trim(), '112');
    // the small block is still there
    assert.equal(await view.locator('section.chunk[data-chunk="0"] .cell.small[data-bin="10"]').count(), BINS[10].pages);
    await wb.screenshot('heap-inspector-after-free');
  });
});
