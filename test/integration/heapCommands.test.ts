// The heap commands run through vscode.commands.executeCommand with their arguments (no input
// box, no quick pick), and the window's heap session answers each one in the "Zend MM" output
// channel; Open Heap Inspector opens the inspector's webview tab.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { BINS } from '../../src/engine/zend7/bins';
import { COMMANDS, HEAP_INSPECTOR_VIEW_TYPE, SETTING_PHP_VERSION, SETTINGS_SECTION } from '../../src/ids';
import { extensionUnderTest } from './hostSupport';
import { nextOutputLine } from './zendMmOutput';

function inspectorTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(HEAP_INSPECTOR_VIEW_TYPE));
}

async function waitUntil(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('heap commands (executeCommand)', () => {
  const run = (command: string, ...args: unknown[]) => () => vscode.commands.executeCommand(command, ...args);

  before(async () => {
    await extensionUnderTest().activate();
  });

  it('Reset Heap starts a fresh heap', async () => {
    const line = await nextOutputLine(run(COMMANDS.resetHeap), /heap reset/);
    assert.equal(line, '[PHP 8.2] heap reset: a fresh heap');
  });

  it('Allocate with a size and a name puts 100 bytes in bin 10, after the run of bin 2', async () => {
    assert.equal(BINS[2].size, 24);
    assert.equal(BINS[10].size, 112);
    const keep = await nextOutputLine(run(COMMANDS.allocate, 24, 'keep'), /keep = emalloc\(24\)/);
    assert.equal(keep, '[PHP 8.2] keep = emalloc(24) → at chunk 0 + 0x1000 (page 1, bin 2), 24 bytes');
    const line = await nextOutputLine(run(COMMANDS.allocate, 100, 'x'), /x = emalloc\(100\)/);
    assert.equal(line, '[PHP 8.2] x = emalloc(100) → at chunk 0 + 0x2000 (page 2, bin 10), 112 bytes');
  });

  it('Run gc gives back nothing while the run has a live slot, and its page once the slot is freed', async () => {
    assert.equal(await nextOutputLine(run(COMMANDS.runGc), /gc\(\)/), '[PHP 8.2] gc() → 0 bytes given back');
    assert.match(await nextOutputLine(run(COMMANDS.free, 'x'), /efree\(x\)/), /^\[PHP 8\.2\] efree\(x\) → freed 112 bytes/);
    // the run of bin 10 is now all free: zend_mm_gc releases its page; `keep` holds the chunk
    // (8.2.32's zend_mm_gc would also release an empty main chunk)
    assert.equal(await nextOutputLine(run(COMMANDS.runGc), /gc\(\)/), `[PHP 8.2] gc() → ${BINS[10].pages * 4096} bytes given back`);
    assert.equal(await nextOutputLine(run(COMMANDS.runGc), /gc\(\)/), '[PHP 8.2] gc() → 0 bytes given back');
  });

  it('refuses to free a name that holds no block, and says so', async () => {
    assert.equal(await nextOutputLine(run(COMMANDS.free, 'x'), /efree\(x\)/), "[PHP 8.2] efree(x) → FAILED: 'x' holds no live block");
  });

  it('Set Memory Limit bounds the next allocation', async () => {
    await nextOutputLine(run(COMMANDS.resetHeap), /heap reset/);
    assert.match(await nextOutputLine(run(COMMANDS.setMemoryLimit, '4M'), /limit/), /^\[PHP 8\.2\] limit 4194304 → /);
    const line = await nextOutputLine(run(COMMANDS.allocate, '3M', 'big'), /big = emalloc/);
    assert.match(line, /^\[PHP 8\.2\] big = emalloc\(3145728\) → FAILED: .*Allowed memory size of 4194304 bytes exhausted/);
    await nextOutputLine(run(COMMANDS.resetHeap), /heap reset/);
  });

  it('Select PHP Version with a version writes the setting, and the session follows it', async () => {
    try {
      const line = await nextOutputLine(run(COMMANDS.selectPhpVersion, '7.4'), /a fresh heap of PHP 7\.4/);
      assert.equal(line, '[PHP 7.4] a fresh heap of PHP 7.4 (zendMm.phpVersion changed)');
      assert.equal(vscode.workspace.getConfiguration(SETTINGS_SECTION).get(SETTING_PHP_VERSION), '7.4');
      assert.match(await nextOutputLine(run(COMMANDS.allocate, 24, 'y'), /y = emalloc/), /^\[PHP 7\.4\] y = emalloc\(24\) → /);
    } finally {
      await nextOutputLine(run(COMMANDS.selectPhpVersion, '8.2'), /a fresh heap of PHP 8\.2/);
      await vscode.workspace.getConfiguration(SETTINGS_SECTION).update(SETTING_PHP_VERSION, undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('Open Heap Inspector opens one inspector tab, and running it again reveals the same one', async () => {
    await vscode.commands.executeCommand(COMMANDS.openHeapInspector);
    await waitUntil('the heap inspector tab', () => inspectorTabs().length === 1);
    assert.equal(inspectorTabs()[0].label, 'Heap Inspector');
    await vscode.commands.executeCommand(COMMANDS.openHeapInspector);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(inspectorTabs().length, 1);
    await vscode.window.tabGroups.close(inspectorTabs());
    await waitUntil('the heap inspector closed', () => inspectorTabs().length === 0);
  });
});
