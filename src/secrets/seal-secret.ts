import { randomBytes } from "node:crypto";
import { seal, unseal } from "../sealing/index.js";

/** A secret's value and data key, both sealed; safe to store, never safe to show. */
export interface SealedSecret {
  name: string;
  version: number;
  /** The value under the data key (AES-256-GCM, AAD = name and version). */
  sealedValue: string;
  /** The data key under the master key (AES-256-GCM, AAD = name and version). */
  sealedDataKey: string;
}

const DATA_KEY_BYTES = 32;

// Names can't hold ":" (verifySecretName), so name and version never run together.
const valueAad = (name: string, version: number) => `leash-secret-value:${name}:${version}`;
const dataKeyAad = (name: string, version: number) => `leash-secret-data-key:${name}:${version}`;

/**
 * Seals `value` under a fresh 256-bit data key — one per secret and version, so a leaked
 * data key opens one version of one secret — and wraps that key with `masterKey`. Both
 * ciphertexts are bound to the name and version: a row copied onto another does not open.
 */
export function sealSecret(
  masterKey: Buffer,
  name: string,
  value: string,
  version = 1,
): SealedSecret {
  const dataKey = randomBytes(DATA_KEY_BYTES);
  try {
    return {
      name,
      version,
      sealedValue: seal(dataKey, Buffer.from(value, "utf8"), valueAad(name, version)),
      sealedDataKey: seal(masterKey, dataKey, dataKeyAad(name, version)),
    };
  } finally {
    dataKey.fill(0);
  }
}

/**
 * The value of a sealed secret. Throws ERR_SEALING_UNSEAL_FAILED on a wrong master key, a
 * tampered or swapped row: fail closed, nothing is released.
 */
export function openSecret(masterKey: Buffer, sealed: SealedSecret): string {
  const dataKey = unwrapDataKey(masterKey, sealed);
  try {
    return unseal(dataKey, sealed.sealedValue, valueAad(sealed.name, sealed.version)).toString(
      "utf8",
    );
  } finally {
    dataKey.fill(0);
  }
}

/** The data key re-wrapped from `oldKey` to `newKey`; the sealed value is left as it is. */
export function rewrapDataKey(oldKey: Buffer, newKey: Buffer, sealed: SealedSecret): string {
  const dataKey = unwrapDataKey(oldKey, sealed);
  try {
    return seal(newKey, dataKey, dataKeyAad(sealed.name, sealed.version));
  } finally {
    dataKey.fill(0);
  }
}

function unwrapDataKey(masterKey: Buffer, sealed: SealedSecret): Buffer {
  return unseal(masterKey, sealed.sealedDataKey, dataKeyAad(sealed.name, sealed.version));
}
