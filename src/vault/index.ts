export { type KeyFile, KeyFileError, keyFilePath, loadOrCreateKeyFile, writeKeyFile } from './key-file.ts';
export {
  createKeyRing,
  generateKey,
  type KeyRing,
  keyIdFor,
  type SealContext,
  VaultError,
} from './key-ring.ts';
export {
  type KeyRingSource,
  type KeySettings,
  keyRingSource,
  SecretKeyRequiredError,
} from './key-ring-source.ts';
export {
  type RotationReport,
  resealAll,
  type SealedValueStorage,
  type StoredSealedValue,
} from './rotate-keys.ts';
export { isSecret, Secret } from './secret.ts';
