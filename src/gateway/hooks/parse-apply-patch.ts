const FILE_LINE = /^\*\*\* (?:Add File|Update File|Delete File|Move to): (.+)$/gm;

/**
 * The files a Codex `apply_patch` patch touches (`*** Add File:`, `*** Update File:`,
 * `*** Delete File:`, `*** Move to:`), as written in the patch (relative to the cwd, or
 * absolute). Pure; an empty list means the text held no file header.
 */
export function parseApplyPatch(patch: string): string[] {
  return [...new Set([...patch.matchAll(FILE_LINE)].map((m) => (m[1] as string).trim()))];
}
