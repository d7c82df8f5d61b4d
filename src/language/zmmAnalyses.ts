// Keeps the latest analysis (problems and run) of each open .zmm document, by version, so
// diagnostics, hovers and completion share one run per edit (VS Code wiring).

import * as vscode from 'vscode';
import { parseZmm, ZmmStatement } from '../trace/zmm';
import { profileFromSettings } from './activeSetting';
import { ZmmProblem, zmmProblems } from './zmmProblems';
import { simulateZmm, ZmmSimulation } from './zmmSimulation';

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

  /**
   * A run of `doc` that records the allocator steps of `line` (1-based), for a hover. Kept
   * while the document and line stay the same, so moving the mouse along a line reruns nothing.
   */
  detailed(doc: vscode.TextDocument, line: number): ZmmSimulation {
    const key = `${doc.uri.toString()}#${doc.version}:${line}`;
    if (this.lastDetail?.key === key) return this.lastDetail.simulation;
    const simulation = simulateZmm(doc.getText(), doc.uri.fsPath, profileFromSettings(doc.uri), { detail: new Set([line]) });
    this.lastDetail = { key, simulation };
    return simulation;
  }

  private lastDetail: { key: string; simulation: ZmmSimulation } | undefined;

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
    this.lastDetail = undefined;
  }
}
