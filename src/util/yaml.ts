// The YAML reader for every YAML file dvx reads (pointer files, dvc.yaml, dvc.lock, params, metrics).
// YAML 1.2 core schema, as DVC's ruamel loader: `yes`/`no`/`on`/`off` stay strings.
import { parseDocument } from "yaml";

export class YamlSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(`${file}${line ? `:${line}` : ""}: ${reason}`);
  }
}

/** Parses YAML text into plain JS values; throws YamlSyntaxError with a line number on bad input. */
export function parseYaml(text: string, file: string): unknown {
  const doc = parseDocument(text, { version: "1.2", schema: "core", uniqueKeys: true, prettyErrors: false });
  const err = doc.errors[0];
  if (err) {
    const line = err.linePos?.[0]?.line;
    throw new YamlSyntaxError(file, line, err.message.split("\n")[0] ?? "invalid YAML");
  }
  return doc.toJS({ maxAliasCount: 100 });
}
