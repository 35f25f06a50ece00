// The .gitignore entries DVC writes for cached outputs: "/<name>" in the output's directory, appended to what the
// file holds (a missing last newline supplied), never twice, not at all when git already ignores the path.
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { addIgnoreEntry, removeIgnoreEntry } from "../../../src/tracking/gitignore.js";
import { tmpDir } from "../../helpers/tmp-repo.js";

const no = async (): Promise<boolean> => false;

describe("addIgnoreEntry", () => {
  it("creates the .gitignore beside the output, then appends, keeping every byte before", async () => {
    const root = tmpDir();
    expect(await addIgnoreEntry(root, "sub/model.pkl", no)).toBe("sub/.gitignore");
    expect(readFileSync(join(root, "sub/.gitignore"), "utf8")).toBe("/model.pkl\n");
    writeFileSync(join(root, ".gitignore"), "# mine\r\n*.log\r\nnode_modules"); // CRLF, no newline at the end
    expect(await addIgnoreEntry(root, "data.csv", no)).toBe(".gitignore");
    expect(await addIgnoreEntry(root, "a[1].txt", no)).toBe(".gitignore");
    expect(readFileSync(join(root, ".gitignore"), "utf8")).toBe(
      "# mine\r\n*.log\r\nnode_modules\n/data.csv\n/a\\[1\\].txt\n",
    );
  });

  it("writes nothing when the line is there (CRLF too) or git already ignores the path", async () => {
    const root = tmpDir();
    writeFileSync(join(root, ".gitignore"), "/data.csv\r\n");
    let asked = 0;
    const ignored = async (): Promise<boolean> => (asked++, true);
    expect(await addIgnoreEntry(root, "data.csv", ignored)).toBeNull();
    expect(asked).toBe(0);
    expect(await addIgnoreEntry(root, "other.csv", ignored)).toBeNull();
    expect(asked).toBe(1);
    expect(readFileSync(join(root, ".gitignore"), "utf8")).toBe("/data.csv\r\n");
  });

  it("removeIgnoreEntry takes exactly that line out, and the file when it empties", async () => {
    const root = tmpDir();
    await addIgnoreEntry(root, "a.bin", no);
    await addIgnoreEntry(root, "b.bin", no);
    expect(await removeIgnoreEntry(root, "a.bin")).toBe(".gitignore");
    expect(readFileSync(join(root, ".gitignore"), "utf8")).toBe("/b.bin\n");
    expect(await removeIgnoreEntry(root, "b.bin")).toBe(".gitignore");
    expect(existsSync(join(root, ".gitignore"))).toBe(false);
  });
});
