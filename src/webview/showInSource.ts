// Opens zend_alloc.c at a C function: the file comes from zendMm.phpSrc or the workspace; with
// none, says how to configure it.

import * as fs from 'fs';
import * as vscode from 'vscode';
import { SETTINGS_SECTION, SETTING_PHP_SRC } from '../ids';
import { functionDefinitionLine } from './functionDefinitionLine';
import { noZendAllocMessage, zendAllocCandidates } from './zendAllocLocation';

/** Opens the configured zend_alloc.c at `func`, or explains why it cannot. */
export async function showInZendAlloc(func: string, log: (text: string) => void): Promise<void> {
  const phpSrc = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<string>(SETTING_PHP_SRC, '');
  const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  const candidates = zendAllocCandidates(phpSrc, folders);
  const file = candidates.find((c) => fs.existsSync(c));
  if (file === undefined) {
    const message = noZendAllocMessage(phpSrc, candidates);
    log(message);
    const open = 'Open Settings';
    if ((await vscode.window.showWarningMessage(message, open)) === open) {
      await vscode.commands.executeCommand('workbench.action.openSettings', `${SETTINGS_SECTION}.${SETTING_PHP_SRC}`);
    }
    return;
  }
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const line = functionDefinitionLine(doc.getText(), func);
  if (line === undefined) {
    const message = `${file} has no definition of ${func}()`;
    log(message);
    void vscode.window.showWarningMessage(message);
    return;
  }
  const at = new vscode.Range(line, 0, line, 0);
  await vscode.window.showTextDocument(doc, { selection: at, viewColumn: vscode.ViewColumn.Beside, preserveFocus: false });
  log(`opened ${file}:${line + 1} (${func})`);
}
