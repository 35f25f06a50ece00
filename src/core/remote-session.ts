// Opens the remote an op should talk to, from the merged config (name or core.remote).
import type { RemoteStore } from "../remote/types.js";
import type { Repo } from "./repo.js";

export interface RemoteSession {
  name: string;
  store: RemoteStore;
  jobs: number;
}

export async function openRemoteFor(
  repo: Repo,
  name: string | undefined,
  jobs: number | undefined,
): Promise<RemoteSession> {
  const cfg = repo.settings.config.getRemote(name);
  const { openRemote } = await import("../remote/open.js");
  const options: Record<string, string> = { ...cfg.options };
  if (cfg.dvxOptions.multipartThreshold !== undefined)
    options.multipart_threshold = String(cfg.dvxOptions.multipartThreshold);
  if (cfg.dvxOptions.multipartChunksize !== undefined)
    options.multipart_chunksize = String(cfg.dvxOptions.multipartChunksize);
  if (jobs !== undefined) options.jobs = String(jobs);
  const store = await openRemote({ name: cfg.name, url: cfg.url, options, env: repo.env, cwd: repo.dotDir });
  repo.reporter.debug(`remote '${cfg.name}': ${store.url}`);
  return { name: cfg.name, store, jobs: jobs ?? cfg.jobs ?? store.defaultJobs };
}
