import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hasCode } from "../../errors/index.js";
import { parseGitPath } from "./parse-git-path.js";

const url = (path: string) => new URL(`http://leash.test${path}`);

describe("parseGitPath", () => {
  const served: [string, string, ReturnType<typeof parseGitPath>][] = [
    [
      "GET",
      "/git/acme/app.git/info/refs?service=git-upload-pack",
      { kind: "advertise", repository: "acme/app", service: "git-upload-pack" },
    ],
    [
      "GET",
      "/git/acme/app.git/info/refs?service=git-receive-pack",
      { kind: "advertise", repository: "acme/app", service: "git-receive-pack" },
    ],
    [
      "POST",
      "/git/acme/app.git/git-upload-pack",
      { kind: "rpc", repository: "acme/app", service: "git-upload-pack" },
    ],
    [
      "POST",
      "/git/acme/app/git-receive-pack",
      { kind: "rpc", repository: "acme/app", service: "git-receive-pack" },
    ],
  ];
  for (const [method, path, route] of served) {
    it(`routes ${method} ${path}`, () => assert.deepEqual(parseGitPath(method, url(path)), route));
  }

  const refused: [string, string][] = [
    ["GET", "/git/acme/app.git/info/refs"],
    ["GET", "/git/acme/app.git/info/refs?service=git-upload-archive"],
    ["POST", "/git/acme/app.git/info/refs?service=git-upload-pack"],
    ["GET", "/git/acme/app.git/git-upload-pack"],
    ["GET", "/git/acme/app.git/HEAD"],
    ["GET", "/git/acme/app.git/objects/info/packs"],
    ["POST", "/git/acme/../app.git/git-receive-pack"],
    ["POST", "/git/acme/sub/app.git/git-receive-pack"],
  ];
  for (const [method, path] of refused) {
    it(`refuses ${method} ${path} with ERR_GIT_NOT_FOUND`, () => {
      assert.throws(
        () => parseGitPath(method, url(path)),
        (e) => hasCode(e, "ERR_GIT_NOT_FOUND"),
      );
    });
  }
});
