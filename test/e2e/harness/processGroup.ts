// Child processes in their own process group, so stopping one stops everything it started
// (code-server's extension host, pty host, file watcher, ...).
import { ChildProcess, spawn, SpawnOptions } from 'child_process';
import { sleep } from './deadline';

/** Groups started and not yet ended; killed if this process is interrupted or exits early. */
const liveGroups = new Set<ChildProcess>();
let cleanupInstalled = false;

function killLiveGroups(): void {
  for (const child of liveGroups) signalGroup(child, 'SIGKILL');
  liveGroups.clear();
}

function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on('exit', killLiveGroups);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killLiveGroups();
      process.exit(130);
    });
  }
}

/** Starts `command` as the leader of a new process group. */
export function spawnGroup(command: string, args: string[], options: SpawnOptions): ChildProcess {
  installCleanup();
  const child = spawn(command, args, { ...options, detached: true });
  liveGroups.add(child);
  child.once('exit', () => {
    if (!running(child)) signalGroup(child, 'SIGKILL'); // anything the leader left behind
    liveGroups.delete(child);
  });
  return child;
}

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}

/** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves when the leader has exited. */
export async function stopGroup(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (!running(child)) {
    signalGroup(child, 'SIGKILL'); // children the leader left behind
    return;
  }
  signalGroup(child, 'SIGTERM');
  for (let waited = 0; waited < graceMs && running(child); waited += 100) await sleep(100);
  signalGroup(child, 'SIGKILL');
  for (let waited = 0; waited < 2000 && running(child); waited += 100) await sleep(100);
}

export interface GroupResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `command` to completion in its own group; past `ms` the group is killed and this rejects. */
export async function runGroup(step: string, ms: number, command: string, args: string[], options: SpawnOptions = {}): Promise<GroupResult> {
  const child = spawnGroup(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const finished = new Promise<GroupResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => (timer = setTimeout(() => resolve('expired'), ms)));
  const outcome = await Promise.race([finished, expired]);
  clearTimeout(timer);
  if (outcome === 'expired') {
    await stopGroup(child);
    throw new Error(`${step}: still running after ${Math.round(ms / 1000)} s, stopped\n${stdout}${stderr}`);
  }
  // stdout/stderr may still hold data when 'exit' fires; the final strings come with 'close'
  await new Promise<void>((resolve) => (child.stdout && !child.stdout.readableEnded ? child.once('close', () => resolve()) : resolve()));
  return { ...outcome, stdout, stderr };
}
