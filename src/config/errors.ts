// Config-specific failures. General config problems (unknown keys, bad values) use ConfigError from
// ../errors.ts; these classes carry a code of their own so callers and tests can branch on it.
// None of them ever carries a config value: values may be secrets.
import { AppError, EXIT } from "../errors.js";

/** A config file configobj (and so DVC) cannot parse. The offending line's text is left out. */
export class ConfigSyntaxError extends AppError {
  constructor(file: string, line: number, reason: string) {
    super("CONFIG_SYNTAX", EXIT.config, `'${file}' line ${line}: ${reason}`, {
      hint: "fix the line by hand (dvc and dvx read the same INI dialect)",
      details: { file, line, reason },
    });
  }
}

export class RemoteExistsError extends AppError {
  constructor(name: string, file: string) {
    super("REMOTE_EXISTS", EXIT.config, `remote '${name}' already exists in '${file}'`, {
      hint: `use "dvx remote add -f ${name} <url>" to overwrite it, or pick another name`,
      details: { name, file },
    });
  }
}

/** A remote that DVC knows but dvx cannot talk to (gs://, azure://, ssh://, http(s)://, ...). */
export class UnsupportedRemoteError extends AppError {
  constructor(name: string, scheme: string) {
    super("REMOTE_UNSUPPORTED", EXIT.config, `remote '${name}' uses '${scheme}' URLs, which dvx does not support`, {
      hint: "dvx supports local directories and s3:// remotes; use dvc for this remote",
      details: { name, scheme },
    });
  }
}
