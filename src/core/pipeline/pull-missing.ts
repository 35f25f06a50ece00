// `repro --pull`: fetch from the default remote what a stage needs and the cache lacks (its dependencies'
// objects, the outputs a lock or run-cache entry records), instead of failing or re-running the stage.
// The remote is opened on first need, once per run.
import type { Output } from "../../tracking/output.js";
import { downloadObjects } from "../data/transfer.js";
import { usedObjects } from "../data/used-objects.js";
import { openRemoteFor, type RemoteSession } from "../remote-session.js";
import type { Repo } from "../repo.js";
import { pullRunCache } from "./run-cache-sync.js";

export class MissingPuller {
  private session: Promise<RemoteSession> | undefined;
  constructor(private readonly repo: Repo) {}

  private open(): Promise<RemoteSession> {
    return (this.session ??= openRemoteFor(this.repo, undefined, undefined));
  }

  /** Downloads the run-cache entries the local cache lacks. */
  async runCache(): Promise<void> {
    const s = await this.open();
    await pullRunCache(this.repo, s.store, s.jobs);
  }

  /** Downloads the objects of `outputs` missing from the cache (directory manifests first, then files). */
  async fetch(outputs: Output[]): Promise<void> {
    const s = await this.open();
    const missing = async (): Promise<ReturnType<typeof usedObjects>> => usedObjects(this.repo, outputs);
    let used = await missing();
    const dirs = [...used.objects.values()].filter((h) => h.value.endsWith(".dir") && !this.repo.odb.has(h));
    if (dirs.length > 0) {
      await downloadObjects(this.repo, s.store, dirs, s.jobs, "pull (directories)");
      used = await missing();
    }
    const files = [...used.objects.values()].filter((h) => !this.repo.odb.has(h));
    if (files.length > 0) await downloadObjects(this.repo, s.store, files, s.jobs, "pull");
  }

  async close(): Promise<void> {
    if (this.session) await (await this.session).store.close();
  }
}
