// openRemote: picks the adapter from the URL scheme. The S3 adapter (and with it the AWS SDK) is imported
// only when an s3:// remote is actually opened.

import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../errors.js";
import { LocalRemote } from "./local.js";
import type { Env } from "./s3-options.js";
import type { RemoteStore } from "./types.js";

export interface OpenRemoteInit {
  /** Remote name from the config (used in hints), e.g. "storage". */
  name: string;
  url: string;
  /** The remote's config section except `url` (DVC option names, string values). */
  options: Readonly<Record<string, string>>;
  env: Env;
  /** Base for a relative local path (normally the directory of the config file that defined it). */
  cwd?: string;
}

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//;

export async function openRemote(init: OpenRemoteInit): Promise<RemoteStore> {
  const { name, url, options } = init;
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  const jobs = parseJobs(options.jobs, name);
  if (scheme === undefined)
    return new LocalRemote({ root: localRoot(url, init.cwd, name), ...(jobs === undefined ? {} : { jobs }) });
  if (scheme === "file") {
    let path: string;
    try {
      path = fileURLToPath(url);
    } catch (err) {
      throw new ConfigError(`remote '${name}' has an invalid file URL '${url}'`, {
        hint: 'use an absolute path, e.g. "file:///mnt/store" or just "/mnt/store"',
        details: { name, url },
        cause: err,
      });
    }
    return new LocalRemote({ root: path, ...(jobs === undefined ? {} : { jobs }) });
  }
  if (scheme === "s3") {
    const { S3Remote } = await import("./s3.js");
    return new S3Remote({ url, options, env: init.env, name });
  }
  throw new ConfigError(`remote '${name}' uses '${scheme}://', which is not supported by dvx yet`, {
    hint: `dvx supports s3:// (AWS S3 and S3-compatible servers) and local directories; use DVC itself for ${scheme}:// remotes`,
    details: { name, scheme, url: displayUrl(url) },
  });
}

function localRoot(url: string, cwd: string | undefined, name: string): string {
  if (url === "")
    throw new ConfigError(`remote '${name}' has an empty url`, {
      hint: `set it with "dvx remote modify ${name} url <path or s3://bucket/prefix>"`,
      details: { name },
    });
  if (isAbsolute(url)) return resolve(url);
  if (cwd === undefined) {
    throw new ConfigError(
      `remote '${name}' has the relative path '${url}' and no base directory to resolve it against`,
      { hint: "use an absolute path for the remote", details: { name, url } },
    );
  }
  return resolve(cwd, url);
}

function parseJobs(v: string | undefined, name: string): number | undefined {
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new ConfigError(`option 'jobs' of remote '${name}' must be an integer >= 1, not '${v}'`, {
      details: { name, option: "jobs", value: v },
    });
  return n;
}

/** Drops any user:password@ part of a URL before it goes into an error. */
function displayUrl(url: string): string {
  return url.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)[^/@]*@/, "$1");
}
