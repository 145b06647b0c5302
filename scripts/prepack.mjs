// npm pack / npm publish: build first. On a fresh clone nothing is installed yet, and the build
// needs the dev toolchain (TypeScript), so it is installed from the lock file first.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (args) => execFileSync(npm, args, { stdio: ['ignore', 'inherit', 'inherit'] });
if (!existsSync('node_modules/typescript/bin/tsc')) {
  console.error('prepack: no node_modules; installing from package-lock.json (npm ci) to build');
  run(['ci', '--no-audit', '--no-fund']);
}
run(['run', 'build']);
