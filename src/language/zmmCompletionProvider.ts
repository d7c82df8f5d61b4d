// Completion in .zmm files: variable names bound on earlier lines, and the callable
// functions where a statement's call can start (VS Code wiring).

import * as vscode from 'vscode';
import { ZMM_FUNCTIONS } from '../trace/zmm';
import { ZmmAnalyses } from './zmmAnalyses';
import { zmmCompletionContext } from './zmmCompletionContext';
import { zmmNamesBefore } from './zmmNames';

/** The .zmm completion provider. */
export class ZmmCompletionProvider implements vscode.CompletionItemProvider {
  constructor(private readonly analyses: ZmmAnalyses) {}

  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] {
    const before = document.lineAt(position.line).text.slice(0, position.character);
    const context = zmmCompletionContext(before);
    if (context.kind === 'name') {
      return zmmNamesBefore(this.analyses.statements(document), position.line + 1).map((n, i) => {
        const item = new vscode.CompletionItem(n.name, vscode.CompletionItemKind.Variable);
        item.detail = `line ${n.line}: ${n.name} = ${n.assignedBy}`;
        item.sortText = String(i).padStart(4, '0');
        return item;
      });
    }
    if (context.kind === 'function') {
      return [...ZMM_FUNCTIONS.values()].map((f) => {
        const item = new vscode.CompletionItem(f.name, vscode.CompletionItemKind.Function);
        item.detail = `${f.name}(${f.params.map((p) => p.name).join(', ')})`;
        return item;
      });
    }
    return [];
  }
}
