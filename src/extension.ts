// The extension host entry: creates each feature's objects and registers them, nothing more.
import type * as vscode from 'vscode';
import { registerHeapInspector } from './commands/registerHeapInspector';

export function activate(context: vscode.ExtensionContext): void {
  registerHeapInspector(context);
}

export function deactivate(): void {
  // every registration is disposed through context.subscriptions
}
