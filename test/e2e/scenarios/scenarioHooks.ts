// Mocha hooks every UI scenario file uses: one session per file, a screenshot of each failed
// test, the session's files kept when anything failed.
import { Session, SessionOptions } from '../harness/session';

const SESSION_START_TIMEOUT_MS = 240_000;

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80);
}

/** Starts a session before the file's tests and stops it after them; returns its accessor. */
export function useSession(options: SessionOptions = {}): () => Session {
  let session: Session | undefined;
  let failed = false;
  before(async function () {
    this.timeout(SESSION_START_TIMEOUT_MS);
    session = await Session.start(options);
  });
  afterEach(async function () {
    const test = this.currentTest;
    if (test?.state === 'failed' && session) {
      failed = true;
      const file = await session.workbench.screenshot(`failed-${slug(test.fullTitle())}`).catch(() => undefined);
      if (file) console.log(`    screenshot: ${file}`);
    }
  });
  after(async function () {
    this.timeout(30_000);
    await session?.stop(failed);
  });
  return () => {
    if (!session) throw new Error('the session did not start');
    return session;
  };
}
