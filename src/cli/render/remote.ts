// `dvx remote list`: tab-separated name and url, the default marked.
import type { RemoteListEntry } from "../../core/ops/remote-config.js";

export const remoteListText = (remotes: readonly RemoteListEntry[]): string =>
  remotes.map((r) => `${r.name}\t${r.url}${r.isDefault ? "\t(default)" : ""}\n`).join("");
