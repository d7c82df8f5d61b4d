// The heavy half of the heap inspector, bundled apart as dist/heapInspector.js and loaded by
// WindowHeap on the first command that needs it: the window's heap session (the allocator
// engine behind it) and what acts on it, the heap commands, the inspector panel, trace replay
// and the check against a local PHP.

import type * as vscode from 'vscode';
import { COMMANDS, HeapInspectorCommand } from '../ids';
import { HeapSession } from '../session/heapSession';
import { HeapMapPanel } from '../webview/heapMapPanel';
import { heapCommandHandlers } from './heapCommands';
import type { HeapLog } from './heapLog';
import { replayTraceFile } from './replayTraceFile';
import { verifyTraceWithLocalPhp } from './verifyTraceWithLocalPhp';

/** The started heap inspector: the session and what each of its commands does. */
export interface HeapInspector {
  readonly session: HeapSession;
  readonly commands: Record<HeapInspectorCommand, (...args: unknown[]) => unknown>;
}

/** Starts the window's heap session of `version`; the panel closes with the extension. */
export function startHeapInspector(context: vscode.ExtensionContext, log: HeapLog, version: string): HeapInspector {
  const session = new HeapSession(version);
  context.subscriptions.push({ dispose: () => HeapMapPanel.disposeCurrent() });
  return {
    session,
    commands: {
      ...heapCommandHandlers(session, log),
      [COMMANDS.openHeapInspector]: () => {
        HeapMapPanel.show(context.extensionUri, session, (text) => log.line(text));
      },
      [COMMANDS.replayTraceFile]: (uri?: unknown) => replayTraceFile(session, log, uri),
      [COMMANDS.verifyTraceWithLocalPhp]: (uri?: unknown) => verifyTraceWithLocalPhp(context, log, uri),
    },
  };
}
