// The heap session of this window as activation sets it up: until a command first needs the
// session, only its version and the counters of a fresh heap; then the heap inspector bundle
// (dist/heapInspector.js) is loaded and starts the session, which this object stands for from
// then on. The status bar and the version setting follow it either way.

import * as vscode from 'vscode';
import { freshHeapCounters, HeapCounters } from '../engine/freshHeap';
import { lazyBundle } from '../lazyBundle';
import type { HeapStatus } from '../status/heapStatusBar';
import type * as HeapInspectorBundle from './heapInspectorBundle';
import type { HeapInspector } from './heapInspectorBundle';
import type { HeapLog } from './heapLog';

const loadHeapInspectorBundle = lazyBundle<typeof HeapInspectorBundle>('heapInspector');

/** The window's heap, loaded on first use. */
export class WindowHeap implements HeapStatus, vscode.Disposable {
  private started: HeapInspector | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];

  /** `version`: the heap's version until the session starts. */
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: HeapLog,
    private pendingVersion: string,
  ) {}

  get version(): string {
    return this.started?.session.version ?? this.pendingVersion;
  }

  get seq(): number {
    return this.started?.session.seq ?? 0;
  }

  get halted(): string | null {
    return this.started?.session.halted ?? null;
  }

  counters(): HeapCounters {
    return this.started?.session.counters() ?? freshHeapCounters(this.pendingVersion);
  }

  onDidChange(listener: () => void): vscode.Disposable {
    return this.changed.event(listener);
  }

  /** The heap inspector, its bundle loaded and the session started on the first call. */
  inspector(): HeapInspector {
    if (this.started === undefined) {
      const started = loadHeapInspectorBundle().startHeapInspector(this.context, this.log, this.pendingVersion);
      this.started = started;
      this.disposables.push(started.session.onDidChange(() => this.changed.fire()));
    }
    return this.started;
  }

  /** A fresh heap of `version`. */
  reset(version: string): void {
    if (this.started !== undefined) {
      this.started.session.reset(version);
      return;
    }
    this.pendingVersion = version;
    this.changed.fire();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
