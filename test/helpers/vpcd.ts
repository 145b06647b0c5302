// The two virtual readers of pcscd's vpcd are one per machine: test files that insert virtual
// cards take this lock first (a directory, with the holder's pid so a crashed run's lock is
// taken over), so parallel files and parallel runs never put two cards in one slot.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CardReaders } from '../../src/card/transport.js';

export const READER0 = 'Virtual PCD 00 00';
export const READER1 = 'Virtual PCD 00 01';
const LOCK = join(tmpdir(), 'jpki-verify-vpcd.lock');

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Takes the vpcd lock (waiting for another holder); resolves with its release. */
export async function acquireVpcd(): Promise<() => void> {
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return () => rmSync(LOCK, { recursive: true, force: true });
    } catch {
      let pid = 0;
      try {
        pid = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
      } catch {
        // being written or removed: look again shortly
      }
      if (pid && !alive(pid)) rmSync(LOCK, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Waits until the reader shows (or no longer shows) a card: pcscd polls its readers. */
export async function waitForReader(readers: CardReaders, name: string, present: boolean, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const r = (await readers.list()).find((x) => x.name === name);
    if (r && r.cardPresent === present) return;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`${name}: card ${present ? 'never appeared' : 'never left'}`);
}
