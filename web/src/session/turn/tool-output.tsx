// A tool's output in a scrollable monospace box, coloured line by line when it is a unified diff.
import { useLayoutEffect, useMemo, useRef } from "react";
import { diffLines, looksLikeDiff } from "./diff-lines.ts";

/** Props of ToolOutput. */
export interface ToolOutputProps {
  text: string;
  label: string;
  /** Output still arriving: the box follows it while the reader is at its bottom. */
  live?: boolean;
}

/** How close to the bottom of the box (px) still counts as following it. */
const FOLLOW_SLACK_PX = 24;

/** The output box; keyboard users can focus it to scroll. */
export function ToolOutput({ text, label, live = false }: ToolOutputProps) {
  const box = useRef<HTMLPreElement>(null);
  const following = useRef(true);
  const lines = useMemo(() => (looksLikeDiff(text) ? diffLines(text) : null), [text]);

  useLayoutEffect(() => {
    const element = box.current;
    if (live && element && following.current) element.scrollTop = element.scrollHeight;
  }, [text, live]);

  const onScroll = () => {
    const element = box.current;
    if (element) {
      following.current =
        element.scrollTop + element.clientHeight >= element.scrollHeight - FOLLOW_SLACK_PX;
    }
  };

  return (
    <pre
      ref={box}
      className={`tool-output${lines ? " tool-output-diff" : ""}`}
      tabIndex={0}
      aria-label={label}
      onScroll={onScroll}
    >
      {lines
        ? lines.map((line, i) => (
            <span key={i} className={`diff-line diff-${line.kind}`}>
              {line.text}
              {"\n"}
            </span>
          ))
        : text}
    </pre>
  );
}
