// The close stack: last opened, first closed; once; a failing step is logged and the rest still
// close; a start that fails half-way closes what it had opened.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { CloseStack } from '../../src/app/close-stack.js';

const quiet = pino({ level: 'silent' });

describe('CloseStack', () => {
  it('closes in reverse order of opening, once, past a failing step', async () => {
    const done: string[] = [];
    const s = new CloseStack(quiet);
    s.defer('db', () => void done.push('db'));
    s.defer('broken', () => {
      throw new Error('boom');
    });
    s.defer('http', async () => void done.push('http'));
    await Promise.all([s.close(), s.close()]);
    await s.close();
    expect(done).toEqual(['http', 'db']);
  });

  it('closes what a failed start had opened, and rethrows', async () => {
    const done: string[] = [];
    const s = new CloseStack(quiet);
    await expect(
      s.starting(async () => {
        s.defer('db', () => void done.push('db'));
        throw new Error('no trust roots');
      }),
    ).rejects.toThrow('no trust roots');
    expect(done).toEqual(['db']);
  });
});
