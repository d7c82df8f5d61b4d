// Registers the language features: C/C++ macro hovers and the .zmm editor support
// (diagnostics, hovers, completion, the "Step from here" CodeLens and its command).

import * as vscode from 'vscode';
import { COMMANDS, ZMM_LANGUAGE_ID } from '../ids';
import { MacroHoverProvider } from './macroHoverProvider';
import { stepFromHere } from './stepFromHere';
import { TraceHoverProvider } from './traceHoverProvider';
import { ZmmAnalyses } from './zmmAnalyses';
import { ZmmCodeLensProvider } from './zmmCodeLensProvider';
import { ZmmCompletionProvider } from './zmmCompletionProvider';
import { ZmmDiagnosticsPublisher } from './zmmDiagnosticsPublisher';

/** Every registration goes into context.subscriptions. */
export function registerLanguageFeatures(context: vscode.ExtensionContext): void {
  const zmm: vscode.DocumentSelector = { language: ZMM_LANGUAGE_ID };
  const cFiles: vscode.DocumentSelector = [{ language: 'c' }, { language: 'cpp' }];
  const analyses = new ZmmAnalyses();
  context.subscriptions.push(
    vscode.languages.registerHoverProvider(cFiles, new MacroHoverProvider()),
    vscode.languages.registerHoverProvider(zmm, new TraceHoverProvider(analyses)),
    vscode.languages.registerCompletionItemProvider(zmm, new ZmmCompletionProvider(analyses), '(', ','),
    vscode.languages.registerCodeLensProvider(zmm, new ZmmCodeLensProvider(analyses)),
    vscode.commands.registerCommand(COMMANDS.stepFromHere, (uri?: vscode.Uri, line?: number) => stepFromHere(uri, line)),
    new ZmmDiagnosticsPublisher(analyses),
  );
}
