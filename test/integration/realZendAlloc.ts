// The real PHP 8.2.32 zend_alloc.c for in-host tests: read from the git-ignored cache that
// `npm run setup:test` fills, and written into the test workspace (a copy) only while a suite runs.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { REPO_ROOT } from './hostSupport';

/** The cached real sources of PHP 8.2.32 (zend_alloc.c, zend_alloc.h, zend_alloc_sizes.h). */
export const REAL_ZEND_82 = path.join(REPO_ROOT, '.cache', 'php-src', '8.2', 'Zend');

/** Text of a real file of the 8.2 Zend folder. */
export function realZendFile(name: string): string {
  const file = path.join(REAL_ZEND_82, name);
  assert.ok(fs.existsSync(file), `${file} is missing: run npm run setup:test`);
  return fs.readFileSync(file, 'utf8');
}

/** The 1-based line of the definition of C function `name` (not a declaration). */
export function definitionLine(lines: readonly string[], name: string): number {
  const at = lines.findIndex((l) => /^(static|ZEND_API)\b/.test(l) && new RegExp(`[ *]${name}\\(`).test(l) && !l.trimEnd().endsWith(';'));
  assert.ok(at >= 0, `no definition of ${name}`);
  return at + 1;
}

/**
 * Copies the real zend_alloc.c to php-src/Zend/ of the open workspace folder for the duration of
 * the calling suite (mocha before/after); the accessor gives its path and lines.
 */
export function useRealZendAllocInWorkspace(): () => { file: string; lines: string[] } {
  let placed: { file: string; lines: string[]; root: string } | undefined;
  before(() => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no folder is open');
    const root = path.join(folder.uri.fsPath, 'php-src');
    const file = path.join(root, 'Zend', 'zend_alloc.c');
    const text = realZendFile('zend_alloc.c');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    placed = { file, lines: text.split('\n'), root };
  });
  after(() => {
    if (placed) fs.rmSync(placed.root, { recursive: true, force: true });
  });
  return () => {
    assert.ok(placed, 'zend_alloc.c was not placed');
    return placed;
  };
}
