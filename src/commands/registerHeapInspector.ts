// Wires the heap session of this window to VS Code: the palette commands, the output channel,
// the status-bar item, the heap inspector panel and the version setting.

import * as vscode from 'vscode';
import { COMMANDS } from '../ids';
import { HeapSession } from '../session/heapSession';
import { HeapStatusBar } from '../status/heapStatusBar';
import { HeapMapPanel } from '../webview/heapMapPanel';
import { registerHeapCommands } from './heapCommands';
import { HeapLog } from './heapLog';
import { replayTraceFile } from './replayTraceFile';
import { configuredVersion, followVersionSetting, selectPhpVersion } from './selectPhpVersion';
import { verifyTraceWithLocalPhp } from './verifyTraceWithLocalPhp';

/** Creates the window's heap session and registers everything that uses it; returns the session. */
export function registerHeapInspector(context: vscode.ExtensionContext): HeapSession {
  const log = new HeapLog();
  const session = new HeapSession(configuredVersion(log) ?? '8.2');
  log.line(`[PHP ${session.version}] heap session started`);
  const logLine = (text: string): void => log.line(text);
  context.subscriptions.push(
    log,
    new HeapStatusBar(session),
    followVersionSetting(session, log),
    ...registerHeapCommands(session, log),
    vscode.commands.registerCommand(COMMANDS.selectPhpVersion, (v?: unknown) => selectPhpVersion(session, v)),
    vscode.commands.registerCommand(COMMANDS.openHeapInspector, () => {
      HeapMapPanel.show(context.extensionUri, session, logLine);
    }),
    vscode.commands.registerCommand(COMMANDS.replayTraceFile, (uri?: unknown) => replayTraceFile(session, log, uri)),
    vscode.commands.registerCommand(COMMANDS.verifyTraceWithLocalPhp, (uri?: unknown) => verifyTraceWithLocalPhp(context, log, uri)),
    { dispose: () => HeapMapPanel.disposeCurrent() },
  );
  return session;
}
