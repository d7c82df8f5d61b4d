import * as assert from 'node:assert/strict';
import { BINS, smallSizeToBin } from '../../../src/engine/zend7/bins';
import { activeProfileFor } from '../../../src/language/activeProfile';
import { buildZmmLineHover } from '../../../src/language/zmmLineHover';
import { zmmNamesBefore } from '../../../src/language/zmmNames';
import { simulateZmm } from '../../../src/language/zmmSimulation';
import { parseZmm } from '../../../src/trace/zmm';

const P82 = activeProfileFor('8.2')!;

describe('language/zmmLineHover', () => {
  const script = ['a = emalloc(100)', 'b = emalloc(100)', 'efree(a)', 'c = emalloc(100)', 'd = emalloc(5000)', 'e = emalloc(3M)', 'limit 128M   # room', 'gc()'].join('\n');
  const sim = simulateZmm(script, 't.zmm', P82, { detail: 'all' });
  const bin = smallSizeToBin(100);

  it('says which bin a small request takes and that the first one needs a new run', () => {
    const h = buildZmmLineHover(sim, 1)!;
    assert.match(h, /\*\*PHP 8\.2\*\* \(from the zendMm\.phpVersion setting\)/);
    assert.match(h, new RegExp(`bin ${bin}, ${BINS[bin].size}-byte slots, ${BINS[bin].elements} per 1-page run`));
    assert.match(h, /Needs a new run .*carved in a chunk that already has room/);
    assert.match(h, /Block: chunk 0, offset 0x1000, 112 bytes/);
  });

  it('says a request reuses a free slot, and which one', () => {
    assert.match(buildZmmLineHover(sim, 2)!, /Reuses a free slot.*Block: chunk 0, offset 0x1070/s);
    assert.match(buildZmmLineHover(sim, 3)!, /head of its bin's free list/);
    assert.match(buildZmmLineHover(sim, 4)!, /Reuses a free slot[\s\S]*offset 0x1000,/);
  });

  it('describes page runs and huge blocks', () => {
    assert.match(buildZmmLineHover(sim, 5)!, /a run of 2 pages[\s\S]*Takes a run of pages in a chunk that already has room/);
    assert.match(buildZmmLineHover(sim, 6)!, /Maps a huge block of its own[\s\S]*Block: huge block 0/);
    assert.match(buildZmmLineHover(sim, 8)!, /zend_mm_gc/);
    assert.equal(buildZmmLineHover(sim, 9), undefined);
  });

  it('follows the script\'s php line, and reports 5.x cache reuse', () => {
    const s5 = simulateZmm('php 5.3\na = emalloc(100)\nefree(a)\nb = emalloc(100)\n', 't.zmm', P82, { detail: 'all' });
    assert.equal(s5.profile.version, '5.3');
    assert.match(buildZmmLineHover(s5, 2)!, /\*\*PHP 5\.3\*\* \(from the script's `php` line\)[\s\S]*block of 120 bytes/);
    assert.match(buildZmmLineHover(s5, 3)!, /cache list/);
    assert.match(buildZmmLineHover(s5, 4)!, /Reuses a cached block/);
  });

  it('says when a chunk has to be mapped', () => {
    const lines = ['a = emalloc(2000000)', 'b = emalloc(200000)'];
    const s = simulateZmm(lines.join('\n'), 't.zmm', P82, { detail: new Set([2]) });
    assert.match(buildZmmLineHover(s, 2)!, /in a newly mapped 2 MiB chunk/);
  });

  it('records the steps of the requested lines only', () => {
    const s = simulateZmm('a = emalloc(8)\nb = emalloc(8)\n', 't.zmm', P82, { detail: new Set([2]) });
    assert.deepEqual(s.outcomes.get(1)!.steps, []);
    assert.match(buildZmmLineHover(s, 2)!, /Reuses a free slot/);
  });

  it('lists names bound before a line, latest first', () => {
    const { statements } = parseZmm('a = emalloc(1)\nb = estrdup("x")\na = emalloc(2)\nefree(b)\n', 't.zmm');
    assert.deepEqual(zmmNamesBefore(statements, 4).map((n) => [n.name, n.line, n.assignedBy]), [
      ['a', 3, 'emalloc(2)'],
      ['b', 2, 'estrdup("x")'],
    ]);
    assert.deepEqual(zmmNamesBefore(statements, 1), []);
  });
});
