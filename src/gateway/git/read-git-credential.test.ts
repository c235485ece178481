import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readGitCredential } from "./read-git-credential.js";

const basic = (userPass: string) => `Basic ${Buffer.from(userPass).toString("base64")}`;

describe("readGitCredential", () => {
  const cases: [string, string | null, string | undefined][] = [
    ["a Bearer header", "Bearer eyJ.abc.def", "eyJ.abc.def"],
    ["a lower-case scheme", "bearer eyJ.abc.def", "eyJ.abc.def"],
    ["the Basic password, any username", basic("x-access-token:eyJ.abc.def"), "eyJ.abc.def"],
    ["a Basic password holding a colon", basic("u:a:b"), "a:b"],
    ["no header", null, undefined],
    ["a Basic username without password", basic("eyJ.abc.def"), undefined],
    ["an empty Basic password", basic("user:"), undefined],
    ["another scheme", "Token eyJ.abc.def", undefined],
    ["a Bearer with spaces inside", "Bearer a b", undefined],
  ];
  for (const [name, header, expected] of cases) {
    it(`reads ${name}`, () => assert.equal(readGitCredential(header), expected));
  }
});
