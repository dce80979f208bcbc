import { runDemo } from '../../demo/run-demo.ts';
import { loadScenario, ScenarioError } from '../../emulator/index.ts';
import { createLogger } from '../../log/index.ts';
import type { CliIo } from '../io.ts';
import { UserError } from '../user-error.ts';

/** Options of `adwarden demo`. */
export interface DemoCommandOptions {
  scenario: string;
  untilDone?: boolean;
  json?: boolean;
  speed: string;
  port?: string;
  /** The operator's data dir (npm start): management commands run meanwhile talk to the demo. */
  dataDir?: string;
}

/**
 * `adwarden demo`: the monitor against the built-in emulator on an accelerated clock, with a scenario.
 * Without `--until-done` it runs until interrupted, printing what happens; with it, it ends with a
 * report (the last line, as JSON with `--json`).
 */
export async function demoCommand(options: DemoCommandOptions, io: CliIo, banner?: string): Promise<void> {
  const speed = Number(options.speed);
  if (!(speed > 0) || speed > 1_000)
    throw new UserError('ADW_USAGE', `--speed ${options.speed} is not a factor between 0 and 1000`, 2);
  const port = options.port === undefined ? 0 : Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new UserError('ADW_USAGE', `--port ${options.port} is not a port (0-65535)`, 2);
  try {
    await loadScenario(options.scenario);
  } catch (error) {
    if (error instanceof ScenarioError || error instanceof Error)
      throw new UserError('ADW_EMULATOR_SCENARIO', (error as Error).message, 2);
    throw error;
  }
  const logger = createLogger({ level: 'error', base: { command: 'demo' } });
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const onSignal = () => stop();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const say = (line: string) => (options.json ? io.stderr(`${line}\n`) : io.stdout(`${line}\n`));
  try {
    const report = await runDemo({
      scenario: options.scenario,
      untilDone: options.untilDone,
      speed,
      port,
      logger,
      stop: stopped,
      dataDir: options.dataDir,
      // What TikTok does, as it happens (the re-auth, the storm…), and when the bad day is over.
      ...(options.untilDone
        ? {}
        : {
            onStep: (step: { clock: string; do: string; note: string | null }) =>
              say(`  ${step.clock}  TikTok: ${step.do}${step.note ? ` — ${step.note}` : ''}`),
            onScenarioDone: () =>
              say(
                '\nThe bad day is over: every step has played. adwarden keeps serving — explore the dashboard (incidents, what was done about them); Ctrl+C to stop.\n',
              ),
          }),
      onReady: (info) => say(readyBanner(info, { banner, speed, options })),
      onNotification: (entry) =>
        say(`  ${entry.clock}  ${entry.headline}${entry.reauthLink ? '  → re-auth link sent' : ''}`),
    });
    if (!report) return;
    if (options.json) {
      io.stdout(`${JSON.stringify(report)}\n`);
      return;
    }
    io.stdout(
      [
        '',
        `Scenario ${report.scenario}${report.timed_out ? ' (timed out before settling)' : ''}: ${report.incidents.length} incidents, ${report.notifications.length} notifications.`,
        ...report.incidents.map(
          (i) =>
            `  ${i.state.padEnd(12)} ${i.severity.padEnd(8)} ${i.kind.padEnd(18)} ${i.subject}${i.actions.length ? `\n${i.actions.map((a) => `      ${a}`).join('\n')}` : ''}`,
        ),
        `API calls: ${report.api_calls.made} made, ${report.api_calls.minimum} needed at least.`,
        '',
      ].join('\n'),
    );
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** What the demo prints once everything listens: where to look, and how to stop. */
function readyBanner(
  info: {
    scenario: string;
    connections: number;
    url: string;
    emulator: string;
    loginLink: string;
    adminToken: string;
  },
  at: { banner?: string; speed: number; options: DemoCommandOptions },
): string {
  const { banner, speed, options } = at;
  return [
    ...(banner ? [banner, ''] : []),
    `adwarden demo: scenario "${info.scenario}" at ${speed}× speed, ${info.connections} connections monitored.`,
    `  service  ${info.url}  (API: ${info.url}/api/v1/incidents with the admin token printed below)`,
    `  emulator ${info.emulator}  (TikTok look-alike; its control API is under /__control)`,
    `  dashboard ${info.loginLink}  (one-time sign-in link, valid 15 min)`,
    `  admin token for this throwaway run: ${info.adminToken}`,
    ...(options.dataDir
      ? ['  management commands talk to this demo meanwhile, e.g. npx adwarden incidents list']
      : []),
    options.untilDone ? 'Running until the scenario has played out…' : 'Stop with Ctrl+C.',
    '',
  ].join('\n');
}
