// The body of a sticky report comment (pure): a hidden marker line naming the report, then the report, cut to fit
// GitHub's comment limit with a note that says what was left out.

/** GitHub rejects comment bodies longer than this (characters). */
export const COMMENT_LIMIT = 65_536;
export const DEFAULT_REPORT_NAME = "dvx";

const MARKER_RE = /^<!-- dvx-report: (.+?) -->[ \t]*(?:\r?\n|$)/;

export const markerFor = (name: string): string => `<!-- dvx-report: ${name} -->`;

/** Why a report name cannot go into the marker, or undefined when it can. */
export function invalidReportName(name: string): string | undefined {
  if (name.trim() === "" || name !== name.trim()) return "it is empty or starts or ends with a space";
  if (name.length > 100) return "it is longer than 100 characters";
  if (/[\r\n]|--|>/.test(name)) return "it contains a line break, '--' or '>'";
  return undefined;
}

/** The report name of a body that starts with our marker line. */
export function markerName(body: string | null | undefined): string | undefined {
  return body ? MARKER_RE.exec(body)?.[1] : undefined;
}

/** The report with exactly one marker line for `name` at the top (an existing marker line is replaced). */
export function withMarker(report: string, name: string): string {
  return `${markerFor(name)}\n${report.replace(MARKER_RE, "")}`;
}

export interface CutInfo {
  originalLength: number;
  keptLength: number;
  omittedLines: number;
  /** Headings of the sections left out entirely; `partial` is the one cut in the middle. */
  omittedSections: string[];
  partialSection: string | undefined;
}

/**
 * Cuts `body` to at most `limit` characters at a line boundary, closes an open code fence and <details> blocks, and
 * appends the note `note(info)` returns. Returns the body unchanged (cut: undefined) when it fits.
 */
export function cutBody(
  body: string,
  limit: number,
  note: (info: CutInfo) => string,
): { body: string; cut: CutInfo | undefined } {
  if (body.length <= limit) return { body, cut: undefined };
  let reserve = 1000;
  for (;;) {
    const kept = keepPrefix(body, Math.max(0, limit - reserve));
    const info = describeCut(body, kept);
    const out = kept + closeOpenBlocks(kept) + note(info);
    if (out.length <= limit || reserve >= limit) return { body: out.slice(0, limit), cut: info };
    reserve = Math.min(limit, reserve + (out.length - limit) + 100);
  }
}

/** The longest prefix of at most `max` characters ending at a line break (else at a whole character). */
function keepPrefix(text: string, max: number): string {
  const nl = text.lastIndexOf("\n", max - 1);
  if (nl > max / 2) return text.slice(0, nl + 1);
  let end = max;
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--; // never split a surrogate pair
  return text.slice(0, end) + "\n";
}

const FENCE_RE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING_RE = /^ {0,3}#{1,6}\s+(.+?)\s*#*\s*$/;

interface Line {
  text: string;
  /** Inside a fenced code block (the fence lines included). */
  inFence: boolean;
}

/** The lines of `text`, and the fence still open after the last one. */
function scanLines(text: string): { lines: Line[]; openFence: string | undefined } {
  let fence: string | undefined;
  const lines = text.split("\n").map((t): Line => {
    const m = FENCE_RE.exec(t);
    if (fence === undefined) {
      if (m) fence = m[1]!;
      return { text: t, inFence: m !== null };
    }
    if (m && m[1]![0] === fence[0] && m[1]!.length >= fence.length && t.trim() === m[1]) fence = undefined;
    return { text: t, inFence: true };
  });
  return { lines, openFence: fence };
}

function describeCut(body: string, kept: string): CutInfo {
  const { lines } = scanLines(body);
  const keptLines = kept.split("\n").length - 1;
  const heading = (l: Line | undefined): string | undefined =>
    l && !l.inFence ? HEADING_RE.exec(l.text)?.[1] : undefined;
  let partialSection: string | undefined;
  for (let i = keptLines - 1; i >= 0 && partialSection === undefined; i--) partialSection = heading(lines[i]);
  const omittedSections = lines.slice(keptLines).flatMap((l) => heading(l) ?? []);
  if (omittedSections.length > 0 && heading(lines[keptLines]) !== undefined) partialSection = undefined;
  return {
    originalLength: body.length,
    keptLength: kept.length,
    omittedLines: Math.max(0, body.split("\n").length - keptLines - (body.endsWith("\n") ? 1 : 0)),
    omittedSections,
    partialSection,
  };
}

/** Closing lines for a code fence and <details> blocks left open at the end of `kept`. */
function closeOpenBlocks(kept: string): string {
  const { lines, openFence } = scanLines(kept);
  let details = 0;
  for (const l of lines)
    if (!l.inFence)
      details += (l.text.match(/<details[\s>]/gi) ?? []).length - (l.text.match(/<\/details>/gi) ?? []).length;
  return (openFence !== undefined ? `${openFence}\n` : "") + "</details>\n".repeat(Math.max(0, details));
}

/** The note appended to a cut report: how much was left out, which sections, and where the whole report is. */
export function cutNote(info: CutInfo, fullReportAt: string | undefined): string {
  const quote = (s: string): string => `"${s.length > 80 ? `${s.slice(0, 77)}...` : s}"`;
  const parts: string[] = [];
  if (info.partialSection !== undefined) parts.push(`the end of ${quote(info.partialSection)}`);
  const shown = info.omittedSections.slice(0, 10).map(quote);
  if (info.omittedSections.length > 10) shown.push(`${info.omittedSections.length - 10} more`);
  if (shown.length > 0) parts.push(`the section${shown.length > 1 ? "s" : ""} ${shown.join(", ")}`);
  const omitted = info.originalLength - info.keptLength;
  return (
    `\n> [!WARNING]\n> This report was cut to fit GitHub's limit of ${COMMENT_LIMIT.toLocaleString("en-US")} ` +
    `characters per comment: ${omitted.toLocaleString("en-US")} characters (${info.omittedLines} lines) ` +
    `were left out${parts.length > 0 ? `, with ${parts.join(" and ")}` : ""}. ` +
    (fullReportAt ? `The full report is in ${fullReportAt}.` : "The full report is in the report file of this run.") +
    "\n"
  );
}
