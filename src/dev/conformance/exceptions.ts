// The checked-in list of excepted conformance cases (test/conformance/exceptions.json).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Exceptions {
  limbo: Record<string, string>;
  pkits: Record<string, string>;
}

/** Path of the exceptions file, found from this module whether run from src/ or dist/src/. */
export function defaultExceptionsPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'test', 'conformance', 'exceptions.json');
    try {
      readFileSync(candidate);
      return candidate;
    } catch {
      dir = dirname(dir);
    }
  }
  throw new Error('test/conformance/exceptions.json not found');
}

export function loadExceptions(path = defaultExceptionsPath()): Exceptions {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<Exceptions>;
  return { limbo: raw.limbo ?? {}, pkits: raw.pkits ?? {} };
}
