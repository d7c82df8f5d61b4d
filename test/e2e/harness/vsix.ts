// The extension as users get it: a VSIX built by @vscode/vsce (`npm run package`), and the
// list of files inside it, read from the ZIP's central directory.
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from './paths';
import { runGroup } from './processGroup';

const PACKAGE_TIMEOUT_MS = 180_000;

/** Runs `npm run package` (production build + vsce) writing the VSIX to `outFile`. */
export async function packageVsix(outFile: string): Promise<string> {
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.rmSync(outFile, { force: true });
  const r = await runGroup('npm run package', PACKAGE_TIMEOUT_MS, 'npm', ['run', '--silent', 'package', '--', '--out', outFile], { cwd: REPO_ROOT });
  if (r.code !== 0 || !fs.existsSync(outFile)) {
    throw new Error(`npm run package failed (exit ${r.code}):\n${r.stdout}${r.stderr}`);
  }
  return outFile;
}

export interface ZipEntry {
  /** Path inside the archive, '/'-separated. */
  name: string;
  /** Uncompressed size in bytes. */
  size: number;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;

/** Every entry of a ZIP file (a VSIX is one). Throws on anything that is not a plain ZIP. */
export function readZipEntries(file: string): ZipEntry[] {
  const zip = fs.readFileSync(file);
  // The end-of-central-directory record is in the last 22 + 65535 (comment) bytes.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file}: not a ZIP file (no end-of-central-directory record)`);
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== CENTRAL_FILE_HEADER) throw new Error(`${file}: bad central directory entry ${n} at offset ${at}`);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    entries.push({ name: zip.toString('utf8', at + 46, at + 46 + nameLength), size });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
