// Command-line arguments: strict parsing, and the one error that means "bad usage" (exit 2 with
// the usage text). Shared by every command module.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type Flags = Record<string, string | string[] | boolean | undefined>;

export function parse(argv: string[], options: ParseArgsConfig['options']): { flags: Flags; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { flags: values as Flags, positionals };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Lets a string flag stand alone (`--reader` meaning "the only reader with a card"): an empty
 *  value is put in when no value follows it. */
export function optionalValue(argv: string[], flag: string): string[] {
  return argv.flatMap((a, i) => (a === flag && (i === argv.length - 1 || argv[i + 1].startsWith('--')) ? [a, ''] : [a]));
}
