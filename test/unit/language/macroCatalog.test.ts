import * as assert from 'node:assert/strict';
import { BINS } from '../../../src/engine/zend7/bins';
import * as z7 from '../../../src/engine/zend7/constants';
import { activeProfileFor } from '../../../src/language/activeProfile';
import { lookupMacro, MACRO_CATALOG } from '../../../src/language/macroCatalog';
import { macroValue } from '../../../src/language/macroValues';
import { CACHED_VERSIONS, realAllocatorSource } from './realSources';

/** The names of the list, as they are spelled in C. */
const LISTED = [
  'ZEND_MM_CHUNK_SIZE', 'ZEND_MM_PAGE_SIZE', 'ZEND_MM_PAGES', 'ZEND_MM_FIRST_PAGE', 'ZEND_MM_MIN_SMALL_SIZE',
  'ZEND_MM_MAX_SMALL_SIZE', 'ZEND_MM_MAX_LARGE_SIZE', 'ZEND_MM_BINS', 'ZEND_MM_BINS_INFO', 'ZEND_MM_SMALL_SIZE_TO_BIN',
  'ZEND_MM_ALIGNED_SIZE', 'ZEND_MM_ALIGNMENT', 'ZEND_MM_IS_FRUN', 'ZEND_MM_IS_LRUN', 'ZEND_MM_IS_SRUN', 'ZEND_MM_LRUN_PAGES',
  'ZEND_MM_SRUN_BIN_NUM', 'ZEND_MM_SRUN_FREE_COUNTER', 'ZEND_MM_NRUN_OFFSET', 'ZEND_MM_PAGE_ADDR', 'ZEND_MM_ALIGNED_BASE',
  'ZEND_MM_ALIGNED_OFFSET', 'ZEND_MM_SIZE_TO_NUM', 'ZEND_MM_CHECK', 'ZEND_MM_STAT', 'ZEND_MM_LIMIT', 'ZEND_MM_CUSTOM',
  'ZEND_MM_STORAGE', 'AG', 'EXPECTED', 'UNEXPECTED', 'ZEND_FILE_LINE_DC', 'ZEND_FILE_LINE_ORIG_DC', 'ZEND_FILE_LINE_CC',
  'ZEND_FILE_LINE_EMPTY_CC', 'ZEND_FILE_LINE_RELAY_CC', 'ZEND_FILE_LINE_ORIG_RELAY_CC', 'emalloc', 'pemalloc', 'efree',
  'erealloc', 'ecalloc', 'estrdup', 'safe_emalloc', '_emalloc_N', 'ZEND_MM_BUCKET_INDEX', 'ZEND_MM_LARGE_BUCKET_INDEX',
  'ZEND_MM_ALIGNED_HEADER_SIZE', 'ZEND_MM_ALIGNED_MIN_HEADER_SIZE', 'ZEND_MM_TRUE_SIZE', 'ZEND_MM_SEG_SIZE', 'ZEND_MM_CACHE',
];

const wholeWord = (name: string): RegExp => new RegExp(`(^|[^A-Za-z0-9_])${name}([^A-Za-z0-9_]|$)`);

describe('language/macroCatalog', () => {
  it('has an entry for every name the hovers promise', () => {
    for (const name of LISTED) assert.ok(MACRO_CATALOG.has(name), name);
    assert.equal(MACRO_CATALOG.size, LISTED.length);
  });

  it('finds the _emalloc_N family by its real spellings', () => {
    assert.equal(lookupMacro('_emalloc_112')?.name, '_emalloc_N');
    assert.equal(lookupMacro('_emalloc_large')?.name, '_emalloc_N');
    assert.equal(lookupMacro('_emalloc_huge')?.name, '_emalloc_N');
    assert.equal(lookupMacro('_emallocx'), undefined);
  });

  for (const version of CACHED_VERSIONS) {
    describe(`against the real PHP ${version} zend_alloc.c / .h / zend_alloc_sizes.h`, () => {
      let source = '';
      before(() => {
        source = realAllocatorSource(version);
      });

      it('contains every name claimed for PHP 7.0 - 8.x', () => {
        for (const e of MACRO_CATALOG.values()) {
          if (!e.families.includes('zend7')) continue;
          if (e.name === '_emalloc_N') {
            assert.match(source, /_emalloc_\s*##\s*_size/, 'the _emalloc_N specialisations');
            assert.match(source, wholeWord('_emalloc_large'));
            assert.match(source, wholeWord('_emalloc_huge'));
            continue;
          }
          assert.match(source, wholeWord(e.name), `${e.name} in PHP ${version}`);
        }
      });

      it('contains none of the names claimed only for PHP 5.x', () => {
        for (const e of MACRO_CATALOG.values()) {
          if (e.families.includes('zend7')) continue;
          assert.doesNotMatch(source, wholeWord(e.name), `${e.name} should not be in PHP ${version}`);
        }
      });

      it('defines the numbers the hovers show as the engine has them', () => {
        const define = (name: string): string => {
          const m = new RegExp(`#\\s*define\\s+${name}\\s+([^\\n/]+)`).exec(source);
          assert.ok(m !== null, `#define ${name}`);
          return m[1].trim();
        };
        assert.equal(Number(define('ZEND_MM_MIN_SMALL_SIZE')), z7.ZEND_MM_MIN_SMALL_SIZE);
        assert.equal(Number(define('ZEND_MM_MAX_SMALL_SIZE')), z7.ZEND_MM_MAX_SMALL_SIZE);
        assert.equal(Number(define('ZEND_MM_BINS')), z7.ZEND_MM_BINS);
        assert.equal(Number(define('ZEND_MM_IS_FRUN')), z7.ZEND_MM_IS_FRUN);
        assert.equal(Number(define('ZEND_MM_IS_LRUN')), z7.ZEND_MM_IS_LRUN);
        assert.equal(Number(define('ZEND_MM_IS_SRUN')), z7.ZEND_MM_IS_SRUN);
        assert.equal(Number(define('ZEND_MM_LRUN_PAGES_MASK')), z7.ZEND_MM_LRUN_PAGES_MASK);
        assert.equal(Number(define('ZEND_MM_SRUN_BIN_NUM_MASK')), z7.ZEND_MM_SRUN_BIN_NUM_MASK);
        assert.equal(Number(define('ZEND_MM_SRUN_FREE_COUNTER_MASK')), z7.ZEND_MM_SRUN_FREE_COUNTER_MASK);
        assert.equal(Number(define('ZEND_MM_NRUN_OFFSET_MASK')), z7.ZEND_MM_NRUN_OFFSET_MASK);
        assert.match(define('ZEND_MM_CHUNK_SIZE'), /2 \* 1024 \* 1024/);
        assert.match(define('ZEND_MM_PAGE_SIZE'), /4 \* 1024/);
        for (const sw of ['ZEND_MM_STAT', 'ZEND_MM_LIMIT', 'ZEND_MM_CUSTOM', 'ZEND_MM_STORAGE']) assert.equal(define(sw), '1', sw);
      });

      it('lists the same bins in ZEND_MM_BINS_INFO as the hover table', () => {
        const rows = [...source.matchAll(/_\(\s*(\d+),\s*(\d+),\s*(\d+),\s*(\d+),\s*x,\s*y\)/g)].map((m) => m.slice(1, 5).map(Number));
        assert.deepEqual(rows, BINS.map((b) => [b.bin, b.size, b.elements, b.pages]));
        const table = macroValue('ZEND_MM_BINS_INFO', activeProfileFor(version)!)!;
        for (const b of BINS) assert.ok(table.includes(`| ${b.bin} | ${b.size} | ${b.elements} | ${b.pages} |`), `row of bin ${b.bin}`);
      });

      it('has the AG expansions and the minimum slot the hovers describe', () => {
        const ag = macroValue('AG', activeProfileFor(version)!)!;
        for (const m of ag.matchAll(/`([^`]+)`/g)) {
          const body = m[1].replace(/^\(|\)$/g, '');
          assert.ok(source.includes(body), `AG expands to ${m[1]} in PHP ${version}`);
        }
        const minUseable = /#\s*define ZEND_MM_MIN_USEABLE_BIN_SIZE 16/.test(source);
        assert.equal(minUseable, activeProfileFor(version)!.family === 'zend7' && (activeProfileFor(version)!.profile as { switches: { minSmallSize: number } }).switches.minSmallSize === 16);
      });
    });
  }
});
