// Builds the Markdown of a C hover on an allocator macro or function: meaning, value for the
// active profile, a worked example for literal arguments, and how other versions differ.

import { ALL_ACTIVE_PROFILES, ActiveProfile, versionRangeLabel } from './activeProfile';
import { CArg } from './cMacroArgs';
import { lookupMacro } from './macroCatalog';
import { macroExample, macroValue } from './macroValues';

/** The parts of a macro hover (the provider joins them; tests read them one by one). */
export interface MacroHover {
  readonly name: string;
  /** Value or expansion under the active profile; undefined when that version lacks it. */
  readonly value: string | undefined;
  readonly example: string | undefined;
  readonly markdown: string;
}

const FAMILY_LABEL = { zend7: 'PHP 7.0 – 8.x', zend5: 'PHP 5.2 – 5.6' } as const;

/**
 * The hover for identifier `word` (with the call's arguments when a `(` follows it) under
 * `active`, or undefined when the word is not catalogued.
 */
export function buildMacroHover(word: string, args: readonly CArg[] | undefined, active: ActiveProfile): MacroHover | undefined {
  const entry = lookupMacro(word);
  if (entry === undefined) return undefined;
  const value = macroValue(entry.name, active);
  const example = value === undefined ? undefined : macroExample(word, args, active);
  const where = entry.families.map((f) => FAMILY_LABEL[f]).join(' and ');
  const lines: string[] = [`**${word}** — ${entry.kind === 'switch' ? 'build switch' : entry.kind} (${where})`, '', entry.meaning, ''];
  if (value !== undefined) {
    lines.push(`**PHP ${active.version}:** ${value}`);
  } else {
    lines.push(`**PHP ${active.version}:** not defined (the ${FAMILY_LABEL[active.family]} allocator has no ${word}).`);
  }
  if (example !== undefined) lines.push('', `**Example:** ${example}`);
  const others = otherVersions(entry.name, value);
  if (others !== undefined) lines.push('', `**Other versions:** ${others}`);
  if (entry.differs !== undefined) lines.push('', entry.differs);
  return { name: word, value, example, markdown: lines.join('\n') };
}

/** Versions grouped by their value, when not every version has the same one. */
function otherVersions(name: string, current: string | undefined): string | undefined {
  const groups = new Map<string, string[]>();
  for (const p of ALL_ACTIVE_PROFILES) {
    const v = macroValue(name, p) ?? '';
    const list = groups.get(v) ?? [];
    list.push(p.version);
    groups.set(v, list);
  }
  if (groups.size === 1) return undefined;
  return [...groups]
    .map(([v, versions]) => {
      const label = versionRangeLabel(versions);
      if (v === '') return `${label}: not defined`;
      if (v === current) return `${label}: as above`;
      return v.includes('\n') ? `${label}: differs` : `${label}: ${v}`;
    })
    .join(' · ');
}
