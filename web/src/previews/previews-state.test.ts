import { describe, expect, it } from "vitest";
import type { SessionEvent } from "../../../protocol/events.ts";
import { previewsOf } from "./previews-state.ts";

const ada = { userId: "usr_a", login: "ada", name: "Ada", avatarUrl: null };
let seq = 0;
const exposed = (port: number, label: string, by: "agent" | "person" = "agent"): SessionEvent => ({
  seq: ++seq,
  at: seq,
  type: "preview.exposed",
  actor: ada,
  data: { port, label, url: `http://ses-x--${port}.localhost:8787/`, by, messageId: null },
});
const closed = (port: number): SessionEvent => ({
  seq: ++seq,
  at: seq,
  type: "preview.closed",
  actor: ada,
  data: { port },
});

describe("previewsOf", () => {
  it("lists published ports lowest first, renamed in place, closed ones gone", () => {
    const events = [
      exposed(5173, "web"),
      exposed(3000, "api", "person"),
      exposed(8080, "docs"),
      exposed(5173, "web app"),
      closed(8080),
    ];
    expect(previewsOf(events).map((p) => [p.port, p.label, p.by])).toEqual([
      [3000, "api", "person"],
      [5173, "web app", "agent"],
    ]);
  });

  it("shows a port published again after it was closed", () => {
    expect(previewsOf([exposed(3000, "a"), closed(3000), exposed(3000, "b")])).toMatchObject([
      { port: 3000, label: "b", actor: ada },
    ]);
  });
});
