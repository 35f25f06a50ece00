// The dvx version and files shipped with the package (package.json, templates/). A leaf module.
// The package root is found by walking up from this file, so it works from dist/ and from the bundle.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let root: string | undefined;

/** Absolute path of a file shipped with dvx, e.g. packagePath("templates/dvcignore"). */
export function packagePath(rel: string): string {
  if (root === undefined) {
    let dir = dirname(fileURLToPath(import.meta.url));
    while (!existsSync(join(dir, "package.json")) || !existsSync(join(dir, "templates"))) {
      const up = dirname(dir);
      if (up === dir) throw new Error("cannot find the dvx package root (package.json beside templates/)");
      dir = up;
    }
    root = dir;
  }
  return join(root, rel);
}

export function dvxVersion(): string {
  return (JSON.parse(readFileSync(packagePath("package.json"), "utf8")) as { version: string }).version;
}
