// Server messages quote names in backticks (`plan`); this shows those parts as code.
import type { ReactNode } from "react";

/** `text` with each backtick-quoted part as a code element. */
export function InlineCode({ text }: { text: string }): ReactNode {
  const parts = text.split("`");
  // An odd number of backticks leaves the last one unpaired: show the text as it is.
  if (parts.length % 2 === 0) return text;
  return parts.map((part, index) => (index % 2 === 1 ? <code key={index}>{part}</code> : part));
}
