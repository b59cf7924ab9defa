/**
 * Re-reads mcp_servers.json and the catalog when they change. fs.watch on the config's folder (editors
 * replace files by rename, which a watch on the file itself would lose) and on the catalog folder, with
 * a debounce: one save is several events.
 */
import { type FSWatcher, watch } from "node:fs";
import path from "node:path";

export interface ConfigWatch {
  close(): void;
}

export function watchConfig(files: { config: string; catalog: string }, onChange: () => void, debounceMs = 300): ConfigWatch {
  let timer: NodeJS.Timeout | undefined;
  const fire = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  };
  const watchers: FSWatcher[] = [];
  const configName = path.basename(files.config);
  const add = (dir: string, filter: (name: string | null) => boolean, recursive: boolean) => {
    try {
      const w = watch(dir, { recursive, persistent: false }, (_event, name) => {
        if (filter(name)) fire();
      });
      w.on("error", () => undefined);
      watchers.push(w);
    } catch {
      // A folder that does not exist (yet): the reload of the other one still reports it.
    }
  };
  add(path.dirname(path.resolve(files.config)), (name) => name === null || name === configName, false);
  add(path.resolve(files.catalog), () => true, true);
  return {
    close() {
      if (timer) clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}
