// The dvc.lock entries of a project's stages as written in the files (floats kept as floats), for the exp hash
// of `exp save` (DVC hashes every stage its commit recorded).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { errCode } from "../../fsx/atomic.js";
import { lockPathFor } from "../../pipeline/lockfile.js";
import { parseYamlDocument } from "../../util/yaml.js";
import type { Project } from "../pipeline/project.js";
import type { Repo } from "../repo.js";

/** Stage name → lock entry, for every stage of the project that has one. */
export async function lockEntries(repo: Repo, project: Project): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const names = new Map<string, Set<string>>();
  for (const s of project.stages.values()) names.set(s.file, (names.get(s.file) ?? new Set()).add(s.name));
  for (const [file, stages] of names) {
    const lock = lockPathFor(file);
    let text: string;
    try {
      text = await readFile(join(repo.root, lock), "utf8");
    } catch (e) {
      if (errCode(e) === "ENOENT") continue;
      throw e;
    }
    const data = parseYamlDocument(text, lock, { keepFloats: true }).toJS({ maxAliasCount: 100 }) as {
      stages?: Record<string, unknown>;
    } | null;
    for (const [name, entry] of Object.entries(data?.stages ?? {})) if (stages.has(name)) out[name] = entry;
  }
  return out;
}
