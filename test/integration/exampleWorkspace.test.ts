// The example workspace (examples/workspace, opened by the harness and by `npm start`): every
// .zmm script has a `zend-mm` launch configuration and every configuration names a script that
// exists, as VS Code itself reads them.
import * as assert from 'node:assert/strict';
import * as path from 'path';
import * as vscode from 'vscode';
import { DEBUG_TYPE } from '../../src/ids';

interface LaunchConfiguration {
  type: string;
  request: string;
  name: string;
  program?: string;
}

describe('example workspace', () => {
  const folder = vscode.workspace.workspaceFolders?.[0];

  it('is the open folder', () => {
    assert.ok(folder, 'no folder is open');
    assert.equal(folder.name, 'workspace');
  });

  it('has a zend-mm launch configuration for every .zmm script, each naming an existing file', async () => {
    assert.ok(folder);
    const configurations = vscode.workspace.getConfiguration('launch', folder.uri).get<LaunchConfiguration[]>('configurations') ?? [];
    const ours = configurations.filter((c) => c.type === DEBUG_TYPE);
    assert.ok(ours.length > 0, 'no zend-mm launch configuration');
    const programs = ours.map((c) => {
      assert.equal(c.request, 'launch', c.name);
      assert.ok(c.program, `${c.name} has no program`);
      return c.program.replace('${workspaceFolder}', folder.uri.fsPath);
    });
    for (const program of programs) {
      await vscode.workspace.fs.stat(vscode.Uri.file(program)); // throws FileNotFound
    }
    const scripts = (await vscode.workspace.findFiles('**/*.zmm')).map((u) => u.fsPath).sort();
    assert.ok(scripts.length > 0);
    assert.deepEqual(scripts, [...new Set(programs.map((p) => path.normalize(p)))].sort());
  });
});
