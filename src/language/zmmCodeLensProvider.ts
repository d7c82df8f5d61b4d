// "Step from here" above each call of a .zmm script: starts a zend-mm debug session that
// runs the script up to that line and stops before it (VS Code wiring).

import * as vscode from 'vscode';
import { COMMANDS } from '../ids';
import { ZmmAnalyses } from './zmmAnalyses';

/** The .zmm CodeLens provider. */
export class ZmmCodeLensProvider implements vscode.CodeLensProvider {
  constructor(private readonly analyses: ZmmAnalyses) {}

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    return this.analyses
      .statements(document)
      .filter((s) => s.kind === 'call')
      .map((s) => {
        const range = new vscode.Range(s.span.line - 1, 0, s.span.line - 1, 0);
        return new vscode.CodeLens(range, {
          title: 'Step from here',
          tooltip: `Run the script up to line ${s.span.line} in the Zend MM debugger and stop before it`,
          command: COMMANDS.stepFromHere,
          arguments: [document.uri, s.span.line],
        });
      });
  }
}
