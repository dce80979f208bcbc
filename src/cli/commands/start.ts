import type { Config } from '../../config/index.ts';
import type { CliIo } from '../io.ts';
import { serveCommand } from './serve.ts';

/**
 * `adwarden start` (what `npm start` runs): serve when a TikTok app is configured, otherwise the demo.
 * Until the demo lands, without an app it says what is available and exits 0.
 */
export async function startCommand(config: Config, io: CliIo, version: string): Promise<void> {
  if (config.tiktok) {
    io.stdout(
      `adwarden ${version}: a TikTok app is configured (${config.tiktok.appId}, ${config.tiktok.environment}); serving.\n`,
    );
    return serveCommand(config, {}, io);
  }
  const configured =
    'No TikTok app is configured: set ADWARDEN_TIKTOK_APP_ID and ADWARDEN_TIKTOK_APP_SECRET for npm start to serve it, or register apps with adwarden apps add and run adwarden serve.';
  io.stdout(
    [
      `adwarden ${version}`,
      configured,
      '',
      'The monitor and the demo are not part of this build yet. Available now:',
      '  adwarden serve                             the service: connect advertisers, verify and repair their tokens',
      '  adwarden explain <code | "message" | ->   what a TikTok return code or response means, and what to do',
      '  adwarden doctor                            the effective configuration, secrets redacted',
      '  adwarden emulator --scenario demo         a TikTok API look-alike playing two minutes of faults',
      '  adwarden --help                            every command',
      '',
      'Try: npx adwarden explain 40100',
      '',
    ].join('\n'),
  );
}
