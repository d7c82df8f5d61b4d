// The C macro hovers on the real PHP 8.2.32 zend_alloc.c, through VS Code's own hover command
// (vscode.executeHoverProvider) on the file opened from the workspace: the values they give are
// checked against the real headers' own definitions.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionUnderTest } from './hostSupport';
import { realZendFile, useRealZendAllocInWorkspace } from './realZendAlloc';

/** The hovers' Markdown at the first use of `word` (not on a #define line) whose line matches `context`. */
async function hoverOnFirstUse(doc: vscode.TextDocument, word: string, context: RegExp = /./): Promise<{ text: string; line: number; hovers: vscode.Hover[] }> {
  for (let line = 0; line < doc.lineCount; line++) {
    const text = doc.lineAt(line).text;
    const column = text.search(new RegExp(`\\b${word}\\b`));
    if (column < 0 || /^\s*#\s*define\b/.test(text) || !context.test(text)) continue;
    const at = new vscode.Position(line, column + 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
    const markdown = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    return { text: markdown, line: line + 1, hovers };
  }
  throw new Error(`${word} is not used in the real zend_alloc.c`);
}

/** The (num, size, count, pages) rows of ZEND_MM_BINS_INFO in the real zend_alloc_sizes.h. */
function realBinsInfo(): { num: number; size: number }[] {
  const rows = [...realZendFile('zend_alloc_sizes.h').matchAll(/_\(\s*(\d+),\s*(\d+),\s*(\d+),\s*(\d+),\s*x,\s*y\)/g)];
  return rows.map((m) => ({ num: Number(m[1]), size: Number(m[2]) }));
}

/** The value of `#define NAME <product of integers>` in a real header, e.g. ((size_t) (2 * 1024 * 1024)). */
function realDefine(file: string, name: string): number {
  const m = realZendFile(file).match(new RegExp(`#define ${name}\\s+(.*)`));
  assert.ok(m, `${name} is not defined in ${file}`);
  const factors = m[1].replace(/\/\*.*$/, '').replace(/\(size_t\)/g, '').match(/\d+/g) ?? [];
  return factors.map(Number).reduce((a, b) => a * b, 1);
}

describe('macro hovers on the real zend_alloc.c (executeHoverProvider)', () => {
  const real = useRealZendAllocInWorkspace();
  let doc: vscode.TextDocument;

  before(async () => {
    await extensionUnderTest().activate();
    doc = await vscode.workspace.openTextDocument(vscode.Uri.file(real().file));
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'c');
  });

  it('ZEND_MM_SMALL_SIZE_TO_BIN(size) lists the bins of PHP 8.2 exactly as zend_alloc_sizes.h defines them', async () => {
    const { text } = await hoverOnFirstUse(doc, 'ZEND_MM_SMALL_SIZE_TO_BIN', /ZEND_MM_SMALL_SIZE_TO_BIN\(size\)/);
    assert.match(text, /\*\*ZEND_MM_SMALL_SIZE_TO_BIN\*\* — macro/);
    assert.match(text, /\*\*PHP 8\.2:\*\* `zend_mm_small_size_to_bin\(size\)`/);
    const bins = realBinsInfo();
    assert.equal(bins.length, realDefine('zend_alloc.c', 'ZEND_MM_BINS'));
    const rows = text.split('\n').filter((l) => /^\| \d+ – \d+ \|/.test(l));
    assert.deepEqual(rows, bins.map((b, i) => `| ${i === 0 ? 0 : bins[i - 1].size + 1} – ${b.size} | ${b.num} | ${b.size} |`));
  });

  it('ZEND_MM_PAGE_SIZE and ZEND_MM_CHUNK_SIZE give the values zend_alloc_sizes.h defines', async () => {
    const page = await hoverOnFirstUse(doc, 'ZEND_MM_PAGE_SIZE');
    assert.match(page.text, new RegExp(`\\*\\*PHP 8\\.2:\\*\\* ${realDefine('zend_alloc_sizes.h', 'ZEND_MM_PAGE_SIZE')} \\(4 KiB\\)`));
    const chunk = await hoverOnFirstUse(doc, 'ZEND_MM_CHUNK_SIZE');
    assert.match(chunk.text, new RegExp(`\\*\\*PHP 8\\.2:\\*\\* ${realDefine('zend_alloc_sizes.h', 'ZEND_MM_CHUNK_SIZE')} \\(2 MiB\\)`));
  });

  it('ZEND_MM_BINS gives the count zend_alloc.c defines, and the hover covers the word', async () => {
    const bins = await hoverOnFirstUse(doc, 'ZEND_MM_BINS', /\[ZEND_MM_BINS\]/);
    assert.match(bins.text, new RegExp(`\\*\\*PHP 8\\.2:\\*\\* ${realDefine('zend_alloc.c', 'ZEND_MM_BINS')}$`, 'm'));
    const ours = bins.hovers.find((h) => h.contents.some((c) => typeof c !== 'string' && c.value.includes('**ZEND_MM_BINS**')));
    assert.ok(ours?.range, 'the hover has no range');
    assert.equal(doc.getText(ours.range), 'ZEND_MM_BINS');
  });

  it('gives no hover of its own on a word it does not know (a local variable)', async () => {
    const { text } = await hoverOnFirstUse(doc, 'bin_num');
    assert.doesNotMatch(text, /\*\*bin_num\*\*|PHP 8\.2:/);
  });
});
