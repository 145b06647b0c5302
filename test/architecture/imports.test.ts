// The shape of the house: no import cycles between modules, none between folders, and the core
// stays pure. Read from the source text (every `import … from './…'`), type-only imports included:
// a type cycle is still two modules that cannot be understood one without the other.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../conformance/shared.js';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const roots = ['src', 'workers'].map((d) => join(REPO_ROOT, d));
const all = roots.flatMap(files);
const rel = (p: string) => relative(REPO_ROOT, p);
const graph = new Map<string, string[]>();
for (const f of all) {
  const text = readFileSync(f, 'utf8');
  const deps = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gms)].map((m) => rel(resolve(dirname(f), m[1].replace(/\.js$/, '.ts'))));
  graph.set(
    rel(f),
    deps.filter((d) => graph.has(d) || all.includes(join(REPO_ROOT, d))),
  );
}

/** Strongly connected components of more than one node (Tarjan). */
function cycles(g: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (g.get(v) ?? []).includes(v)) out.push(comp.sort());
    }
  };
  for (const v of g.keys()) if (!idx.has(v)) visit(v);
  return out;
}

const folderOf = (f: string) => dirname(f);

describe('imports', () => {
  it('have no cycles between modules', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('have no cycles between folders', () => {
    const folders = new Map<string, string[]>();
    for (const [f, deps] of graph) {
      const a = folderOf(f);
      const list = folders.get(a) ?? [];
      for (const d of deps) if (folderOf(d) !== a && !list.includes(folderOf(d))) list.push(folderOf(d));
      folders.set(a, list);
    }
    expect(cycles(folders)).toEqual([]);
  });

  it('keep src/core pure: nothing outside the core, no I/O modules, no clock, no environment', () => {
    for (const [f, deps] of graph) {
      if (!f.startsWith('src/core/')) continue;
      expect(
        deps.filter((d) => !d.startsWith('src/core/')),
        f,
      ).toEqual([]);
      const text = readFileSync(join(REPO_ROOT, f), 'utf8');
      expect(text, f).not.toMatch(
        /from '(node:)?(fs|net|http|https|dns|child_process|worker_threads)'|from '(fastify|ioredis|bullmq|pg|@electric-sql\/pglite)'/,
      );
      expect(text, f).not.toMatch(/Date\.now\(\)|new Date\(\)|process\.env/);
    }
  });

  it('keep store implementations inside their feature: only the feature itself and app/ (the composition) import them', () => {
    // Interfaces (store.ts) are the features' public face; SQL, Redis and memory implementations
    // are internals that other features must not reach into.
    const implementation = /^src\/(platform|jobs|challenges)\/(sql-store|redis|memory)\.ts$/;
    for (const [f, deps] of graph) {
      for (const d of deps) {
        if (!implementation.test(d)) continue;
        const sameFeature = dirname(d) === dirname(f);
        expect(sameFeature || f.startsWith('src/app/'), `${f} imports ${d}`).toBe(true);
      }
    }
  });
});
