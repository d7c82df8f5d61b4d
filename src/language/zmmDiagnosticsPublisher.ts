// Publishes the problems of open .zmm documents as diagnostics while the user types
// (VS Code wiring; the problems themselves come from zmmProblems).

import * as vscode from 'vscode';
import { ZMM_LANGUAGE_ID } from '../ids';
import { affectsPhpVersion } from './activeSetting';
import { ZmmAnalyses } from './zmmAnalyses';
import { ZmmProblem } from './zmmProblems';

/** Delay after the last keystroke before a document is analysed again (ms). */
const DEBOUNCE_MS = 250;

/** Converts a problem to a VS Code diagnostic (0-based positions). */
export function toDiagnostic(p: ZmmProblem): vscode.Diagnostic {
  const range = new vscode.Range(p.line - 1, p.column - 1, p.line - 1, p.endColumn - 1);
  const d = new vscode.Diagnostic(range, p.message, p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  d.source = 'zmm';
  return d;
}

/** Keeps a diagnostic collection in step with the open .zmm documents. */
export class ZmmDiagnosticsPublisher implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(ZMM_LANGUAGE_ID);
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly analyses: ZmmAnalyses) {
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.update(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.collection.delete(d.uri);
        this.analyses.forget(d);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!affectsPhpVersion(e)) return;
        this.analyses.clear();
        for (const d of vscode.workspace.textDocuments) this.update(d);
      }),
    );
    for (const d of vscode.workspace.textDocuments) this.update(d);
  }

  private schedule(doc: vscode.TextDocument): void {
    if (doc.languageId !== ZMM_LANGUAGE_ID) return;
    const key = doc.uri.toString();
    const old = this.timers.get(key);
    if (old !== undefined) clearTimeout(old);
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.update(doc);
    }, DEBOUNCE_MS));
  }

  private update(doc: vscode.TextDocument): void {
    if (doc.languageId !== ZMM_LANGUAGE_ID || doc.isClosed) return;
    this.collection.set(doc.uri, this.analyses.get(doc).problems.map(toDiagnostic));
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const d of this.disposables) d.dispose();
  }
}
