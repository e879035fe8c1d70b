// Turns a timeline event into what the timeline shows: a prompt card, the agent's turn, or one readable line.
import type {
  Person,
  QueuedPrompt,
  SandboxStatus,
  SessionEvent,
} from "../../../protocol/events.ts";
import { displayName, formatCost, snippet } from "../ui/format.ts";

/** How a line is coloured. */
export type Tone = "neutral" | "good" | "warn" | "bad";

/** What one event looks like in the timeline. */
export type TimelineEntry =
  | { kind: "prompt"; prompt: QueuedPrompt }
  /** Part of the agent's turn on a prompt; the turn shows where its first event is. */
  | { kind: "turn"; messageId: string }
  | { kind: "note"; text: string; tone: Tone; person: Person | null };

const who = (person: Person | null) => (person ? displayName(person) : "Someone");

/** Names a prompt by its author and first words, e.g. `Ada's prompt “fix the tests”`. */
function promptName(prompts: Record<string, QueuedPrompt>, messageId: string): string {
  const prompt = prompts[messageId];
  return prompt
    ? `${displayName(prompt.author)}’s prompt “${snippet(prompt.text, 48)}”`
    : "a prompt";
}

/** The entry for one event, looking up prompts by message id. */
export function describeEvent(
  event: SessionEvent,
  prompts: Record<string, QueuedPrompt>,
): TimelineEntry {
  const note = (text: string, tone: Tone = "neutral", person: Person | null = event.actor) => ({
    kind: "note" as const,
    text,
    tone,
    person,
  });
  switch (event.type) {
    case "session.created":
      return note(`${who(event.actor)} started the session on ${event.data.repo}`);
    case "participant.joined":
      return event.data.via === "create"
        ? note(
            `${who(event.data.person)} joined as ${event.data.role}`,
            "neutral",
            event.data.person,
          )
        : note(
            `${who(event.data.person)} joined as ${event.data.role} with a share link`,
            "neutral",
            event.data.person,
          );
    case "participant.role_changed":
      return note(
        `${who(event.data.person)} is now ${event.data.role}`,
        "neutral",
        event.data.person,
      );
    case "participant.removed":
      return event.data.reason === "left"
        ? note(`${who(event.data.person)} left the session`, "neutral", event.data.person)
        : note(
            `${who(event.actor)} removed ${who(event.data.person)} from the session`,
            "warn",
            event.data.person,
          );
    case "prompt.queued":
      return { kind: "prompt", prompt: prompts[event.data.prompt.messageId] ?? event.data.prompt };
    case "prompt.started":
      return note(`The agent started on ${promptName(prompts, event.data.messageId)}`);
    case "prompt.finished":
      return finished(event.data, promptName(prompts, event.data.messageId), note);
    case "prompt.cancelled":
      return note(
        `${who(event.actor)} cancelled ${promptName(prompts, event.data.messageId)}`,
        "warn",
      );
    case "session.stop_requested":
      return note(`${who(event.actor)} asked the agent to stop`, "warn");
    case "share_link.created":
      return note(`${who(event.actor)} created a ${event.data.role} share link`);
    case "share_link.revoked":
      return note(`${who(event.actor)} revoked a share link`);
    case "sandbox.status":
      return note(
        sandboxNote(event.data),
        event.data.status === "failed" ? "warn" : "neutral",
        null,
      );
    case "agent.turn_started":
    case "agent.text":
    case "agent.tool_started":
    case "agent.tool_finished":
    case "agent.retrying":
    case "agent.usage":
    case "commit.created":
      return { kind: "turn", messageId: event.data.messageId };
    case "agent.notice":
      return event.data.messageId !== null
        ? { kind: "turn", messageId: event.data.messageId }
        : note(event.data.text, event.data.level === "warning" ? "warn" : "neutral", null);
    case "session.settings_changed":
      return note(settingsNote(event.actor, event.data));
    case "pull_request.published":
      return note(
        event.data.created
          ? `${who(event.data.by)} opened pull request #${event.data.number}`
          : `${who(event.data.by)} updated pull request #${event.data.number} with ${event.data.commit.slice(0, 7)}`,
        "neutral",
      );
    case "pull_request.compare":
      return note(
        `The branch ${event.data.branch} was pushed; ${event.data.reason} Compare and open it on GitHub instead.`,
        "warn",
        null,
      );
    case "pull_request.failed":
      return note(`The pull request could not be published: ${event.data.reason}`, "warn", null);
    case "pull_request.changed":
      return note(
        `@${event.data.by} ${event.data.action === "synchronize" ? "pushed to" : event.data.action} pull request #${event.data.number}`,
        event.data.state === "closed" ? "warn" : "neutral",
        null,
      );
    case "pull_request.reviewed":
      return note(
        `@${event.data.by} ${event.data.review === "approved" ? "approved" : event.data.review === "changes_requested" ? "asked for changes on" : "commented on"} pull request #${event.data.number}`,
        event.data.review === "changes_requested" ? "warn" : "neutral",
        null,
      );
    case "team.linked":
      return note(
        `Started by session “${snippet(event.data.parent.title, 48)}” as ${event.data.name}${event.data.role ? ` (${event.data.role})` : ""}`,
        "neutral",
        null,
      );
    case "team.child_spawned":
      return note(
        `The agent started ${event.data.name}${event.data.role ? ` (${event.data.role})` : ""} on ${event.data.repo}: “${snippet(event.data.title, 48)}”`,
        "neutral",
        null,
      );
    case "team.member_changed":
      return note(
        `${event.data.name} is ${event.data.state === "shut_down" ? "shut down" : event.data.state}${event.data.lastTurn && event.data.state !== "working" ? ` (last turn ${event.data.lastTurn})` : ""}`,
        event.data.lastTurn === "failed" ? "warn" : "neutral",
        null,
      );
    case "team.fan_out_started":
      return note(
        `Asked ${event.data.spaces.join(", ")}: “${snippet(event.data.question, 80)}”${event.data.skipped.length > 0 ? ` (skipped ${event.data.skipped.map((s) => s.space).join(", ")})` : ""}`,
      );
    case "team.fan_out_finished":
      return note(
        `Compared ${event.data.answered.length} answer${event.data.answered.length === 1 ? "" : "s"}: ${snippet(event.data.synthesis, 240)}`,
        event.data.skipped.length > 0 ? "warn" : "good",
        null,
      );
    case "routing.proposed":
      return note(
        `Proposed a routing guide for ${event.data.org}${event.data.skipped.length > 0 ? ` (no answer from ${event.data.skipped.map((s) => s.space).join(", ")})` : ""}`,
      );
    case "session.routed":
      return note(
        `Routed to the space ${event.data.space} ${event.data.by === "person" ? "by choice" : "by the router"}: ${event.data.reason}`,
        "neutral",
        null,
      );
    case "team.shut_down":
      return note(`${event.data.by} shut this session down`, "warn", null);
    case "mailbox.sent":
      return note(
        `The agent wrote to ${event.data.to.join(", ")}: “${snippet(event.data.text, 80)}”`,
        "neutral",
        null,
      );
    case "mailbox.received":
      return note(
        `Message from ${event.data.mail.from.name}: “${snippet(event.data.mail.text, 80)}”`,
        "neutral",
        null,
      );
    case "mailbox.read":
      return note(
        `The agent read ${event.data.ids.length} message${event.data.ids.length === 1 ? "" : "s"}`,
        "neutral",
        null,
      );
    case "pipeline.run_started":
      return note(
        `${who(event.actor)} started the pipeline ${event.data.pipeline}: “${snippet(event.data.request, 80)}”`,
      );
    case "pipeline.handoff":
      return note(
        event.data.entry.message,
        event.data.entry.kind === "failed"
          ? "bad"
          : event.data.entry.kind === "done"
            ? "good"
            : "neutral",
        null,
      );
    case "pipeline.run_finished":
      return event.data.status === "completed"
        ? note("The pipeline run completed", "good", null)
        : note(`The pipeline run stopped: ${event.data.reason ?? "no reason given"}`, "bad", null);
    case "pipeline.note_added":
      return note(
        event.data.source === "person"
          ? `${who(event.actor)} left feedback for ${event.data.role}: “${snippet(event.data.text, 80)}”`
          : `${event.data.role} noted: “${snippet(event.data.text, 80)}”`,
      );
    case "agent.fast_usage":
      return note(
        `${event.data.purpose === "routing" ? "Routing the request" : "Comparing the answers"} with ${event.data.model} cost ${formatCost(event.data.call.costUsd)}`,
        "neutral",
        null,
      );
    case "preview.exposed":
      return note(
        event.data.by === "agent"
          ? `The agent published a preview of port ${event.data.port} (${event.data.label})`
          : `${who(event.actor)} published a preview of port ${event.data.port} (${event.data.label})`,
        "good",
        event.data.by === "agent" ? null : event.actor,
      );
    case "preview.closed":
      return note(`${who(event.actor)} closed the preview of port ${event.data.port}`);
    default:
      event satisfies never;
      return note("Something happened");
  }
}

function finished(
  data: { state: "done" | "stopped" | "failed"; reason: string | null },
  name: string,
  note: (text: string, tone: Tone, person: Person | null) => TimelineEntry,
): TimelineEntry {
  if (data.state === "done") return note(`The agent finished ${name}`, "good", null);
  if (data.state === "stopped") return note(`The agent stopped working on ${name}`, "warn", null);
  return note(`The agent failed on ${name}${data.reason ? `: ${data.reason}` : ""}`, "bad", null);
}

const SANDBOX_WORDS: Record<SandboxStatus, string> = {
  waiting: "The sandbox is waiting",
  warming: "Taking a ready sandbox",
  starting: "Starting a sandbox",
  restoring: "Restoring the sandbox from the last turn",
  syncing: "Syncing the workspace to the latest commit",
  ready: "The sandbox is ready",
  stopped: "The sandbox went to sleep; the next prompt restores it",
  failed: "The sandbox could not start",
};

function sandboxNote(data: {
  status: SandboxStatus;
  commit: string | null;
  detail: string | null;
}): string {
  const commit = data.commit ? ` at ${data.commit.slice(0, 7)}` : "";
  return `${SANDBOX_WORDS[data.status]}${commit}${data.detail ? ` — ${data.detail}` : ""}`;
}

function settingsNote(
  actor: Person | null,
  data: { model: string; spendLimitUsd: number | null },
): string {
  const limit =
    data.spendLimitUsd === null
      ? "no spend limit"
      : `a spend limit of ${formatCost(data.spendLimitUsd)}`;
  return `${who(actor)} set the model to ${data.model} with ${limit}`;
}
