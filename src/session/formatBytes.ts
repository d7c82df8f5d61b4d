// Byte counts in the short form the status bar and the Allocate… hints show.

const KIB = 1024;
const MIB = 1024 * 1024;

/** Bytes in a short human form: "112 B", "8 KiB", "3 MiB", "3.5 MiB". */
export function formatBytes(n: number): string {
  if (n >= MIB && n % (MIB / 16) === 0) return `${n / MIB} MiB`;
  if (n >= KIB && n % (KIB / 16) === 0) return `${n / KIB} KiB`;
  return `${n} B`;
}
