// Hovers on .zmm lines: what the line's call does on the heap the script built so far
// (VS Code wiring around buildZmmLineHover).

import * as vscode from 'vscode';
import { ZmmAnalyses } from './zmmAnalyses';
import { buildZmmLineHover } from './zmmLineHover';

/** The .zmm hover provider. */
export class TraceHoverProvider implements vscode.HoverProvider {
  constructor(private readonly analyses: ZmmAnalyses) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const line = document.lineAt(position.line);
    if (line.isEmptyOrWhitespace) return undefined;
    const text = buildZmmLineHover(this.analyses.detailed(document, position.line + 1), position.line + 1);
    if (text === undefined) return undefined;
    return new vscode.Hover(new vscode.MarkdownString(text), line.range);
  }
}
