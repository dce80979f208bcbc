import type { Config } from '../../config/index.ts';
import type { CliIo } from '../io.ts';
import { demoCommand } from './demo.ts';
import { serveCommand } from './serve.ts';

/**
 * `adwarden start` (what `npm start` runs): serve when a TikTok app is configured, otherwise the demo.
 * The demo runs until interrupted (Ctrl+C), printing the incidents as they open and resolve.
 */
export async function startCommand(config: Config, io: CliIo, version: string): Promise<void> {
  if (config.tiktok) {
    io.stdout(
      `adwarden ${version}: a TikTok app is configured (${config.tiktok.appId}, ${config.tiktok.environment}); serving.\n`,
    );
    return serveCommand(config, {}, io);
  }
  return demoCommand(
    // The data dir's lock names the demo's URL: `adwarden incidents list` and the like talk to it.
    { scenario: 'demo', speed: '10', dataDir: config.dataDir },
    io,
    [
      `adwarden ${version}: no TikTok app is configured, so this is the demo: the built-in emulator plays a bad day`,
      'and adwarden monitors it. To monitor a real app instead, set ADWARDEN_TIKTOK_APP_ID and',
      'ADWARDEN_TIKTOK_APP_SECRET (npm start then serves it), or register apps with `adwarden apps add`',
      'and run `adwarden serve`. Every command: npx adwarden --help',
    ].join('\n'),
  );
}
