import { join } from "node:path";

/**
 * The environment git runs in to read a push: the mirror's objects plus the pushed ones in
 * the quarantine, which alone receives what git writes.
 */
export function toQuarantineEnv(
  gitDir: string,
  quarantineDir: string,
  gitEnv: Readonly<Record<string, string>>,
): Record<string, string> {
  const objects = join(quarantineDir, "objects");
  return {
    ...gitEnv,
    GIT_DIR: gitDir,
    GIT_OBJECT_DIRECTORY: objects,
    GIT_ALTERNATE_OBJECT_DIRECTORIES: join(gitDir, "objects"),
    // git refuses ref updates while this is set: inspection can't change the mirror.
    GIT_QUARANTINE_PATH: objects,
  };
}
