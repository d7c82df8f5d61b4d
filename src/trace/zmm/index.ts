// The .zmm script language: parse, check, lower, print, convert to raw traces.

export * from './zmmAst';
export * from './zmmCall';
export { parseZmm } from './parseZmm';
export type { ZmmParseResult } from './parseZmm';
export { lowerZmm } from './lowerZmm';
export { printZmm, printZmmStatement } from './printZmm';
export { zmmToRaw } from './zmmToRaw';
export type { ZmmRawTrace } from './zmmToRaw';
export { ZMM_FUNCTIONS } from './zmmFunctions';
export { ZMM_PHP_VERSIONS } from './zmmVersions';
