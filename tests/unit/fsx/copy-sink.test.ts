// CopySink: the second, best-effort destination pull writes while an object downloads.
import { existsSync, readFileSync, statSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CopySink } from "../../../src/fsx/copy-sink.js";
import { tmpDir } from "../../helpers/tmp-repo.js";

const chunksOf = (data: Buffer, size: number): Buffer[] => {
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) out.push(data.subarray(i, i + size));
  return out;
};

describe("CopySink", () => {
  it("writes the chunks in order into the file and keeps it when the size matches", async () => {
    const path = join(tmpDir(), "copy");
    const data = randomBytes(3 * 1024 * 1024 + 7);
    const sink = new CopySink(path);
    sink.reset();
    for (const c of chunksOf(data, 64 * 1024 + 3)) sink.write(c);
    expect(await sink.finish(data.length)).toBe(true);
    expect(readFileSync(path).equals(data)).toBe(true);
  });

  it("holds the producer back past 32 MiB in flight (synchronous writes) and still writes every byte in place", async () => {
    const path = join(tmpDir(), "copy");
    const data = randomBytes(80 * 1024 * 1024);
    const sink = new CopySink(path);
    sink.reset();
    // no await in between: the 5th+ chunks go synchronously
    for (const c of chunksOf(data, 8 * 1024 * 1024)) sink.write(c);
    expect(await sink.finish(data.length)).toBe(true);
    expect(readFileSync(path).equals(data)).toBe(true);
  });

  it("a retry once the earlier writes have landed starts the file over", async () => {
    const path = join(tmpDir(), "copy");
    const again = new CopySink(path);
    again.reset();
    again.write(Buffer.from("partial attempt"));
    while (again.inFlight > 0) await new Promise((r) => setTimeout(r, 5)); // let the write land (slow under load)
    again.reset(); // retried transfer: start over
    again.write(Buffer.from("whole"));
    expect(await again.finish(5)).toBe(true);
    expect(readFileSync(path, "utf8")).toBe("whole");
  });

  it("a retry while writes are in flight drops the copy (it could hold bytes of the old attempt)", async () => {
    const path = join(tmpDir(), "copy");
    const sink = new CopySink(path);
    sink.reset();
    sink.write(Buffer.alloc(1024, 1));
    sink.reset(); // the write above has not completed yet
    sink.write(Buffer.alloc(1024, 2));
    expect(await sink.finish(1024)).toBe(false);
    expect(existsSync(path)).toBe(false);
  });

  it("a size mismatch deletes the file; abandon() deletes it too", async () => {
    const dir = tmpDir();
    const short = new CopySink(join(dir, "short"));
    short.reset();
    short.write(Buffer.from("abc"));
    expect(await short.finish(4)).toBe(false);
    expect(existsSync(join(dir, "short"))).toBe(false);
    const gone = new CopySink(join(dir, "gone"));
    gone.reset();
    gone.write(Buffer.from("abc"));
    await gone.abandon();
    expect(existsSync(join(dir, "gone"))).toBe(false);
  });

  it("a store that never feeds the tap leaves no file (finish reports no copy)", async () => {
    const path = join(tmpDir(), "never");
    const sink = new CopySink(path);
    expect(await sink.finish(10)).toBe(false);
    expect(existsSync(path)).toBe(false);
  });

  it("a copy that cannot be opened is dropped without an error (the download goes on)", async () => {
    const path = join(tmpDir(), "no-such-dir", "copy");
    const sink = new CopySink(path);
    sink.reset();
    sink.write(Buffer.from("data"));
    expect(await sink.finish(4)).toBe(false);
  });

  it("creates the file writable by its owner (the linker sets the final mode)", async () => {
    const path = join(tmpDir(), "mode");
    const sink = new CopySink(path);
    sink.reset();
    sink.write(Buffer.from("x"));
    expect(await sink.finish(1)).toBe(true);
    expect(statSync(path).mode & 0o200).toBe(0o200);
  });
});
