// The command behind the .zmm CodeLens: a zend-mm launch that stops before the given line.

import * as vscode from 'vscode';
import { DEBUG_TYPE } from '../ids';

/**
 * Starts debugging `uri` (a .zmm script), stopping before `line` (1-based). Without
 * arguments (from the palette), uses the active editor's document and cursor line.
 */
export async function stepFromHere(uri?: vscode.Uri, line?: number): Promise<boolean> {
  const editor = vscode.window.activeTextEditor;
  const target = uri ?? editor?.document.uri;
  const stopAtLine = line ?? (editor !== undefined ? editor.selection.active.line + 1 : undefined);
  if (target === undefined || stopAtLine === undefined) {
    void vscode.window.showErrorMessage('Step from here: open a .zmm script first.');
    return false;
  }
  const folder = vscode.workspace.getWorkspaceFolder(target);
  const name = `Step ${target.path.split('/').pop() ?? 'script'} from line ${stopAtLine}`;
  return vscode.debug.startDebugging(folder, { type: DEBUG_TYPE, request: 'launch', name, program: target.fsPath, stopAtLine });
}
