// debugAdapter.js is the entry point of the debug adapter when it runs as a separate process:
// over stdin/stdout (what a DAP client starts), or with --server=PORT on 127.0.0.1, one
// session per connection (for debugging the adapter itself, or clients that connect).

import * as net from 'net';
import { openStepSource } from '../source/openStepSource';
import { AllocDebugSession } from './allocDebugSession';

/** The port of a `--server=PORT` argument, or undefined (stdin/stdout). Throws for a bad port. */
export function serverPort(argv: readonly string[]): number | undefined {
  const arg = argv.find((a) => a.startsWith('--server='));
  if (arg === undefined) return undefined;
  const port = Number(arg.slice('--server='.length));
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--server=PORT: '${arg.slice('--server='.length)}' is not a port number (0-65535)`);
  }
  return port;
}

function main(): void {
  // a failure inside one request must not end the adapter (and every session it serves)
  process.on('unhandledRejection', (e) => process.stderr.write(`zend-mm debug adapter: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`));
  let port: number | undefined;
  try {
    port = serverPort(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
  if (port === undefined) {
    const session = new AllocDebugSession(openStepSource);
    process.on('SIGTERM', () => session.shutdown());
    session.start(process.stdin, process.stdout);
    return;
  }
  const server = net.createServer((socket) => {
    socket.on('end', () => socket.destroy());
    const session = new AllocDebugSession(openStepSource);
    session.setRunAsServer(true);
    session.start(socket, socket);
  });
  server.listen(port, '127.0.0.1', () => {
    const address = server.address() as net.AddressInfo;
    // the first line on stdout says where the adapter listens (port 0 picks a free one)
    process.stdout.write(`zend-mm debug adapter listening on 127.0.0.1:${address.port}\n`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

main();
