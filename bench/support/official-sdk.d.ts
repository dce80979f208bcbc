// TikTok's official JS SDK ships no types; the benchmark uses two of its classes.
declare module 'tiktok-business-api-sdk-official' {
  export class ApiClient {
    basePath: string;
  }
  export class AccountManagementApi {
    constructor(client: ApiClient);
    advertiserInfo(
      advertiserIds: readonly string[],
      accessToken: string,
      options: Record<string, unknown>,
      callback: (error: unknown, data: { code?: number }) => void,
    ): void;
  }
}
