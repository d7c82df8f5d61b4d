// zend-mm: the command-line entry point (replay a trace, print the heap map or JSON Lines).

import { parseArgs, USAGE, UsageError } from './args';
import { runReplay } from './replayCommand';

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
  const status = runReplay(cmd, {
    out: (line) => {
      chunks.push(line, '\n');
      pending += line.length;
      if (pending > 1 << 16) flush();
    },
    err: (line) => {
      flush();
      process.stderr.write(line + '\n');
    },
  });
  flush();
  return status;
}

process.exitCode = main(process.argv.slice(2));
