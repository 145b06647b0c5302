// The card PIN, asked for without echo on a terminal, or read as one line from standard input
// (--pin-stdin, for scripts). It is handed to the card and nowhere else: never a flag (it would
// sit in the shell history and the process list), never printed, never logged.
import { UsageError } from './args.js';

/** One line of standard input (without its line end). */
export async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if ((chunk as Buffer).includes(0x0a)) break;
  }
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0];
}

/** Prompts on the terminal with echo off; Ctrl-C aborts. */
export function promptSecret(prompt: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) throw new UsageError('no terminal to ask for the PIN: pass --pin-stdin and write it to standard input');
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let typed = '';
    input.setRawMode(true);
    input.resume();
    const done = (err?: Error): void => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(typed);
    };
    const onData = (buf: Buffer): void => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new UsageError('cancelled'));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    input.on('data', onData);
  });
}

export function readPin(fromStdin: boolean, prompt: string): Promise<string> {
  return fromStdin ? readStdinLine() : promptSecret(prompt);
}
