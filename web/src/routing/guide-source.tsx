// Where a guide came from and when it last changed.
import type { RoutingGuide } from "../../../protocol/routing.ts";

const SOURCE_WORDS: Record<RoutingGuide["source"], string> = {
  api: "edited here or through the API",
  repository: "read from a file in a repository",
  proposed: "proposed from the repositories, not yet confirmed",
};

/** The source badge and the last update, or that no guide is stored yet. */
export function GuideSource({ guide }: { guide: RoutingGuide }) {
  if (guide.updatedAt === null)
    return <p className="guide-source muted">No guide is stored for {guide.org} yet.</p>;
  return (
    <p className="guide-source muted">
      <span className={`badge badge-source-${guide.source}`}>{guide.source}</span>{" "}
      {SOURCE_WORDS[guide.source]} · last updated{" "}
      <time dateTime={new Date(guide.updatedAt).toISOString()}>
        {new Date(guide.updatedAt).toLocaleString()}
      </time>
    </p>
  );
}
