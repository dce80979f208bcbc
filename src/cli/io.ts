/** Everything a command touches outside itself, so commands run the same in a test as in a terminal. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads all of standard input. */
  readStdin(): Promise<string>;
  /** Environment for the config loader; absent means the real one (read only by src/config). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  now(): number;
}

const MAX_STDIN_BYTES = 16 * 1024 * 1024;

/** The real process's IO. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of process.stdin) {
        size += (chunk as Buffer).length;
        if (size > MAX_STDIN_BYTES)
          throw new RangeError(`standard input is larger than ${MAX_STDIN_BYTES / 1024 / 1024} MB`);
        chunks.push(chunk as Buffer);
      }
      return Buffer.concat(chunks).toString('utf8');
    },
    cwd: process.cwd(),
    now: () => Date.now(),
  };
}
