import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { Secret } from './secret.ts';

const VERSION = 'adw1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Where a sealed value lives: the row and purpose it is bound to (AES-GCM associated data). */
export interface SealContext {
  /** Table (or other namespace) of the row. */
  table: string;
  rowId: string;
  purpose: string;
}

/** A sealed value cannot be opened: wrong row or purpose, unknown key, or tampering. `code` is `ADW_VAULT_OPEN_FAILED`. */
export class VaultError extends Error {
  override readonly name = 'VaultError';
  readonly code = 'ADW_VAULT_OPEN_FAILED';
}

/** Encryption keys by id, one active for sealing; the others still open what they sealed. */
export interface KeyRing {
  readonly activeKeyId: string;
  readonly keyIds: readonly string[];
  /** Encrypts `plain` bound to `context` with the active key. */
  seal(plain: string | Secret, context: SealContext): string;
  /** Decrypts a sealed value; the context must be the one it was sealed with. @throws VaultError */
  open(sealed: string, context: SealContext): Secret;
  /** The id of the key a sealed value was made with. */
  keyIdOf(sealed: string): string;
}

/** A key's id: the first 12 hex digits of its SHA-256, so ids need no storage and never collide in practice. */
export function keyIdFor(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

/** A fresh random 32-byte key. */
export function generateKey(): Buffer {
  return randomBytes(32);
}

/**
 * AES-256-GCM sealing with a key id and associated data (key id + table + row id + purpose), so a
 * sealed value moved to another row or purpose fails to open.
 * Format: `adw1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts).
 */
export function createKeyRing(active: Buffer, previous: readonly Buffer[] = []): KeyRing {
  const keys = new Map<string, Buffer>();
  for (const key of [active, ...previous]) {
    if (key.length !== 32) throw new RangeError('every vault key must be 32 bytes');
    keys.set(keyIdFor(key), key);
  }
  const activeKeyId = keyIdFor(active);
  const aad = (keyId: string, c: SealContext) =>
    Buffer.from(`${VERSION}|${keyId}|${c.table}|${c.rowId}|${c.purpose}`);

  return {
    activeKeyId,
    keyIds: [...keys.keys()],
    seal(plain, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', active, iv);
      cipher.setAAD(aad(activeKeyId, context));
      const text = plain instanceof Secret ? plain.reveal() : plain;
      const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
      return [VERSION, activeKeyId, iv, body, cipher.getAuthTag()]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.');
    },
    open(sealed, context) {
      const parts = sealed.split('.');
      if (parts.length !== 5 || parts[0] !== VERSION) throw new VaultError('not a sealed value');
      const [, keyId = '', iv = '', body = '', tag = ''] = parts;
      const key = keys.get(keyId);
      if (!key) {
        throw new VaultError(
          `sealed with key ${keyId}, which this key ring does not hold (it has ${[...keys.keys()].join(', ')})`,
        );
      }
      const ivBytes = Buffer.from(iv, 'base64url');
      const tagBytes = Buffer.from(tag, 'base64url');
      if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES)
        throw new VaultError('malformed sealed value');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, ivBytes);
        decipher.setAAD(aad(keyId, context));
        decipher.setAuthTag(tagBytes);
        const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
        return new Secret(plain.toString('utf8'));
      } catch {
        throw new VaultError(
          `cannot open the sealed ${context.purpose} of ${context.table} ${context.rowId}: it was sealed for another row or purpose, or altered`,
        );
      }
    },
    keyIdOf(sealed) {
      const parts = sealed.split('.');
      if (parts.length !== 5 || parts[0] !== VERSION) throw new VaultError('not a sealed value');
      return parts[1] ?? '';
    },
  };
}
