// How a remote URL selects its schema (DVC's ByUrl, which uses Python's urlparse) and whether dvx can use it.
import { LOCAL_REMOTE_SCHEMA, S3_REMOTE_SCHEMA, type SectionSchema } from "./schema.js";

export type RemoteKind = "local" | "s3" | "unsupported";

export interface ParsedRemoteUrl {
  /** Lower-cased scheme, "" for a plain path. */
  scheme: string;
  /** The schema DVC validates the section with: "" (local) whenever the URL has no netloc. */
  schema: string;
  kind: RemoteKind;
  /** For s3:// only. */
  bucket?: string;
  /** For s3:// only: the key prefix, no leading or trailing slash ("" for the bucket root). */
  prefix?: string;
}

export const SCHEME_URL = /^\w+:\/\//;

export function parseRemoteUrl(url: string): ParsedRemoteUrl {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(url);
  const scheme = m ? (m[1] ?? "").toLowerCase() : "";
  const rest = m ? (m[2] ?? "") : url;
  const netloc = rest.startsWith("//") ? (/^\/\/([^/?#]*)/.exec(rest)?.[1] ?? "") : "";
  const schema = netloc === "" ? "" : scheme;
  if (schema === "s3") {
    const path = rest.slice(2 + netloc.length).replace(/^\/+|\/+$/g, "");
    return { scheme, schema, kind: "s3", bucket: netloc, prefix: path };
  }
  // "s3:///x" or "file:///x" validate as local paths in DVC but cannot be used as directories.
  const kind = schema === "" && !SCHEME_URL.test(url) ? "local" : "unsupported";
  return { scheme, schema, kind };
}

/** The key schema for a URL; undefined means "any key" (schemes dvx does not support). */
export function remoteSchemaFor(parsed: ParsedRemoteUrl): SectionSchema | undefined {
  if (parsed.schema === "") return LOCAL_REMOTE_SCHEMA;
  if (parsed.schema === "s3") return S3_REMOTE_SCHEMA;
  return undefined;
}

/** Whether the URL has a password in its userinfo (https://user:pass@host/...). */
export function urlHasPassword(url: string): boolean {
  return /^\w+:\/\/[^/@]*:[^/@]*@/.test(url);
}
