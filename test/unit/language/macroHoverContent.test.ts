import * as assert from 'node:assert/strict';
import { SUPPORTED_PHP_VERSIONS } from '../../../src/engine/versions';
import { BINS, smallSizeToBin } from '../../../src/engine/zend7/bins';
import * as z7 from '../../../src/engine/zend7/constants';
import * as z5 from '../../../src/engine/zend5/constants';
import { PHP53 } from '../../../src/engine/zend5/profiles';
import { activeProfileFor, ActiveProfile, ALL_ACTIVE_PROFILES } from '../../../src/language/activeProfile';
import { callArgsAt } from '../../../src/language/cMacroArgs';
import { buildMacroHover } from '../../../src/language/macroHoverContent';
import { MACRO_CATALOG } from '../../../src/language/macroCatalog';

const P = (v: string): ActiveProfile => activeProfileFor(v)!;
const VERSIONS = ['7.4', '8.2', '8.4', '5.3'];

/** The hover of the call written as `code`, hovering its first identifier. */
function hoverOf(code: string, version: string) {
  const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(code)![0];
  return buildMacroHover(word, callArgsAt(code, word.length), P(version));
}

/** What each listed name must show, computed from the engine's own tables, per family. */
const EXPECTED_7: Readonly<Record<string, string>> = {
  ZEND_MM_CHUNK_SIZE: String(z7.ZEND_MM_CHUNK_SIZE),
  ZEND_MM_PAGE_SIZE: String(z7.ZEND_MM_PAGE_SIZE),
  ZEND_MM_PAGES: String(z7.ZEND_MM_PAGES),
  ZEND_MM_FIRST_PAGE: String(z7.ZEND_MM_FIRST_PAGE),
  ZEND_MM_MIN_SMALL_SIZE: String(z7.ZEND_MM_MIN_SMALL_SIZE),
  ZEND_MM_MAX_SMALL_SIZE: String(z7.ZEND_MM_MAX_SMALL_SIZE),
  ZEND_MM_MAX_LARGE_SIZE: String(z7.ZEND_MM_MAX_LARGE_SIZE),
  ZEND_MM_BINS: String(z7.ZEND_MM_BINS),
  ZEND_MM_BINS_INFO: `| 29 | ${BINS[29].size} | ${BINS[29].elements} | ${BINS[29].pages} |`,
  ZEND_MM_SMALL_SIZE_TO_BIN: 'zend_mm_small_size_to_bin(size)',
  ZEND_MM_ALIGNED_SIZE: `+ ${z5.ZEND_MM_ALIGNMENT - 1}) & ~${z5.ZEND_MM_ALIGNMENT - 1}`,
  ZEND_MM_ALIGNMENT: String(z5.ZEND_MM_ALIGNMENT),
  ZEND_MM_IS_FRUN: '0x00000000',
  ZEND_MM_IS_LRUN: '0x' + z7.ZEND_MM_IS_LRUN.toString(16),
  ZEND_MM_IS_SRUN: '0x' + z7.ZEND_MM_IS_SRUN.toString(16),
  ZEND_MM_LRUN_PAGES: '0x' + z7.ZEND_MM_LRUN_PAGES_MASK.toString(16).padStart(8, '0'),
  ZEND_MM_SRUN_BIN_NUM: '0x' + z7.ZEND_MM_SRUN_BIN_NUM_MASK.toString(16).padStart(8, '0'),
  ZEND_MM_SRUN_FREE_COUNTER: `>> ${z7.ZEND_MM_SRUN_FREE_COUNTER_OFFSET}`,
  ZEND_MM_NRUN_OFFSET: `>> ${z7.ZEND_MM_NRUN_OFFSET_OFFSET}`,
  ZEND_MM_PAGE_ADDR: `* ${z7.ZEND_MM_PAGE_SIZE}`,
  ZEND_MM_ALIGNED_BASE: '& ~((alignment) - 1)',
  ZEND_MM_ALIGNED_OFFSET: '& ((alignment) - 1)',
  ZEND_MM_SIZE_TO_NUM: '/ (alignment)',
  ZEND_MM_CHECK: 'zend_mm_panic(message)',
  ZEND_MM_STAT: '1',
  ZEND_MM_LIMIT: '1',
  ZEND_MM_CUSTOM: '1',
  ZEND_MM_STORAGE: '1',
  AG: 'ZEND_TSRMG_FAST(alloc_globals_offset',
  EXPECTED: '__builtin_expect(!!(condition), 1)',
  UNEXPECTED: '__builtin_expect(!!(condition), 0)',
  emalloc: '_emalloc((size))',
  pemalloc: '__zend_malloc(size) : emalloc(size)',
  efree: '_efree((ptr))',
  erealloc: '_erealloc((ptr), (size))',
  ecalloc: '_ecalloc((nmemb), (size))',
  estrdup: '_estrdup((s))',
  safe_emalloc: '_safe_emalloc((nmemb), (size), (offset))',
  _emalloc_N: BINS.map((b) => `_emalloc_${b.size}`).join(', '),
};
const EXPECTED_5: Readonly<Record<string, string>> = {
  ZEND_MM_MAX_SMALL_SIZE: String(z5.ZEND_MM_MAX_SMALL_SIZE),
  ZEND_MM_ALIGNED_SIZE: `+ ${z5.ZEND_MM_ALIGNMENT - 1}) & ~${z5.ZEND_MM_ALIGNMENT - 1}`,
  ZEND_MM_ALIGNMENT: String(z5.ZEND_MM_ALIGNMENT),
  AG: 'TSRMG(alloc_globals_id',
  EXPECTED: '__builtin_expect(condition, 1)',
  UNEXPECTED: '__builtin_expect(condition, 0)',
  emalloc: '_zend_mm_alloc_int(AG(mm_heap), size)',
  pemalloc: '__zend_malloc(size) : emalloc(size)',
  efree: '_efree((ptr))',
  erealloc: '_erealloc((ptr), (size), 0)',
  ecalloc: '_ecalloc((nmemb), (size))',
  estrdup: '_estrdup((s))',
  safe_emalloc: '_safe_emalloc((nmemb), (size), (offset))',
  ZEND_MM_BUCKET_INDEX: `(true_size >> ${z5.ZEND_MM_ALIGNMENT_LOG2}) - ${z5.ZEND_MM_ALIGNED_MIN_HEADER_SIZE / z5.ZEND_MM_ALIGNMENT}`,
  ZEND_MM_LARGE_BUCKET_INDEX: 'zend_mm_high_bit(S)',
  ZEND_MM_ALIGNED_HEADER_SIZE: String(z5.ZEND_MM_ALIGNED_HEADER_SIZE),
  ZEND_MM_ALIGNED_MIN_HEADER_SIZE: String(z5.ZEND_MM_ALIGNED_MIN_HEADER_SIZE),
  ZEND_MM_TRUE_SIZE: `size < ${z5.ZEND_MM_MIN_SIZE} ? ${z5.ZEND_MM_ALIGNED_MIN_HEADER_SIZE}`,
  ZEND_MM_SEG_SIZE: String(z5.ZEND_MM_SEG_SIZE),
  ZEND_MM_CACHE: `ZEND_MM_CACHE_SIZE = ${PHP53.cacheSize}`,
};

describe('language/macroHoverContent', () => {
  for (const version of VERSIONS) {
    it(`gives every catalogued name a value in PHP ${version} exactly when that version has it`, () => {
      const p = P(version);
      const expected = p.family === 'zend7' ? EXPECTED_7 : EXPECTED_5;
      for (const e of MACRO_CATALOG.values()) {
        const h = buildMacroHover(e.name, undefined, p)!;
        assert.ok(h !== undefined, e.name);
        if (!e.families.includes(p.family)) {
          assert.equal(h.value, undefined, `${e.name} is not in PHP ${version}`);
          assert.match(h.markdown, /not defined/);
          continue;
        }
        assert.ok(h.value !== undefined, `${e.name} has a value in PHP ${version}`);
        assert.ok(h.markdown.includes(`**PHP ${version}:**`));
        if (e.name.startsWith('ZEND_FILE_LINE_')) {
          assert.match(h.value, /expands to nothing in a release build/);
          continue;
        }
        const want = expected[e.name];
        assert.ok(want !== undefined, `an expectation for ${e.name} (${p.family})`);
        assert.ok(h.value.includes(want), `${e.name} in PHP ${version}: '${h.value}' should contain '${want}'`);
      }
    });
  }

  it('gives a value in every supported version for every name its family has', () => {
    for (const p of ALL_ACTIVE_PROFILES) {
      for (const e of MACRO_CATALOG.values()) {
        const value = buildMacroHover(e.name, undefined, p)!.value;
        assert.equal(value !== undefined, e.families.includes(p.family), `${e.name} in PHP ${p.version}`);
      }
    }
    assert.deepEqual(ALL_ACTIVE_PROFILES.map((p) => p.version), [...SUPPORTED_PHP_VERSIONS]);
  });

  it('shows, for ZEND_MM_SMALL_SIZE_TO_BIN, the bin of every small size under the active profile', () => {
    for (const v of ['7.4', '8.2', '8.4']) {
      const active = P(v);
      const min = active.family === 'zend7' ? active.profile.switches.minSmallSize : 0;
      const rows = [...buildMacroHover('ZEND_MM_SMALL_SIZE_TO_BIN', undefined, active)!.markdown.matchAll(/^\| (\d+)(?: – (\d+))? \| (\d+) \| (\d+) \|$/gm)];
      let next = 0;
      for (const [, fromText, toText, binText, slotText] of rows) {
        const from = Number(fromText);
        const to = Number(toText ?? fromText);
        assert.equal(from, next, `PHP ${v}: the row starting at ${from} leaves a gap`);
        assert.equal(Number(slotText), BINS[Number(binText)].size);
        for (let size = from; size <= to; size++) {
          // the allocator raises a size below the minimum slot before mapping it
          assert.equal(smallSizeToBin(Math.max(size, min)), Number(binText), `PHP ${v}: size ${size}`);
        }
        next = to + 1;
      }
      assert.equal(next, z7.ZEND_MM_MAX_SMALL_SIZE + 1, `PHP ${v}: the table stops at ${next - 1}`);
    }
  });

  it('computes emalloc(100) as bin 10, 112-byte slots, 36 per 1-page run on 7.4, 8.2 and 8.4', () => {
    for (const v of ['7.4', '8.2', '8.4']) {
      const bin = smallSizeToBin(100);
      assert.equal(bin, 10);
      assert.match(hoverOf('emalloc(100)', v)!.example!, new RegExp(`bin ${bin}, ${BINS[bin].size}-byte slots, ${BINS[bin].elements} per 1-page run`));
    }
  });

  it('computes emalloc(100) on 5.3 as a 120-byte block in bucket 11', () => {
    assert.equal(z5.ZEND_MM_TRUE_SIZE(100), 120);
    assert.match(hoverOf('emalloc(100)', '5.3')!.example!, /block of 120 bytes .*bucket 11/);
  });

  it('raises tiny requests to the 16-byte bin on 8.4 only', () => {
    assert.match(hoverOf('emalloc(5)', '8.4')!.example!, /raised to 16.*bin 1, 16-byte slots/);
    assert.match(hoverOf('emalloc(5)', '8.2')!.example!, /bin 0, 8-byte slots, 512 per 1-page run/);
  });

  it('sends large and huge literals to page runs and huge blocks', () => {
    assert.match(hoverOf('emalloc(5000)', '8.2')!.example!, /a run of 2 pages \(8192 bytes\)/);
    assert.match(hoverOf('emalloc(0x300000)', '8.2')!.example!, /huge .* mapping of 3145728 bytes/);
    assert.match(hoverOf('emalloc(300000)', '5.3')!.example!, /large, large_free_buckets\[18\]; too big for a default segment/);
  });

  it('computes the other allocating calls from their literal arguments', () => {
    assert.match(hoverOf('ecalloc(10, 8)', '8.2')!.example!, /80 bytes → small: bin 8, 80-byte slots/);
    assert.match(hoverOf('safe_emalloc(2, 100, 24)', '8.2')!.example!, /224 bytes → small: bin 14, 224-byte slots/);
    assert.match(hoverOf('estrdup("abc")', '8.2')!.example!, /4 bytes → small: bin 0/);
    assert.match(hoverOf('erealloc(p, 4000)', '8.2')!.example!, /4000 bytes → large.*1 page/);
    assert.match(hoverOf('pemalloc(100, 1)', '8.2')!.example!, /system malloc serves 100 bytes/);
    assert.match(hoverOf('pemalloc(100, 0)', '8.2')!.example!, /bin 10/);
    assert.equal(hoverOf('emalloc(len)', '8.2')!.example, undefined);
  });

  it('evaluates the page-map and size macros on literals', () => {
    assert.match(hoverOf('ZEND_MM_SMALL_SIZE_TO_BIN(100)', '8.2')!.example!, /= 10 \(112-byte slots/);
    assert.match(hoverOf('ZEND_MM_ALIGNED_SIZE(13)', '8.2')!.example!, /= 16$/);
    assert.match(hoverOf('ZEND_MM_LRUN_PAGES(0x40000003)', '8.2')!.example!, /= 3$/);
    assert.match(hoverOf('ZEND_MM_SRUN_BIN_NUM(0x8000000a)', '8.2')!.example!, /= 10$/);
    assert.match(hoverOf('ZEND_MM_SRUN_FREE_COUNTER(0x80050003)', '8.2')!.example!, /= 5$/);
    assert.match(hoverOf('ZEND_MM_NRUN_OFFSET(0xc0020010)', '8.2')!.example!, /= 2$/);
    assert.match(hoverOf('ZEND_MM_SIZE_TO_NUM(5000, ZEND_MM_PAGE_SIZE)', '8.2')!.example!, /= 2$/);
    assert.match(hoverOf('ZEND_MM_ALIGNED_OFFSET(0x7f0000201040, ZEND_MM_CHUNK_SIZE)', '8.2')!.example!, /= 4160$/);
    assert.match(hoverOf('ZEND_MM_ALIGNED_BASE(0x7f0000201040, ZEND_MM_CHUNK_SIZE)', '8.2')!.example!, new RegExp(`= ${0x7f0000200000}$`));
    assert.match(hoverOf('ZEND_MM_PAGE_ADDR(chunk, 3)', '8.2')!.example!, /base \+ 12288 bytes/);
    assert.match(hoverOf('_emalloc_112', '8.2')!.example!, /bin 10, 112-byte slots, 36 per 1-page run/);
  });

  it('evaluates the 5.x block macros on literals', () => {
    assert.match(hoverOf('ZEND_MM_TRUE_SIZE(100)', '5.3')!.example!, /= 120$/);
    assert.match(hoverOf('ZEND_MM_TRUE_SIZE(3)', '5.3')!.example!, /= 32$/);
    assert.match(hoverOf('ZEND_MM_BUCKET_INDEX(120)', '5.3')!.example!, /= 11$/);
    assert.match(hoverOf('ZEND_MM_LARGE_BUCKET_INDEX(1024)', '5.3')!.example!, /= 10$/);
  });

  it('says how other versions differ, computed per version', () => {
    const h = buildMacroHover('ZEND_MM_MAX_SMALL_SIZE', undefined, P('8.2'))!;
    assert.match(h.markdown, /5\.2–5\.6: 544/);
    const check = buildMacroHover('ZEND_MM_CHECK', undefined, P('8.2'))!;
    assert.match(check.markdown, /7\.0–8\.1: .*exit\(1\)/);
    assert.match(buildMacroHover('ZEND_MM_CHUNK_SIZE', undefined, P('5.3'))!.markdown, /7\.0–8\.4: 2097152 \(2 MiB\)/);
    assert.match(buildMacroHover('ZEND_MM_MIN_SMALL_SIZE', undefined, P('8.4'))!.value!, /no slot below 16 bytes/);
  });

  it('has no hover for words outside the catalog', () => {
    assert.equal(buildMacroHover('malloc', undefined, P('8.2')), undefined);
  });
});
