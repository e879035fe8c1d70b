// Says the agent's answers come from the offline rehearsal model, not a real one.

/** A warning badge shown wherever rehearsal output could be mistaken for a model's work. */
export function RehearsalBadge() {
  return (
    <span
      className="badge badge-rehearsal"
      title="Answers come from a stand-in that rehearses the flow; set an API key to use a real model."
    >
      Rehearsal model — no API key configured
    </span>
  );
}
