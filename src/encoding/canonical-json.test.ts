import assert from "node:assert/strict";
import { test } from "node:test";
import { toCanonicalJson } from "./canonical-json.js";

test("canonical JSON sorts keys, drops undefined and keeps RFC 8785 number forms", () => {
  const cases: [unknown, string][] = [
    [{ b: 1, a: [true, null, "x"], c: undefined }, '{"a":[true,null,"x"],"b":1}'],
    [{ "\u20ac": 1, "\r": 2, "1": 3 }, '{"\\r":2,"1":3,"\u20ac":1}'],
    [1e21, "1e+21"],
    [0.000001, "0.000001"],
    [-0, "0"],
  ];
  for (const [input, expected] of cases) assert.equal(toCanonicalJson(input), expected);
});

test("canonical JSON refuses values it cannot reproduce", () => {
  assert.throws(() => toCanonicalJson(Number.NaN), TypeError);
  assert.throws(() => toCanonicalJson({ f: () => 1 }), TypeError);
});
