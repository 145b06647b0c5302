// The README as GitHub shows it: rendered with markdown-it (CommonMark), every section a heading
// (not swallowed by an unclosed code fence), every fence closed, and the two commands of a fresh
// machine there as the guide promises.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../conformance/shared.js';

const source = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const tokens = new MarkdownIt().parse(source, {});

const headings = tokens.flatMap((t, i) => (t.type === 'heading_open' ? [`${t.tag} ${tokens[i + 1].content}`] : []));

describe('README.md', () => {
  it('renders every section as a heading, in order', () => {
    // Every line that starts with '#' outside a code fence is a heading, and markdown-it sees all of them.
    const expected: string[] = [];
    let fence = false;
    for (const line of source.split('\n')) {
      if (/^(```|~~~)/.test(line)) fence = !fence;
      else if (!fence && /^#{1,6} /.test(line)) expected.push(`h${line.indexOf(' ')} ${line.replace(/^#+ /, '').trim()}`);
    }
    expect(fence, 'a code fence is never closed').toBe(false);
    expect(headings).toEqual(expected);
    for (const h of ['h2 Two commands on a fresh machine', 'h2 Command line', 'h2 HTTP API', 'h3 Configuration', 'h3 Metrics and logs', 'h2 Library API'])
      expect(headings).toContain(h);
  });

  it('shows the two commands of a fresh machine in one shell block', () => {
    const i = headings.indexOf('h2 Two commands on a fresh machine');
    expect(i).toBeGreaterThanOrEqual(0);
    const firstFence = tokens.find((t) => t.type === 'fence' && t.map && t.map[0] > source.split('\n').findIndex((l) => l.startsWith('## Two commands')));
    expect(firstFence?.info).toBe('sh');
    expect(firstFence?.content).toMatch(/^npm ci && npm start\b/m);
    expect(firstFence?.content).toMatch(/^npm test\b/m);
  });

  it('keeps tables as tables (no table swallowed into a paragraph or a fence)', () => {
    const tables = tokens.filter((t) => t.type === 'table_open').length;
    const tableLines = source.split('\n').filter((l) => /^\|.*\|\s*$/.test(l) && /^\|[-| :]+\|\s*$/.test(l)).length;
    expect(tables).toBe(tableLines);
  });
});
