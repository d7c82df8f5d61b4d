// Reads the zendMm.phpVersion setting as an allocator profile (VS Code wiring).

import * as vscode from 'vscode';
import { SETTING_PHP_VERSION, SETTINGS_SECTION } from '../ids';
import { ActiveProfile, activeProfileFor, DEFAULT_ACTIVE_PROFILE } from './activeProfile';

/** The profile the setting names, or the default (8.2) when it names no supported version. */
export function profileFromSettings(scope?: vscode.ConfigurationScope): ActiveProfile {
  const version = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope).get<string>(SETTING_PHP_VERSION) ?? '';
  return activeProfileFor(version) ?? DEFAULT_ACTIVE_PROFILE;
}

/** True when a configuration change affects the version setting. */
export function affectsPhpVersion(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(`${SETTINGS_SECTION}.${SETTING_PHP_VERSION}`);
}
