// Which editor a params file gets with -S: by its last extension, as DVC's modify_* functions pick them.
import { extname } from "node:path";

export type EditFormat = "yaml" | "json" | "toml" | "python";

/** The format of a params file for editing, or null for an extension DVC cannot modify. */
export function paramsSuffixForEdit(file: string): EditFormat | null {
  const ext = extname(file).toLowerCase();
  if (ext === ".yaml" || ext === ".yml") return "yaml";
  if (ext === ".json") return "json";
  if (ext === ".toml") return "toml";
  if (ext === ".py") return "python";
  return null;
}
