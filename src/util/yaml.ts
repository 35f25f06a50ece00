// The YAML reader for every YAML file dvx reads (pointer files, dvc.yaml, dvc.lock, params, metrics).
// YAML 1.2 core schema, as DVC's ruamel loader: `yes`/`no`/`on`/`off` stay strings.
import { isScalar, parseDocument, visit } from "yaml";
import type { Document } from "yaml";
import { PyFloat } from "./py-float.js";

export class YamlSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(`${file}${line ? `:${line}` : ""}: ${reason}`);
  }
}

export interface ParseYamlOptions {
  /**
   * Return floats (`1.0`, `1e-5`, `0.5`, `.inf`) as PyFloat instances, so that they can be
   * written back as floats (JS numbers lose the int/float distinction of `1.0`).
   * Mapping keys are never converted.
   */
  keepFloats?: boolean;
}

const FLOAT_TAG = "tag:yaml.org,2002:float";
// YAML 1.2 core schema floats, as resolved by the `yaml` package's core schema.
const CORE_FLOAT = /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

/** Parses YAML into a Document (source ranges kept); throws YamlSyntaxError with a line number. */
export function parseYamlDocument(text: string, file: string, opts: ParseYamlOptions = {}): Document {
  const doc = parseDocument(text, { version: "1.2", schema: "core", uniqueKeys: true, prettyErrors: false });
  const err = doc.errors[0];
  if (err) {
    const line = err.linePos?.[0]?.line;
    throw new YamlSyntaxError(file, line, err.message.split("\n")[0] ?? "invalid YAML");
  }
  if (opts.keepFloats) {
    visit(doc, {
      Scalar(key, node) {
        if (key === "key" || typeof node.value !== "number") return;
        const source = (node as { source?: unknown }).source;
        const explicitFloat = node.tag === FLOAT_TAG;
        const plainFloat = node.tag === undefined && node.type === "PLAIN" && typeof source === "string" && CORE_FLOAT.test(source);
        if (explicitFloat || plainFloat) node.value = new PyFloat(node.value);
      },
    });
  }
  return doc;
}

/** Parses YAML text into plain JS values; throws YamlSyntaxError with a line number on bad input. */
export function parseYaml(text: string, file: string, opts: ParseYamlOptions = {}): unknown {
  return parseYamlDocument(text, file, opts).toJS({ maxAliasCount: 100 });
}

export { isScalar };
