// The "Zend MM" output channel: every command's result, one line each, tagged with the version.

import * as vscode from 'vscode';
import type { OpOutcome } from '../session/heapSession';

/** The output channel and how commands write to it. */
export class HeapLog implements vscode.Disposable {
  readonly channel = vscode.window.createOutputChannel('Zend MM');

  line(text: string): void {
    this.channel.appendLine(text);
  }

  /** Echoes an operation; a failure also shows as a warning. */
  outcome(version: string, o: OpOutcome): void {
    this.line(`[PHP ${version}] ${o.op} → ${o.ok ? '' : 'FAILED: '}${o.text}`);
    if (!o.ok) void vscode.window.showWarningMessage(`${o.op}: ${o.text}`);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
