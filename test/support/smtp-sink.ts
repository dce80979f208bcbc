// A real SMTP server in its own process (what an email channel talks to in tests). Prints
// {"port":N} once listening, then one JSON line per message received: envelope, subject, body.
import { SMTPServer } from 'smtp-server';

const server = new SMTPServer({
  authOptional: true,
  // Channels whose URL carries a user and password sign in; any credentials are accepted, on plain TCP.
  allowInsecureAuth: true,
  onAuth(auth, _session, callback) {
    callback(null, { user: auth.username });
  },
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      // Quoted-printable, decoded enough to read (soft line breaks and =XX escapes).
      const decode = (text: string) =>
        Buffer.from(
          text
            .replace(/=\r?\n/g, '')
            .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
          'latin1',
        ).toString('utf8');
      const message = Buffer.concat(chunks).toString('utf8');
      const raw = decode(message);
      // The subject is read from the message as sent: a long one is folded into several encoded
      // words, and decoding the body's soft line breaks first would break them.
      const header = /^Subject: (.*(?:\r?\n[ \t].*)*)$/m.exec(message)?.[1] ?? '';
      const subject = header
        .replace(/\?=\s+=\?UTF-8\?Q\?/gi, '')
        .replace(/\r?\n[ \t]/g, ' ')
        .replace(/=\?UTF-8\?Q\?(.*?)\?=/gi, (_, q: string) => decode(q.replace(/_/g, ' ')));
      process.stdout.write(
        `${JSON.stringify({
          from: session.envelope.mailFrom === false ? null : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          subject,
          raw,
          user: typeof session.user === 'string' ? session.user : null,
        })}\n`,
      );
      callback();
    });
  },
});
server.listen(0, '127.0.0.1', () => {
  const address = server.server.address();
  process.stdout.write(
    `${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`,
  );
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
