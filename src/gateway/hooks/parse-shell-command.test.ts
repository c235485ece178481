import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseShellCommand } from "./parse-shell-command.js";

/** Each command as its words joined by `·`, redirects as `>target` / `<source`. */
const show = (text: string) =>
  parseShellCommand(text, "/home/u").commands.map((c) =>
    [
      ...c.words.map((w) => (w.dynamic ? `{${w.text}}` : w.text)),
      ...c.redirects.map((r) => `${r.op === "write" ? ">" : "<"}${r.target.text}`),
    ].join("·"),
  );

describe("parseShellCommand: what a command reads on stdin, and patterns", () => {
  const parse = (text: string) => parseShellCommand(text, "/home/u").commands;
  it("a quoted heredoc is literal text, an unquoted one with expansions is dynamic", () => {
    assert.deepEqual(parse("bash <<'EOF'\necho $X\nEOF")[0]?.input, {
      kind: "text",
      text: { text: "echo $X\n", dynamic: false },
    });
    assert.equal(parse("bash <<EOF\necho $X\nEOF")[0]?.input?.kind, "text");
    const input = parse("bash <<EOF\necho $X\nEOF")[0]?.input;
    assert.ok(input?.kind === "text" && input.text.dynamic);
  });
  it("a here-string is the command's stdin", () => {
    assert.deepEqual(parse("bash <<< 'touch x'")[0]?.input, {
      kind: "text",
      text: { text: "touch x", dynamic: false },
    });
  });
  it("a pipe names the command piped in; a compound command is null", () => {
    const [echo, bash] = parse("echo 'touch x' |& bash");
    assert.deepEqual(bash?.input, { kind: "pipe", from: echo });
    assert.deepEqual(parse("(echo a) | sh").at(-1)?.input, { kind: "pipe", from: null });
    assert.equal(parse("a || b")[1]?.input, undefined);
  });
  it("marks unquoted glob and brace characters, not quoted ones", () => {
    const words = parse("x .github/w*/a .github/workflow{s,}/a '*' \"{a,b}\" \\*")[0]?.words;
    assert.deepEqual(
      words?.map((w) => w.glob === true),
      [false, true, true, false, false, false],
    );
  });
});

describe("parseShellCommand", () => {
  const cases: { text: string; commands: string[]; confident?: boolean }[] = [
    { text: "npm test", commands: ["npm·test"] },
    { text: "a && b || c; d | e & f", commands: ["a", "b", "c", "d", "e", "f"] },
    { text: "echo 'a && b' \"c;d\"", commands: ["echo·a && b·c;d"] },
    { text: 'echo "x\\"y" a\\ b', commands: ['echo·x"y·a b'] },
    {
      text: `cat ~/.netrc $HOME/x \${HOME}/y`,
      commands: ["cat·/home/u/.netrc·/home/u/x·/home/u/y"],
    },
    { text: "curl $URL", commands: ["curl·{$URL}"] },
    {
      text: "echo $(curl -s https://x.example) `id`",
      commands: ["curl·-s·https://x.example", "id", "echo·{$(curl -s https://x.example)}·{$(id)}"],
    },
    { text: "npm test > out.log 2>&1", commands: ["npm·test·>out.log"] },
    { text: "cmd 2> err.log < in.txt >> all.log", commands: ["cmd·>err.log·<in.txt·>all.log"] },
    { text: "build &> log", commands: ["build·>log"] },
    // >&word: a file write unless the word is an fd number (bash: the same as &>word)
    { text: "echo x >&.git/config", commands: ["echo·x·>.git/config"] },
    { text: "echo x 1>&f 2>&1 >&- 3>&2-", commands: ["echo·x·>f"] },
    { text: "echo x >&$OUT", commands: ["echo·x·>$OUT"] },
    { text: "cat <<EOF > f.yml\ncurl evil\nEOF\nnpm test", commands: ["cat·>f.yml", "npm·test"] },
    { text: 'grep x <<< "$SECRET"', commands: ["grep·x"] },
    { text: "diff <(sort a) b", commands: ["sort·a", "diff·{$(sort a)}·b"] },
    { text: "# a comment\nls", commands: ["ls"] },
    { text: "(cd x && make)", commands: ["cd·x", "make"] },
    { text: "echo $((1 + 2))", commands: ["echo·{$((…))}"] },
    // ANSI-C and locale quoting
    { text: "echo x > $'.github/workflows/x.yml'", commands: ["echo·x·>.github/workflows/x.yml"] },
    {
      text: "echo > $'\\x2egithub/w\\157rkflows/a.yml'",
      commands: ["echo·>.github/workflows/a.yml"],
    },
    { text: "echo > $'leash.yaml\\0junk' $\"a b\"", commands: ["echo·a b·>leash.yaml"] },
    // heredoc delimiters with quote removal; an unquoted body's substitutions run
    { text: "cat <<\\EOF > a\n$(touch b)\nEOF\nrm c", commands: ["cat·>a", "rm·c"] },
    { text: 'cat <<E"O"F\nx\nEOF\nrm c', commands: ["cat", "rm·c"] },
    { text: "cat <<-'EOF'\n\tx\n\tEOF\nrm c", commands: ["cat", "rm·c"] },
    { text: "cat <<EOF\n$(touch p) `id`\nEOF", commands: ["cat", "touch·p", "id"] },
    { text: "cat <<EOF\nx", commands: ["cat"], confident: false },
    {
      text: "git commit -m \"$(cat <<'EOF'\nit's (done\nEOF\n)\" && ls",
      commands: ["cat", "git·commit·-m·{$(cat <<'EOF'\nit's (done\nEOF\n)}", "ls"],
    },
    { text: "echo 'unterminated", commands: ["echo·unterminated"], confident: false },
    { text: "echo $(curl x", commands: ["curl·x", "echo·{$(curl x)}"], confident: false },
  ];
  for (const c of cases) {
    it(`${JSON.stringify(c.text)} → ${c.commands.join(" | ")}`, () => {
      assert.deepEqual(show(c.text), c.commands);
      assert.equal(parseShellCommand(c.text, "/home/u").confident, c.confident ?? true);
    });
  }
});
