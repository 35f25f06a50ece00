// Reading and (atomically) writing one config file, and keeping dvx.config.local out of git.
import { readFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../errors.js";
import { writeFileAtomic } from "../fsx/atomic.js";
import { configDataFromIni, configDataToIni, emptyConfigData, type ConfigData } from "./config-data.js";
import { DVX_CONFIG_LOCAL } from "./files.js";
import { parseIni, serializeIni } from "./ini.js";

function errnoCode(err: unknown): string | undefined {
  return err instanceof Error && "code" in err && typeof err.code === "string" ? err.code : undefined;
}

/** Reads a config file; a missing file is an empty config. */
export async function readConfigFile(file: string): Promise<{ data: ConfigData; exists: boolean }> {
  let text: string;
  try {
    text = readFileSync(file, "utf8"); // tiny files: a sync read skips four thread-pool round trips
  } catch (err) {
    // ENOENT: no file at this level, which is the normal case for most levels.
    if (errnoCode(err) === "ENOENT") return { data: emptyConfigData(), exists: false };
    throw new ConfigError(`cannot read config file '${file}'`, { details: { file }, cause: err });
  }
  return { data: configDataFromIni(parseIni(text, file)), exists: true };
}

/** Config files are written atomically, keeping an existing file's mode (fsx). */
export { writeFileAtomic };

export async function writeConfigFile(file: string, data: ConfigData): Promise<void> {
  // *.local files hold credentials: a new one is readable by its owner only (an existing file keeps its mode)
  await writeFileAtomic(file, serializeIni(configDataToIni(data)), file.endsWith(".local") ? 0o600 : 0o666);
}

/**
 * Appends `/dvx.config.local` to `<dotDir>/.gitignore` unless a line already ignores it (other lines
 * are never touched). Returns true when the file was changed.
 */
export async function ensureDvxLocalIgnored(dotDir: string): Promise<boolean> {
  const file = join(dotDir, ".gitignore");
  const entry = `/${DVX_CONFIG_LOCAL}`;
  let text = "";
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    // ENOENT: no .dvc/.gitignore yet; create it with just our line.
    if (errnoCode(err) !== "ENOENT") throw err;
  }
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  if (lines.includes(entry) || lines.includes(DVX_CONFIG_LOCAL)) return false;
  const sep = text === "" || text.endsWith("\n") ? "" : "\n";
  await writeFileAtomic(file, `${text}${sep}${entry}\n`);
  return true;
}
