// Types for the plain-JavaScript launcher helpers, for the TypeScript that imports them (benchmarks).
export declare const SERVICE_NODE_ARGS: readonly string[];
export declare function isModernNode(version: string): boolean;
export declare function modernNodePath(): string;
export declare function runOnModernNode(
  script: string,
  args: string[],
  options?: { nodeArgs?: readonly string[] },
): Promise<void>;
