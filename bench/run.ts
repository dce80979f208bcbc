// npm run bench -- <name> [--quick]: runs one benchmark; its last line of output is one JSON object.
import { benchmarks } from './registry.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const names = args.filter((arg) => !arg.startsWith('--'));
const known = Object.keys(benchmarks);

if (names.length === 0 || names.some((name) => !(name in benchmarks))) {
  console.error(`usage: npm run bench -- <${known.join('|')}> [--quick]`);
  process.exit(2);
}
for (const name of names) {
  const result = await benchmarks[name]!({ quick });
  console.log(JSON.stringify({ benchmark: name, quick, node: process.version, ...result }));
}
