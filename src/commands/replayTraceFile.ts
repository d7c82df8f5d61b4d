// Zend MM: Replay Trace File… — replays a .zmm script or raw trace on a fresh heap, with a
// cancellable progress notification; bad lines are listed with file:line and nothing runs.

import * as vscode from 'vscode';
import { formatDiagnostic } from '../trace/diagnostics';
import { SUPPORTED_PHP_VERSIONS } from '../engine/versions';
import { loadTrace } from '../session/loadTrace';
import type { HeapSession } from '../session/heapSession';
import type { HeapLog } from './heapLog';

/** Picks the trace: the argument, the active .zmm/.trace editor, or an open dialog. */
async function traceUri(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const picked = await vscode.window.showOpenDialog({
    title: 'Zend MM: trace to replay',
    canSelectMany: false,
    filters: { 'Zend MM traces': ['zmm', 'trace', 'txt'], 'All files': ['*'] },
  });
  return picked?.[0];
}

/** Replays a trace file on the session's heap (reset first; to the script's `php` version if it names one). */
export async function replayTraceFile(session: HeapSession, log: HeapLog, arg?: unknown): Promise<void> {
  const uri = await traceUri(arg);
  if (uri === undefined) return;
  const name = uri.fsPath;
  let text: string;
  try {
    text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
  } catch (e) {
    void vscode.window.showErrorMessage(`${name}: cannot read: ${(e as Error).message}`);
    return;
  }
  const trace = loadTrace(text, name);
  if (trace.errors.length > 0) {
    log.line(`${name}: ${trace.errors.length} bad line${trace.errors.length > 1 ? 's' : ''}; nothing replayed`);
    for (const d of trace.errors) log.line(`  ${formatDiagnostic(d)}`);
    log.channel.show(true);
    void vscode.window.showErrorMessage(`${formatDiagnostic(trace.errors[0])}${trace.errors.length > 1 ? ` (and ${trace.errors.length - 1} more; see the Zend MM output)` : ''}`);
    return;
  }
  for (const d of trace.warnings) log.line(`  skipped: ${formatDiagnostic(d)}`);
  let version = session.version;
  if (trace.php !== undefined) {
    if (SUPPORTED_PHP_VERSIONS.includes(trace.php)) version = trace.php;
    else log.line(`${name}: php ${trace.php} is not supported; replaying on PHP ${version}`);
  }
  session.reset(version);
  log.line(`[PHP ${version}] replaying ${name} (${trace.ops.length} operations) on a fresh heap`);
  const summary = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Replaying ${vscode.workspace.asRelativePath(uri)}`, cancellable: true },
    (progress, token) => {
      let reported = 0;
      return session.replay(trace.ops, {
        names: trace.names,
        isCancelled: () => token.isCancellationRequested,
        onProgress: (done, total) => {
          const pct = total === 0 ? 100 : (done / total) * 100;
          progress.report({ increment: pct - reported, message: `${done} of ${total}` });
          reported = pct;
        },
      });
    },
  );
  for (const f of summary.failures) log.line(`  ${f}`);
  const c = session.counters();
  const how = summary.cancelled ? 'cancelled after' : summary.halted ? `ended by a fatal error (${summary.halted}) after` : 'done:';
  log.line(`[PHP ${version}] ${how} ${summary.applied} operations, ${summary.failed} failed; size ${c.size}, real_size ${c.realSize}`);
  void vscode.window.showInformationMessage(`Replay ${how} ${summary.applied} of ${summary.total} operations (${summary.failed} failed).`);
}
