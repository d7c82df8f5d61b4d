// The status-bar item of the heap session: "size / real_size" and the PHP version; a click
// opens the heap inspector.

import * as vscode from 'vscode';
import type { HeapCounters } from '../engine/freshHeap';
import { COMMANDS } from '../ids';
import { formatBytes } from '../session/formatBytes';

/** What the item shows: the window's heap, loaded or not yet (see WindowHeap). */
export interface HeapStatus {
  readonly version: string;
  readonly seq: number;
  readonly halted: string | null;
  counters(): HeapCounters;
  onDidChange(listener: () => void): { dispose(): void };
}

/** Shows the session's counters in the status bar. */
export class HeapStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscription: { dispose(): void };

  constructor(private readonly session: HeapStatus) {
    this.item = vscode.window.createStatusBarItem('zendMm.heap', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Zend MM heap';
    this.item.command = COMMANDS.openHeapInspector;
    this.subscription = session.onDidChange(() => this.refresh());
    this.refresh();
    this.item.show();
  }

  private refresh(): void {
    const c = this.session.counters();
    this.item.text = `$(server) ${formatBytes(c.size)} / ${formatBytes(c.realSize)} · PHP ${this.session.version}`;
    this.item.tooltip = `Zend MM heap (PHP ${this.session.version}): size ${c.size} bytes (peak ${c.peak}), real_size ${c.realSize} bytes (peak ${c.realPeak}), ${this.session.seq} operations${this.session.halted ? ` — ended: ${this.session.halted}` : ''}. Click to open the heap inspector.`;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
