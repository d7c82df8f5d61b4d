// The catalog covers every anchor and every function the engines can emit, found by reading the
// engine sources themselves, and holds nothing the engines never emit.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { AllocatorFamily, CATALOGS, anchorFunction, findAnchor, renderNote } from '../../../src/source/anchorCatalog';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const ENGINE = path.join(ROOT, 'src', 'engine');

/**
 * Anchors built from a template literal, e.g. `zend_mm_alloc_pages:best_fit_${where}`: how to
 * find the values the template's variable takes, in the same file. A new template fails the
 * test until it is listed here.
 */
const TEMPLATES: Record<string, RegExp> = {
  'zend_mm_alloc_pages:best_fit_${where}': /bestOrNone\([^)']*'(\w+)'[^)]*\)/g,
  'zend_mm_alloc_pages:not_found_${where}': /bestOrNone\([^)']*'(\w+)'[^)]*\)/g,
  'zend_mm_search_large_block:${anchor}': /done\([^,]+,\s*'(\w+)'/g,
};

interface EngineNames {
  anchors: Set<string>;
  functions: Set<string>;
}

function sourcesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourcesUnder(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

/** Anchor literals and entered function names in the engine files of one family. */
function engineNames(files: readonly string[]): EngineNames {
  const anchors = new Set<string>();
  const functions = new Set<string>();
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/'([A-Za-z_]\w*:\w+)'/g)) anchors.add(m[1]);
    for (const m of text.matchAll(/func:\s*'(\w+)'/g)) functions.add(m[1]);
    for (const m of text.matchAll(/`([A-Za-z_]\w*:\w*\$\{\w+\}\w*)`/g)) {
      const values = TEMPLATES[m[1]];
      assert.ok(values !== undefined, `${path.relative(ROOT, file)}: anchor template ${m[1]} is not listed in this test's TEMPLATES`);
      const found = [...text.matchAll(values)].map((v) => v[1]);
      assert.ok(found.length > 0, `${m[1]}: no values found in ${path.relative(ROOT, file)}`);
      for (const v of found) anchors.add(m[1].replace(/\$\{\w+\}/, v));
    }
  }
  return { anchors, functions };
}

const FAMILY_FILES: Record<AllocatorFamily, string[]> = {
  zend7: sourcesUnder(path.join(ENGINE, 'zend7')),
  zend5: sourcesUnder(path.join(ENGINE, 'zend5')),
};

describe('anchor catalog', () => {
  for (const family of ['zend7', 'zend5'] as const) {
    describe(family, () => {
      const catalog = CATALOGS[family];
      const names = engineNames(FAMILY_FILES[family]);
      const catalogAnchors = catalog.anchors.map((a) => a.anchor);
      const catalogFunctions = new Set(catalog.functions.map((f) => f.name));

      it('the engine files were read', () => {
        assert.ok(names.anchors.size >= 40, `only ${names.anchors.size} anchors found in src/engine/${family}`);
      });

      it('has every anchor the engine can emit', () => {
        assert.deepStrictEqual([...names.anchors].filter((a) => !catalogAnchors.includes(a)).sort(), []);
      });

      it('has no anchor the engine never emits, and none twice', () => {
        assert.deepStrictEqual(catalogAnchors.filter((a) => !names.anchors.has(a)), []);
        assert.strictEqual(new Set(catalogAnchors).size, catalogAnchors.length);
      });

      it('lists every function the engine enters or anchors', () => {
        const needed = new Set([...names.functions, ...catalogAnchors.map(anchorFunction)]);
        assert.deepStrictEqual([...needed].filter((f) => !catalogFunctions.has(f)).sort(), []);
      });

      it('gives every anchor a note of one or two sentences and at least one pattern', () => {
        for (const entry of catalog.anchors) {
          assert.ok(entry.statement.length > 0, entry.anchor);
          const sentences = entry.note.split(/[.!?](?:\s+|$)/).filter((s) => s.trim() !== '');
          assert.ok(sentences.length >= 1 && sentences.length <= 2, `${entry.anchor}: ${sentences.length} sentences`);
        }
      });
    });
  }

  it('fills a note from the step\'s locals and leaves missing ones named', () => {
    const entry = findAnchor('zend7', 'zend_mm_alloc_heap:small');
    assert.ok(entry !== undefined);
    const note = renderNote(entry, { size: 100, bin_num: 11 });
    assert.ok(note.includes('100 bytes') && note.includes('bin 11'), note);
    assert.ok(renderNote(entry).includes('<size> bytes'), renderNote(entry));
    assert.strictEqual(findAnchor('zend5', 'zend_mm_alloc_heap:small'), undefined);
  });
});
