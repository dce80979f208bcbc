import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { eventually } from './webhook-sink.ts';

const SINK = fileURLToPath(new URL('./smtp-sink.ts', import.meta.url));

/** One message the SMTP server received. */
export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  raw: string;
  /** The user name the client signed in with, if it did. */
  user: string | null;
}

/** Starts the test SMTP server (test/support/smtp-sink.ts) in its own process; it records every message. */
export async function startSmtpProcess() {
  const child = spawn(process.execPath, [SINK], { stdio: ['ignore', 'pipe', 'inherit'] });
  const mails: ReceivedMail[] = [];
  let port = 0;
  let buffer = '';
  child.stdout!.on('data', (chunk) => {
    buffer += chunk;
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      const line = JSON.parse(buffer.slice(0, i));
      buffer = buffer.slice(i + 1);
      if ('port' in line) port = line.port;
      else mails.push(line);
    }
  });
  await eventually(() => port, 'the SMTP server');
  return {
    port,
    mails,
    stop() {
      child.kill('SIGTERM');
    },
  };
}
