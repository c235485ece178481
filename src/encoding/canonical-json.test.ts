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

test("canonical JSON orders keys by UTF-16 code units (RFC 8785 §3.2.3)", () => {
  const input = {
    "\u20ac": "Euro Sign",
    "\r": "Carriage Return",
    "\ufb33": "Hebrew Letter Dalet With Dagesh",
    "1": "One",
    "\ud83d\ude00": "Emoji: Grinning Face",
    "\u0080": "Control",
    "\u00f6": "Latin Small Letter O With Diaeresis",
  };
  const expected = [
    '{"\\r":"Carriage Return"',
    '"1":"One"',
    '"\u0080":"Control"',
    '"\u00f6":"Latin Small Letter O With Diaeresis"',
    '"\u20ac":"Euro Sign"',
    '"\ud83d\ude00":"Emoji: Grinning Face"',
    '"\ufb33":"Hebrew Letter Dalet With Dagesh"}',
  ].join(",");
  assert.equal(toCanonicalJson(input), expected);
});

/** The plain form of the rules (entries, sort, join): the fast form must agree with it. */
function reference(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => reference(v ?? null)).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(",")}}`;
}

test("canonical JSON agrees with the plain form on 500 generated records", () => {
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const keys = ["a", "B", "é", "\u20ac", "10", "2", "_", "key with space", "\ud83d\ude00"];
  const make = (depth: number): unknown => {
    const r = next();
    if (depth > 3 || r < 0.3)
      return [null, true, false, 0, -1.5, 1e21, 'x\n"y', undefined][Math.floor(next() * 8)];
    if (r < 0.6) return Array.from({ length: Math.floor(next() * 4) }, () => make(depth + 1));
    const o: Record<string, unknown> = {};
    for (let i = 0; i < 4; i++)
      o[keys[Math.floor(next() * keys.length)] as string] = make(depth + 1);
    return o;
  };
  for (let i = 0; i < 500; i++) {
    const value = { record: make(0) };
    assert.equal(toCanonicalJson(value), reference(value));
  }
});
