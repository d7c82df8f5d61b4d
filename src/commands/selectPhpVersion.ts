// Zend MM: Select PHP Version… — picks one of the supported versions and writes the
// zendMm.phpVersion setting; the session follows the setting (see followVersionSetting).

import * as vscode from 'vscode';
import { SUPPORTED_PHP_VERSIONS } from '../engine/versions';
import { SETTINGS_SECTION, SETTING_PHP_VERSION } from '../ids';
import type { HeapLog } from './heapLog';
import type { WindowHeap } from './windowHeap';

/** The version the setting names, or undefined (with the reason logged) when it is not supported. */
export function configuredVersion(log: HeapLog): string | undefined {
  const v = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<string>(SETTING_PHP_VERSION, '8.2').trim();
  if (SUPPORTED_PHP_VERSIONS.includes(v)) return v;
  const message = `zendMm.phpVersion "${v}" is not a supported version (supported: ${SUPPORTED_PHP_VERSIONS.join(', ')})`;
  log.line(message);
  void vscode.window.showErrorMessage(message);
  return undefined;
}

/** Asks for a version and stores it in the setting (workspace when a folder is open, else user). */
export async function selectPhpVersion(session: WindowHeap, versionGiven?: unknown): Promise<void> {
  let version = typeof versionGiven === 'string' ? versionGiven : undefined;
  if (version === undefined) {
    const pick = await vscode.window.showQuickPick(
      [...SUPPORTED_PHP_VERSIONS].reverse().map((v) => ({
        label: v,
        description: v === session.version ? 'current' : v.startsWith('5.') ? 'segment allocator' : 'chunk allocator',
      })),
      { title: 'Zend MM: PHP version of the heap', placeHolder: `now ${session.version}` },
    );
    version = pick?.label;
  }
  if (version === undefined) return;
  if (!SUPPORTED_PHP_VERSIONS.includes(version)) {
    void vscode.window.showErrorMessage(`PHP ${version} is not supported (supported: ${SUPPORTED_PHP_VERSIONS.join(', ')})`);
    return;
  }
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration(SETTINGS_SECTION).update(SETTING_PHP_VERSION, version, target);
}

/** Resets the session to the setting's version whenever the setting changes. */
export function followVersionSetting(session: WindowHeap, log: HeapLog): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (!e.affectsConfiguration(`${SETTINGS_SECTION}.${SETTING_PHP_VERSION}`)) return;
    const v = configuredVersion(log);
    if (v === undefined || v === session.version) return;
    session.reset(v);
    log.line(`[PHP ${v}] a fresh heap of PHP ${v} (zendMm.phpVersion changed)`);
  });
}
