// Which browser `plots --open` starts: $BROWSER first, the platform's opener, nothing without a desktop.
import { describe, expect, it } from "vitest";
import { browserCommand } from "../../../src/cli/open-url.js";

const url = "file:///tmp/r/index.html";

describe("browserCommand", () => {
  it("honours $BROWSER (first of a colon list; %s stands for the URL)", () => {
    expect(browserCommand(url, { BROWSER: "firefox:chromium" }, "linux")).toEqual(["firefox", url]);
    expect(browserCommand(url, { BROWSER: "w3m -o x %s" }, "linux")).toEqual(["w3m", "-o", "x", url]);
  });

  it("uses the platform's opener, and xdg-open only with a display", () => {
    expect(browserCommand(url, {}, "darwin")).toEqual(["open", url]);
    expect(browserCommand(url, {}, "win32")).toEqual(["cmd", "/c", "start", '""', url]);
    expect(browserCommand(url, { DISPLAY: ":0" }, "linux")).toEqual(["xdg-open", url]);
    expect(browserCommand(url, { WAYLAND_DISPLAY: "wayland-0" }, "linux")).toEqual(["xdg-open", url]);
    expect(browserCommand(url, {}, "linux")).toBeNull();
  });
});
