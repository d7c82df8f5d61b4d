// A debug session of the stepper started through vscode.debug.startDebugging with the example
// workspace's "Zend MM: Small bins" launch configuration: Step Into goes from `a = emalloc(24)`
// into the real PHP 8.2.32 zend_alloc.c (found in the workspace's php-src/), VS Code's focus
// follows the stops, and Step Back returns. The stops are seen through a DebugAdapterTracker.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DEBUG_TYPE } from '../../src/ids';
import { extensionUnderTest } from './hostSupport';
import { definitionLine, useRealZendAllocInWorkspace } from './realZendAlloc';

const STOP_TIMEOUT_MS = 10_000;

/** Collects the adapter's `stopped` events of every zend-mm session. */
class StopRecorder implements vscode.DebugAdapterTrackerFactory {
  readonly stops: DebugProtocol.StoppedEvent[] = [];
  private waiters: (() => void)[] = [];

  createDebugAdapterTracker(): vscode.DebugAdapterTracker {
    return {
      onDidSendMessage: (m: DebugProtocol.ProtocolMessage) => {
        if (m.type === 'event' && (m as DebugProtocol.Event).event === 'stopped') {
          this.stops.push(m as DebugProtocol.StoppedEvent);
          for (const w of this.waiters.splice(0)) w();
        }
      },
    };
  }

  /** Resolves when the adapter has sent more than `count` stopped events. */
  async after(count: number): Promise<DebugProtocol.StoppedEvent> {
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    while (this.stops.length <= count) {
      if (Date.now() > deadline) throw new Error(`no stopped event after ${count} within ${STOP_TIMEOUT_MS} ms`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
    return this.stops[count];
  }
}

describe('stepper debug session (vscode.debug)', () => {
  const real = useRealZendAllocInWorkspace();
  const recorder = new StopRecorder();
  const disposables: vscode.Disposable[] = [];
  let session: vscode.DebugSession;

  async function frames(): Promise<DebugProtocol.StackFrame[]> {
    const body = (await session.customRequest('stackTrace', { threadId: 1 })) as DebugProtocol.StackTraceResponse['body'];
    return body.stackFrames;
  }

  /** Sends a stepping request and waits for the stop it causes; returns the new frames. */
  async function step(command: 'stepIn' | 'stepBack'): Promise<DebugProtocol.StackFrame[]> {
    const count = recorder.stops.length;
    await session.customRequest(command, { threadId: 1 });
    const stop = await recorder.after(count);
    assert.equal(stop.body.reason, 'step');
    return frames();
  }

  before(async () => {
    await extensionUnderTest().activate();
    disposables.push(vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, recorder));
  });

  after(async () => {
    if (session) {
      const ended = new Promise<void>((r) => disposables.push(vscode.debug.onDidTerminateDebugSession((s) => s.id === session.id && r())));
      await vscode.debug.stopDebugging(session);
      await ended;
    }
    for (const d of disposables.splice(0)) d.dispose();
  });

  it('starts the "Zend MM: Small bins" configuration and stops on entry at a = emalloc(24)', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const started = new Promise<vscode.DebugSession>((r) => disposables.push(vscode.debug.onDidStartDebugSession(r)));
    assert.equal(await vscode.debug.startDebugging(folder, 'Zend MM: Small bins'), true);
    session = await started;
    assert.equal(session.type, DEBUG_TYPE);
    const stop = await recorder.after(0);
    assert.equal(stop.body.reason, 'entry');
    const top = (await frames()).map((f) => [f.name, f.line, f.source?.name]);
    const script = (await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'small-bins.zmm'))).getText().split('\n');
    assert.deepEqual(top, [['a = emalloc(24)', script.findIndex((l) => l.startsWith('a = emalloc(24)')) + 1, 'small-bins.zmm']]);
  });

  it('steps into emalloc(24) down to a statement of zend_mm_alloc_small in the workspace copy of zend_alloc.c', async () => {
    const { file, lines } = real();
    const tops: string[] = [];
    let f: DebugProtocol.StackFrame[] = [];
    for (let i = 0; i < 4; i++) {
      f = await step('stepIn');
      tops.push(f[0].name);
    }
    assert.deepEqual(tops, ['zend_mm_alloc_heap', 'zend_mm_alloc_heap', 'zend_mm_alloc_small', 'zend_mm_alloc_small']);
    assert.deepEqual(f.map((x) => x.name), ['zend_mm_alloc_small', 'zend_mm_alloc_heap', 'a = emalloc(24)']);
    for (const c of f.slice(0, 2)) assert.equal(sourceFsPath(c.source), vscode.Uri.file(file).fsPath, `${c.name} is in the workspace's zend_alloc.c`);
    // the innermost frame stands on the statement that counts the slot into heap->size
    const start = definitionLine(lines, 'zend_mm_alloc_small');
    assert.ok(f[0].line > start, `line ${f[0].line} is after the definition (${start})`);
    assert.match(lines[f[0].line - 1], /heap->size \+ bin_data_size\[bin_num\]/);
    // the caller stands on its call of zend_mm_alloc_small
    assert.match(lines[f[1].line - 1], /zend_mm_alloc_small\(heap, ZEND_MM_SMALL_SIZE_TO_BIN\(size\)/);
    // VS Code focused that frame
    await waitUntil('VS Code focuses the top frame', () => {
      const item = vscode.debug.activeStackItem;
      return item instanceof vscode.DebugStackFrame && item.session.id === session.id && item.frameId === f[0].id;
    });
    // the scopes of a C frame: its locals and the heap's state
    const scopes = ((await session.customRequest('scopes', { frameId: f[0].id })) as DebugProtocol.ScopesResponse['body']).scopes.map((s) => s.name);
    assert.deepEqual(scopes, ['Locals (zend_mm_alloc_small)', 'Heap', 'Bins', 'Chunks', 'Huge blocks']);
  });

  it('steps back to zend_mm_alloc_small\'s definition line, where the call entered it', async () => {
    const { lines } = real();
    const f = await step('stepBack');
    assert.deepEqual(f.map((x) => x.name), ['zend_mm_alloc_small', 'zend_mm_alloc_heap', 'a = emalloc(24)']);
    assert.equal(f[0].line, definitionLine(lines, 'zend_mm_alloc_small'));
  });
});

/**
 * The file of a frame's source. Answers that pass through the workbench (customRequest) carry a
 * remote workbench's paths as URIs (vscode-remote://host/path); a local one's as plain paths.
 */
function sourceFsPath(source: DebugProtocol.Source | undefined): string | undefined {
  const p = source?.path;
  if (p === undefined) return undefined;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(p) ? vscode.Uri.parse(p).fsPath : vscode.Uri.file(p).fsPath;
}

async function waitUntil(what: string, ok: () => boolean): Promise<void> {
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${STOP_TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
