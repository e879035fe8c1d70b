// The loading, empty and error placeholders every screen uses.
import type { ReactNode } from "react";

/** Props of StateMessage. */
export interface StateMessageProps {
  kind: "loading" | "empty" | "error";
  title: string;
  children?: ReactNode;
}

/** A centred message; errors are announced, loading is marked busy. */
export function StateMessage({ kind, title, children }: StateMessageProps) {
  return (
    <div
      className={`state state-${kind}`}
      role={kind === "error" ? "alert" : "status"}
      aria-busy={kind === "loading"}
    >
      {kind === "loading" ? <span className="spinner" aria-hidden="true" /> : null}
      <p className="state-title">{title}</p>
      {children ? <div className="state-body">{children}</div> : null}
    </div>
  );
}
