// Keeps the latest analysis (problems and run) of each open .zmm document, by version, so
// diagnostics, hovers and completion share one run per edit (VS Code wiring).

import * as vscode from 'vscode';
import { parseZmm, ZmmStatement } from '../trace/zmm';
import { profileFromSettings } from './activeSetting';
import { ZmmProblem, zmmProblems } from './zmmProblems';
import { ZmmSimulation } from './zmmSimulation';

/** One document's analysis. */
export interface ZmmAnalysis {
  readonly version: number;
  readonly problems: readonly ZmmProblem[];
  readonly simulation: ZmmSimulation;
}

/** Analyses by document URI. */
export class ZmmAnalyses {
  private readonly byUri = new Map<string, ZmmAnalysis>();

  /** The analysis of `doc` at its current version, computing it when missing or stale. */
  get(doc: vscode.TextDocument): ZmmAnalysis {
    const key = doc.uri.toString();
    const cached = this.byUri.get(key);
    if (cached !== undefined && cached.version === doc.version) return cached;
    const { problems, simulation } = zmmProblems(doc.getText(), doc.uri.fsPath, profileFromSettings(doc.uri));
    const fresh = { version: doc.version, problems, simulation };
    this.byUri.set(key, fresh);
    return fresh;
  }

  /** The statements of `doc` (parsing only, cheap). */
  statements(doc: vscode.TextDocument): ZmmStatement[] {
    return parseZmm(doc.getText(), doc.uri.fsPath).statements;
  }

  forget(doc: vscode.TextDocument): void {
    this.byUri.delete(doc.uri.toString());
  }

  /** Drops every analysis (the version setting changed). */
  clear(): void {
    this.byUri.clear();
  }
}
