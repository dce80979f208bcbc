import { createEmulator, loadScenario, type Scenario, ScenarioError } from '../../emulator/index.ts';
import type { CliIo } from '../io.ts';
import { UserError } from '../user-error.ts';

/** Options of `adwarden emulator`. */
export interface EmulatorCommandOptions {
  port: string;
  host: string;
  seed: string;
  scenario?: string;
  speed: string;
  tier: 'basic' | 'advanced' | 'premium' | 'ultimate' | 'none';
}

/** `adwarden emulator`: serves the TikTok look-alike until interrupted. */
export async function emulatorCommand(options: EmulatorCommandOptions, io: CliIo): Promise<void> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new UserError('ADW_USAGE', `--port ${options.port} is not a port (0-65535)`, 2);
  const speed = Number(options.speed);
  if (!(speed > 0) || speed > 1_000_000)
    throw new UserError('ADW_USAGE', `--speed ${options.speed} is not a positive factor`, 2);
  const scenario = options.scenario === undefined ? undefined : await scenarioFrom(options.scenario);
  let emulator: Awaited<ReturnType<typeof createEmulator>>;
  try {
    emulator = await createEmulator({
      port,
      host: options.host,
      seed: options.seed,
      tier: options.tier,
      speed,
      scenario,
    });
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof ScenarioError) throw new UserError('ADW_EMULATOR_SCENARIO', message, 2);
    if (message.startsWith('seed file')) throw new UserError('ADW_EMULATOR_SEED', message, 2);
    throw new UserError(
      'ADW_EMULATOR_START',
      `the emulator could not listen on ${options.host}:${port}: ${message}`,
    );
  }
  io.stdout(
    [
      `adwarden emulator listening on ${emulator.origin}`,
      `  production API: ${emulator.url}/`,
      `  sandbox API:    ${emulator.sandboxUrl}/`,
      `  consent page:   ${emulator.origin}/portal/auth?app_id=…&redirect_uri=…&state=…`,
      `  control API:    ${emulator.origin}/__control/state (seed: ${options.seed}, tier: ${options.tier})`,
      ...(scenario
        ? [
            `  scenario:       ${scenario.name} (${scenario.steps.length} steps) — ${emulator.origin}/__control/scenario`,
          ]
        : []),
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

async function scenarioFrom(nameOrPath: string): Promise<Scenario> {
  try {
    return await loadScenario(nameOrPath);
  } catch (error) {
    if (error instanceof ScenarioError) throw new UserError('ADW_EMULATOR_SCENARIO', error.message, 2);
    throw error;
  }
}
