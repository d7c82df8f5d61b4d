// The VSIX users install: what is inside, what must not be, and how big it is.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from './harness/paths';
import { vsixUnderTest } from './harness/session';
import { ZipEntry, readZipEntries } from './harness/vsix';

const PREFIX = 'extension/';
/**
 * Whatever must never be shipped: sources, tests, build output other than dist/, maps, PHP's
 * code, dependencies. Our own oracle driver (media/oracle/: PHP scripts and a C shim that
 * Verify Trace Against Local PHP runs) is the one PHP and C the extension ships.
 */
const FORBIDDEN: [RegExp, string][] = [
  [/^extension\/(src|test|out|bench|scripts|docs|examples|\.ci|\.cache|\.vscode|\.vscode-test)\//, 'a source, test or tooling folder'],
  [/(^|\/)node_modules\//, 'node_modules'],
  [/\.map$/, 'a source map'],
  [/\.ts$/, 'TypeScript source'],
  [/^(?!extension\/media\/oracle\/[\w.-]+\.(php|c)$).*\.(php|phpt|c|h)$/i, 'PHP or C source outside our oracle driver'],
  [/zend_alloc(_sizes)?\.[ch]/i, "a copy of PHP's allocator source"],
  [/\.vsix$/, 'a nested VSIX'],
];
const MAX_VSIX_BYTES = 2 * 1024 * 1024;

/** Relative file paths a manifest value points to (contributes' media, grammars, icons, main, ...). */
function referencedFiles(value: unknown, found: Set<string>): Set<string> {
  if (typeof value === 'string') {
    if (/^(\.\/)?[\w@.-]+(\/[\w@.-]+)*\.(js|json|md|svg|png|jpe?g|gif|css)$/.test(value) && value.includes('/')) found.add(value.replace(/^\.\//, ''));
  } else if (Array.isArray(value)) {
    for (const v of value) referencedFiles(v, found);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) referencedFiles(v, found);
  }
  return found;
}

/** Every .ts file under `dir`. */
function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

describe('packaging (VSIX)', function () {
  this.timeout(240_000);
  let vsix: string;
  let entries: ZipEntry[];
  let files: string[];

  before(async () => {
    vsix = await vsixUnderTest();
    entries = readZipEntries(vsix);
    files = entries.map((e) => e.name).filter((n) => n.startsWith(PREFIX));
  });

  it('holds the manifest and the extension bundle', () => {
    assert.ok(files.includes('extension/package.json'), files.join('\n'));
    assert.ok(files.includes('extension/dist/extension.js'), files.join('\n'));
  });

  it('ships no sources, tests, maps, PHP code or node_modules', () => {
    const bad = files.flatMap((f) => FORBIDDEN.filter(([re]) => re.test(f)).map(([, why]) => `${f}: ${why}`));
    assert.deepEqual(bad, []);
  });

  it('ships the oracle driver that Verify Trace Against Local PHP runs, and the debug adapter', () => {
    const driver = fs.readdirSync(`${REPO_ROOT}/media/oracle`).map((f) => `extension/media/oracle/${f}`);
    assert.ok(driver.some((f) => f.endsWith('/oracle.php')) && driver.some((f) => f.endsWith('/zmm_shim.c')));
    assert.deepEqual(driver.filter((f) => !files.includes(f)), []);
    assert.ok(files.includes('extension/dist/debugAdapter.js'));
  });

  it('ships every bundle the extension loads on first use (lazyBundle in src/)', () => {
    const names = sourceFiles(`${REPO_ROOT}/src`).flatMap((f) => [...fs.readFileSync(f, 'utf8').matchAll(/lazyBundle<[^>]+>\('([\w-]+)'\)/g)].map((m) => m[1]));
    assert.ok(names.length >= 3, names.join(', '));
    const missing = names.map((n) => `${PREFIX}dist/${n}.js`).filter((f) => !files.includes(f));
    assert.deepEqual(missing, []);
  });

  it('ships every file its manifest points to', () => {
    const manifest = JSON.parse(fs.readFileSync(`${REPO_ROOT}/package.json`, 'utf8')) as { main: string; contributes: unknown };
    const wanted = [...referencedFiles([manifest.main, manifest.contributes], new Set())];
    assert.ok(wanted.length > 0);
    const missing = wanted.filter((f) => !files.includes(PREFIX + f));
    assert.deepEqual(missing, []);
  });

  it(`stays under ${MAX_VSIX_BYTES / 1024 / 1024} MiB (size reported)`, () => {
    const size = fs.statSync(vsix).size;
    const unpacked = entries.reduce((sum, e) => sum + e.size, 0);
    console.log(`      VSIX: ${files.length} files, ${(size / 1024).toFixed(1)} KiB (${(unpacked / 1024).toFixed(1)} KiB unpacked): ${vsix}`);
    assert.ok(size < MAX_VSIX_BYTES, `${size} bytes`);
  });
});
