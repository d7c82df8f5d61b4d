// The "Zend MM" output channel as the in-host tests read it: the document VS Code shows in the
// Output view, where every heap command writes its result (what a person reads there).
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../src/ids';

const CHANNEL_NAME = 'Zend MM';
const WAIT_MS = 10_000;

/** The command that shows the channel in the Output view (VS Code registers one per channel). */
async function showCommand(): Promise<string> {
  const prefix = `workbench.action.output.show.extension-output-${EXTENSION_ID}-`;
  const found = (await vscode.commands.getCommands(true)).find((c) => c.startsWith(prefix) && c.endsWith(`-${CHANNEL_NAME}`));
  if (found === undefined) throw new Error(`no output channel "${CHANNEL_NAME}" of ${EXTENSION_ID}`);
  return found;
}

/** The channel's text now (shows the channel in the Output view so that its document is open). */
export async function zendMmOutput(): Promise<string> {
  await vscode.commands.executeCommand(await showCommand());
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'output' && decodeURIComponent(d.uri.path).endsWith(`-${CHANNEL_NAME}`));
  return doc?.getText() ?? '';
}

/**
 * Runs `action`, then waits until the channel has a new line (one not in it before) matching
 * `pattern`; returns that line. The Output view receives appended text asynchronously.
 */
export async function nextOutputLine(action: () => Thenable<unknown>, pattern: RegExp): Promise<string> {
  const before = (await zendMmOutput()).split('\n').length - 1;
  await action();
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const added = (await zendMmOutput()).split('\n').slice(before);
    const line = added.find((l) => pattern.test(l));
    if (line !== undefined) return line;
    if (Date.now() > deadline) throw new Error(`no new line matching ${pattern} in the "${CHANNEL_NAME}" output; new lines: ${JSON.stringify(added)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
