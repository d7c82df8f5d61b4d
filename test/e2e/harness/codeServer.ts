// One code-server (VS Code's server build, the real workbench and Node extension host) on
// 127.0.0.1, with its own user data, extensions, settings and temp folder, so runs never share
// state with each other or with the user's own set-up.
import { ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { pollUntil, withDeadline } from './deadline';
import { codeServerEntry, codeServerNode } from './paths';
import { runGroup, spawnGroup, stopGroup } from './processGroup';

export interface CodeServerOptions {
  /** Folder that holds user data, extensions, logs and the server's TMPDIR; created when missing. */
  workDir: string;
  /** VS Code's smoke-test driver: needed to run an extension test suite from the URL payload. */
  smokeTestDriver?: boolean;
  /** Extra environment for the server; the extension host inherits it. */
  env?: NodeJS.ProcessEnv;
  /** Port on 127.0.0.1; 0 (the default) lets the server pick a free one. */
  port?: number;
}

/** User settings for a quiet, offline, deterministic workbench. */
export const TEST_USER_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'security.workspace.trust.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

const LISTEN_TIMEOUT_MS = 60_000;
const INSTALL_TIMEOUT_MS = 120_000;

export class CodeServer {
  private constructor(
    readonly options: CodeServerOptions,
    /** e.g. http://127.0.0.1:34567 */
    readonly url: string,
    private readonly child: ChildProcess,
  ) {}

  /** host:port; the workbench uses it as the remote authority of vscode-remote:// URIs. */
  get authority(): string {
    return new URL(this.url).host;
  }

  get userDataDir(): string {
    return userDataDir(this.options.workDir);
  }

  get extensionsDir(): string {
    return extensionsDir(this.options.workDir);
  }

  get logFile(): string {
    return path.join(this.options.workDir, 'code-server.log');
  }

  /** The vscode-remote:// URI of a path on the server's machine. */
  remoteUri(absPath: string): string {
    return `vscode-remote://${this.authority}${absPath}`;
  }

  /** The workbench URL opening `folder`, with an optional payload (extension tests). */
  workbenchUrl(folder: string, payload?: [string, string][]): string {
    let url = `${this.url}/?folder=${encodeURIComponent(folder)}`;
    if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    return url;
  }

  /**
   * Installs a VSIX into the extensions folder of `workDir` (the server need not run) and
   * returns the folder it was unpacked into.
   */
  static async installExtension(workDir: string, vsix: string): Promise<string> {
    prepareWorkDir(workDir);
    const before = new Set(fs.readdirSync(extensionsDir(workDir)));
    const r = await runGroup('install the VSIX', INSTALL_TIMEOUT_MS, codeServerNode(),
      [codeServerEntry(), ...commonArgs(workDir), '--install-extension', vsix, '--force'], { env: serverEnv(workDir, {}) });
    if (r.code !== 0) throw new Error(`installing ${vsix} failed (exit ${r.code}):\n${r.stdout}${r.stderr}`);
    const identity = readVsixIdentity(r.stdout)?.toLowerCase();
    const now = fs.readdirSync(extensionsDir(workDir));
    const folder = identity ? now.find((d) => d.toLowerCase().startsWith(identity)) : now.find((d) => !before.has(d));
    if (!folder) throw new Error(`installing ${vsix}: no extension folder appeared in ${extensionsDir(workDir)}\n${r.stdout}`);
    return path.join(extensionsDir(workDir), folder);
  }

  static async start(options: CodeServerOptions): Promise<CodeServer> {
    prepareWorkDir(options.workDir);
    const log = fs.openSync(path.join(options.workDir, 'code-server.log'), 'a');
    const args = [codeServerEntry(), ...commonArgs(options.workDir), '--bind-addr', `127.0.0.1:${options.port ?? 0}`];
    if (options.smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
    const child = spawnGroup(codeServerNode(), args, { env: serverEnv(options.workDir, options.env ?? {}), stdio: ['ignore', 'pipe', log] });
    fs.closeSync(log);
    try {
      const url = await withDeadline('code-server start', LISTEN_TIMEOUT_MS, listeningUrl(child, path.join(options.workDir, 'code-server.log')));
      await pollUntil('code-server /healthz', LISTEN_TIMEOUT_MS, async () => ((await httpStatus(`${url}/healthz`)) === 200 ? true : undefined));
      return new CodeServer(options, url, child);
    } catch (e) {
      await stopGroup(child);
      throw e;
    }
  }

  /** Stops the server and everything it started. */
  async stop(): Promise<void> {
    await stopGroup(this.child);
  }

  /** The server log so far (the extension host's exit status is written there). */
  readLog(): string {
    return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, 'utf8') : '';
  }
}

function userDataDir(workDir: string): string {
  return path.join(workDir, 'user-data');
}

function extensionsDir(workDir: string): string {
  return path.join(workDir, 'extensions');
}

function prepareWorkDir(workDir: string): void {
  fs.mkdirSync(path.join(userDataDir(workDir), 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir(workDir), { recursive: true });
  fs.mkdirSync(path.join(workDir, 'tmp'), { recursive: true });
  const settings = path.join(userDataDir(workDir), 'User', 'settings.json');
  if (!fs.existsSync(settings)) fs.writeFileSync(settings, JSON.stringify(TEST_USER_SETTINGS, null, 2));
  const config = path.join(workDir, 'config.yaml');
  if (!fs.existsSync(config)) fs.writeFileSync(config, ''); // keeps code-server from writing ~/.config/code-server
}

function commonArgs(workDir: string): string[] {
  return [
    '--config', path.join(workDir, 'config.yaml'),
    '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened',
    '--user-data-dir', userDataDir(workDir),
    '--extensions-dir', extensionsDir(workDir),
  ];
}

function serverEnv(workDir: string, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...process.env,
    EXTENSIONS_GALLERY: '{}', // no marketplace: nothing to reach, no DNS errors offline
    TMPDIR: path.join(workDir, 'tmp'), // VS Code's ipc sockets go here and are removed with it
    ...extra,
  };
}

/** "Extension 'zend-mm-lab.zend-mm-lab' v0.1.0 was successfully installed." -> "zend-mm-lab.zend-mm-lab-" */
function readVsixIdentity(installOutput: string): string | undefined {
  const m = /Extension '([^']+)' v(\S+) was successfully installed/.exec(installOutput);
  return m ? `${m[1]}-${m[2]}` : undefined;
}

function listeningUrl(child: ChildProcess, logFile: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (d: Buffer) => {
      fs.appendFileSync(logFile, d);
      seen += d.toString();
      const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`code-server exited (${code}) before listening:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`)));
  });
}

function httpStatus(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(undefined));
    req.setTimeout(2000, () => {
      req.destroy();
      resolve(undefined);
    });
  });
}
