// The extension host entry: creates each feature's objects and registers them, nothing more.
import type * as vscode from 'vscode';
import { registerHeapInspector } from './commands/registerHeapInspector';
import { registerDebugger } from './debug/activateDebug';
import { registerLanguageFeatures } from './language/activateLanguage';

export function activate(context: vscode.ExtensionContext): void {
  registerHeapInspector(context);
  registerLanguageFeatures(context);
  registerDebugger(context);
}

export function deactivate(): void {
  // every registration is disposed through context.subscriptions
}
