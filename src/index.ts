// adwarden's library entry: `import { classify } from 'adwarden'`.
export * from './catalog/index.ts';
export { isSecret, Secret } from './vault/secret.ts';
