// Zend MM: Verify Trace Against Local PHP — replays a trace through the allocator of the `php` on
// PATH (via FFI, with the oracle scripts shipped in media/oracle/) and through the engine, and shows the
// two JSON Lines side by side. Runs only in a trusted workspace, and says why when it cannot run.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { PROFILES } from '../engine/profiles';
import { formatDiagnostic } from '../trace/diagnostics';
import { loadTrace } from '../session/loadTrace';
import { compareJsonLines } from './verify/compareJsonLines';
import { engineJsonLines } from './verify/engineJsonLines';
import { buildShim, findLocalPhp, runOracle } from './verify/localPhp';
import type { HeapLog } from './heapLog';

/** Verifies a trace file (argument, or picked) against the local php. */
export async function verifyTraceWithLocalPhp(context: vscode.ExtensionContext, log: HeapLog, arg?: unknown): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    const manage = 'Manage Workspace Trust';
    const why = 'Verify Trace Against Local PHP runs the php on your PATH (with FFI) and builds a small C library with gcc, so it only runs in a trusted workspace.';
    log.line(why);
    if ((await vscode.window.showWarningMessage(why, manage)) === manage) await vscode.commands.executeCommand('workbench.trust.manage');
    return;
  }
  const scriptsDir = path.join(context.extensionPath, 'media', 'oracle');
  const local = findLocalPhp(scriptsDir, 'php', [...PROFILES.keys()]);
  if ('error' in local) {
    const message = `Cannot verify against local PHP: ${local.error}.`;
    log.line(message);
    void vscode.window.showErrorMessage(message);
    return;
  }
  const uri =
    arg instanceof vscode.Uri
      ? arg
      : (await vscode.window.showOpenDialog({ title: `Zend MM: trace to run through PHP ${local.release}`, filters: { 'Zend MM traces': ['zmm', 'trace', 'txt'], 'All files': ['*'] } }))?.[0];
  if (uri === undefined) return;
  const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
  const trace = loadTrace(text, uri.fsPath);
  if (trace.errors.length > 0) {
    for (const d of trace.errors) log.line(`  ${formatDiagnostic(d)}`);
    void vscode.window.showErrorMessage(`${formatDiagnostic(trace.errors[0])} (nothing was run)`);
    return;
  }
  if (trace.php !== undefined && trace.php !== local.version) log.line(`${uri.fsPath} names php ${trace.php}; comparing with the local PHP ${local.release} instead`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'zend-mm-verify-'));
  try {
    const rawFile = path.join(work, 'trace.raw');
    fs.writeFileSync(rawFile, trace.rawText);
    const php = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Running the trace through PHP ${local.release}`, cancellable: true },
      async (_progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        const shim = buildShim(local, scriptsDir, path.join(context.globalStorageUri.fsPath, 'oracle'));
        return runOracle(local, scriptsDir, shim, rawFile, abort.signal);
      },
    );
    const engine = engineJsonLines(trace.ops, local.version);
    const diffs = compareJsonLines(php, engine);
    const name = path.basename(uri.fsPath);
    if (diffs.length === 0) {
      log.line(`[PHP ${local.release}] ${name}: the engine matches the real allocator on all ${php.length} records`);
      void vscode.window.showInformationMessage(`${name}: the engine matches PHP ${local.release} on all ${php.length} records.`);
      return;
    }
    log.line(`[PHP ${local.release}] ${name}: ${diffs.length} of ${Math.max(php.length, engine.length)} records differ`);
    for (const d of diffs.slice(0, 20)) log.line(`  record ${d.index}: ${d.where}`);
    const out = path.join(context.globalStorageUri.fsPath, 'verify');
    fs.mkdirSync(out, { recursive: true });
    const left = path.join(out, `${name}.php-${local.release}.jsonl`);
    const right = path.join(out, `${name}.engine.jsonl`);
    fs.writeFileSync(left, php.map((r) => JSON.stringify(r)).join('\n') + '\n');
    fs.writeFileSync(right, engine.map((r) => JSON.stringify(r)).join('\n') + '\n');
    await vscode.commands.executeCommand('vscode.diff', vscode.Uri.file(left), vscode.Uri.file(right), `${name}: PHP ${local.release} ↔ engine`);
  } catch (e) {
    const message = `Verify ${path.basename(uri.fsPath)}: ${(e as Error).name === 'AbortError' ? 'cancelled' : (e as Error).message}`;
    log.line(message);
    void vscode.window.showErrorMessage(message);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
