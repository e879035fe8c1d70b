// Something the agent's turn wants people to know, or that the turn was resumed.
import type { NoticeItem } from "../turn-state.ts";

/** Props of NoticeRow. */
export interface NoticeRowProps {
  level: NoticeItem["level"];
  text: string;
}

/** A short line, in warning colours for warnings. */
export function NoticeRow({ level, text }: NoticeRowProps) {
  return (
    <p className={`turn-notice turn-notice-${level}`}>
      <span className="turn-notice-glyph" aria-hidden="true">
        {level === "warning" ? "⚠" : "ℹ"}
      </span>
      <span className="visually-hidden">{level === "warning" ? "Warning: " : "Note: "}</span>
      <span>{text}</span>
    </p>
  );
}
