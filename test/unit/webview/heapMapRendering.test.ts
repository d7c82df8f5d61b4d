// The heap inspector webview in headless Chromium: the real bundle under the real CSP, driven
// by a real InspectorController and HeapSession (see test/webview/webviewPage.ts).

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { BINS, smallSizeToBin } from '../../../src/engine/zend7/bins';
import { HeapSession } from '../../../src/session/heapSession';
import type { ToWebview } from '../../../src/protocol/webviewMessages';
import { cellState, evaluate, InspectorPage, launchBrowser, openInspector, waitFor } from '../../webview/webviewPage';

const MIB = 1024 * 1024;

/** The used share of a small cell as its gradient stop ("… 3%, …"). */
function usedPercent(background: string): number {
  const m = /(\d+(?:\.\d+)?)%/.exec(background);
  if (m === null) throw new Error(`no percentage in '${background}'`);
  return Number(m[1]);
}

describe('heap inspector webview (Chromium)', function () {
  this.timeout(60000);
  let browser: Browser;
  let view: InspectorPage | undefined;

  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    if (view !== undefined) {
      assert.deepStrictEqual(view.cspViolations, [], 'no CSP violations');
      assert.deepStrictEqual(view.logged, [], 'no page errors or refused messages');
      await view.close();
      view = undefined;
    }
  });

  it('says ready first, then draws the snapshot: 512 cells, the header page, a legend', async () => {
    view = await openInspector(browser, new HeapSession('8.2'));
    assert.deepStrictEqual(view.fromWebview[0], { type: 'ready' });
    assert.strictEqual(view.toWebview[0].type, 'snapshot');
    assert.strictEqual(await evaluate<number>(view.page, `document.querySelectorAll('.chunk[data-chunk="0"] .cell').length`), 512);
    assert.match((await cellState(view.page, 0, 0)).cls, /\bheader\b/);
    assert.match((await cellState(view.page, 0, 1)).cls, /\bfree\b/);
    const legend = await evaluate<string[]>(view.page, `[...document.querySelectorAll('.legend li')].map((li) => li.textContent)`);
    assert.deepStrictEqual(legend, ['chunk header (page 0)', 'free page', 'large run (merged pages)', 'small run: colour = bin, fill = used slots', 'huge block', 'touched by the current step']);
    // theme colours: without VS Code's variables the defaults apply
    const colours = await evaluate<string[]>(view.page, `[0, 1].map((p) => getComputedStyle(document.querySelector('.chunk[data-chunk="0"] .cell[data-page="' + p + '"]')).backgroundColor)`);
    assert.deepStrictEqual(colours, ['rgb(177, 128, 215)', 'rgb(58, 58, 58)']);
    await view.screenshot('empty-heap');
  });

  it('takes VS Code theme colours from its CSS variables', async () => {
    view = await openInspector(browser, new HeapSession('8.2'));
    await evaluate(view.page, `document.documentElement.style.setProperty('--vscode-editorWidget-background', 'rgb(1, 2, 3)')`);
    assert.strictEqual(await evaluate<string>(view.page, `getComputedStyle(document.querySelector('.cell[data-page="9"]')).backgroundColor`), 'rgb(1, 2, 3)');
  });

  it('shows each step of the done-when scenario, sending only changed pages', async () => {
    const session = new HeapSession('8.2');
    view = await openInspector(browser, session);
    const v = view;
    const lastUpdate = (): Extract<ToWebview, { type: 'update' }>['update'] => {
      const m = v.toWebview[v.toWebview.length - 1];
      assert.strictEqual(m.type, 'update');
      return (m as Extract<ToWebview, { type: 'update' }>).update;
    };
    const bin100 = smallSizeToBin(100);
    const bin24 = smallSizeToBin(24);

    // Allocate 100: page 1 becomes a run of bin 10 with one slot of 36 used
    assert.ok(session.allocate(100).ok);
    await v.settled();
    assert.deepStrictEqual(lastUpdate().pages.map((p) => p.page), [1]);
    let c = await cellState(v.page, 0, 1);
    assert.match(c.cls, /\bsmall\b/);
    assert.strictEqual(c.bin, String(bin100));
    assert.strictEqual(usedPercent(c.background), Math.round(100 / BINS[bin100].elements));
    await v.screenshot('step1-alloc-100');

    // Allocate 5000: a merged 2-page large run on pages 2-3
    assert.ok(session.allocate(5000).ok);
    await v.settled();
    assert.deepStrictEqual(lastUpdate().pages.map((p) => p.page), [2, 3]);
    assert.match((await cellState(v.page, 0, 2)).cls, /^cell large joined run-start$/);
    assert.match((await cellState(v.page, 0, 3)).cls, /^cell large$/);

    // Allocate 3 MiB: a huge block (named b3), and its 24-byte list node opens a bin-2 run on page 4
    assert.ok(session.allocate(3 * MIB).ok);
    await v.settled();
    assert.deepStrictEqual(await evaluate<string[]>(v.page, `[...document.querySelectorAll('.huge-list button')].map((b) => b.textContent)`), ['huge #0: 3,145,728 bytes — b3']);
    c = await cellState(v.page, 0, 4);
    assert.strictEqual(c.bin, String(bin24));
    assert.strictEqual(await evaluate<string>(v.page, `document.querySelector('[data-counter="realSize"]').textContent`), '5,242,880');
    await v.screenshot('step3-alloc-3mib');

    // Free the first: page 1 stays a bin-10 run with no slot used
    assert.ok(session.free('b1').ok);
    await v.settled();
    assert.deepStrictEqual(lastUpdate().pages.map((p) => p.page), [1]);
    c = await cellState(v.page, 0, 1);
    assert.match(c.cls, /\bsmall\b/);
    assert.strictEqual(usedPercent(c.background), 0);
    assert.strictEqual(await evaluate<string>(v.page, `document.querySelector('tr[data-bin="${bin100}"] td:nth-child(4)').textContent`), '0');

    // Reallocate the second to 9000: pages 2-3 free, a 3-page run on 5-7
    assert.ok(session.reallocate('b2', 9000).ok);
    await v.settled();
    assert.deepStrictEqual(lastUpdate().pages.map((p) => p.page).sort((a, b) => a - b), [2, 3, 5, 6, 7]);
    for (const p of [2, 3]) assert.match((await cellState(v.page, 0, p)).cls, /^cell free$/);
    assert.match((await cellState(v.page, 0, 5)).cls, /^cell large joined run-start$/);
    assert.match((await cellState(v.page, 0, 6)).cls, /^cell large joined$/);
    assert.match((await cellState(v.page, 0, 7)).cls, /^cell large$/);
    assert.match((await cellState(v.page, 0, 8)).cls, /^cell free$/);
    assert.strictEqual(await evaluate<string>(v.page, `document.querySelector('[data-counter="size"]').textContent`), (12288 + 3 * MIB + 24).toLocaleString('en-US'));
    assert.match(await evaluate<string>(v.page, `document.querySelector('.timeline figcaption').textContent`), /^— size — real_size 5 operations; last: b2 = erealloc\(b2, 9000\)/);
    await v.screenshot('step5-realloc-9000');
  });

  it('hover says what a cell is; click asks the host and shows the run with its owners', async () => {
    const session = new HeapSession('8.2');
    session.allocate(100, 'alpha');
    session.allocate(100, 'beta');
    view = await openInspector(browser, session);
    await view.page.hover('.chunk[data-chunk="0"] .cell[data-page="1"]');
    assert.strictEqual(await evaluate<string>(view.page, `document.querySelector('.hover').textContent`), 'chunk 0, page 1: small run of bin 10 (from page 1), 2 of 36 slots in this page used');
    await view.page.click('.chunk[data-chunk="0"] .cell[data-page="1"]');
    await view.page.waitForSelector('.details .slots');
    assert.deepStrictEqual(view.fromWebview[view.fromWebview.length - 1], { type: 'inspectPage', chunk: 0, page: 1 });
    assert.match(await evaluate<string>(view.page, `document.querySelector('.details-title').textContent`), /small run of bin 10 \(112-byte slots, 1 page from page 1\), 2 of 36 slots used/);
    assert.strictEqual(await evaluate<string>(view.page, `document.querySelector('.details .owners').textContent`), 'held by: alpha, beta');
    assert.deepStrictEqual(await evaluate<string[]>(view.page, `[...document.querySelectorAll('.details .slot.used')].map((s) => s.textContent)`), ['alpha', 'beta']);
    await view.page.click('.details button.show-source');
    await waitFor(view.page, `window.__posted.some((m) => m.type === 'showInSource')`);
    assert.deepStrictEqual(view.shownInSource, ['zend_mm_alloc_small']);
    await view.screenshot('details');
  });

  it('moves one tab stop with the arrow keys and inspects with Enter', async () => {
    view = await openInspector(browser, new HeapSession('8.2'));
    await view.page.focus('.chunk[data-chunk="0"] .cell[data-page="0"]');
    await view.page.keyboard.press('ArrowRight');
    await view.page.keyboard.press('ArrowDown');
    assert.strictEqual(await evaluate<string>(view.page, `document.activeElement.dataset.page`), '65');
    assert.strictEqual(await evaluate<number>(view.page, `document.querySelectorAll('.cell[tabindex="0"]').length`), 1);
    assert.deepStrictEqual(await evaluate<string[]>(view.page, `[...document.querySelectorAll('[aria-selected="true"]')].map((c) => c.dataset.page)`), ['65']);
    await view.page.keyboard.press('PageDown'); // no second chunk: stays
    assert.strictEqual(await evaluate<string>(view.page, `document.activeElement.dataset.page`), '65');
    assert.strictEqual(await evaluate<string>(view.page, `document.activeElement.getAttribute('aria-label')`), 'chunk 0, page 65: free');
    await view.page.keyboard.press('Enter');
    await waitFor(view.page, `window.__posted.some((m) => m.type === 'inspectPage' && m.page === 65)`);
  });

  it('exports the map as SVG and PNG through the host', async () => {
    const session = new HeapSession('8.2');
    session.allocate(5000);
    view = await openInspector(browser, session);
    await view.page.click('button.export-svg');
    await view.page.click('button.export-png');
    await waitFor(view.page, `window.__posted.filter((m) => m.type === 'exportMap').length === 2`);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepStrictEqual(view.exported.map((e) => e.format), ['svg', 'png']);
    const svg = view.exported[0].data;
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.strictEqual((svg.match(/<rect /g) ?? []).length, 1 + 512);
    assert.match(svg, /fill="#3794ff"/); // the two large pages, in the default theme colour
    const png = Buffer.from(view.exported[1].data.replace(/^data:image\/png;base64,/, ''), 'base64');
    assert.deepStrictEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
    fs.writeFileSync(path.join(path.dirname(await view.screenshot('export')), 'export.svg'), svg);
  });

  it('drops a malformed message and says why', async () => {
    view = await openInspector(browser, new HeapSession('8.2'));
    await evaluate(view.page, `window.postMessage({ type: 'snapshot', heap: { evil: '<img src=x onerror=alert(1)>' } }, '*')`);
    await waitFor(view.page, `document.querySelector('.status').textContent.startsWith('ignored a message')`);
    assert.strictEqual(await evaluate<number>(view.page, `document.querySelectorAll('img').length`), 0);
  });

  it('highlights the pages a step touched, until the next step', async () => {
    const session = new HeapSession('8.2');
    session.allocate(5000);
    view = await openInspector(browser, session);
    view.controller.highlight(session.touchedRegions([{ kind: 'page', chunk: 0, page: 1, pages: 2 }]));
    await view.page.waitForSelector('.cell.touched');
    assert.deepStrictEqual(await evaluate<string[]>(view.page, `[...document.querySelectorAll('.cell.touched')].map((c) => c.dataset.page)`), ['1', '2']);
    view.controller.highlight(session.touchedRegions([{ kind: 'page', chunk: 0, page: 9, pages: 1 }]));
    await waitFor(view.page, `document.querySelector('.cell[data-page="9"]').classList.contains('touched')`);
    assert.deepStrictEqual(await evaluate<string[]>(view.page, `[...document.querySelectorAll('.cell.touched')].map((c) => c.dataset.page)`), ['9']);
  });

  it('asks for a snapshot when an update does not follow what it holds', async () => {
    const session = new HeapSession('8.2');
    view = await openInspector(browser, session);
    // an update from a seq the webview never saw
    await evaluate(view.page, `window.postMessage({ type: 'update', update: { fromSeq: 7, seq: 8, version: '8.2', counters: { size: 0, peak: 0, realSize: 0, realPeak: 0, chunks: 1, cached: 0, limit: '1' }, pages: [], chunksAdded: [], chunksRemoved: [], bins: [], huge: null, segments: null, timelineAppended: [], halted: null } }, '*')`);
    await waitFor(view.page, `window.__posted.some((m) => m.type === 'resync')`);
    assert.deepStrictEqual(view.fromWebview[view.fromWebview.length - 1], { type: 'resync', seq: 0 });
    session.allocate(100);
    await view.settled();
    assert.match((await cellState(view.page, 0, 1)).cls, /\bsmall\b/);
  });

  it('runs under its CSP: a script without the nonce is blocked, and so is a remote image', async () => {
    view = await openInspector(browser, new HeapSession('8.2'));
    await evaluate(view.page, `(() => { const s = document.createElement('script'); s.textContent = 'window.__injected = 1'; document.body.appendChild(s); const i = document.createElement('img'); i.src = 'http://127.0.0.1:9/x.png'; document.body.appendChild(i); })()`);
    await waitFor(view.page, `true`);
    await new Promise((r) => setTimeout(r, 100));
    assert.strictEqual(await evaluate<unknown>(view.page, `window.__injected`), undefined);
    assert.deepStrictEqual(view.cspViolations.map((v) => v.split(' ')[0]).sort(), ['img-src', 'script-src-elem']);
    view.cspViolations.length = 0;
  });

  it('makes far strips when they scroll into view, with the changes made meanwhile', async () => {
    const session = new HeapSession('8.2');
    for (let i = 0; i < 40; i++) session.allocate(1_500_000, `c${i}`);
    view = await openInspector(browser, session);
    assert.strictEqual(await evaluate<number>(view.page, `document.querySelectorAll('.chunk').length`), 40);
    assert.strictEqual(await evaluate<number>(view.page, `document.querySelectorAll('.chunk[data-chunk="39"] .cell').length`), 0);
    // shrinking a large block in place gives its tail pages back: 367 pages become 245
    assert.ok(session.reallocate('c39', 1_000_000).ok);
    await view.settled();
    await evaluate(view.page, `document.querySelector('.chunk[data-chunk="39"]').scrollIntoView()`);
    await waitFor(view.page, `document.querySelectorAll('.chunk[data-chunk="39"] .cell').length === 512`);
    assert.match((await cellState(view.page, 39, 1)).cls, /^cell large joined run-start$/);
    assert.match((await cellState(view.page, 39, 245)).cls, /^cell large$/);
    assert.match((await cellState(view.page, 39, 246)).cls, /^cell free$/);
    assert.match((await cellState(view.page, 38, 367)).cls, /^cell large$/);
    assert.strictEqual(await evaluate<string>(view.page, `document.querySelector('.chunk[data-chunk="39"] .chunk-caption').textContent`), 'chunk 39 — 266 free pages');
    await view.screenshot('far-strip');
  });

  it('draws a 5.x heap as segments', async () => {
    const session = new HeapSession('5.3');
    session.allocate(100);
    view = await openInspector(browser, session);
    assert.strictEqual(await evaluate<boolean>(view.page, `document.querySelector('.chunk-map').hidden`), true);
    const kinds = await evaluate<string[]>(view.page, `[...document.querySelectorAll('.segment .block')].map((b) => b.className)`);
    assert.ok(kinds.includes('block used') && kinds.includes('block reserve') && kinds.includes('block guard'), kinds.join());
    assert.match(await evaluate<string>(view.page, `[...document.querySelectorAll('.segment .block.used')].map((b) => b.title).join()`), /\(b1\)/);
  });
});
