// The test runner VS Code's extension host loads (extensionTestsPath), in code-server or in a
// desktop VS Code started by @vscode/test-electron. It runs every *.test.js file in this folder
// and below with mocha, so a new test is a new file. The host calls run(): a resolved promise
// ends the run with exit code 0, a rejected one with 1.
//
// When VSCODE_TEST_RESULT_FILE is set, the runner writes the passed and failed titles there.
// The end-to-end harness requires that file, because a host that dies mid-run is reported to
// the workbench as exit code 0.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

/** Printed around the reporter's output so the harness can tell it from the workbench's logs. */
const BEGIN_MARKER = '@@VSCODE-TESTS-BEGIN';
const END_MARKER = '@@VSCODE-TESTS-END';

interface RunnerResult {
  passed: string[];
  failed: { title: string; error: string }[];
  error?: string;
}

function testFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...testFiles(full));
    else if (entry.name.endsWith('.test.js')) found.push(full);
  }
  return found.sort();
}

function writeResult(result: RunnerResult): void {
  const file = process.env.VSCODE_TEST_RESULT_FILE;
  if (file) fs.writeFileSync(file, JSON.stringify(result, null, 2));
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, reporter: 'spec', timeout: 20_000 });
  const result: RunnerResult = { passed: [], failed: [] };
  return new Promise<void>((resolve, reject) => {
    console.log(BEGIN_MARKER);
    try {
      for (const file of testFiles(__dirname)) mocha.addFile(file);
      const runner = mocha.run((failures) => {
        console.log(END_MARKER);
        writeResult(result);
        if (failures > 0) reject(new Error(`${failures} tests failed.`));
        else resolve();
      });
      runner.on('pass', (test) => result.passed.push(test.fullTitle()));
      runner.on('fail', (test, err: unknown) => {
        result.failed.push({ title: test.fullTitle(), error: err instanceof Error ? err.stack ?? err.message : String(err) });
      });
    } catch (err) {
      console.log(END_MARKER);
      writeResult({ ...result, error: err instanceof Error ? err.stack ?? err.message : String(err) });
      reject(err);
    }
  });
}
