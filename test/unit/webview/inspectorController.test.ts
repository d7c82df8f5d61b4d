import * as assert from 'assert';
import { applyHeapUpdate } from '../../../src/protocol/applyHeapUpdate';
import type { HeapSnapshot } from '../../../src/protocol/heapSnapshot';
import type { ToWebview } from '../../../src/protocol/webviewMessages';
import { HeapSession } from '../../../src/session/heapSession';
import { InspectorController } from '../../../src/webview/inspectorController';

function setUp(version = '8.2'): { session: HeapSession; sent: ToWebview[]; shown: string[]; logged: string[]; exported: string[]; controller: InspectorController } {
  const session = new HeapSession(version);
  const sent: ToWebview[] = [];
  const shown: string[] = [];
  const logged: string[] = [];
  const exported: string[] = [];
  const controller = new InspectorController(session, {
    post: (m) => sent.push(JSON.parse(JSON.stringify(m)) as ToWebview),
    showInSource: (f) => shown.push(f),
    exportMap: (format) => exported.push(format),
    log: (t) => logged.push(t),
  });
  return { session, sent, shown, logged, exported, controller };
}

describe('InspectorController', () => {
  it('sends nothing before ready, a snapshot on ready, then updates that rebuild each state', () => {
    const { session, sent, controller } = setUp();
    session.allocate(100);
    assert.strictEqual(sent.length, 0);
    controller.receive({ type: 'ready' });
    assert.strictEqual(sent.length, 1);
    let model = (sent[0] as Extract<ToWebview, { type: 'snapshot' }>).heap;
    assert.strictEqual(model.seq, 1);
    for (const size of [5000, 24, 3 * 1024 * 1024]) {
      session.allocate(size);
      const last: ToWebview = sent[sent.length - 1];
      if (last.type !== 'update') throw new Error(`expected an update, got ${last.type}`);
      model = applyHeapUpdate(model, last.update).heap;
      assert.deepStrictEqual(model, JSON.parse(JSON.stringify(session.snapshot())) as HeapSnapshot);
    }
  });

  it('sends a snapshot after a reset and on resync', () => {
    const { session, sent, controller } = setUp();
    controller.receive({ type: 'ready' });
    session.reset('7.4');
    assert.strictEqual(sent[sent.length - 1].type, 'snapshot');
    assert.strictEqual((sent[sent.length - 1] as Extract<ToWebview, { type: 'snapshot' }>).heap.version, '7.4');
    controller.receive({ type: 'resync', seq: 99 });
    assert.strictEqual(sent[sent.length - 1].type, 'snapshot');
  });

  it('answers inspectPage, and says when the chunk is gone', () => {
    const { session, sent, controller } = setUp();
    session.allocate(100, 'x');
    controller.receive({ type: 'ready' });
    controller.receive({ type: 'inspectPage', chunk: 0, page: 1 });
    const d = sent[sent.length - 1] as Extract<ToWebview, { type: 'pageDetails' }>;
    assert.strictEqual(d.type, 'pageDetails');
    assert.deepStrictEqual(d.details.owners, ['x']);
    controller.receive({ type: 'inspectPage', chunk: 5, page: 1 });
    assert.deepStrictEqual(sent[sent.length - 1], { type: 'notice', level: 'error', text: 'chunk 5 is not in the heap any more' });
  });

  it('asks the host to show the allocator path of a run, and only of a run', () => {
    const { session, sent, shown, controller } = setUp();
    session.allocate(5000);
    controller.receive({ type: 'ready' });
    controller.receive({ type: 'showInSource', chunk: 0, page: 2 });
    controller.receive({ type: 'showHugeInSource' });
    controller.receive({ type: 'showInSource', chunk: 0, page: 100 });
    assert.deepStrictEqual(shown, ['zend_mm_alloc_large', 'zend_mm_alloc_huge']);
    assert.deepStrictEqual(sent[sent.length - 1], { type: 'notice', level: 'info', text: 'page 100 of chunk 0 is not part of an allocated run' });
  });

  it('logs and ignores a malformed message, and hands exports to the host', () => {
    const { sent, logged, exported, controller } = setUp();
    controller.receive({ type: 'inspectPage', chunk: 0, page: 9999 });
    controller.receive('ready');
    controller.receive({ type: 'exportMap', format: 'svg', data: '<svg/>' });
    assert.deepStrictEqual(sent, []);
    assert.strictEqual(logged.length, 2);
    assert.match(logged[0], /ignored a message from the webview: 'page' must be an integer from 0 to 511/);
    assert.deepStrictEqual(exported, ['svg']);
  });

  it('stops following the session once disposed', () => {
    const { session, sent, controller } = setUp();
    controller.receive({ type: 'ready' });
    controller.dispose();
    session.allocate(8);
    assert.strictEqual(sent.length, 1);
  });
});
