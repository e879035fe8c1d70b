// Where a path the model gives points inside the sandbox, and how results name it back.
import { z } from "zod";
import { WORKSPACE } from "./tool.ts";

/** The absolute, normalised form of a path; relative paths are relative to the workspace. */
export function resolvePath(path: string): string {
  const trimmed = path.trim();
  const absolute = trimmed.startsWith("/") ? trimmed : `${WORKSPACE}/${trimmed}`;
  const parts: string[] = [];
  for (const part of absolute.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return `/${parts.join("/")}`;
}

/** How results name an absolute path: relative inside the workspace, absolute outside it. */
export function displayPath(absolute: string): string {
  if (absolute === WORKSPACE) return ".";
  return absolute.startsWith(`${WORKSPACE}/`) ? absolute.slice(WORKSPACE.length + 1) : absolute;
}

/** A path field of a tool's input, described for the model. */
export const pathField = (what: string) =>
  z.string().min(1).describe(`${what}, relative to /workspace (the repository) or absolute.`);

/** Folders searches never go into: git's own data and installed dependencies. */
export const SKIPPED_FOLDERS = [".git", "node_modules"] as const;

/** The most entries a listing or glob returns. */
export const MAX_ENTRIES = 500;
