// zend-mm: the command-line entry point (replay a trace, print the heap map or JSON Lines;
// time a trace's replay).

import { parseArgs, USAGE, UsageError } from './args';
import { runBench } from './benchCommand';
import { Output, runReplay } from './replayCommand';

function main(argv: string[]): number {
  let cmd;
  try {
    cmd = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`zend-mm: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  if (cmd.command === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const chunks: string[] = [];
  let pending = 0;
  const flush = (): void => {
    if (chunks.length > 0) {
      process.stdout.write(chunks.join(''));
      chunks.length = 0;
      pending = 0;
    }
  };
  const io: Output = {
    out: (line) => {
      chunks.push(line, '\n');
      pending += line.length;
      if (pending > 1 << 16) flush();
    },
    err: (line) => {
      flush();
      process.stderr.write(line + '\n');
    },
  };
  const status = cmd.command === 'bench' ? runBench(cmd, io) : runReplay(cmd, io);
  flush();
  return status;
}

process.exitCode = main(process.argv.slice(2));
