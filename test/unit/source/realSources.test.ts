// Every anchor the PHP 7/8 engine emits under the 7.4, 8.2 and 8.4 profiles resolves in that
// release's real zend_alloc.c (read from .cache/php-src at test time, never committed) to the
// right statement. The check is independent of the catalog: the line must lie inside the named
// function's body (found here by a plain line search) and contain the fragment stated below.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { PHP_7_4, PHP_8_2, PHP_8_4, Zend7Profile } from '../../../src/engine/profiles';
import { StepRecorder } from '../../../src/engine/step';
import { TraceReplayer } from '../../../src/replay/replayer';
import { CATALOGS } from '../../../src/source/anchorCatalog';
import { openStepSource } from '../../../src/source/openStepSource';
import { parseRawTrace } from '../../../src/trace/rawTrace';
import { WORKLOADS, randomTrace } from '../../support/randomTrace';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const TRACES = path.join(ROOT, 'test', 'oracle', 'traces');

/** Per anchor: text its line must contain, and the function holding it when not the anchor's own. */
const EXPECTED: Record<string, { fragment: string; inFunction?: string }> = {
  'zend_mm_chunk_init:link': { fragment: 'chunk->prev->next = chunk' },
  'zend_mm_alloc_pages:not_enough_free_pages': { fragment: 'chunk->free_pages < pages_count' },
  'zend_mm_alloc_pages:exact_fit': { fragment: 'len == pages_count' },
  'zend_mm_alloc_pages:tail_fit': { fragment: 'chunk->free_tail = page_num + pages_count' },
  'zend_mm_alloc_pages:best_fit_end': { fragment: 'page_num = best' },
  'zend_mm_alloc_pages:best_fit_tail': { fragment: 'page_num = best' },
  'zend_mm_alloc_pages:not_found_end': { fragment: 'goto not_found' },
  'zend_mm_alloc_pages:not_found_tail': { fragment: 'goto not_found' },
  'zend_mm_alloc_pages:reuse_cached_chunk': { fragment: 'chunk = heap->cached_chunks' },
  'zend_mm_alloc_pages:limit_reached': { fragment: 'heap->limit' },
  'zend_mm_alloc_pages:map_new_chunk': { fragment: 'zend_mm_chunk_alloc(heap, ZEND_MM_CHUNK_SIZE' },
  'zend_mm_alloc_pages:move_to_head': { fragment: 'steps > 2' },
  'zend_mm_alloc_pages:mark_run': { fragment: 'free_pages -= pages_count' },
  'zend_mm_alloc_large:stat': { fragment: 'heap->size + pages_count', inFunction: 'zend_mm_alloc_large_ex' },
  'zend_mm_delete_chunk:cache': { fragment: 'cached_chunks_count++' },
  'zend_mm_delete_chunk:free': { fragment: 'zend_mm_chunk_free(heap, chunk,' },
  'zend_mm_delete_chunk:replace_cached': { fragment: 'zend_mm_chunk_free(heap, heap->cached_chunks' },
  'zend_mm_free_pages_ex:release_run': { fragment: 'free_pages += pages_count' },
  'zend_mm_alloc_small_slow:mark_srun': { fragment: 'ZEND_MM_SRUN(bin_num)' },
  'zend_mm_alloc_small_slow:thread_free_list': { fragment: 'heap->free_slot[bin_num] = p' },
  'zend_mm_alloc_small:stat': { fragment: 'heap->size + bin_data_size[bin_num]' },
  'zend_mm_alloc_small:free_list_hit': { fragment: '*p = heap->free_slot[bin_num]' },
  'zend_mm_alloc_small:free_list_empty': { fragment: 'return zend_mm_alloc_small_slow(' },
  'zend_mm_free_small:push': { fragment: 'heap->free_slot[bin_num] = p;' },
  'zend_mm_alloc_heap:small': { fragment: 'zend_mm_alloc_small(heap, ZEND_MM_SMALL_SIZE_TO_BIN(size)' },
  'zend_mm_realloc_slow:copy': { fragment: 'memcpy(ret, ptr' },
  'zend_mm_realloc_huge:same_size': { fragment: 'new_size == old_size' },
  'zend_mm_realloc_huge:truncate': { fragment: 'zend_mm_chunk_truncate(' },
  'zend_mm_realloc_huge:extend': { fragment: 'zend_mm_chunk_extend(' },
  'zend_mm_realloc_heap:null': { fragment: 'return _zend_mm_alloc(' },
  'zend_mm_realloc_heap:small_truncate': { fragment: 'size < bin_data_size[old_bin_num - 1]' },
  'zend_mm_realloc_heap:small_in_place': { fragment: 'ret = ptr;' },
  'zend_mm_realloc_heap:small_extension': { fragment: 'size <= ZEND_MM_MAX_SMALL_SIZE' },
  'zend_mm_realloc_heap:large_same_size': { fragment: 'new_size == old_size' },
  'zend_mm_realloc_heap:large_shrink': { fragment: 'new_size < old_size' },
  'zend_mm_realloc_heap:large_grow': { fragment: 'new_pages_count <= ZEND_MM_PAGES' },
  'zend_mm_add_huge_block:push': { fragment: 'heap->huge_list = list' },
  'zend_mm_del_huge_block:unlink': { fragment: 'list->ptr == ptr' },
  'zend_mm_alloc_huge:round': { fragment: 'new_size = ZEND_MM_ALIGNED_SIZE_EX(size' },
  'zend_mm_alloc_huge:overflow': { fragment: 'new_size < size' },
  'zend_mm_alloc_huge:map': { fragment: 'ptr = zend_mm_chunk_alloc(heap, new_size' },
  'zend_mm_alloc_huge:map_failed': { fragment: 'ptr == NULL' },
  'zend_mm_alloc_huge:stat': { fragment: 'heap->real_size + new_size' },
  'zend_mm_free_huge:unmap': { fragment: 'zend_mm_chunk_free(heap, ptr, size)' },
  'zend_mm_gc:unlink_free_runs': { fragment: '&heap->free_slot[i]' },
  'zend_mm_gc:return': { fragment: 'return collected' },
  'zend_set_memory_limit:free_cached': { fragment: 'zend_mm_chunk_free(heap, p,' },
  'zend_set_memory_limit:failure': { fragment: 'return FAILURE' },
  'zend_set_memory_limit:store': { fragment: 'limit = memory_limit' },
};

/** Line ranges (1-based, inclusive) of every definition of `name`: signature line to the first "}" line. */
function bodyRanges(lines: readonly string[], name: string): Array<[number, number]> {
  const signature = new RegExp(`^(?:static|ZEND_API)\\b[^;]*\\b${name}\\s*\\(`);
  const ranges: Array<[number, number]> = [];
  for (let i = 0; i < lines.length; i++) {
    if (!signature.test(lines[i]) || lines[i].trimEnd().endsWith(';')) continue;
    let end = i + 1;
    while (end < lines.length && lines[end] !== '}') end++;
    ranges.push([i + 1, end + 1]);
  }
  return ranges;
}

/** Anchors (and entered functions) a profile's engine emits over the oracle traces and random traces of every workload. */
function emittedAnchors(profile: Zend7Profile, entered: Set<string> = new Set()): Set<string> {
  const texts: Array<[string, string]> = fs.readdirSync(TRACES).map((n) => [n, fs.readFileSync(path.join(TRACES, n), 'utf8')]);
  for (const workload of WORKLOADS) {
    for (const seed of [1, 2, 3]) {
      texts.push([`${workload}-${seed}`, randomTrace({ seed, ops: 1500, workload })]);
    }
  }
  const anchors = new Set<string>();
  for (const [name, text] of texts) {
    const rec = new StepRecorder();
    const r = new TraceReplayer({ sink: rec, profile });
    for (const op of parseRawTrace(text, name).ops) {
      if (r.halted !== null) break;
      if (op.op !== 'd') r.apply(op);
    }
    for (const a of rec.anchors()) anchors.add(a);
    for (const e of rec.events) if (e.kind === 'enter') entered.add(e.func);
  }
  return anchors;
}

describe('source linking against the real zend_alloc.c', () => {
  for (const profile of [PHP_7_4, PHP_8_2, PHP_8_4]) {
    describe(`PHP ${profile.release}`, () => {
      const dir = path.join(ROOT, '.cache', 'php-src', profile.version);
      const file = path.join(dir, 'Zend', 'zend_alloc.c');
      let lines: string[] = [];
      let emitted = new Set<string>();
      const entered = new Set<string>();

      before(function () {
        this.timeout(120_000);
        assert.ok(fs.existsSync(file), `${file} is missing: run scripts/setup-php.sh (npm run setup:test) to fetch the real sources`);
        lines = fs.readFileSync(file, 'utf8').split('\n');
        emitted = emittedAnchors(profile, entered);
      });

      it('the traces reach most of the engine\'s anchors', () => {
        assert.ok(emitted.size >= 35, `only ${emitted.size} anchors emitted: ${[...emitted].join(', ')}`);
      });

      it('resolves every emitted anchor (and every other one the release has) to its statement, inside the named function', () => {
        const source = openStepSource({ phpVersion: profile.version, phpRelease: profile.release, phpSrc: dir });
        assert.deepStrictEqual(source.document, { kind: 'file', path: file });
        const problems: string[] = [];
        const inRelease = CATALOGS.zend7.anchors.filter((a) => !(a.missingIn ?? []).includes(profile.version)).map((a) => a.anchor);
        for (const anchor of [...new Set([...emitted, ...inRelease])].sort()) {
          const expected = EXPECTED[anchor];
          if (expected === undefined) {
            problems.push(`${anchor}: no expected fragment stated in this test`);
            continue;
          }
          const line = source.lineOfAnchor(anchor);
          if (line === undefined) {
            problems.push(`${anchor}: not resolved`);
            continue;
          }
          const func = expected.inFunction ?? anchor.split(':')[0];
          const ranges = bodyRanges(lines, func);
          if (!ranges.some(([from, to]) => line > from && line < to)) {
            problems.push(`${anchor}: line ${line} is outside ${func} (${ranges.map((r) => r.join('-')).join(', ') || 'not defined'})`);
          }
          if (!lines[line - 1].includes(expected.fragment)) {
            problems.push(`${anchor}: line ${line} "${lines[line - 1].trim()}" lacks "${expected.fragment}"`);
          }
        }
        assert.deepStrictEqual(problems, []);
      });

      it('places every function the engine enters or anchors at its definition', () => {
        const source = openStepSource({ phpVersion: profile.version, phpRelease: profile.release, phpSrc: dir });
        assert.ok(entered.size >= 15, `only ${entered.size} functions entered`);
        for (const func of new Set([...entered, ...[...emitted].map((a) => a.split(':')[0])])) {
          const line = source.lineOfFunction(func);
          assert.ok(line !== undefined, `${func} not found`);
          assert.ok(new RegExp(`\\b${func}\\s*\\(`).test(lines[line - 1]), `${func}: line ${line} is "${lines[line - 1]}"`);
        }
      });

      it('reports no version mismatch and no unplaced step for its own release', () => {
        const source = openStepSource({ phpVersion: profile.version, phpRelease: profile.release, phpSrc: dir });
        assert.deepStrictEqual(source.messages, []);
      });

      it('maps every resolved anchor line back to the anchor', () => {
        const source = openStepSource({ phpVersion: profile.version, phpRelease: profile.release, phpSrc: dir });
        for (const anchor of emitted) {
          const line = source.lineOfAnchor(anchor);
          assert.ok(line !== undefined && source.anchorsAtLine(line).includes(anchor), anchor);
        }
        assert.deepStrictEqual(source.anchorsAtLine(1), []);
      });
    });
  }
});
