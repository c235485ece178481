import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
} from "node:crypto";
import type { Clock } from "../clock/index.js";
import { createId } from "../encoding/index.js";
import { seal, unseal } from "../sealing/index.js";
import type { SigningKeyRow, Store } from "../store/index.js";
import { MAX_READ_TTL_SECONDS } from "../zones/index.js";
import { capabilityError } from "./capability-errors.js";

/** A leash signing key in memory: private part unsealed once at load, never serialized. */
export interface SigningKey {
  kid: string;
  alg: "ES256";
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

export interface KeyRing {
  /** The key that signs now. Throws ERR_CAPABILITY_NO_SIGNING_KEY before `load`. */
  current(): SigningKey;
  /** A key that may still verify (current, or retired less than the longest TTL ago). */
  verificationKey(kid: string): KeyObject | undefined;
  /** Every public key leash ever signed with, for evidence and checkpoints that outlive a capability. */
  allPublicKeys(): { kid: string; publicKey: KeyObject }[];
  /** A DSSE signer over the current key (ECDSA P-256, DER), for attestations leash signs. */
  dsseSigner(): { keyid: string; sign(data: Uint8Array): Uint8Array };
  /** The JWKS to publish: current and recently retired public keys. */
  jwks(): { keys: Record<string, unknown>[] };
  /** Reads keys from the store, generating the first one if there is none. */
  load(): Promise<void>;
  /**
   * `load` for a token naming a key this ring lacks (another instance may have rotated).
   * Anyone can send such a token, and a load reads the store and unseals every key, so a
   * running load is shared and at most one starts a second; the store watcher brings
   * rotations in anyway (watch-store-changes.ts).
   */
  reloadForUnknownKid(): Promise<void>;
  /** Makes a new current key; the old one keeps verifying until its tokens expire. */
  rotate(): Promise<SigningKey>;
}

const RELOAD_COOLDOWN_MS = 1000;

const aadFor = (kid: string) => `leash-signing-key:${kid}`;

/** Creates the key ring over `store`; private keys are sealed with `kek` at rest. */
export function createKeyRing(opts: { store: Store; kek: Buffer; clock: Clock }): KeyRing {
  let current: SigningKey | undefined;
  let published: { key: SigningKey; retiredMs: number | null }[] = [];
  let everyPublic: { kid: string; publicKey: KeyObject }[] = [];

  const isPublished = (retiredMs: number | null) =>
    retiredMs === null || opts.clock.now() - retiredMs < MAX_READ_TTL_SECONDS * 1000;

  const load = async () => {
    let rows = await opts.store.listSigningKeys();
    if (!rows.some((r) => r.retiredMs === null)) {
      await opts.store.rotateSigningKey(generateRow(opts.kek, opts.clock.now()));
      rows = await opts.store.listSigningKeys();
    }
    published = rows
      .filter((r) => isPublished(r.retiredMs))
      .map((r) => ({ key: toSigningKey(r, opts.kek), retiredMs: r.retiredMs }));
    current = published.filter((p) => p.retiredMs === null).at(-1)?.key;
    everyPublic = rows.map((r) => ({
      kid: r.kid,
      publicKey: createPublicKey({ key: JSON.parse(r.publicJwk), format: "jwk" }),
    }));
  };

  let reload: { startedMs: number; running: Promise<void>; done: boolean } | undefined;
  const reloadForUnknownKid = () => {
    const nowMs = opts.clock.now();
    if (reload && (!reload.done || nowMs - reload.startedMs < RELOAD_COOLDOWN_MS))
      return reload.running;
    const running = load();
    const entry = { startedMs: nowMs, running: running.catch(() => {}), done: false };
    void entry.running.then(() => {
      entry.done = true;
    });
    reload = entry;
    return running;
  };

  return {
    current() {
      if (!current)
        throw capabilityError(
          "ERR_CAPABILITY_NO_SIGNING_KEY",
          "leash has no signing key loaded; the store may be unreachable",
        );
      return current;
    },
    verificationKey: (kid) =>
      published.find((p) => p.key.kid === kid && isPublished(p.retiredMs))?.key.publicKey,
    allPublicKeys: () => everyPublic,
    dsseSigner() {
      const key = this.current();
      return {
        keyid: key.kid,
        sign: (data) => sign("sha256", data, { key: key.privateKey, dsaEncoding: "der" }),
      };
    },
    jwks: () => ({
      keys: published.filter((p) => isPublished(p.retiredMs)).map((p) => p.key.publicJwk),
    }),
    load,
    reloadForUnknownKid,
    async rotate() {
      await opts.store.rotateSigningKey(generateRow(opts.kek, opts.clock.now()));
      await load();
      return this.current();
    },
  };
}

function generateRow(kek: Buffer, nowMs: number): SigningKeyRow {
  const kid = createId("key");
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const der = privateKey.export({ format: "der", type: "pkcs8" });
  return {
    kid,
    alg: "ES256",
    publicJwk: JSON.stringify({
      ...publicKey.export({ format: "jwk" }),
      kid,
      alg: "ES256",
      use: "sig",
    }),
    privateSealed: seal(kek, der, aadFor(kid)),
    createdMs: nowMs,
    retiredMs: null,
  };
}

function toSigningKey(row: SigningKeyRow, kek: Buffer): SigningKey {
  const privateKey = createPrivateKey({
    key: unseal(kek, row.privateSealed, aadFor(row.kid)),
    format: "der",
    type: "pkcs8",
  });
  return {
    kid: row.kid,
    alg: "ES256",
    privateKey,
    publicKey: createPublicKey(privateKey),
    publicJwk: JSON.parse(row.publicJwk) as Record<string, unknown>,
  };
}

/**
 * The row's private key re-sealed under `newKek`, for a master-key rotation. Throws
 * ERR_SEALING_UNSEAL_FAILED when `oldKek` did not seal it. The key is never returned.
 */
export function rewrapSigningKey(row: SigningKeyRow, oldKek: Buffer, newKek: Buffer): string {
  const der = unseal(oldKek, row.privateSealed, aadFor(row.kid));
  try {
    return seal(newKek, der, aadFor(row.kid));
  } finally {
    der.fill(0);
  }
}
