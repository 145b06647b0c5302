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
