// The "Ask the organisation" form: an organisation, the request, and whether it spans several
// spaces. Tandem routes it and opens the session there, or asks once which space is meant.
import "../styles/requests.css";
import { useReducer, useState, type FormEvent, type KeyboardEvent } from "react";
import { routeRequest } from "../api/requests.ts";
import { Link } from "../router/link.tsx";
import { navigate } from "../router/router.ts";
import { newClientId } from "../session/client-id.ts";
import { useRepositoryList } from "../sessions/use-repositories.ts";
import { FormActions } from "../ui/form-actions.tsx";
import { INITIAL_ASK, askReducer, failureOf, ownersOf, type SentRequest } from "./ask-state.ts";
import { OrgField } from "./org-field.tsx";
import { RouteQuestion } from "./route-question.tsx";

/** The longest request the API accepts, in characters. */
const MAX_REQUEST_CHARS = 20_000;

/** Props of AskForm. */
export interface AskFormProps {
  onCancel: () => void;
}

/** Sends a request to an organisation and opens the session Tandem routes it to. */
export default function AskForm({ onCancel }: AskFormProps) {
  const [list, reloadList] = useRepositoryList();
  const [picked, setPicked] = useState("");
  const [text, setText] = useState("");
  const [fanOut, setFanOut] = useState(false);
  const [checked, setChecked] = useState(false);
  const [state, dispatch] = useReducer(askReducer, INITIAL_ASK);

  const orgs = list.status === "ready" ? ownersOf(list.repositories.map((item) => item.repo)) : [];
  // The first organisation stands until the person picks another.
  const org = orgs.includes(picked) ? picked : (orgs[0] ?? "");
  const problem = text.trim() ? null : "Say what you need.";

  const send = async (sent: SentRequest, space?: string) => {
    try {
      const answer = await routeRequest({
        org: sent.org,
        text: sent.text,
        fanOut: sent.fanOut,
        clientId: newClientId(),
        ...(space ? { space } : {}),
      });
      if ("session" in answer) navigate(`/sessions/${answer.session.id}`);
      else
        dispatch({
          type: "asked",
          question: answer.route.question,
          candidates: answer.route.candidates,
        });
    } catch (caught) {
      dispatch({ type: "failed", failure: failureOf(caught, sent.org) });
    }
  };

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    setChecked(true);
    if (state.step !== "writing" || !org || problem) return;
    const sent = { org, text, fanOut };
    dispatch({ type: "sent", request: sent });
    void send(sent);
  };

  const choose = (space: string) => {
    if (state.step !== "asking" || state.choosing !== null) return;
    dispatch({ type: "chose", space });
    void send(state.request, space);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) submit();
  };

  const failure = state.step === "routing" ? null : state.failure;

  return (
    <form
      className="card new-session ask-form"
      onSubmit={submit}
      noValidate
      aria-labelledby="ask-heading"
      aria-busy={state.step === "routing" || (state.step === "asking" && state.choosing !== null)}
    >
      <h2 id="ask-heading">Ask the organisation</h2>
      <p className="muted">
        Say what you need without choosing the repository: Tandem sends it to the repository or
        environment that owns it.
      </p>
      <fieldset className="ask-fields" disabled={state.step !== "writing"}>
        <legend className="visually-hidden">Your request</legend>
        <OrgField list={list} orgs={orgs} value={org} onChange={setPicked} onRetry={reloadList} />
        <div className="field">
          <label className="field-label" htmlFor="ask-text">
            Request
          </label>
          <textarea
            id="ask-text"
            value={text}
            onChange={(event) => setText(event.target.value)}
            onKeyDown={onKeyDown}
            rows={5}
            maxLength={MAX_REQUEST_CHARS}
            placeholder="e.g. Raise the API rate limit for partners"
            aria-invalid={checked && problem ? true : undefined}
            aria-describedby="ask-text-hint"
          />
          <p className="field-hint muted" id="ask-text-hint">
            Ctrl + Enter sends it.
          </p>
          {checked && problem ? <p className="form-error">{problem}</p> : null}
        </div>
        <label className="ask-check">
          <input
            type="checkbox"
            checked={fanOut}
            onChange={(event) => setFanOut(event.target.checked)}
            aria-describedby="ask-fan-out-hint"
          />
          <span>
            This spans several spaces (compare them)
            <span className="field-hint muted ask-check-hint" id="ask-fan-out-hint">
              Each space answers in a session of its own; the comparison lands in this one.
            </span>
          </span>
        </label>
      </fieldset>
      {state.step === "routing" ? (
        <p className="ask-note ask-pending" role="status">
          <span className="spinner spinner-small" aria-hidden="true" /> Tandem is choosing where
          this goes…
        </p>
      ) : null}
      {state.step === "asking" ? (
        <RouteQuestion
          org={state.request.org}
          question={state.question}
          candidates={state.candidates}
          choosing={state.choosing}
          onChoose={choose}
        />
      ) : null}
      {failure ? (
        <div className="ask-failure" role="alert">
          <p className="form-error">{failure.message}</p>
          {failure.guideOrg ? (
            <Link href={`/orgs/${encodeURIComponent(failure.guideOrg)}/routing`}>
              Open the routing guide of <span className="mono">{failure.guideOrg}</span>
            </Link>
          ) : null}
        </div>
      ) : null}
      {state.step === "asking" ? (
        <div className="form-actions">
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button
            type="button"
            className="button"
            onClick={() => dispatch({ type: "edit" })}
            disabled={state.choosing !== null}
          >
            Change the request
          </button>
        </div>
      ) : (
        <FormActions
          error={null}
          busy={state.step === "routing"}
          submitLabel="Send"
          busyLabel="Routing…"
          onCancel={onCancel}
        />
      )}
    </form>
  );
}
