// The dvx version, read from package.json (a leaf module: cli/main and commands both use it).
import { readFileSync } from "node:fs";

export function dvxVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}
