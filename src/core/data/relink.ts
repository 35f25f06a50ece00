// After add/commit with cache.type hardlink or symlink first, the workspace copy is replaced by links
// to the cache (DVC does the same); with reflink/copy the workspace file stays as it is.
import { Linker } from "../../odb/link.js";
import type { Output } from "../../tracking/output.js";
import { applyMaterialize, planMaterialize } from "./materialize.js";
import type { Repo } from "../repo.js";
import type { HashedPath } from "./workspace-hash.js";

export async function relinkOutput(repo: Repo, rel: string, h: HashedPath): Promise<void> {
  const first = repo.linkTypes[0];
  if (first !== "hardlink" && first !== "symlink") return;
  const out: Output = {
    path: rel,
    owner: "",
    hash: h.hash,
    size: h.size,
    cache: true,
    push: true,
    ...(h.isexec ? { isexec: true } : {}),
  };
  const plan = planMaterialize(repo, out, null, h.entries, true);
  await applyMaterialize(repo, { ...plan, remove: [] }, new Linker(repo.linkTypes, repo.umask, repo.tmpDir));
}
