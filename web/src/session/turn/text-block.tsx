// A block of the agent's text, rendered as markdown while it streams and after.
import { memo } from "react";
import { Markdown } from "../../markdown/markdown.tsx";
import type { TextItem } from "../turn-state.ts";

/** The text, plus a caret while it streams or a note when it is incomplete. */
export const TextBlock = memo(function TextBlock({ item }: { item: TextItem }) {
  return (
    <div className={`turn-text turn-text-${item.state}`}>
      {item.text ? <Markdown source={item.text} /> : null}
      {item.state === "cut" ? <p className="turn-text-note muted">(cut off)</p> : null}
    </div>
  );
});
