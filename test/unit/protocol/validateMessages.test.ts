import * as assert from 'assert';
import { validateFromWebview } from '../../../src/protocol/validateFromWebview';
import { validateToWebview } from '../../../src/protocol/validateToWebview';
import { diffHeapSnapshots } from '../../../src/protocol/diffHeapSnapshots';
import { HeapSession } from '../../../src/session/heapSession';

describe('validateFromWebview', () => {
  it('accepts each message shape', () => {
    for (const m of [
      { type: 'ready' },
      { type: 'resync', seq: 3 },
      { type: 'inspectPage', chunk: 0, page: 511 },
      { type: 'showInSource', chunk: 2, page: 1 },
      { type: 'showHugeInSource' },
      { type: 'exportMap', format: 'svg', data: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' },
      { type: 'exportMap', format: 'png', data: 'data:image/png;base64,AAAA' },
    ]) {
      assert.deepStrictEqual(validateFromWebview(m), { ok: true, msg: m });
    }
  });

  it('refuses anything else with the reason', () => {
    const cases: [unknown, RegExp][] = [
      [null, /not an object/],
      [[1], /not an object/],
      [{ type: 'rm -rf' }, /unknown message type "rm -rf"/],
      [{ type: 'inspectPage', chunk: 0, page: 512 }, /'page' must be an integer from 0 to 511/],
      [{ type: 'inspectPage', chunk: -1, page: 0 }, /'chunk'/],
      [{ type: 'inspectPage', chunk: '0', page: 0 }, /'chunk'/],
      [{ type: 'inspectPage', chunk: 0, page: 0, extra: 1 }, /unexpected field 'extra'/],
      [{ type: 'ready', x: 1 }, /unexpected field 'x'/],
      [{ type: 'exportMap', format: 'gif', data: '' }, /'format'/],
      [{ type: 'exportMap', format: 'png', data: 'file:///etc/passwd' }, /data:image\/png/],
      [{ type: 'resync', seq: 1.5 }, /'seq'/],
    ];
    for (const [m, re] of cases) {
      const r = validateFromWebview(m);
      assert.strictEqual(r.ok, false, JSON.stringify(m));
      assert.match((r as { error: string }).error, re);
    }
  });
});

describe('validateToWebview', () => {
  it('accepts what the host builds', () => {
    const s = new HeapSession('8.2');
    const a = s.snapshot();
    s.allocate(100);
    const b = s.snapshot();
    assert.ok(validateToWebview({ type: 'snapshot', heap: a }).ok);
    assert.ok(validateToWebview({ type: 'update', update: diffHeapSnapshots(a, b) }).ok);
    assert.ok(validateToWebview({ type: 'pageDetails', details: s.pageDetails(0, 1) }).ok);
    assert.ok(validateToWebview({ type: 'notice', level: 'info', text: 'x' }).ok);
  });

  it('refuses a snapshot with a malformed chunk', () => {
    const s = new HeapSession('8.2');
    const snap = s.snapshot();
    const bad = { ...snap, chunks: [{ num: 0, freePages: 511, pages: snap.chunks[0].pages.slice(1) }] };
    assert.match((validateToWebview({ type: 'snapshot', heap: bad }) as { error: string }).error, /512 pages/);
    const worse = { ...snap, chunks: [{ ...snap.chunks[0], pages: [{ kind: 'evil' }, ...snap.chunks[0].pages.slice(1)] }] };
    assert.match((validateToWebview({ type: 'snapshot', heap: worse }) as { error: string }).error, /unknown page kind "evil"/);
  });
});
