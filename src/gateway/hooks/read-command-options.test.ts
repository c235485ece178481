import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ShellWord } from "./parse-shell-command.js";
import { compileOptionSpec, readCommandOptions } from "./read-command-options.js";

const words = (...texts: string[]): ShellWord[] => texts.map((text) => ({ text, dynamic: false }));
/** Each option as `name=value` (`name` for a flag), then the operands after `|`. */
const show = (spec: ReturnType<typeof compileOptionSpec>, ...texts: string[]) => {
  const { options, operands } = readCommandOptions(words(...texts), spec);
  return [
    ...options.map((o) => (o.value ? `${o.name}=${o.value.text}` : o.name)),
    "|",
    ...operands.map((o) => o.text),
  ].join(" ");
};

describe("readCommandOptions", () => {
  const spec = compileOptionSpec("o:i::", {
    output: "o:",
    "output-dir": ":",
    "remote-name": "O",
    "remote-name-all": "O",
    "in-place": "i::",
  });
  const cases: { args: string[]; read: string }[] = [
    // a value: attached, next word, or after a cluster of flags
    { args: ["-oFILE", "u"], read: "o=FILE | u" },
    { args: ["-o", "FILE", "u"], read: "o=FILE | u" },
    { args: ["-sSLo", "FILE", "u"], read: "s S L o=FILE | u" },
    { args: ["-sSLoFILE", "u"], read: "s S L o=FILE | u" },
    // an optional value is only ever attached: the next word stays an operand
    { args: ["-i", "s/a/b/", "f"], read: "i= | s/a/b/ f" },
    { args: ["-pi.bak", "f"], read: "p i=.bak | f" },
    { args: ["--in-place", "f"], read: "i | f" },
    { args: ["--in-place=.bak", "f"], read: "i=.bak | f" },
    // long options: `=value`, the next word, options after operands, `--`
    { args: ["u", "--output=F"], read: "o=F | u" },
    { args: ["u", "--output", "F", "--", "-o", "x"], read: "o=F | u -o x" },
    // abbreviations getopt_long accepts: unique, or all the same option; else unknown
    { args: ["--output-d", "D", "u"], read: "output-dir=D | u" },
    { args: ["--remote-n", "u"], read: "O | u" },
    { args: ["--outp", "F", "u"], read: "outp | F u" },
    // `-` is an operand (stdin); a value missing at the end is undefined
    { args: ["-", "-o"], read: "o | -" },
  ];
  for (const c of cases)
    it(`${c.args.join(" ")} → ${c.read}`, () => assert.equal(show(spec, ...c.args), c.read));

  it("with a complete spec, an unknown long option given without `=` makes the reading unsure", () => {
    const all = compileOptionSpec("o:", {}, "output=o: checkpoint:: checkpoint-action: verbose");
    const read = (...t: string[]) => readCommandOptions(words(...t), all);
    assert.equal(read("--bogus", "x").unsure, true);
    assert.equal(read("--checkp", "x").unsure, true); // ambiguous: getopt refuses it
    assert.equal(read("--bogus=1", "x").unsure, false); // its value is attached
    assert.equal(read("--no-verbose", "x").unsure, false); // rsync's and wget's --no-FLAG
    assert.equal(read("--outp", "F").unsure, false);
    assert.deepEqual(
      read("--checkpoint", "-x").options.map((o) => o.name),
      ["checkpoint", "x"],
    );
    assert.equal(readCommandOptions(words("--bogus", "x"), spec).unsure, false); // not complete
  });

  it("an operand named through a variable is an operand, and a value keeps its flags", () => {
    const { options, operands } = readCommandOptions(
      [
        { text: "$URL", dynamic: true },
        { text: "-o$OUT", dynamic: true },
      ],
      spec,
    );
    assert.deepEqual(operands, [{ text: "$URL", dynamic: true }]);
    assert.deepEqual(options[0]?.value, { text: "$OUT", dynamic: true });
  });
});
