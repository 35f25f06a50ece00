import { describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { CHUNK, Hasher, dos2unixChunk, hashBuffer, hashFileStream, isTextBlock } from "../../../src/odb/hash.js";
import { tmpDir } from "../../helpers/tmp-repo.js";

describe("hashing (docs/formats.md §3, §14.1)", () => {
  it("computes DVC 3 plain md5 test vectors", () => {
    expect(hashBuffer(Buffer.from(""), "md5")).toBe("d41d8cd98f00b204e9800998ecf8427e");
    expect(hashBuffer(Buffer.from("a\n"), "md5")).toBe("60b725f10c9c85c70d97880dfe8191b3");
    expect(hashBuffer(Buffer.from("b\n"), "md5")).toBe("3b5d5c3712955042212316173ccf37be");
    expect(hashBuffer(Buffer.from("x\r\ny\r\n"), "md5")).toBe("e20942bc0763636e19c18b95bb194501");
  });

  it("computes the legacy dos2unix md5 of text", () => {
    expect(hashBuffer(Buffer.from("x\r\ny\r\n"), "md5-dos2unix")).toBe("1b5bb282b8f8792875e3c4203cfa9c57");
  });

  it("leaves binary-looking chunks alone in legacy mode", () => {
    const bin = Buffer.from([0, 13, 10, 1, 2]);
    expect(isTextBlock(bin)).toBe(false);
    expect(hashBuffer(bin, "md5-dos2unix")).toBe(hashBuffer(bin, "md5"));
  });

  it("decides text per 1 MiB chunk and does not convert a CRLF split across chunks", () => {
    const data = Buffer.alloc(CHUNK + 4, 0x61);
    data[CHUNK - 1] = 13; // \r at the end of chunk 1
    data[CHUNK] = 10; // \n at the start of chunk 2
    data[CHUNK + 1] = 13;
    data[CHUNK + 2] = 10;
    const expected = hashBuffer(Buffer.concat([data.subarray(0, CHUNK), dos2unixChunk(data.subarray(CHUNK))]), "md5");
    expect(hashBuffer(data, "md5-dos2unix")).toBe(expected);
    // the split CRLF stays: length of the converted second chunk drops by one only
    expect(dos2unixChunk(data.subarray(CHUNK)).length).toBe(3);
  });

  it("gives the same legacy digest whatever the update sizes", () => {
    const data = Buffer.from("line\r\n".repeat(400_000));
    const h = new Hasher("md5-dos2unix");
    for (let i = 0; i < data.length; i += 77_777) h.update(data.subarray(i, i + 77_777));
    expect(h.digest()).toBe(hashBuffer(data, "md5-dos2unix"));
    // updates of 5 bytes cut every "\r\n" in two ("line\r" | "\nline…"): the pair must still convert
    const cut = new Hasher("md5-dos2unix");
    const small = data.subarray(0, 60_000);
    for (let i = 0; i < small.length; i += 5) cut.update(small.subarray(i, i + 5));
    // …and the result is the MD5 of the text with LF line ends, which plain MD5 of the CRLF bytes is not
    const lf = hashBuffer(Buffer.from(small.toString("latin1").replaceAll("\r\n", "\n"), "latin1"), "md5");
    expect(cut.digest()).toBe(lf);
    expect(hashBuffer(small, "md5")).not.toBe(lf);
  });

  it("streams files through the hasher", async () => {
    const dir = tmpDir();
    const p = join(dir, "f");
    writeFileSync(p, "a\n");
    expect(await hashFileStream(p, "md5")).toEqual({ value: "60b725f10c9c85c70d97880dfe8191b3", size: 2 });
  });
});
