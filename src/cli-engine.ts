/** Commands that talk to the Docker engine; registered by cli.ts (filled in by the orchestrator work). */
import type { Command } from "commander";

export function registerEngineCommands(_program: Command): void {}
