// Wires the heap session of this window to VS Code: the palette commands, the output channel,
// the status-bar item and the version setting. The session itself and what the commands do
// load with the first command that needs them (see WindowHeap).

import * as vscode from 'vscode';
import { COMMANDS, HEAP_INSPECTOR_COMMANDS } from '../ids';
import { HeapStatusBar } from '../status/heapStatusBar';
import { HeapLog } from './heapLog';
import { configuredVersion, followVersionSetting, selectPhpVersion } from './selectPhpVersion';
import { WindowHeap } from './windowHeap';

/** Sets up the window's heap and registers everything that uses it. */
export function registerHeapInspector(context: vscode.ExtensionContext): void {
  const log = new HeapLog();
  const heap = new WindowHeap(context, log, configuredVersion(log) ?? '8.2');
  log.line(`[PHP ${heap.version}] heap session started`);
  context.subscriptions.push(
    log,
    heap,
    new HeapStatusBar(heap),
    followVersionSetting(heap, log),
    vscode.commands.registerCommand(COMMANDS.selectPhpVersion, (v?: unknown) => selectPhpVersion(heap, v)),
    ...HEAP_INSPECTOR_COMMANDS.map((id) => vscode.commands.registerCommand(id, (...args: unknown[]) => heap.inspector().commands[id](...args))),
  );
}
