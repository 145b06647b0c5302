// Runs once before the suites: installs and starts what they need (test/services.sh), so
// `npm test` passes on a fresh machine by itself.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  execFileSync('bash', [fileURLToPath(new URL('./services.sh', import.meta.url))], { stdio: 'inherit' });
}
