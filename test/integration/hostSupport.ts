// What the in-host tests share: the extension under test and the repository it was built from.
import * as assert from 'node:assert/strict';
import * as path from 'path';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../src/ids';

/** The repository root (this file runs from out/test/integration/). */
export const REPO_ROOT = path.resolve(__dirname, '../../..');

/** The extension under test, as the host loaded it (from the VSIX or the source folder). */
export function extensionUnderTest(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded in this host`);
  return ext;
}

/** The manifest the host loaded (package.json of the packaged extension). */
export interface Manifest {
  name: string;
  publisher: string;
  version: string;
  contributes?: {
    commands?: { command: string; title: string }[];
    walkthroughs?: Walkthrough[];
  };
}

export interface WalkthroughStep {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string | Record<string, string>; svg?: string; altText?: string };
  completionEvents?: string[];
}

export interface Walkthrough {
  id: string;
  title: string;
  description: string;
  steps: WalkthroughStep[];
}

export function manifest(): Manifest {
  return extensionUnderTest().packageJSON as Manifest;
}
