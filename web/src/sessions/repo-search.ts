// Finding a repository in the picker: filter and order by a search text, or use one typed in full.
import { RepoSchema } from "../../../protocol/api.ts";

/** Repositories whose name holds every word of `query`, best matches first. */
export function filterRepositories<T extends { repo: string }>(
  repositories: readonly T[],
  query: string,
): T[] {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...repositories].sort((a, b) => a.repo.localeCompare(b.repo));
  const whole = words.join(" ");
  return repositories
    .map((item) => ({ item, name: item.repo.toLowerCase() }))
    .filter(({ name }) => words.every((word) => name.includes(word)))
    .map(({ item, name }) => ({ item, rank: rankOf(name, whole) }))
    .sort((a, b) => a.rank - b.rank || a.item.repo.localeCompare(b.item.repo))
    .map(({ item }) => item);
}

/** 0 exact, 1 the name after the slash starts with it, 2 the owner starts with it, 3 it is inside. */
function rankOf(name: string, query: string): number {
  if (name === query) return 0;
  if (name.slice(name.indexOf("/") + 1).startsWith(query)) return 1;
  if (name.startsWith(query)) return 2;
  return 3;
}

/** The search text as a repository to use although it is not registered, or null. */
export function unlistedRepository(
  repositories: readonly { repo: string }[],
  query: string,
): string | null {
  const repo = query.trim();
  if (!RepoSchema.safeParse(repo).success) return null;
  const known = repositories.some((item) => item.repo.toLowerCase() === repo.toLowerCase());
  return known ? null : repo;
}
