// The extension loads and activates in a real extension host, and every command its manifest
// contributes is registered once it is active. The command list is read from the manifest the
// host loaded, so commands added later are covered without editing this file.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { REPO_ROOT, extensionUnderTest, manifest } from './hostSupport';

const contributedCommands = (manifest().contributes?.commands ?? []).map((c) => c.command);

describe('extension', () => {
  before(async () => {
    await extensionUnderTest().activate();
  });

  it('activates in the extension host', () => {
    assert.equal(extensionUnderTest().isActive, true);
  });

  it('runs the manifest of this build (same version and contributions as package.json)', () => {
    const source = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; contributes: Record<string, unknown> };
    const installed = manifest().contributes as Record<string, unknown>;
    assert.equal(manifest().version, source.version);
    assert.deepEqual(Object.keys(installed).sort(), Object.keys(source.contributes).sort());
    for (const [point, value] of Object.entries(source.contributes)) {
      // VS Code adds its common launch properties (name, debugServer, …) to a debugger's
      // schema in the loaded manifest, so debuggers are compared by their own declarations
      if (point === 'debuggers') {
        const ours = value as { type: string; program: string }[];
        const loaded = installed[point] as { type: string; program: string }[];
        assert.deepEqual(loaded.map((d) => [d.type, d.program]), ours.map((d) => [d.type, d.program]));
      } else {
        assert.deepEqual(installed[point], value, `contributes.${point}`);
      }
    }
  });

  describe('registers every contributed command', () => {
    let registered: Set<string>;
    before(async () => {
      registered = new Set(await vscode.commands.getCommands(true));
    });
    for (const command of contributedCommands) {
      it(command, () => {
        assert.ok(registered.has(command), `${command} is contributed in package.json but not registered by activate()`);
      });
    }
  });
});
