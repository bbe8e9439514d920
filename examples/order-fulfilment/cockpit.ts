import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The cockpit's built files, when they have been built (as `baton start` finds them). */
export function cockpitDirectory(): string | undefined {
  try {
    const root = join(
      dirname(createRequire(import.meta.url).resolve('@baton-engine/cockpit/package.json')),
      'dist',
    );
    return existsSync(join(root, 'index.html')) ? root : undefined;
  } catch {
    return undefined;
  }
}
