// The `adwarden` executable (bin/adwarden.js runs this file).
import { processIo } from './io.ts';
import { runCli } from './run-cli.ts';

process.exitCode = await runCli(process.argv.slice(2), processIo());
