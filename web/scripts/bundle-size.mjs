// Measures the built bundle gzipped and fails when it is over the budget
// (docs/architecture.md: under 300 KB of JavaScript, gzipped, for the agent console).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_JS_BYTES = 300 * 1024;
const assets = join(new URL('..', import.meta.url).pathname, 'dist', 'assets');

let js = 0;
let css = 0;
for (const name of readdirSync(assets)) {
  const size = gzipSync(readFileSync(join(assets, name)), { level: 9 }).length;
  if (name.endsWith('.js')) js += size;
  else if (name.endsWith('.css')) css += size;
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`web bundle, gzipped: JavaScript ${kb(js)} (budget ${kb(BUDGET_JS_BYTES)}), CSS ${kb(css)}`);
if (js > BUDGET_JS_BYTES) {
  console.error('web bundle: JavaScript is over budget');
  process.exit(1);
}
