// Locations of the read-only conformance data beside the repository (../shared).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED = resolve(REPO_ROOT, '..', 'shared');
export const CONFORMANCE = join(SHARED, 'conformance');
export const JPKI_ROOTS = join(SHARED, 'jpki-roots');

if (!existsSync(CONFORMANCE)) {
  // Never skip silently: the suites are part of the test command's contract.
  throw new Error(`conformance data not found at ${CONFORMANCE}: clone the repository with ../shared beside it`);
}

/** The summary line every conformance suite prints. */
export function summary(suite: string, passed: number, failed: number, excepted: number): string {
  const line = `${suite}: ${passed} passed, ${failed} failed, ${excepted} excepted`;
  console.log(line);
  return line;
}
