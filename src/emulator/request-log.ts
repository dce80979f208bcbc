/** One request as the emulator saw it. */
export interface LoggedRequest {
  at: string;
  method: string;
  path: string;
  environment: string;
  appId: string | null;
  advertiserId: string | null;
  /** The TikTok code returned, or the HTTP status when there was no envelope. */
  code: number | null;
  httpStatus: number;
  fault: string | null;
}

/** A bounded log of requests, newest last. */
export function createRequestLog(capacity = 10_000) {
  let entries: LoggedRequest[] = [];
  let total = 0;
  return {
    add(entry: LoggedRequest): void {
      total += 1;
      entries.push(entry);
      if (entries.length > capacity * 1.1) entries = entries.slice(-capacity);
    },
    list(): LoggedRequest[] {
      return entries.slice(-capacity);
    },
    /** Requests seen since the last clear, including those the bounded log dropped. */
    total(): number {
      return total;
    },
    clear(): void {
      entries = [];
      total = 0;
    },
  };
}
