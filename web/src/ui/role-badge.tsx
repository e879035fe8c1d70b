// A participant's role as a small label.
import type { Role } from "../../../protocol/events.ts";

/** Shows owner, collaborator or viewer. */
export function RoleBadge({ role, prefix }: { role: Role; prefix?: string }) {
  return (
    <span className={`badge badge-role-${role}`}>
      {prefix ? `${prefix} ` : ""}
      {role}
    </span>
  );
}
