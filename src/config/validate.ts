// Validation of a merged config, like DVC's schema check at load (DVC refuses to run on failure).
// Errors name the file and key, never the value (it may be a secret).
import { ConfigError } from "../errors.js";
import type { ConfigLayer } from "./files.js";
import type { MergedConfig, MergedSection, Origin } from "./merge.js";
import { lastFile } from "./merge.js";
import { parseRemoteUrl, remoteSchemaFor } from "./remote-url.js";
import {
  DB_SCHEMA,
  DVX_REMOTE_SCHEMA,
  LENIENT_SECTIONS,
  MACHINE_SCHEMA,
  SECTION_SCHEMAS,
  checkValue,
  dvxSectionSchema,
  type SectionSchema,
} from "./schema.js";

export function levelFlag(layer: ConfigLayer): string {
  if (layer === "local" || layer === "dvxLocal") return " --local";
  if (layer === "global" || layer === "system") return ` --${layer}`;
  return "";
}

function checkOption(schema: SectionSchema, key: string, origin: Origin, what: string, unsetCmd: string): void {
  const spec = schema[key];
  if (spec === undefined) {
    const dvxOnly = key in DVX_REMOTE_SCHEMA && what.startsWith("remote");
    throw new ConfigError(`unknown config option '${key}' for ${what} in '${origin.file}'`, {
      hint: dvxOnly
        ? `'${key}' is a dvx setting that dvc rejects: remove it from '${origin.file}' and set it with ` +
          `"dvx remote modify", which keeps it in .dvc/dvx.config`
        : `remove it (dvc refuses to run with unknown options): ${unsetCmd}`,
      details: { file: origin.file, key, section: what },
    });
  }
  const reason = checkValue(spec, origin.value);
  if (reason !== undefined) {
    throw new ConfigError(`invalid value for '${key}' of ${what} in '${origin.file}': ${reason}`, {
      hint: `fix it by hand or with "dvx config" / "dvx remote modify"`,
      details: { file: origin.file, key, section: what, reason },
    });
  }
}

function checkSection(
  section: MergedSection,
  schema: SectionSchema,
  what: string,
  unset: (key: string, o: Origin) => string,
): void {
  for (const [key, origin] of section.options) checkOption(schema, key, origin, what, unset(key, origin));
}

/** Validates the merged DVC config (system < global < repo < local); returns warnings. */
export function validateDvcConfig(merged: MergedConfig): string[] {
  const warnings: string[] = [];
  for (const [name, section] of merged.sections) {
    const schema = SECTION_SCHEMAS[name];
    if (schema === undefined) {
      throw new ConfigError(`unknown config section '[${name}]' in '${lastFile(section)}'`, {
        hint: "remove that section: dvc refuses to run with unknown sections",
        details: { file: lastFile(section), section: name },
      });
    }
    if (LENIENT_SECTIONS.has(name)) {
      for (const key of section.options.keys()) {
        if (schema[key] === undefined) warnings.push(`'${name}.${key}' config option is unsupported and ignored`);
      }
      for (const [key, origin] of section.options) {
        if (schema[key] !== undefined) checkOption(schema, key, origin, `[${name}]`, "");
      }
      continue;
    }
    checkSection(section, schema, `[${name}]`, (key, o) => `"dvx config${levelFlag(o.layer)} --unset ${name}.${key}"`);
  }
  for (const [name, section] of merged.remote) {
    const url = section.options.get("url");
    if (url === undefined) {
      throw new ConfigError(`remote '${name}' has no url (in '${lastFile(section)}')`, {
        hint: `set one with "dvx remote modify ${name} url <url>" or remove the section`,
        details: { file: lastFile(section), name, files: section.files },
      });
    }
    if (typeof url.value !== "string") checkOption({ url: { kind: "str" } }, "url", url, `remote '${name}'`, "");
    const schema = remoteSchemaFor(parseRemoteUrl(url.value as string));
    if (schema === undefined) continue;
    checkSection(
      section,
      schema,
      `remote '${name}'`,
      (key, o) => `"dvx remote modify${levelFlag(o.layer)} --unset ${name} ${key}"`,
    );
  }
  for (const [kind, schema] of [
    ["machine", MACHINE_SCHEMA],
    ["db", DB_SCHEMA],
  ] as const) {
    for (const [name, section] of merged[kind]) {
      checkSection(section, schema, `${kind} '${name}'`, (key, o) => `remove '${key}' from '${o.file}'`);
    }
  }
  return warnings;
}

/** Validates dvx.config + dvx.config.local against dvx's own schema; returns warnings. */
export function validateDvxConfig(dvx: MergedConfig, dvc: MergedConfig): string[] {
  const warnings: string[] = [];
  for (const [name, section] of dvx.sections) {
    const schema = dvxSectionSchema(name, section.options.keys());
    if (schema === undefined) {
      throw new ConfigError(`unknown dvx config section '[${name}]' in '${lastFile(section)}'`, {
        hint: "remove that section from the file",
        details: { file: lastFile(section), section: name },
      });
    }
    checkSection(section, schema, `[${name}]`, (key, o) => `remove '${key}' from '${o.file}'`);
  }
  for (const kind of ["machine", "db"] as const) {
    const first = dvx[kind].values().next();
    if (!first.done) {
      throw new ConfigError(`dvx config files cannot hold ${kind} sections (in '${lastFile(first.value)}')`, {
        hint: "move them to .dvc/config",
        details: { file: lastFile(first.value) },
      });
    }
  }
  for (const [name, section] of dvx.remote) {
    checkSection(
      section,
      DVX_REMOTE_SCHEMA,
      `remote '${name}' (dvx settings)`,
      (key, o) => `"dvx remote modify${levelFlag(o.layer)} --unset ${name} ${key}"`,
    );
    if (!dvc.remote.has(name))
      warnings.push(
        `'${lastFile(section)}' has settings for remote '${name}', which is not configured; they are ignored`,
      );
  }
  return warnings;
}
