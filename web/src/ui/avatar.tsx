// A person's picture, or their initials on a colour of their own.
import { useState, type CSSProperties } from "react";
import type { Person } from "../../../protocol/events.ts";
import { displayName, hueOf, initials } from "./format.ts";

/** Props of Avatar. */
export interface AvatarProps {
  person: Person;
  size?: "sm" | "md";
  /** Extra words for the accessible label, e.g. "typing". */
  note?: string;
  typing?: boolean;
}

/** A round avatar; decorative unless a note makes it carry information. */
export function Avatar({ person, size = "md", note, typing = false }: AvatarProps) {
  const label = note ? `${displayName(person)}, ${note}` : displayName(person);
  // A picture that does not load (offline, moved) gives way to the initials.
  const [failed, setFailed] = useState<string | null>(null);
  const picture = person.avatarUrl && failed !== person.avatarUrl ? person.avatarUrl : null;
  return (
    <span
      className={`avatar avatar-${size}${typing ? " avatar-typing" : ""}`}
      style={{ "--avatar-hue": hueOf(person) } as CSSProperties}
      title={label}
      role="img"
      aria-label={label}
    >
      {picture ? (
        <img src={picture} alt="" onError={() => setFailed(picture)} />
      ) : (
        <span aria-hidden="true">{initials(person)}</span>
      )}
    </span>
  );
}
