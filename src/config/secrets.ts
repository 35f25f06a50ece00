// Which config options hold secrets, so writes to a committed file can warn (values are never echoed).

const SECRET_KEYS: ReadonlySet<string> = new Set([
  "access_key_id",
  "secret_access_key",
  "session_token",
  "sse_customer_key",
  "password",
  "passphrase",
  "token",
  "sas_token",
  "account_key",
  "connection_string",
  "client_secret",
  "custom_auth_header",
  "oss_key_id",
  "oss_key_secret",
  "gdrive_client_secret",
]);

/** Key-like names that are identifiers or paths, not secrets. */
const NOT_SECRET: ReadonlySet<string> = new Set(["sse_kms_key_id", "keyfile", "key_path", "tenant_id", "client_id"]);

export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase();
  if (NOT_SECRET.has(k)) return false;
  return SECRET_KEYS.has(k) || /(^|_)(secret|password|passwd|token|key)($|_)/.test(k);
}

/** The warning for a secret written to a committed file; names the key and file, never the value. */
export function secretWarning(what: string, key: string, file: string, retry: string): string {
  return (
    `'${key}' of ${what} looks like a secret and was written to '${file}', which is committed to git; ` +
    `use "${retry}" to keep it in the git-ignored config.local instead`
  );
}

/** A URL with any userinfo password replaced by "***" (for results and messages). */
export function redactUrl(url: string): string {
  return url.replace(/^(\w+:\/\/[^/@:]*):[^/@]*@/, "$1:***@");
}
