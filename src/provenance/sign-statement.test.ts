import assert from "node:assert/strict";
import { generateKeyPairSync, sign } from "node:crypto";
import { describe, test } from "node:test";
import { bundleFromJSON } from "@sigstore/bundle";
import { PublicKeyDetails, TrustedRoot } from "@sigstore/protobuf-specs";
import { toSignedEntity, toTrustMaterial, Verifier } from "@sigstore/verify";
import { hasCode } from "../errors/index.js";
import {
  createSlsaProvenance,
  type DsseEnvelope,
  type DsseSigner,
  type InTotoStatement,
  signStatement,
  toPreAuthEncoding,
  toSigstoreBundle,
  type VerificationKey,
  verifyEnvelope,
} from "./index.js";

function createKey(keyid: string): { signer: DsseSigner; key: VerificationKey } {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const signer = {
    keyid,
    sign: (data: Uint8Array) => sign("sha256", data, { key: privateKey, dsaEncoding: "der" }),
  };
  return { signer, key: { keyid, publicKey } };
}

const JOB = {
  issuer: "https://token.actions.githubusercontent.com",
  repository: "acme/app",
  repositoryId: "1001",
  ownerId: "2002",
  ref: "refs/tags/v1.2.3",
  sha: "0123456789abcdef0123456789abcdef01234567",
  workflowRef: "acme/app/.github/workflows/release.yml@refs/tags/v1.2.3",
  runId: "42",
  runAttempt: "1",
  runnerEnvironment: "github-hosted",
  builderId: "https://leash.example/builder/acme/app/.github/workflows/release.yml",
};
const DIGEST = "a".repeat(64);

function createStatement(): InTotoStatement {
  return createSlsaProvenance(JOB, { name: "app.tgz", digest: `sha256:${DIGEST}` }, {});
}

describe("signStatement / verifyEnvelope", () => {
  const a = createKey("leash-2026-01");
  const b = createKey("leash-2026-02");

  test("round-trips a statement", () => {
    const envelope = signStatement(createStatement(), a.signer);
    assert.equal(envelope.payloadType, "application/vnd.in-toto+json");
    assert.deepEqual(verifyEnvelope(envelope, [b.key, a.key]), createStatement());
  });

  test("PAE is DSSEv1 SP len(type) SP type SP len(body) SP body", () => {
    const pae = toPreAuthEncoding("http://example.com/HelloWorld", Buffer.from("hello world"));
    assert.equal(pae.toString(), "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  });

  const tamperPayload = (e: DsseEnvelope): DsseEnvelope => {
    const st = JSON.parse(Buffer.from(e.payload, "base64").toString());
    st.subject[0].digest.sha256 = "b".repeat(64);
    return { ...e, payload: Buffer.from(JSON.stringify(st)).toString("base64") };
  };
  const cases: {
    name: string;
    mutate: (e: DsseEnvelope) => DsseEnvelope;
    keys: () => VerificationKey[];
    code: string;
  }[] = [
    {
      name: "tampered payload",
      mutate: tamperPayload,
      keys: () => [a.key],
      code: "ERR_PROVENANCE_SIGNATURE_INVALID",
    },
    {
      name: "wrong key under the same keyid",
      mutate: (e) => e,
      keys: () => [{ keyid: a.key.keyid, publicKey: b.key.publicKey }],
      code: "ERR_PROVENANCE_SIGNATURE_INVALID",
    },
    {
      name: "unknown keyid",
      mutate: (e) => e,
      keys: () => [b.key],
      code: "ERR_PROVENANCE_UNKNOWN_KEY",
    },
    {
      name: "payload type swapped",
      mutate: (e) => ({ ...e, payloadType: "text/plain" as never }),
      keys: () => [a.key],
      code: "ERR_PROVENANCE_SIGNATURE_INVALID",
    },
    {
      name: "no signatures",
      mutate: (e) => ({ ...e, signatures: [] }),
      keys: () => [a.key],
      code: "ERR_PROVENANCE_MALFORMED",
    },
    {
      name: "not an object",
      mutate: () => "x" as never,
      keys: () => [a.key],
      code: "ERR_PROVENANCE_MALFORMED",
    },
  ];
  for (const c of cases) {
    test(`refuses: ${c.name}`, () => {
      const envelope = c.mutate(signStatement(createStatement(), a.signer));
      assert.throws(
        () => verifyEnvelope(envelope, c.keys()),
        (err) => hasCode(err, c.code),
      );
    });
  }

  test("a signed non-JSON payload is malformed, not trusted", () => {
    const body = Buffer.from("not json");
    const pae = toPreAuthEncoding("application/vnd.in-toto+json", body);
    const envelope: DsseEnvelope = {
      payloadType: "application/vnd.in-toto+json",
      payload: body.toString("base64"),
      signatures: [{ keyid: a.key.keyid, sig: Buffer.from(a.signer.sign(pae)).toString("base64") }],
    };
    assert.throws(
      () => verifyEnvelope(envelope, [a.key]),
      (e) => hasCode(e, "ERR_PROVENANCE_MALFORMED"),
    );
  });
});

describe("createSlsaProvenance", () => {
  test("builds SLSA provenance v1 from the job", () => {
    const st = createStatement();
    assert.equal(st.predicateType, "https://slsa.dev/provenance/v1");
    assert.deepEqual(st.subject, [{ name: "app.tgz", digest: { sha256: DIGEST } }]);
    const p = st.predicate as {
      buildDefinition: { externalParameters: { workflow: unknown }; resolvedDependencies: unknown };
      runDetails: { builder: { id: string }; metadata: { invocationId: string } };
    };
    assert.deepEqual(p.buildDefinition.externalParameters.workflow, {
      ref: JOB.ref,
      repository: "https://github.com/acme/app",
      path: ".github/workflows/release.yml",
    });
    assert.deepEqual(p.buildDefinition.resolvedDependencies, [
      { uri: `git+https://github.com/acme/app@${JOB.ref}`, digest: { gitCommit: JOB.sha } },
    ]);
    assert.equal(p.runDetails.builder.id, JOB.builderId);
    assert.equal(
      p.runDetails.metadata.invocationId,
      "https://github.com/acme/app/actions/runs/42/attempts/1",
    );
  });

  for (const digest of [
    "sha256:abc",
    "md5:" + "a".repeat(32),
    "a".repeat(64),
    `sha512:${"a".repeat(64)}`,
  ]) {
    test(`refuses digest ${digest.slice(0, 12)}…`, () => {
      assert.throws(
        () => createSlsaProvenance(JOB, { digest }),
        (e) => hasCode(e, "ERR_PROVENANCE_MALFORMED"),
      );
    });
  }
});

describe("toSigstoreBundle", () => {
  const a = createKey("leash-2026-01");

  function createPublicKeyVerifier(key: VerificationKey): Verifier {
    const root = TrustedRoot.fromJSON({
      mediaType: "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
      tlogs: [],
      certificateAuthorities: [],
      ctlogs: [],
      timestampAuthorities: [],
    });
    const rawBytes = key.publicKey.export({ format: "der", type: "spki" });
    const keys = {
      [key.keyid]: {
        rawBytes,
        keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256,
        validFor: undefined,
      },
    };
    // leash's bundles carry no log entry or timestamp: leash's published key is the root.
    return new Verifier(toTrustMaterial(root, keys), {
      tlogThreshold: 0,
      ctlogThreshold: 0,
      timestampThreshold: 0,
    });
  }

  test("is a well-formed v0.3 bundle that @sigstore/verify verifies against leash's key", () => {
    const bundle = toSigstoreBundle(signStatement(createStatement(), a.signer), a.key.keyid);
    assert.equal(bundle.mediaType, "application/vnd.dev.sigstore.bundle.v0.3+json");
    const parsed = bundleFromJSON(JSON.parse(JSON.stringify(bundle)));
    const signer = createPublicKeyVerifier(a.key).verify(toSignedEntity(parsed));
    assert.equal(signer.key.asymmetricKeyType, "ec");
  });

  test("@sigstore/verify refuses it when the payload was changed", () => {
    const bundle = toSigstoreBundle(signStatement(createStatement(), a.signer), a.key.keyid);
    const other = signStatement(
      { ...createStatement(), predicateType: "https://example/x" },
      a.signer,
    );
    const forged = { ...bundle, dsseEnvelope: { ...bundle.dsseEnvelope, payload: other.payload } };
    assert.throws(() =>
      createPublicKeyVerifier(a.key).verify(toSignedEntity(bundleFromJSON(forged))),
    );
  });
});
