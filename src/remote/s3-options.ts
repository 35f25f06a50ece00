// Pure translation of a DVC S3 remote section (docs/formats.md §6.4) plus the caller's environment into the
// settings S3Remote needs. No SDK imports here, so it is cheap to load and easy to unit-test.

import { ConfigError } from "../errors.js";
import { S3_DEFAULT_JOBS } from "./s3-concurrency.js";

const MiB = 1024 * 1024;

export type Env = Readonly<Record<string, string | undefined>>;

export type S3Credentials =
  | { kind: "static"; accessKeyId: string; secretAccessKey: string; sessionToken?: string }
  | { kind: "chain"; profile?: string; filepath?: string; configFilepath?: string }
  | { kind: "anonymous" };

export interface S3Settings {
  bucket: string;
  /** Key prefix without leading/trailing slashes ("" for the bucket root). */
  prefix: string;
  /** Display form, e.g. "s3://bucket/prefix". */
  url: string;
  endpoint?: string;
  region: string;
  credentials: S3Credentials;
  /** false, true, or a CA bundle path. */
  sslVerify: boolean | string;
  jobs: number;
  connectTimeoutMs: number;
  readTimeoutMs: number;
  multipartThreshold: number;
  multipartChunksize: number;
  /** Extra parameters for PutObject / CreateMultipartUpload (SSE, ACL, grants). */
  putParams: Record<string, string>;
  /** SSE-C parameters, needed on every request that touches object data. */
  sseCustomer?: { algorithm: string; key: string };
  /** Values that must never be printed (redacted from every message). */
  secrets: string[];
}

export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]*)(?:\/(.*))?$/i.exec(url);
  const bucket = m?.[1] ?? "";
  if (!m || bucket === "") {
    throw new ConfigError(`'${url}' is not a valid S3 URL: it names no bucket`, {
      hint: 'use the form "s3://bucket/optional/prefix", e.g. "dvx remote modify <name> url s3://my-bucket/dvcstore"',
      details: { url },
    });
  }
  const prefix = (m[2] ?? "").replace(/^\/+|\/+$/g, "");
  return { bucket, prefix };
}

export function resolveS3Settings(url: string, options: Readonly<Record<string, string>>, env: Env): S3Settings {
  const { bucket, prefix } = parseS3Url(url);
  const opt = (k: string): string | undefined =>
    options[k] === undefined || options[k] === "" ? undefined : options[k];
  for (const k of ["version_aware", "worktree"]) {
    if (parseBool(opt(k), k, false))
      throw new ConfigError(`option '${k}' of S3 remotes is not supported by dvx yet`, {
        hint: `unset it with "dvx remote modify --unset <name> ${k}"`,
        details: { option: k },
      });
  }
  const useSsl = parseBool(opt("use_ssl"), "use_ssl", true);
  let endpoint = opt("endpointurl") ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  if (endpoint !== undefined && !/^https?:\/\//i.test(endpoint))
    endpoint = `${useSsl ? "https" : "http"}://${endpoint}`;
  const sslVerifyRaw = opt("ssl_verify");
  const sslVerify =
    sslVerifyRaw === undefined
      ? true
      : isBoolWord(sslVerifyRaw)
        ? parseBool(sslVerifyRaw, "ssl_verify", true)
        : sslVerifyRaw;
  const credentials = resolveCredentials(opt, env);
  const secrets: string[] = [];
  if (credentials.kind === "static") {
    secrets.push(credentials.secretAccessKey, credentials.accessKeyId);
    if (credentials.sessionToken !== undefined) secrets.push(credentials.sessionToken);
  }
  const putParams: Record<string, string> = {};
  const sse = opt("sse");
  if (sse !== undefined) putParams.ServerSideEncryption = sse;
  const kms = opt("sse_kms_key_id");
  if (kms !== undefined) putParams.SSEKMSKeyId = kms;
  const acl = opt("acl");
  if (acl !== undefined) putParams.ACL = acl;
  for (const [k, p] of [
    ["grant_read", "GrantRead"],
    ["grant_read_acp", "GrantReadACP"],
    ["grant_write_acp", "GrantWriteACP"],
    ["grant_full_control", "GrantFullControl"],
  ] as const) {
    const v = opt(k);
    if (v !== undefined) putParams[p] = v;
  }
  if (acl !== undefined && Object.keys(putParams).some((k) => k.startsWith("Grant"))) {
    throw new ConfigError("options 'acl' and 'grant_*' of an S3 remote exclude each other", {
      hint: 'keep one of them ("dvx remote modify --unset <name> acl")',
    });
  }
  const sseKey = opt("sse_customer_key");
  const sseCustomer =
    sseKey === undefined ? undefined : { algorithm: opt("sse_customer_algorithm") ?? "AES256", key: sseKey };
  if (sseKey !== undefined) secrets.push(sseKey);
  const chunk = parseIntOpt(opt("multipart_chunksize"), "multipart_chunksize", 16 * MiB, 5 * MiB);
  return {
    bucket,
    prefix,
    url: prefix === "" ? `s3://${bucket}` : `s3://${bucket}/${prefix}`,
    ...(endpoint === undefined ? {} : { endpoint }),
    region: opt("region") ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1",
    credentials,
    sslVerify,
    jobs: parseIntOpt(opt("jobs"), "jobs", S3_DEFAULT_JOBS, 1), // see s3-concurrency.ts
    connectTimeoutMs: parseIntOpt(opt("connect_timeout"), "connect_timeout", 60, 1) * 1000,
    readTimeoutMs: parseIntOpt(opt("read_timeout"), "read_timeout", 60, 1) * 1000,
    multipartThreshold: parseIntOpt(opt("multipart_threshold"), "multipart_threshold", 64 * MiB, 1),
    multipartChunksize: chunk,
    putParams,
    ...(sseCustomer === undefined ? {} : { sseCustomer }),
    secrets,
  };
}

function resolveCredentials(opt: (k: string) => string | undefined, env: Env): S3Credentials {
  const id = opt("access_key_id");
  const secret = opt("secret_access_key");
  if ((id === undefined) !== (secret === undefined)) {
    throw new ConfigError("an S3 remote needs both 'access_key_id' and 'secret_access_key', or neither", {
      hint: 'set the missing one with "dvx remote modify --local <name> secret_access_key <value>"',
    });
  }
  const token = opt("session_token");
  if (id !== undefined && secret !== undefined) return staticCreds(id, secret, token);
  const profile = opt("profile") ?? env.AWS_PROFILE ?? env.AWS_DEFAULT_PROFILE;
  const filepath = opt("credentialpath") ?? env.AWS_SHARED_CREDENTIALS_FILE;
  const configFilepath = opt("configpath") ?? env.AWS_CONFIG_FILE;
  const envId = env.AWS_ACCESS_KEY_ID;
  const envSecret = env.AWS_SECRET_ACCESS_KEY;
  if (profile === undefined && envId !== undefined && envId !== "" && envSecret !== undefined && envSecret !== "") {
    return staticCreds(envId, envSecret, env.AWS_SESSION_TOKEN);
  }
  const anonymous = parseBool(opt("allow_anonymous_login"), "allow_anonymous_login", false);
  if (anonymous && profile === undefined && filepath === undefined && configFilepath === undefined)
    return { kind: "anonymous" };
  return {
    kind: "chain",
    ...(profile === undefined ? {} : { profile }),
    ...(filepath === undefined ? {} : { filepath }),
    ...(configFilepath === undefined ? {} : { configFilepath }),
  };
}

function staticCreds(accessKeyId: string, secretAccessKey: string, sessionToken: string | undefined): S3Credentials {
  return sessionToken === undefined || sessionToken === ""
    ? { kind: "static", accessKeyId, secretAccessKey }
    : { kind: "static", accessKeyId, secretAccessKey, sessionToken };
}

function isBoolWord(v: string): boolean {
  return /^(true|false|yes|no|on|off|1|0)$/i.test(v.trim());
}

function parseBool(v: string | undefined, name: string, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  const s = v.trim().toLowerCase();
  if (["true", "yes", "on", "1"].includes(s)) return true;
  if (["false", "no", "off", "0"].includes(s)) return false;
  throw new ConfigError(`option '${name}' must be true or false, not '${v}'`, { details: { option: name, value: v } });
}

function parseIntOpt(v: string | undefined, name: string, dflt: number, min: number): number {
  if (v === undefined) return dflt;
  const n = Number(v.trim());
  if (!Number.isSafeInteger(n) || n < min) {
    throw new ConfigError(`option '${name}' must be an integer >= ${min}, not '${v}'`, {
      details: { option: name, value: v },
    });
  }
  return n;
}
