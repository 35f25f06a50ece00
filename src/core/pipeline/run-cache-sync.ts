// `push/pull/fetch --run-cache` (docs/formats.md §7.4): run-cache entries travel as `runs/<kk>/<key>/<value>`
// under the remote's root, with the same relative paths as in `<cache>/runs/`; the output objects they record
// travel with them, so a teammate's repro can restore the run.
import { promises as fs } from "node:fs";
import { join } from "node:path";
import { errCode, writeFileAtomic } from "../../fsx/atomic.js";
import type { RemoteStore } from "../../remote/types.js";
import type { Output } from "../../tracking/output.js";
import { parseYaml } from "../../util/yaml.js";
import { runPoolSettled } from "../../util/pool.js";
import type { Repo } from "../repo.js";
import { runsDir } from "./run-cache.js";

const KEY = /^runs\/[0-9a-f]{2}\/[0-9a-f]{64}\/[0-9a-f]{64}$/;

/** Run-cache entries in the local cache, as remote keys ("runs/kk/key/value"). */
export async function localRunCacheKeys(repo: Repo): Promise<string[]> {
  const root = runsDir(repo);
  const keys: string[] = [];
  const list = async (dir: string): Promise<string[]> =>
    fs
      .readdir(dir)
      .catch((err: unknown) => (errCode(err) === "ENOENT" || errCode(err) === "ENOTDIR" ? [] : Promise.reject(err)));
  for (const kk of await list(root)) {
    for (const key of await list(join(root, kk))) {
      for (const value of await list(join(root, kk, key))) {
        const k = `runs/${kk}/${key}/${value}`;
        if (KEY.test(k)) keys.push(k);
      }
    }
  }
  return keys.sort();
}

/** The output objects recorded by run-cache entries, as outputs for the transfer planner. */
export async function runCacheOutputs(repo: Repo, keys: string[]): Promise<Output[]> {
  const outputs: Output[] = [];
  for (const key of keys) {
    const file = join(runsDir(repo), key.slice("runs/".length));
    let data: unknown;
    try {
      data = parseYaml(await fs.readFile(file, "utf8"), file);
    } catch {
      continue; // unreadable entries are skipped (repro deletes them when it meets them)
    }
    const outs = (data as { outs?: unknown } | null)?.outs;
    if (!Array.isArray(outs)) continue;
    for (const o of outs as Array<Record<string, unknown>>) {
      if (typeof o.md5 !== "string" || typeof o.path !== "string") continue;
      outputs.push({
        path: `${key}:${o.path}`,
        owner: key,
        hash: { name: o.hash === "md5" ? "md5" : "md5-dos2unix", value: o.md5 },
        cache: true,
        push: true,
      });
    }
  }
  return outputs;
}

/** Uploads the entries the remote lacks; returns how many were sent. */
export async function pushRunCache(repo: Repo, store: RemoteStore, jobs: number): Promise<number> {
  const local = await localRunCacheKeys(repo);
  const remote = new Set<string>();
  for await (const k of store.list("runs/")) remote.add(k);
  const missing = local.filter((k) => !remote.has(k));
  const errors = await runPoolSettled(missing.length, jobs, async (i) => {
    const path = join(runsDir(repo), missing[i]!.slice("runs/".length));
    await store.put(missing[i]!, path, (await fs.stat(path)).size);
  });
  if (errors.length > 0) throw errors[0]!.error;
  return missing.length;
}

/** Downloads the entries the local cache lacks; returns their keys. */
export async function pullRunCache(repo: Repo, store: RemoteStore, jobs: number): Promise<string[]> {
  const local = new Set(await localRunCacheKeys(repo));
  const wanted: string[] = [];
  for await (const k of store.list("runs/")) if (KEY.test(k) && !local.has(k)) wanted.push(k);
  wanted.sort();
  await fs.mkdir(repo.tmpDir, { recursive: true });
  const errors = await runPoolSettled(wanted.length, jobs, async (i) => {
    const key = wanted[i]!;
    const tmp = join(repo.tmpDir, `run-cache-${key.slice(-64)}-${i}`);
    try {
      await store.get(key, tmp);
      const text = await fs.readFile(tmp, "utf8");
      parseYaml(text, key); // refuses what is not YAML before it enters the cache
      await writeFileAtomic(join(runsDir(repo), key.slice("runs/".length)), text);
    } finally {
      await fs.rm(tmp, { force: true });
    }
  });
  if (errors.length > 0) throw errors[0]!.error;
  return wanted;
}
