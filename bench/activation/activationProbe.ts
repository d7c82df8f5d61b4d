// The in-host side of the activation benchmark: the extension test runner (extensionTestsPath)
// the extension host loads in a freshly started workbench. It waits for the workbench to finish
// starting, activates the extensions named in ACTIVATION_PROBE_ORDER one after the other through
// Extension.activate(), times each call, then reads the activation times VS Code itself recorded
// for them and writes everything to ACTIVATION_PROBE_OUT.
import * as fs from 'fs';
import * as vscode from 'vscode';
import { readActivationTable, VsCodeActivationTimes } from './perfViewActivationTimes';

/** What the probe writes: per extension id, VS Code's times and the wall time of activate(). */
export interface ProbeResult {
  extensions: Record<string, VsCodeActivationTimes & { activateWallMs: number }>;
  /** The order the extensions were activated in. */
  order: string[];
}

/** VS Code's Developer: Startup Performance document. */
const STARTUP_PERFORMANCE = vscode.Uri.from({ scheme: 'perf', path: 'Startup Performance' });
const SETTLE_MS = 2000;
const TABLE_TIMEOUT_MS = 30_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls the document until `read` returns a value, re-reading its text each time. */
async function waitForText<T>(doc: vscode.TextDocument, what: string, read: (text: string) => T | undefined): Promise<T> {
  const end = Date.now() + TABLE_TIMEOUT_MS;
  for (;;) {
    const value = read(doc.getText());
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`${what}: not in Developer: Startup Performance within ${TABLE_TIMEOUT_MS / 1000} s; it reads:\n${doc.getText().slice(0, 2000)}`);
    await sleep(100);
  }
}

/** Opens the Startup Performance view (its document provider exists only with the view) and its document. */
async function openStartupPerformance(): Promise<vscode.TextDocument> {
  await vscode.commands.executeCommand('perfview.show');
  return vscode.workspace.openTextDocument(STARTUP_PERFORMANCE);
}

async function measure(order: string[]): Promise<ProbeResult> {
  // VS Code fills the Startup Performance document once the workbench has fully started; that
  // is when we start. The view is closed again because, left open, it is re-rendered on every
  // activation and slows the workbench down while we measure.
  const startup = await openStartupPerformance();
  await waitForText(startup, 'the startup summary', (text) => (text.includes('## System Info') ? true : undefined));
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  await sleep(SETTLE_MS); // the built-in extensions that start on onStartupFinished finish

  const wall = new Map<string, number>();
  for (const id of order) {
    const extension = vscode.extensions.getExtension(id);
    if (!extension) throw new Error(`extension ${id} is not installed in this host`);
    if (extension.isActive) throw new Error(`extension ${id} was already active before the probe activated it`);
    const start = performance.now();
    await extension.activate();
    wall.set(id, performance.now() - start);
  }

  const after = await openStartupPerformance();
  const table = await waitForText(after, `activation times of ${order.join(', ')}`, (text) => {
    const rows = readActivationTable(text);
    return rows && order.every((id) => rows.has(id.toLowerCase())) ? rows : undefined;
  });
  const extensions: ProbeResult['extensions'] = {};
  for (const id of order) extensions[id] = { ...table.get(id.toLowerCase())!, activateWallMs: wall.get(id)! };
  return { extensions, order };
}

export async function run(): Promise<void> {
  const out = process.env.ACTIVATION_PROBE_OUT;
  const resultFile = process.env.VSCODE_TEST_RESULT_FILE;
  const order = (process.env.ACTIVATION_PROBE_ORDER ?? '').split(',').filter((id) => id !== '');
  try {
    if (!out || order.length === 0) throw new Error('ACTIVATION_PROBE_OUT and ACTIVATION_PROBE_ORDER must be set');
    const result = await measure(order);
    fs.writeFileSync(out, JSON.stringify(result, null, 2));
    if (resultFile) fs.writeFileSync(resultFile, JSON.stringify({ passed: order.map((id) => `activation of ${id} measured`), failed: [] }));
  } catch (e) {
    const error = e instanceof Error ? e.stack ?? e.message : String(e);
    if (resultFile) fs.writeFileSync(resultFile, JSON.stringify({ passed: [], failed: [], error }));
    throw e;
  }
}
