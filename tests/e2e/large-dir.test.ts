// The worker-thread path of `dvx add` (directories of >= 4000 files to hash) only runs from the built
// CLI: add such a directory with bin/dvx.js and check every object against its name.
import { describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { buildTree } from "../../src/odb/tree.js";
import { tmpDir } from "../helpers/tmp-repo.js";

const BIN = resolve(__dirname, "../../bin/dvx.js");
const dvx = (cwd: string, ...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });

describe("dvx add of a large directory (worker threads)", () => {
  it("stores every file under its md5, writes DVC's manifest, and re-adds nothing", { timeout: 120_000 }, () => {
    const dir = tmpDir();
    execFileSync("git", ["init", "-q"], { cwd: dir });
    expect(dvx(dir, "init", "-q").status).toBe(0);
    const entries: Array<{ relpath: string; md5: string; size: number }> = [];
    for (let d = 0; d < 9; d++) {
      mkdirSync(join(dir, "data", `d${d}`), { recursive: true });
      for (let i = 0; i < 500; i++) {
        const content = `file ${d}/${i} ${"x".repeat((d * 500 + i) % 300)}\n`;
        writeFileSync(join(dir, "data", `d${d}`, `f${i}.txt`), content);
        entries.push({
          relpath: `d${d}/f${i}.txt`,
          md5: createHash("md5").update(content).digest("hex"),
          size: content.length,
        });
      }
    }
    const expected = buildTree(entries);
    const res = dvx(dir, "add", "data");
    expect(res.status, res.stderr).toBe(0);
    expect(readFileSync(join(dir, "data.dvc"), "utf8")).toContain(
      `md5: ${expected.oid}\n  size: ${expected.size}\n  nfiles: 4500\n`,
    );
    const base = join(dir, ".dvc/cache/files/md5");
    let objects = 0;
    for (const fan of readdirSync(base)) {
      if (!/^[0-9a-f]{2}$/.test(fan)) continue;
      for (const rest of readdirSync(join(base, fan))) {
        expect(rest.endsWith(".tmp"), `leftover temp ${fan}/${rest}`).toBe(false);
        const p = join(base, fan, rest);
        expect(statSync(p).mode & 0o777).toBe(0o444);
        const want = rest.endsWith(".dir") ? `${fan}${rest.slice(0, -4)}` : `${fan}${rest}`;
        expect(createHash("md5").update(readFileSync(p)).digest("hex")).toBe(want);
        objects++;
      }
    }
    expect(objects).toBe(new Set(entries.map((e) => e.md5)).size + 1);
    expect(dvx(dir, "status", "--json").stdout.trim()).toBe("{}");
    const again = dvx(dir, "add", "data", "--json");
    expect(JSON.parse(again.stdout).added[0].changed).toBe(false);
  });
});
