// The form that starts a session: repository, first prompt (its first line is the title), model
// and spend limit. Writing the prompt asks for a warm sandbox, so the first turn starts at once.
import { useEffect, useState, type FormEvent, type KeyboardEvent } from "react";
import { MAX_PROMPT_CHARS } from "../../../protocol/room.ts";
import { createSession } from "../api/sessions.ts";
import { navigate } from "../router/router.ts";
import { newClientId } from "../session/client-id.ts";
import { ModelField } from "../settings/model-field.tsx";
import { DEFAULT_MODEL, modelOf, type ModelPick } from "../settings/models.ts";
import { parseSpendLimit } from "../settings/spend-limit.ts";
import { SpendLimitField } from "../settings/spend-limit-field.tsx";
import { FormActions } from "../ui/form-actions.tsx";
import { useAction } from "../ui/use-action.ts";
import { titleFromPrompt } from "./prompt-title.ts";
import { RepoPicker, type PickedRepository } from "./repo-picker.tsx";
import { usePrewarm } from "./use-prewarm.ts";
import { useRepositoryList } from "./use-repositories.ts";

/** Props of NewSessionForm. */
export interface NewSessionFormProps {
  onCancel: () => void;
}

/** Creates a session with its first prompt and opens it. */
export function NewSessionForm({ onCancel }: NewSessionFormProps) {
  const [list, reloadList] = useRepositoryList();
  const [picked, setPicked] = useState<PickedRepository | null>(null);
  const [prompt, setPrompt] = useState("");
  const [pick, setPick] = useState<ModelPick>({ choice: DEFAULT_MODEL, other: "" });
  const [limit, setLimit] = useState("");
  const [checked, setChecked] = useState(false);
  const { busy, error, run } = useAction();
  const warm = usePrewarm();

  // With one registered repository there is nothing to choose.
  const only =
    list.status === "ready" && list.repositories.length === 1 ? list.repositories[0]!.repo : null;
  useEffect(() => {
    if (only) setPicked((current) => current ?? { repo: only, registered: true });
  }, [only]);

  const title = titleFromPrompt(prompt);
  const model = modelOf(pick);
  const spend = parseSpendLimit(limit);
  const problems = {
    repo: picked ? null : "Choose a repository.",
    prompt: title ? null : "Tell the agent what to do.",
    model: model.ok ? null : model.problem,
    limit: spend.ok ? null : spend.problem,
  };

  const choose = (next: PickedRepository) => {
    setPicked(next);
    if (prompt.trim()) warm(next.repo, next.registered);
  };

  const write = (text: string) => {
    setPrompt(text);
    if (text.trim()) warm(picked?.repo ?? null, picked?.registered ?? false);
  };

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    setChecked(true);
    if (!picked || !title || !model.ok || !spend.ok) return;
    await run(
      async () => {
        const session = await createSession({
          repo: picked.repo,
          title,
          prompt: { clientId: newClientId(), text: prompt },
          model: model.model,
          ...(spend.usd === null ? {} : { spendLimitUsd: spend.usd }),
        });
        navigate(`/sessions/${session.id}`);
      },
      { keepBusy: true },
    );
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) void submit();
  };

  return (
    <form
      className="card new-session"
      onSubmit={submit}
      noValidate
      aria-labelledby="new-session-heading"
    >
      <h2 id="new-session-heading">New session</h2>
      <div className="new-session-layout">
        <RepoPicker
          list={list}
          onRetry={reloadList}
          value={picked}
          onChange={choose}
          problem={checked ? problems.repo : null}
        />
        <div className="new-session-main">
          <div className="field">
            <label className="field-label" htmlFor="new-session-prompt">
              Prompt
            </label>
            <textarea
              id="new-session-prompt"
              value={prompt}
              onChange={(event) => write(event.target.value)}
              onKeyDown={onKeyDown}
              rows={6}
              maxLength={MAX_PROMPT_CHARS}
              placeholder="Tell the agent what to do…"
              aria-invalid={checked && problems.prompt ? true : undefined}
              aria-describedby="new-session-title"
            />
            <p className="field-hint muted" id="new-session-title">
              {title ? (
                <>
                  Title: <strong className="new-session-title">{title}</strong>
                </>
              ) : (
                "The first line becomes the session's title. Ctrl + Enter creates it."
              )}
            </p>
            {checked && problems.prompt ? <p className="form-error">{problems.prompt}</p> : null}
          </div>
          <div className="new-session-settings">
            <ModelField
              id="new-session-model"
              pick={pick}
              onChange={setPick}
              problem={checked ? problems.model : null}
            />
            <SpendLimitField
              id="new-session-limit"
              value={limit}
              onChange={setLimit}
              problem={checked ? problems.limit : null}
            />
          </div>
        </div>
      </div>
      <FormActions
        error={error}
        busy={busy}
        submitLabel="Create session"
        busyLabel="Creating…"
        onCancel={onCancel}
      />
    </form>
  );
}
