import { createEmulator } from '../../emulator/index.ts';
import type { CliIo } from '../io.ts';
import { UserError } from '../user-error.ts';

/** Options of `adwarden emulator`. */
export interface EmulatorCommandOptions {
  port: string;
  host: string;
  seed: 'demo' | 'empty';
  tier: 'basic' | 'advanced' | 'premium' | 'ultimate' | 'none';
}

/** `adwarden emulator`: serves the TikTok look-alike until interrupted. */
export async function emulatorCommand(options: EmulatorCommandOptions, io: CliIo): Promise<void> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new UserError('ADW_USAGE', `--port ${options.port} is not a port (0-65535)`, 2);
  let emulator: Awaited<ReturnType<typeof createEmulator>>;
  try {
    emulator = await createEmulator({ port, host: options.host, seed: options.seed, tier: options.tier });
  } catch (error) {
    throw new UserError(
      'ADW_EMULATOR_START',
      `the emulator could not listen on ${options.host}:${port}: ${(error as Error).message}`,
    );
  }
  io.stdout(
    [
      `adwarden emulator listening on ${emulator.origin}`,
      `  production API: ${emulator.url}/`,
      `  sandbox API:    ${emulator.sandboxUrl}/`,
      `  consent page:   ${emulator.origin}/portal/auth?app_id=…&redirect_uri=…&state=…`,
      `  control API:    ${emulator.origin}/__control/state (seed: ${options.seed}, tier: ${options.tier})`,
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await emulator.close();
}
