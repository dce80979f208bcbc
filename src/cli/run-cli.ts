import { CommanderError } from 'commander';
import { isConfigError } from '../config/index.ts';
import { EXIT } from './exit-codes.ts';
import type { CliIo } from './io.ts';
import { buildProgram } from './program.ts';
import { isUserError } from './user-error.ts';

/** Runs one command line and returns the exit code. Never throws; never prints a stack trace for user errors. */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...args], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      const done = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code);
      return done ? EXIT.ok : EXIT.usage;
    }
    if (isConfigError(error)) {
      io.stderr(
        `${error.message}\nRun "adwarden doctor" after fixing them to see the effective configuration.\n`,
      );
      return EXIT.failure;
    }
    if (isUserError(error)) {
      io.stderr(`adwarden: ${error.message}\n`);
      return error.exitCode;
    }
    const code = (error as { code?: unknown } | null)?.code;
    if (error instanceof Error && typeof code === 'string' && code.startsWith('ADW_')) {
      io.stderr(`adwarden: ${error.message} (${code})\n`);
      return EXIT.failure;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(
      `adwarden: internal error (ADW_INTERNAL): ${message}\nPlease report it with the command you ran.\n`,
    );
    return EXIT.failure;
  }
}
