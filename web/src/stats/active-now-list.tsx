// People prompting in my sessions in the last five minutes, refreshed while the page is in view.
import type { ActivePerson } from "../api/stats.ts";
import { Avatar } from "../ui/avatar.tsx";
import { displayName, relativeTime } from "../ui/format.ts";
import { useActiveNow } from "./use-active-now.ts";

/** The live list, seeded with the people the stats answer named. */
export function ActiveNowList({ initial }: { initial: ActivePerson[] }) {
  const { people, checkedAt, failed } = useActiveNow(initial);
  const count = people.length;
  return (
    <section className="card stats-card" aria-labelledby="stats-active-title">
      <h2 id="stats-active-title" className="stats-card-title">
        <span className="stats-live-dot" aria-hidden="true" />
        Prompting now
      </h2>
      <p className="muted" aria-live="polite">
        {count === 0
          ? "Nobody has prompted in the last five minutes."
          : `${count} ${count === 1 ? "person" : "people"} in the last five minutes`}
      </p>
      {count > 0 ? (
        <ul className="stats-people">
          {people.map(({ person, lastPromptAt }) => (
            <li key={person.userId} className="stats-person">
              <Avatar person={person} size="sm" />
              <span className="stats-person-name">{displayName(person)}</span>
              <time className="muted" dateTime={new Date(lastPromptAt).toISOString()}>
                {relativeTime(lastPromptAt, Math.max(checkedAt, lastPromptAt))}
              </time>
            </li>
          ))}
        </ul>
      ) : null}
      {failed ? <p className="form-error">Could not refresh; trying again shortly.</p> : null}
    </section>
  );
}
