import { createErrorFactory, type ErrorTable } from "../errors/index.js";

export const CONFIG_ERRORS = {
  ERR_CONFIG_NOT_FOUND: { status: 500, error: "server_error" },
  ERR_CONFIG_INVALID: { status: 500, error: "server_error" },
} as const satisfies ErrorTable;

export const configError = createErrorFactory(CONFIG_ERRORS);

/** One problem found in leash.yaml, located by its key path (`trust[2].claims.ref`). */
export interface ConfigProblem {
  path: string;
  message: string;
}

/** Renders a key path the way a person finds it in YAML: `trust[2].claims.ref`. */
export function formatKeyPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "(top level)" : out;
}

/** One error for all problems, each on its own line, so a person fixes them in one pass. */
export function invalidConfig(file: string, problems: ConfigProblem[]) {
  const lines = problems.map((p) => `  ${p.path}: ${p.message}`).join("\n");
  return configError("ERR_CONFIG_INVALID", `${file} is not a valid leash config:\n${lines}`, {
    file,
    problems,
  });
}
