/** The files a type folder contributes to its image build (and to its digest): all but node_modules and .git. */
import { readdir } from "node:fs/promises";
import path from "node:path";

export async function contextFiles(dir: string, rel = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".git")) continue;
    const relPath = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await contextFiles(dir, relPath)));
    else if (entry.isFile()) out.push(relPath);
  }
  return out.sort();
}
