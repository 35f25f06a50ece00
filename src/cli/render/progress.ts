// A Reporter for terminals: one redrawn progress line on stderr (TTY only), warnings and debug lines.
import type { Progress, Reporter } from "../../core/reporter.js";
import type { CliIo } from "../io.js";

export interface ReporterOptions {
  quiet: boolean;
  verbose: boolean;
  json: boolean;
}

const fmtBytes = (n: number): string => {
  const u = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < u.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${u[i]}`;
};

export function terminalReporter(io: CliIo, opts: ReporterOptions): Reporter {
  const showProgress = io.stderrIsTTY && !opts.quiet;
  return {
    progress(label, total, unit = "files"): Progress {
      if (!showProgress) return { advance() {}, addTotal() {}, done() {} };
      let done = 0;
      let bytes = 0;
      let last = 0;
      let tot = total;
      const t0 = Date.now();
      const draw = (force: boolean): void => {
        const now = Date.now();
        if (!force && now - last < 100) return;
        last = now;
        const secs = Math.max((now - t0) / 1000, 0.001);
        const pct = tot > 0 ? Math.floor((done / tot) * 100) : 100;
        const width = 24;
        const fill = Math.round((pct / 100) * width);
        const rate = bytes > 0 ? `, ${fmtBytes(bytes / secs)}/s` : "";
        io.stderr(
          `\r\x1b[K${label} [${"#".repeat(fill)}${".".repeat(width - fill)}] ${done}/${tot} ${unit}` +
            `${bytes ? `, ${fmtBytes(bytes)}` : ""}${rate}`,
        );
      };
      return {
        advance(n, b = 0) {
          done += n;
          bytes += b;
          draw(false);
        },
        addTotal(n) {
          tot += n;
        },
        done() {
          if (last !== 0) io.stderr("\r\x1b[K");
        },
      };
    },
    warn: (m) => {
      if (!opts.quiet) io.stderr(`warning: ${m}\n`);
    },
    info: (m) => {
      if (!opts.quiet) io.stderr(`${m}\n`);
    },
    debug: (m) => {
      if (opts.verbose) io.stderr(`debug: ${m}\n`);
    },
  };
}
