/** A package-lock.json (v3) holding `names` at 1.0.0, its root depending on `rootDependencies`. */
export function npmLockfile(
  names: readonly string[],
  rootDependencies: Record<string, string> = {},
): string {
  return JSON.stringify({
    lockfileVersion: 3,
    packages: {
      "": Object.keys(rootDependencies).length > 0 ? { dependencies: rootDependencies } : {},
      ...Object.fromEntries(names.map((n) => [`node_modules/${n}`, { version: "1.0.0" }])),
    },
  });
}

/** An npm audit (v2) report with one critical advisory, against `name`. */
export function criticalNpmAudit(name = "evil-pkg"): Record<string, unknown> {
  return {
    auditReportVersion: 2,
    vulnerabilities: {
      [name]: { name, severity: "critical", via: [{ source: 1, severity: "critical" }] },
    },
  };
}
