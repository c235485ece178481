import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { matchGlobOverlap } from "./match-glob-overlap.js";

// [shell glob, control name or literal, could they name one same file?]
const cases: [string, string, boolean][] = [
  ["action.yml", "action.yml", true],
  ["ACTION.YML", "action.yml", true],
  ["act*", "action.yml", true],
  ["*.yml", "action.yml", true],
  ["*.yaml", "action.yml", false],
  ["a?tion.yml", "action.yml", true],
  ["a??tion.yml", "action.yml", false],
  ["[ab]ction.yml", "action.yml", true],
  ["[AB]ction.yml", "action.yml", true],
  ["[!a]ction.yml", "action.yml", false],
  ["[^a]ction.yml", "action.yml", false],
  ["[bc]ction.yml", "action.yml", false],
  ["[z-a]ction.yml", "action.yml", true], // a class leash can't read could match anything
  ["[x", "[x", true], // no closing bracket: literal
  // Against a control name that is itself a glob (`**/*.cedar`).
  ["*", "*.cedar", true],
  ["*.ced*", "*.cedar", true],
  ["deny.ceda[rR]", "*.cedar", true],
  ["deny.c?dar", "*.cedar", true],
  ["*.log", "*.cedar", false],
  ["*.cedar.bak", "*.cedar", false],
  ["x.cedarschema", "*.cedar", false],
  ["*a*b*", "*b*a*", true],
  ["abc", "a*d", false],
  ["", "", true],
  ["", "*", true],
  ["?", "", false],
];

describe("matchGlobOverlap", () => {
  for (const [glob, name, overlaps] of cases) {
    it(`${JSON.stringify(glob)} ${overlaps ? "could name" : "can't name"} ${JSON.stringify(name)}`, () => {
      assert.equal(matchGlobOverlap(glob, name), overlaps);
      assert.equal(matchGlobOverlap(name, glob), overlaps, "symmetric");
    });
  }
});
