// The stepper's debug session run inside the extension host (so debugging the extension debugs
// the adapter too), bundled apart as dist/inlineDebugAdapter.js and loaded when the first
// zend-mm session starts (see activateDebug.ts).

import type * as vscode from 'vscode';
import { openStepSource } from '../source/openStepSource';
import { AllocDebugSession } from './allocDebugSession';

/** A new debug session, shown zend_alloc.c through openStepSource. */
export function createInlineDebugAdapter(): vscode.DebugAdapter {
  return new AllocDebugSession(openStepSource) as unknown as vscode.DebugAdapter;
}
