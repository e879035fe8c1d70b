// The one question Tandem asks when it cannot tell which space a request is for: one button per
// space it hesitates between (or every space of the guide), each with what the space is for.
import { useEffect, useRef } from "react";
import type { Space } from "../api/routing.ts";
import { useRoutingGuide } from "../routing/use-routing-guide.ts";

/** Props of RouteQuestion. */
export interface RouteQuestionProps {
  org: string;
  question: string;
  /** The spaces to offer; empty offers every space of the guide. */
  candidates: readonly string[];
  /** The space whose session is being opened, or null. */
  choosing: string | null;
  onChoose: (space: string) => void;
}

/** Where a space lives: its repository, and its environment if it has one. */
function whereOf(space: Space): string {
  return space.environment ? `${space.repo} · ${space.environment}` : space.repo;
}

/** The question, focused when it appears, above the spaces to choose from. */
export function RouteQuestion({
  org,
  question,
  candidates,
  choosing,
  onChoose,
}: RouteQuestionProps) {
  const [guide, reload] = useRoutingGuide(org);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const spaces = guide.status === "ready" ? guide.guide.spaces : [];
  const names = candidates.length > 0 ? candidates : spaces.map((space) => space.name);
  const spaceOf = (name: string) => spaces.find((space) => space.name === name);

  return (
    <section className="route-question" aria-labelledby="route-question-text">
      <h3 id="route-question-text" className="route-question-text" tabIndex={-1} ref={heading}>
        {question}
      </h3>
      <p className="muted">Choose the space this is for; Tandem opens the session there.</p>
      {candidates.length === 0 && guide.status === "loading" ? (
        <p className="ask-note muted" role="status">
          <span className="spinner spinner-small" aria-hidden="true" /> Loading the spaces…
        </p>
      ) : null}
      {candidates.length === 0 && guide.status === "error" ? (
        <div className="ask-note" role="alert">
          <p className="form-error">The spaces could not be loaded. {guide.message}</p>
          <button type="button" className="button button-small" onClick={reload}>
            Try again
          </button>
        </div>
      ) : null}
      {names.length > 0 ? (
        <ul className="route-choices" aria-label="Spaces">
          {names.map((name) => {
            const space = spaceOf(name);
            return (
              <li key={name}>
                <button
                  type="button"
                  className="route-choice"
                  onClick={() => onChoose(name)}
                  disabled={choosing !== null}
                  aria-busy={choosing === name ? true : undefined}
                  aria-labelledby={`route-choice-${name}`}
                  aria-describedby={space ? `route-choice-${name}-about` : undefined}
                >
                  <span className="route-choice-head">
                    <span className="route-choice-name mono" id={`route-choice-${name}`}>
                      {name}
                    </span>
                    {choosing === name ? (
                      <span className="spinner spinner-small" aria-hidden="true" />
                    ) : null}
                  </span>
                  {space ? (
                    <span className="route-choice-about" id={`route-choice-${name}-about`}>
                      <span className="mono muted">{whereOf(space)}</span>
                      <span className="route-choice-purpose">{space.purpose}</span>
                    </span>
                  ) : null}
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
      {choosing ? (
        <p className="ask-note muted" role="status">
          Opening the session in <span className="mono">{choosing}</span>…
        </p>
      ) : null}
    </section>
  );
}
