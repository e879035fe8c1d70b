// Discovery: a session in each space describes it, and the answers become a proposed guide.
import {
  MAX_PURPOSE_CHARS,
  MAX_SPACES,
  type RoutingGuide,
  type Space,
} from "../../protocol/routing.ts";

/** A space known before discovery: its purpose is missing or a draft to be replaced. */
export type SpaceDraft = Omit<Space, "purpose"> & { purpose?: string | null };

/** What the session in one space answered; null when it gave no answer. */
export interface DiscoveryAnswer {
  space: SpaceDraft;
  summary: string | null;
}

/** A proposed guide and the spaces left out of it, each with why. */
export interface Proposal {
  guide: RoutingGuide;
  skipped: { space: string; reason: string }[];
}

/** The prompt a session in `space` is given to describe the space in one paragraph. */
export function summaryPrompt(space: SpaceDraft): string {
  const where =
    space.kind === "environment"
      ? `the \`${space.environment}\` environment of the repository ${space.repo}: look at how it is configured and deployed, and what runs there`
      : `the repository ${space.repo}: look at its README, documentation and layout`;
  const draft = space.purpose?.trim()
    ? `\n\nIts current description, which may be out of date: "${space.purpose.trim()}"`
    : "";
  const covers =
    space.coverage.length > 0
      ? `\n\nTopics it is said to cover: ${space.coverage.join(", ")}.`
      : "";
  return `You are in the space \`${space.name}\`, ${where}.${draft}${covers}

Describe this space in one paragraph of at most 120 words, for someone deciding where to send a request: what it is for, what it covers (the services, topics and kinds of work that belong here), and what does not belong here. Do not change any files.

Answer with the paragraph only: no heading, no list, no code.`;
}

/** A guide with source "proposed" whose purposes are the spaces' own summaries. */
export function proposeGuide(org: string, answers: readonly DiscoveryAnswer[]): Proposal {
  const spaces: Space[] = [];
  const skipped: Proposal["skipped"] = [];
  for (const { space, summary } of answers) {
    const purpose = summary === null ? "" : oneParagraph(summary);
    const reason =
      summary === null
        ? "the session in this space gave no summary"
        : purpose === ""
          ? "the session in this space gave an empty summary"
          : spaces.some((s) => s.name === space.name)
            ? "a space of this name is already in the guide"
            : spaces.length >= MAX_SPACES
              ? `a guide holds at most ${MAX_SPACES} spaces`
              : null;
    if (reason !== null) skipped.push({ space: space.name, reason });
    else spaces.push({ ...space, purpose });
  }
  return { guide: { org, spaces, source: "proposed", updatedAt: null }, skipped };
}

/** The first paragraph of `text` on one line, without code fences, at most MAX_PURPOSE_CHARS. */
export function oneParagraph(text: string): string {
  const lines = text
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .filter((line) => !/^\s*(```|~~~)/.test(line));
  const start = lines.findIndex((line) => line.trim() !== "");
  if (start === -1) return "";
  const end = lines.findIndex((line, i) => i > start && line.trim() === "");
  const paragraph = lines
    .slice(start, end === -1 ? undefined : end)
    .join(" ")
    .replace(/\s+/g, " ")
    .trim();
  if (paragraph.length <= MAX_PURPOSE_CHARS) return paragraph;
  const cut = paragraph.slice(0, MAX_PURPOSE_CHARS - 1);
  const atWord = cut.lastIndexOf(" ");
  return `${(atWord > MAX_PURPOSE_CHARS / 2 ? cut.slice(0, atWord) : cut).trimEnd()}…`;
}
