// An Output (the command line's writer) that keeps what is written, for tests.
import type { Output } from '../../src/cli/replayCommand';

export class Capture implements Output {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  out(line: string): void {
    this.stdout.push(line);
  }
  err(line: string): void {
    this.stderr.push(line);
  }
}
