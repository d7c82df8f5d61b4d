// Hovers on allocator macros and functions in C and C++ files (VS Code wiring). Words the
// catalog does not know get no hover, so a debug session's own evaluate hover is untouched.

import * as vscode from 'vscode';
import { callArgsAt } from './cMacroArgs';
import { buildMacroHover } from './macroHoverContent';
import { profileFromSettings } from './activeSetting';

/** The C/C++ hover provider. */
export class MacroHoverProvider implements vscode.HoverProvider {
  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const range = document.getWordRangeAtPosition(position, /[A-Za-z_][A-Za-z0-9_]*/);
    if (range === undefined) return undefined;
    const word = document.getText(range);
    const line = document.lineAt(position.line).text;
    const args = callArgsAt(line, range.end.character);
    const hover = buildMacroHover(word, args, profileFromSettings(document.uri));
    if (hover === undefined) return undefined;
    const md = new vscode.MarkdownString(hover.markdown);
    md.isTrusted = false;
    return new vscode.Hover(md, range);
  }
}
