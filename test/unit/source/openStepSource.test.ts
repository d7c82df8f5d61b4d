// Finding zend_alloc.c, the version check and the outline fallback, on real folders made in a
// temporary directory (the real 8.2 and 8.4 files are copied in from .cache/php-src at test time).

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CATALOGS } from '../../../src/source/anchorCatalog';
import { openStepSource } from '../../../src/source/openStepSource';
import { OUTLINE_LABEL } from '../../../src/source/outline';
import type { StepSource } from '../../../src/source/stepSource';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const cached = (version: string): string => {
  const file = path.join(ROOT, '.cache', 'php-src', version, 'Zend', 'zend_alloc.c');
  assert.ok(fs.existsSync(file), `${file} is missing: run scripts/setup-php.sh (npm run setup:test) to fetch the real sources`);
  return file;
};
const PHP82 = { phpVersion: '8.2', phpRelease: '8.2.32' };
const SETTING_LABEL = 'the setting zendMm.phpSrc';

describe('openStepSource', () => {
  let tmp = '';
  /** A php-src checkout at `dir` holding the cached file of `version`, with optional version files. */
  const checkout = (dir: string, version: string, files: Record<string, string> = {}): string => {
    fs.mkdirSync(path.join(dir, 'Zend'), { recursive: true });
    fs.copyFileSync(cached(version), path.join(dir, 'Zend', 'zend_alloc.c'));
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    return path.join(dir, 'Zend', 'zend_alloc.c');
  };
  const messageWith = (source: StepSource, ...parts: string[]): void => {
    assert.ok(
      source.messages.some((m) => parts.every((p) => m.includes(p))),
      `no message with ${parts.map((p) => `"${p}"`).join(' and ')} in:\n${source.messages.join('\n')}`,
    );
  };

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'step-source-'));
  });
  afterEach(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe('locating zend_alloc.c', () => {
    it('takes a php-src checkout, its Zend folder or the file itself from phpSrc', () => {
      const file = checkout(path.join(tmp, 'php-src'), '8.2', { 'main/php_version.h': '#define PHP_VERSION "8.2.32"\n' });
      for (const phpSrc of [path.join(tmp, 'php-src'), path.join(tmp, 'php-src', 'Zend'), file]) {
        const source = openStepSource({ ...PHP82, phpSrc });
        assert.deepStrictEqual(source.document, { kind: 'file', path: file }, phpSrc);
        assert.deepStrictEqual(source.messages, [], phpSrc);
        assert.ok(source.lineOfAnchor('zend_mm_alloc_small:free_list_hit') !== undefined);
      }
    });

    it('uses the setting when the launch attribute is absent, and the launch attribute first', () => {
      const a = checkout(path.join(tmp, 'a'), '8.2');
      const b = checkout(path.join(tmp, 'b'), '8.2');
      assert.deepStrictEqual(openStepSource({ ...PHP82, settingPhpSrc: path.join(tmp, 'b') }).document, { kind: 'file', path: b });
      assert.deepStrictEqual(openStepSource({ ...PHP82, phpSrc: path.join(tmp, 'a'), settingPhpSrc: path.join(tmp, 'b') }).document, {
        kind: 'file',
        path: a,
      });
    });

    it('resolves a relative phpSrc against the first search folder', () => {
      const file = checkout(path.join(tmp, 'ws', 'deps', 'php'), '8.2');
      const source = openStepSource({ ...PHP82, phpSrc: 'deps/php', searchFolders: [path.join(tmp, 'ws')] });
      assert.deepStrictEqual(source.document, { kind: 'file', path: file });
    });

    it('finds a checkout in the search folders, at the folder or one or two levels below', () => {
      for (const where of ['', 'php-src', path.join('vendor', 'php-src')]) {
        const ws = fs.mkdtempSync(path.join(tmp, 'ws-'));
        const file = checkout(path.join(ws, where), '8.2');
        assert.deepStrictEqual(openStepSource({ ...PHP82, searchFolders: [ws] }).document, { kind: 'file', path: file }, where || '(the folder)');
      }
    });

    it('does not search three levels down', () => {
      const ws = path.join(tmp, 'ws');
      checkout(path.join(ws, 'a', 'b', 'php-src'), '8.2');
      assert.strictEqual(openStepSource({ ...PHP82, searchFolders: [ws] }).document.kind, 'virtual');
    });

    it('prefers the checkout of the profile\'s version when the workspace has several', () => {
      const ws = path.join(tmp, 'ws');
      checkout(path.join(ws, 'a-php84'), '8.4', { 'main/php_version.h': '#define PHP_VERSION "8.4.24"\n' });
      const file = checkout(path.join(ws, 'b-php82'), '8.2', { 'main/php_version.h': '#define PHP_VERSION "8.2.32"\n' });
      const source = openStepSource({ ...PHP82, searchFolders: [ws] });
      assert.deepStrictEqual(source.document, { kind: 'file', path: file });
      messageWith(source, 'Found 2 copies', file);
    });

    it('names a phpSrc that does not exist, and falls back to the next place', () => {
      const missing = path.join(tmp, 'nowhere');
      const file = checkout(path.join(tmp, 'ws', 'php-src'), '8.2');
      const source = openStepSource({ ...PHP82, phpSrc: missing, searchFolders: [path.join(tmp, 'ws')] });
      assert.deepStrictEqual(source.document, { kind: 'file', path: file });
      messageWith(source, 'phpSrc', missing, 'does not exist');
    });

    it('names a phpSrc that is a file other than zend_alloc.c: not a folder', () => {
      const other = path.join(tmp, 'notes.txt');
      fs.writeFileSync(other, 'hello\n');
      const source = openStepSource({ ...PHP82, phpSrc: other });
      assert.strictEqual(source.document.kind, 'virtual');
      messageWith(source, other, 'is not a folder');
    });

    it('names a folder without Zend/zend_alloc.c', () => {
      const empty = path.join(tmp, 'empty');
      fs.mkdirSync(empty);
      const source = openStepSource({ ...PHP82, settingPhpSrc: empty });
      assert.strictEqual(source.document.kind, 'virtual');
      messageWith(source, 'zendMm.phpSrc', empty, 'holds no Zend/zend_alloc.c');
    });

    it('treats blank settings as not set and survives odd search folders', () => {
      const notes = path.join(tmp, 'notes.txt');
      fs.writeFileSync(notes, 'not a folder\n');
      const source = openStepSource({ ...PHP82, phpSrc: '   ', settingPhpSrc: '', searchFolders: [notes, path.join(tmp, 'missing')] });
      assert.strictEqual(source.document.kind, 'virtual');
      messageWith(source, 'phpSrc (not set)', `${SETTING_LABEL} (not set)`, notes);
    });

    it('names a path that cannot be read', () => {
      const loop = path.join(tmp, 'loop');
      fs.symlinkSync(loop, loop); // a link to itself: stat fails with ELOOP
      const source = openStepSource({ ...PHP82, phpSrc: loop });
      assert.strictEqual(source.document.kind, 'virtual');
      messageWith(source, loop, 'cannot be read', 'ELOOP');
    });
  });

  describe('version check', () => {
    it('says when the checkout is another version than the profile', () => {
      const dir = path.join(tmp, 'php-8.4');
      checkout(dir, '8.4', { 'main/php_version.h': '#define PHP_VERSION "8.4.24"\n' });
      const source = openStepSource({ ...PHP82, phpSrc: dir });
      assert.strictEqual(source.document.kind, 'file');
      messageWith(source, 'is PHP 8.4.24', 'the stepper follows PHP 8.2 (8.2.32)', 'lines may not match');
    });

    it('reads ZEND_VERSION when php_version.h is absent (Zend 4.x is PHP 8.x)', () => {
      const dir = path.join(tmp, 'php');
      checkout(dir, '8.4', { 'Zend/zend.h': '#define ZEND_VERSION "4.4.24"\n' });
      messageWith(openStepSource({ ...PHP82, phpSrc: dir }), 'is PHP 8.4', 'zend.h');
      assert.deepStrictEqual(openStepSource({ phpVersion: '8.4', phpRelease: '8.4.24', phpSrc: dir }).messages, []);
    });

    it('reads a VERSION file beside Zend/', () => {
      const dir = path.join(tmp, 'php');
      checkout(dir, '8.2', { VERSION: '8.2.30\n' });
      messageWith(openStepSource({ ...PHP82, phpSrc: dir }), 'is PHP 8.2.30', 'Same minor version');
    });

    it('infers the family from the file itself when no version is beside it', () => {
      const dir = path.join(tmp, 'bare');
      checkout(dir, '8.4');
      messageWith(openStepSource({ ...PHP82, phpSrc: dir }), 'looks like PHP 8.4 or later', 'shadow pointers', 'lines may not match');
      assert.deepStrictEqual(openStepSource({ phpVersion: '8.4', phpRelease: '8.4.24', phpSrc: dir }).messages, []);
      const older = path.join(tmp, 'bare82');
      checkout(older, '8.2');
      assert.deepStrictEqual(openStepSource({ phpVersion: '7.4', phpRelease: '7.4.33', phpSrc: older }).messages, []);
      messageWith(openStepSource({ phpVersion: '8.4', phpRelease: '8.4.24', phpSrc: older }), 'looks like PHP 7.0 to 8.3');
      messageWith(openStepSource({ phpVersion: '5.3', phpRelease: '5.3.25', phpSrc: older }), 'looks like PHP 7.0 to 8.3', 'PHP 5.3');
    });
  });

  it('names the steps it cannot place, a few at a time', () => {
    // a PHP 7/8 file for a PHP 5 session: none of the 5.x statements are in it
    const source = openStepSource({ phpVersion: '5.3', phpRelease: '5.3.25', phpSrc: cached('8.2') });
    assert.strictEqual(source.document.kind, 'file');
    // (8.2's zend_mm_safe_error still sets overflow to 1 as 5.x did: that one resolves)
    const unplaced = CATALOGS.zend5.anchors.filter((a) => !(a.missingIn ?? []).includes('5.3') && source.lineOfAnchor(a.anchor) === undefined);
    assert.ok(unplaced.length > 40, `${unplaced.length}`);
    messageWith(source, `${unplaced.length} steps could not be placed`, unplaced[0].anchor, `and ${unplaced.length - 10} more`);
    assert.ok(source.messages.every((m) => !m.includes(unplaced[10].anchor)));
    assert.strictEqual(source.lineOfAnchor('_zend_mm_alloc_int:stat'), undefined);
    assert.ok(source.lineOfFunction('zend_mm_alloc_pages') !== undefined);
  });

  describe('the outline when no zend_alloc.c is found', () => {
    const outlineOf = (phpVersion: string, phpRelease: string): StepSource => openStepSource({ phpVersion, phpRelease, searchFolders: [tmp] });

    it('is a labelled virtual document that says how to point at a php-src', () => {
      const source = outlineOf('8.2', '8.2.32');
      assert.strictEqual(source.document.kind, 'virtual');
      if (source.document.kind !== 'virtual') return;
      const firstLine = source.document.text.split('\n')[0];
      assert.ok(firstLine.includes(OUTLINE_LABEL), firstLine);
      assert.ok(source.document.text.includes('"phpSrc"') && source.document.text.includes('zendMm.phpSrc'));
      messageWith(source, 'No zend_alloc.c was found', 'phpSrc (not set)', tmp);
    });

    for (const [family, version, release] of [
      ['zend7', '8.2', '8.2.32'],
      ['zend5', '5.3', '5.3.25'],
    ] as const) {
      it(`places every ${family} anchor and function on a line of its own outline (PHP ${version})`, () => {
        const source = outlineOf(version, release);
        if (source.document.kind !== 'virtual') return assert.fail('not an outline');
        const lines = source.document.text.split('\n');
        assert.ok(CATALOGS[family].anchors.length > 0);
        for (const entry of CATALOGS[family].anchors) {
          const line = source.lineOfAnchor(entry.anchor);
          assert.ok(line !== undefined, entry.anchor);
          assert.ok(lines[line - 1].includes(`[${entry.anchor.split(':')[1]}]`), `${entry.anchor}: "${lines[line - 1]}"`);
          assert.deepStrictEqual(source.anchorsAtLine(line), [entry.anchor]);
          const fnLine = source.lineOfFunction(entry.anchor.split(':')[0]);
          assert.ok(fnLine !== undefined && fnLine < line, entry.anchor);
        }
        for (const f of CATALOGS[family].functions) {
          const line = source.lineOfFunction(f.name);
          assert.ok(line !== undefined && lines[line - 1] === `${f.name}()`, f.name);
        }
      });
    }
  });

  it('annotates a step with its locals', () => {
    const source = openStepSource({ ...PHP82, phpSrc: path.dirname(path.dirname(cached('8.2'))) });
    const note = source.annotationOf?.('zend_mm_alloc_heap:small', { size: 100, bin_num: 11 });
    assert.ok(note !== undefined && note.includes('100 bytes') && note.includes('bin 11'), note);
    assert.strictEqual(source.annotationOf?.('no_such:anchor'), undefined);
  });
});
