// Fails when a package's modules import each other in a cycle (a lint step: `npm run lint`). Follows the
// relative imports of every .ts/.tsx file under packages/*/src and examples/, type-only imports included
// (a cycle of types is still a knot in the design), and prints each cycle as a chain of files.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';

import { dirname, join, relative, resolve } from 'node:path';

/**
 * Cycles known when this check arrived, to be taken apart (issue 16; none left): a cycle passes only while all of its
 * files are in one of these sets, so none can grow and no new one can appear. Delete an entry once it is gone.
 */
const KNOWN_CYCLES = [];

const roots = [...readdirSync('packages').map((p) => join('packages', p, 'src')), 'examples'].filter((dir) =>
  existsSync(dir),
);

function files(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files(path, out);
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(resolve(path));
  }
  return out;
}

const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]/gm;
const graph = new Map();
for (const file of roots.flatMap((root) => files(root))) {
  const edges = [];
  for (const [, spec] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
    const base = resolve(dirname(file), spec.replace(/\.js$/, ''));
    const target = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((f) => existsSync(f));
    if (target) edges.push(target);
  }
  graph.set(file, edges);
}

// Tarjan's strongly connected components: every component of more than one file is a cycle.
let index = 0;
const indexes = new Map();
const lowlinks = new Map();
const stack = [];
const onStack = new Set();
const cycles = [];
function visit(node) {
  indexes.set(node, index);
  lowlinks.set(node, index);
  index += 1;
  stack.push(node);
  onStack.add(node);
  for (const next of graph.get(node) ?? []) {
    if (!indexes.has(next)) {
      visit(next);
      lowlinks.set(node, Math.min(lowlinks.get(node), lowlinks.get(next)));
    } else if (onStack.has(next)) lowlinks.set(node, Math.min(lowlinks.get(node), indexes.get(next)));
  }
  if (lowlinks.get(node) === indexes.get(node)) {
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component);
  }
}
for (const node of graph.keys()) if (!indexes.has(node)) visit(node);

const known = (cycle) => KNOWN_CYCLES.some((set) => cycle.every((file) => set.includes(relative('.', file))));
const fresh = cycles.filter((cycle) => !known(cycle));
if (fresh.length === 0) {
  console.log(
    `import cycles: none new in ${graph.size} files (${cycles.length} known, listed in KNOWN_CYCLES)`,
  );
} else {
  for (const cycle of fresh)
    console.error(
      `import cycle of ${cycle.length} files:\n  ${cycle
        .map((f) => relative('.', f))
        .sort()
        .join('\n  ')}`,
    );
  process.exit(1);
}
