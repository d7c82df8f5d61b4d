// Builds the Markdown of a hover on one .zmm line: what the call will do on the heap as the
// script leaves it up to that line (bin or pages, free slot or new run/chunk), from a run.

import { ZEND_MM_MAX_SMALL_SIZE } from '../engine/zend7/constants';
import { ZmmSimulation } from './zmmSimulation';
import { describeRequest, MAX_PLANNED_SIZE } from './requestPlan';

/** How many engine notes a hover lists before it shortens the list. */
const MAX_STEPS = 12;

/** The hover of `line` (1-based), or undefined when that line holds no call or directive. */
export function buildZmmLineHover(sim: ZmmSimulation, line: number): string | undefined {
  const o = sim.outcomes.get(line);
  if (o === undefined) return undefined;
  const source = sim.versionFrom === 'script' ? 'from the script\'s `php` line' : 'from the zendMm.phpVersion setting';
  const out: string[] = [`**PHP ${sim.profile.version}** (${source})`, ''];
  if (o.notRun !== undefined) {
    out.push(`Never runs: ${o.notRun}.`);
    return out.join('\n');
  }
  const c = o.call;
  const size = 'size' in c && typeof c.size === 'number' && c.size <= MAX_PLANNED_SIZE ? c.size : undefined;
  if (size !== undefined && (c.kind === 'emalloc' || c.kind === 'erealloc')) {
    out.push(`Request: ${describeRequest(size, sim.profile)}.`, '');
  }
  out.push(o.summary);
  if (o.place !== undefined) out.push('', `Block: ${o.place}${o.blockSize !== undefined ? `, ${o.blockSize} bytes` : ''}.`);
  if (o.steps.length > 0) {
    out.push('', 'Allocator steps:');
    for (const s of o.steps.slice(0, MAX_STEPS)) out.push(`- ${s}`);
    if (o.steps.length > MAX_STEPS) out.push(`- … ${o.steps.length - MAX_STEPS} more`);
  }
  if (o.counters !== undefined) out.push('', `After this line: ${o.counters}.`);
  if (sim.profile.family === 'zend7' && size !== undefined && size > ZEND_MM_MAX_SMALL_SIZE && o.error === undefined && c.kind === 'emalloc') {
    out.push('', 'Large and huge blocks are not kept on bin free lists: freeing them releases pages or unmaps.');
  }
  return out.join('\n');
}
