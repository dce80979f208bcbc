// adwarden's library entry: `import { classify, createTikTokClient } from 'adwarden'`.
import './require-node.ts';

export * from './catalog/index.ts';
export * from './tiktok/index.ts';
export { isSecret, Secret } from './vault/index.ts';
