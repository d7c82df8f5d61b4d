// CFrameTracker: the C stack from step events, including calls that throw (no leave events)
// and statements of functions the engine reports without an enter event.

import * as assert from 'assert';
import { StepEvent } from '../../../src/engine/step';
import { CFrameTracker } from '../../../src/debug/cFrames';

const enter = (func: string, locals = {}): StepEvent => ({ kind: 'enter', func, locals });
const stmt = (anchor: string, locals?: Record<string, number>): StepEvent => ({ kind: 'stmt', anchor, note: anchor, ...(locals ? { locals } : {}) });
const leave = (func: string): StepEvent => ({ kind: 'leave', func });

describe('CFrameTracker', () => {
  it('pushes on enter, pops on leave, and merges statement locals into the frame', () => {
    const events = [enter('f', { size: 1 }), stmt('f:a', { bin_num: 2 }), enter('g'), stmt('g:b'), leave('g'), stmt('f:c')];
    assert.deepStrictEqual(CFrameTracker.after(events, 4).map((f) => [f.func, f.anchor]), [['f', 'f:a'], ['g', 'g:b']]);
    const end = CFrameTracker.after(events, 6);
    assert.deepStrictEqual(end.map((f) => [f.func, f.anchor, f.locals]), [['f', 'f:c', { size: 1, bin_num: 2 }]]);
  });

  it('pops frames a throw left behind when an outer function leaves', () => {
    const events = [enter('f'), enter('g'), enter('h'), stmt('h:fail'), leave('f')];
    assert.deepStrictEqual(CFrameTracker.after(events, 5), []);
  });

  it('shows a statement of a function without enter as a frame of its own until another function steps', () => {
    const events = [enter('pages'), stmt('chunk_init:link'), stmt('pages:mark')];
    assert.deepStrictEqual(CFrameTracker.after(events, 2).map((f) => [f.func, f.implicit]), [['pages', false], ['chunk_init', true]]);
    assert.deepStrictEqual(CFrameTracker.after(events, 3).map((f) => [f.func, f.anchor]), [['pages', 'pages:mark']]);
  });
});
